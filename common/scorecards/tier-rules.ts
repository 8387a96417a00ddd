import { z } from 'zod';
import { addDays } from '../dates.ts';
import type { ProblemIssue } from '../errors.ts';
import type { MetricDefinition } from './metric.ts';

/**
 * Partner tier rules as data (issue 6, item 3): an ordered list of tiers, lowest first, each with
 * requirements a partner must meet to hold it. A requirement is either
 *
 * - `metric`: a metric of the library computed for the partner (subject kind `partner`) over the
 *   trailing `windowMonths` months, compared with `min` (at least) or `max` (at most). Only counts,
 *   sums and ratios qualify: they re-aggregate exactly from monthly figures (a median does not);
 * - `attribute`: a figure recorded per partner by a channel manager (certified people, trained
 *   staff, customer satisfaction...), declared in `attributes`, compared the same way.
 *
 * `tierRulesProblems` is the semantic check run before the rules are saved (also in the browser);
 * `evaluateTierCompliance` is the pure evaluation: what a partner has against its tier and the next.
 */

export const TIER_RULES_FORMAT = 'realign.tier-rules/v1';

const key = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'lower-case letters, digits and _, starting with a letter');
const label = z.string().trim().min(1).max(120);
const threshold = z.number().finite().min(0).max(1e15);

export const tierComparisons = ['at_least', 'at_most'] as const;
export type TierComparison = (typeof tierComparisons)[number];

export const tierAttribute = z.strictObject({
  key,
  name: label,
  description: z.string().max(500).default(''),
  unit: z.enum(['count', 'number', 'ratio']).default('count'),
});
export type TierAttribute = z.output<typeof tierAttribute>;

const requirementBase = {
  key,
  label,
  comparison: z.enum(tierComparisons).default('at_least'),
  threshold: threshold.describe('The figure to reach (at_least) or not exceed (at_most); money in minor units, ratios as fractions'),
};

export const tierRequirement = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('metric'),
    ...requirementBase,
    metric: key.describe('A metric of the library computed per partner'),
    windowMonths: z.number().int().min(1).max(36).default(12),
  }),
  z.strictObject({ kind: z.literal('attribute'), ...requirementBase, attribute: key }),
]);
export type TierRequirement = z.output<typeof tierRequirement>;

export const tierDefinition = z.strictObject({
  key: key.describe('Matches the partner tier (partner.tier)'),
  name: label,
  requirements: z.array(tierRequirement).max(20).default([]),
});
export type TierDefinition = z.output<typeof tierDefinition>;

export const tierRules = z.strictObject({
  format: z.literal(TIER_RULES_FORMAT).default(TIER_RULES_FORMAT),
  name: label,
  source: z.string().max(500).default('').describe('Where the thresholds come from'),
  attributes: z.array(tierAttribute).max(30).default([]),
  tiers: z.array(tierDefinition).min(1).max(10).describe('Lowest tier first'),
});
export type TierRules = z.output<typeof tierRules>;
export type TierRulesInput = z.input<typeof tierRules>;

/** What the check needs to know of a metric (the library lives on the server; the browser has the list). */
export type MetricFacts = Pick<MetricDefinition, 'key' | 'name' | 'unit' | 'subjectKinds' | 'currency'> & {
  measure: { kind: MetricDefinition['measure']['kind'] };
};

/** Semantic problems of parsed rules, each with its path (`tiers[1].requirements[0].metric`). */
export function tierRulesProblems(rules: TierRules, metricOf: (key: string) => MetricFacts | undefined): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const seenAttr = new Set<string>();
  rules.attributes.forEach((a, i) => {
    if (seenAttr.has(a.key)) issues.push({ path: `attributes[${i}].key`, message: `attribute "${a.key}" is declared twice` });
    seenAttr.add(a.key);
  });
  const attributes = new Map(rules.attributes.map((a) => [a.key, a]));
  const seenTier = new Set<string>();
  rules.tiers.forEach((tier, ti) => {
    const at = `tiers[${ti}]`;
    if (seenTier.has(tier.key)) issues.push({ path: `${at}.key`, message: `tier "${tier.key}" appears twice` });
    seenTier.add(tier.key);
    const seenReq = new Set<string>();
    tier.requirements.forEach((r, ri) => {
      const rp = `${at}.requirements[${ri}]`;
      if (seenReq.has(r.key)) issues.push({ path: `${rp}.key`, message: `requirement "${r.key}" appears twice in ${tier.name}` });
      seenReq.add(r.key);
      let unit: string;
      if (r.kind === 'metric') {
        const m = metricOf(r.metric);
        if (!m) {
          issues.push({ path: `${rp}.metric`, message: `no metric "${r.metric}" in the library` });
          return;
        }
        if (!m.subjectKinds.includes('partner')) issues.push({ path: `${rp}.metric`, message: `${m.name} is not computed per partner` });
        if (m.measure.kind !== 'count' && m.measure.kind !== 'sum' && m.measure.kind !== 'ratio')
          issues.push({ path: `${rp}.metric`, message: `${m.name} is a ${m.measure.kind}: only counts, sums and ratios add up over a window` });
        unit = m.unit;
      } else {
        const a = attributes.get(r.attribute);
        if (!a) {
          issues.push({ path: `${rp}.attribute`, message: `no attribute "${r.attribute}" is declared` });
          return;
        }
        unit = a.unit;
      }
      if (unit === 'ratio' && r.threshold > 1) issues.push({ path: `${rp}.threshold`, message: 'a ratio threshold is a fraction between 0 and 1' });
      if ((unit === 'count' || unit === 'money') && !Number.isInteger(r.threshold))
        issues.push({ path: `${rp}.threshold`, message: unit === 'money' ? 'money is in whole minor units' : 'a count is a whole number' });
    });
  });
  return issues;
}

export type CheckedTierRules = { ok: true; rules: TierRules } | { ok: false; issues: ProblemIssue[] };

/** Parse and check in one go (paths relative to the rules document). */
export function checkTierRules(raw: unknown, metricOf: (key: string) => MetricFacts | undefined): CheckedTierRules {
  const parsed = tierRules.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  const issues = tierRulesProblems(parsed.data, metricOf);
  return issues.length ? { ok: false, issues } : { ok: true, rules: parsed.data };
}

/** The tier of the rules a partner's tier names (key or name, any case), or -1. */
export function tierIndex(rules: TierRules, partnerTier: string): number {
  const t = partnerTier.trim().toLowerCase();
  return rules.tiers.findIndex((x) => x.key === t || x.name.toLowerCase() === t);
}

/** [from, to) of the trailing window of `months` months ending with `asOf` (included). */
export function trailingWindow(asOf: string, months: number): { from: string; to: string } {
  const to = addDays(asOf, 1);
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const fy = Math.floor(total / 12);
  const fm = (total % 12) + 1;
  const last = new Date(Date.UTC(fy, fm, 0)).getUTCDate();
  const from = `${String(fy).padStart(4, '0')}-${String(fm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
  return { from, to };
}

/** A window's figure from monthly figures: counts and sums add up; a ratio is Σ numerators / Σ denominators. */
export function aggregateWindow(
  kind: 'count' | 'sum' | 'ratio',
  months: readonly { value: number | null; numerator: number | null; denominator: number | null }[],
): number | null {
  if (kind !== 'ratio') return months.reduce((s, r) => s + (r.value ?? 0), 0);
  const num = months.reduce((s, r) => s + (r.numerator ?? 0), 0);
  const den = months.reduce((s, r) => s + (r.denominator ?? 0), 0);
  return den === 0 ? null : num / den;
}

export type RequirementStatus = {
  key: string;
  label: string;
  kind: TierRequirement['kind'];
  source: string;
  unit: string;
  currency: string | null;
  comparison: TierComparison;
  threshold: number;
  windowMonths: number | null;
  actual: number | null;
  met: boolean;
  /** 0..1: how far along (1 when met). */
  progress: number;
  /** How much is missing (0 when met; null without a figure). */
  shortfall: number | null;
};

export type TierStatus = { key: string; name: string; met: number; total: number; requirements: RequirementStatus[] };

export type PartnerCompliance = {
  currentTier: TierStatus | null;
  /** The partner's tier as recorded, when the rules do not know it. */
  unknownTier: string | null;
  nextTier: TierStatus | null;
  /** The highest tier all of whose requirements (and those of every tier below) are met. */
  qualifiesFor: string | null;
  atRisk: boolean;
};

export type RequirementFacts = { unit: string; currency: string | null; source: string };

function statusOf(r: TierRequirement, actual: number | null, facts: RequirementFacts): RequirementStatus {
  const atLeast = r.comparison === 'at_least';
  const met = actual !== null && (atLeast ? actual >= r.threshold : actual <= r.threshold);
  let progress: number;
  if (met) progress = 1;
  else if (actual === null) progress = 0;
  else if (atLeast) progress = r.threshold === 0 ? 1 : Math.max(0, Math.min(1, actual / r.threshold));
  else progress = actual === 0 ? 1 : Math.max(0, Math.min(1, r.threshold / actual));
  const shortfall = actual === null ? null : met ? 0 : Math.abs(r.threshold - actual);
  return {
    key: r.key,
    label: r.label,
    kind: r.kind,
    source: facts.source,
    unit: facts.unit,
    currency: facts.currency,
    comparison: r.comparison,
    threshold: r.threshold,
    windowMonths: r.kind === 'metric' ? r.windowMonths : null,
    actual,
    met,
    progress,
    shortfall,
  };
}

/**
 * A partner's compliance. `actualOf(requirement)` gives the partner's figure (null: no data, which
 * never meets a requirement); `factsOf` its unit and source for display.
 */
export function evaluateTierCompliance(
  rules: TierRules,
  partnerTier: string,
  actualOf: (r: TierRequirement) => number | null,
  factsOf: (r: TierRequirement) => RequirementFacts,
): PartnerCompliance {
  const statuses = rules.tiers.map((t): TierStatus => {
    const requirements = t.requirements.map((r) => statusOf(r, actualOf(r), factsOf(r)));
    return { key: t.key, name: t.name, met: requirements.filter((x) => x.met).length, total: requirements.length, requirements };
  });
  let qualifiesFor: string | null = null;
  for (const s of statuses) {
    if (s.met !== s.total) break;
    qualifiesFor = s.key;
  }
  const i = tierIndex(rules, partnerTier);
  const currentTier = i >= 0 ? statuses[i]! : null;
  const nextTier = i >= 0 ? (statuses[i + 1] ?? null) : (statuses[0] ?? null);
  return {
    currentTier,
    unknownTier: i >= 0 ? null : partnerTier,
    nextTier,
    qualifiesFor,
    atRisk: currentTier !== null && currentTier.met < currentTier.total,
  };
}

/**
 * The default rule set: the shape of the Salesforce consulting partner programme (PY20/PY21 tiers
 * Registered, Silver, Gold, Platinum; an entry requirement of two certifications) with the
 * performance / skilling / customer-success categories of the Microsoft solutions partner
 * framework (net customer adds over a trailing 12 months; certified people; customer success).
 * Thresholds are ours, scaled to the tiers; see docs/scorecards.md and
 * ../shared/data/partner-program-tiers/PROVENANCE.md.
 */
export const defaultTierRulesInput: TierRulesInput = {
  name: 'Partner programme tiers',
  source: 'Shape after public programme criteria (Salesforce consulting partner PY20/PY21 tiers; Microsoft solutions partner categories)',
  attributes: [
    { key: 'certified_people', name: 'Certified people', description: 'People holding at least one current product certification', unit: 'count' },
    { key: 'certifications', name: 'Certifications', description: 'Current product certifications held, all people together', unit: 'count' },
    { key: 'customer_satisfaction', name: 'Customer satisfaction', description: 'Share of surveyed customers satisfied (0-1)', unit: 'ratio' },
  ],
  tiers: [
    {
      key: 'registered',
      name: 'Registered',
      requirements: [{ kind: 'attribute', key: 'certifications', label: 'Certifications', attribute: 'certifications', threshold: 2 }],
    },
    {
      key: 'silver',
      name: 'Silver',
      requirements: [
        { kind: 'attribute', key: 'certified_people', label: 'Certified people', attribute: 'certified_people', threshold: 2 },
        { kind: 'metric', key: 'won_value', label: 'Won value, last 12 months', metric: 'won_value', windowMonths: 12, threshold: 25_000_000 },
        { kind: 'metric', key: 'joint_calls', label: 'Joint partner calls, last 12 months', metric: 'joint_partner_calls', windowMonths: 12, threshold: 4 },
      ],
    },
    {
      key: 'gold',
      name: 'Gold',
      requirements: [
        { kind: 'attribute', key: 'certified_people', label: 'Certified people', attribute: 'certified_people', threshold: 5 },
        { kind: 'metric', key: 'won_value', label: 'Won value, last 12 months', metric: 'won_value', windowMonths: 12, threshold: 100_000_000 },
        { kind: 'metric', key: 'win_rate', label: 'Win rate, last 12 months', metric: 'win_rate', windowMonths: 12, threshold: 0.5 },
        { kind: 'attribute', key: 'csat', label: 'Customer satisfaction', attribute: 'customer_satisfaction', threshold: 0.8 },
      ],
    },
    {
      key: 'platinum',
      name: 'Platinum',
      requirements: [
        { kind: 'attribute', key: 'certified_people', label: 'Certified people', attribute: 'certified_people', threshold: 10 },
        { kind: 'metric', key: 'won_value', label: 'Won value, last 12 months', metric: 'won_value', windowMonths: 12, threshold: 250_000_000 },
        { kind: 'metric', key: 'win_rate', label: 'Win rate, last 12 months', metric: 'win_rate', windowMonths: 12, threshold: 0.6 },
        { kind: 'attribute', key: 'csat', label: 'Customer satisfaction', attribute: 'customer_satisfaction', threshold: 0.9 },
      ],
    },
  ],
};

export const defaultTierRules: TierRules = tierRules.parse(defaultTierRulesInput);
