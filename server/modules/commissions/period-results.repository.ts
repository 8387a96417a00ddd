import { sql } from 'kysely';
import type { Trx } from '../../deps.ts';
import { runResults } from './runs.repository.ts';

/** SQL of the per-version totals of a closed period (reads commission_period_version and commission_result). */

export async function periodExists(trx: Trx, id: string): Promise<boolean> {
  const r = await trx.selectFrom('commissionPeriod').select('commissionPeriodId').where('commissionPeriodId', '=', id).executeTakeFirst();
  return r !== undefined;
}

export async function versionsOf(trx: Trx, id: string) {
  return trx
    .selectFrom('commissionPeriodVersion')
    .select(['version', 'kind', 'commissionRunId', 'resultHash'])
    .where('commissionPeriodId', '=', id)
    .orderBy('version')
    .execute();
}

/** Per run, participant and currency: the sum of the payout periods' totals (each run's results through its chain of base runs). */
export async function totalsOfRuns(trx: Trx, runIds: readonly string[]) {
  if (runIds.length === 0) return [];
  const out: { commissionRunId: string; participantId: string; displayName: string; externalRef: string; currency: string; totalMinor: number }[] = [];
  for (const runId of [...new Set(runIds)]) {
    const r = await sql<(typeof out)[number]>`
      select r.commission_run_id, r.participant_id, p.display_name, p.external_ref, r.currency, sum(r.total_minor)::bigint as total_minor
      from ${runResults(runId)} r join comp_participant p on p.comp_participant_id = r.participant_id
      group by r.commission_run_id, r.participant_id, p.display_name, p.external_ref, r.currency`.execute(trx);
    out.push(...r.rows);
  }
  return out;
}

export async function adjustmentsBookedIn(trx: Trx, id: string) {
  return trx
    .selectFrom('commissionAdjustment as a')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'a.participantId')
    .select(['a.commissionAdjustmentId', 'a.participantId', 'p.displayName', 'a.currency', 'a.amountMinor', 'a.reason', 'a.sourcePeriodId', 'a.sourceVersion'])
    .where('a.commissionPeriodId', '=', id)
    .orderBy('p.displayName')
    .orderBy('a.commissionAdjustmentId')
    .execute();
}
