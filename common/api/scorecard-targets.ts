import { z } from 'zod';
import { metricDirections, metricUnits, subjectKinds, type SubjectKind } from '../scorecards/metric.ts';

/**
 * Per-subject targets (docs/scorecards.md, "Per-subject targets"): a target and red flag for one
 * metric row of a scorecard, set for one subject or for every partner of a tier, overriding the
 * scorecard definition's default for that subject. A subject's own row wins over its tier's.
 */

export const targetSubjectKinds = ['seller', 'manager', 'team', 'unit', 'partner', 'partner_tier', 'programme'] as const;
export type TargetSubjectKind = (typeof targetSubjectKinds)[number];

/** The subject kinds a scorecard accepts targets for: its roll-up levels, and partner tiers on a partner scorecard. */
export function targetKindsFor(levels: readonly SubjectKind[]): TargetSubjectKind[] {
  const kinds: TargetSubjectKind[] = targetSubjectKinds.filter((k) => (levels as readonly string[]).includes(k));
  if (levels.includes('partner')) kinds.push('partner_tier');
  return kinds;
}

export const scorecardTargetInput = z.strictObject({
  metric: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,59}$/)
    .describe('A metric row of the scorecard'),
  subjectKind: z.enum(targetSubjectKinds).describe('A level of the scorecard (seller, team ...) or partner_tier for every partner of a tier'),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .describe('Participant id or external reference; partner id or exact name; team or unit name; tier key; "programme"'),
  target: z.number().finite().describe('In the metric\u2019s unit (ratio 0.6 = 60%, money in minor units)'),
  redFlag: z.number().finite(),
  note: z.string().trim().max(500).default(''),
});
export type ScorecardTargetInput = z.output<typeof scorecardTargetInput>;

export const setScorecardTargetsRequest = z.strictObject({
  targets: z
    .array(scorecardTargetInput)
    .min(1)
    .max(2000)
    .describe('Saved together or not at all; an existing target of the same subject and metric is replaced'),
});

export const scorecardTargetView = z.object({
  id: z.uuid(),
  metric: z.string(),
  subjectKind: z.enum(targetSubjectKinds),
  subjectId: z.string(),
  subjectLabel: z.string(),
  target: z.number(),
  redFlag: z.number(),
  note: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type ScorecardTargetView = z.infer<typeof scorecardTargetView>;
export const scorecardTargetList = z.object({ items: z.array(scorecardTargetView) });

/** `subject_label` is written by the download for people reading the file; an import ignores it. */
export const targetCsvColumns = ['metric', 'subject_kind', 'subject', 'subject_label', 'target', 'red_flag', 'note'] as const;
export const requiredTargetCsvColumns = ['metric', 'subject_kind', 'subject', 'target', 'red_flag'] as const;

export const targetImportCommits = ['good_rows', 'all_or_nothing', 'none'] as const;
export type TargetImportCommit = (typeof targetImportCommits)[number];

export const importScorecardTargetsRequest = z.strictObject({
  csv: z
    .string()
    .min(1)
    .max(2_000_000)
    .describe(`CSV text; columns ${targetCsvColumns.join(', ')} (header line first; ${requiredTargetCsvColumns.join(', ')} required)`),
  commit: z
    .enum(targetImportCommits)
    .default('good_rows')
    .describe('good_rows: save the good rows, report the others; all_or_nothing: save only when every row is good; none: check and report only'),
});

export const targetImportReport = z.object({
  rows: z.number().int(),
  good: z.number().int().describe('Rows without a problem (saved, unchanged, or which would be saved when nothing was committed)'),
  committed: z.boolean().describe('Whether good rows were written (false for commit=none, and for all_or_nothing with a bad row)'),
  saved: z.number().int().describe('New or changed targets'),
  unchanged: z.number().int().describe('Rows equal to the target already stored'),
  rejected: z.number().int(),
  issues: z.array(z.object({ line: z.number().int(), column: z.string(), message: z.string() })),
});
export type TargetImportReport = z.infer<typeof targetImportReport>;

// ---------------------------------------------------------------------------------------------
// Which target applied: the scorecard default, a partner tier's or the subject's own

export const targetSources = ['default', 'tier', 'subject'] as const;
export type TargetSource = (typeof targetSources)[number];

const subjectParam = z.string().trim().min(1).max(120);
export const effectiveTargetsQuery = z.strictObject({
  level: z.enum(subjectKinds).optional().describe("A roll-up level of the scorecard (default: the scorecard's subject kind)"),
  subject: z
    .union([subjectParam, z.array(subjectParam).min(1).max(100)])
    .transform((s) => (Array.isArray(s) ? [...new Set(s)] : [s]))
    .describe('Subject ids at that level (as the scorecard result names them); repeat for several, at most 100'),
});

export const effectiveTarget = z.object({
  metric: z.string(),
  name: z.string(),
  unit: z.enum(metricUnits),
  currency: z.string().nullable(),
  direction: z.enum(metricDirections),
  applicable: z.boolean().describe('Whether the metric is computed at this level (no score otherwise)'),
  target: z.number(),
  redFlag: z.number(),
  source: z.enum(targetSources),
  /** The tier whose target applied (source tier). */
  tier: z.string().nullable(),
  /** The stored target that applied (null for the default). */
  targetId: z.uuid().nullable(),
  note: z.string(),
  defaultTarget: z.number(),
  defaultRedFlag: z.number(),
  reason: z.string().describe('Why this target applies, in words'),
});
export type EffectiveTarget = z.infer<typeof effectiveTarget>;

export const effectiveSubjectTargets = z.object({
  subjectId: z.string(),
  subjectLabel: z.string(),
  /** A partner's tier (partner level only). */
  tier: z.string().nullable(),
  metrics: z.array(effectiveTarget),
});
export type EffectiveSubjectTargets = z.infer<typeof effectiveSubjectTargets>;

export const effectiveTargetsResponse = z.object({
  scorecard: z.string(),
  level: z.enum(subjectKinds),
  subjects: z.array(effectiveSubjectTargets),
});
export type EffectiveTargetsResponse = z.infer<typeof effectiveTargetsResponse>;
