import { daysBetween } from '../dates.ts';
import { allocate, divideRounded, moneyOf } from '../money.ts';
import { passesFilter, payoutPeriodOf } from './engine.ts';
import type { CreditBucket } from './engine-types.ts';
import { creditKinds, sourcings, type CreditKind, type PlanDocument, type Sourcing } from './plan.ts';
import type { TransactionKind } from './transaction-row.ts';

/**
 * Crediting: who is credited with how much of a transaction, in the plan's currency, and why.
 * A transaction becomes credit lines (creditTransaction); the lines of a participant are grouped to
 * the few buckets per payout period that the engine needs (bucketize).
 *
 * - Direct deals: each seller is credited their split share of the value (largest remainder, so the
 *   parts add up exactly to the converted value). One seller = kind direct, several = kind split.
 * - Partner deals (partner_sourced / partner_influenced), by the partner credit rule (the rules of
 *   the road crediting hint, or the plan's own crediting): full = the whole value x the sourced or
 *   influenced multiplier, shared by the splits; split = half the value x the multiplier, shared by
 *   the splits; none = the direct sellers are not credited.
 * - Overlays: the full converted value each (kind overlay), on top of, never out of, the splits.
 * - Roll-up: each seller's credit is also credited to their managers, up to rollupLevels levels (kind rollup).
 * - Currency: one conversion at the dated rate, the multiplier folded in, rounded once with the plan's mode.
 * - Refunds (credit notes and cancellations with a negative amount) give negative lines marked
 *   clawback, by the plan's clawback policy: none = no lines; within_days = no lines for a refund
 *   more than withinDays after the sale it refunds (an unknown sale date is clawed back).
 */

export type CreditableTransaction = {
  transactionId: string;
  kind: TransactionKind;
  /** YYYY-MM-DD */
  recognisedOn: string;
  /** Signed: credit notes and cancellations are negative. */
  amountMinor: number;
  currency: string;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  sourcing: Sourcing;
  partnerId: string | null;
  /** Splits sum to 10000 when non-empty. */
  sellers: readonly { participantId: string; splitBps: number }[];
  /** Overlay participants, credited from a separate budget. */
  overlays: readonly string[];
  /** Refunds: the date of the sale refunded. */
  originalRecognisedOn: string | null;
};

export type CreditLine = {
  transactionId: string;
  participantId: string;
  kind: CreditKind;
  sourcing: Sourcing;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  recognisedOn: string;
  clawback: boolean;
  /** In the plan's currency. */
  creditMinor: number;
  /** The transaction's value converted to the plan's currency (SPIFF minimum deal value). */
  dealValueMinor: number;
  /** Why, e.g. "split 60% · rules of the road v3 new_business: partner-sourced x1.2". */
  rule: string;
  fx: { from: string; rate: string; on: string } | null;
};

export type PartnerCreditRule = {
  directSellerCredit: 'full' | 'split' | 'none';
  /** Multiplier on the direct sellers' credit from partner-sourced deals, bp. */
  sourcedBps: number;
  /** Multiplier on the direct sellers' credit from partner-influenced deals, bp. */
  influencedBps: number;
  /** Where the rule comes from, for the line's reason, e.g. "rules of the road v3 new_business". */
  ruleRef: string;
};

/** A dated conversion rate from the transaction's currency to the plan's: value x numerator / denominator. */
export type FxRate = { numerator: bigint; denominator: bigint; rate: string; on: string };

export type CreditingContext = {
  plan: PlanDocument;
  partnerCredit: PartnerCreditRule;
  /** null when the transaction is in the plan's currency; required otherwise. */
  fx: FxRate | null;
  managerOf: (participantId: string) => string | null;
};

/** The partner credit rule of a plan whose crediting.partnerCredit is 'plan'. */
export function planPartnerCredit(plan: PlanDocument): PartnerCreditRule {
  return {
    directSellerCredit: plan.crediting.directSellerCredit,
    sourcedBps: plan.crediting.partnerSourcedCreditBps,
    influencedBps: plan.crediting.partnerInfluencedCreditBps,
    ruleRef: `plan ${plan.key}`,
  };
}

/** The shape of a rules-of-the-road crediting hint (common/api/rules.ts creditingHint). */
export type CreditingHintLike = {
  id: string;
  scenarios: readonly string[] | null;
  partnerSourcedMultiplierBps: number;
  partnerInfluencedMultiplierBps: number;
  directSellerCredit: 'full' | 'split' | 'none';
};

/**
 * The rules-of-the-road partner credit rule for a transaction's scenario: a hint naming the
 * scenario beats one for any scenario; among equals the first wins. No hint: full credit, 1x.
 */
export function rulesOfTheRoadPartnerCredit(hints: readonly CreditingHintLike[], scenario: string | null, ruleSetRef: string): PartnerCreditRule {
  const named = hints.find((h) => h.scenarios !== null && scenario !== null && h.scenarios.includes(scenario));
  const hint = named ?? hints.find((h) => h.scenarios === null);
  if (!hint)
    return {
      directSellerCredit: 'full',
      sourcedBps: 10_000,
      influencedBps: 10_000,
      ruleRef: `${ruleSetRef} (no crediting rule for ${scenario ?? 'no scenario'})`,
    };
  return {
    directSellerCredit: hint.directSellerCredit,
    sourcedBps: hint.partnerSourcedMultiplierBps,
    influencedBps: hint.partnerInfluencedMultiplierBps,
    ruleRef: `${ruleSetRef} ${hint.id}`,
  };
}

const pct = (bps: number): string => `${(bps / 100).toString()}%`;
const times = (bps: number): string => `x${(bps / 10_000).toString()}`;

export function isRefund(tx: Pick<CreditableTransaction, 'kind' | 'amountMinor'>): boolean {
  return (tx.kind === 'credit_note' || tx.kind === 'cancellation') && tx.amountMinor < 0;
}

function checkSellers(tx: CreditableTransaction): void {
  for (const s of tx.sellers)
    if (!Number.isInteger(s.splitBps) || s.splitBps < 0 || s.splitBps > 10_000)
      throw new RangeError(
        `transaction ${tx.transactionId}: split of ${s.participantId} must be a whole number of basis points from 0 to 10000, not ${s.splitBps}`,
      );
  const total = tx.sellers.reduce((a, s) => a + s.splitBps, 0);
  if (tx.sellers.length > 0 && total !== 10_000) throw new RangeError(`transaction ${tx.transactionId}: seller splits add up to ${total} bp, not 10000`);
}

/** Turns one transaction into credit lines (none when the clawback policy drops a refund). */
export function creditTransaction(tx: CreditableTransaction, ctx: CreditingContext): CreditLine[] {
  const { plan } = ctx;
  checkSellers(tx);
  const clawback = isRefund(tx);
  if (clawback) {
    if (plan.clawback.policy === 'none') return [];
    if (plan.clawback.policy === 'within_days' && plan.clawback.withinDays !== null && tx.originalRecognisedOn !== null) {
      if (daysBetween(tx.originalRecognisedOn, tx.recognisedOn) > plan.clawback.withinDays) return [];
    }
  }

  let fxNum = 1n;
  let fxDen = 1n;
  let fx: CreditLine['fx'] = null;
  if (tx.currency !== plan.currency) {
    if (ctx.fx === null)
      throw new RangeError(
        `transaction ${tx.transactionId} is in ${tx.currency} but plan ${plan.key} pays in ${plan.currency}: a dated ${tx.currency}/${plan.currency} rate is needed`,
      );
    if (ctx.fx.numerator <= 0n || ctx.fx.denominator <= 0n) throw new RangeError(`the ${tx.currency}/${plan.currency} rate must be positive`);
    fxNum = ctx.fx.numerator;
    fxDen = ctx.fx.denominator;
    fx = { from: tx.currency, rate: ctx.fx.rate, on: ctx.fx.on };
  }
  /** The transaction's value x fx x factor, rounded once. */
  const convert = (num: bigint, den: bigint): number => {
    const v = Number(divideRounded(BigInt(tx.amountMinor) * fxNum * num, fxDen * den, plan.rounding));
    if (!Number.isSafeInteger(v)) throw new RangeError(`transaction ${tx.transactionId}: converted amount is too large`);
    return v;
  };
  const dealValue = convert(1n, 1n);

  const base = {
    transactionId: tx.transactionId,
    sourcing: tx.sourcing,
    product: tx.product,
    scenario: tx.scenario,
    segment: tx.segment,
    recognisedOn: tx.recognisedOn,
    clawback,
    dealValueMinor: dealValue,
    fx,
  };
  const lines: CreditLine[] = [];

  // Direct sellers.
  let sellerValue: number | null = dealValue;
  let partnerText = '';
  if (tx.sourcing !== 'direct') {
    const pc = ctx.partnerCredit;
    const mult = tx.sourcing === 'partner_sourced' ? pc.sourcedBps : pc.influencedBps;
    const label = tx.sourcing === 'partner_sourced' ? 'partner-sourced' : 'partner-influenced';
    if (pc.directSellerCredit === 'none') sellerValue = null;
    else if (pc.directSellerCredit === 'full') sellerValue = convert(BigInt(mult), 10_000n);
    else sellerValue = convert(BigInt(mult), 20_000n);
    partnerText = ` · ${pc.ruleRef}: ${label} ${times(mult)}${pc.directSellerCredit === 'split' ? ', half the value' : ''}`;
  }
  const sellers = tx.sellers.filter((s) => s.splitBps > 0);
  if (sellerValue !== null && sellers.length > 0) {
    const parts = allocate(
      moneyOf(sellerValue, plan.currency),
      sellers.map((s) => s.splitBps),
    );
    const kind: CreditKind = sellers.length === 1 ? 'direct' : 'split';
    sellers.forEach((s, i) => {
      const credit = parts[i]?.amountMinor ?? 0;
      const rule = `${kind} ${pct(s.splitBps)}${partnerText}`;
      lines.push({ ...base, participantId: s.participantId, kind, creditMinor: credit, rule });
      // Roll-up to the managers above the seller.
      const seen = new Set([s.participantId]);
      let manager = ctx.managerOf(s.participantId);
      for (let level = 1; level <= plan.crediting.rollupLevels && manager !== null && !seen.has(manager); level += 1) {
        seen.add(manager);
        lines.push({ ...base, participantId: manager, kind: 'rollup', creditMinor: credit, rule: `roll-up level ${level} from ${s.participantId} · ${rule}` });
        manager = ctx.managerOf(manager);
      }
    });
  }

  // Overlays: the full value each.
  for (const o of tx.overlays) lines.push({ ...base, participantId: o, kind: 'overlay', creditMinor: dealValue, rule: 'overlay: full value' });
  return lines;
}

/** SPIFF component keys a credit line counts for: window [from, to) on recognisedOn, filter, minimum deal value. Refunds: none (SPIFFs are not clawed back). */
export function spiffKeysFor(plan: PlanDocument, line: CreditLine): string[] {
  if (line.clawback) return [];
  const keys: string[] = [];
  for (const c of plan.components) {
    if (c.kind !== 'spiff') continue;
    if (line.recognisedOn < c.from || line.recognisedOn >= c.to) continue;
    if (!passesFilter(c.credits, line)) continue;
    if (Math.abs(line.dealValueMinor) < c.minDealValueMinor) continue;
    keys.push(c.key);
  }
  return keys.sort();
}

const kindOrder = new Map<string, number>(creditKinds.map((k, i) => [k, i]));
const sourcingOrder = new Map<string, number>(sourcings.map((s, i) => [s, i]));
const nullsFirst = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

function compareBuckets(a: CreditBucket, b: CreditBucket): number {
  return (
    (kindOrder.get(a.kind) ?? 0) - (kindOrder.get(b.kind) ?? 0) ||
    (sourcingOrder.get(a.sourcing) ?? 0) - (sourcingOrder.get(b.sourcing) ?? 0) ||
    nullsFirst(a.product, b.product) ||
    nullsFirst(a.scenario, b.scenario) ||
    nullsFirst(a.segment, b.segment) ||
    Number(a.clawback) - Number(b.clawback) ||
    nullsFirst(a.spiffKeys.join(','), b.spiffKeys.join(','))
  );
}

/**
 * Groups credit lines to the engine's buckets: participantId -> payout period start -> buckets, by
 * (kind, sourcing, product, scenario, segment, clawback, SPIFF keys); deals = distinct transactions.
 * Participants and periods in ascending order, buckets in a fixed order (kind, sourcing, attributes).
 * The period's end is payoutPeriodOf(plan, start).end.
 */
export function bucketize(plan: PlanDocument, lines: readonly CreditLine[]): Map<string, Map<string, CreditBucket[]>> {
  type Acc = { bucket: CreditBucket; credit: number; deals: Set<string> };
  const acc = new Map<string, Map<string, Map<string, Acc>>>();
  for (const l of lines) {
    const period = payoutPeriodOf(plan, l.recognisedOn).start;
    const spiffKeys = spiffKeysFor(plan, l);
    const key = JSON.stringify([l.kind, l.sourcing, l.product, l.scenario, l.segment, l.clawback, spiffKeys]);
    let byPeriod = acc.get(l.participantId);
    if (!byPeriod) acc.set(l.participantId, (byPeriod = new Map<string, Map<string, Acc>>()));
    let byKey = byPeriod.get(period);
    if (!byKey) byPeriod.set(period, (byKey = new Map<string, Acc>()));
    let a = byKey.get(key);
    if (!a) {
      a = {
        bucket: {
          kind: l.kind,
          sourcing: l.sourcing,
          product: l.product,
          scenario: l.scenario,
          segment: l.segment,
          clawback: l.clawback,
          spiffKeys,
          creditMinor: 0,
          deals: 0,
        },
        credit: 0,
        deals: new Set(),
      };
      byKey.set(key, a);
    }
    a.credit += l.creditMinor;
    a.deals.add(l.transactionId);
  }
  const out = new Map<string, Map<string, CreditBucket[]>>();
  for (const participant of [...acc.keys()].sort()) {
    const byPeriod = acc.get(participant) ?? new Map<string, Map<string, Acc>>();
    const periods = new Map<string, CreditBucket[]>();
    for (const period of [...byPeriod.keys()].sort()) {
      const buckets = [...(byPeriod.get(period)?.values() ?? [])].map((a) => ({ ...a.bucket, creditMinor: a.credit, deals: a.deals.size }));
      periods.set(period, buckets.sort(compareBuckets));
    }
    out.set(participant, periods);
  }
  return out;
}
