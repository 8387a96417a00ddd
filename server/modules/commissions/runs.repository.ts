import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { CreditKind, Sourcing } from '../../../common/comp/plan.ts';
import type { TransactionKind } from '../../../common/comp/transaction-row.ts';
import type { RoundingMode } from '../../../common/money.ts';
import type { Trx } from '../../deps.ts';
import type { CommissionResultTable, CommissionRunTable } from './commissions.table.ts';

/** A run row as read: with its progress (migration 0037). */
export type RunRow = Selectable<CommissionRunTable> & { progressDone: number; progressTotal: number };
export type ResultRow = Selectable<CommissionResultTable>;

// ---------------------------------------------------------------------------------------------
// Crediting in SQL
//
// One statement per plan version (or group of versions crediting alike) turns the sales_transaction lines of the run's window into
// the engine's CreditBuckets, exactly as common/comp/crediting.ts (creditTransaction + bucketize)
// would for the same transactions under that plan:
//
// - Conversion: the pair's latest fx_rate with valid_on <= recognised_on; value x numerator /
//   denominator, the partner multiplier folded in, rounded ONCE with the plan's rounding mode
//   (comp_divide_rounded, exact numeric) — per transaction, before the split, as crediting.ts does.
// - Split shares: when the sellers' value is the stored deal amount itself (plan currency, direct
//   deal or full credit at 1x) the stored amount_minor is the share (the import split it with the
//   same largest-remainder allocation). Otherwise the converted / multiplied value is split again
//   here by largest remainder over the transaction's seller lines, ties to the lower participant id
//   (common/money.ts allocate with the sellers listed by participant id). So rounding happens once
//   per transaction (conversion x multiplier), then the split adds up exactly to that value.
// - Overlays: the converted deal value each. Roll-up: the seller's credit again for each manager up to
//   rollupLevels (a recursive CTE over comp_participant.manager_participant_id, stopping at a cycle).
// - Refunds (credit notes / cancellations with a negative deal amount) are clawback lines; the plan's
//   clawback policy drops them (none) or those later than withinDays after the sale (within_days).
// - SPIFF keys: one CASE per SPIFF component of the plan (window, filter, minimum deal value), bound
//   parameters only; keys in sorted order like spiffKeysFor.

export type PartnerCreditRuleParams = { credit: 'full' | 'split' | 'none'; sourcedBps: number; influencedBps: number };

/** The partner credit a run credits with: per named scenario, and for every other scenario. */
export type PartnerCreditParams = {
  ref: string;
  fallback: PartnerCreditRuleParams;
  byScenario: (PartnerCreditRuleParams & { scenario: string })[];
};

export type SpiffParams = {
  key: string;
  from: string;
  to: string;
  creditKinds: readonly string[];
  products: readonly string[] | null;
  scenarios: readonly string[] | null;
  segments: readonly string[] | null;
  sourcings: readonly string[] | null;
  minDealValueMinor: number;
};

export type CreditingParams = {
  currency: string;
  rounding: RoundingMode;
  rollupLevels: number;
  clawbackPolicy: 'full' | 'within_days' | 'none';
  withinDays: number | null;
  partnerCredit: PartnerCreditParams;
  spiffs: readonly SpiffParams[];
  /** Payout periods [start, end) in order; the window is [first start, last end). */
  periods: readonly { start: string; end: string }[];
  participantIds: readonly string[];
  /** Roll-up levels per participant (same order as participantIds) when plan versions of different levels are credited together; else rollupLevels. */
  rollupLevelsOf?: readonly number[];
  /** Only these transactions (by reference and id; the unique reference index finds them): an incremental run's delta. */
  only?: { refs: readonly string[]; ids: readonly string[] };
  /**
   * creditLines only: the transactions with a line of these participants in the window, found by
   * the primary key (participant, day) and the unique reference index instead of a scan of the
   * window. Must name everyone whose lines credit `participantIds`: themselves and, with roll-up,
   * their reports up to the plan's levels (the statement drill-down passes exactly those).
   */
  sources?: readonly string[];
  /**
   * creditBuckets with `only`: every participant with a line in those transactions (the roll-up
   * chain is then walked from them alone instead of from everyone).
   */
  sellers?: readonly string[];
  /**
   * creditBuckets with `sellers`: their managers up to at least the plan's roll-up levels, as
   * managersAbove gives them, when the caller has read them already (else they are read again).
   */
  sellersManagers?: readonly { id: string; managerId: string }[];
};

function spiffKeysExpression(spiffs: readonly SpiffParams[], kind: RawBuilder<unknown> = sql`l.credit_kind`): RawBuilder<string[]> {
  if (spiffs.length === 0) return sql<string[]>`array[]::text[]`;
  const sorted = [...spiffs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const cases = sorted.map((s) => {
    const conds: RawBuilder<unknown>[] = [
      sql`not l.clawback`,
      sql`l.recognised_on >= ${s.from}::date`,
      sql`l.recognised_on < ${s.to}::date`,
      sql`${kind} = any(${[...s.creditKinds]}::text[])`,
      sql`abs(l.deal_value) >= ${s.minDealValueMinor}`,
    ];
    if (s.products !== null) conds.push(sql`l.product = any(${[...s.products]}::text[])`);
    if (s.scenarios !== null) conds.push(sql`l.scenario = any(${[...s.scenarios]}::text[])`);
    if (s.segments !== null) conds.push(sql`l.segment = any(${[...s.segments]}::text[])`);
    if (s.sourcings !== null) conds.push(sql`l.sourcing = any(${[...s.sourcings]}::text[])`);
    return sql`case when ${sql.join(conds, sql` and `)} then ${s.key}::text end`;
  });
  return sql<string[]>`array_remove(array[${sql.join(cases)}]::text[], null)`;
}

/**
 * The credit lines of the run window as CTEs, ending in `lines_in`: one row per (credit line,
 * payout period) of the given participants, with its spiff keys: the drill-down of one participant
 * and period (creditLinesOf). creditBuckets computes the same credit without listing the lines.
 */
function creditLines(p: CreditingParams): RawBuilder<unknown> {
  const first = p.periods[0];
  const last = p.periods[p.periods.length - 1];
  if (!first || !last) throw new RangeError('crediting needs at least one payout period');
  const byScenario = JSON.stringify(
    p.partnerCredit.byScenario.map((r) => ({ scenario: r.scenario, credit: r.credit, sourced_bps: r.sourcedBps, influenced_bps: r.influencedBps })),
  );
  const fb = p.partnerCredit.fallback;
  const starts = p.periods.map((x) => x.start);
  const ends = p.periods.map((x) => x.end);
  return sql`
with recursive
pc as (
  select * from jsonb_to_recordset(${byScenario}::jsonb) as x(scenario text, credit text, sourced_bps bigint, influenced_bps bigint)
),
tx as (
  select t.participant_id, t.sales_transaction_id, t.role, t.kind, t.sourcing, t.product, t.scenario, t.segment, t.recognised_on,
    t.original_recognised_on, t.amount_minor, t.deal_amount_minor, t.split_bps, t.currency, t.transaction_ref,
    (t.kind in ('credit_note', 'cancellation') and t.deal_amount_minor < 0) as clawback,
    (t.currency <> ${p.currency}) as needs_fx,
    (t.currency <> ${p.currency} and fx.numerator is null) as fx_missing,
    fx.rate as fx_rate,
    case when t.currency = ${p.currency} then 1::numeric else fx.numerator::numeric end as fx_n,
    case when t.currency = ${p.currency} then 1::numeric else fx.denominator::numeric end as fx_d
  from sales_transaction t
  left join lateral (
    select f.numerator, f.denominator, f.rate from fx_rate f
    where f.currency = t.currency and f.to_currency = ${p.currency} and f.valid_on <= t.recognised_on
    order by f.valid_on desc limit 1
  ) fx on t.currency <> ${p.currency}
  where t.recognised_on >= ${first.start}::date and t.recognised_on < ${last.end}::date
    -- Without roll-up only the transactions of the participants themselves count (all their seller
    -- lines: the split is recomputed over them); with roll-up, their reports' too. Named sources
    -- (the participants and their reports) find them by index: their lines by the primary key, the
    -- transactions' other lines by the unique reference index.
    ${
      p.sources
        ? sql`and (t.transaction_ref, t.sales_transaction_id) in (
      select o.transaction_ref, o.sales_transaction_id from sales_transaction o
      where o.participant_id = any(${[...p.sources]}::uuid[]) and o.recognised_on >= ${first.start}::date and o.recognised_on < ${last.end}::date)`
        : sql`and (${p.rollupLevels}::integer > 0 or t.sales_transaction_id in (
      select o.sales_transaction_id from sales_transaction o
      where o.participant_id = any(${[...p.participantIds]}::uuid[]) and o.recognised_on >= ${first.start}::date and o.recognised_on < ${last.end}::date))`
    }
),
kept as (
  select * from tx
  where not (clawback and (${p.clawbackPolicy} = 'none' or (${p.clawbackPolicy} = 'within_days' and original_recognised_on is not null
    and ${p.withinDays}::integer is not null and recognised_on - original_recognised_on > ${p.withinDays}::integer)))
),
valued as (
  select k.*,
    comp_divide_rounded(k.deal_amount_minor * k.fx_n, k.fx_d, ${p.rounding}) as deal_value,
    case
      when k.sourcing = 'direct' then comp_divide_rounded(k.deal_amount_minor * k.fx_n, k.fx_d, ${p.rounding})
      when coalesce(pc.credit, ${fb.credit}) = 'none' then null
      else comp_divide_rounded(
        k.deal_amount_minor * k.fx_n * (case when k.sourcing = 'partner_sourced' then coalesce(pc.sourced_bps, ${fb.sourcedBps}::bigint)
          else coalesce(pc.influenced_bps, ${fb.influencedBps}::bigint) end),
        k.fx_d * (case when coalesce(pc.credit, ${fb.credit}) = 'full' then 10000 else 20000 end),
        ${p.rounding})
    end as seller_value,
    (k.sourcing <> 'direct' and coalesce(pc.credit, ${fb.credit}) = 'none') as uncredited
  from kept k left join pc on pc.scenario = k.scenario
),
sellers as (
  select v.*, count(*) over w as sellers_n, sum(v.split_bps) over w as split_total
  from valued v where v.role = 'seller' and not v.uncredited
  window w as (partition by v.sales_transaction_id)
),
alloc as (
  select s.*, div(abs(s.seller_value) * s.split_bps, s.split_total) as base, mod(abs(s.seller_value) * s.split_bps, s.split_total) as rem
  from sellers s
),
ranked as (
  select a.*, abs(a.seller_value) - sum(a.base) over (partition by a.sales_transaction_id) as left_over,
    row_number() over (partition by a.sales_transaction_id order by a.rem desc, a.participant_id) as rnk
  from alloc a
),
seller_lines as (
  select r.participant_id, r.participant_id as from_participant_id, r.sales_transaction_id, r.transaction_ref, r.kind, r.role,
    (case when r.sellers_n = 1 then 'direct' else 'split' end)::text as credit_kind,
    r.sourcing, r.product, r.scenario, r.segment, r.recognised_on, r.clawback, r.deal_value, r.fx_missing, r.fx_rate, r.currency,
    r.amount_minor, r.deal_amount_minor, r.split_bps,
    case when not r.needs_fx and r.seller_value = r.deal_amount_minor then r.amount_minor::numeric
      else sign(r.seller_value) * (r.base + case when r.rnk <= r.left_over then 1 else 0 end) end as credit
  from ranked r
),
chain as (
  select m.comp_participant_id as seller_id, m.manager_participant_id as manager_id, 1 as level,
    array[m.comp_participant_id, m.manager_participant_id] as path
  from comp_participant m
  where ${p.rollupLevels}::integer >= 1 and m.manager_participant_id is not null and m.manager_participant_id <> m.comp_participant_id
  union all
  select c.seller_id, m.manager_participant_id, c.level + 1, c.path || m.manager_participant_id
  from chain c join comp_participant m on m.comp_participant_id = c.manager_id
  where c.level < ${p.rollupLevels}::integer and m.manager_participant_id is not null and m.manager_participant_id <> all(c.path)
),
lines as (
  select * from seller_lines
  union all
  select c.manager_id, s.from_participant_id, s.sales_transaction_id, s.transaction_ref, s.kind, s.role, 'rollup'::text, s.sourcing, s.product,
    s.scenario, s.segment, s.recognised_on, s.clawback, s.deal_value, s.fx_missing, s.fx_rate, s.currency, s.amount_minor,
    s.deal_amount_minor, s.split_bps, s.credit
  from seller_lines s join chain c on c.seller_id = s.participant_id
  union all
  select v.participant_id, v.participant_id, v.sales_transaction_id, v.transaction_ref, v.kind, v.role, 'overlay'::text, v.sourcing, v.product,
    v.scenario, v.segment, v.recognised_on, v.clawback, v.deal_value, v.fx_missing, v.fx_rate, v.currency, v.amount_minor,
    v.deal_amount_minor, v.split_bps, v.deal_value
  from valued v where v.role = 'overlay'
),
lines_in as (
  select l.*, per.period_start, ${spiffKeysExpression(p.spiffs)} as spiff_keys
  from lines l
  join unnest(${starts}::date[], ${ends}::date[]) as per(period_start, period_end)
    on l.recognised_on >= per.period_start and l.recognised_on < per.period_end
  where l.participant_id = any(${[...p.participantIds]}::uuid[])
)`;
}

/**
 * (seller, manager) for every manager among `ids` and everyone up to that manager's roll-up levels
 * below them: the participants' managers read once, the chain walked here (a participant who is
 * their own manager has none; a cycle stops where it would repeat someone).
 */
async function managerChain(
  trx: Trx,
  ids: readonly string[],
  levels: readonly number[],
  maxLevels: number,
  from?: readonly string[],
  fromManagers?: readonly { id: string; managerId: string }[],
): Promise<{ sellerId: string; managerId: string }[]> {
  const levelsOf = new Map<string, number>();
  ids.forEach((id, i) => levelsOf.set(id, Math.max(levelsOf.get(id) ?? 0, levels[i] ?? 0)));
  // Managers read for more levels than maxLevels change nothing: the walk below stops at maxLevels.
  const r = from
    ? { rows: fromManagers ?? (await managersAbove(trx, from, maxLevels)) }
    : await sql<{ id: string; managerId: string }>`
    select comp_participant_id as id, manager_participant_id as manager_id from comp_participant where manager_participant_id is not null`.execute(trx);
  const managerOf = new Map(r.rows.map((x) => [x.id, x.managerId]));
  const out: { sellerId: string; managerId: string }[] = [];
  for (const id of from ?? r.rows.map((x) => x.id)) {
    const path = new Set([id]);
    let at = id;
    for (let level = 1; level <= maxLevels; level++) {
      const m = managerOf.get(at);
      if (m === undefined || path.has(m)) break;
      if ((levelsOf.get(m) ?? 0) >= level) out.push({ sellerId: id, managerId: m });
      path.add(m);
      at = m;
    }
  }
  return out;
}

/**
 * (participant, manager) of the given participants and of their managers up to `levels` levels
 * above them (a cycle stops where it would repeat someone): what walking their roll-up chains needs.
 */
export async function managersAbove(trx: Trx, ids: readonly string[], levels: number): Promise<{ id: string; managerId: string }[]> {
  if (ids.length === 0 || levels <= 0) return [];
  const r = await sql<{ id: string; managerId: string }>`
    with recursive up as (
      select p.comp_participant_id as id, p.manager_participant_id as manager_id, 1 as level
      from comp_participant p where p.comp_participant_id = any(${[...ids]}::uuid[]) and p.manager_participant_id is not null
      union
      select m.comp_participant_id, m.manager_participant_id, u.level + 1
      from up u join comp_participant m on m.comp_participant_id = u.manager_id
      where u.level < ${levels}::integer and m.manager_participant_id is not null
    )
    select distinct id, manager_id from up`.execute(trx);
  return r.rows;
}

export type BucketRow = {
  participantId: string;
  periodStart: string;
  creditKind: CreditKind;
  sourcing: Sourcing;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  clawback: boolean;
  spiffKeys: string[];
  creditMinor: number | null;
  deals: number;
  fxMissingAt: string | null;
};

/** n / d (d > 0) rounded once with the plan's mode, as common/money.ts divideRounded: bigint (`/`, `%`) or numeric (div, mod) arithmetic. */
function roundedDiv(n: RawBuilder<unknown>, d: RawBuilder<unknown>, mode: RoundingMode, numeric: boolean): RawBuilder<unknown> {
  const q = numeric ? sql`div(${n}, ${d})` : sql`(${n}) / (${d})`;
  const r = numeric ? sql`abs(mod(${n}, ${d}))` : sql`abs((${n}) % (${d}))`;
  const sign = sql`(case when ${n} < 0 then -1 else 1 end)`;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return sql`${q} + case when ${r} <> 0 then ${sign} else 0 end`;
    case 'half_up':
      return sql`${q} + case when ${r} * 2 >= ${d} then ${sign} else 0 end`;
    case 'half_even':
      return sql`${q} + case when ${r} * 2 > ${d} then ${sign} when ${r} * 2 < ${d} then 0 when ${numeric ? sql`mod(${q}, 2)` : sql`(${q}) % 2`} = 0 then 0 else ${sign} end`;
  }
}

/**
 * The index (1-based) in `rates` (sorted by currency, then day) of the rate a line's day falls under:
 * the last one of its currency on or before the day, null when there is none. A plain expression
 * (width_bucket over each currency's days), not a subquery: the planner copies `f.i` into every
 * expression that reads it, and a subquery there ran once per copy and kept the aggregate from being
 * split between parallel workers (the crediting statement of a full run at scale 1, run alone:
 * 15.7 -> 12.2 s).
 */
function fxIndex(rates: readonly { currency: string; validOn: string }[]): RawBuilder<number | null> {
  const first = new Map<string, number>();
  const days = new Map<string, string[]>();
  rates.forEach((r, i) => {
    const list = days.get(r.currency);
    if (list) list.push(r.validOn);
    else {
      first.set(r.currency, i);
      days.set(r.currency, [r.validOn]);
    }
  });
  const arms = [...first].map(
    ([currency, i]) => sql`when ${currency} then ${i}::integer + nullif(width_bucket(t.recognised_on, ${days.get(currency) ?? []}::date[]), 0)`,
  );
  return arms.length === 0 ? sql<null>`null::integer` : sql<number | null>`(case t.currency ${sql.join(arms, sql` `)} end)`;
}

/** work_mem of the crediting statement (at least; a larger setting of the session is kept). */
const CREDIT_WORK_MEM = '64MB';

/**
 * The engine's buckets of the given participants per payout period, the same buckets as
 * creditLines + a group by would give (runs.crediting.test.ts checks both against crediting.ts),
 * computed in two statements without sorting the store by transaction:
 *
 * - First, the split transactions whose lines must be credited line by line (a narrow grouping of
 *   the split seller lines by transaction): more than two sellers, splits not adding up to 100%,
 *   two sellers under a common manager (the manager meets the deal twice, so its deals are counted
 *   distinct), or two lines whose remainders tie. Usually few or none.
 * - Then one scan and one parallel aggregate for every other line, straight to buckets (a
 *   participant holds at most one line per transaction and role, so count(*) counts distinct deals):
 *   overlays; seller lines holding the whole split (the import refuses splits that do not add up to
 *   100%, so a 10000 bps seller is the only one); split lines at their stored share when it is the
 *   credited value (plan currency, multiplier 1), else split again on their own: with two lines
 *   whose splits add up to 100%, largest remainder gives the unit left over to the line with more
 *   than half a unit. Their roll-up is the sellers' buckets summed up the manager chain (a manager
 *   meets such a deal once).
 * - The line-by-line transactions' lines are read by the unique reference index (or a scan, as the
 *   planner finds cheaper), split again by largest remainder over the transaction (windows), and
 *   counted distinct in the roll-up.
 * - Aggregation hashes (enable_sort off for the statements on PostgreSQL 18), the exchange rate is
 *   looked up only for lines not in the plan currency, the manager chain is walked in TypeScript
 *   (managerChain), and a full run (everyone credited) does not test whose lines count.
 * - Rounding is inline (roundedDiv): bigint arithmetic in the plan currency, numeric when converted.
 *
 * Measured at scale 1 (10M lines, 50k participants; the bench's profiling store, statements alone,
 * alternated on one machine): 31-41 s with the one statement that grouped every split line by
 * transaction, 22-30 s now (0.72-0.74 of it).
 */
export async function creditBuckets(trx: Trx, p: CreditingParams): Promise<BucketRow[]> {
  if (p.participantIds.length === 0) return [];
  const first = p.periods[0];
  const last = p.periods[p.periods.length - 1];
  if (!first || !last) throw new RangeError('crediting needs at least one payout period');
  const fb = p.partnerCredit.fallback;
  const starts = p.periods.map((x) => x.start);
  const ends = p.periods.map((x) => x.end);
  const ids = [...p.participantIds];
  const levels = p.participantIds.map((_, i) => p.rollupLevelsOf?.[i] ?? p.rollupLevels);
  const maxLevels = Math.max(0, ...levels);
  // The partner credit rule of a line's scenario, as CASE expressions on bound values (no join: the scan stays parallel-safe).
  const byScenario = <T>(pick: (r: PartnerCreditRuleParams) => T, fallback: T, cast: RawBuilder<unknown>) =>
    p.partnerCredit.byScenario.length === 0
      ? sql`${fallback}::${cast}`
      : sql`(case ${sql.join(
          p.partnerCredit.byScenario.map((r) => sql`when t.scenario = ${r.scenario} then ${pick(r)}::${cast}`),
          sql` `,
        )} else ${fallback}::${cast} end)`;
  const rule = byScenario((r) => r.credit, fb.credit, sql`text`);
  const bps = sql`(case when t.sourcing = 'partner_sourced' then ${byScenario((r) => r.sourcedBps, fb.sourcedBps, sql`bigint`)}
    else ${byScenario((r) => r.influencedBps, fb.influencedBps, sql`bigint`)} end)`;
  const share = sql`(case when ${rule} = 'full' then 10000 else 20000 end)`;
  // Rates to the plan currency, in (currency, valid_on) order: a line in another currency finds its
  // rate's index (f.i) in these arrays, a line in the plan currency looks nothing up.
  const rates = await sql<{ currency: string; validOn: string; numerator: number; denominator: number }>`
    select currency, valid_on, numerator, denominator from fx_rate where to_currency = ${p.currency} order by currency, valid_on`.execute(trx);
  const fx = rates.rows;
  const fxNumerator = sql`(${fx.map((x) => x.numerator)}::bigint[])[f.i]`;
  const fxDenominator = sql`(${fx.map((x) => x.denominator)}::bigint[])[f.i]`;
  const dealValue = sql`(case when t.currency = ${p.currency} then t.deal_amount_minor
    else (${roundedDiv(sql`t.deal_amount_minor::numeric * ${fxNumerator}`, sql`${fxDenominator}::numeric`, p.rounding, true)})::bigint end)`;
  const sellerValue = sql`(case when t.sourcing = 'direct' then ${dealValue}
    when ${rule} = 'none' then null
    when t.currency = ${p.currency} then ${roundedDiv(sql`t.deal_amount_minor * ${bps}`, share, p.rounding, false)}
    else (${roundedDiv(sql`t.deal_amount_minor::numeric * ${fxNumerator} * ${bps}`, sql`${fxDenominator}::numeric * ${share}`, p.rounding, true)})::bigint end)`;
  // SPIFF keys are a grouping key only when the plan has SPIFFs.
  const spiffy = p.spiffs.length > 0;
  const ownKeys = spiffKeysExpression(p.spiffs);
  const rollupKeys = spiffKeysExpression(p.spiffs, sql`'rollup'`);
  // Whose lines can credit the participants: themselves and, with roll-up, everyone below them.
  const chainRows =
    maxLevels === 0 ? [] : await managerChain(trx, ids, levels, maxLevels, p.only ? p.sellers : undefined, p.only ? p.sellersManagers : undefined);
  const sources = [...new Set([...ids, ...chainRows.map((c) => c.sellerId)])];
  // Aggregate by hashing, not by sorting: the planner underestimates the lines a participant filter
  // keeps and would sort millions of lines to group them. For these statements only, and only where
  // the planner counts disabled steps (PostgreSQL 18) instead of adding a huge cost to them, which
  // on older servers drowns every other cost and can pick a far worse plan.
  // Memory for their hash tables and stored CTEs: with the default 4 MB the per-transaction
  // aggregate spills to temporary files (scale 1, one run each: 11.7 -> 11.1 s with 64 MB). Set for
  // these statements only, and put back after them, as enable_sort is.
  const settings = await sql<{ v: string; counts: boolean; workMem: string }>`
    select current_setting('enable_sort') as v, current_setting('server_version_num')::integer >= 180000 as counts,
      current_setting('work_mem') as work_mem,
      set_config('work_mem', (greatest(pg_size_bytes(current_setting('work_mem')), pg_size_bytes(${CREDIT_WORK_MEM})) / 1024)::text || 'kB', true)`.execute(
    trx,
  );
  const hashOnly = settings.rows[0]?.counts === true;
  if (hashOnly) await sql`select set_config('enable_sort', 'off', true)`.execute(trx);
  // The run window's lines with their values in the plan currency (a subquery the planner inlines
  // into each statement that reads it, so a scan reads only the columns it needs).
  const valued = (filter: RawBuilder<unknown>) => sql`
  select t.participant_id, t.sales_transaction_id, t.transaction_ref, t.role, t.sourcing, t.product, t.scenario, t.segment, t.recognised_on,
    t.currency, t.amount_minor, t.deal_amount_minor, t.split_bps, per.period_start, c.clawback,
    (t.currency <> ${p.currency}) as needs_fx,
    (t.currency <> ${p.currency} and f.i is null) as fx_missing,
    ${dealValue} as deal_value,
    ${sellerValue} as seller_value,
    (t.sourcing <> 'direct' and ${rule} = 'none') as uncredited
  from sales_transaction t
  -- The payout period of the line: width_bucket finds the last period start <= the day (periods may leave gaps).
  cross join lateral (select (t.kind in ('credit_note', 'cancellation') and t.deal_amount_minor < 0) as clawback,
    width_bucket(t.recognised_on, ${starts}::date[]) as k) c
  cross join lateral (select (${starts}::date[])[c.k] as period_start, (${ends}::date[])[c.k] as period_end) per
  cross join lateral (select ${fxIndex(fx)} as i) f
  where t.recognised_on >= ${first.start}::date and t.recognised_on < ${last.end}::date and t.recognised_on < per.period_end
    ${p.only ? sql`and t.transaction_ref = any(${[...p.only.refs]}::text[]) and t.sales_transaction_id = any(${[...p.only.ids]}::uuid[])` : sql``}
    and not (c.clawback and (${p.clawbackPolicy} = 'none' or (${p.clawbackPolicy} = 'within_days' and t.original_recognised_on is not null
      and ${p.withinDays}::integer is not null and t.recognised_on - t.original_recognised_on > ${p.withinDays}::integer)))
    ${filter}`;
  // A split line is split again (largest remainder over its transaction) when its credited value is
  // not its stored share: converted, or multiplied by partner credit.
  const reallocate = sql`(v.needs_fx or v.seller_value <> v.deal_amount_minor)`;
  const remainder = sql`mod(abs(v.seller_value)::numeric * v.split_bps, 10000)`;
  // The split transactions whose lines are credited line by line (first statement): more than two
  // seller lines or splits that do not add up to 100%, two sellers with a manager in common in the
  // roll-up chain (a manager may meet the deal twice, so it is counted distinct), or two lines whose
  // remainders tie at half a unit (who gets the unit depends on the other line). Every other split
  // line is credited on its own (below) and its deal counted once for each manager above it.
  // A two-line transaction's sellers are compared by hashes of their ids (the min and the max of
  // its lines), not the ids: a hash two sellers share can only send a transaction line by line too
  // many, which gives the same credit. A transaction's lines share its day, kind, sourcing and
  // scenario, so the line filters keep all of a transaction's lines or none.
  const byLine = await sql<{ ref: string; id: string }>`
with
chain as (
  select uuid_hash_extended(c.seller_id, 0) as seller, c.manager_id
  from unnest(${chainRows.map((c) => c.sellerId)}::uuid[], ${chainRows.map((c) => c.managerId)}::uuid[]) as c(seller_id, manager_id)
),
v as not materialized (${valued(sql`and t.role = 'seller' and t.split_bps < 10000`)})
select distinct t.ref, t.id from (
  select min(v.transaction_ref) as ref, v.sales_transaction_id as id, count(*) as n, sum(v.split_bps) as total,
    min(uuid_hash_extended(v.participant_id, 0)) as a, max(uuid_hash_extended(v.participant_id, 0)) as b,
    bool_or(${reallocate} and ${remainder} = 5000) as tie
  from v where not v.uncredited
  group by 2
) t
left join chain x on t.n = 2 and x.seller = t.a
left join chain y on y.seller = t.b and y.manager_id = x.manager_id
where t.n > 2 or t.total <> 10000 or t.tie or y.manager_id is not null`.execute(trx);
  const lineRefs = byLine.rows.map((x) => x.ref);
  const lineIds = byLine.rows.map((x) => x.id);
  const anyByLine = lineIds.length > 0;
  // A full run credits everyone: then the filter on whose lines count would test every line for nothing.
  const everyone =
    sources.length >= Number((await sql<{ n: string }>`select count(*) as n from comp_participant`.execute(trx)).rows[0]?.n ?? Number.POSITIVE_INFINITY);
  const r = await sql<BucketRow>`
with
members as (select distinct id from unnest(${ids}::uuid[]) as u(id)),
member_chain as (select * from unnest(${chainRows.map((c) => c.sellerId)}::uuid[], ${chainRows.map((c) => c.managerId)}::uuid[]) as c(seller_id, manager_id)),
-- Overlays, whole seller lines and the split lines credited on their own, aggregated straight from
-- the scan to buckets (a participant holds at most one line per transaction and role, so count(*)
-- counts distinct deals). A split line split again on its own is one of two lines whose splits add
-- up to 100% and whose remainders do not tie: they add up to 0 or 10000, so the line with more than
-- half a unit gets the unit.
agg as (
  select l.participant_id, l.period_start, l.credit_kind, l.sourcing, l.product, l.scenario, l.segment, l.clawback, l.role = 'seller' as seller,
    ${spiffy ? sql`${ownKeys}` : sql`null::text[]`} as spiff_keys,
    ${spiffy ? sql`case when l.role = 'seller' then ${rollupKeys} end` : sql`null::text[]`} as rollup_spiff_keys,
    sum(l.credit) as credit, count(*) as deals,
    min(case when l.fx_missing then l.currency || ' on ' || to_char(l.recognised_on, 'YYYY-MM-DD') end) as fx_missing_at
  from (
    select v.*, case when v.role = 'overlay' then 'overlay' when v.split_bps < 10000 then 'split' else 'direct' end as credit_kind,
      case when v.role = 'overlay' then v.deal_value
        when v.split_bps < 10000 then
          case when ${reallocate} then (sign(v.seller_value) * (div(abs(v.seller_value)::numeric * v.split_bps, 10000)
            + case when ${remainder} > 5000 then 1 else 0 end))::bigint else v.amount_minor end
        when not v.needs_fx and v.seller_value = v.deal_amount_minor then v.amount_minor
        else v.seller_value end as credit
    from (${valued(sql``)}) v
    where (v.role = 'overlay' or not v.uncredited)
      ${anyByLine ? sql`and not (v.role = 'seller' and v.split_bps < 10000 and v.sales_transaction_id = any(${lineIds}::uuid[]))` : sql``}
      ${everyone ? sql`` : sql`and v.participant_id = any(${sources}::uuid[])`}
  ) l
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
),
-- The split lines credited line by line (every line of their transactions, found by the unique
-- reference index when they are few): split again by largest remainder over the transaction, or
-- their stored share.
line_rows as (
  select l.participant_id, l.sales_transaction_id as line_tx, l.period_start, l.sourcing, l.product, l.scenario, l.segment, l.clawback,
    ${spiffy ? spiffKeysExpression(p.spiffs, sql`'split'`) : sql`null::text[]`} as spiff_keys,
    ${spiffy ? rollupKeys : sql`null::text[]`} as rollup_spiff_keys,
    l.reallocate, l.seller_value, l.split_bps, l.amount_minor,
    case when l.fx_missing then l.currency || ' on ' || to_char(l.recognised_on, 'YYYY-MM-DD') end as fx_missing_at
  from (select v.*, ${reallocate} as reallocate from (${valued(
    anyByLine ? sql`and t.transaction_ref = any(${lineRefs}::text[]) and t.sales_transaction_id = any(${lineIds}::uuid[])` : sql`and false`,
  )}) v) l
  where l.role = 'seller' and l.split_bps < 10000 and not l.uncredited
),
split_rows as (
  select r.participant_id, r.period_start, r.sourcing, r.product, r.scenario, r.segment, r.clawback, r.spiff_keys, r.rollup_spiff_keys, r.line_tx,
    sign(r.seller_value) * (r.base + case when r.rnk <= r.left_over then 1 else 0 end) as credit, r.fx_missing_at
  from (
    select a.*, abs(a.seller_value) - sum(a.base) over (partition by a.line_tx) as left_over,
      row_number() over (partition by a.line_tx order by a.rem desc, a.participant_id) as rnk
    from (
      select s.*, div(abs(s.seller_value)::numeric * s.split_bps, s.split_total) as base, mod(abs(s.seller_value)::numeric * s.split_bps, s.split_total) as rem
      from (select x.*, sum(x.split_bps) over (partition by x.line_tx) as split_total from line_rows x where x.reallocate) s
    ) a
  ) r
  union all
  select participant_id, period_start, sourcing, product, scenario, segment, clawback, spiff_keys, rollup_spiff_keys, line_tx, amount_minor::numeric, fx_missing_at
  from line_rows where not reallocate
),
buckets as (
  select participant_id, period_start, credit_kind, sourcing, product, scenario, segment, clawback, spiff_keys, credit, deals, fx_missing_at
  from agg
  union all
  select participant_id, period_start, 'split', sourcing, product, scenario, segment, clawback, spiff_keys, credit, 1, fx_missing_at
  from split_rows
  union all
  -- Roll-up: the buckets of lines credited on their own add up (a manager meets such a deal once);
  -- the deals of lines credited line by line are counted distinct.
  select c.manager_id, w.period_start, 'rollup', w.sourcing, w.product, w.scenario, w.segment, w.clawback, w.rollup_spiff_keys, sum(w.credit),
    sum(w.deals), min(w.fx_missing_at)
  from agg w join member_chain c on c.seller_id = w.participant_id
  where w.seller
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9
  union all
  select c.manager_id, s.period_start, 'rollup', s.sourcing, s.product, s.scenario, s.segment, s.clawback, s.rollup_spiff_keys, sum(s.credit),
    count(distinct s.line_tx), min(s.fx_missing_at)
  from split_rows s join member_chain c on c.seller_id = s.participant_id
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9
)
select b.participant_id, b.period_start, b.credit_kind, b.sourcing, b.product, b.scenario, b.segment, b.clawback,
  coalesce(b.spiff_keys, array[]::text[]) as spiff_keys,
  sum(b.credit)::bigint as credit_minor, sum(b.deals)::integer as deals, min(b.fx_missing_at) as fx_missing_at
from buckets b
where b.participant_id in (select id from members)
group by 1, 2, 3, 4, 5, 6, 7, 8, 9
order by 1, 2`.execute(trx);
  await sql`select set_config('enable_sort', ${settings.rows[0]?.v === 'off' ? 'off' : 'on'}, true), set_config('work_mem', ${settings.rows[0]?.workMem ?? '4MB'}, true)`.execute(
    trx,
  );
  return r.rows;
}

export type CreditLineRow = {
  salesTransactionId: string;
  transactionRef: string;
  kind: TransactionKind;
  recognisedOn: string;
  currency: string;
  amountMinor: number;
  dealAmountMinor: number;
  splitBps: number;
  fromParticipantId: string;
  creditKind: CreditKind;
  sourcing: Sourcing;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  clawback: boolean;
  spiffKeys: string[];
  creditMinor: number | null;
  fxRate: string | null;
};

/** The credit lines of one participant in one payout period (the drill-down of a statement line). */
export async function creditLinesOf(trx: Trx, p: CreditingParams): Promise<CreditLineRow[]> {
  const r = await sql<CreditLineRow>`${creditLines(p)}
select sales_transaction_id, transaction_ref, kind, recognised_on, currency, amount_minor, deal_amount_minor, split_bps, from_participant_id,
  credit_kind, sourcing, product, scenario, segment, clawback, spiff_keys, credit::bigint as credit_minor, fx_rate
from lines_in
order by recognised_on, transaction_ref collate "C", from_participant_id`.execute(trx);
  return r.rows;
}

// ---------------------------------------------------------------------------------------------
// Runs and results

export async function insertRun(
  trx: Trx,
  row: { commissionRunId: string; periodStart: string; periodEnd: string; createdByUserId: string | null; incremental?: boolean },
) {
  const { incremental, ...values } = row;
  await trx
    .insertInto('commissionRun')
    .values({ ...values, planVersions: '[]' })
    .execute();
  if (incremental) await markIncremental(trx, row.commissionRunId);
}

/** A run row with how it was calculated (migration 0023; its batch list is left out: it can hold thousands of ids). */
export type RunRowWithBasis = RunRow & { incremental: boolean; baseRunId: string | null; recalculated: number | null };

const runColumns = [
  'commissionRunId',
  'periodStart',
  'periodEnd',
  'status',
  'planVersions',
  'resultCount',
  'resultHash',
  'error',
  'createdByUserId',
  'createdAt',
  'startedAt',
  'finishedAt',
] as const;
const basisColumns = sql<boolean>`incremental`.as('incremental');

function selectRuns(trx: Trx) {
  return trx
    .selectFrom('commissionRun')
    .select(runColumns)
    .select([basisColumns, sql<string | null>`base_run_id`.as('baseRunId'), sql<number | null>`recalculated`.as('recalculated')])
    .select([
      sql<number>`coalesce((select p.done from commission_run_progress p where p.commission_run_id = commission_run.commission_run_id), 0)`.as('progressDone'),
      sql<number>`coalesce((select p.total from commission_run_progress p where p.commission_run_id = commission_run.commission_run_id), 0)`.as(
        'progressTotal',
      ),
    ]);
}

export async function findRun(trx: Trx, id: string, lock = false): Promise<RunRowWithBasis | undefined> {
  let q = selectRuns(trx).where('commissionRunId', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function latestCompletedRun(trx: Trx): Promise<RunRowWithBasis | undefined> {
  return selectRuns(trx).where('status', '=', 'completed').orderBy('finishedAt', 'desc').orderBy('commissionRunId').limit(1).executeTakeFirst();
}

export async function listRuns(trx: Trx, f: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    selectRuns(trx).orderBy('createdAt', 'desc').orderBy('commissionRunId').limit(f.limit).offset(f.offset).execute(),
    trx
      .selectFrom('commissionRun')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function updateRun(
  trx: Trx,
  id: string,
  patch: Partial<{
    status: RunRow['status'];
    planVersions: string;
    resultCount: number | null;
    resultHash: string | null;
    error: string | null;
    startedAt: Date | null;
    finishedAt: Date | null;
  }>,
): Promise<void> {
  await trx.updateTable('commissionRun').set(patch).where('commissionRunId', '=', id).execute();
}

/**
 * A run's progress (migration 0037), in its own row: the job writes it from short transactions while
 * its own REPEATABLE READ transaction calculates, and never from that transaction.
 */
export async function setRunProgress(trx: Trx, id: string, progress: { done: number; total?: number }): Promise<void> {
  await trx
    .insertInto('commissionRunProgress')
    .values({ commissionRunId: id, done: progress.done, total: progress.total ?? 0 })
    .onConflict((oc) =>
      oc.column('commissionRunId').doUpdateSet(progress.total === undefined ? { done: progress.done } : { done: progress.done, total: progress.total }),
    )
    .execute();
}

export async function deleteResults(trx: Trx, runId: string): Promise<void> {
  await trx.deleteFrom('commissionResult').where('commissionRunId', '=', runId).execute();
}

export type NewResult = Omit<ResultRow, 'buckets' | 'lines'> & { buckets: string; lines: string; resultSha256: string };

/** Results per insert statement (insertResults); callers that write while they calculate flush in chunks of this size. */
export const RESULTS_PER_STATEMENT = 500;

/**
 * Many rows per statement: a chunk travels as one JSON document (json_to_recordset in the
 * database), its buckets and lines spliced in as the JSON text they already are, so nothing is
 * escaped into array literals on the way. 500 rows (a few MB) per statement: the database parses a
 * document of 5,000 rows (tens of MB) with a fifth more CPU than the same rows in ten documents of
 * 500, and a smaller last statement shortens the wait after the engine's last result.
 */
export async function insertResults(trx: Trx, rows: readonly NewResult[]): Promise<void> {
  const json = (v: string | number | null) => (v === null ? 'null' : typeof v === 'number' ? String(v) : JSON.stringify(v));
  for (let i = 0; i < rows.length; i += RESULTS_PER_STATEMENT) {
    const c = rows.slice(i, i + RESULTS_PER_STATEMENT);
    const doc = `[${c
      .map(
        (r) =>
          `{"participant_id":${json(r.participantId)},"commission_run_id":${json(r.commissionRunId)},"period_start":${json(r.periodStart)},` +
          `"period_end":${json(r.periodEnd)},"comp_plan_version_id":${json(r.compPlanVersionId)},"currency":${json(r.currency)},` +
          `"quota_minor":${json(r.quotaMinor)},"quota_credit_minor":${json(r.quotaCreditMinor)},"attainment_bps":${json(r.attainmentBps)},` +
          `"ytd_attainment_bps":${json(r.ytdAttainmentBps)},"total_minor":${json(r.totalMinor)},"buckets":${r.buckets},"lines":${r.lines},` +
          `"result_sha256":${json(r.resultSha256)}}`,
      )
      .join(',')}]`;
    await sql`insert into commission_result (participant_id, commission_run_id, period_start, period_end, comp_plan_version_id, currency, quota_minor,
      quota_credit_minor, attainment_bps, ytd_attainment_bps, total_minor, buckets, lines, result_sha256)
      select * from json_to_recordset(${doc}::json) as x(participant_id uuid, commission_run_id uuid, period_start date, period_end date,
        comp_plan_version_id uuid, currency char(3), quota_minor bigint, quota_credit_minor bigint, attainment_bps integer, ytd_attainment_bps integer,
        total_minor bigint, buckets json, lines json, result_sha256 text)`.execute(trx);
  }
}

const resultColumns = sql`x.period_start, x.period_end, x.comp_plan_version_id, x.currency, x.quota_minor, x.quota_credit_minor, x.attainment_bps,
  x.ytd_attainment_bps, x.total_minor, x.buckets, x.lines, x.result_sha256`;

/**
 * A run's results as a derived table (migration 0026): a run that stores partial results (an
 * incremental run: the participants it recalculated) takes every other participant's results from
 * its base run, and so on down the chain; the nearest run holding a participant's period wins. The
 * rows carry the asked run's id. `digests` reads the participant, period and digest only.
 */
export function runResults(runId: string, o: { participantIds?: readonly string[]; digests?: boolean } = {}): RawBuilder<unknown> {
  return sql`(
    with recursive chain as (
      select r.commission_run_id as run_id, r.base_run_id, r.partial_results, 0 as depth from commission_run r where r.commission_run_id = ${runId}::uuid
      union all
      select r.commission_run_id, r.base_run_id, r.partial_results, c.depth + 1
      from chain c join commission_run r on r.commission_run_id = c.base_run_id
      where c.partial_results
    )
    select distinct on (x.participant_id, x.period_start) x.participant_id, ${runId}::uuid as commission_run_id,
      ${o.digests ? sql`x.period_start, x.result_sha256` : resultColumns}
    from chain c join commission_result x on x.commission_run_id = c.run_id
    ${o.participantIds ? sql`where x.participant_id = any(${[...o.participantIds]}::uuid[])` : sql``}
    order by x.participant_id, x.period_start, c.depth
  )`;
}

/** How many runs a run's results are read from (1: the run itself; more: its chain of base runs). */
export async function runChainLength(trx: Trx, runId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    with recursive chain as (
      select r.base_run_id, r.partial_results from commission_run r where r.commission_run_id = ${runId}::uuid
      union all
      select r.base_run_id, r.partial_results from chain c join commission_run r on r.commission_run_id = c.base_run_id where c.partial_results
    )
    select count(*)::integer as n from chain`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/** Copies an earlier run's results (through its chain) into a run, except those of the given participants: an incremental run that starts a new chain. */
export async function copyResults(trx: Trx, fromRunId: string, toRunId: string, exceptParticipantIds: readonly string[]): Promise<void> {
  await sql`insert into commission_result (participant_id, commission_run_id, period_start, period_end, comp_plan_version_id, currency, quota_minor,
      quota_credit_minor, attainment_bps, ytd_attainment_bps, total_minor, buckets, lines, result_sha256)
    select r.participant_id, ${toRunId}::uuid, r.period_start, r.period_end, r.comp_plan_version_id, r.currency, r.quota_minor, r.quota_credit_minor,
      r.attainment_bps, r.ytd_attainment_bps, r.total_minor, r.buckets, r.lines, r.result_sha256
    from ${runResults(fromRunId)} r
    where not exists (select 1 from unnest(${[...exceptParticipantIds]}::uuid[]) as x(id) where x.id = r.participant_id)`.execute(trx);
}

/** The widths of a storedDigests record: participant id (uuid text), period start (YYYY-MM-DD), digest (hex). */
export const DIGEST_RECORD = { id: 36, period: 10, length: 110 } as const;

/**
 * Every result of a run (through its chain) as one text of fixed-width records (participant id,
 * period start, sha256 hex: DIGEST_RECORD) in (participant id, period) order, one value rather than
 * 200k rows to parse, and how many results have no digest (their records are left out).
 */
export async function storedDigests(trx: Trx, runId: string): Promise<{ records: string; missing: number }> {
  const r = await sql<{ records: string; missing: number }>`
    select coalesce(string_agg(r.participant_id::text || to_char(r.period_start, 'YYYY-MM-DD') || r.result_sha256, '' order by r.participant_id, r.period_start), '') as records,
      count(*) filter (where r.result_sha256 is null)::integer as missing
    from ${runResults(runId, { digests: true })} r`.execute(trx);
  const row = r.rows[0];
  if (!row) throw new Error('no digests row');
  if (row.records.length % DIGEST_RECORD.length !== 0) throw new Error(`run ${runId}: digest records of unexpected width`);
  return row;
}

/** The stored buckets (JSON text, parsed by the caller: its keys are data) of some participants' results in a run (through its chain). */
export async function storedBuckets(trx: Trx, runId: string, participantIds: readonly string[]) {
  const r = await sql<{ participantId: string; periodStart: string; compPlanVersionId: string; buckets: string }>`
    select r.participant_id, r.period_start, r.comp_plan_version_id, r.buckets::text as buckets
    from ${runResults(runId, { participantIds })} r`.execute(trx);
  return r.rows;
}

// ---------------------------------------------------------------------------------------------
// Incremental runs (migration 0023)

/** Waits for a commit into the store to finish and keeps the next one out until the run's transaction ends: the run reads one set of batches. */
export async function lockStoreShared(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(hashtextextended('realign.sales_transaction.import', 0))`.execute(trx);
}

/** Memory for the run's aggregates (hash, not sort: a sort of millions of lines spills to disk at the default 4 MB), this transaction only. */
export async function runMemory(trx: Trx): Promise<void> {
  await sql`select set_config('work_mem', '256MB', true)`.execute(trx);
}

export type RunInputs = { incremental: boolean; inputFingerprint: string | null; inputBatches: string[] | null };

export async function runInputs(trx: Trx, runId: string): Promise<RunInputs | undefined> {
  const r = await sql<RunInputs>`select incremental, input_fingerprint, input_batches from commission_run where commission_run_id = ${runId}::uuid`.execute(
    trx,
  );
  return r.rows[0];
}

export async function setRunInputs(
  trx: Trx,
  runId: string,
  v: { baseRunId: string | null; recalculated: number; inputFingerprint: string; inputBatches: readonly string[]; partialResults?: boolean },
): Promise<void> {
  await sql`update commission_run set base_run_id = ${v.baseRunId}::uuid, recalculated = ${v.recalculated}, input_fingerprint = ${v.inputFingerprint},
    input_batches = ${[...v.inputBatches]}::uuid[], partial_results = ${v.partialResults === true} where commission_run_id = ${runId}::uuid`.execute(trx);
}

export async function markIncremental(trx: Trx, runId: string): Promise<void> {
  await sql`update commission_run set incremental = true where commission_run_id = ${runId}::uuid`.execute(trx);
}

export async function runBasis(trx: Trx, runId: string): Promise<{ incremental: boolean; baseRunId: string | null; recalculated: number | null } | undefined> {
  const r = await sql<{ incremental: boolean; baseRunId: string | null; recalculated: number | null }>`
    select incremental, base_run_id, recalculated from commission_run where commission_run_id = ${runId}::uuid`.execute(trx);
  return r.rows[0];
}

/** The latest completed run of the same dates whose inputs were recorded (so its results can be reused). */
export async function latestReusableRun(trx: Trx, start: string, end: string, exceptRunId: string) {
  const r = await sql<{ commissionRunId: string; inputFingerprint: string; inputBatches: string[]; planVersions: unknown }>`
    select commission_run_id, input_fingerprint, input_batches, plan_versions from commission_run
    where status = 'completed' and period_start = ${start}::date and period_end = ${end}::date and commission_run_id <> ${exceptRunId}::uuid
      and input_fingerprint is not null and input_batches is not null
    order by finished_at desc, commission_run_id limit 1`.execute(trx);
  return r.rows[0];
}

/** The committed import batches, in id order. */
export async function committedBatches(trx: Trx): Promise<string[]> {
  const r = await sql<{ id: string }>`select transaction_import_id as id from transaction_import where status = 'committed' order by 1`.execute(trx);
  return r.rows.map((x) => x.id);
}

/**
 * The transactions (reference and id, each once) with lines in the given batches, and the
 * participants of those lines (each once, in id order): one read of the batches' lines (the BRIN
 * index on the batch), made distinct by the database; a reference and an id at the same index are
 * one transaction (both aggregated from the same rows in one pass).
 */
export async function transactionsOfBatches(trx: Trx, batchIds: readonly string[]): Promise<{ refs: string[]; ids: string[]; participantIds: string[] }> {
  const r = await sql<{ refs: string[] | null; ids: string[] | null; participantIds: string[] | null }>`
    with l as materialized (
      select s.transaction_ref, s.sales_transaction_id, s.participant_id
      from unnest(${[...batchIds]}::uuid[]) as b(id)
      cross join lateral (select s.transaction_ref, s.sales_transaction_id, s.participant_id from sales_transaction s where s.transaction_import_id = b.id) s
    )
    select t.refs, t.ids, (select array_agg(distinct participant_id::text) from l) as participant_ids
    from (select array_agg(x.transaction_ref) as refs, array_agg(x.sales_transaction_id::text) as ids
      from (select distinct transaction_ref, sales_transaction_id from l) x) t`.execute(trx);
  const row = r.rows[0];
  return { refs: row?.refs ?? [], ids: row?.ids ?? [], participantIds: (row?.participantIds ?? []).sort() };
}

/** Whether any of these transactions also has lines outside the given batches (then its earlier lines' credit changes too). */
export async function transactionsHaveOtherLines(
  trx: Trx,
  tx: { refs: readonly string[]; ids: readonly string[] },
  batchIds: readonly string[],
): Promise<boolean> {
  const r = await sql<{ found: boolean }>`
    select exists (select 1 from sales_transaction t where t.transaction_ref = any(${[...tx.refs]}::text[])
      and t.sales_transaction_id = any(${[...tx.ids]}::uuid[]) and t.transaction_import_id <> all(${[...batchIds]}::uuid[])) as found`.execute(trx);
  return r.rows[0]?.found ?? true;
}

/**
 * Digests of every input of a run besides the transaction lines: participants (manager, active
 * dates), assignments, plan versions in force (status, dates, document), quotas and exchange rates.
 */
export async function inputDigests(trx: Trx): Promise<Record<string, string>> {
  const r = await sql<Record<string, string>>`
    select
      (select md5(coalesce(string_agg(concat_ws('|', comp_participant_id, manager_participant_id, active_from, active_to), ',' order by comp_participant_id), ''))
        from comp_participant) as participants,
      (select md5(coalesce(string_agg(concat_ws('|', comp_plan_assignment_id, comp_participant_id, comp_plan_id, effective_from, effective_to), ','
        order by comp_plan_assignment_id), '')) from comp_plan_assignment) as assignments,
      (select md5(coalesce(string_agg(concat_ws('|', comp_plan_version_id, comp_plan_id, version, status, effective_from, effective_to, md5(document::text)), ','
        order by comp_plan_version_id), '')) from comp_plan_version where status in ('published', 'retired')) as versions,
      (select md5(coalesce(string_agg(concat_ws('|', comp_quota_id, comp_participant_id, period_start, period_end, amount_minor, currency), ','
        order by comp_quota_id), '')) from comp_quota) as quotas,
      (select md5(coalesce(string_agg(concat_ws('|', currency, to_currency, valid_on, numerator, denominator), ',' order by currency, to_currency, valid_on), ''))
        from fx_rate) as rates`.execute(trx);
  return r.rows[0] ?? {};
}

/** Every published or retired version of the given plans, with its plan's key. */
export async function versionsOfPlans(trx: Trx, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return trx
    .selectFrom('compPlanVersion as v')
    .innerJoin('compPlan as p', 'p.compPlanId', 'v.compPlanId')
    .select(['v.compPlanVersionId', 'v.compPlanId', 'p.key as planKey', 'v.version', 'v.document', 'v.effectiveFrom', 'v.effectiveTo'])
    .where('v.compPlanId', 'in', [...planIds])
    .where('v.status', 'in', ['published', 'retired'])
    .orderBy('v.compPlanId')
    .orderBy('v.version', 'desc')
    .execute();
}

/** Every quota overlapping [from, to) (of the given participants only, when given), by participant and period start. */
export async function quotasOverlapping(trx: Trx, from: string, to: string, participantIds?: readonly string[]) {
  return trx
    .selectFrom('compQuota')
    .select(['compParticipantId', 'periodStart', 'periodEnd', 'amountMinor', 'currency'])
    .where('periodStart', '<', to)
    .where('periodEnd', '>', from)
    .$if(participantIds !== undefined, (q) => q.where(sql<boolean>`comp_participant_id = any(${[...(participantIds ?? [])]}::uuid[])`))
    .orderBy('compParticipantId')
    .orderBy('periodStart')
    .execute();
}

/** A run's results (through its chain of base runs), in (participant, period) order; one participant's when given. */
export async function resultsOf(trx: Trx, runId: string, participantId?: string): Promise<ResultRow[]> {
  const r = await sql<ResultRow>`select * from ${runResults(runId, participantId ? { participantIds: [participantId] } : {})} r
    order by r.participant_id, r.period_start`.execute(trx);
  return r.rows;
}

// ---------------------------------------------------------------------------------------------
// Participants (comp_participant, read only) and dated rates

/** Participants with a plan assignment overlapping [from, to) (the given ones only, when given), with their active range, by id. */
export async function assignedParticipants(trx: Trx, from: string, to: string, participantIds?: readonly string[]) {
  return trx
    .selectFrom('compPlanAssignment as a')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'a.compParticipantId')
    .select(['p.compParticipantId as participantId', 'p.activeFrom', 'p.activeTo', 'a.effectiveFrom', 'a.effectiveTo', 'a.compPlanId as planId'])
    .where('a.effectiveFrom', '<', to)
    .where((eb) => eb.or([eb('a.effectiveTo', 'is', null), eb('a.effectiveTo', '>', from)]))
    .$if(participantIds !== undefined, (q) => q.where(sql<boolean>`a.comp_participant_id = any(${[...(participantIds ?? [])]}::uuid[])`))
    .orderBy('p.compParticipantId')
    .orderBy('a.effectiveFrom')
    .execute();
}

export async function participantName(trx: Trx, id: string): Promise<string | undefined> {
  const r = await trx.selectFrom('compParticipant').select('displayName').where('compParticipantId', '=', id).executeTakeFirst();
  return r?.displayName;
}

/** The participants linked to a user, and everyone below them in the manager chain. */
export async function visibleParticipantIds(trx: Trx, userId: string): Promise<Set<string>> {
  const r = await sql<{ id: string }>`
with recursive below(id) as (
  select comp_participant_id from comp_participant where app_user_id = ${userId}::uuid
  union
  select p.comp_participant_id from comp_participant p join below b on p.manager_participant_id = b.id
)
select id from below`.execute(trx);
  return new Set(r.rows.map((x) => x.id));
}

export async function linkedParticipantId(trx: Trx, userId: string): Promise<string | undefined> {
  const r = await trx
    .selectFrom('compParticipant')
    .select('compParticipantId')
    .where('appUserId', '=', userId)
    .orderBy('compParticipantId')
    .limit(1)
    .executeTakeFirst();
  return r?.compParticipantId;
}

/** Parses a decimal rate ("1.0825") to an exact fraction. */
export function rateFraction(rate: string): { numerator: number; denominator: number } {
  const m = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(rate);
  if (!m) throw new RangeError(`"${rate}" is not a decimal rate`);
  const frac = m[2] ?? '';
  const numerator = Number(BigInt((m[1] ?? '0') + frac));
  const denominator = Number(10n ** BigInt(frac.length));
  if (!Number.isSafeInteger(numerator) || numerator <= 0) throw new RangeError(`rate "${rate}" must be positive and at most 15 digits`);
  return { numerator, denominator };
}

export async function upsertFxRate(trx: Trx, r: { currency: string; toCurrency: string; validOn: string; rate: string }): Promise<void> {
  const f = rateFraction(r.rate);
  await trx
    .insertInto('fxRate')
    .values({ ...r, ...f })
    .onConflict((oc) => oc.columns(['currency', 'toCurrency', 'validOn']).doUpdateSet({ ...f, rate: r.rate }))
    .execute();
}
