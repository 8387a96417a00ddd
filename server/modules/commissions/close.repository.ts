import { sql, type Selectable } from 'kysely';
import type { Trx } from '../../deps.ts';
import type { CommissionAdjustmentTable, CommissionPayoutApprovalTable, CommissionPeriodTable, CommissionPeriodVersionTable } from './close.table.ts';
import { runResults } from './runs.repository.ts';

export type PeriodRow = Selectable<CommissionPeriodTable>;
export type VersionRow = Selectable<CommissionPeriodVersionTable>;
export type AdjustmentRow = Selectable<CommissionAdjustmentTable>;
export type ApprovalRow = Selectable<CommissionPayoutApprovalTable>;

/** Serialises period creation, so the overlap check and the insert are one step across sessions. */
export async function lockPeriodCreation(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('realign.commission_period.create'))`.execute(trx);
}

export async function overlappingPeriod(trx: Trx, start: string, end: string): Promise<PeriodRow | undefined> {
  return trx.selectFrom('commissionPeriod').selectAll().where('periodStart', '<', end).where('periodEnd', '>', start).executeTakeFirst();
}

export async function insertPeriod(trx: Trx, row: { commissionPeriodId: string; periodStart: string; periodEnd: string; createdByUserId: string | null }) {
  await trx.insertInto('commissionPeriod').values(row).execute();
}

export async function findPeriod(trx: Trx, id: string, lock = false): Promise<PeriodRow | undefined> {
  let q = trx.selectFrom('commissionPeriod').selectAll().where('commissionPeriodId', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listPeriods(trx: Trx, f: { limit: number; offset: number }): Promise<{ items: PeriodRow[]; total: number }> {
  const items = await trx.selectFrom('commissionPeriod').selectAll().orderBy('periodStart', 'desc').limit(f.limit).offset(f.offset).execute();
  const t = await trx
    .selectFrom('commissionPeriod')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { items, total: Number(t.n) };
}

export async function closePeriod(trx: Trx, id: string, runId: string, userId: string | null, at: Date): Promise<void> {
  await trx
    .updateTable('commissionPeriod')
    .set({ status: 'closed', closedRunId: runId, closedByUserId: userId, closedAt: at })
    .where('commissionPeriodId', '=', id)
    .execute();
}

export async function versionsOf(trx: Trx, periodIds: readonly string[]): Promise<VersionRow[]> {
  if (periodIds.length === 0) return [];
  return trx.selectFrom('commissionPeriodVersion').selectAll().where('commissionPeriodId', 'in', periodIds).orderBy('version').execute();
}

export async function insertVersion(
  trx: Trx,
  row: {
    commissionPeriodId: string;
    version: number;
    commissionRunId: string;
    resultHash: string;
    kind: 'close' | 'restatement';
    createdByUserId: string | null;
  },
): Promise<void> {
  await trx.insertInto('commissionPeriodVersion').values(row).execute();
}

export async function approvalsOf(trx: Trx, periodIds: readonly string[]): Promise<ApprovalRow[]> {
  if (periodIds.length === 0) return [];
  return trx.selectFrom('commissionPayoutApproval').selectAll().where('commissionPeriodId', 'in', periodIds).execute();
}

export async function insertApproval(trx: Trx, periodId: string, userId: string | null, at: Date): Promise<void> {
  await trx.insertInto('commissionPayoutApproval').values({ commissionPeriodId: periodId, approvedByUserId: userId, approvedAt: at }).execute();
}

/** The earliest open period starting on or after a day: where a restatement's difference is booked. */
export async function nextOpenPeriod(trx: Trx, from: string): Promise<PeriodRow | undefined> {
  return trx
    .selectFrom('commissionPeriod')
    .selectAll()
    .where('status', '=', 'open')
    .where('periodStart', '>=', from)
    .orderBy('periodStart')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export type TotalRow = { participantId: string; currency: string; totalMinor: number };

/** Per participant and currency, the sum of a run's result totals (through its chain of base runs). */
export async function runTotals(trx: Trx, runId: string): Promise<TotalRow[]> {
  const r = await sql<TotalRow>`select r.participant_id, r.currency, sum(r.total_minor)::bigint as total_minor from ${runResults(runId)} r
    group by r.participant_id, r.currency order by r.participant_id, r.currency`.execute(trx);
  return r.rows;
}

export async function insertAdjustments(trx: Trx, rows: readonly Omit<AdjustmentRow, 'createdAt'>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('commissionAdjustment')
    .values([...rows])
    .execute();
}

export async function adjustmentsBookedIn(trx: Trx, periodId: string): Promise<AdjustmentRow[]> {
  return trx
    .selectFrom('commissionAdjustment')
    .selectAll()
    .where('commissionPeriodId', '=', periodId)
    .orderBy('participantId')
    .orderBy('createdAt')
    .orderBy('commissionAdjustmentId')
    .execute();
}

export type PayrollRow = {
  participantId: string;
  externalRef: string;
  displayName: string;
  currency: string;
  commissionMinor: number;
  adjustmentMinor: number;
};

/**
 * The payouts of a closed period per participant and currency: the totals of its closing run
 * (version 1: paid amounts never change) and the adjustments booked in it.
 */
export async function payrollRows(trx: Trx, periodId: string, closedRunId: string): Promise<PayrollRow[]> {
  const r = await sql<PayrollRow>`
    with paid as (
      select participant_id, currency, sum(total_minor) as commission, 0::numeric as adjustment
        from ${runResults(closedRunId)} r group by participant_id, currency
      union all
      select participant_id, currency, 0, sum(amount_minor)
        from commission_adjustment where commission_period_id = ${periodId} group by participant_id, currency
    )
    select p.comp_participant_id as "participantId", p.external_ref as "externalRef", p.display_name as "displayName",
           paid.currency as "currency", sum(paid.commission)::bigint as "commissionMinor", sum(paid.adjustment)::bigint as "adjustmentMinor"
      from paid join comp_participant p on p.comp_participant_id = paid.participant_id
     group by p.comp_participant_id, p.external_ref, p.display_name, paid.currency
     order by p.external_ref collate "C", paid.currency`.execute(trx);
  return r.rows;
}
