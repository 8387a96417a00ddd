import { sql } from 'kysely';
import type { Trx } from '../../deps.ts';

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

/** Per run, participant and currency: the sum of the payout periods' totals. */
export async function totalsOfRuns(trx: Trx, runIds: readonly string[]) {
  if (runIds.length === 0) return [];
  return trx
    .selectFrom('commissionResult as r')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'r.participantId')
    .select(['r.commissionRunId', 'r.participantId', 'p.displayName', 'p.externalRef', 'r.currency', sql<number>`sum(r.total_minor)::bigint`.as('totalMinor')])
    .where('r.commissionRunId', 'in', [...runIds])
    .groupBy(['r.commissionRunId', 'r.participantId', 'p.displayName', 'p.externalRef', 'r.currency'])
    .execute();
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
