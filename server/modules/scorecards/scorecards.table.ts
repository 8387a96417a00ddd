import type { ColumnType } from 'kysely';
import type { OpportunityStage } from '../../../common/scorecards/metric.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A sales opportunity from a source system (CRM import), credited to one seller (a comp participant). */
export interface OpportunityTable {
  opportunityId: string;
  source: string;
  externalId: string;
  sellerParticipantId: string;
  accountName: Nullable<string>;
  accountId: Nullable<string>;
  product: Nullable<string>;
  stage: OpportunityStage;
  engageOn: Nullable<string>;
  closeOn: Nullable<string>;
  valueMinor: Nullable<number>;
  currency: string;
  partnerId: Nullable<string>;
  dealRegistrationId: Nullable<string>;
  scenario: Nullable<string>;
  forecastCategory: Nullable<string>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface ActivityTypeTable {
  key: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  createdAt: CreatedAt;
}

export type ActivitySourceName = 'manual' | 'csv' | 'derived';

export interface ActivityTable {
  activityId: string;
  kind: string;
  participantId: Nullable<string>;
  partnerId: Nullable<string>;
  occurredOn: string;
  quantity: ColumnType<number, number | undefined, number>;
  note: ColumnType<string, string | undefined, string>;
  source: ActivitySourceName;
  externalRef: Nullable<string>;
  loggedByUserId: Nullable<string>;
  createdAt: CreatedAt;
}

/** A stored metric definition: `definition` is one common/scorecards/metric.ts metricDefinition. */
export interface MetricDefinitionTable {
  metricDefinitionId: string;
  key: string;
  name: string;
  definition: ColumnType<unknown, string, string>;
  createdByUserId: Nullable<string>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** A scorecard definition: `definition` is one common/scorecards/scorecard.ts scorecardDefinition. */
export interface ScorecardTable {
  scorecardId: string;
  key: string;
  name: string;
  subjectKind: string;
  definition: ColumnType<unknown, string, string>;
  createdByUserId: Nullable<string>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** A computed scorecard frozen for publication (migration 0015: published rows refuse change). */
export interface ScorecardSnapshotTable {
  scorecardSnapshotId: string;
  scorecardId: string;
  scorecardKey: string;
  name: string;
  subjectKind: string;
  level: string;
  grain: string;
  periodStart: string;
  periodEnd: string;
  status: ColumnType<'draft' | 'published', 'draft' | 'published' | undefined, 'draft' | 'published'>;
  trigger: 'on_demand' | 'schedule';
  audiences: ColumnType<unknown, string, string>;
  partnerAudience: ColumnType<boolean, never, never>;
  definition: ColumnType<unknown, string, never>;
  periods: ColumnType<unknown, string, never>;
  metrics: ColumnType<unknown, string, never>;
  benchmarks: ColumnType<unknown, string, never>;
  /** Subjects per overall status (migration 0027): the total of a status filter. */
  statusCounts: ColumnType<unknown, string | undefined, never>;
  subjectCount: number;
  takenAt: Date;
  takenBy: string;
  takenByUserId: Nullable<string>;
  publishedAt: Nullable<Date>;
  publishedBy: Nullable<string>;
}

export interface ScorecardSnapshotRowTable {
  scorecardSnapshotId: string;
  subjectId: string;
  label: string;
  parentId: Nullable<string>;
  partnerId: Nullable<string>;
  partnerVisible: ColumnType<boolean, boolean | undefined, boolean>;
  rank: Nullable<number>;
  score: Nullable<number>;
  status: string;
  cells: ColumnType<unknown, string, never>;
  trend: ColumnType<unknown, string, never>;
  /** 1..n in rank order (rank, label, subject id): a page is a range of it (migration 0027). */
  position: ColumnType<number, number, never>;
  /** The row as the API shows it, serialised once (scorecardSubjectRow). */
  subjectJson: ColumnType<string, string, never>;
}
