import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { DB } from './schema.ts';
import * as platform from './migrations/0001-platform.ts';
import * as accounts from './migrations/0002-accounts.ts';
import * as engagement from './migrations/0003-engagement.ts';
import * as registrationLifecycle from './migrations/0005-registration-lifecycle.ts';
import * as conflicts from './migrations/0006-conflicts.ts';
import * as registrationPerformance from './migrations/0009-registration-performance.ts';
import * as conflictKeyIndex from './migrations/0010-conflict-key-index.ts';
import * as compPlans from './migrations/0011-comp-plans.ts';
import * as commissions from './migrations/0012-commissions.ts';
import * as scorecards from './migrations/0013-scorecards.ts';
import * as compRollout from './migrations/0014-comp-rollout.ts';
import * as scorecardsPublication from './migrations/0015-scorecards-publication.ts';
import * as commissionRuns from './migrations/0016-commission-runs.ts';
import * as compSimulation from './migrations/0017-comp-simulation.ts';
import * as commissionClose from './migrations/0018-commission-close.ts';
import * as tierRules from './migrations/0019-tier-rules.ts';
import * as commissionDisputes from './migrations/0020-commission-disputes.ts';
import * as salesTransactionBulk from './migrations/0021-sales-transaction-bulk.ts';
import * as scorecardResults from './migrations/0022-scorecard-results.ts';
import * as commissionIncrementalRuns from './migrations/0023-commission-incremental-runs.ts';
import * as scorecardTargets from './migrations/0025-scorecard-targets.ts';
import * as commissionRunChains from './migrations/0026-commission-run-chains.ts';
import * as scorecardSnapshotPages from './migrations/0027-scorecard-snapshot-pages.ts';
import * as authLookup from './migrations/0028-auth-lookup.ts';
import * as scorecardComputations from './migrations/0029-scorecard-computations.ts';
import * as scorecardSourcePolicies from './migrations/0030-scorecard-source-policies.ts';
import * as registrationSubmitCost from './migrations/0031-registration-submit-cost.ts';
import * as auditAppendAtCommit from './migrations/0032-audit-append-at-commit.ts';
import * as registrationClaimIndex from './migrations/0033-registration-claim-index.ts';
import * as customerKeySearchBands from './migrations/0034-customer-key-search-bands.ts';
import * as commissionResultJson from './migrations/0035-commission-result-json.ts';
import * as auditPayloadStatistics from './migrations/0036-audit-payload-statistics.ts';
import * as commissionRunProgress from './migrations/0037-commission-run-progress.ts';
import * as commissionStorePolicies from './migrations/0038-commission-store-policies.ts';

/** Every migration, in order. Explicit: a new file is listed here, nothing is discovered. */
const migrations: Record<string, Migration> = {
  '0001-platform': platform,
  '0002-accounts': accounts,
  '0003-engagement': engagement,
  '0005-registration-lifecycle': registrationLifecycle,
  '0006-conflicts': conflicts,
  '0009-registration-performance': registrationPerformance,
  '0010-conflict-key-index': conflictKeyIndex,
  '0011-comp-plans': compPlans,
  '0012-commissions': commissions,
  '0013-scorecards': scorecards,
  '0014-comp-rollout': compRollout,
  '0015-scorecards-publication': scorecardsPublication,
  '0016-commission-runs': commissionRuns,
  '0017-comp-simulation': compSimulation,
  '0018-commission-close': commissionClose,
  '0019-tier-rules': tierRules,
  '0020-commission-disputes': commissionDisputes,
  '0021-sales-transaction-bulk': salesTransactionBulk,
  '0022-scorecard-results': scorecardResults,
  '0023-commission-incremental-runs': commissionIncrementalRuns,
  '0025-scorecard-targets': scorecardTargets,
  '0026-commission-run-chains': commissionRunChains,
  '0027-scorecard-snapshot-pages': scorecardSnapshotPages,
  '0028-auth-lookup': authLookup,
  '0029-scorecard-computations': scorecardComputations,
  '0030-scorecard-source-policies': scorecardSourcePolicies,
  '0031-registration-submit-cost': registrationSubmitCost,
  '0032-audit-append-at-commit': auditAppendAtCommit,
  '0033-registration-claim-index': registrationClaimIndex,
  '0034-customer-key-search-bands': customerKeySearchBands,
  '0035-commission-result-json': commissionResultJson,
  '0036-audit-payload-statistics': auditPayloadStatistics,
  '0037-commission-run-progress': commissionRunProgress,
  '0038-commission-store-policies': commissionStorePolicies,
};

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return result;
}

/** The migrations this version of Realign knows, in order (a restore checks a backup against them). */
export const knownMigrations: readonly string[] = Object.keys(migrations);

/** Brings the schema up to one named migration and no further: a restore starts from the backup's schema. */
export async function migrateUpTo(db: Kysely<DB>, migrationName: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateTo(migrationName);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: result.error });
  }
  return result;
}
