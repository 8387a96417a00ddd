import { z } from 'zod';

/**
 * Per-subject targets (docs/scorecards.md, "Per-subject targets"): a target and red flag for one
 * metric row of a scorecard, set for one subject or for every partner of a tier, overriding the
 * scorecard definition's default for that subject. A subject's own row wins over its tier's.
 */

export const targetSubjectKinds = ['seller', 'manager', 'team', 'unit', 'partner', 'partner_tier', 'programme'] as const;
export type TargetSubjectKind = (typeof targetSubjectKinds)[number];

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

export const targetCsvColumns = ['metric', 'subject_kind', 'subject', 'target', 'red_flag', 'note'] as const;
export const requiredTargetCsvColumns = ['metric', 'subject_kind', 'subject', 'target', 'red_flag'] as const;

export const importScorecardTargetsRequest = z.strictObject({
  csv: z
    .string()
    .min(1)
    .max(2_000_000)
    .describe(`CSV text; columns ${targetCsvColumns.join(', ')} (header line first; ${requiredTargetCsvColumns.join(', ')} required)`),
});

export const targetImportReport = z.object({
  rows: z.number().int(),
  saved: z.number().int().describe('New or changed targets'),
  unchanged: z.number().int().describe('Rows equal to the target already stored'),
  rejected: z.number().int(),
  issues: z.array(z.object({ line: z.number().int(), column: z.string(), message: z.string() })),
});
export type TargetImportReport = z.infer<typeof targetImportReport>;
