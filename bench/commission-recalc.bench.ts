import { sql, type Kysely } from 'kysely';
import { planDocument, PLAN_FORMAT, type PlanDocumentInput } from '../common/comp/plan.ts';
import type { DB } from '../server/db/schema.ts';
import type { Deps } from '../server/deps.ts';
import { runPeriodRunJob, type RunStages } from '../server/modules/commissions/runs.service.ts';
import { median, type Benchmark } from './harness.ts';

/**
 * Full recalculation of a fiscal year of commissions at S x 10M transaction lines for S x 50k
 * participants, through the real period-run job (crediting in SQL, the engine per participant,
 * results and hash stored), against two floors measured in the same run: one hand-written SQL
 * aggregate over the same table (data movement) and a plain TypeScript pass over the same lines held
 * in typed arrays (compute). Then the incremental recalculation after a 10k-line delta.
 *
 * Data (generated inside PostgreSQL with generate_series, deterministic):
 * - participants: 1 director per 500, 1 manager per 50 (each under a director), the rest sellers
 *   (each under a manager); every seller has a yearly quota, managers and directors their team's.
 * - two plans, quarterly: sellers "field" (marginal tiers on quarterly attainment with a component
 *   cap and a plan period cap, partner-sourced credit at 1.25x decided by the plan, a partner
 *   multiplier on partner-sourced pay); managers and directors "management" (two levels of roll-up,
 *   flat tiers with a cap).
 * - transactions over the first quarter of 2026 (the run): one in ten split 60/40 between two
 *   sellers, 10% partner-sourced (credited at 1.25x by both plans), 5% partner-influenced, 2% credit
 *   notes refunding a sale 30 days earlier, 1% in USD at dated rates; lines stored in 100 committed
 *   import batches. No product or scenario: every attribute a line carries multiplies the buckets
 *   stored per result (kind x sourcing x product x scenario x segment x clawback).
 */

/** The run: the first quarter of fiscal 2026 (plans pay quarterly; the fiscal year starts in January, so no earlier quarter is chained). */
const YEAR = { start: '2026-01-01', end: '2026-04-01' };
const DELTA_LINES = 10_000;

const uuidOf = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function plans(): { field: PlanDocumentInput; management: PlanDocumentInput } {
  return {
    field: {
      format: PLAN_FORMAT,
      key: 'bench_field',
      name: 'Field sales',
      currency: 'EUR',
      effectiveFrom: YEAR.start,
      payoutPeriod: 'quarter',
      crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 12_500, partnerInfluencedCreditBps: 10_000, rollupLevels: 0 },
      periodCapMinor: 6_000_000,
      components: [
        {
          key: 'tiers',
          name: 'Quarterly tiers',
          kind: 'tiered',
          mode: 'marginal',
          tiers: [
            { fromBps: 0, toBps: 5000, rateBps: 200 },
            { fromBps: 5000, toBps: 10_000, rateBps: 400 },
            { fromBps: 10_000, toBps: null, rateBps: 700 },
          ],
          partnerSourcedMultiplierBps: 11_000,
          capMinor: 5_000_000,
        },
      ],
    },
    management: {
      format: PLAN_FORMAT,
      key: 'bench_management',
      name: 'Sales management',
      currency: 'EUR',
      effectiveFrom: YEAR.start,
      payoutPeriod: 'quarter',
      crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 12_500, partnerInfluencedCreditBps: 10_000, rollupLevels: 2 },
      components: [
        {
          key: 'team',
          name: 'Team attainment',
          kind: 'tiered',
          mode: 'flat',
          credits: { creditKinds: ['rollup'] },
          tiers: [
            { fromBps: 0, toBps: 8000, rateBps: 20 },
            { fromBps: 8000, toBps: null, rateBps: 50 },
          ],
          capMinor: 20_000_000,
        },
      ],
    },
  };
}

type Counts = { directors: number; managers: number; sellers: number };

/** Lines of transactions [from, to) (g numbers), written the way an import stores them; batchSize 0 = all in one batch (batchId). */
export function insertLines(db: Kysely<DB>, from: number, to: number, counts: Counts, batch: { size: number; id: string }) {
  const first = counts.directors + counts.managers;
  return sql`
insert into sales_transaction (participant_id, sales_transaction_id, transaction_import_id, partner_id, amount_minor, deal_amount_minor,
  recognised_on, original_recognised_on, split_bps, currency, role, kind, sourcing, transaction_ref, product, scenario)
select ('10000000-0000-4000-8000-' || lpad(to_hex(s.p), 12, '0'))::uuid,
  ('30000000-0000-4000-8000-' || lpad(to_hex(x.g), 12, '0'))::uuid,
  case when ${batch.size}::bigint = 0 then ${batch.id}::uuid else ('20000000-0000-4000-8000-' || lpad(to_hex(x.g / greatest(${batch.size}::bigint, 1)), 12, '0'))::uuid end,
  null,
  case when x.split then (case when s.k = 1 then x.deal / 10 * 6 else x.deal / 10 * 4 end) else x.deal end,
  x.deal, x.day, case when x.refund then x.day - 30 end,
  case when x.split then (case when s.k = 1 then 6000 else 4000 end) else 10000 end,
  x.currency, 'seller', case when x.refund then 'credit_note' else 'invoice' end, x.sourcing, 'B-' || x.g, null, null
from (
  select g, (g % 10 = 0) as split, ((g / 3) % 50 = 7) as refund,
    (case when (g / 3) % 50 = 7 then -1 else 1 end) * (((g * 7919) % 200000) + 100) * 10 as deal,
    date '2026-01-01' + ((g * 13) % 90)::integer as day,
    case when (g / 11) % 100 = 3 then 'USD' else 'EUR' end as currency,
    case when (g / 7) % 20 < 2 then 'partner_sourced' when (g / 7) % 20 = 2 then 'partner_influenced' else 'direct' end as sourcing,
    (g * 2654435761) % ${counts.sellers}::bigint as seller
  from generate_series(${from}::bigint, ${to - 1}::bigint) g
) x
cross join lateral (values (1, ${first}::bigint + x.seller), (2, ${first}::bigint + (x.seller + 1) % ${counts.sellers}::bigint)) as s(k, p)
where s.k = 1 or x.split`.execute(db);
}

/** Committed import batches (what an import leaves behind): the numbered bench batches [0, n], or one delta batch. */
export function insertBatches(db: Kysely<DB>, ids: { count: number } | { id: string }) {
  const list =
    'id' in ids
      ? sql`select ${ids.id}::uuid`
      : sql`select ('20000000-0000-4000-8000-' || lpad(to_hex(b), 12, '0'))::uuid from generate_series(0, ${ids.count}) b`;
  return sql`insert into transaction_import (transaction_import_id, source_name, format, content_sha256, size_bytes, status, commit_mode, finished_at)
select id, 'bench.csv', 'csv', encode(sha256(id::text::bytea), 'hex'), 0, 'committed', 'all_or_nothing', now() from (${list}) as b(id)`.execute(db);
}

export const commissionRecalcBench: Benchmark = {
  name: 'commissions.recalculation',
  description:
    'Full recalculation of a quarter at S x 10M transaction lines for S x 50k participants through the real period-run job (tiered plans with caps, split and partner credit, two-level manager roll-up), against a hand-written SQL aggregate over the same table (the data-movement floor, baseline) and a TypeScript pass over the same lines in typed arrays (the compute floor); then the incremental recalculation after a 10k-line import. Targets at S = 1: full at most 10 s, peak RSS under 3 GB, incremental at most 2 s with the same result hash as a full recalculation. Run with --runs 3 --warmup 1.',
  async setup({ deps, scale }) {
    const participants = Math.max(60, Math.round(50_000 * scale));
    const directors = Math.max(1, Math.round(participants / 500));
    const managers = Math.max(1, Math.round(participants / 50));
    const counts = { directors, managers, sellers: participants - directors - managers };
    const targetLines = Math.round(10_000_000 * scale);
    const transactions = Math.round(targetLines / 1.1);
    const notes: string[] = [];
    const stage: string[] = [];
    let t0 = performance.now();
    const mark = (what: string) => {
      stage.push(`${what} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      t0 = performance.now();
    };

    // Participants: directors, managers, sellers; ids in index order.
    await sql`insert into comp_participant (comp_participant_id, external_ref, display_name, manager_participant_id)
select ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'P' || i, 'Participant ' || i,
  case when i < ${directors} then null
    when i < ${directors + managers} then ('10000000-0000-4000-8000-' || lpad(to_hex(i % ${directors}), 12, '0'))::uuid
    else ('10000000-0000-4000-8000-' || lpad(to_hex(${directors} + i % ${managers}), 12, '0'))::uuid end
from generate_series(0, ${participants - 1}) i`.execute(deps.db);
    const docs = plans();
    for (const [n, doc] of [docs.field, docs.management].entries()) {
      const parsed = planDocument.parse(doc);
      await sql`insert into comp_plan (comp_plan_id, key, name, currency) values (${uuidOf('40000000', n)}::uuid, ${parsed.key}, ${parsed.name}, 'EUR')`.execute(
        deps.db,
      );
      await sql`insert into comp_plan_version (comp_plan_version_id, comp_plan_id, version, status, document, effective_from, published_at)
        values (${uuidOf('41000000', n)}::uuid, ${uuidOf('40000000', n)}::uuid, 1, 'published', ${JSON.stringify(parsed)}::jsonb, ${YEAR.start}::date, now())`.execute(
        deps.db,
      );
    }
    await sql`insert into comp_plan_assignment (comp_plan_assignment_id, comp_participant_id, comp_plan_id, effective_from)
select ('50000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
  case when i < ${directors + managers} then ${uuidOf('40000000', 1)}::uuid else ${uuidOf('40000000', 0)}::uuid end, ${YEAR.start}::date
from generate_series(0, ${participants - 1}) i`.execute(deps.db);
    await sql`insert into comp_quota (comp_quota_id, comp_participant_id, period_start, period_end, amount_minor, currency)
select ('60000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
  ${YEAR.start}::date, ${YEAR.end}::date,
  case when i < ${directors} then 100000000000 when i < ${directors + managers} then 10000000000 else 150000000 + (i % 7) * 20000000 end, 'EUR'
from generate_series(0, ${participants - 1}) i`.execute(deps.db);
    await sql`insert into fx_rate (currency, to_currency, valid_on, numerator, denominator, rate)
values ('USD', 'EUR', '2025-12-01', 9125, 10000, '0.9125'), ('USD', 'EUR', '2026-02-15', 87, 100, '0.87')`.execute(deps.db);
    mark('participants, plans, assignments, quotas');

    // The lines: constraints and indexes of the store dropped while they load (their definitions kept in a table), then built once.
    await sql`create table bench_store_ddl as
      select 'alter table sales_transaction add constraint ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) as ddl,
        case contype when 'f' then 3 else 1 end as step, 'alter table sales_transaction drop constraint ' || quote_ident(conname) as undo
      from pg_constraint where conrelid = 'sales_transaction'::regclass and contype in ('p', 'u', 'f')
      union all
      select indexdef, 2, 'drop index ' || quote_ident(indexname) from pg_indexes where tablename = 'sales_transaction'
        and indexname not in (select conname from pg_constraint where conrelid = 'sales_transaction'::regclass)`.execute(deps.db);
    await sql`do $$ declare r record; begin for r in select undo from bench_store_ddl order by step desc loop execute r.undo; end loop; end $$`.execute(
      deps.db,
    );
    const batchSize = Math.ceil(transactions / 100);
    await insertBatches(deps.db, { count: Math.floor(transactions / batchSize) });
    // Two sessions fill halves of the table at once (one per core).
    const half = Math.ceil(transactions / 2);
    await Promise.all(
      [
        [1, half + 1],
        [half + 1, transactions + 1],
      ].map(([from, to]) =>
        deps.db.connection().execute(async (db) => {
          await sql`set synchronous_commit = off`.execute(db);
          await insertLines(db, from ?? 1, to ?? 1, counts, { size: batchSize, id: uuidOf('20000000', 0) });
        }),
      ),
    );
    mark('lines');
    await deps.db.connection().execute(async (db) => {
      await sql`set maintenance_work_mem = '512MB'`.execute(db);
      await sql`do $$ declare r record; begin for r in select ddl from bench_store_ddl order by step loop execute r.ddl; end loop; end $$`.execute(db);
    });
    await sql`vacuum analyze sales_transaction`.execute(deps.db);
    await sql`analyze`.execute(deps.db);
    mark('indexes, constraints, vacuum analyze');
    const lines = Number((await sql<{ n: string }>`select count(*) as n from sales_transaction`.execute(deps.db)).rows[0]?.n ?? 0);

    // The compute floor's input: every line as (participant index, day of year, rate class, amount) in typed arrays.
    const floor = await loadTypedLines(deps, participants, lines);
    const managerOf = new Int32Array(participants);
    for (let i = 0; i < participants; i++) managerOf[i] = i < directors ? -1 : i < directors + managers ? i % directors : directors + (i % managers);
    mark('typed arrays for the compute floor');

    let nextDelta = transactions + 1;
    let runSeq = 0;
    let lastHash: { hash: string; lines: number } | null = null;
    const fullHashes: string[] = [];
    const incrementalOnly: number[] = [];
    const fullCpu: number[] = [];
    const incrementalCpu: number[] = [];
    const fullStages: RunStages[] = [];
    const incrementalStages: RunStages[] = [];
    const checked: string[] = [];

    async function newRun(incremental: boolean): Promise<string> {
      runSeq += 1;
      const id = uuidOf('70000000', runSeq);
      await sql`insert into commission_run (commission_run_id, period_start, period_end, incremental)
        values (${id}::uuid, ${YEAR.start}::date, ${YEAR.end}::date, ${incremental})`.execute(deps.db);
      return id;
    }
    async function finished(id: string): Promise<{ hash: string; count: number }> {
      const r = await sql<{ status: string; resultHash: string | null; resultCount: number | null; error: string | null }>`
        select status, result_hash, result_count, error from commission_run where commission_run_id = ${id}::uuid`.execute(deps.db);
      const row = r.rows[0];
      if (row?.status !== 'completed' || !row.resultHash) throw new Error(`bench run ${id} did not complete: ${row?.status} ${row?.error}`);
      return { hash: row.resultHash, count: row.resultCount ?? 0 };
    }
    async function storedLines(): Promise<number> {
      return Number((await sql<{ n: string }>`select count(*) as n from sales_transaction`.execute(deps.db)).rows[0]?.n ?? 0);
    }

    return {
      baseline: {
        name: 'SQL floor: one hand-written aggregate to (participant, quarter, rate class), rows read by the app',
        run: async () => {
          const r =
            await sql`select participant_id, date_trunc('quarter', recognised_on) as q, sourcing, split_bps = 10000 as whole, deal_amount_minor < 0 as refund,
            sum(amount_minor) as credit, count(*) as n
            from sales_transaction where recognised_on >= ${YEAR.start}::date and recognised_on < ${YEAR.end}::date group by 1, 2, 3, 4, 5`.execute(deps.db);
          return r.rows.length;
        },
      },
      cases: [
        {
          name: 'TS floor: one pass over the lines in typed arrays (credit, 2-level roll-up, tiers, caps)',
          run: async () => typedArrayPass(floor, managerOf, participants),
        },
        {
          name: `Full recalculation through the period-run job (target at S = 1: at most 10 s)`,
          run: async () => {
            await sql`truncate commission_result`.execute(deps.db);
            const id = await newRun(false);
            const cpu = process.cpuUsage();
            const stages: RunStages = {};
            await runPeriodRunJob(deps, id, undefined, stages);
            fullStages.push(stages);
            const used = process.cpuUsage(cpu);
            fullCpu.push((used.user + used.system) / 1000);
            const r = await finished(id);
            fullHashes.push(r.hash);
            const n = await storedLines();
            if (lastHash && lastHash.lines === n) {
              if (lastHash.hash !== r.hash) throw new Error(`incremental hash ${lastHash.hash} differs from the full recalculation's ${r.hash}`);
              checked.push(r.hash);
            }
            return r.count;
          },
        },
        {
          name: `Import of a ${DELTA_LINES.toLocaleString('en-US')}-line delta (SQL insert), then the incremental recalculation (target: at most 2 s)`,
          run: async () => {
            const from = nextDelta;
            const tx = Math.round(DELTA_LINES / 1.1);
            nextDelta += tx;
            await insertBatches(deps.db, { id: uuidOf('21000000', from) });
            await insertLines(deps.db, from, from + tx, counts, { size: 0, id: uuidOf('21000000', from) });
            const id = await newRun(true);
            const t = performance.now();
            const cpu = process.cpuUsage();
            const stages: RunStages = {};
            await runPeriodRunJob(deps, id, undefined, stages);
            incrementalStages.push(stages);
            const used = process.cpuUsage(cpu);
            incrementalOnly.push(performance.now() - t);
            incrementalCpu.push((used.user + used.system) / 1000);
            lastHash = { hash: (await finished(id)).hash, lines: await storedLines() };
            return lastHash;
          },
        },
      ],
      notes,
      async teardown() {
        const rss = process.resourceUsage().maxRSS;
        notes.push(
          `${participants.toLocaleString('en-US')} participants (${directors} directors, ${managers} managers), ${lines.toLocaleString('en-US')} lines at the start (${transactions.toLocaleString('en-US')} transactions); each incremental case adds ${DELTA_LINES.toLocaleString('en-US')} lines in a new batch.`,
          `Setup: ${stage.join('; ')}.`,
          `Incremental recalculation alone (the job, without the delta insert): median ${incrementalOnly.length > 0 ? median(incrementalOnly).toFixed(0) : 'n/a'} ms over ${incrementalOnly.length} runs; its hash equalled the next full recalculation's ${checked.length} time(s), never differed.`,
          `CPU of the app process (process.cpuUsage: the engine, hashing, JSON; the database's own CPU is not in it): median ${fullCpu.length > 0 ? median(fullCpu).toFixed(0) : 'n/a'} ms per full recalculation, ${incrementalCpu.length > 0 ? median(incrementalCpu).toFixed(0) : 'n/a'} ms per incremental one.`,
          `Where a run's time goes (wall ms, median per stage; runPeriodRunJob's RunStages): full ${stagesText(fullStages)}; incremental ${stagesText(incrementalStages)}.`,
          `Peak RSS of the bench process (process.resourceUsage().maxRSS, the typed arrays of the compute floor included): ${(rss / 1024).toFixed(0)} MB.`,
        );
      },
    };
  },
};

/** Median wall ms per stage over some runs, in the order the stages ran. */
function stagesText(runs: readonly RunStages[]): string {
  if (runs.length === 0) return 'n/a';
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))] as (keyof RunStages)[];
  return names.map((n) => `${n} ${median(runs.map((r) => r[n] ?? 0)).toFixed(0)}`).join(', ');
}

type TypedLines = { participant: Int32Array; quarter: Uint8Array; cls: Uint8Array; amount: Float64Array; length: number };

/**
 * Every line as (participant index, quarter, rate class, stored amount) in typed arrays, read in
 * participant ranges as packed binary (14 bytes a line) so the load stays fast at 10M lines.
 */
async function loadTypedLines(deps: Deps, participants: number, expected: number): Promise<TypedLines> {
  const cap = expected + 200 * DELTA_LINES;
  const out: TypedLines = {
    participant: new Int32Array(cap),
    quarter: new Uint8Array(cap),
    cls: new Uint8Array(cap),
    amount: new Float64Array(cap),
    length: 0,
  };
  const step = Math.max(1, Math.ceil(participants / 40));
  for (let from = 0; from < participants; from += step) {
    const r = await sql<{ packed: Buffer | null }>`
      select string_agg(int4send(x.idx) || set_byte(set_byte('\\x0000'::bytea, 0, x.q), 1, x.cls) || int8send(x.amount), ''::bytea) as packed
      from (
        select ('x' || lpad(right(t.participant_id::text, 12), 16, '0'))::bit(64)::bigint::integer as idx,
          (extract(quarter from t.recognised_on)::integer - 1) as q,
          ((case t.sourcing when 'direct' then 0 when 'partner_sourced' then 1 else 2 end) * 2 + (case when t.deal_amount_minor < 0 then 1 else 0 end)
            + (case when t.split_bps < 10000 then 6 else 0 end)) as cls,
          t.amount_minor as amount
        from sales_transaction t
        where t.participant_id >= ${uuidOf('10000000', from)}::uuid and t.participant_id < ${uuidOf('10000000', from + step)}::uuid
      ) x`.execute(deps.db);
    const buf = r.rows[0]?.packed;
    if (!buf) continue;
    for (let o = 0; o + 14 <= buf.length; o += 14) {
      const k = out.length++;
      out.participant[k] = buf.readInt32BE(o);
      out.quarter[k] = buf[o + 4] ?? 0;
      out.cls[k] = buf[o + 5] ?? 0;
      out.amount[k] = Number(buf.readBigInt64BE(o + 6));
    }
  }
  if (out.length !== expected) throw new Error(`typed arrays hold ${out.length} lines, the table ${expected}`);
  return out;
}

const CLASSES = 12;
const FIELD_TIERS = [
  { from: 0, to: 0.5, rate: 0.02 },
  { from: 0.5, to: 1, rate: 0.04 },
  { from: 1, to: Infinity, rate: 0.07 },
];

/** Credit per (participant, quarter, class) with two levels of roll-up, then marginal tiers and caps per participant and quarter. */
function typedArrayPass(l: TypedLines, managerOf: Int32Array, participants: number): number {
  const acc = new Float64Array(participants * 4 * CLASSES);
  const { participant, quarter, cls, amount } = l;
  for (let i = 0; i < l.length; i++) {
    const p = participant[i] as number;
    const q = quarter[i] as number;
    const c = cls[i] as number;
    const a = amount[i] as number;
    const k = (p * 4 + q) * CLASSES + c;
    acc[k] = (acc[k] as number) + a;
    const m1 = managerOf[p] as number;
    if (m1 >= 0) {
      const k1 = (m1 * 4 + q) * CLASSES + c;
      acc[k1] = (acc[k1] as number) + a;
      const m2 = managerOf[m1] as number;
      if (m2 >= 0) {
        const k2 = (m2 * 4 + q) * CLASSES + c;
        acc[k2] = (acc[k2] as number) + a;
      }
    }
  }
  let total = 0;
  for (let p = 0; p < participants; p++) {
    const quota = (150_000_000 + (p % 7) * 20_000_000) / 4;
    for (let q = 0; q < 1; q++) {
      let credit = 0;
      for (let c = 0; c < CLASSES; c++) credit += acc[(p * 4 + q) * CLASSES + c] as number;
      let pay = 0;
      for (const t of FIELD_TIERS) {
        const lo = t.from * quota;
        const hi = t.to * quota;
        if (credit > lo) pay += (Math.min(credit, hi) - lo) * t.rate;
      }
      total += Math.min(Math.round(pay), 5_000_000);
    }
  }
  return total;
}
