import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { problemIssue } from '../errors.ts';
import { ruleSetStatus } from './rules.ts';

/** The HTTP contract of the rules of the road: versions, publication, change log, plain text, acknowledgement. */

export const ruleSetVersionSummary = z.object({
  id: z.uuid(),
  version: z.number().int(),
  status: ruleSetStatus,
  title: z.string(),
  acknowledgeBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  /** When the signed-in user acknowledged this version, if they did. */
  myAcknowledgedAt: z.string().nullable(),
});
export type RuleSetVersionSummary = z.infer<typeof ruleSetVersionSummary>;

export const ruleSetVersionView = ruleSetVersionSummary.extend({
  releaseNotes: z.string(),
  /** The rule set (see the RuleSetContent schema); null for partner users, who read the plain-language text. */
  rules: z.record(z.string(), z.unknown()).nullable(),
  createdByName: z.string().nullable(),
  publishedByName: z.string().nullable(),
  /** For drafts: what stands in the way of publishing (empty when it is ready). */
  issues: z.array(problemIssue),
});
export type RuleSetVersionView = z.infer<typeof ruleSetVersionView>;

export const currentRulesView = z.object({ version: ruleSetVersionView.nullable() });

export const createRuleSetVersionRequest = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  releaseNotes: z.string().trim().max(10_000).optional(),
  from: z
    .enum(['default', 'current'])
    .default('current')
    .describe('Start from the default rule set, or from a copy of the version in force (the default when one exists)'),
});
export type CreateRuleSetVersionRequest = z.input<typeof createRuleSetVersionRequest>;

export const updateRuleSetVersionRequest = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  releaseNotes: z.string().trim().max(10_000).optional(),
  rules: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The whole rule set (RuleSetContent); every problem is reported with its path, e.g. rules.routes[2].tiers'),
});
export type UpdateRuleSetVersionRequest = z.input<typeof updateRuleSetVersionRequest>;

export const publishRuleSetVersionRequest = z.strictObject({
  acknowledgeBy: isoDate.nullable().default(null).describe('Date by which everyone should have acknowledged the new version'),
});
export type PublishRuleSetVersionRequest = z.input<typeof publishRuleSetVersionRequest>;

export const ruleChangesQuery = z.strictObject({
  from: z.uuid().optional().describe('The version to compare with; the nearest earlier version by default'),
});

export const ruleChangesView = z.object({
  from: z.object({ id: z.uuid(), version: z.number().int() }).nullable(),
  to: z.object({ id: z.uuid(), version: z.number().int() }),
  changes: z.array(z.string()),
});
export type RuleChangesView = z.infer<typeof ruleChangesView>;

export const plainSection = z.object({ title: z.string(), items: z.array(z.string()) });
export type PlainSection = z.infer<typeof plainSection>;

export const plainRulesView = z.object({
  id: z.uuid(),
  version: z.number().int(),
  status: ruleSetStatus,
  title: z.string(),
  publishedAt: z.string().nullable(),
  sections: z.array(plainSection),
});
export type PlainRulesView = z.infer<typeof plainRulesView>;

export const acknowledgementView = z.object({
  versionId: z.uuid(),
  acknowledgedAt: z.string(),
  /** False when the user had already acknowledged this version: nothing changed. */
  created: z.boolean(),
});

export const acknowledgementsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('At most this many rows in each list'),
});

const count = z.object({ acknowledged: z.number().int(), total: z.number().int() });
export const acknowledgementPerson = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  partnerId: z.uuid().nullable(),
  partnerName: z.string().nullable(),
  partnerTier: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type AcknowledgementPerson = z.infer<typeof acknowledgementPerson>;

export const acknowledgementDashboard = z.object({
  versionId: z.uuid(),
  version: z.number().int(),
  /** 'all' for the vendor's staff; 'partner' when a partner admin sees their own organisation only. */
  scope: z.enum(['all', 'partner']),
  internalUsers: count,
  partnerUsers: count,
  partners: count.describe('Active partners with at least one acknowledgement / all active partners'),
  byTier: z.array(z.object({ tier: z.string(), partners: z.number().int(), acknowledgedPartners: z.number().int() })),
  acknowledged: z.array(acknowledgementPerson),
  pending: z.array(acknowledgementPerson),
});
export type AcknowledgementDashboard = z.infer<typeof acknowledgementDashboard>;
