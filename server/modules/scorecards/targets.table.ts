import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A per-subject target for one metric row of a scorecard (migration 0025). */
export interface ScorecardTargetTable {
  scorecardTargetId: string;
  scorecardId: string;
  metric: string;
  subjectKind: 'seller' | 'manager' | 'team' | 'unit' | 'partner' | 'partner_tier' | 'programme';
  subjectId: string;
  target: number;
  redFlag: number;
  note: ColumnType<string, string | undefined, string>;
  updatedBy: string;
  updatedByUserId: string | null;
  updatedAt: Timestamp;
}
