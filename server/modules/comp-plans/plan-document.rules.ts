import type { DocTable, PlanDocumentView } from '../../../common/api/comp-rollout.ts';
import { addDays } from '../../../common/dates.ts';
import { emptyPriorState, type CreditBucket, type ParticipantPeriodInput } from '../../../common/comp/engine-types.ts';
import { calculatePeriod, fiscalYearStart, formatAmount, formatMultiplier, formatPercent, payoutPeriods, proratedQuota } from '../../../common/comp/engine.ts';
import type { CreditFilter, Gate, PlanComponent, PlanDocument, Tier } from '../../../common/comp/plan.ts';
import { quotaForPeriod } from '../../../common/comp/simulate.ts';
import { applyBasisPoints, moneyOf } from '../../../common/money.ts';

/**
 * The readable plan document of one participant: a pure function of the plan version, the
 * participant, their assignment and quotas. Every amount in the examples comes from the engine
 * (calculatePeriod); nothing here computes pay. The HTML and PDF renderings read this structure.
 */

export type DocumentInput = {
  plan: PlanDocument;
  version: { id: string; planId: string; version: number; status: string; publishedAt: string | null };
  participant: {
    id: string;
    displayName: string;
    externalRef: string;
    team: string | null;
    unit: string | null;
    territory: string | null;
    managerName: string | null;
    activeFrom: string | null;
    activeTo: string | null;
  };
  assignment: { effectiveFrom: string; effectiveTo: string | null } | null;
  quotas: readonly { periodStart: string; periodEnd: string; amountMinor: number; currency: string }[];
  /** Today (YYYY-MM-DD): the examples use the payout period containing it when the plan covers it. */
  today: string;
};

/** The attainments the examples show. */
export const EXAMPLE_ATTAINMENTS_BPS = [5_000, 10_000, 15_000] as const;
/** At most this many payout periods are listed in the quota section (a year of months). */
const MAX_PERIODS = 12;

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2027-03-01 -> "1 March 2027". */
export function dateText(date: string): string {
  return `${Number(date.slice(8, 10))} ${monthNames[Number(date.slice(5, 7)) - 1] ?? ''} ${date.slice(0, 4)}`;
}

/** A half-open period [start, end) in words: its first and last day. */
export function periodText(start: string, end: string): string {
  return `${dateText(start)} – ${dateText(addDays(end, -1))}`;
}

const joinAnd = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;

const kindWords: Record<CreditFilter['creditKinds'][number], string> = {
  direct: 'your own deals',
  split: 'your share of split deals',
  overlay: 'deals you support as an overlay',
  rollup: 'the deals of the people who report to you',
};
const sourcingWords = { direct: 'direct', partner_sourced: 'partner-sourced', partner_influenced: 'partner-influenced' } as const;
const periodNoun = { month: 'month', quarter: 'quarter', year: 'year' } as const;
const kindLabels: Record<PlanComponent['kind'], string> = {
  commission: 'Commission',
  tiered: 'Tiered rates',
  bonus: 'Bonus',
  accountability: 'Accountability',
  spiff: 'SPIFF',
  draw: 'Draw',
};

function creditWords(f: CreditFilter): string {
  const parts = [`the value credited to you from ${joinAnd(f.creditKinds.map((k) => kindWords[k]))}`];
  if (f.sourcings) parts.push(`${joinAnd(f.sourcings.map((s) => sourcingWords[s]))} deals only`);
  if (f.products) parts.push(`products ${joinAnd(f.products)}`);
  if (f.scenarios) parts.push(`scenarios ${joinAnd(f.scenarios)}`);
  if (f.segments) parts.push(`customer segments ${joinAnd(f.segments)}`);
  return parts.join(', ');
}

function gateSentence(g: Gate | null): string | null {
  if (!g) return null;
  const conditions: string[] = [];
  if (g.minAttainmentBps !== null) conditions.push(`your attainment reaches ${formatPercent(g.minAttainmentBps)} of quota`);
  for (const m of g.metrics) conditions.push(`${m.metric} is at least ${m.min}`);
  if (conditions.length === 0) return null;
  return `Gate: it pays only in payout periods where ${joinAnd(conditions)}.`;
}

function partnerSentence(c: { partnerSourcedMultiplierBps: number; partnerInfluencedMultiplierBps: number }): string | null {
  const parts: string[] = [];
  if (c.partnerSourcedMultiplierBps !== 10_000) parts.push(`credit from partner-sourced deals counts ×${formatMultiplier(c.partnerSourcedMultiplierBps)}`);
  if (c.partnerInfluencedMultiplierBps !== 10_000)
    parts.push(`credit from partner-influenced deals counts ×${formatMultiplier(c.partnerInfluencedMultiplierBps)}`);
  return parts.length > 0 ? `Working with partners pays: ${joinAnd(parts)}.` : null;
}

function bandTable(caption: string, tiers: readonly Tier[], valueHeading: string, value: (t: Tier) => string): DocTable {
  return {
    caption,
    columns: ['From attainment', 'Up to (not including)', valueHeading],
    rows: tiers.map((t) => [formatPercent(t.fromBps), t.toBps === null ? 'no upper limit' : formatPercent(t.toBps), value(t)]),
  };
}

type ComponentText = { sentences: string[]; tables: DocTable[] };

function describeComponent(c: PlanComponent, plan: PlanDocument): ComponentText {
  const money = (n: number) => formatAmount(n, plan.currency);
  const period = periodNoun[plan.payoutPeriod];
  const sentences: string[] = [];
  const tables: DocTable[] = [];
  const cap = (capMinor: number | null) => {
    if (capMinor !== null) sentences.push(`Cap: it pays at most ${money(capMinor)} per ${period}.`);
  };
  const push = (s: string | null) => {
    if (s) sentences.push(s);
  };
  switch (c.kind) {
    case 'commission': {
      sentences.push(`You earn ${formatPercent(c.rateBps)} of ${creditWords(c.credits)}.`);
      if (c.rateTable.length > 0) {
        sentences.push('Some products, scenarios or segments have their own rate; the most specific entry that matches a deal applies.');
        tables.push({
          caption: `${c.name}: rates`,
          columns: ['Product', 'Scenario', 'Segment', 'Rate'],
          rows: c.rateTable.map((e) => [e.product ?? 'any', e.scenario ?? 'any', e.segment ?? 'any', formatPercent(e.rateBps)]),
        });
      }
      push(partnerSentence(c));
      if (c.attainmentMultipliers.length > 0) {
        sentences.push(`The whole commission of a ${period} is multiplied by a factor that depends on your attainment of quota in that ${period}.`);
        tables.push({
          caption: `${c.name}: multipliers by attainment`,
          columns: ['From attainment', 'Multiplier'],
          rows: c.attainmentMultipliers.map((s) => [formatPercent(s.fromBps), `×${formatMultiplier(s.multiplierBps)}`]),
        });
      }
      push(gateSentence(c.gate));
      cap(c.capMinor);
      break;
    }
    case 'tiered': {
      const window = c.window === 'year_to_date' ? 'your attainment of quota over the fiscal year to date' : `your attainment of quota in the ${period}`;
      if (c.mode === 'marginal')
        sentences.push(`Each band of ${window} pays its own rate on the credit that falls inside that band (${creditWords(c.credits)}).`);
      else if (c.mode === 'flat') sentences.push(`The rate of the band that ${window} reaches pays on all of the credit (${creditWords(c.credits)}).`);
      else
        sentences.push(
          `A base rate of ${formatPercent(c.baseRateBps ?? 0)} applies to ${creditWords(c.credits)}, multiplied by the factor of the band that ${window} reaches, back to the first unit of credit.`,
        );
      if (c.window === 'year_to_date') sentences.push(`Each ${period} pays the difference to what earlier ${period}s of the fiscal year paid.`);
      sentences.push('An attainment exactly on a band boundary belongs to the higher band.');
      tables.push(
        c.mode === 'retroactive'
          ? bandTable(`${c.name}: multipliers`, c.tiers, 'Multiplier on the base rate', (t) => `×${formatMultiplier(t.rateBps)}`)
          : bandTable(`${c.name}: rates`, c.tiers, 'Rate', (t) => formatPercent(t.rateBps)),
      );
      push(partnerSentence(c));
      push(gateSentence(c.gate));
      cap(c.capMinor);
      break;
    }
    case 'bonus':
      sentences.push(
        `A bonus with a target incentive of ${money(c.targetIncentiveMinor)} per ${period}: the step your attainment reaches pays its share of the target (steps are not added up).`,
      );
      tables.push({
        caption: `${c.name}: schedule`,
        columns: ['From attainment', 'Share of the target', 'Pays'],
        rows: c.schedule.map((s) => [
          formatPercent(s.fromBps),
          formatPercent(s.payoutBps),
          money(applyBasisPoints(moneyOf(c.targetIncentiveMinor, plan.currency), s.payoutBps, plan.rounding).amountMinor),
        ]),
      });
      push(gateSentence(c.gate));
      break;
    case 'accountability':
      sentences.push(
        `Measured by ${c.metric} against a target of ${c.target} (${c.direction === 'higher_is_better' ? 'higher is better' : 'lower is better'}): it pays ${money(c.targetIncentiveMinor)} per ${period} times your achievement of the target.`,
      );
      if (c.thresholdBps > 0) sentences.push(`Below ${formatPercent(c.thresholdBps)} of the target it pays nothing.`);
      sentences.push(`Achievement above ${formatPercent(c.capBps)} is paid as ${formatPercent(c.capBps)}.`);
      push(gateSentence(c.gate));
      break;
    case 'spiff': {
      const pays: string[] = [];
      if (c.perDealMinor > 0) pays.push(`${money(c.perDealMinor)} per deal`);
      if (c.rateBps > 0) pays.push(`${formatPercent(c.rateBps)} of the credit`);
      sentences.push(`From ${dateText(c.from)} to ${dateText(addDays(c.to, -1))}: ${joinAnd(pays)} on ${creditWords(c.credits)}.`);
      if (c.minDealValueMinor > 0) sentences.push(`Deals credited below ${money(c.minDealValueMinor)} do not count.`);
      sentences.push('SPIFF payments are not clawed back.');
      cap(c.capMinor);
      break;
    }
    case 'draw':
      sentences.push(
        `When your earnings of a ${period} fall short of ${money(c.amountMinor)}, the difference is paid to you as a draw${c.recoverable ? ' and recovered from later earnings above the draw' : ' and never recovered'}.`,
      );
      if (c.recoverable) sentences.push(`At most ${formatPercent(c.recoveryBps)} of such later earnings go to recovering the draw in one ${period}.`);
      if (c.guaranteePeriods > 0)
        sentences.push(
          `Your first ${c.guaranteePeriods} ${period}${c.guaranteePeriods === 1 ? '' : 's'} on the plan are guaranteed: a top-up in ${c.guaranteePeriods === 1 ? 'it' : 'them'} is never recovered.`,
        );
      break;
  }
  return { sentences, tables };
}

function maxDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
function minDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** The payout periods the document covers: the plan version and assignment together (a fiscal year when open-ended), a year of periods at most. */
export function documentPeriods(input: Pick<DocumentInput, 'plan' | 'assignment'>): { start: string; end: string }[] {
  const from = maxDate(input.plan.effectiveFrom, input.assignment?.effectiveFrom ?? null) ?? input.plan.effectiveFrom;
  // Open-ended: to the end of the fiscal year the document starts in.
  const fyStart = fiscalYearStart(input.plan, from);
  const to = minDate(input.plan.effectiveTo, input.assignment?.effectiveTo ?? null) ?? `${String(Number(fyStart.slice(0, 4)) + 1)}${fyStart.slice(4)}`;
  return payoutPeriods(input.plan, from, to).slice(0, MAX_PERIODS);
}

/** Credit attributes that the plan's quota counts: the examples' credit always counts toward quota. */
function exampleAttributes(f: CreditFilter): Omit<CreditBucket, 'creditMinor' | 'deals' | 'clawback' | 'spiffKeys'> {
  return {
    kind: f.creditKinds.includes('direct') ? 'direct' : (f.creditKinds[0] ?? 'direct'),
    sourcing: f.sourcings === null || f.sourcings.includes('direct') ? 'direct' : (f.sourcings[0] ?? 'direct'),
    product: f.products?.[0] ?? null,
    scenario: f.scenarios?.[0] ?? null,
    segment: f.segments?.[0] ?? null,
  };
}

/** Accountabilities met at their target and gate metrics at their minimum: what the examples assume. */
export function exampleMetrics(plan: PlanDocument): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const c of plan.components) {
    if (c.kind === 'accountability') metrics[c.metric] = c.target;
    if ('gate' in c && c.gate) for (const m of c.gate.metrics) metrics[m.metric] = Math.max(metrics[m.metric] ?? m.min, m.min);
  }
  return metrics;
}

/** The engine input of one example: credit of attainment x the prorated quota, as one bucket the quota counts. */
export function exampleInput(
  plan: PlanDocument,
  p: { participantId: string; periodStart: string; periodEnd: string; quotaMinor: number; activeFrom: string | null; activeTo: string | null },
  attainmentBps: number,
): ParticipantPeriodInput {
  const base = {
    participantId: p.participantId,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    quotaMinor: p.quotaMinor,
    activeFrom: p.activeFrom,
    activeTo: p.activeTo,
  };
  const prorated = proratedQuota(plan, base) ?? 0;
  const creditMinor = applyBasisPoints(moneyOf(prorated, plan.currency), attainmentBps, 'down').amountMinor;
  const buckets: CreditBucket[] = creditMinor > 0 ? [{ ...exampleAttributes(plan.quota.credits), clawback: false, spiffKeys: [], creditMinor, deals: 1 }] : [];
  return { ...base, metrics: exampleMetrics(plan), buckets, prior: emptyPriorState() };
}

function terms(plan: PlanDocument): string[] {
  const out: string[] = [];
  const period = periodNoun[plan.payoutPeriod];
  out.push(
    `Payout: you are paid per ${period}; the fiscal year starts in ${monthNames[plan.fiscalYearStartMonth - 1] ?? 'January'}. Amounts are in ${plan.currency}.`,
  );
  if (plan.crediting.partnerCredit === 'rules_of_the_road')
    out.push('Partner deals: the credit you receive on partner-sourced and partner-influenced deals follows the published rules of the road.');
  else {
    const how = { full: 'your full share of the deal', split: 'half of the deal, shared by the sellers on it', none: 'no credit' }[
      plan.crediting.directSellerCredit
    ];
    out.push(
      `Partner deals: on a partner-sourced deal you receive ${how} ×${formatMultiplier(plan.crediting.partnerSourcedCreditBps)}; on a partner-influenced deal ×${formatMultiplier(plan.crediting.partnerInfluencedCreditBps)}.`,
    );
  }
  if (plan.crediting.rollupLevels > 0)
    out.push(
      `Managers are credited with the deals of the people who report to them, up to ${plan.crediting.rollupLevels} level${plan.crediting.rollupLevels === 1 ? '' : 's'} down.`,
    );
  if (plan.clawback.policy === 'full')
    out.push('Clawback: when a deal you were paid for is refunded or cancelled, what it paid is taken back from a later payout.');
  else if (plan.clawback.policy === 'within_days')
    out.push(
      `Clawback: when a deal you were paid for is refunded or cancelled within ${plan.clawback.withinDays ?? 0} days of the sale, what it paid is taken back from a later payout; later refunds are not clawed back.`,
    );
  else out.push('Clawback: refunds and cancellations are not taken back from your pay.');
  const draw = plan.components.find((c) => c.kind === 'draw');
  if (draw && draw.kind === 'draw')
    out.push(
      `Draw: ${formatAmount(draw.amountMinor, plan.currency)} per ${period}, ${draw.recoverable ? 'recoverable from later earnings' : 'not recoverable'} (see “${draw.name}” above).`,
    );
  else out.push('Draw: this plan has no draw.');
  if (plan.periodCapMinor !== null) out.push(`The plan pays you at most ${formatAmount(plan.periodCapMinor, plan.currency)} per ${period}, draws aside.`);
  const rounding = {
    half_even: 'to the nearest minor unit (halves to the even one)',
    half_up: 'to the nearest minor unit (halves up)',
    down: 'down to the minor unit',
    up: 'up to the minor unit',
  }[plan.rounding];
  out.push(`Rounding: each payout line is rounded once, ${rounding}.`);
  out.push(
    'This document explains your plan; the plan version it names is what your pay is calculated from. Quotas and assignments may be updated, in which case you receive a new document.',
  );
  return out;
}

/** The structured plan document of one participant. */
export function renderPlanDocument(input: DocumentInput): PlanDocumentView {
  const { plan, participant, assignment } = input;
  const money = (n: number) => formatAmount(n, plan.currency);
  const activeFrom = maxDate(participant.activeFrom, assignment?.effectiveFrom ?? null);
  const activeTo = minDate(participant.activeTo, assignment?.effectiveTo ?? null);

  const overview: string[] = [];
  overview.push(`This is the compensation plan of ${participant.displayName} (${participant.externalRef}): “${plan.name}”, version ${input.version.version}.`);
  if (plan.description) overview.push(plan.description);
  overview.push(
    `The plan applies from ${dateText(plan.effectiveFrom)}${plan.effectiveTo ? ` until ${dateText(addDays(plan.effectiveTo, -1))}` : ' until it is replaced'}.`,
  );
  if (assignment)
    overview.push(
      `You are on it from ${dateText(assignment.effectiveFrom)}${assignment.effectiveTo ? ` until ${dateText(addDays(assignment.effectiveTo, -1))}` : ''}.`,
    );
  const org = [
    participant.team && `team ${participant.team}`,
    participant.unit && `unit ${participant.unit}`,
    participant.territory && `territory ${participant.territory}`,
  ]
    .filter(Boolean)
    .join(', ');
  if (org) overview.push(`Your organisation: ${org}.`);
  if (participant.managerName) overview.push(`Your manager: ${participant.managerName}.`);
  overview.push(
    `It has ${plan.components.length} component${plan.components.length === 1 ? '' : 's'}: ${joinAnd(plan.components.map((c) => c.name))}. You are paid per ${periodNoun[plan.payoutPeriod]}.`,
  );

  const components = plan.components.map((c) => ({
    key: c.key,
    name: c.name,
    kind: c.kind,
    kindLabel: kindLabels[c.kind],
    description: c.description,
    ...describeComponent(c, plan),
  }));

  // Quota: each payout period the document covers, full and prorated by the days you are active.
  const entries = input.quotas.filter((q) => q.currency === plan.currency).map((q) => ({ start: q.periodStart, end: q.periodEnd, value: q.amountMinor }));
  const periods = documentPeriods(input).map((p) => {
    const quotaMinor = quotaForPeriod(entries, p.start, p.end, plan.currency);
    const proratedMinor = proratedQuota(plan, { quotaMinor, periodStart: p.start, periodEnd: p.end, activeFrom, activeTo });
    return {
      start: p.start,
      end: p.end,
      label: periodText(p.start, p.end),
      quotaMinor,
      proratedMinor,
      quotaText: quotaMinor === null ? 'not set' : money(quotaMinor),
      proratedText: proratedMinor === null ? 'not set' : money(proratedMinor),
    };
  });
  const quotaSentences = [`Your quota counts ${creditWords(plan.quota.credits)}. Attainment is that credit divided by your quota.`];
  quotaSentences.push(
    plan.quota.proration === 'daily'
      ? 'When you join or leave during a payout period, your quota for it is prorated by the days you are on the plan.'
      : 'Your quota is not prorated when you join or leave during a payout period.',
  );
  if (input.quotas.some((q) => q.currency !== plan.currency))
    quotaSentences.push(`Quotas in a currency other than ${plan.currency} are not shown; ask your compensation administrator.`);
  if (periods.every((p) => p.quotaMinor === null)) quotaSentences.push('No quota is set for you for these periods yet.');

  // Examples: the engine's pay at 50 %, 100 % and 150 % of the quota of one period.
  const withQuota = periods.filter((p) => p.quotaMinor !== null && (p.proratedMinor ?? 0) > 0);
  const examplePeriod = withQuota.find((p) => p.start <= input.today && input.today < p.end) ?? withQuota[0];
  let examples: PlanDocumentView['examples'] = null;
  let examplesNote: string | null = null;
  if (!examplePeriod || examplePeriod.quotaMinor === null) {
    examplesNote = 'Examples of what you would earn at 50 %, 100 % and 150 % of quota appear here once your quota is set.';
  } else {
    const quotaMinor = examplePeriod.quotaMinor;
    const assumptions = [
      `The ${periodNoun[plan.payoutPeriod]} ${examplePeriod.label}, with your quota of ${examplePeriod.proratedText}${examplePeriod.proratedMinor !== quotaMinor ? ` (prorated from ${examplePeriod.quotaText})` : ''}.`,
      'All credit comes from your own direct deals that count toward quota; no refunds.',
    ];
    if (plan.components.some((c) => c.kind === 'spiff')) assumptions.push('SPIFFs are left out: they depend on the particular deals.');
    if (plan.components.some((c) => c.kind === 'accountability' || ('gate' in c && c.gate !== null && c.gate.metrics.length > 0)))
      assumptions.push('Accountabilities are met exactly at their target, and gate metrics at their minimum.');
    if (plan.components.some((c) => c.kind === 'draw')) assumptions.push('It is your first payout period on the plan.');
    const cases = EXAMPLE_ATTAINMENTS_BPS.map((bps) => {
      const exampleIn = exampleInput(
        plan,
        { participantId: participant.id, periodStart: examplePeriod.start, periodEnd: examplePeriod.end, quotaMinor, activeFrom, activeTo },
        bps,
      );
      const r = calculatePeriod(plan, exampleIn);
      const creditMinor = exampleIn.buckets.reduce((s, b) => s + b.creditMinor, 0);
      return {
        label: `At ${formatPercent(bps)} of quota`,
        targetAttainmentBps: bps,
        creditMinor,
        creditText: money(creditMinor),
        attainmentBps: r.attainmentBps,
        totalMinor: r.totalMinor,
        totalText: money(r.totalMinor),
        lines: r.lines.map((l) => ({
          componentName: l.componentName,
          kind: l.kind,
          amountMinor: l.amountMinor,
          amountText: money(l.amountMinor),
          explanation: l.explanation,
        })),
      };
    });
    examples = { period: { start: examplePeriod.start, end: examplePeriod.end, label: examplePeriod.label }, quotaMinor, assumptions, cases };
  }

  return {
    title: `${plan.name} — ${participant.displayName}`,
    generatedOn: input.today,
    plan: {
      id: input.version.planId,
      key: plan.key,
      name: plan.name,
      description: plan.description,
      versionId: input.version.id,
      version: input.version.version,
      status: input.version.status,
      currency: plan.currency,
      effectiveFrom: plan.effectiveFrom,
      effectiveTo: plan.effectiveTo,
      payoutPeriod: plan.payoutPeriod,
      publishedAt: input.version.publishedAt,
    },
    participant: {
      id: participant.id,
      displayName: participant.displayName,
      externalRef: participant.externalRef,
      team: participant.team,
      unit: participant.unit,
      territory: participant.territory,
      managerName: participant.managerName,
    },
    assignment,
    overview,
    components,
    quota: { sentences: quotaSentences, periods },
    examples,
    examplesNote,
    terms: terms(plan),
  };
}
