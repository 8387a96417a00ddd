import type { ColumnType } from 'kysely';
import type { RecipientStatusName, RolloutStatusName } from '../../../common/api/comp-rollout.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** One per published plan version: its rollout clock (migration 0014). */
export interface CompPlanRolloutTable {
  compPlanRolloutId: string;
  compPlanVersionId: string;
  compPlanId: string;
  status: ColumnType<RolloutStatusName, RolloutStatusName | undefined, RolloutStatusName>;
  startedAt: Date;
  startedOn: string;
  startedByUserId: Nullable<string>;
  deadlineOn: string;
  reminderEveryDays: ColumnType<number, number | undefined, number>;
  escalateAfterReminders: ColumnType<number, number | undefined, number>;
  supersededAt: NullableTimestamp;
  updatedAt: Timestamp;
}

/** One participant a rollout goes to, and where they are with it. */
export interface CompRolloutRecipientTable {
  compRolloutRecipientId: string;
  compPlanRolloutId: string;
  compParticipantId: string;
  status: ColumnType<RecipientStatusName, RecipientStatusName | undefined, RecipientStatusName>;
  joinedLate: ColumnType<boolean, boolean | undefined, boolean>;
  dueOn: Nullable<string>;
  sentAt: Timestamp;
  notifiedAt: NullableTimestamp;
  openedAt: NullableTimestamp;
  acknowledgedAt: NullableTimestamp;
  disputedAt: NullableTimestamp;
  disputeComment: Nullable<string>;
  disputes: ColumnType<number, number | undefined, number>;
  resolvedAt: NullableTimestamp;
  resolvedByUserId: Nullable<string>;
  resolutionComment: Nullable<string>;
  remindersSent: ColumnType<number, number | undefined, number>;
  lastRemindedAt: NullableTimestamp;
  escalatedAt: NullableTimestamp;
  escalatedToUserId: Nullable<string>;
  updatedAt: Timestamp;
}
