import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { systemActor } from '../server/actor.ts';
import { buildApp } from '../server/app.ts';
import { inTransaction, type Deps } from '../server/deps.ts';
import { createUser } from '../server/modules/identity/identity.service.ts';
import { createMetric } from '../server/modules/scorecards/metrics.service.ts';
import { computeInTransaction, createScorecard, findScorecardDefinition } from '../server/modules/scorecards/scorecards.service.ts';
import { takeSnapshot } from '../server/modules/scorecards/snapshots.service.ts';
import { BENCH_PASSWORD } from './bench-app.ts';
import type { ChildAnswer, ChildArgs } from './scorecards-compute.child.ts';
import { median, percentile, serverCpuMs, type Benchmark, type BenchCase } from './harness.ts';

/**
 * A seller scorecard of 12 metrics of every kind (counts, sums, ratios of counts and of sums, an
 * average, a median, SLA adherence, win rates) over 12 monthly periods for S x 50k sellers, computed
 * through the service function the API and the publication job use; and one published snapshot of
 * it read over real HTTP by 50 concurrent readers while that computation runs.
 *
 * As in production, where a computation this large is the worker's job and never runs in the API
 * process: the computation runs in a child process of its own (scorecards-compute.child.ts, the same
 * function against the same database), the API server in this process, the readers in a thread.
 */

const SELLERS = 50_000;
const PER_SELLER = 24;
const READERS = 50;
const COMPUTE_BUDGET_MS = 15_000;
const READ_P99_BUDGET_MS = 300;
const PERIOD = '2025-12-15';
const actor = systemActor('bench');

/** Deterministic data, generated inside PostgreSQL (the bench connects as the owner: bulk loading bypasses RLS on purpose). */
async function loadData(deps: Deps, n: { sellers: number; partners: number }): Promise<void> {
  await sql`insert into partner (partner_id, name, tier, status, country)
    select md5('partner' || i)::uuid, 'Scorecard Partner ' || lpad(i::text, 5, '0'), (array['registered','silver','gold','platinum'])[1 + i % 4], 'active', 'DE'
    from generate_series(0, ${n.partners - 1}::int) i`.execute(deps.db);
  // Ten sellers to a team, fifty units.
  await sql`insert into comp_participant (comp_participant_id, external_ref, display_name, team, unit)
    select md5('seller' || i)::uuid, 'S' || i, 'Seller ' || lpad(i::text, 6, '0'), 'Team ' || (i / 10), 'Unit ' || ((i / 10) % 50)
    from generate_series(0, ${n.sellers - 1}::int) i`.execute(deps.db);
  await sql`insert into activity_type (key, name) values ('registration_in_sla', 'Registration answered within SLA'),
    ('registration_late', 'Registration answered late') on conflict (key) do nothing`.execute(deps.db);
  // Two opportunities per seller and month: won, lost, engaging or prospecting; 40% with a partner.
  await sql`insert into opportunity (opportunity_id, source, external_id, seller_participant_id, account_name, product, stage, engage_on, close_on,
      value_minor, currency, partner_id, scenario)
    select gen_random_uuid(), 'bench', 'O' || i, md5('seller' || (i % ${n.sellers}::int))::uuid,
      case when i % 7 = 0 then null else 'Customer ' || (i % 9973) end, (array['GTX Pro','MG Special','GTX Basic'])[1 + i % 3], g.stage,
      case when g.stage = 'prospecting' then null else g.close_on - (5 + (i * 17) % 120) end, g.close_on,
      case when g.stage = 'lost' then 0 else 100000 + ((i * 7) % 5000) * 100 end, 'USD',
      case when (i * 3) % 10 < 4 then md5('partner' || (i % ${n.partners}::int))::uuid end,
      (array['maintenance_renewal','consulting','upgrade'])[1 + i % 3]
    from generate_series(0, ${n.sellers * PER_SELLER - 1}::int) i
    cross join lateral (select (array['won','won','won','lost','lost','lost','engaging','prospecting'])[1 + ((i % 8) * 7919) % 8] as stage,
      (date '2025-01-01' + make_interval(months => (i / ${n.sellers}::int) % 12))::date + ((i * 13) % 28) as close_on) g`.execute(deps.db);
  // Two activities per seller and month across six kinds (SLA answers among them); half name a partner.
  await sql`insert into activity (activity_id, kind, participant_id, partner_id, occurred_on, quantity, source)
    select gen_random_uuid(),
      (array['joint_partner_call','enablement_session','business_review','registration_in_sla','registration_in_sla','registration_late'])[1 + (i * 31) % 6],
      md5('seller' || (i % ${n.sellers}::int))::uuid, case when i % 2 = 0 then md5('partner' || (i % ${n.partners}::int))::uuid end,
      (date '2025-01-01' + make_interval(months => (i / ${n.sellers}::int) % 12))::date + ((i * 11) % 28), 1 + i % 3, 'csv'
    from generate_series(0, ${n.sellers * PER_SELLER - 1}::int) i`.execute(deps.db);
  await sql`analyze`.execute(deps.db);
}

const storedMetrics = [
  {
    key: 'sla_adherence',
    name: 'Registrations answered within SLA',
    owner: 'Channel office',
    unit: 'ratio',
    direction: 'higher_is_better',
    source: 'activities',
    measure: {
      kind: 'ratio',
      numerator: { kind: 'count', filters: [{ field: 'kind', op: 'eq', value: 'registration_in_sla' }] },
      denominator: { kind: 'count', filters: [{ field: 'kind', op: 'in', values: ['registration_in_sla', 'registration_late'] }] },
    },
    periodField: 'occurred_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'programme'],
  },
  {
    key: 'enablement_sessions',
    name: 'Enablement sessions',
    owner: 'Channel office',
    unit: 'count',
    direction: 'higher_is_better',
    source: 'activities',
    measure: { kind: 'sum', field: 'quantity', filters: [{ field: 'kind', op: 'eq', value: 'enablement_session' }] },
    periodField: 'occurred_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'programme'],
  },
  {
    key: 'partner_win_rate',
    name: 'Win rate with partners',
    owner: 'Channel office',
    unit: 'ratio',
    direction: 'higher_is_better',
    source: 'opportunities',
    filters: [{ field: 'partner_linked', op: 'eq', value: true }],
    measure: {
      kind: 'ratio',
      numerator: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
      denominator: { kind: 'count', filters: [{ field: 'stage', op: 'in', values: ['won', 'lost'] }] },
    },
    periodField: 'close_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'programme'],
  },
  {
    key: 'average_won_deal',
    name: 'Average won deal',
    owner: 'Sales operations',
    unit: 'money',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: {
      kind: 'ratio',
      numerator: { kind: 'sum', field: 'value', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
      denominator: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
    },
    periodField: 'close_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'programme'],
    currency: 'USD',
  },
];

const rows = [
  { metric: 'win_rate', weight: 3, target: 0.5, redFlag: 0.3 },
  { metric: 'sales_cycle_days', weight: 1, target: 45, redFlag: 90 },
  { metric: 'won_value', weight: 3, target: 400_000, redFlag: 150_000 },
  { metric: 'opportunities_count', weight: 1, target: 2, redFlag: 1 },
  { metric: 'pipeline_value', weight: 1, target: 300_000, redFlag: 100_000 },
  { metric: 'partner_sourced_share', weight: 2, target: 0.4, redFlag: 0.2 },
  { metric: 'joint_partner_calls', weight: 1, target: 2, redFlag: 1 },
  { metric: 'activities_logged', weight: 1, target: 4, redFlag: 2 },
  { metric: 'sla_adherence', weight: 2, target: 0.9, redFlag: 0.6 },
  { metric: 'enablement_sessions', weight: 1, target: 2, redFlag: 1 },
  { metric: 'partner_win_rate', weight: 2, target: 0.5, redFlag: 0.3 },
  { metric: 'average_won_deal', weight: 1, target: 350_000, redFlag: 200_000 },
];

/**
 * The floor: the same figures for every seller and month written by hand as one statement (no
 * definitions, no RLS, no scoring, nothing stored), folded to per-metric totals so that nothing but
 * the aggregation is timed; setup checks them against the service's stored result.
 */
const floorStatement = sql<{ metric: string; total: number }>`with o as (
  select seller_participant_id s, date_trunc('month', close_on) p,
    count(*) filter (where stage = 'won')::float8 / nullif(count(*) filter (where stage in ('won', 'lost')), 0) as win_rate,
    coalesce(sum(value_minor) filter (where stage = 'won'), 0)::float8 as won_value,
    coalesce(sum(value_minor) filter (where stage in ('prospecting', 'engaging')), 0)::float8 as pipeline_value,
    sum(value_minor) filter (where stage = 'won' and partner_id is not null)::float8 / nullif(sum(value_minor) filter (where stage = 'won'), 0) as partner_share,
    count(*) filter (where stage = 'won' and partner_id is not null)::float8
      / nullif(count(*) filter (where stage in ('won', 'lost') and partner_id is not null), 0) as partner_win_rate,
    sum(value_minor) filter (where stage = 'won')::float8 / nullif(count(*) filter (where stage = 'won'), 0) as average_won_deal
  from opportunity where close_on >= '2025-01-01' and close_on < '2026-01-01' group by 1, 2),
m as (
  select seller_participant_id s, date_trunc('month', close_on) p, percentile_cont(0.5) within group (order by close_on - engage_on) as cycle
  from opportunity where close_on >= '2025-01-01' and close_on < '2026-01-01' and stage = 'won' and engage_on is not null group by 1, 2),
e as (
  select seller_participant_id s, date_trunc('month', engage_on) p, count(*)::float8 as engaged
  from opportunity where engage_on >= '2025-01-01' and engage_on < '2026-01-01' group by 1, 2),
a as (
  select participant_id s, date_trunc('month', occurred_on) p,
    coalesce(sum(quantity) filter (where kind = 'joint_partner_call'), 0)::float8 as calls,
    sum(quantity)::float8 as logged,
    count(*) filter (where kind = 'registration_in_sla')::float8 / nullif(count(*) filter (where kind in ('registration_in_sla', 'registration_late')), 0) as sla,
    coalesce(sum(quantity) filter (where kind = 'enablement_session'), 0)::float8 as enablement
  from activity where occurred_on >= '2025-01-01' and occurred_on < '2026-01-01' and participant_id is not null group by 1, 2)
select x.metric, x.total from
  (select sum(win_rate) a1, sum(won_value) a2, sum(pipeline_value) a3, sum(partner_share) a4, sum(partner_win_rate) a5, sum(average_won_deal) a6 from o) o,
  (select sum(cycle) b1 from m) m, (select sum(engaged) c1 from e) e,
  (select sum(calls) d1, sum(logged) d2, sum(sla) d3, sum(enablement) d4 from a) a,
  lateral (values ('win_rate', o.a1), ('sales_cycle_days', m.b1), ('won_value', o.a2), ('opportunities_count', e.c1), ('pipeline_value', o.a3),
    ('partner_sourced_share', o.a4), ('joint_partner_calls', a.d1), ('activities_logged', a.d2), ('sla_adherence', a.d3), ('enablement_sessions', a.d4),
    ('partner_win_rate', o.a5), ('average_won_deal', o.a6)) x(metric, total)`;

/** The stored result's totals per metric over every subject and period, to compare with the floor's. */
async function resultTotals(deps: Deps, resultId: string, metrics: number): Promise<number[]> {
  const r = await sql<{ i: number; total: number }>`select (o.n - 1) % ${metrics}::int as i, sum(x.v) as total
    from scorecard_result_row r cross join lateral json_array_elements_text(r.figures -> 'trendValues') with ordinality o(t, n)
    cross join lateral (select o.t::float8 as v) x
    where r.scorecard_result_id = ${resultId}::uuid group by 1 order by 1`.execute(deps.db);
  return r.rows.map((x) => Number(x.total));
}

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/**
 * The readers' thread (plain JavaScript, run with eval): closed-loop GETs until told to stop, then its
 * latencies. The readers stand in for browsers on other machines, so what they spend is kept small
 * (it is taken from the two cores the server has): node:http on keep-alive connections, one per
 * reader, and a body is read whole but parsed only once per reader (its rows and total checked);
 * every later body must be byte for byte the one checked (a published page never changes).
 */
const READER_THREAD = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, cookie, readers, rows, total } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: readers });
let running = true;
const latencies = [];
let errors = 0;
let firstError = null;
parentPort.once('message', () => { running = false; });
function get() {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { cookie } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
async function reader() {
  let checked = null;
  while (running) {
    const t = performance.now();
    try {
      const res = await get();
      if (res.status !== 200) throw new Error('GET snapshot: ' + res.status + ' ' + res.body.toString('utf8', 0, 200));
      if (checked === null) {
        const page = JSON.parse(res.body.toString('utf8'));
        if (page.subjects.length !== rows || page.total !== total) throw new Error('unexpected page: ' + page.subjects.length + ' rows of ' + page.total);
        checked = res.body;
      } else if (!res.body.equals(checked)) throw new Error('the published page changed between reads');
      latencies.push(performance.now() - t);
    } catch (err) {
      errors += 1;
      if (firstError === null) firstError = String(err && err.message ? err.message : err);
    }
  }
}
Promise.all(Array.from({ length: readers }, reader)).then(() => { agent.destroy(); parentPort.postMessage({ latencies, errors, firstError }); });
`;

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : 'n/a');

export const scorecardsComputeBench: Benchmark = {
  name: 'scorecards.compute',
  description:
    `A seller scorecard of 12 metrics (counts, sums, win rates, partner share of won value, an average deal, the median sales cycle, SLA adherence, ...) over 12 monthly periods for S x ${SELLERS / 1000}k sellers ` +
    `(10 to a team, 50 units; S x ${(SELLERS * PER_SELLER) / 1e6}M opportunities and as many activities), computed by computeInTransaction, the function the worker's job runs ` +
    `(one statement for every metric, subject and period; scoring and ranking; the result stored for paging), in a process of its own as in production (the API never computes a scorecard this large). Target at S = 1: at most ${COMPUTE_BUDGET_MS / 1000} s. ` +
    `Then GET /api/scorecards/snapshots/:id (a published snapshot of the same scorecard, first page) over real HTTP on 127.0.0.1 to the API server in the bench process by ${READERS} concurrent readers (a thread; node:http keep-alive, each page checked once per reader and then compared byte for byte), each sending its next request as soon as the last one is answered, ` +
    `for as long as a computation runs in the other process; target p99 <= ${READ_P99_BUDGET_MS} ms. Baseline: the same figures written by hand as one SQL statement (no definitions, RLS, scoring or storage). Run with --runs 3 --warmup 1.`,
  async setup({ deps, scale, connection }) {
    const n = { sellers: Math.max(100, Math.round(SELLERS * scale)), partners: Math.max(20, Math.round(2000 * scale)) };
    const log = (s: string) => process.stdout.write(`  ${s}\n`);
    const loadStart = performance.now();
    await loadData(deps, n);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    log(`loaded in ${loadSeconds.toFixed(0)} s`);

    for (const m of storedMetrics) await createMetric(deps, actor, m);
    await createScorecard(deps, actor, {
      key: 'bench_sellers',
      name: 'Seller scorecard (bench)',
      owner: 'Sales operations',
      subjectKind: 'seller',
      periodGrain: 'month',
      trendPeriods: 12,
      rows,
      audiences: [{ kind: 'internal' }],
    });
    const ref = await inTransaction(deps, actor, (trx) => findScorecardDefinition(trx, 'bench_sellers'));
    if (!ref) throw new Error('bench scorecard missing');
    // The real path computes what the hand-written statement computes.
    const first = await inTransaction(deps, actor, (trx) => computeInTransaction(trx, ref, PERIOD, 'seller', new Date()));
    const floor = (await floorStatement.execute(deps.db)).rows;
    const totals = await resultTotals(deps, first.resultId, rows.length);
    const mismatches = rows.flatMap((r, i) => {
      const want = Number(floor.find((f) => f.metric === r.metric)?.total ?? Number.NaN);
      const got = totals[i] ?? Number.NaN;
      return Math.abs(want - got) <= 1e-6 * Math.max(1, Math.abs(want)) ? [] : [`${r.metric}: service ${got}, hand-written ${want}`];
    });
    if (mismatches.length) throw new Error(`the service and the hand-written statement disagree: ${mismatches.join('; ')}`);
    if (first.subjectCount !== n.sellers) throw new Error(`expected ${n.sellers} subjects, got ${first.subjectCount}`);

    const snap = await takeSnapshot(deps, actor, { scorecard: 'bench_sellers', period: PERIOD, publish: true });
    await createUser(deps, actor, {
      email: 'bench.exec@helion.example',
      password: BENCH_PASSWORD,
      displayName: 'Bench Executive',
      roles: ['executive'],
      partnerId: null,
      managerUserId: null,
    });
    // The computing process: forked once, asked to compute once per run, its answers in order.
    const child: ChildProcess = fork(new URL('./scorecards-compute.child.ts', import.meta.url), [
      JSON.stringify({ connection, scorecard: 'bench_sellers', period: PERIOD, level: 'seller' } satisfies ChildArgs),
    ]);
    const childExit = once(child, 'exit');
    const [ready] = (await Promise.race([once(child, 'message'), childExit.then(() => ['exited'])])) as unknown[];
    if (ready !== 'ready') throw new Error('the computing process did not start');
    const compute = async (): Promise<Extract<ChildAnswer, { ok: true }>> => {
      const answer = once(child, 'message');
      child.send('compute');
      const [a] = (await Promise.race([answer, childExit.then(() => [{ ok: false, error: 'the computing process exited' }])])) as [ChildAnswer];
      if (!a.ok) throw new Error(`computation failed in the computing process: ${a.error}`);
      if (a.subjectCount !== n.sellers) throw new Error(`expected ${n.sellers} subjects, got ${a.subjectCount}`);
      computeStages.push(a.stages);
      stagesNote();
      if (a.pgCpuMs !== null) pgCpu.compute.push(a.pgCpuMs);
      pgCpuNote();
      return a;
    };

    const app = await buildApp(deps);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const cookie = await signIn(url, 'bench.exec@helion.example');
    const read = async () => {
      const res = await fetch(`${url}/api/scorecards/snapshots/${snap.id}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`GET snapshot: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { subjects: unknown[]; total: number };
      if (body.subjects.length !== 50 || body.total !== n.sellers) throw new Error(`unexpected page: ${body.subjects.length} rows of ${body.total}`);
    };

    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | null = null;
    let computeRuns = 0;
    const notes = [
      `${n.sellers} sellers, ${n.partners} partners, ${n.sellers * PER_SELLER} opportunities and ${n.sellers * PER_SELLER} activities loaded in ${loadSeconds.toFixed(0)} s (generate_series inside PostgreSQL); ` +
        `the service's figures checked against the hand-written statement's, metric by metric; a snapshot of ${snap.subjectCount} rows published.`,
      '',
      '',
      '',
      '',
    ];
    const summarise = () => {
      const ok = latencies.length > 0;
      const p99 = ok ? percentile(latencies, 99) : Number.NaN;
      notes[1] =
        `Snapshot reads during ${computeRuns} computations in the computing process, the warm-up included (${READERS} concurrent readers over HTTP in a thread of their own, first page of 50 of ${n.sellers}): ${latencies.length} answered, ${errors} errors; ` +
        `p50 ${fmt(ok ? median(latencies) : Number.NaN)} ms, p95 ${fmt(ok ? percentile(latencies, 95) : Number.NaN)} ms, p99 ${fmt(p99)} ms, max ${fmt(ok ? Math.max(...latencies) : Number.NaN)} ms` +
        (firstError ? `; first error: ${firstError.slice(0, 200)}` : '') +
        `. Target (p99 <= ${READ_P99_BUDGET_MS} ms): ${errors === 0 && p99 <= READ_P99_BUDGET_MS ? 'met' : 'NOT met'}${scale < 1 ? ` (scale ${scale}: a reduced run)` : ''}.`;
    };
    const computeSamples: number[] = [];
    const computeCpu: number[] = [];
    const computeStages: Extract<ChildAnswer, { ok: true }>['stages'][] = [];
    // PostgreSQL CPU (from /proc, when the server is on this machine): less noisy than wall time on a shared machine.
    const pgCpu = { baseline: [] as number[], compute: [] as number[] };
    const pgCpuNote = () => {
      if (pgCpu.compute.length === 0 || pgCpu.baseline.length === 0) return;
      const b = median(pgCpu.baseline);
      const c = median(pgCpu.compute);
      notes[4] =
        `PostgreSQL CPU (the statement's backend and its parallel workers, from /proc; medians, the warm-up included): hand-written statement ${fmt(b)} ms; ` +
        `computeInTransaction ${fmt(c)} ms (${(c / b).toFixed(2)}x), its transaction's statements, result rows written included.`;
    };
    const stagesNote = () => {
      const names = [...new Set(computeStages.flatMap((st) => Object.keys(st)))] as (keyof (typeof computeStages)[number])[];
      notes[3] =
        `Where a computation's time goes (computing process, wall ms, median over ${computeStages.length} runs): ` +
        names.map((k) => `${k} ${fmt(median(computeStages.map((st) => st[k] ?? 0)))}`).join(', ') +
        " (statement: the one statement in PostgreSQL, rows read; score: parse, score, rank; store: the result rows written; commit: the transaction's commit).";
    };
    const readCpu = { ms: 0, reads: 0 };
    const verdict = () => {
      const med = computeSamples.length ? median(computeSamples) : Number.NaN;
      notes[2] = `Computation target (median <= ${COMPUTE_BUDGET_MS / 1000} s for 50k x 12 x 12): ${med <= COMPUTE_BUDGET_MS ? 'met' : 'NOT met'} (median ${fmt(med)} ms over ${computeSamples.length} runs, the warm-up included${scale < 1 ? `, scale ${scale}: a reduced run` : ''}); CPU of the computing Node process (scoring, ranking, storing; the statement runs in PostgreSQL) median ${fmt(median(computeCpu))} ms; API process CPU per answered read during computations ${fmt(readCpu.reads ? readCpu.ms / readCpu.reads : Number.NaN)} ms (the readers' thread included).`;
    };

    const baseline: BenchCase = {
      name: 'hand-written SQL: the 12 figures for every seller and month, one statement',
      // One connection, so that its backend's CPU can be read.
      run: () =>
        deps.db.connection().execute(async (db) => {
          const pid = Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]?.pid);
          const before = serverCpuMs(pid);
          await floorStatement.execute(db);
          const after = serverCpuMs(pid);
          if (before !== null && after !== null) pgCpu.baseline.push(after - before);
          pgCpuNote();
        }),
    };
    const cases: BenchCase[] = [
      {
        name: `computeInTransaction: ${n.sellers} sellers x 12 metrics x 12 months, scored, ranked, stored`,
        async run() {
          const a = await compute();
          computeSamples.push(a.ms);
          computeCpu.push(a.cpuMs);
          verdict();
        },
      },
      {
        name: `the same computation while ${READERS} readers page the published snapshot over HTTP`,
        async run() {
          // The readers are another thread (a client's work is not the server's): each sends its next
          // request as soon as the last is answered, until the computation is over.
          const worker = new Worker(READER_THREAD, {
            eval: true,
            workerData: { url: `${url}/api/scorecards/snapshots/${snap.id}`, cookie, readers: READERS, rows: 50, total: n.sellers },
          });
          const done = new Promise<{ latencies: number[]; errors: number; firstError: string | null }>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          });
          await new Promise((resolve) => worker.once('online', resolve));
          const cpu = process.cpuUsage();
          try {
            await compute();
          } finally {
            worker.postMessage('stop');
          }
          const r = await done;
          const used = process.cpuUsage(cpu);
          readCpu.ms += (used.user + used.system) / 1000;
          readCpu.reads += r.latencies.length;
          await worker.terminate();
          latencies.push(...r.latencies);
          errors += r.errors;
          firstError ??= r.firstError;
          computeRuns += 1;
          summarise();
          verdict();
        },
      },
      { name: 'GET /api/scorecards/snapshots/:id alone (first page, HTTP)', run: read },
    ];
    return {
      baseline,
      cases,
      notes,
      async teardown() {
        if (child.connected) child.send('stop');
        await Promise.race([childExit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill();
        await app.close();
      },
    };
  },
};
