import { daysBetween } from '../dates.ts';
import { divideRounded, formatMajorAmount, type RoundingMode } from '../money.ts';
import type { CreditBucket, ParticipantPeriodInput, ParticipantPeriodResult, PayoutLine, PayoutLineKind, PriorState } from './engine-types.ts';
import type {
  AccountabilityComponent,
  BonusComponent,
  CommissionComponent,
  CreditFilter,
  CreditKind,
  DrawComponent,
  Gate,
  PlanComponent,
  PlanDocument,
  Sourcing,
  SpiffComponent,
  Tier,
  TieredComponent,
} from './plan.ts';

/**
 * The one calculation engine: applies a plan document to one participant's credit buckets of one
 * payout period. Pure and deterministic (no clock, no I/O, no floating point in amounts): every
 * amount is an exact rational until it is rounded once, per payout line, with plan.rounding.
 *
 * Semantics chosen where the plan model leaves room (see also the tests):
 * - Attainment is never negative: net refunds above the period's sales give 0.
 * - Component caps apply to the component's net total in the period (earnings, true-ups and
 *   clawbacks together). A gate withholds a component's earnings; its clawbacks still apply.
 * - Year-to-date tiered windows pay (due for the whole window) - (paid earlier in the fiscal year),
 *   which is negative when a decelerator lowers the rate on earlier credit. What was paid earlier
 *   counts the component's earning, true-up and cap lines, not its clawback lines (a clawback is
 *   never undone by a later true-up); a cap therefore defers the excess to later periods of the
 *   year, and a gated period's credit is paid by the first later period that passes the gate.
 * - Partner pay multipliers of a tiered component scale the payout of each bucket's credit, never
 *   the attainment. For year-to-date windows the multiplied credit of a period is rounded once to
 *   minor units and carried in PriorState.ytdComponentPayCreditMinor.
 * - SPIFFs are not clawed back (clawback buckets never count for SPIFFs).
 * - The draw tops up total earnings (after every cap, clawbacks included) to the draw amount.
 * - Lines: the components in plan order (draw aside), then the plan's period cap ('_plan'), then
 *   the draw; within a component: earnings or true-up, clawbacks, cap, gate.
 */

const BP = 10_000n;

// ---------------------------------------------------------------------------------------------
// Exact rationals (denominator always positive)

type Ratio = { n: bigint; d: bigint };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function ratio(n: bigint, d = 1n): Ratio {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}
const bpsRatio = (bps: number | bigint): Ratio => ratio(BigInt(bps), BP);
const ONE: Ratio = { n: 1n, d: 1n };
const ZERO: Ratio = { n: 0n, d: 1n };
const mul = (...xs: Ratio[]): Ratio => xs.reduce((a, b) => ratio(a.n * b.n, a.d * b.d), ONE);
const add = (a: Ratio, b: Ratio): Ratio => ratio(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Ratio, b: Ratio): Ratio => add(a, { n: -b.n, d: b.d });
const cmp = (a: Ratio, b: Ratio): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
const minR = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) <= 0 ? a : b);
const maxR = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) >= 0 ? a : b);
const minor = (amount: number): Ratio => ratio(BigInt(amount));

function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} is beyond the safe integer range of minor units`);
  return n;
}

/** The one rounding of a payout line. */
function roundRatio(r: Ratio, mode: RoundingMode): number {
  return toSafeNumber(divideRounded(r.n, r.d, mode));
}

/** A finite decimal number (a metric, a target) as the exact decimal the user wrote: 0.95 = 95/100. */
export function decimalRatio(x: number): { n: bigint; d: bigint } {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  let n = BigInt((m[2] ?? '0') + frac);
  if (m[1]) n = -n;
  return exp >= 0 ? ratio(n * 10n ** BigInt(exp)) : ratio(n, 10n ** BigInt(-exp));
}

// ---------------------------------------------------------------------------------------------
// Formatting for explanations (no Intl: the same text in every runtime and locale)

/** 123456 USD -> "1,234.56 USD"; the currency's minor digits from money.ts. */
export function formatAmount(amountMinor: number, currency: string): string {
  const [whole = '', fraction] = formatMajorAmount(amountMinor, currency).split('.');
  return `${groupThousands(whole)}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/** "-1234567" -> "-1,234,567": a comma between every three digits from the right (what /\B(?=(\d{3})+(?!\d))/g inserts in a sign and digits). */
function groupThousands(whole: string): string {
  const sign = whole.startsWith('-') ? 1 : 0;
  const n = whole.length - sign;
  if (n <= 3) return whole;
  let out = whole.slice(0, sign + (n % 3 || 3));
  for (let i = sign + (n % 3 || 3); i < whole.length; i += 3) out += `,${whole.slice(i, i + 3)}`;
  return out;
}

function decimalText(value: number, scaleDigits: number): string {
  const negative = value < 0;
  const abs = Math.abs(Math.trunc(value))
    .toString()
    .padStart(scaleDigits + 1, '0');
  const whole = abs.slice(0, abs.length - scaleDigits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = abs.slice(abs.length - scaleDigits).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** 250 -> "2.5%". */
export const formatPercent = (bps: number): string => `${decimalText(bps, 2)}%`;
/** 12000 -> "1.2". */
export const formatMultiplier = (bps: number): string => decimalText(bps, 4);

const sourcingLabel: Record<Sourcing, string> = { direct: 'direct', partner_sourced: 'partner-sourced', partner_influenced: 'partner-influenced' };

// ---------------------------------------------------------------------------------------------
// Payout periods and the fiscal year

const periodMonths = { month: 1, quarter: 3, year: 12 } as const;

function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}
function monthStart(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}
const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** The payout period [start, end) of the plan containing a date, aligned to the fiscal year. */
export function payoutPeriodOf(plan: Pick<PlanDocument, 'payoutPeriod' | 'fiscalYearStartMonth'>, date: string): { start: string; end: string } {
  const len = periodMonths[plan.payoutPeriod];
  const idx = monthIndex(date);
  const start = idx - mod(idx - (plan.fiscalYearStartMonth - 1), len);
  return { start: monthStart(start), end: monthStart(start + len) };
}

/** The plan's payout periods overlapping [from, to), whole periods (not clipped to the range). */
export function payoutPeriods(plan: Pick<PlanDocument, 'payoutPeriod' | 'fiscalYearStartMonth'>, from: string, to: string): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  if (to <= from) return out;
  let p = payoutPeriodOf(plan, from);
  while (p.start < to) {
    out.push(p);
    p = payoutPeriodOf(plan, p.end);
  }
  return out;
}

/** The first day of the fiscal year containing a date. */
export function fiscalYearStart(plan: Pick<PlanDocument, 'fiscalYearStartMonth'>, date: string): string {
  const idx = monthIndex(date);
  return monthStart(idx - mod(idx - (plan.fiscalYearStartMonth - 1), 12));
}

/** True when a payout period starting on this day opens a fiscal year: the caller then passes a fresh PriorState (draw balance kept). */
export function startsFiscalYear(plan: Pick<PlanDocument, 'fiscalYearStartMonth'>, periodStart: string): boolean {
  return fiscalYearStart(plan, periodStart) === periodStart;
}

/**
 * The state to pass into the period starting at nextPeriodStart: `next` as is within a fiscal year;
 * at a new fiscal year the year-to-date fields start again while the draw balance and periods on
 * the plan carry over.
 */
export function carryInto(plan: Pick<PlanDocument, 'fiscalYearStartMonth'>, next: PriorState, nextPeriodStart: string): PriorState {
  if (!startsFiscalYear(plan, nextPeriodStart)) return next;
  return {
    ytdQuotaCreditMinor: 0,
    ytdQuotaMinor: 0,
    ytdComponentCreditMinor: {},
    ytdComponentPayCreditMinor: {},
    ytdPaidMinor: {},
    drawBalanceMinor: next.drawBalanceMinor,
    periodsOnPlan: next.periodsOnPlan,
  };
}

// ---------------------------------------------------------------------------------------------
// Matching

export type CreditAttributes = { kind: CreditKind; sourcing: Sourcing; product: string | null; scenario: string | null; segment: string | null };

function inList(list: readonly string[] | null, value: string | null): boolean {
  if (list === null) return true;
  return value !== null && list.includes(value);
}

/** Whether credit with these attributes counts for a filter (null list = any; a null attribute passes only a null list). */
export function passesFilter(filter: CreditFilter, item: CreditAttributes): boolean {
  return (
    filter.creditKinds.includes(item.kind) &&
    inList(filter.products, item.product) &&
    inList(filter.scenarios, item.scenario) &&
    inList(filter.segments, item.segment) &&
    (filter.sourcings === null || filter.sourcings.includes(item.sourcing))
  );
}

/** The rate of a commission component for a bucket: the most specific rate table entry, else the component's rate. */
export function commissionRate(
  c: Pick<CommissionComponent, 'rateBps' | 'rateTable'>,
  b: Omit<CreditAttributes, 'kind' | 'sourcing'>,
): { rateBps: number; source: string } {
  let best: { score: number; rateBps: number; source: string } | null = null;
  for (const e of c.rateTable) {
    if (e.product !== null && e.product !== b.product) continue;
    if (e.scenario !== null && e.scenario !== b.scenario) continue;
    if (e.segment !== null && e.segment !== b.segment) continue;
    const named = [e.product, e.scenario, e.segment].filter((v) => v !== null);
    const score = named.length * 8 + (e.product !== null ? 4 : 0) + (e.scenario !== null ? 2 : 0) + (e.segment !== null ? 1 : 0);
    if (best === null || score > best.score) best = { score, rateBps: e.rateBps, source: named.join(' / ') };
  }
  return best ? { rateBps: best.rateBps, source: best.source } : { rateBps: c.rateBps, source: 'base rate' };
}

type PartnerMultipliers = { partnerSourcedMultiplierBps: number; partnerInfluencedMultiplierBps: number };
function partnerMultiplier(c: PartnerMultipliers, sourcing: Sourcing): number {
  return sourcing === 'partner_sourced' ? c.partnerSourcedMultiplierBps : sourcing === 'partner_influenced' ? c.partnerInfluencedMultiplierBps : 10_000;
}

/** The last step starting at or below the attainment, or null. */
function stepReached<T extends { fromBps: number }>(steps: readonly T[], attainmentBps: number): T | null {
  let found: T | null = null;
  for (const s of steps) if (s.fromBps <= attainmentBps) found = s;
  return found;
}

/** The band containing the attainment: the last band starting at or below it (on a boundary: the higher band). */
function bandIndex(tiers: readonly Tier[], attainmentBps: number): number {
  let idx = 0;
  tiers.forEach((t, i) => {
    if (t.fromBps <= attainmentBps) idx = i;
  });
  return idx;
}

const bandText = (t: { fromBps: number; toBps: number | null }): string =>
  t.toBps === null ? `from ${formatPercent(t.fromBps)}` : `${formatPercent(t.fromBps)}–${formatPercent(t.toBps)}`;

/** Attainment in bp, rounded down, never negative; 0 without a (positive) quota. */
function attainmentOf(credit: number, quota: number | null): number {
  if (quota === null || quota <= 0 || credit <= 0) return 0;
  return toSafeNumber((BigInt(credit) * BP) / BigInt(quota));
}

// ---------------------------------------------------------------------------------------------
// The calculation

type Ctx = {
  plan: PlanDocument;
  input: ParticipantPeriodInput;
  mode: RoundingMode;
  money: (amountMinor: number) => string;
  attainmentBps: number;
  ytdAttainmentBps: number;
  /** Quota and quota credit of the period and of the year to date (quota null = none). */
  periodQuota: number | null;
  quotaCredit: number;
  ytdQuota: number | null;
  ytdQuotaCredit: number;
};

type Indexed = { b: CreditBucket; i: number };

function lineOf(
  c: { key: string; name: string },
  kind: PayoutLineKind,
  fields: Partial<PayoutLine> & { amountMinor: number; explanation: string },
): PayoutLine {
  return { componentKey: c.key, componentName: c.name, kind, basisMinor: null, rateBps: null, multiplierBps: 10_000, tier: null, bucketIndexes: [], ...fields };
}

function displayBps(r: Ratio): number {
  return roundRatio(mul(r, ratio(BP)), 'half_even');
}

function gateFailure(gate: Gate | null, ctx: Ctx): string | null {
  if (gate === null) return null;
  const failed: string[] = [];
  if (gate.minAttainmentBps !== null && ctx.attainmentBps < gate.minAttainmentBps)
    failed.push(`attainment ${formatPercent(ctx.attainmentBps)} is below the ${formatPercent(gate.minAttainmentBps)} minimum`);
  for (const g of gate.metrics) {
    const actual = ctx.input.metrics[g.metric];
    if (actual === undefined) failed.push(`${g.metric} was not measured (minimum ${g.min})`);
    else if (actual < g.min) failed.push(`${g.metric} ${actual} is below the minimum ${g.min}`);
  }
  return failed.length === 0 ? null : `Gate not met: ${failed.join('; ')}. Pays nothing this period.`;
}

/** Groups buckets by a key, in order of first appearance. */
function groupBy<K extends string>(items: readonly Indexed[], keyOf: (x: Indexed) => K): Map<K, Indexed[]> {
  const groups = new Map<K, Indexed[]>();
  for (const x of items) {
    const k = keyOf(x);
    const g = groups.get(k);
    if (g) g.push(x);
    else groups.set(k, [x]);
  }
  return groups;
}

const sumCredit = (xs: readonly Indexed[]): number => xs.reduce((s, x) => s + x.b.creditMinor, 0);
const distinct = (values: readonly string[]): string[] => [...new Set(values)];

function sourcingText(xs: readonly Indexed[]): string {
  const s = distinct(xs.map((x) => sourcingLabel[x.b.sourcing]));
  return s.length === 1 ? `${s[0]} ` : '';
}

function multiplierText(partnerBps: number, sourcings: readonly Sourcing[], extra: string[] = []): string {
  const parts: string[] = [];
  if (partnerBps !== 10_000) parts.push(`x ${formatMultiplier(partnerBps)} ${distinct(sourcings.map((s) => sourcingLabel[s])).join('/')}`);
  return [...parts, ...extra].map((p) => ` ${p}`).join('');
}

type Evaluated = { earnings: PayoutLine[]; clawbacks: PayoutLine[]; gate: string | null };

// --- commission

function commissionLines(c: CommissionComponent, ctx: Ctx, items: readonly Indexed[], kind: 'earning' | 'clawback'): PayoutLine[] {
  const step = stepReached(c.attainmentMultipliers, ctx.attainmentBps);
  const stepBps = step?.multiplierBps ?? 10_000;
  const enriched = items.map((x) => ({ ...x, rate: commissionRate(c, x.b), pm: partnerMultiplier(c, x.b.sourcing) }));
  const groups = new Map<string, typeof enriched>();
  for (const x of enriched) {
    const k = `${x.rate.rateBps}|${x.pm}`;
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  const out: PayoutLine[] = [];
  for (const g of groups.values()) {
    const first = g[0];
    if (!first) continue;
    const credit = sumCredit(g);
    const rateBps = first.rate.rateBps;
    const multiplier = mul(bpsRatio(first.pm), bpsRatio(stepBps));
    const amount = roundRatio(mul(minor(credit), bpsRatio(rateBps), multiplier), ctx.mode);
    const extra = stepBps !== 10_000 ? [`x ${formatMultiplier(stepBps)} at ${formatPercent(ctx.attainmentBps)} attainment`] : [];
    const what = kind === 'clawback' ? 'refunded ' : '';
    out.push(
      lineOf(c, kind, {
        basisMinor: credit,
        rateBps,
        multiplierBps: displayBps(multiplier),
        bucketIndexes: g.map((x) => x.i),
        amountMinor: amount,
        explanation:
          `${kind === 'clawback' ? 'Clawback: ' : ''}${formatPercent(rateBps)} of ${ctx.money(credit)} ${sourcingText(g)}${what}credit ` +
          `(${distinct(g.map((x) => x.rate.source)).join(', ')})${multiplierText(
            first.pm,
            g.map((x) => x.b.sourcing),
            extra,
          )}`,
      }),
    );
  }
  return out;
}

// --- tiered

/** The rate of a band as a fraction: the band rate, or (retroactive) base x band multiplier. */
function bandRate(c: TieredComponent, t: Tier): Ratio {
  return c.mode === 'retroactive' ? mul(bpsRatio(c.baseRateBps ?? 0), bpsRatio(t.rateBps)) : bpsRatio(t.rateBps);
}

/**
 * Shares of the window's credit per band (fractions summing to 1). Flat and retroactive: all of it in
 * the band reached. Marginal: the window's quota credit split at the band boundaries (boundary credit
 * = quota x boundary), each band's share = the quota credit between its boundaries / all quota credit;
 * without a quota (or credit) everything is in the first band.
 */
function bandShares(c: TieredComponent, attainmentBps: number, quota: number | null, quotaCredit: number): Ratio[] {
  const shares = c.tiers.map(() => ZERO);
  if (c.mode !== 'marginal') {
    shares[bandIndex(c.tiers, attainmentBps)] = ONE;
    return shares;
  }
  if (quota === null || quota <= 0 || quotaCredit <= 0) {
    shares[0] = ONE;
    return shares;
  }
  const total = ratio(BigInt(quotaCredit));
  return c.tiers.map((t) => {
    const lo = ratio(BigInt(quota) * BigInt(t.fromBps), BP);
    const hi = t.toBps === null ? total : minR(total, ratio(BigInt(quota) * BigInt(t.toBps), BP));
    const inBand = maxR(ZERO, sub(hi, lo));
    return ratio(inBand.n * total.d, inBand.d * total.n);
  });
}

function tieredLines(
  c: TieredComponent,
  ctx: Ctx,
  earning: readonly Indexed[],
  clawback: readonly Indexed[],
): { earnings: PayoutLine[]; clawbacks: PayoutLine[] } {
  const ytd = c.window === 'year_to_date';
  const attainment = ytd ? ctx.ytdAttainmentBps : ctx.attainmentBps;
  const reached = bandIndex(c.tiers, attainment);
  const reachedTier = c.tiers[reached] as Tier;
  const tierOf = (t: Tier) => ({ fromBps: t.fromBps, toBps: t.toBps });
  const shares = bandShares(c, attainment, ytd ? ctx.ytdQuota : ctx.periodQuota, ytd ? ctx.ytdQuotaCredit : ctx.quotaCredit);
  const attText = `${formatPercent(attainment)} ${ytd ? 'year-to-date ' : ''}attainment`;
  const earnings: PayoutLine[] = [];

  if (!ytd) {
    for (const g of groupBy(earning, (x) => String(partnerMultiplier(c, x.b.sourcing))).values()) {
      const first = g[0];
      if (!first) continue;
      const pm = partnerMultiplier(c, first.b.sourcing);
      const credit = sumCredit(g);
      c.tiers.forEach((t, k) => {
        const share = shares[k] ?? ZERO;
        if (share.n === 0n) return;
        const rate = bandRate(c, t);
        const basis = mul(minor(credit), share);
        const amount = roundRatio(mul(basis, rate, bpsRatio(pm)), ctx.mode);
        const basisMinor = roundRatio(basis, ctx.mode);
        const retro = c.mode === 'retroactive';
        const rateText = retro
          ? `${formatPercent(c.baseRateBps ?? 0)} base rate x ${formatMultiplier(t.rateBps)} (band ${bandText(t)} reached at ${attText})`
          : `${formatPercent(t.rateBps)} (band ${bandText(t)}${c.mode === 'flat' ? ` reached at ${attText}` : ''})`;
        const ofText =
          c.mode === 'marginal'
            ? `${ctx.money(basisMinor)} of ${ctx.money(credit)} ${sourcingText(g)}credit at ${attText}`
            : `${ctx.money(credit)} ${sourcingText(g)}credit`;
        earnings.push(
          lineOf(c, 'earning', {
            basisMinor,
            rateBps: retro ? (c.baseRateBps ?? 0) : t.rateBps,
            multiplierBps: displayBps(mul(retro ? bpsRatio(t.rateBps) : ONE, bpsRatio(pm))),
            tier: tierOf(t),
            bucketIndexes: g.map((x) => x.i),
            amountMinor: amount,
            explanation: `${rateText} of ${ofText}${multiplierText(
              pm,
              g.map((x) => x.b.sourcing),
            )}`,
          }),
        );
      });
    }
  } else {
    const priorCredit = ctx.input.prior.ytdComponentCreditMinor[c.key] ?? 0;
    const priorPay = ctx.input.prior.ytdComponentPayCreditMinor?.[c.key] ?? priorCredit;
    const credit = sumCredit(earning);
    const payCredit = ytdPayCredit(c, earning, ctx.mode);
    const windowPay = priorPay + payCredit;
    let due = ZERO;
    c.tiers.forEach((t, k) => {
      due = add(due, mul(minor(windowPay), shares[k] ?? ZERO, bandRate(c, t)));
    });
    const paid = ctx.input.prior.ytdPaidMinor[c.key] ?? 0;
    const amount = roundRatio(sub(due, minor(paid)), ctx.mode);
    if (credit !== 0 || priorCredit !== 0 || paid !== 0) {
      const rateText =
        c.mode === 'marginal'
          ? `the bands' rates (${c.tiers
              .map((t, k) => ((shares[k] ?? ZERO).n === 0n ? null : `${formatPercent(t.rateBps)} ${bandText(t)}`))
              .filter((s) => s !== null)
              .join(', ')}) at ${attText}`
          : c.mode === 'retroactive'
            ? `${formatPercent(c.baseRateBps ?? 0)} base rate x ${formatMultiplier(reachedTier.rateBps)} (band ${bandText(reachedTier)} reached at ${attText})`
            : `${formatPercent(reachedTier.rateBps)} (band ${bandText(reachedTier)} reached at ${attText})`;
      const weighted = windowPay !== priorCredit + credit ? ` (${ctx.money(windowPay)} after partner multipliers)` : '';
      earnings.push(
        lineOf(c, paid !== 0 ? 'true_up' : 'earning', {
          basisMinor: windowPay,
          rateBps: c.mode === 'marginal' ? null : c.mode === 'retroactive' ? (c.baseRateBps ?? 0) : reachedTier.rateBps,
          multiplierBps: c.mode === 'retroactive' ? reachedTier.rateBps : 10_000,
          tier: tierOf(reachedTier),
          bucketIndexes: earning.map((x) => x.i),
          amountMinor: amount,
          explanation:
            `Year to date: ${rateText} of ${ctx.money(priorCredit + credit)} credit${weighted} = ${ctx.money(roundRatio(due, ctx.mode))} due` +
            (paid !== 0 ? `, less ${ctx.money(paid)} paid earlier this year` : ''),
        }),
      );
    }
  }

  // Clawbacks: the refunded credit at the rate of the band reached now, with the partner multiplier.
  const clawbacks: PayoutLine[] = [];
  const rate = bandRate(c, reachedTier);
  for (const g of groupBy(clawback, (x) => String(partnerMultiplier(c, x.b.sourcing))).values()) {
    const first = g[0];
    if (!first) continue;
    const pm = partnerMultiplier(c, first.b.sourcing);
    const credit = sumCredit(g);
    const retro = c.mode === 'retroactive';
    clawbacks.push(
      lineOf(c, 'clawback', {
        basisMinor: credit,
        rateBps: retro ? (c.baseRateBps ?? 0) : reachedTier.rateBps,
        multiplierBps: displayBps(mul(retro ? bpsRatio(reachedTier.rateBps) : ONE, bpsRatio(pm))),
        tier: tierOf(reachedTier),
        bucketIndexes: g.map((x) => x.i),
        amountMinor: roundRatio(mul(minor(credit), rate, bpsRatio(pm)), ctx.mode),
        explanation:
          `Clawback: ${retro ? `${formatPercent(c.baseRateBps ?? 0)} base rate x ${formatMultiplier(reachedTier.rateBps)}` : formatPercent(reachedTier.rateBps)}` +
          ` (band ${bandText(reachedTier)} at ${attText}) of ${ctx.money(credit)} ${sourcingText(g)}refunded credit${multiplierText(
            pm,
            g.map((x) => x.b.sourcing),
          )}`,
      }),
    );
  }
  return { earnings, clawbacks };
}

/** This period's credit of a ytd tiered component after partner multipliers, rounded once. */
function ytdPayCredit(c: TieredComponent, earning: readonly Indexed[], mode: RoundingMode): number {
  let pay = ZERO;
  for (const x of earning) pay = add(pay, mul(minor(x.b.creditMinor), bpsRatio(partnerMultiplier(c, x.b.sourcing))));
  return roundRatio(pay, mode);
}

// --- bonus, accountability, spiff

function bonusLine(c: BonusComponent, ctx: Ctx): PayoutLine {
  const step = stepReached(c.schedule, ctx.attainmentBps);
  const payoutBps = step?.payoutBps ?? 0;
  return lineOf(c, 'earning', {
    basisMinor: c.targetIncentiveMinor,
    rateBps: payoutBps,
    amountMinor: roundRatio(mul(minor(c.targetIncentiveMinor), bpsRatio(payoutBps)), ctx.mode),
    explanation: step
      ? `${formatPercent(payoutBps)} of the ${ctx.money(c.targetIncentiveMinor)} target incentive at ${formatPercent(ctx.attainmentBps)} attainment (step from ${formatPercent(step.fromBps)})`
      : `No step reached at ${formatPercent(ctx.attainmentBps)} attainment: pays nothing`,
  });
}

function accountabilityLine(c: AccountabilityComponent, ctx: Ctx): PayoutLine {
  const actual = ctx.input.metrics[c.metric];
  const base = { basisMinor: c.targetIncentiveMinor };
  if (actual === undefined) return lineOf(c, 'earning', { ...base, rateBps: 0, amountMinor: 0, explanation: `${c.metric} not measured: pays nothing` });
  const a = decimalRatio(actual);
  const t = decimalRatio(c.target);
  const cap = bpsRatio(c.capBps);
  const lower = c.direction === 'lower_is_better';
  const achievement = lower ? (a.n <= 0n ? cap : ratio(t.n * a.d, t.d * a.n)) : ratio(a.n * t.d, a.d * t.n);
  const achievedBps = toSafeNumber(divideRounded(achievement.n * BP, achievement.d, 'down'));
  const measured = `${c.metric} ${actual} against a target of ${c.target}${lower ? ' (lower is better)' : ''}: ${formatPercent(achievedBps)} achievement`;
  if (cmp(achievement, bpsRatio(c.thresholdBps)) < 0)
    return lineOf(c, 'earning', {
      ...base,
      rateBps: 0,
      amountMinor: 0,
      explanation: `${measured}, below the ${formatPercent(c.thresholdBps)} threshold: pays nothing`,
    });
  const capped = cmp(achievement, cap) > 0;
  const paid = capped ? cap : achievement;
  const paidBps = capped ? c.capBps : achievedBps;
  return lineOf(c, 'earning', {
    ...base,
    rateBps: paidBps,
    amountMinor: roundRatio(mul(minor(c.targetIncentiveMinor), paid), ctx.mode),
    explanation: `${measured}${capped ? `, capped at ${formatPercent(c.capBps)}` : ''}; pays ${formatPercent(paidBps)} of the ${ctx.money(c.targetIncentiveMinor)} target incentive`,
  });
}

function spiffLines(c: SpiffComponent, ctx: Ctx, items: readonly Indexed[]): PayoutLine[] {
  if (items.length === 0) return [];
  const deals = items.reduce((s, x) => s + x.b.deals, 0);
  const credit = sumCredit(items);
  const indexes = items.map((x) => x.i);
  const window = `SPIFF ${c.from} to ${c.to} (exclusive)`;
  const out: PayoutLine[] = [];
  if (c.perDealMinor > 0)
    out.push(
      lineOf(c, 'earning', {
        bucketIndexes: indexes,
        amountMinor: toSafeNumber(BigInt(deals) * BigInt(c.perDealMinor)),
        explanation: `${deals} deal${deals === 1 ? '' : 's'} x ${ctx.money(c.perDealMinor)} (${window})`,
      }),
    );
  if (c.rateBps > 0)
    out.push(
      lineOf(c, 'earning', {
        basisMinor: credit,
        rateBps: c.rateBps,
        bucketIndexes: indexes,
        amountMinor: roundRatio(mul(minor(credit), bpsRatio(c.rateBps)), ctx.mode),
        explanation: `${formatPercent(c.rateBps)} of ${ctx.money(credit)} credit (${window})`,
      }),
    );
  return out;
}

function capLine(
  c: { key: string; name: string },
  capMinor: number | null,
  lines: readonly PayoutLine[],
  money: (n: number) => string,
  what: string,
): PayoutLine | null {
  if (capMinor === null) return null;
  const total = lines.reduce((s, l) => s + l.amountMinor, 0);
  if (total <= capMinor) return null;
  return lineOf(c, 'cap', { amountMinor: capMinor - total, explanation: `${what} capped at ${money(capMinor)} (earned ${money(total)})` });
}

// --- draw

function drawLines(c: DrawComponent, ctx: Ctx, earnings: number, prior: PriorState): { lines: PayoutLine[]; balance: number } {
  const balance = prior.drawBalanceMinor;
  const guarantee = prior.periodsOnPlan < c.guaranteePeriods;
  const money = ctx.money;
  if (earnings < c.amountMinor) {
    const topUp = c.amountMinor - earnings;
    const why = guarantee
      ? `guaranteed (period ${prior.periodsOnPlan + 1} of ${c.guaranteePeriods}), not recovered`
      : c.recoverable
        ? `recoverable: owed back from later earnings above the draw (balance ${money(balance + topUp)})`
        : 'non-recoverable';
    return {
      lines: [
        lineOf(c, 'draw', {
          basisMinor: earnings,
          amountMinor: topUp,
          explanation: `Draw of ${money(c.amountMinor)} tops up earnings of ${money(earnings)}: ${why}`,
        }),
      ],
      balance: c.recoverable && !guarantee ? balance + topUp : balance,
    };
  }
  if (c.recoverable && !guarantee && earnings > c.amountMinor && balance > 0) {
    const share = roundRatio(mul(minor(earnings - c.amountMinor), bpsRatio(c.recoveryBps)), ctx.mode);
    const recovered = Math.min(balance, share);
    if (recovered <= 0) return { lines: [], balance };
    return {
      lines: [
        lineOf(c, 'draw_recovery', {
          basisMinor: earnings - c.amountMinor,
          rateBps: c.recoveryBps,
          amountMinor: -recovered,
          explanation:
            `Draw recovery: ${formatPercent(c.recoveryBps)} of earnings above the draw (${money(earnings - c.amountMinor)})` +
            `${recovered < share ? `, limited to the outstanding balance` : ''}; ${money(balance - recovered)} still owed`,
        }),
      ],
      balance: balance - recovered,
    };
  }
  return { lines: [], balance };
}

// --- the period

/** Quota after daily proration by the days the participant is active in the period, rounded with the plan's mode. */
export function proratedQuota(
  plan: PlanDocument,
  input: Pick<ParticipantPeriodInput, 'quotaMinor' | 'periodStart' | 'periodEnd' | 'activeFrom' | 'activeTo'>,
): number | null {
  if (input.quotaMinor === null) return null;
  if (plan.quota.proration === 'none') return input.quotaMinor;
  const periodDays = daysBetween(input.periodStart, input.periodEnd);
  if (periodDays <= 0) throw new RangeError(`period ${input.periodStart} to ${input.periodEnd} is empty`);
  const from = input.activeFrom !== null && input.activeFrom > input.periodStart ? input.activeFrom : input.periodStart;
  const to = input.activeTo !== null && input.activeTo < input.periodEnd ? input.activeTo : input.periodEnd;
  const active = Math.max(0, daysBetween(from, to));
  return roundRatio(ratio(BigInt(input.quotaMinor) * BigInt(active), BigInt(periodDays)), plan.rounding);
}

export function calculatePeriod(plan: PlanDocument, input: ParticipantPeriodInput): ParticipantPeriodResult {
  const mode = plan.rounding;
  const prior = input.prior;
  const all: Indexed[] = input.buckets.map((b, i) => ({ b, i }));
  const periodQuota = proratedQuota(plan, input);
  const quotaCredit = sumCredit(all.filter((x) => passesFilter(plan.quota.credits, x.b)));
  const ytdQuotaCredit = prior.ytdQuotaCreditMinor + quotaCredit;
  const ytdQuotaSum = prior.ytdQuotaMinor + (periodQuota ?? 0);
  const ytdQuota = periodQuota === null && prior.ytdQuotaMinor === 0 ? null : ytdQuotaSum;
  const ctx: Ctx = {
    plan,
    input,
    mode,
    money: (n) => formatAmount(n, plan.currency),
    attainmentBps: attainmentOf(quotaCredit, periodQuota),
    ytdAttainmentBps: attainmentOf(ytdQuotaCredit, ytdQuota),
    periodQuota,
    quotaCredit,
    ytdQuota,
    ytdQuotaCredit,
  };

  const lines: PayoutLine[] = [];
  const ytdCredit: Record<string, number> = { ...prior.ytdComponentCreditMinor };
  const ytdPayCreditNext: Record<string, number> = { ...(prior.ytdComponentPayCreditMinor ?? prior.ytdComponentCreditMinor) };
  const ytdPaid: Record<string, number> = { ...prior.ytdPaidMinor };
  const clawbacksOn = plan.clawback.policy !== 'none';
  let draw: DrawComponent | null = null;

  for (const c of plan.components) {
    if (c.kind === 'draw') {
      draw = c;
      continue;
    }
    const evaluated = evaluate(c, ctx, all, clawbacksOn);
    const own: PayoutLine[] = evaluated.gate === null ? [...evaluated.earnings, ...evaluated.clawbacks] : [...evaluated.clawbacks];
    const cap = 'capMinor' in c ? capLine(c, c.capMinor, own, ctx.money, 'Component') : null;
    if (cap) own.push(cap);
    if (evaluated.gate !== null) own.push(lineOf(c, 'gate', { amountMinor: 0, explanation: evaluated.gate }));
    lines.push(...own);
    if (c.kind === 'tiered' && c.window === 'year_to_date') {
      const earning = all.filter((x) => !x.b.clawback && passesFilter(c.credits, x.b));
      ytdCredit[c.key] = (prior.ytdComponentCreditMinor[c.key] ?? 0) + sumCredit(earning);
      ytdPayCreditNext[c.key] = (prior.ytdComponentPayCreditMinor?.[c.key] ?? prior.ytdComponentCreditMinor[c.key] ?? 0) + ytdPayCredit(c, earning, mode);
      const paidNow = own.filter((l) => l.kind !== 'clawback').reduce((s, l) => s + l.amountMinor, 0);
      ytdPaid[c.key] = (ytdPaid[c.key] ?? 0) + paidNow;
    } else if (own.length > 0) {
      ytdPaid[c.key] = (ytdPaid[c.key] ?? 0) + own.reduce((s, l) => s + l.amountMinor, 0);
    }
  }

  const planMeta = { key: '_plan', name: 'Plan period cap' };
  const planCap = capLine(planMeta, plan.periodCapMinor, lines, ctx.money, 'Plan total for the period');
  if (planCap) {
    lines.push(planCap);
    ytdPaid[planMeta.key] = (ytdPaid[planMeta.key] ?? 0) + planCap.amountMinor;
  }

  let drawBalance = prior.drawBalanceMinor;
  if (draw) {
    const earnings = lines.reduce((s, l) => s + l.amountMinor, 0);
    const d = drawLines(draw, ctx, earnings, prior);
    drawBalance = d.balance;
    lines.push(...d.lines);
    if (d.lines.length > 0) ytdPaid[draw.key] = (ytdPaid[draw.key] ?? 0) + d.lines.reduce((s, l) => s + l.amountMinor, 0);
  }

  const next: PriorState = {
    ytdQuotaCreditMinor: ytdQuotaCredit,
    ytdQuotaMinor: ytdQuotaSum,
    ytdComponentCreditMinor: ytdCredit,
    ytdComponentPayCreditMinor: ytdPayCreditNext,
    ytdPaidMinor: ytdPaid,
    drawBalanceMinor: drawBalance,
    periodsOnPlan: prior.periodsOnPlan + 1,
  };
  return {
    participantId: input.participantId,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    quotaMinor: periodQuota,
    quotaCreditMinor: quotaCredit,
    attainmentBps: ctx.attainmentBps,
    ytdAttainmentBps: ctx.ytdAttainmentBps,
    lines,
    totalMinor: toSafeNumber(lines.reduce((s, l) => s + BigInt(l.amountMinor), 0n)),
    next,
  };
}

function evaluate(c: Exclude<PlanComponent, DrawComponent>, ctx: Ctx, all: readonly Indexed[], clawbacksOn: boolean): Evaluated {
  switch (c.kind) {
    case 'commission': {
      const passing = all.filter((x) => passesFilter(c.credits, x.b));
      return {
        earnings: commissionLines(
          c,
          ctx,
          passing.filter((x) => !x.b.clawback),
          'earning',
        ),
        clawbacks: clawbacksOn
          ? commissionLines(
              c,
              ctx,
              passing.filter((x) => x.b.clawback),
              'clawback',
            )
          : [],
        gate: gateFailure(c.gate, ctx),
      };
    }
    case 'tiered': {
      const passing = all.filter((x) => passesFilter(c.credits, x.b));
      const r = tieredLines(
        c,
        ctx,
        passing.filter((x) => !x.b.clawback),
        clawbacksOn ? passing.filter((x) => x.b.clawback) : [],
      );
      return { ...r, gate: gateFailure(c.gate, ctx) };
    }
    case 'bonus':
      return { earnings: [bonusLine(c, ctx)], clawbacks: [], gate: gateFailure(c.gate, ctx) };
    case 'accountability':
      return { earnings: [accountabilityLine(c, ctx)], clawbacks: [], gate: gateFailure(c.gate, ctx) };
    case 'spiff': {
      const items = all.filter((x) => !x.b.clawback && x.b.spiffKeys.includes(c.key) && passesFilter(c.credits, x.b));
      return { earnings: spiffLines(c, ctx, items), clawbacks: [], gate: null };
    }
  }
}
