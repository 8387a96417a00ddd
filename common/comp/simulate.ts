import { allocate, divideRounded, minorUnitDigits, moneyOf } from '../money.ts';
import { bucketize, creditTransaction, type CreditableTransaction, type CreditLine, type FxRate, type PartnerCreditRule } from './crediting.ts';
import { calculatePeriod, carryInto, fiscalYearStart, payoutPeriods } from './engine.ts';
import {
  emptyPriorState,
  type CreditBucket,
  type ParticipantPeriodInput,
  type ParticipantPeriodResult,
  type PayoutLine,
  type PriorState,
} from './engine-types.ts';
import type { PlanDocument, Sourcing } from './plan.ts';

/**
 * Plan simulation: what one or more plans would have paid every participant over a period of
 * transactions, side by side with the current plan. Pure (no I/O, no clock): the CLI runs it on
 * files, the server on the transaction store, the browser on what the API sends.
 *
 * It only orchestrates: crediting.ts credits and buckets the transactions, engine.ts's
 * calculatePeriod pays each participant each payout period (in order, carrying PriorState, fresh
 * at each fiscal year start), and this file adds the results up and compares them. Rates, tiers,
 * caps and draws are never computed here.
 *
 * Money: exact integers in minor units of the plans' one currency. Ratios (change, cost of sales)
 * are basis points rounded half-even.
 */

export class SimulationError extends Error {}

export type SimParticipant = {
  participantId: string;
  name: string;
  managerId: string | null;
  team: string | null;
  /** YYYY-MM-DD, half-open; null = open. */
  activeFrom: string | null;
  activeTo: string | null;
};

export type SimulationInput = {
  /** The first is the current plan (the baseline), the rest are candidates. One currency. */
  plans: readonly PlanDocument[];
  transactions: readonly CreditableTransaction[];
  participants: readonly SimParticipant[];
  /** Full quota of a participant for the payout period [periodStart, periodEnd) of a plan, minor units; null = none. */
  quotas: (participantId: string, periodStart: string, periodEnd: string) => number | null;
  /** Accountability measures of a participant for a payout period (scorecards); {} = none measured. */
  metrics: (participantId: string, periodStart: string, periodEnd: string) => Readonly<Record<string, number>>;
  /** The simulated period [start, end): a year, quarter or month, a whole number of every plan's payout periods. */
  period: { start: string; end: string };
  /** The direct sellers' credit on a partner deal: the rules of the road hint for it, or the plan's own (planPartnerCredit). */
  partnerCredit: (plan: PlanDocument, tx: CreditableTransaction) => PartnerCreditRule;
  /** A dated rate from a transaction's currency to the plan's (null when there is none: the transaction is refused). */
  fx: (from: string, to: string, on: string) => FxRate | null;
  /** Whether a scenario is a renewal (what "non-renewal business" excludes). */
  isRenewal: (scenario: string | null) => boolean;
};

export type SimPeriodResult = {
  periodStart: string;
  periodEnd: string;
  quotaMinor: number | null;
  quotaCreditMinor: number;
  attainmentBps: number;
  totalMinor: number;
  lines: PayoutLine[];
};

/** What a participant's earnings paid for, by the sourcing and kind of business of the credit behind them. */
export type Attribution = {
  /** Earnings on credit from partner-sourced deals (every credit kind). */
  partnerSourcedMinor: number;
  partnerInfluencedMinor: number;
  directMinor: number;
  /** Earnings on credit whose scenario is not a renewal. */
  nonRenewalMinor: number;
  /** Earnings not paid on credit: bonuses, accountabilities, draws, and caps of those. */
  unattributedMinor: number;
};

export type ParticipantPlanResult = {
  planKey: string;
  totalMinor: number;
  /** Per component key ("_plan" = the plan's period cap). */
  components: Record<string, number>;
  attribution: Attribution;
  /** Against the baseline plan (0 for the baseline itself). */
  changeMinor: number;
  /** Change over the baseline's total in basis points; null when the baseline paid nothing. */
  changeBps: number | null;
  periods: SimPeriodResult[];
};

export type ParticipantResult = {
  participantId: string;
  name: string;
  managerId: string | null;
  team: string | null;
  /** In the order of input.plans. */
  plans: ParticipantPlanResult[];
};

export type Mover = { participantId: string; name: string; baselineMinor: number; totalMinor: number; changeMinor: number; changeBps: number | null };

export type Distribution = {
  /** Histogram of participants' total earnings; the same edges for every plan of a simulation, for one chart. */
  buckets: { fromMinor: number; toMinor: number; count: number }[];
  minMinor: number;
  p10Minor: number;
  p50Minor: number;
  p90Minor: number;
  maxMinor: number;
};

/**
 * Comp neutrality: does the plan pay a direct seller as much (or more) for a deal a partner
 * registered as for one kept direct? Earnings on seller credit (kinds direct and split) per 1,000
 * (major units) of the sellers' share of deal value, in minor units; null where there were no such deals.
 */
export type Neutrality = {
  /** What paying direct sellers on partner-sourced deals costs: their earnings attributed to partner-sourced credit. */
  partnerSourcedCostMinor: number;
  perThousand: Record<Sourcing, number | null>;
  /** perThousand.partner_sourced - perThousand.direct: positive = registering a deal with a partner pays the seller more. */
  registrationIncentiveMinor: number | null;
  /** Deal value (sellers' shares, net of refunds) behind each figure. */
  dealValueMinor: Record<Sourcing, number>;
};

export type PlanSummary = {
  planKey: string;
  name: string;
  baseline: boolean;
  payoutPeriod: PlanDocument['payoutPeriod'];
  totalCostMinor: number;
  /** Sum of the transactions' values recognised in the period, converted to the plan currency (refunds net). */
  revenueMinor: number;
  /** Cost over revenue, basis points; null when there was no revenue. */
  costOfSalesBps: number | null;
  components: Record<string, number>;
  attribution: Attribution;
  changeMinor: number;
  changeBps: number | null;
  participantsPaid: number;
  distribution: Distribution;
  /** Participants who earn more than under the baseline, most first (empty for the baseline). */
  winners: Mover[];
  /** Participants who earn less than under the baseline, most lost first. */
  losers: Mover[];
  neutrality: Neutrality;
};

export type SimulationResult = {
  period: { start: string; end: string };
  currency: string;
  plans: PlanSummary[];
  participants: ParticipantResult[];
  notes: string[];
};

const BP = 10_000;

/** a / b in basis points, rounded half-even; null when b is 0. */
export function ratioBps(a: number, b: number): number | null {
  if (b === 0) return null;
  const sign = b < 0 ? -1n : 1n;
  return Number(divideRounded(BigInt(a) * BigInt(BP) * sign, BigInt(b) * sign, 'half_even'));
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1] ?? 0;
}

function histogram(all: readonly number[], count = 10): { fromMinor: number; toMinor: number }[] {
  if (all.length === 0) return [];
  // Loops, not Math.min(...all): tens of thousands of arguments overflow the stack.
  let min = 0;
  let max = all[0] ?? 0;
  for (const v of all) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / count));
  return Array.from({ length: count }, (_, i) => ({ fromMinor: min + i * width, toMinor: min + (i + 1) * width }));
}

const emptyAttribution = (): Attribution => ({ partnerSourcedMinor: 0, partnerInfluencedMinor: 0, directMinor: 0, nonRenewalMinor: 0, unattributedMinor: 0 });

function addAttribution(into: Attribution, a: Attribution): void {
  into.partnerSourcedMinor += a.partnerSourcedMinor;
  into.partnerInfluencedMinor += a.partnerInfluencedMinor;
  into.directMinor += a.directMinor;
  into.nonRenewalMinor += a.nonRenewalMinor;
  into.unattributedMinor += a.unattributedMinor;
}

/**
 * Splits each payout line's amount over the buckets behind it (largest remainder, by |credit|), so
 * the parts add up to the line. Cap lines name no buckets: a component cap is spread over what that
 * component's earlier lines attributed, the plan's cap over every earlier line's, in proportion.
 * What is left (bonuses, accountabilities, draws) is returned as unattributed.
 */
export function attributeLines(
  lines: readonly PayoutLine[],
  buckets: readonly CreditBucket[],
  currency: string,
): { perBucket: number[]; unattributedMinor: number } {
  const perBucket = buckets.map(() => 0);
  const perComponent = new Map<string, number[]>();
  let unattributed = 0;
  const spread = (amount: number, weights: readonly number[]): number[] | null => {
    if (amount === 0 || weights.every((w) => w === 0)) return null;
    return allocate(moneyOf(amount, currency), weights).map((m) => m.amountMinor);
  };
  for (const line of lines) {
    let parts: { index: number; amount: number }[] | null = null;
    if (line.bucketIndexes.length > 0) {
      const idx = line.bucketIndexes;
      const split = spread(
        line.amountMinor,
        idx.map((i) => Math.abs(buckets[i]?.creditMinor ?? 0)),
      );
      if (split) parts = idx.map((index, k) => ({ index, amount: split[k] ?? 0 }));
    } else if (line.kind === 'cap') {
      const basis = line.componentKey === '_plan' ? perBucket : (perComponent.get(line.componentKey) ?? []);
      const split = spread(
        line.amountMinor,
        basis.map((v) => Math.max(0, v)),
      );
      if (split) parts = split.map((amount, index) => ({ index, amount }));
    }
    if (!parts) {
      unattributed += line.amountMinor;
      continue;
    }
    let own = perComponent.get(line.componentKey);
    if (!own) perComponent.set(line.componentKey, (own = buckets.map(() => 0)));
    for (const { index, amount } of parts) {
      perBucket[index] = (perBucket[index] ?? 0) + amount;
      own[index] = (own[index] ?? 0) + amount;
    }
  }
  return { perBucket, unattributedMinor: unattributed };
}

function checkPeriod(plan: PlanDocument, period: { start: string; end: string }): { start: string; end: string }[] {
  const periods = payoutPeriods(plan, period.start, period.end);
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!first || !last || first.start !== period.start || last.end !== period.end)
    throw new SimulationError(
      `plan ${plan.key} pays by ${plan.payoutPeriod} (fiscal year from month ${plan.fiscalYearStartMonth}): simulate whole payout periods of it, not ${period.start} to ${period.end}`,
    );
  return periods;
}

function convertedValue(plan: PlanDocument, tx: CreditableTransaction, fx: SimulationInput['fx']): number {
  if (tx.currency === plan.currency) return tx.amountMinor;
  const rate = fx(tx.currency, plan.currency, tx.recognisedOn);
  if (!rate) throw new SimulationError(`transaction ${tx.transactionId} is in ${tx.currency}: no ${tx.currency}/${plan.currency} rate for ${tx.recognisedOn}`);
  return Number(divideRounded(BigInt(tx.amountMinor) * rate.numerator, rate.denominator, plan.rounding));
}

type PlanRun = {
  perParticipant: Map<string, { total: number; components: Record<string, number>; attribution: Attribution; periods: SimPeriodResult[] }>;
  revenue: number;
  /** Seller (direct/split) earnings attributed, and sellers' shares of deal value, by sourcing. */
  sellerEarnings: Record<Sourcing, number>;
  sellerValue: Record<Sourcing, number>;
};

const bySourcing = (): Record<Sourcing, number> => ({ direct: 0, partner_sourced: 0, partner_influenced: 0 });

function runPlan(plan: PlanDocument, input: SimulationInput): PlanRun {
  const reported = checkPeriod(plan, input.period);
  // Year-to-date windows and draws need the fiscal year so far: start at its first period, report from period.start.
  const from = fiscalYearStart(plan, input.period.start);
  const periods = from < input.period.start ? [...payoutPeriods(plan, from, input.period.start), ...reported] : reported;
  const managers = new Map(input.participants.map((p) => [p.participantId, p.managerId]));
  const txs = input.transactions.filter((t) => t.recognisedOn >= from && t.recognisedOn < input.period.end);

  const lines: CreditLine[] = [];
  let revenue = 0;
  const sellerValue = bySourcing();
  for (const tx of txs) {
    const fx = tx.currency === plan.currency ? null : input.fx(tx.currency, plan.currency, tx.recognisedOn);
    if (tx.currency !== plan.currency && fx === null)
      throw new SimulationError(`transaction ${tx.transactionId} is in ${tx.currency}: no ${tx.currency}/${plan.currency} rate for ${tx.recognisedOn}`);
    const credited = creditTransaction(tx, { plan, partnerCredit: input.partnerCredit(plan, tx), fx, managerOf: (id) => managers.get(id) ?? null });
    lines.push(...credited);
    if (tx.recognisedOn < input.period.start) continue;
    const value = convertedValue(plan, tx, input.fx);
    revenue += value;
    // The sellers' shares of the deal value (the denominator of "per 1,000 of deal value").
    const sellers = tx.sellers.filter((s) => s.splitBps > 0);
    if (sellers.length > 0 && value !== 0)
      for (const part of allocate(
        moneyOf(value, plan.currency),
        sellers.map((s) => s.splitBps),
      ))
        sellerValue[tx.sourcing] += part.amountMinor;
  }
  const buckets = bucketize(plan, lines);

  const run: PlanRun = { perParticipant: new Map(), revenue, sellerEarnings: bySourcing(), sellerValue };
  for (const p of input.participants) {
    const own = buckets.get(p.participantId);
    const acc = { total: 0, components: {} as Record<string, number>, attribution: emptyAttribution(), periods: [] as SimPeriodResult[] };
    const chained = chainPeriods(plan, periods, p, (period) => ({
      quotaMinor: input.quotas(p.participantId, period.start, period.end),
      metrics: input.metrics(p.participantId, period.start, period.end),
      buckets: own?.get(period.start) ?? [],
    }));
    for (const { period, result } of chained) {
      const periodBuckets = own?.get(period.start) ?? [];
      if (period.start < input.period.start) continue; // warm-up of the fiscal year: carried, not reported
      acc.total += result.totalMinor;
      for (const line of result.lines) acc.components[line.componentKey] = (acc.components[line.componentKey] ?? 0) + line.amountMinor;
      const { perBucket, unattributedMinor } = attributeLines(result.lines, periodBuckets, plan.currency);
      acc.attribution.unattributedMinor += unattributedMinor;
      periodBuckets.forEach((b, i) => {
        const amount = perBucket[i] ?? 0;
        if (b.sourcing === 'partner_sourced') acc.attribution.partnerSourcedMinor += amount;
        else if (b.sourcing === 'partner_influenced') acc.attribution.partnerInfluencedMinor += amount;
        else acc.attribution.directMinor += amount;
        if (!input.isRenewal(b.scenario)) acc.attribution.nonRenewalMinor += amount;
        if (b.kind === 'direct' || b.kind === 'split') run.sellerEarnings[b.sourcing] += amount;
      });
      acc.periods.push({
        periodStart: result.periodStart,
        periodEnd: result.periodEnd,
        quotaMinor: result.quotaMinor,
        quotaCreditMinor: result.quotaCreditMinor,
        attainmentBps: result.attainmentBps,
        totalMinor: result.totalMinor,
        lines: result.lines,
      });
    }
    run.perParticipant.set(p.participantId, acc);
  }
  return run;
}

/**
 * Pays one participant payout period after payout period under one plan, carrying PriorState
 * (carryInto: fresh year-to-date fields at each fiscal year start, draw balance kept). Periods in
 * which the participant is not active are skipped. `prior` continues an earlier chain (e.g. an
 * earlier version of the same plan); without it the chain starts from an empty state. Shared by
 * simulation and the commission period runs (server/modules/commissions/runs.service.ts).
 */
export function chainPeriods(
  plan: PlanDocument,
  periods: readonly { start: string; end: string }[],
  participant: Pick<SimParticipant, 'participantId' | 'activeFrom' | 'activeTo'>,
  inputOf: (period: { start: string; end: string }) => Pick<ParticipantPeriodInput, 'quotaMinor' | 'metrics' | 'buckets'>,
  prior?: PriorState,
): { period: { start: string; end: string }; result: ParticipantPeriodResult }[] {
  const out: { period: { start: string; end: string }; result: ParticipantPeriodResult }[] = [];
  let state = prior ?? emptyPriorState();
  let carry = prior !== undefined;
  for (const period of periods) {
    const p = participant;
    if ((p.activeFrom !== null && p.activeFrom >= period.end) || (p.activeTo !== null && p.activeTo <= period.start)) continue;
    if (carry) state = carryInto(plan, state, period.start);
    carry = true;
    const result = calculatePeriod(plan, {
      participantId: p.participantId,
      periodStart: period.start,
      periodEnd: period.end,
      activeFrom: p.activeFrom,
      activeTo: p.activeTo,
      ...inputOf(period),
      prior: state,
    });
    state = result.next;
    out.push({ period, result });
  }
  return out;
}

function perThousand(earnings: number, value: number, currency: string): number | null {
  if (value === 0) return null;
  const thousand = 1000n * 10n ** BigInt(minorUnitDigits(currency));
  const sign = value < 0 ? -1n : 1n;
  return Number(divideRounded(BigInt(earnings) * thousand * sign, BigInt(value) * sign, 'half_even'));
}

/**
 * Simulates plans over a period: credits every transaction per plan, pays every participant every
 * payout period of the plan inside the period (in order, from the start of the fiscal year so that
 * year-to-date windows and draws see the year so far), and compares each plan with the first.
 * Plan effective dates are not applied: every plan is run over the same period, as if it had been in force.
 */
export function simulatePlans(input: SimulationInput): SimulationResult {
  const [baselinePlan] = input.plans;
  if (!baselinePlan) throw new SimulationError('simulate at least one plan');
  const currencies = [...new Set(input.plans.map((p) => p.currency))];
  if (currencies.length > 1)
    throw new SimulationError(
      `the plans pay in different currencies (${input.plans.map((p) => `${p.key}: ${p.currency}`).join(', ')}): compare plans of one currency`,
    );
  const keys = new Set<string>();
  for (const p of input.plans) {
    if (keys.has(p.key)) throw new SimulationError(`plan ${p.key} is given twice: plans are told apart by their key`);
    keys.add(p.key);
  }
  if (input.period.end <= input.period.start) throw new SimulationError(`the period ${input.period.start} to ${input.period.end} is empty`);
  const ids = new Set<string>();
  for (const p of input.participants) {
    if (ids.has(p.participantId)) throw new SimulationError(`participant ${p.participantId} is listed twice`);
    ids.add(p.participantId);
  }
  const unknown = new Set<string>();
  for (const p of input.participants) if (p.managerId !== null && !ids.has(p.managerId)) unknown.add(p.managerId);
  for (const tx of input.transactions) for (const id of [...tx.sellers.map((s) => s.participantId), ...tx.overlays]) if (!ids.has(id)) unknown.add(id);
  if (unknown.size > 0)
    throw new SimulationError(`participants named by transactions or as managers are not listed: ${[...unknown].sort().slice(0, 10).join(', ')}`);

  const currency = baselinePlan.currency;
  const runs = input.plans.map((plan) => runPlan(plan, input));
  const baselineRun = runs[0] as PlanRun;

  const participants: ParticipantResult[] = input.participants.map((p) => {
    const base = baselineRun.perParticipant.get(p.participantId)?.total ?? 0;
    return {
      participantId: p.participantId,
      name: p.name,
      managerId: p.managerId,
      team: p.team,
      plans: input.plans.map((plan, i) => {
        const r = runs[i]?.perParticipant.get(p.participantId);
        const total = r?.total ?? 0;
        return {
          planKey: plan.key,
          totalMinor: total,
          components: r?.components ?? {},
          attribution: r?.attribution ?? emptyAttribution(),
          changeMinor: total - base,
          changeBps: ratioBps(total - base, base),
          periods: r?.periods ?? [],
        };
      }),
    };
  });

  const totalsOf = (i: number): number[] => participants.map((p) => p.plans[i]?.totalMinor ?? 0);
  const edges = histogram(input.plans.flatMap((_, i) => totalsOf(i)));
  const baselineCost = totalsOf(0).reduce((a, b) => a + b, 0);

  const plans: PlanSummary[] = input.plans.map((plan, i) => {
    const run = runs[i] as PlanRun;
    const totals = totalsOf(i);
    const sorted = [...totals].sort((a, b) => a - b);
    const cost = totals.reduce((a, b) => a + b, 0);
    const components: Record<string, number> = {};
    const attribution = emptyAttribution();
    for (const p of participants) {
      const r = p.plans[i];
      if (!r) continue;
      for (const [k, v] of Object.entries(r.components)) components[k] = (components[k] ?? 0) + v;
      addAttribution(attribution, r.attribution);
    }
    const movers: Mover[] =
      i === 0
        ? []
        : participants.map((p) => {
            const r = p.plans[i];
            const baselineMinor = p.plans[0]?.totalMinor ?? 0;
            return {
              participantId: p.participantId,
              name: p.name,
              baselineMinor,
              totalMinor: r?.totalMinor ?? 0,
              changeMinor: r?.changeMinor ?? 0,
              changeBps: r?.changeBps ?? null,
            };
          });
    const byId = (a: Mover, b: Mover) => (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0);
    const perK = {
      direct: perThousand(run.sellerEarnings.direct, run.sellerValue.direct, currency),
      partner_sourced: perThousand(run.sellerEarnings.partner_sourced, run.sellerValue.partner_sourced, currency),
      partner_influenced: perThousand(run.sellerEarnings.partner_influenced, run.sellerValue.partner_influenced, currency),
    };
    return {
      planKey: plan.key,
      name: plan.name,
      baseline: i === 0,
      payoutPeriod: plan.payoutPeriod,
      totalCostMinor: cost,
      revenueMinor: run.revenue,
      costOfSalesBps: ratioBps(cost, run.revenue),
      components,
      attribution,
      changeMinor: cost - baselineCost,
      changeBps: ratioBps(cost - baselineCost, baselineCost),
      participantsPaid: totals.filter((t) => t !== 0).length,
      distribution: {
        buckets: edges.map((e) => ({ ...e, count: totals.filter((t) => t >= e.fromMinor && t < e.toMinor).length })),
        minMinor: sorted[0] ?? 0,
        p10Minor: percentile(sorted, 10),
        p50Minor: percentile(sorted, 50),
        p90Minor: percentile(sorted, 90),
        maxMinor: sorted[sorted.length - 1] ?? 0,
      },
      winners: movers.filter((m) => m.changeMinor > 0).sort((a, b) => b.changeMinor - a.changeMinor || byId(a, b)),
      losers: movers.filter((m) => m.changeMinor < 0).sort((a, b) => a.changeMinor - b.changeMinor || byId(a, b)),
      neutrality: {
        partnerSourcedCostMinor: run.sellerEarnings.partner_sourced,
        perThousand: perK,
        registrationIncentiveMinor: perK.partner_sourced !== null && perK.direct !== null ? perK.partner_sourced - perK.direct : null,
        dealValueMinor: { ...run.sellerValue },
      },
    };
  });

  const notes: string[] = [];
  if (input.plans.some((p) => fiscalYearStart(p, input.period.start) < input.period.start))
    notes.push('The period starts inside a fiscal year: earlier periods of that year were calculated too (year-to-date windows, draws) but are not reported.');
  return { period: { ...input.period }, currency, plans, participants, notes };
}

// ---------------------------------------------------------------------------------------------
// Periods written as text, and values given per period (quota and metric files)

const periodPattern = /^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$/;

function monthText(index: number): string {
  const y = Math.floor(index / 12);
  return `${String(y).padStart(4, '0')}-${String(index - y * 12 + 1).padStart(2, '0')}-01`;
}
const monthIndexOf = (date: string): number => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/** "2027" (a calendar year), "2027-Q1" (a calendar quarter) or "2027-03" (a month) -> [start, end); null when not one of these. */
export function parseSimulationPeriod(text: string): { start: string; end: string } | null {
  const m = periodPattern.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const first = year * 12 + (m[2] ? (Number(m[2]) - 1) * 3 : m[3] ? Number(m[3]) - 1 : 0);
  const months = m[2] ? 3 : m[3] ? 1 : 12;
  return { start: monthText(first), end: monthText(first + months) };
}

/** A value given for a period of whole months (a row of a quotas or metrics file). */
export type PeriodValue = { start: string; end: string; value: number };

/**
 * The quota of a payout period [start, end) from quotas given per year, quarter or month: the entry
 * for exactly that period; else the sum of the entries inside it; else its months' share of an
 * entry that contains it (an annual quota split evenly by month, largest remainder, so the
 * quarters of a year add up to the year). null when nothing covers the period.
 */
export function quotaForPeriod(entries: readonly PeriodValue[], start: string, end: string, currency: string): number | null {
  const exact = entries.find((e) => e.start === start && e.end === end);
  if (exact) return exact.value;
  const inside = entries.filter((e) => e.start >= start && e.end <= end);
  if (inside.length > 0) return inside.reduce((a, e) => a + e.value, 0);
  const outer = entries
    .filter((e) => e.start <= start && e.end >= end)
    .sort((a, b) => monthIndexOf(a.end) - monthIndexOf(a.start) - (monthIndexOf(b.end) - monthIndexOf(b.start)))[0];
  if (!outer) return null;
  const first = monthIndexOf(outer.start);
  const months = monthIndexOf(outer.end) - first;
  const len = monthIndexOf(end) - monthIndexOf(start);
  const offset = monthIndexOf(start) - first;
  // Equal shares of periods of this length when they tile the entry (a year's quarters), else by month.
  const unit = months % len === 0 && offset % len === 0 ? len : 1;
  const parts = allocate(
    moneyOf(outer.value, currency),
    Array.from({ length: months / unit }, () => 1),
  );
  let total = 0;
  for (let i = offset / unit; i < (offset + len) / unit; i += 1) total += parts[i]?.amountMinor ?? 0;
  return total;
}

/** A metric of a payout period: the entry for exactly that period, else the one for the shortest period containing it; undefined when none. */
export function metricForPeriod(entries: readonly PeriodValue[], start: string, end: string): number | undefined {
  const covering = entries
    .filter((e) => e.start <= start && e.end >= end)
    .sort((a, b) => monthIndexOf(a.end) - monthIndexOf(a.start) - (monthIndexOf(b.end) - monthIndexOf(b.start)));
  return covering[0]?.value;
}
