import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { CreditKind, Sourcing } from '../../../common/comp/plan.ts';
import type { TransactionKind } from '../../../common/comp/transaction-row.ts';
import type { RoundingMode } from '../../../common/money.ts';
import type { Trx } from '../../deps.ts';
import type { CommissionResultTable, CommissionRunTable } from './commissions.table.ts';

export type RunRow = Selectable<CommissionRunTable>;
export type ResultRow = Selectable<CommissionResultTable>;

// ---------------------------------------------------------------------------------------------
// Crediting in SQL
//
// One statement per plan version in a run turns the sales_transaction lines of the run's window into
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
};

function spiffKeysExpression(spiffs: readonly SpiffParams[]): RawBuilder<string[]> {
  if (spiffs.length === 0) return sql<string[]>`array[]::text[]`;
  const sorted = [...spiffs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const cases = sorted.map((s) => {
    const conds: RawBuilder<unknown>[] = [
      sql`not l.clawback`,
      sql`l.recognised_on >= ${s.from}::date`,
      sql`l.recognised_on < ${s.to}::date`,
      sql`l.credit_kind = any(${[...s.creditKinds]}::text[])`,
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
 * payout period) of the given participants, with its spiff keys. Used by the bucket aggregate and,
 * for one participant and period, by the drill-down.
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
    -- lines: the split is recomputed over them); with roll-up, their reports' too.
    and (${p.rollupLevels}::integer > 0 or t.sales_transaction_id in (
      select o.sales_transaction_id from sales_transaction o
      where o.participant_id = any(${[...p.participantIds]}::uuid[]) and o.recognised_on >= ${first.start}::date and o.recognised_on < ${last.end}::date))
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

/** The engine's buckets of the given participants per payout period (one statement). */
export async function creditBuckets(trx: Trx, p: CreditingParams): Promise<BucketRow[]> {
  if (p.participantIds.length === 0) return [];
  const r = await sql<BucketRow>`${creditLines(p)}
select participant_id, period_start, credit_kind, sourcing, product, scenario, segment, clawback, spiff_keys,
  sum(credit)::bigint as credit_minor, count(distinct sales_transaction_id)::integer as deals,
  min(case when fx_missing then currency || ' on ' || to_char(recognised_on, 'YYYY-MM-DD') end) as fx_missing_at
from lines_in
group by participant_id, period_start, credit_kind, sourcing, product, scenario, segment, clawback, spiff_keys`.execute(trx);
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

export async function insertRun(trx: Trx, row: { commissionRunId: string; periodStart: string; periodEnd: string; createdByUserId: string | null }) {
  await trx
    .insertInto('commissionRun')
    .values({ ...row, planVersions: '[]' })
    .execute();
}

export async function findRun(trx: Trx, id: string, lock = false): Promise<RunRow | undefined> {
  let q = trx.selectFrom('commissionRun').selectAll().where('commissionRunId', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function latestCompletedRun(trx: Trx): Promise<RunRow | undefined> {
  return trx
    .selectFrom('commissionRun')
    .selectAll()
    .where('status', '=', 'completed')
    .orderBy('finishedAt', 'desc')
    .orderBy('commissionRunId')
    .limit(1)
    .executeTakeFirst();
}

export async function listRuns(trx: Trx, f: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    trx.selectFrom('commissionRun').selectAll().orderBy('createdAt', 'desc').orderBy('commissionRunId').limit(f.limit).offset(f.offset).execute(),
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
    progressDone: number;
    progressTotal: number;
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

export async function deleteResults(trx: Trx, runId: string): Promise<void> {
  await trx.deleteFrom('commissionResult').where('commissionRunId', '=', runId).execute();
}

export type NewResult = Omit<ResultRow, 'buckets' | 'lines'> & { buckets: string; lines: string };

export async function insertResults(trx: Trx, rows: readonly NewResult[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('commissionResult')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function resultsOf(trx: Trx, runId: string, participantId?: string): Promise<ResultRow[]> {
  let q = trx.selectFrom('commissionResult').selectAll().where('commissionRunId', '=', runId);
  if (participantId) q = q.where('participantId', '=', participantId);
  return q.orderBy('participantId').orderBy('periodStart').execute();
}

// ---------------------------------------------------------------------------------------------
// Participants (comp_participant, read only) and dated rates

/** Participants with a plan assignment overlapping [from, to), with their active range, by id. */
export async function assignedParticipants(trx: Trx, from: string, to: string) {
  return trx
    .selectFrom('compPlanAssignment as a')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'a.compParticipantId')
    .select(['p.compParticipantId as participantId', 'p.activeFrom', 'p.activeTo', 'a.effectiveFrom', 'a.effectiveTo'])
    .where('a.effectiveFrom', '<', to)
    .where((eb) => eb.or([eb('a.effectiveTo', 'is', null), eb('a.effectiveTo', '>', from)]))
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
