import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { metricDirections, metricUnits, periodGrains, subjectKinds } from '../scorecards/metric.ts';
import { scorecardAudience, scorecardDefinition } from '../scorecards/scorecard.ts';
import { scoreStatuses } from '../scorecards/scoring.ts';

/**
 * Scorecards (issue 6, part two): definitions, a computed scorecard for a period (every subject of
 * the kind or of a roll-up level, scores, ranking, trend), and publication snapshots with their
 * audiences and history.
 */

export const scorecardView = z.object({
  key: z.string(),
  definition: scorecardDefinition,
  createdAt: z.string(),
  updatedAt: z.string(),
  snapshots: z.number().int().describe('Snapshots taken of it'),
  lastPublishedAt: z.string().nullable(),
});
export type ScorecardView = z.infer<typeof scorecardView>;
export const scorecardList = z.object({ items: z.array(scorecardView) });

export const saveScorecardRequest = scorecardDefinition;

/**
 * Paging through the subjects of a computed scorecard or of a snapshot (50k sellers are never sent
 * at once): a page in rank order (best first, unranked last, then by name), filtered by RAG status,
 * by name and by roll-up parent, with the number of subjects that match.
 */
export const subjectPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  status: z.enum(scoreStatuses).optional().describe('Only subjects whose overall status is this'),
  q: z.string().trim().min(1).max(200).optional().describe('Subjects whose name contains this (any case)'),
  parent: z.string().trim().min(1).max(200).optional().describe('Subjects of this roll-up parent (a team, a unit)'),
});
export type SubjectPageQuery = z.infer<typeof subjectPageQuery>;

export const scorecardComputeQuery = subjectPageQuery.extend({
  period: isoDate.optional().describe('Any day of the period (today by default)'),
  level: z.enum(subjectKinds).optional().describe('A roll-up level of the scorecard, i.e. the subject kind shown (the scorecard\u2019s own by default)'),
  refresh: z.enum(['true', 'false']).optional().describe('true: compute again now; otherwise a computation of the last few minutes is paged through'),
});
export type ScorecardComputeQuery = z.infer<typeof scorecardComputeQuery>;

export const scorecardMetricColumn = z.object({
  metric: z.string(),
  name: z.string(),
  unit: z.enum(metricUnits),
  direction: z.enum(metricDirections),
  currency: z.string().nullable(),
  weight: z.number(),
  target: z.number(),
  redFlag: z.number(),
  applicable: z.boolean().describe('False when the metric is not computed at this roll-up level'),
});
export type ScorecardMetricColumn = z.infer<typeof scorecardMetricColumn>;

export const scorecardCell = z.object({
  value: z.number().nullable(),
  score: z.number().nullable().describe('0-10, two decimals'),
  status: z.enum(scoreStatuses),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  rows: z.number().int(),
});
export type ScorecardCell = z.infer<typeof scorecardCell>;

export const scorecardTrendPoint = z.object({
  period: z.string(),
  score: z.number().nullable(),
  values: z.array(z.number().nullable()).describe('One per metric column, in order'),
});

export const scorecardSubjectRow = z.object({
  subjectId: z.string(),
  label: z.string(),
  parentId: z.string().nullable().describe('The subject one roll-up level up (a seller\u2019s team, a team\u2019s unit)'),
  partnerId: z.uuid().nullable(),
  rank: z.number().int().nullable(),
  score: z.number().nullable(),
  status: z.enum(scoreStatuses),
  cells: z.array(scorecardCell),
  trend: z.array(scorecardTrendPoint),
});
export type ScorecardSubjectRow = z.infer<typeof scorecardSubjectRow>;

export const scorecardResult = z.object({
  scorecard: z.string(),
  name: z.string(),
  subjectKind: z.enum(subjectKinds),
  level: z.enum(subjectKinds),
  levels: z.array(z.enum(subjectKinds)).describe('The roll-up chain: the levels this scorecard can be computed at'),
  grain: z.enum(periodGrains),
  periodStart: z.string(),
  periodEnd: z.string().describe('Exclusive'),
  periods: z.array(z.string()).describe('The trend periods, oldest first; the last is the period itself'),
  metrics: z.array(scorecardMetricColumn),
  subjects: z.array(scorecardSubjectRow).describe('One page, ranked best first; subjects without a score last'),
  computedAt: z.string(),
  resultId: z.uuid().describe('The computation paged through'),
  subjectCount: z.number().int().describe('Subjects in the computation'),
  total: z.number().int().describe('Subjects matching the filters'),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type ScorecardResult = z.infer<typeof scorecardResult>;

// ---------------------------------------------------------------------------------------------
// Publication

export const snapshotStatuses = ['draft', 'published'] as const;
export const snapshotTriggers = ['on_demand', 'schedule'] as const;

export const benchmarkView = z.object({ peers: z.number().int(), p25: z.number().nullable(), median: z.number().nullable(), p75: z.number().nullable() });
export type BenchmarkView = z.infer<typeof benchmarkView>;

export const snapshotView = z.object({
  id: z.uuid(),
  scorecard: z.string(),
  name: z.string(),
  subjectKind: z.enum(subjectKinds),
  level: z.enum(subjectKinds),
  grain: z.enum(periodGrains),
  periodStart: z.string(),
  periodEnd: z.string(),
  status: z.enum(snapshotStatuses),
  trigger: z.enum(snapshotTriggers),
  audiences: z.array(scorecardAudience),
  subjectCount: z.number().int(),
  takenAt: z.string(),
  takenBy: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});
export type SnapshotView = z.infer<typeof snapshotView>;
export const snapshotList = z.object({ items: z.array(snapshotView) });

export const snapshotListQuery = z.strictObject({
  scorecard: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,59}$/)
    .optional(),
  status: z.enum(snapshotStatuses).optional(),
});

export const snapshotDetail = snapshotView.extend({
  periods: z.array(z.string()),
  metrics: z.array(scorecardMetricColumn),
  benchmarks: z.object({ overall: benchmarkView, metrics: z.array(benchmarkView).describe('One per metric column') }),
  subjects: z.array(scorecardSubjectRow).describe('In rank order; a partner user gets its own row only'),
  partnerView: z.boolean().describe('True when shown to a partner: own row and anonymised benchmarks only'),
});
/** A whole snapshot (exports). */
export type SnapshotDetail = z.infer<typeof snapshotDetail>;

/** A snapshot as the API reads it: the header and one page of its subjects. */
export const snapshotPage = snapshotDetail.extend({
  subjects: z.array(scorecardSubjectRow).describe('One page in rank order; a partner user gets its own row only'),
  total: z.number().int().describe('Subjects matching the filters (a partner: its own row, 1)'),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type SnapshotPage = z.infer<typeof snapshotPage>;

export const takeSnapshotRequest = z.strictObject({
  scorecard: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/),
  period: isoDate.describe('Any day of the period'),
  level: z.enum(subjectKinds).optional(),
  audiences: z.array(scorecardAudience).max(10).optional().describe('The scorecard\u2019s audiences by default'),
  publish: z.boolean().default(false).describe('Publish at once (frozen from then on)'),
  background: z
    .boolean()
    .optional()
    .describe('true: computed by a background job whatever the size (large scorecards always are); the answer is the computation to follow'),
});
export type TakeSnapshotRequest = z.input<typeof takeSnapshotRequest>;

export const computationStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export const computationStages = ['computing', 'freezing', 'publishing'] as const;

/** A scorecard computed by the worker (a large one, or a snapshot asked for in the background): what a reader polls. */
export const scorecardComputationView = z.object({
  computationId: z.uuid(),
  kind: z.enum(['result', 'snapshot']).describe('result: the live figures; snapshot: a snapshot taken (and published when asked)'),
  scorecard: z.string(),
  level: z.enum(subjectKinds),
  periodStart: z.string(),
  status: z.enum(computationStatuses),
  stage: z.enum(computationStages).nullable().describe('What a running computation is doing'),
  estimatedSubjects: z.number().int(),
  subjectCount: z.number().int().nullable(),
  expectedMs: z.number().int().nullable().describe('How long the last completed computation of this scorecard and level took (null: none yet)'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  snapshotId: z.uuid().nullable(),
  error: z.string().nullable(),
});
export type ScorecardComputationView = z.infer<typeof scorecardComputationView>;

export function isComputation(x: object): x is ScorecardComputationView {
  return 'computationId' in x;
}

export const exportFormats = ['csv', 'xlsx', 'pdf'] as const;
export const snapshotExportQuery = z.strictObject({ format: z.enum(exportFormats) });
