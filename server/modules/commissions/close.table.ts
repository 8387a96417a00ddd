import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A payout period, open or closed (migration 0018). A closed row can no longer change (trigger). */
export interface CommissionPeriodTable {
  commissionPeriodId: string;
  periodStart: string;
  periodEnd: string;
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  closedRunId: Nullable<string>;
  closedByUserId: Nullable<string>;
  closedAt: Nullable<Date>;
  createdByUserId: string | null;
  createdAt: CreatedAt;
}

/** One version of a closed period's results: 1 the closing run, then each restatement. Insert only. */
export interface CommissionPeriodVersionTable {
  commissionPeriodId: string;
  version: number;
  commissionRunId: string;
  resultHash: string;
  kind: 'close' | 'restatement';
  createdByUserId: string | null;
  createdAt: CreatedAt;
}

/** A restatement's difference for one participant, booked in an open period. Insert only. */
export interface CommissionAdjustmentTable {
  participantId: string;
  commissionAdjustmentId: string;
  commissionPeriodId: string;
  currency: string;
  amountMinor: number;
  reason: string;
  /** The restated period and version; null for an adjustment booked by a dispute's resolution (migration 0020). */
  sourcePeriodId: string | null;
  sourceVersion: number | null;
  createdAt: CreatedAt;
}

/** Finance's approval of a closed period's payouts. Insert only, one per period. */
export interface CommissionPayoutApprovalTable {
  commissionPeriodId: string;
  approvedByUserId: string | null;
  approvedAt: CreatedAt;
}
