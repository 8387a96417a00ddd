import { z } from 'zod';
import { amountMinor, currencyCode } from '../money.ts';

/**
 * The rules of the road: one versioned rule set that decides who owns an opportunity, which
 * registrations are eligible, who reviews them within what SLA, how long an approved registration
 * protects the partner, how conflicts are resolved, and how a deal is credited for compensation.
 * Stored as JSON on each version; this schema is its contract.
 */

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be a lower-case key such as managed_service')
  .describe('Key of a scenario, product line, region or tier');
/** null or an empty list means "any". */
const anyOf = z.array(key).max(100).nullable().default(null);

export const registrationFields = ['endCustomerDomain', 'endCustomerTaxId', 'endCustomerCountry', 'productLine', 'expectedCloseOn', 'description'] as const;
export const registrationField = z.enum(registrationFields);

export const eligibilityRule = z.strictObject({
  id: key,
  scenarios: anyOf,
  minValue: z
    .strictObject({ amountMinor: amountMinor.min(0), currency: currencyCode })
    .nullable()
    .default(null),
  requiredFields: z.array(registrationField).max(registrationFields.length).default([]),
  minTier: key.nullable().default(null).describe('Lowest partner tier allowed to register (tiers are ordered in `tiers`)'),
});

export const routeRule = z.strictObject({
  id: key,
  scenarios: anyOf,
  regions: anyOf,
  productLines: anyOf,
  tiers: anyOf,
  owningUnit: z.string().trim().min(1).max(120).describe('The team or unit that owns the answer, e.g. "Technology Services – Consulting"'),
  reviewerUserId: z.uuid().nullable().default(null).describe('A named reviewer; null routes to the unit queue'),
  escalationUserId: z.uuid().nullable().default(null).describe("Who hears about a breached SLA (the reviewer's manager by default)"),
  responseBusinessDays: z.number().int().min(1).max(30).describe('First response due within this many business days'),
});

/**
 * 0.45: on the labelled 10k-pair fixture (bench engagement.conflict-quality) the normalised match
 * keys give recall 99.3-99.4% and precision 96.6-97.2% over five seeds; 0.55 missed 2.5%.
 */
export const DEFAULT_NAME_SIMILARITY = 0.45;

export const conflictModes = ['first_to_register', 'value_added_preferred'] as const;
export const directAccountPolicies = ['excluded', 'shared', 'review'] as const;

export const creditingHint = z.strictObject({
  id: key,
  scenarios: anyOf,
  partnerSourcedMultiplierBps: z
    .number()
    .int()
    .min(0)
    .max(50_000)
    .describe('Multiplier on the direct seller credit for partner-sourced deals, in basis points (10000 = 1x)'),
  partnerInfluencedMultiplierBps: z.number().int().min(0).max(50_000),
  directSellerCredit: z.enum(['full', 'split', 'none']).describe('Whether the direct seller on the account is credited when a partner registered the deal'),
});

export const ruleSetContent = z
  .strictObject({
    tiers: z.array(key).min(1).max(20).describe('Partner tiers from lowest to highest'),
    eligibility: z.array(eligibilityRule).min(1).max(200),
    routes: z.array(routeRule).min(1).max(500),
    protection: z.strictObject({
      days: z.number().int().min(1).max(730).describe('How long an approved registration protects the partner'),
      extensionDays: z.number().int().min(0).max(365),
      maxExtensions: z.number().int().min(0).max(10),
      autoApproveWhenClear: z
        .boolean()
        .default(false)
        .describe('Approve at once an eligible registration that meets no conflict; otherwise it waits for its reviewer'),
    }),
    conflicts: z.strictObject({
      mode: z.enum(conflictModes),
      directOwnedAccounts: z.enum(directAccountPolicies).describe('What happens to a registration on an account the direct team owns'),
      nameSimilarity: z
        .number()
        .min(0.3)
        .max(1)
        .default(DEFAULT_NAME_SIMILARITY)
        .describe('Trigram similarity at which two end-customer names count as the same'),
    }),
    crediting: z.array(creditingHint).max(200).default([]),
  })
  .superRefine((rules, ctx) => {
    for (const [list, name] of [
      [rules.eligibility, 'eligibility'],
      [rules.routes, 'routes'],
      [rules.crediting, 'crediting'],
    ] as const) {
      const seen = new Set<string>();
      list.forEach((r, i) => {
        if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [name, i, 'id'], message: `duplicate id "${r.id}"` });
        seen.add(r.id);
      });
    }
    rules.eligibility.forEach((r, i) => {
      if (r.minTier && !rules.tiers.includes(r.minTier))
        ctx.addIssue({ code: 'custom', path: ['eligibility', i, 'minTier'], message: `"${r.minTier}" is not one of the tiers` });
    });
    rules.routes.forEach((r, i) => {
      for (const t of r.tiers ?? [])
        if (!rules.tiers.includes(t)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'tiers'], message: `"${t}" is not one of the tiers` });
    });
    if (!rules.routes.some((r) => !r.scenarios?.length && !r.regions?.length && !r.productLines?.length && !r.tiers?.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['routes'],
        message: 'needs a catch-all route (no scenario, region, product line or tier) so every registration gets an owner',
      });
    }
  });
export type RuleSetContent = z.output<typeof ruleSetContent>;
export type RouteRule = z.output<typeof routeRule>;
export type EligibilityRule = z.output<typeof eligibilityRule>;

export const ruleSetStatus = z.enum(['draft', 'published', 'retired']);
