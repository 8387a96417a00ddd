import { calculatePeriod, passesFilter, payoutPeriodOf } from '../../../../common/comp/engine.ts';
import { emptyPriorState, type CreditBucket, type ParticipantPeriodInput, type ParticipantPeriodResult } from '../../../../common/comp/engine-types.ts';
import type { PlanDocument } from '../../../../common/comp/plan.ts';
import { allocate, applyBasisPoints, moneyOf } from '../../../../common/money.ts';

/**
 * "What would I earn": example credit for one participant in the plan's first payout period, run
 * through the engine (common/comp/engine.ts) in the browser. Nothing here computes pay: it only
 * builds the engine's input (credit buckets) from a quota, an attainment and a partner-sourced share.
 */
export type ExampleSettings = {
  quotaMinor: number;
  /** Share of the credit from partner-sourced deals, basis points. */
  partnerShareBps: number;
  /** Deals behind the credit in the period (per-deal SPIFFs count them). */
  deals: number;
};

export const defaultExampleSettings = (): ExampleSettings => ({ quotaMinor: 10_000_000, partnerShareBps: 3_000, deals: 10 });

/** The engine input for one example: credit = attainment x quota, split into direct and partner-sourced buckets. */
export function exampleInput(plan: PlanDocument, settings: ExampleSettings, attainmentBps: number): ParticipantPeriodInput {
  const period = payoutPeriodOf(plan, plan.effectiveFrom);
  const credit = applyBasisPoints(moneyOf(settings.quotaMinor, plan.currency), attainmentBps, 'down');
  const share = Math.min(10_000, Math.max(0, settings.partnerShareBps));
  const [direct, partner] = allocate(credit, [10_000 - share, share]).map((m) => m.amountMinor) as [number, number];
  const totalDeals = Math.max(1, Math.round(settings.deals));
  const partnerDeals = share === 0 ? 0 : share === 10_000 ? totalDeals : Math.max(1, Math.round((totalDeals * share) / 10_000));
  const parts: { sourcing: CreditBucket['sourcing']; creditMinor: number; deals: number }[] = [
    { sourcing: 'direct', creditMinor: direct, deals: Math.max(share === 10_000 ? 0 : 1, totalDeals - partnerDeals) },
    { sourcing: 'partner_sourced', creditMinor: partner, deals: partnerDeals },
  ];
  const buckets: CreditBucket[] = parts
    .filter((p) => p.creditMinor > 0 && p.deals > 0)
    .map((p) => {
      const attributes = { kind: 'direct' as const, sourcing: p.sourcing, product: null, scenario: null, segment: null };
      const averageDeal = Math.floor(p.creditMinor / p.deals);
      const spiffKeys = plan.components
        .filter(
          (c) =>
            c.kind === 'spiff' && period.start >= c.from && period.start < c.to && passesFilter(c.credits, attributes) && averageDeal >= c.minDealValueMinor,
        )
        .map((c) => c.key)
        .sort();
      return { ...attributes, clawback: false, spiffKeys, creditMinor: p.creditMinor, deals: p.deals };
    });
  // Accountabilities and gate metrics are assumed met at their target.
  const metrics: Record<string, number> = {};
  for (const c of plan.components) {
    if (c.kind === 'accountability') metrics[c.metric] = c.target;
    if ('gate' in c && c.gate) for (const m of c.gate.metrics) metrics[m.metric] = Math.max(metrics[m.metric] ?? m.min, m.min);
  }
  return {
    participantId: 'example',
    periodStart: period.start,
    periodEnd: period.end,
    quotaMinor: settings.quotaMinor,
    activeFrom: null,
    activeTo: null,
    metrics,
    buckets,
    prior: emptyPriorState(),
  };
}

export function runExample(plan: PlanDocument, settings: ExampleSettings, attainmentBps: number): ParticipantPeriodResult {
  return calculatePeriod(plan, exampleInput(plan, settings, attainmentBps));
}

/** Payout at attainment 0 %, 5 %, …, 200 %: the curve where cliffs show. */
export function payoutCurve(plan: PlanDocument, settings: ExampleSettings): { attainmentBps: number; totalMinor: number }[] {
  const out: { attainmentBps: number; totalMinor: number }[] = [];
  for (let a = 0; a <= 20_000; a += 500) out.push({ attainmentBps: a, totalMinor: runExample(plan, settings, a).totalMinor });
  return out;
}
