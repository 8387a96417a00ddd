import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { tierComparisons, tierRules } from '../scorecards/tier-rules.ts';

/**
 * Partner tier compliance (issue 6, item 3): the tier rules, the figures recorded per partner, and
 * per partner what it has against its tier and the next. Internal readers see every partner; a
 * partner user sees its own compliance only (`/me`).
 */

export const tierRulesView = z.object({
  rules: tierRules,
  stored: z.boolean().describe('false: nothing saved yet, the built-in default applies'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type TierRulesView = z.infer<typeof tierRulesView>;

export const saveTierRulesRequest = tierRules;

export const partnerAttributeValue = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/),
  value: z.number().finite().min(0).max(1e12),
  note: z.string().trim().max(500).nullable().default(null),
  recordedOn: isoDate.optional().describe('Today by default'),
});

export const savePartnerAttributesRequest = z.strictObject({
  values: z.array(partnerAttributeValue).min(1).max(30),
});
export type SavePartnerAttributesRequest = z.input<typeof savePartnerAttributesRequest>;

export const partnerAttributeView = z.object({
  key: z.string(),
  name: z.string(),
  value: z.number(),
  note: z.string().nullable(),
  recordedOn: z.string(),
  updatedBy: z.string(),
});
export type PartnerAttributeView = z.infer<typeof partnerAttributeView>;

export const requirementStatusView = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['metric', 'attribute']),
  source: z.string().describe('The metric or attribute key'),
  unit: z.string(),
  currency: z.string().nullable(),
  comparison: z.enum(tierComparisons),
  threshold: z.number(),
  windowMonths: z.number().nullable(),
  actual: z.number().nullable(),
  met: z.boolean(),
  progress: z.number().describe('0..1'),
  shortfall: z.number().nullable(),
});
export type RequirementStatusView = z.infer<typeof requirementStatusView>;

export const tierStatusView = z.object({
  key: z.string(),
  name: z.string(),
  met: z.number(),
  total: z.number(),
  requirements: z.array(requirementStatusView),
});
export type TierStatusView = z.infer<typeof tierStatusView>;

export const partnerComplianceView = z.object({
  partnerId: z.string(),
  partnerName: z.string(),
  tier: z.string().describe('The tier recorded on the partner'),
  currentTier: tierStatusView.nullable(),
  unknownTier: z.string().nullable(),
  nextTier: tierStatusView.nullable(),
  qualifiesFor: z.string().nullable(),
  atRisk: z.boolean(),
  attributes: z.array(partnerAttributeView),
});
export type PartnerComplianceView = z.infer<typeof partnerComplianceView>;

export const tierComplianceQuery = z.strictObject({
  tier: z.string().max(60).optional(),
  atRisk: z.enum(['true', 'false']).optional(),
  asOf: isoDate.optional().describe('The day the trailing windows end (today by default)'),
});
export type TierComplianceQuery = z.input<typeof tierComplianceQuery>;

export const myTierComplianceQuery = z.strictObject({ asOf: isoDate.optional() });

export const tierComplianceList = z.object({
  asOf: z.string(),
  rulesName: z.string(),
  tiers: z.array(z.object({ key: z.string(), name: z.string() })),
  items: z.array(partnerComplianceView),
});
export type TierComplianceList = z.infer<typeof tierComplianceList>;

export const myTierCompliance = z.object({ asOf: z.string(), rulesName: z.string(), compliance: partnerComplianceView });
export type MyTierCompliance = z.infer<typeof myTierCompliance>;
