import type { SimulationRunResult } from '../../../common/api/comp-simulation.ts';
import {
  planPartnerCredit,
  rulesOfTheRoadPartnerCredit,
  type CreditableTransaction,
  type CreditingHintLike,
  type PartnerCreditRule,
} from '../../../common/comp/crediting.ts';
import type { PlanDocument } from '../../../common/comp/plan.ts';
import type { PeriodValue, SimulationResult } from '../../../common/comp/simulate.ts';

/**
 * Pure steps of a simulation against the store: stored lines back to transactions, the partner
 * credit rule of a transaction, quotas per participant, and the result as the API sends it.
 */

/** The columns of sales_transaction a simulation reads (one line per credited participant and role). */
export type StoredLine = {
  transactionRef: string;
  participantId: string;
  role: 'seller' | 'overlay';
  splitBps: number;
  kind: CreditableTransaction['kind'];
  recognisedOn: string;
  originalRecognisedOn: string | null;
  dealAmountMinor: number;
  currency: string;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  sourcing: CreditableTransaction['sourcing'];
  partnerId: string | null;
  partnerRef: string | null;
};

/**
 * Lines grouped by transaction reference (consecutive: the query orders them) back to one
 * transaction each: the whole deal value, sellers with their splits (the seller lines), overlays
 * (the overlay lines). Sellers come in participant id order, so a tie in the largest-remainder split
 * always goes the same way (the order a file named them in is not stored).
 */
export function transactionsOfLines(lines: readonly StoredLine[]): CreditableTransaction[] {
  type Building = CreditableTransaction & { sellers: CreditableTransaction['sellers'][number][]; overlays: string[] };
  const out: CreditableTransaction[] = [];
  let current: Building | null = null;
  for (const l of lines) {
    if (!current || current.transactionId !== l.transactionRef) {
      current = {
        transactionId: l.transactionRef,
        kind: l.kind,
        recognisedOn: l.recognisedOn,
        amountMinor: l.dealAmountMinor,
        currency: l.currency,
        product: l.product,
        scenario: l.scenario,
        segment: l.segment,
        sourcing: l.sourcing,
        partnerId: l.partnerId ?? l.partnerRef,
        sellers: [],
        overlays: [],
        originalRecognisedOn: l.originalRecognisedOn,
      };
      out.push(current);
    }
    if (l.role === 'seller') current.sellers.push({ participantId: l.participantId, splitBps: l.splitBps });
    else current.overlays.push(l.participantId);
  }
  return out;
}

/** The direct sellers' credit on a partner deal: the plan's own, or the rules of the road's hint for the scenario (full x1 without rules in force). */
export function partnerCreditOf(
  rules: { version: number; hints: readonly CreditingHintLike[] } | null,
): (plan: PlanDocument, tx: CreditableTransaction) => PartnerCreditRule {
  return (plan, tx) => {
    if (plan.crediting.partnerCredit === 'plan') return planPartnerCredit(plan);
    if (!rules) return { directSellerCredit: 'full', sourcedBps: 10_000, influencedBps: 10_000, ruleRef: 'no rules of the road in force: full x1' };
    return rulesOfTheRoadPartnerCredit(rules.hints, tx.scenario, `rules of the road v${rules.version}`);
  };
}

/** Quota rows per participant as the values quotaForPeriod reads; rows in another currency are left out (and counted). */
export function quotaValues(
  rows: readonly { compParticipantId: string; periodStart: string; periodEnd: string; amountMinor: number; currency: string }[],
  currency: string,
): { byParticipant: Map<string, PeriodValue[]>; otherCurrency: number } {
  const byParticipant = new Map<string, PeriodValue[]>();
  let otherCurrency = 0;
  for (const q of rows) {
    if (q.currency !== currency) {
      otherCurrency += 1;
      continue;
    }
    const list = byParticipant.get(q.compParticipantId) ?? [];
    list.push({ start: q.periodStart, end: q.periodEnd, value: q.amountMinor });
    byParticipant.set(q.compParticipantId, list);
  }
  return { byParticipant, otherCurrency };
}

/** The simulation's result without the payout lines of each period (a result for thousands of participants stays small enough to send and store). */
export function runResultOf(result: SimulationResult): SimulationRunResult {
  return {
    ...result,
    participants: result.participants.map((p) => ({
      ...p,
      plans: p.plans.map((r) => ({ ...r, periods: r.periods.map(({ lines: _lines, ...period }) => period) })),
    })),
  };
}
