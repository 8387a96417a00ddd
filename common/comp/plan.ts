import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { amountMinor, currencyCode, roundingModes } from '../money.ts';

/**
 * The compensation plan model: one declaration shared by the plan builder (comp-plans), plan files
 * (YAML/JSON, validated by the JSON Schema generated from this file), simulation and the period runs
 * of the commission engine (commissions). A plan *version* is one of these documents; the engine in
 * common/comp/engine.ts is the only interpreter of it.
 *
 * Units: money in integer minor units of the plan's currency; rates, multipliers and attainment in
 * basis points (10 000 bp = 100% = 1x). Dates are YYYY-MM-DD; every range is half-open [from, to).
 */

export const PLAN_FORMAT = 'realign.comp-plan/v1';

export const planKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be a lower-case key such as partner_sourced_bonus')
  .describe('Lower-case key: letters, digits and underscores, starting with a letter');

/** Product, scenario and segment keys are free text from the transaction store (e.g. "Road-150"). */
const attributeValue = z.string().trim().min(1).max(120);
/** null or absent = any value. */
const anyOf = z.array(attributeValue).min(1).max(200).nullable().default(null);

const bps = (max: number) => z.number().int('must be a whole number of basis points').min(0).max(max);
/** A commission rate: 0 to 100% (10 000 bp). */
export const rateBps = bps(10_000).describe('Rate in basis points: 250 = 2.5%');
/** A multiplier: 0x to 10x. 10 000 = 1x. */
export const multiplierBps = bps(100_000).describe('Multiplier in basis points: 10000 = 1x, 15000 = 1.5x');
/** Attainment of quota: 0% to 1000%. */
export const attainmentBps = bps(100_000).describe('Attainment of quota in basis points: 10000 = 100%');
const nonNegativeMinor = amountMinor.min(0, 'must not be negative');

/** How a credit line came to a participant (see common/comp/crediting.ts). */
export const creditKinds = ['direct', 'split', 'overlay', 'rollup'] as const;
export const creditKind = z.enum(creditKinds);
export type CreditKind = z.infer<typeof creditKind>;

/** Whether a partner brought the deal (registered it), helped close it, or was not involved. */
export const sourcings = ['direct', 'partner_sourced', 'partner_influenced'] as const;
export const sourcing = z.enum(sourcings);
export type Sourcing = z.infer<typeof sourcing>;

export const payoutPeriods = ['month', 'quarter', 'year'] as const;

/** Which credit lines a component (or the quota) counts. Every list: null = any. */
export const creditFilter = z
  .strictObject({
    creditKinds: z.array(creditKind).min(1).max(creditKinds.length).default(['direct', 'split', 'rollup']),
    products: anyOf,
    scenarios: anyOf,
    segments: anyOf,
    sourcings: z.array(sourcing).min(1).max(sourcings.length).nullable().default(null),
  })
  .describe('Which credit lines count: credit kinds, and optionally products, scenarios, customer segments and sourcing');
export type CreditFilter = z.output<typeof creditFilter>;
const defaultFilter = (): CreditFilter => ({ creditKinds: ['direct', 'split', 'rollup'], products: null, scenarios: null, segments: null, sourcings: null });

/**
 * A rate table entry. The most specific matching entry wins, as in a price list: more fields given
 * beats fewer; between entries naming as many fields, product beats scenario beats segment.
 */
export const rateTableEntry = z.strictObject({
  product: attributeValue.nullable().default(null),
  scenario: attributeValue.nullable().default(null),
  segment: attributeValue.nullable().default(null),
  rateBps,
});
export type RateTableEntry = z.output<typeof rateTableEntry>;

/**
 * A band of attainment [fromBps, toBps); toBps null = no upper end. An amount exactly on a
 * boundary belongs to the band that starts there (the higher one).
 */
export const tier = z.strictObject({
  fromBps: attainmentBps,
  toBps: attainmentBps.nullable(),
  rateBps: bps(100_000).describe('Rate (flat, marginal) or multiplier on the base rate (retroactive), in basis points'),
});
export type Tier = z.output<typeof tier>;

export const attainmentStep = z.strictObject({
  fromBps: attainmentBps,
  multiplierBps,
});
export type AttainmentStep = z.output<typeof attainmentStep>;

/**
 * A gate: the component pays nothing in a period unless every condition holds. Attainment is the
 * participant's quota attainment for the period; a metric is an accountability measure (scorecards).
 */
export const gate = z
  .strictObject({
    minAttainmentBps: attainmentBps.nullable().default(null),
    metrics: z
      .array(z.strictObject({ metric: planKey, min: z.number().finite() }))
      .max(10)
      .default([]),
  })
  .describe('Conditions that must all hold for the component to pay');
export type Gate = z.output<typeof gate>;

const partnerMultipliers = {
  partnerSourcedMultiplierBps: multiplierBps
    .default(10_000)
    .describe('Pay multiplier on credit from partner-sourced deals, so direct sellers are paid to bring partners in'),
  partnerInfluencedMultiplierBps: multiplierBps.default(10_000).describe('Pay multiplier on credit from partner-influenced deals'),
};

const componentBase = {
  key: planKey,
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
};
const capMinor = nonNegativeMinor.nullable().default(null).describe('Most this component pays a participant in one payout period');

/** Commission on credited value: one rate, or a rate table by product, scenario or segment. */
export const commissionComponent = z.strictObject({
  ...componentBase,
  kind: z.literal('commission'),
  credits: creditFilter.default(defaultFilter),
  rateBps: rateBps.describe('Rate when no rate table entry matches'),
  rateTable: z.array(rateTableEntry).max(500).default([]),
  ...partnerMultipliers,
  attainmentMultipliers: z
    .array(attainmentStep)
    .max(20)
    .default([])
    .describe('Multiplier on the whole component by quota attainment reached in the period (steps, from 0 up)'),
  gate: gate.nullable().default(null),
  capMinor,
});

export const tierModes = ['flat', 'marginal', 'retroactive'] as const;

/**
 * Tiered rates on attainment.
 * - flat ("tier payout", non-cumulative): the rate of the tier reached pays all credit in the window.
 * - marginal (cumulative): each band of attainment pays its own rate on the credit inside that band.
 * - retroactive (accelerators and decelerators): a base rate times the multiplier of the tier
 *   reached, applied back to the first unit of credit in the window; with a year-to-date window
 *   each period pays the difference to what earlier periods of the year already paid (a true-up).
 */
export const tieredComponent = z.strictObject({
  ...componentBase,
  kind: z.literal('tiered'),
  credits: creditFilter.default(defaultFilter),
  mode: z.enum(tierModes),
  window: z.enum(['period', 'year_to_date']).default('period').describe('Attainment measured over the payout period, or over the fiscal year to date'),
  baseRateBps: rateBps.nullable().default(null).describe('Base rate (retroactive mode only)'),
  tiers: z.array(tier).min(1).max(20),
  ...partnerMultipliers,
  gate: gate.nullable().default(null),
  capMinor,
});

/** A bonus of a share of a target incentive by attainment reached (a step table, not summed). */
export const bonusComponent = z.strictObject({
  ...componentBase,
  kind: z.literal('bonus'),
  targetIncentiveMinor: nonNegativeMinor.describe('What the bonus pays at 100% of its schedule'),
  schedule: z
    .array(z.strictObject({ fromBps: attainmentBps, payoutBps: bps(100_000) }))
    .min(1)
    .max(20)
    .describe('From each attainment reached, this share of the target incentive (steps from 0 up)'),
  gate: gate.nullable().default(null),
});

/**
 * An accountability: a measured activity or behaviour (a scorecards metric) paid as a weighted
 * component: target incentive x achievement (actual / target), nothing below the threshold,
 * achievement capped at capBps.
 */
export const accountabilityComponent = z.strictObject({
  ...componentBase,
  kind: z.literal('accountability'),
  metric: planKey.describe('Metric key, e.g. registrations_answered_within_sla_pct'),
  direction: z.enum(['higher_is_better', 'lower_is_better']).default('higher_is_better'),
  target: z.number().finite().positive(),
  targetIncentiveMinor: nonNegativeMinor,
  thresholdBps: bps(100_000).default(0).describe('Achievement below this pays nothing'),
  capBps: bps(100_000).default(10_000).describe('Achievement above this is paid as this'),
  gate: gate.nullable().default(null),
});

/** A time-boxed bonus for a product, scenario or sourcing: per deal, or a rate on credit. */
export const spiffComponent = z.strictObject({
  ...componentBase,
  kind: z.literal('spiff'),
  from: isoDate,
  to: isoDate.describe('First day no longer in the SPIFF (half-open)'),
  credits: creditFilter.default(defaultFilter),
  minDealValueMinor: nonNegativeMinor.default(0).describe('Deals credited below this value do not count'),
  perDealMinor: nonNegativeMinor.default(0),
  rateBps: rateBps.default(0),
  capMinor,
});

/**
 * A draw: an advance paid when a period's earnings fall short of it. Recoverable draws are paid
 * back from later earnings above the draw (at most recoveryBps of them per period); during the
 * guarantee periods at the participant's start the top-up is never recovered.
 */
export const drawComponent = z.strictObject({
  ...componentBase,
  kind: z.literal('draw'),
  amountMinor: nonNegativeMinor.describe('Draw per payout period'),
  recoverable: z.boolean(),
  guaranteePeriods: z.number().int().min(0).max(24).default(0),
  recoveryBps: bps(10_000).default(10_000),
});

export const planComponent = z.discriminatedUnion('kind', [
  commissionComponent,
  tieredComponent,
  bonusComponent,
  accountabilityComponent,
  spiffComponent,
  drawComponent,
]);
export type PlanComponent = z.output<typeof planComponent>;
export type CommissionComponent = z.output<typeof commissionComponent>;
export type TieredComponent = z.output<typeof tieredComponent>;
export type BonusComponent = z.output<typeof bonusComponent>;
export type AccountabilityComponent = z.output<typeof accountabilityComponent>;
export type SpiffComponent = z.output<typeof spiffComponent>;
export type DrawComponent = z.output<typeof drawComponent>;
export const componentKinds = ['commission', 'tiered', 'bonus', 'accountability', 'spiff', 'draw'] as const;
export type ComponentKind = (typeof componentKinds)[number];

export const planDocumentShape = z.strictObject({
  format: z.literal(PLAN_FORMAT).describe('Always realign.comp-plan/v1'),
  key: planKey,
  name: z.string().trim().min(1).max(160),
  description: z.string().trim().max(4000).default(''),
  currency: currencyCode,
  effectiveFrom: isoDate,
  effectiveTo: isoDate.nullable().default(null).describe('First day the plan no longer applies (half-open); null = open-ended'),
  payoutPeriod: z.enum(payoutPeriods).default('quarter'),
  fiscalYearStartMonth: z.number().int().min(1).max(12).default(1),
  rounding: z.enum(roundingModes).default('half_even').describe('The one rounding mode, applied once per payout line'),
  quota: z
    .strictObject({
      credits: creditFilter.default(defaultFilter),
      proration: z.enum(['daily', 'none']).default('daily').describe('Quota of a participant who starts or leaves mid-period, by days active'),
    })
    .default(() => ({ credits: defaultFilter(), proration: 'daily' as const })),
  crediting: z
    .strictObject({
      partnerCredit: z
        .enum(['rules_of_the_road', 'plan'])
        .default('rules_of_the_road')
        .describe("Who decides the direct seller's credit on partner deals: the published rules of the road (one rule set), or this plan"),
      directSellerCredit: z.enum(['full', 'split', 'none']).default('full').describe('When partnerCredit is plan'),
      partnerSourcedCreditBps: multiplierBps.default(10_000).describe('When partnerCredit is plan'),
      partnerInfluencedCreditBps: multiplierBps.default(10_000).describe('When partnerCredit is plan'),
      rollupLevels: z.number().int().min(0).max(3).default(0).describe('Managers above a seller credited with the seller credit (0-3 levels)'),
    })
    .default(() => ({
      partnerCredit: 'rules_of_the_road' as const,
      directSellerCredit: 'full' as const,
      partnerSourcedCreditBps: 10_000,
      partnerInfluencedCreditBps: 10_000,
      rollupLevels: 0,
    })),
  clawback: z
    .strictObject({
      policy: z.enum(['full', 'within_days', 'none']).default('full'),
      withinDays: z
        .number()
        .int()
        .min(1)
        .max(1095)
        .nullable()
        .default(null)
        .describe('policy within_days: refunds later than this after the sale are not clawed back'),
    })
    .default(() => ({ policy: 'full' as const, withinDays: null })),
  periodCapMinor: nonNegativeMinor.nullable().default(null).describe('Most the plan pays a participant in one payout period, draws aside'),
  components: z.array(planComponent).min(1, 'a plan needs at least one component').max(50),
});

export type PlanDocument = z.output<typeof planDocumentShape>;
export type PlanDocumentInput = z.input<typeof planDocumentShape>;

type Issue = { path: (string | number)[]; message: string };

function checkBands(bands: readonly { fromBps: number; toBps: number | null }[], path: (string | number)[], issues: Issue[]): void {
  if (bands.length === 0) return;
  if (bands[0]?.fromBps !== 0) issues.push({ path: [...path, 0, 'fromBps'], message: 'the first tier must start at 0' });
  bands.forEach((b, i) => {
    if (b.toBps !== null && b.toBps <= b.fromBps)
      issues.push({ path: [...path, i, 'toBps'], message: `ends at ${b.toBps} bp, not after it starts (${b.fromBps} bp)` });
    const next = bands[i + 1];
    if (next === undefined) {
      if (b.toBps !== null) issues.push({ path: [...path, i, 'toBps'], message: 'the last tier must be open-ended (toBps: null)' });
      return;
    }
    if (b.toBps === null) issues.push({ path: [...path, i, 'toBps'], message: 'only the last tier may be open-ended' });
    else if (next.fromBps < b.toBps) issues.push({ path: [...path, i + 1, 'fromBps'], message: `overlaps the tier before it (${b.fromBps}-${b.toBps} bp)` });
    else if (next.fromBps > b.toBps)
      issues.push({ path: [...path, i + 1, 'fromBps'], message: `leaves a gap after the tier before it (which ends at ${b.toBps} bp)` });
  });
}

function checkSteps(steps: readonly { fromBps: number }[], path: (string | number)[], issues: Issue[]): void {
  steps.forEach((s, i) => {
    const prev = steps[i - 1];
    if (i === 0 && s.fromBps !== 0) issues.push({ path: [...path, 0, 'fromBps'], message: 'the first step must start at 0' });
    if (prev && s.fromBps <= prev.fromBps) issues.push({ path: [...path, i, 'fromBps'], message: `must be above the step before it (${prev.fromBps} bp)` });
  });
}

/** Checks a parsed plan for what the shape alone cannot say; every problem with its path. */
export function planProblems(plan: PlanDocument): Issue[] {
  const issues: Issue[] = [];
  if (plan.effectiveTo !== null && plan.effectiveTo <= plan.effectiveFrom)
    issues.push({ path: ['effectiveTo'], message: `must be after effectiveFrom (${plan.effectiveFrom})` });
  const seen = new Map<string, number>();
  let draws = 0;
  plan.components.forEach((c, i) => {
    const at = ['components', i];
    const first = seen.get(c.key);
    if (first !== undefined) issues.push({ path: [...at, 'key'], message: `duplicate key "${c.key}" (also components[${first}])` });
    else seen.set(c.key, i);
    switch (c.kind) {
      case 'commission': {
        const matchers = new Map<string, number>();
        c.rateTable.forEach((e, j) => {
          const id = JSON.stringify([e.product, e.scenario, e.segment]);
          const dup = matchers.get(id);
          if (dup !== undefined) issues.push({ path: [...at, 'rateTable', j], message: `matches exactly what rateTable[${dup}] matches` });
          else matchers.set(id, j);
        });
        checkSteps(c.attainmentMultipliers, [...at, 'attainmentMultipliers'], issues);
        break;
      }
      case 'tiered':
        checkBands(c.tiers, [...at, 'tiers'], issues);
        if (c.mode === 'retroactive' && c.baseRateBps === null)
          issues.push({ path: [...at, 'baseRateBps'], message: 'a retroactive tier table needs a base rate; its tiers are multipliers on it' });
        if (c.mode !== 'retroactive' && c.baseRateBps !== null)
          issues.push({ path: [...at, 'baseRateBps'], message: 'only retroactive tier tables have a base rate' });
        if (c.mode !== 'retroactive')
          c.tiers.forEach((t, j) => {
            if (t.rateBps > 10_000) issues.push({ path: [...at, 'tiers', j, 'rateBps'], message: 'a rate cannot exceed 10000 bp (100%)' });
          });
        break;
      case 'bonus':
        checkSteps(c.schedule, [...at, 'schedule'], issues);
        break;
      case 'accountability':
        if (c.capBps < c.thresholdBps) issues.push({ path: [...at, 'capBps'], message: `must not be below the threshold (${c.thresholdBps} bp)` });
        break;
      case 'spiff':
        if (c.to <= c.from) issues.push({ path: [...at, 'to'], message: `must be after from (${c.from})` });
        if (c.perDealMinor === 0 && c.rateBps === 0) issues.push({ path: [...at], message: 'a SPIFF must pay something: perDealMinor or rateBps' });
        if (c.credits.creditKinds.includes('overlay'))
          issues.push({ path: [...at, 'credits', 'creditKinds'], message: 'a SPIFF pays the sellers on the deal, not overlays' });
        break;
      case 'draw':
        draws += 1;
        if (draws > 1) issues.push({ path: [...at], message: 'a plan has at most one draw' });
        break;
    }
  });
  if (plan.crediting.partnerCredit === 'rules_of_the_road') {
    const c = plan.crediting;
    if (c.directSellerCredit !== 'full' || c.partnerSourcedCreditBps !== 10_000 || c.partnerInfluencedCreditBps !== 10_000)
      issues.push({
        path: ['crediting', 'partnerCredit'],
        message: 'the rules of the road decide partner credit here: set partnerCredit to plan to use this plan’s own directSellerCredit and multipliers',
      });
  }
  return issues;
}

/** The plan document schema with the checks of planProblems: what files and the API validate against. */
export const planDocument = planDocumentShape.superRefine((plan, ctx) => {
  for (const issue of planProblems(plan)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/**
 * The most a plan can pay one participant in one payout period, or null when nothing bounds it
 * (an uncapped commission, tier table or SPIFF). Draws count: a draw pays at least its amount.
 */
export function maxPayoutPerPeriod(plan: PlanDocument): { amountMinor: number | null; unboundedBy: string | null } {
  let total = 0;
  let unboundedBy: string | null = null;
  let draw = 0;
  for (const c of plan.components) {
    switch (c.kind) {
      case 'commission':
      case 'tiered':
      case 'spiff':
        if (c.capMinor === null) unboundedBy ??= c.key;
        else total += c.capMinor;
        break;
      case 'bonus':
        total += Math.ceil((c.targetIncentiveMinor * Math.max(0, ...c.schedule.map((s) => s.payoutBps))) / 10_000);
        break;
      case 'accountability':
        total += Math.ceil((c.targetIncentiveMinor * c.capBps) / 10_000);
        break;
      case 'draw':
        draw = c.amountMinor;
        break;
    }
  }
  if (plan.periodCapMinor !== null)
    return { amountMinor: Math.max(Math.min(plan.periodCapMinor, unboundedBy ? plan.periodCapMinor : total), draw), unboundedBy: null };
  if (unboundedBy) return { amountMinor: null, unboundedBy };
  return { amountMinor: Math.max(total, draw), unboundedBy: null };
}

/** Problems with a plan against the organisation's payout ceiling per participant and period. */
export function ceilingProblems(plan: PlanDocument, ceilingMinor: number | null): Issue[] {
  if (ceilingMinor === null) return [];
  const max = maxPayoutPerPeriod(plan);
  if (max.amountMinor === null)
    return [
      {
        path: ['periodCapMinor'],
        message: `component "${max.unboundedBy}" has no cap, so the plan can pay without limit; the ceiling is ${ceilingMinor} minor units per period: set periodCapMinor or cap the component`,
      },
    ];
  if (max.amountMinor > ceilingMinor)
    return [
      {
        path: ['periodCapMinor'],
        message: `the plan can pay up to ${max.amountMinor} minor units per period, more than the ceiling of ${ceilingMinor}`,
      },
    ];
  return [];
}
