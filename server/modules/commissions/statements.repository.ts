import { sql } from 'kysely';
import type { Trx } from '../../deps.ts';

/** SQL of the statement downloads (the JSON statement reads runs.repository.ts). */

export type StatementAdjustmentRow = {
  adjustmentId: string;
  /** The day it was booked (UTC). */
  bookedOn: string;
  /** The commission period it is booked (and paid) in. */
  periodStart: string;
  periodEnd: string;
  currency: string;
  amountMinor: number;
  reason: string;
  /** The dispute whose resolution booked it, or null for a restatement's difference. */
  disputeReference: string | null;
  /** The restated period and version, for a restatement's difference. */
  restated: { periodStart: string; periodEnd: string; version: number } | null;
};

/**
 * Adjustments booked for the participant in commission periods overlapping [start, end), oldest
 * period first, with the booking day and what each one comes from.
 */
export async function statementAdjustments(trx: Trx, participantId: string, start: string, end: string): Promise<StatementAdjustmentRow[]> {
  const r = await sql<{
    adjustmentId: string;
    bookedOn: string;
    periodStart: string;
    periodEnd: string;
    currency: string;
    amountMinor: string;
    reason: string;
    disputeReference: string | null;
    restatedStart: string | null;
    restatedEnd: string | null;
    restatedVersion: number | null;
  }>`select a.commission_adjustment_id as adjustment_id, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD') as booked_on,
            p.period_start::text as period_start, p.period_end::text as period_end,
            a.currency, a.amount_minor::text as amount_minor, a.reason, d.reference as dispute_reference,
            sp.period_start::text as restated_start, sp.period_end::text as restated_end, a.source_version as restated_version
       from commission_adjustment a
       join commission_period p on p.commission_period_id = a.commission_period_id
       left join commission_period sp on sp.commission_period_id = a.source_period_id
       left join commission_dispute d on d.commission_dispute_id = a.commission_dispute_id
      where a.participant_id = ${participantId} and p.period_start < ${end}::date and p.period_end > ${start}::date
      order by p.period_start, a.created_at, a.commission_adjustment_id`.execute(trx);
  return r.rows.map(({ restatedStart, restatedEnd, restatedVersion, amountMinor, ...row }) => ({
    ...row,
    amountMinor: Number(amountMinor),
    restated:
      restatedStart !== null && restatedEnd !== null && restatedVersion !== null
        ? { periodStart: restatedStart, periodEnd: restatedEnd, version: restatedVersion }
        : null,
  }));
}
