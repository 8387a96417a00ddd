import type { EstimateComponentView, EstimateLaterPeriodView, EstimateLineView, EstimatePeriodFigures } from '../../../common/api/commissions-estimator.ts';
import {
  bucketize,
  creditTransaction,
  type CreditableTransaction,
  type CreditLine,
  type FxRate,
  type PartnerCreditRule,
} from '../../../common/comp/crediting.ts';
import type { CreditBucket, ParticipantPeriodResult, PayoutLine, PriorState } from '../../../common/comp/engine-types.ts';
import type { PlanDocument, Sourcing } from '../../../common/comp/plan.ts';
import { chainPeriods, quotaForPeriod, type PeriodValue } from '../../../common/comp/simulate.ts';

/**
 * Pure steps of the deal estimator: the hypothetical deal as a transaction, dated exchange rates,
 * a participant's fiscal year paid period after period (crediting.ts + chainPeriods, exactly the
 * way a period run chains versions of a plan), and the comparison of the deal's payout period (and
 * of the later periods it changes) with and without the deal.
 */

/** The transaction id of the hypothetical deal (never a stored reference: those come from imports). */
export const ESTIMATE_TRANSACTION_ID = 'estimate: the deal';

export type Period = { start: string; end: string };

export type HypotheticalDeal = {
  amountMinor: number;
  currency: string;
  closeOn: string;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  sourcing: Sourcing;
  partnerId: string | null;
  coSellers: readonly { participantId: string; splitBps: number }[];
  overlays: readonly string[];
};

/**
 * The deal as the store would hold it once booked: the participant keeps what the co-sellers do not
 * take. Sellers are listed by participant id, as the store reads them back (ties of the
 * largest-remainder split go to the lower id), so the estimate equals a run over the booked deal.
 */
export function hypotheticalTransaction(deal: HypotheticalDeal, participantId: string): CreditableTransaction {
  const others = deal.coSellers.reduce((a, s) => a + s.splitBps, 0);
  if (others >= 10_000) throw new RangeError('the other sellers’ splits must leave the participant a share');
  if (deal.coSellers.some((s) => s.participantId === participantId)) throw new RangeError('the participant is named as a co-seller of their own deal');
  if (deal.overlays.includes(participantId)) throw new RangeError('the participant is named as an overlay of their own deal');
  const sellers = [{ participantId, splitBps: 10_000 - others }, ...deal.coSellers].sort((a, b) =>
    a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0,
  );
  return {
    transactionId: ESTIMATE_TRANSACTION_ID,
    kind: 'booking',
    recognisedOn: deal.closeOn,
    amountMinor: deal.amountMinor,
    currency: deal.currency,
    product: deal.product,
    scenario: deal.scenario,
    segment: deal.segment,
    sourcing: deal.sourcing,
    partnerId: deal.partnerId,
    sellers,
    overlays: [...new Set(deal.overlays)].sort(),
    originalRecognisedOn: null,
  };
}

export type StoredFxRate = { currency: string; toCurrency: string; validOn: string; numerator: number; denominator: number; rate: string };

/** The pair's latest rate valid on a day (valid_on <= day), as the period runs' SQL reads it; null when none. */
export function fxLookup(rates: readonly StoredFxRate[]): (from: string, to: string, on: string) => FxRate | null {
  const byPair = new Map<string, StoredFxRate[]>();
  for (const r of rates) {
    const k = `${r.currency}/${r.toCurrency}`;
    let list = byPair.get(k);
    if (!list) byPair.set(k, (list = []));
    list.push(r);
  }
  for (const list of byPair.values()) list.sort((a, b) => (a.validOn < b.validOn ? -1 : a.validOn > b.validOn ? 1 : 0));
  return (from, to, on) => {
    const list = byPair.get(`${from}/${to}`) ?? [];
    let found: StoredFxRate | undefined;
    for (const r of list) {
      if (r.validOn > on) break;
      found = r;
    }
    return found ? { numerator: BigInt(found.numerator), denominator: BigInt(found.denominator), rate: found.rate, on: found.validOn } : null;
  };
}

/** A run of consecutive payout periods under one plan version. */
export type VersionGroup = { versionId: string; planId: string; plan: PlanDocument; periods: readonly Period[] };

export type ChainContext = {
  participant: { participantId: string; activeFrom: string | null; activeTo: string | null };
  groups: readonly VersionGroup[];
  quotas: readonly PeriodValue[];
  managerOf: (participantId: string) => string | null;
  partnerCredit: (plan: PlanDocument, tx: CreditableTransaction) => PartnerCreditRule;
  fx: (from: string, to: string, on: string) => FxRate | null;
};

export type ChainedPeriod = { period: Period; versionId: string; buckets: CreditBucket[]; result: ParticipantPeriodResult };

/** Credit lines of transactions under a plan; a transaction in another currency without a dated rate is a RangeError naming it. */
export function creditAll(
  plan: PlanDocument,
  transactions: readonly CreditableTransaction[],
  ctx: Omit<ChainContext, 'participant' | 'groups' | 'quotas'>,
): CreditLine[] {
  const lines: CreditLine[] = [];
  for (const tx of transactions) {
    const fx = tx.currency === plan.currency ? null : ctx.fx(tx.currency, plan.currency, tx.recognisedOn);
    lines.push(...creditTransaction(tx, { plan, partnerCredit: ctx.partnerCredit(plan, tx), fx, managerOf: ctx.managerOf }));
  }
  return lines;
}

/**
 * Pays one participant every payout period of the groups, in order: each group's transactions are
 * credited with its plan version (crediting.ts), bucketed, and chained through the engine
 * (chainPeriods), PriorState carried across versions of the same plan in the same currency when the
 * groups touch, as a period run does (runs.service.ts calculateRun).
 */
export function payChain(ctx: ChainContext, transactions: readonly CreditableTransaction[]): ChainedPeriod[] {
  const out: ChainedPeriod[] = [];
  let prior: PriorState | undefined;
  let previous: { planId: string; currency: string; end: string } | null = null;
  for (const g of ctx.groups) {
    const first = g.periods[0];
    const last = g.periods[g.periods.length - 1];
    if (!first || !last) continue;
    const plan = g.plan;
    const inWindow = transactions.filter((t) => t.recognisedOn >= first.start && t.recognisedOn < last.end);
    const own = bucketize(plan, creditAll(plan, inWindow, ctx)).get(ctx.participant.participantId);
    const carries = previous !== null && previous.planId === g.planId && previous.currency === plan.currency && previous.end === first.start;
    const chained = chainPeriods(
      plan,
      g.periods,
      ctx.participant,
      (period) => ({ quotaMinor: quotaForPeriod(ctx.quotas, period.start, period.end, plan.currency), metrics: {}, buckets: own?.get(period.start) ?? [] }),
      carries ? prior : undefined,
    );
    let lastResult: ParticipantPeriodResult | undefined;
    for (const { period, result } of chained) {
      lastResult = result;
      out.push({ period, versionId: g.versionId, buckets: own?.get(period.start) ?? [], result });
    }
    prior = lastResult?.next ?? prior;
    previous = { planId: g.planId, currency: plan.currency, end: last.end };
  }
  return out;
}

const lineView = (l: PayoutLine): EstimateLineView => ({
  componentKey: l.componentKey,
  componentName: l.componentName,
  kind: l.kind,
  basisMinor: l.basisMinor,
  rateBps: l.rateBps,
  multiplierBps: l.multiplierBps,
  tier: l.tier,
  amountMinor: l.amountMinor,
  explanation: l.explanation,
});

export function periodFigures(r: ParticipantPeriodResult | null): EstimatePeriodFigures {
  if (!r) return { quotaMinor: null, quotaCreditMinor: 0, attainmentBps: 0, ytdAttainmentBps: 0, totalMinor: 0, lines: [] };
  return {
    quotaMinor: r.quotaMinor,
    quotaCreditMinor: r.quotaCreditMinor,
    attainmentBps: r.attainmentBps,
    ytdAttainmentBps: r.ytdAttainmentBps,
    totalMinor: r.totalMinor,
    lines: r.lines.map(lineView),
  };
}

type Tier = { fromBps: number; toBps: number | null };

/** The highest band a component's lines were paid in (null when none is tiered). */
function topTier(lines: readonly PayoutLine[]): Tier | null {
  let top: Tier | null = null;
  for (const l of lines) if (l.tier && (top === null || l.tier.fromBps > top.fromBps)) top = l.tier;
  return top;
}

const sum = (lines: readonly PayoutLine[]): number => lines.reduce((a, l) => a + l.amountMinor, 0);

/**
 * The deal's effect per component of the payout period: amounts before and with the deal, the band
 * change of a tiered component, whether a cap starts to bite (or bites harder), and the component's
 * lines with the deal. Components in the order the engine pays them (with the deal first).
 */
export function compareComponents(before: readonly PayoutLine[], after: readonly PayoutLine[]): EstimateComponentView[] {
  const keys: string[] = [];
  const names = new Map<string, string>();
  for (const l of [...after, ...before]) {
    if (!names.has(l.componentKey)) keys.push(l.componentKey);
    names.set(l.componentKey, names.get(l.componentKey) ?? l.componentName);
  }
  return keys.map((key) => {
    const b = before.filter((l) => l.componentKey === key);
    const a = after.filter((l) => l.componentKey === key);
    const tb = topTier(b);
    const ta = topTier(a);
    const crossed = (tb?.fromBps ?? null) !== (ta?.fromBps ?? null) && (tb !== null || ta !== null);
    const capOf = (ls: readonly PayoutLine[]) => sum(ls.filter((l) => l.kind === 'cap'));
    return {
      componentKey: key,
      componentName: names.get(key) ?? key,
      beforeMinor: sum(b),
      afterMinor: sum(a),
      deltaMinor: sum(a) - sum(b),
      tierCrossed: crossed ? { from: tb, to: ta } : null,
      capHit: capOf(a) < capOf(b),
      lines: a.map(lineView),
    };
  });
}

/**
 * The payout periods after the deal's whose pay the deal changes (in total or in any component),
 * in order, with both figures and the per-component comparison. Periods only one pass pays count
 * too (the other pays nothing).
 */
export function laterChanges(before: readonly ChainedPeriod[], after: readonly ChainedPeriod[], dealPeriod: Period): EstimateLaterPeriodView[] {
  const starts = [...new Set([...before, ...after].map((c) => c.period.start).filter((d) => d > dealPeriod.start))].sort();
  const out: EstimateLaterPeriodView[] = [];
  for (const start of starts) {
    const b = before.find((c) => c.period.start === start);
    const a = after.find((c) => c.period.start === start);
    const period = (a ?? b)?.period;
    if (!period) continue;
    const components = compareComponents(b?.result.lines ?? [], a?.result.lines ?? []);
    const beforeFigures = periodFigures(b?.result ?? null);
    const afterFigures = periodFigures(a?.result ?? null);
    const deltaMinor = afterFigures.totalMinor - beforeFigures.totalMinor;
    if (deltaMinor === 0 && components.every((c) => c.deltaMinor === 0)) continue;
    out.push({ period: { start: period.start, end: period.end }, before: beforeFigures, after: afterFigures, deltaMinor, components });
  }
  return out;
}

/** One row per (participant, credit kind) of the deal's credit lines, summed, with the first line's rule. */
export function creditRows(lines: readonly CreditLine[]): { participantId: string; kind: CreditLine['kind']; creditMinor: number; rule: string }[] {
  const out = new Map<string, { participantId: string; kind: CreditLine['kind']; creditMinor: number; rule: string }>();
  for (const l of lines) {
    const k = `${l.participantId}|${l.kind}`;
    const row = out.get(k);
    if (row) row.creditMinor += l.creditMinor;
    else out.set(k, { participantId: l.participantId, kind: l.kind, creditMinor: l.creditMinor, rule: l.rule });
  }
  return [...out.values()];
}

/** The day whose assignment decides a payout period's plan: its first day, or the day an assignment starts inside it (as period runs decide). */
export function decidingDay(assignments: readonly { effectiveFrom: string; effectiveTo: string | null }[], period: Period): string | null {
  if (assignments.some((a) => a.effectiveFrom <= period.start && (a.effectiveTo === null || a.effectiveTo > period.start))) return period.start;
  const starts = assignments.map((a) => a.effectiveFrom).filter((d) => d > period.start && d < period.end);
  return starts.sort()[0] ?? null;
}

/** Consecutive periods of the same version, contiguous, as groups (calculateRun's grouping). */
export function groupChain(chain: readonly { period: Period; versionId: string; planId: string; plan: PlanDocument }[]): VersionGroup[] {
  const groups: VersionGroup[] = [];
  for (let i = 0; i < chain.length;) {
    const head = chain[i];
    if (!head) break;
    let j = i;
    while (j < chain.length && chain[j]?.versionId === head.versionId && (j === i || chain[j - 1]?.period.end === chain[j]?.period.start)) j += 1;
    groups.push({ versionId: head.versionId, planId: head.planId, plan: head.plan, periods: chain.slice(i, j).map((c) => c.period) });
    i = j;
  }
  return groups;
}
