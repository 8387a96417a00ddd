import type { ColumnType } from 'kysely';
import type { DisputeEventKind, DisputeOutcome, DisputeStatus } from '../../../common/api/commissions-disputes.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A dispute case and its partner side (migration 0020). Partner users read their own partner's cases. */
export interface CommissionDisputeTable {
  commissionDisputeId: string;
  reference: string;
  status: ColumnType<DisputeStatus, DisputeStatus | undefined, DisputeStatus>;
  openedByUserId: string | null;
  openedByPartnerId: Nullable<string>;
  partnerId: Nullable<string>;
  dealRegistrationId: Nullable<string>;
  partnerSubject: Nullable<string>;
  partnerStatement: Nullable<string>;
  evidenceLinks: ColumnType<string[], string[] | undefined, string[]>;
  assigneeUserId: Nullable<string>;
  outcome: Nullable<DisputeOutcome>;
  resolutionNote: Nullable<string>;
  decidedInPeriodId: Nullable<string>;
  decidedByUserId: Nullable<string>;
  decidedAt: Nullable<Date>;
  mergedIntoId: Nullable<string>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** The seller side of a case: internal pay, never readable in the partner scope. */
export interface CommissionDisputeClaimTable {
  commissionDisputeId: string;
  participantId: string;
  subject: string;
  question: string;
  commissionRunId: Nullable<string>;
  lineIndex: Nullable<number>;
  linePeriodStart: Nullable<string>;
  linePeriodEnd: Nullable<string>;
  lineComponentKey: Nullable<string>;
  lineComponentName: Nullable<string>;
  lineAmountMinor: Nullable<number>;
  lineCurrency: Nullable<string>;
  salesTransactionId: Nullable<string>;
  transactionRef: Nullable<string>;
  claimedAmountMinor: Nullable<number>;
  claimedCurrency: Nullable<string>;
  createdAt: CreatedAt;
}

/** One event of a case's history. Insert only. */
export interface CommissionDisputeEventTable {
  commissionDisputeEventId: string;
  commissionDisputeId: string;
  seq: ColumnType<number, never, never>;
  at: Date;
  kind: DisputeEventKind;
  actorUserId: string | null;
  actorPartnerId: string | null;
  actorLabel: string;
  internalOnly: boolean;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus | null;
  body: string | null;
  /** jsonb, written as JSON text; internal-only events only. */
  detail: ColumnType<Record<string, unknown> | null, string | null, never>;
}
