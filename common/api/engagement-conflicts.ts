import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { registrationStatus } from './engagement-registrations.ts';
import { ruleSetContent } from './rules.ts';

/**
 * Channel conflicts: two claims on the same end customer (partner vs partner, or a partner vs an
 * account the direct team owns). Internal staff only: channel managers, the programme lead and
 * administrators. Partner users get 404 for every conflict route and never learn that a conflict
 * exists.
 */

export const conflictResolutions = ['award_new', 'award_existing', 'share', 'reject_new', 'dismissed'] as const;
export const conflictResolution = z.enum(conflictResolutions);
export type ConflictResolution = z.infer<typeof conflictResolution>;

export const conflictKind = z.enum(['partner_vs_partner', 'partner_vs_direct']);
export const conflictMatchReason = z.enum(['domain', 'tax_id', 'name', 'account']);
export const conflictStatus = z.enum(['open', 'resolved']);

/** The reason partners read when a resolution rejects or ends their registration: it names nobody. */
export const NEUTRAL_REASON_PREFERRED = 'Another registration was preferred under the rules of the road';
export const NEUTRAL_REASON_EARLIER = 'An earlier registration holds this opportunity under the rules of the road';

export const RESOLVE_DESCRIPTION = [
  'Resolves an open conflict with a recorded decision (note required). Effects, all in one transaction with row locks on the conflict and both registrations:',
  '- award_new: the new registration is no longer held by this conflict and proceeds: it stays submitted for its reviewer, or is approved at once when the rule set it was submitted under has protection.autoApproveWhenClear. The existing registration, if still pending (submitted, under review, more information requested), is rejected with the neutral reason "' +
    NEUTRAL_REASON_PREFERRED +
    '"; if it was approved, its protection ends today (protection_ends_on = today) and it becomes expired.',
  '- award_existing, reject_new: the new registration is rejected with the neutral reason "' +
    NEUTRAL_REASON_EARLIER +
    '" (if it had been approved meanwhile, its protection ends today and it becomes expired).',
  '- share: both registrations proceed (as award_new does for the new one; the existing one is untouched).',
  '- dismissed (a false positive): the new registration proceeds as if no conflict had been found.',
  'A registration with several open conflicts stays held (internally in_conflict) until all of them are resolved; it proceeds with the last one.',
  'Every status change writes a partner-visible registration event with the neutral reason (never naming the other side) and notifies the registration’s submitting user; each registration involved also gets an internal-only conflict_resolved event with the details. One audit entry per call.',
  'Resolving a conflict that is already resolved answers 409.',
].join('\n');

export const HEATMAP_DESCRIPTION = [
  'Where direct and partner activity overlap, for the period [from, to) (UTC calendar dates; default: the 180 days up to and including today).',
  'A customer is the matched account of a registration, or its normalised end-customer name when no account matched. A customer overlaps when it has partner registrations submitted in the period and either its account is owned by the direct team today, or at least two distinct partners registered it in the period, or a conflict was recorded on one of those registrations.',
  'Per customer: registrations in the period, distinct partners, direct-owned today, open conflicts, total registered value per currency (minor units).',
  'Cells count the registrations of overlapping customers in the period by scenario x country (the registration’s end-customer country, else the account’s, else "??") and by scenario x account segment ("unknown" without an account or segment).',
].join('\n');

export const conflictParty = z.object({
  registrationId: z.uuid(),
  reference: z.string(),
  partnerId: z.uuid(),
  partnerName: z.string(),
  scenario: z.object({ key: z.string(), name: z.string() }),
  status: registrationStatus,
  endCustomerName: z.string(),
  endCustomerDomain: z.string().nullable(),
  endCustomerCountry: z.string().nullable(),
  endCustomerTaxId: z.string().nullable(),
  productLine: z.string().nullable(),
  valueMinor: z.number().int(),
  currency: z.string(),
  submittedAt: z.string().nullable(),
  expectedCloseOn: z.string().nullable(),
  protectionEndsOn: z.string().nullable(),
  decidedAt: z.string().nullable(),
  inConflict: z.boolean(),
});
export type ConflictParty = z.infer<typeof conflictParty>;

export const conflictAccount = z.object({
  accountId: z.uuid(),
  name: z.string(),
  domain: z.string().nullable(),
  country: z.string().nullable(),
  /** Who owns the account today; null when nobody is recorded as owner. */
  currentOwner: z
    .object({
      kind: z.enum(['direct', 'channel', 'shared']),
      ownerUserName: z.string().nullable(),
      partnerName: z.string().nullable(),
      startsOn: z.string(),
    })
    .nullable(),
});
export type ConflictAccount = z.infer<typeof conflictAccount>;

export const conflictView = z.object({
  id: z.uuid(),
  kind: conflictKind,
  matchReason: conflictMatchReason,
  similarity: z.number().nullable(),
  status: conflictStatus,
  resolution: conflictResolution.nullable(),
  resolutionNote: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  /** Whole days the conflict has been (or was) open. */
  ageDays: z.number().int(),
  /** The registration whose submission found the conflict. */
  registration: conflictParty,
  /** partner_vs_partner: the other partner's registration. */
  other: conflictParty.nullable(),
  /** partner_vs_direct: the direct-owned account. */
  account: conflictAccount.nullable(),
});
export type ConflictView = z.infer<typeof conflictView>;

export const conflictDetail = conflictView.extend({
  /** The rule set the new registration was submitted under (null for registrations without one). */
  ruleSet: z
    .object({
      id: z.uuid(),
      version: z.number().int(),
      title: z.string(),
      conflicts: ruleSetContent.shape.conflicts,
      autoApproveWhenClear: z.boolean(),
      /** The conflict policy in plain words, as partners read it. */
      plain: z.array(z.string()),
    })
    .nullable(),
  /** What the policy suggests here, in plain words; channel managers still decide. */
  suggestion: z.string().nullable(),
});
export type ConflictDetail = z.infer<typeof conflictDetail>;

export const conflictListQuery = z.strictObject({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ConflictListQuery = z.output<typeof conflictListQuery>;

export const conflictList = z.object({ items: z.array(conflictView), total: z.number().int() });
export type ConflictList = z.infer<typeof conflictList>;

export const resolveConflictRequest = z.strictObject({
  resolution: conflictResolution,
  note: z.string().trim().min(1).max(2000),
});
export type ResolveConflictRequest = z.infer<typeof resolveConflictRequest>;

export const heatmapQuery = z
  .strictObject({
    from: isoDate.optional().describe('First day (inclusive), YYYY-MM-DD; default 180 days before to'),
    to: isoDate.optional().describe('Day after the period (exclusive), YYYY-MM-DD; default tomorrow'),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('Most customers listed (highest overlap first)'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (q.from && q.to && (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 > 1100)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period may span at most 1100 days' });
  });
export type HeatmapQuery = z.output<typeof heatmapQuery>;

export const heatmapCustomer = z.object({
  /** 'account:<uuid>' or 'name:<normalised name>'. */
  key: z.string(),
  accountId: z.uuid().nullable(),
  name: z.string(),
  country: z.string().nullable(),
  registrations: z.number().int(),
  partners: z.number().int(),
  directOwned: z.boolean(),
  openConflicts: z.number().int(),
  values: z.array(z.object({ currency: z.string(), totalMinor: z.number().int() })),
});
export type HeatmapCustomer = z.infer<typeof heatmapCustomer>;

export const heatmapCell = z.object({
  scenarioKey: z.string(),
  scenarioName: z.string(),
  /** Country code, or segment, by the grid. */
  column: z.string(),
  registrations: z.number().int(),
  customers: z.number().int(),
});
export type HeatmapCell = z.infer<typeof heatmapCell>;

export const conflictHeatmap = z.object({
  from: z.string(),
  to: z.string(),
  customers: z.array(heatmapCustomer),
  totalCustomers: z.number().int(),
  byCountry: z.array(heatmapCell),
  bySegment: z.array(heatmapCell),
});
export type ConflictHeatmap = z.infer<typeof conflictHeatmap>;
