import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDocument, PLAN_FORMAT, type Sourcing } from '../../../common/comp/plan.ts';
import { allocate, moneyOf } from '../../../common/money.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import * as repo from './runs.repository.ts';
import * as closeRepo from './close.repository.ts';
import { calculateRun, runPeriodRunJob } from './runs.service.ts';
import { insertAssignedParticipants, insertPublishedPlan, insertQuotas, insertUsdRates, storedLine } from './runs.test-support.ts';

/**
 * An incremental run (after new import batches) gives the same result hash as a full recalculation
 * of the same store, over random stores and random deltas: splits, overlays, partner credit with a
 * multiplier, USD lines at dated rates, refunds, two levels of roll-up, two plans that credit alike
 * (one statement) and one that does not, and a year-to-date tier table chained from a fiscal-year
 * quarter before the run (the warm-up periods are credited again for the participants a delta reaches).
 */

let t: TestDeps;
const PLANS = { field: newId(), mgmt: newId(), other: newId() };
const RUN = { start: '2027-04-01', end: '2027-10-01' };

function plan(key: string, rollupLevels: number, sourcedBps: number) {
  return planDocument.parse({
    format: PLAN_FORMAT,
    key,
    name: key,
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    payoutPeriod: 'quarter',
    rounding: 'half_even',
    crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: sourcedBps, partnerInfluencedCreditBps: 10_000, rollupLevels },
    periodCapMinor: 900_000,
    components: [
      {
        key: 'tiers',
        name: 'Year-to-date tiers',
        kind: 'tiered',
        mode: 'marginal',
        window: 'year_to_date',
        tiers: [
          { fromBps: 0, toBps: 5000, rateBps: 300 },
          { fromBps: 5000, toBps: null, rateBps: 700 },
        ],
        credits: { creditKinds: ['direct', 'split', 'rollup', 'overlay'] },
        capMinor: 600_000,
      },
    ],
  });
}

beforeAll(async () => {
  t = await createTestDeps();
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    for (const [name, id, levels, bps] of [
      ['inc_field', PLANS.field, 0, 12_500],
      ['inc_mgmt', PLANS.mgmt, 2, 12_500],
      ['inc_other', PLANS.other, 1, 10_000],
    ] as const)
      await insertPublishedPlan(trx, { planId: id, document: plan(name, levels, bps) });
    await insertUsdRates(trx, [
      { validOn: '2026-12-01', rate: '0.9125' },
      { validOn: '2027-05-15', rate: '0.87' },
    ]);
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

// d0 directs m0 and m1; s0, s1 report to m0, s2 to m1; s3 has no manager; o0 is an overlay.
const names = ['d0', 'm0', 'm1', 's0', 's1', 's2', 's3', 'o0'] as const;
type Name = (typeof names)[number];
const managerOf: Record<Name, Name | null> = { d0: null, m0: 'd0', m1: 'd0', s0: 'm0', s1: 'm0', s2: 'm1', s3: null, o0: null };
const planOf: Record<Name, keyof typeof PLANS> = { d0: 'mgmt', m0: 'mgmt', m1: 'other', s0: 'field', s1: 'field', s2: 'field', s3: 'other', o0: 'field' };
const sellers: Name[] = ['s0', 's1', 's2', 's3', 'm1'];
const people = (ids: Record<Name, string>, prefix: string) =>
  names.map((n) => ({ id: ids[n], ref: `${prefix}-${n}-${ids[n]}`, name: n, managerId: managerOf[n] ? ids[managerOf[n]] : null, planId: PLANS[planOf[n]] }));

const txArb = fc.record({
  refund: fc.boolean(),
  amount: fc.integer({ min: 1, max: 3_000_000 }),
  usd: fc.boolean(),
  day: fc.integer({ min: 0, max: 272 }),
  sourcing: fc.constantFrom<Sourcing>('direct', 'partner_sourced', 'partner_influenced'),
  sellers: fc.uniqueArray(fc.constantFrom(...sellers), { minLength: 1, maxLength: 3 }),
  weights: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }),
  overlay: fc.boolean(),
});
type Tx = { refund: boolean; amount: number; usd: boolean; day: number; sourcing: Sourcing; sellers: Name[]; weights: number[]; overlay: boolean };

async function importBatch(ids: Record<Name, string>, txs: readonly Tx[], reuse?: { tx: string; ref: string }): Promise<void> {
  const batch = newId();
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await sql`insert into transaction_import (transaction_import_id, source_name, format, content_sha256, size_bytes, status, commit_mode, finished_at)
      values (${batch}::uuid, 'test.csv', 'csv', encode(sha256(${batch}::text::bytea), 'hex'), 0, 'committed', 'all_or_nothing', now())`.execute(trx);
    const rows = txs.flatMap((x, i) => {
      const tx = i === 0 && reuse ? reuse.tx : newId();
      const ref = i === 0 && reuse ? reuse.ref : `R-${tx}`;
      const on = new Date(Date.UTC(2027, 0, 1 + x.day)).toISOString().slice(0, 10);
      const deal = x.refund ? -x.amount : x.amount;
      const who = x.sellers.map((n) => ids[n]).sort();
      const splits = allocate(
        moneyOf(10_000, 'EUR'),
        who.map((_, k) => x.weights[k] ?? 1),
      ).map((m) => m.amountMinor);
      const shares = allocate(moneyOf(deal, 'EUR'), splits).map((m) => m.amountMinor);
      const common = {
        salesTransactionId: tx,
        transactionImportId: batch,
        dealAmountMinor: deal,
        recognisedOn: on,
        originalRecognisedOn: x.refund ? new Date(Date.UTC(2027, 0, 1 + Math.max(0, x.day - 40))).toISOString().slice(0, 10) : null,
        currency: x.usd ? 'USD' : 'EUR',
        kind: x.refund ? ('credit_note' as const) : ('invoice' as const),
        sourcing: x.sourcing,
        transactionRef: ref,
      };
      return [
        ...who.map((p, k) => storedLine({ ...common, participantId: p, splitBps: splits[k] ?? 0, amountMinor: shares[k] ?? 0 })),
        ...(x.overlay ? [storedLine({ ...common, participantId: ids.o0, role: 'overlay', amountMinor: deal })] : []),
      ].filter((r) => (r.splitBps ?? 0) > 0);
    });
    if (rows.length > 0) await trx.insertInto('salesTransaction').values(rows).execute();
  });
}

async function run(incremental: boolean) {
  const id = newId();
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await repo.insertRun(trx, { commissionRunId: id, periodStart: RUN.start, periodEnd: RUN.end, createdByUserId: null });
    if (incremental) await repo.markIncremental(trx, id);
  });
  await runPeriodRunJob(t.deps, id, 1);
  return inTransaction(t.deps, systemActor('test'), async (trx) => {
    const row = await repo.findRun(trx, id);
    const basis = await repo.runBasis(trx, id);
    expect(row?.status, row?.error ?? '').toBe('completed');
    return { id, hash: row?.resultHash, count: row?.resultCount, baseRunId: basis?.baseRunId ?? null, recalculated: basis?.recalculated ?? null };
  });
}

/** The hash of a full recalculation of the store as it is, nothing stored. */
const fullHash = () => inTransaction(t.deps, systemActor('test'), async (trx) => (await calculateRun(trx, RUN, async () => {})).hash);

/** A run's results as read (through its chain of base runs), and its totals as closing reads them, without the run id. */
const stored = (runId: string) =>
  inTransaction(t.deps, systemActor('test'), async (trx) => ({
    results: (await repo.resultsOf(trx, runId)).map(({ commissionRunId: _, ...r }) => r),
    totals: await closeRepo.runTotals(trx, runId),
  }));

describe('incremental period run', () => {
  it('gives the hash of a full recalculation after random deltas', async () => {
    let reused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(txArb, { minLength: 1, maxLength: 10 }),
        fc.array(fc.array(txArb, { minLength: 0, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.array(txArb, { minLength: 0, maxLength: 4 }),
        async (initial, deltas, more) => {
          // Fresh participants each time (earlier ones stay in the store and in every run).
          const ids = Object.fromEntries(names.map((n) => [n, newId()])) as Record<Name, string>;
          await inTransaction(t.deps, systemActor('test'), async (trx) => {
            await insertAssignedParticipants(trx, '2027-01-01', people(ids, 'I'));
            await insertQuotas(
              trx,
              { start: '2027-01-01', end: '2028-01-01' },
              names.map((n, i) => ({ participantId: ids[n], amountMinor: 2_000_000 * (i + 1) })),
            );
          });
          await importBatch(ids, initial);
          const first = await run(false);
          expect(first.baseRunId).toBeNull();
          for (const delta of deltas) await importBatch(ids, delta);
          const inc = await run(true);
          expect(inc.hash).toBe(await fullHash());
          // Reused: the earlier run's results stand for every participant the deltas do not reach.
          expect(inc.baseRunId).toBe(first.id);
          // One more delta: an incremental run on top of the incremental one, whose results are read
          // through both base runs (it stores only the participants it recalculated).
          await importBatch(ids, more);
          const inc2 = await run(true);
          const full = await run(false);
          expect(inc2.baseRunId).toBe(inc.id);
          expect(inc2.hash).toBe(full.hash);
          expect(inc2.count).toBe(full.count);
          expect(inc2.recalculated ?? 0).toBeLessThanOrEqual(full.recalculated ?? 0);
          expect(await stored(inc2.id)).toEqual(await stored(full.id));
          reused += 1;
        },
      ),
      { numRuns: 12 },
    );
    expect(reused).toBe(12);
  }, 600_000);

  it('stores every result of a run with more results than its writer lets wait for the database', async () => {
    // 200 teams of 8: more than three insert statements of results, so the engine waits for the
    // database's oldest statement along the way (resultWriter).
    const teams = Array.from({ length: 200 }, () => Object.fromEntries(names.map((n) => [n, newId()])) as Record<Name, string>);
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      insertAssignedParticipants(
        trx,
        '2027-01-01',
        teams.flatMap((ids, k) => people(ids, `W${k}`)),
      ),
    );
    const sale: Tx = { refund: false, amount: 250_000, usd: false, day: 120, sourcing: 'direct', sellers: ['s0', 's2'], weights: [1, 2, 1], overlay: true };
    for (const ids of teams) await importBatch(ids, [sale, { ...sale, day: 200, sellers: ['s1', 's3'], overlay: false }]);
    const first = await run(false);
    expect(first.count).toBeGreaterThan(repo.RESULTS_PER_STATEMENT * 3);
    const written = await sql<{ n: string }>`select count(*) as n from commission_result where commission_run_id = ${first.id}::uuid`.execute(t.deps.db);
    expect(Number(written.rows[0]?.n)).toBe(first.count);
    expect(first.hash).toBe(await fullHash());
    // An incremental run over it takes those stored results for everyone its delta does not reach.
    await importBatch(teams[0] as Record<Name, string>, [{ ...sale, day: 150 }]);
    const inc = await run(true);
    const full = await run(false);
    expect(inc.baseRunId).toBe(first.id);
    expect(inc.hash).toBe(full.hash);
    expect(await stored(inc.id)).toEqual(await stored(full.id));
  }, 180_000);

  it('recalculates in full when a delta adds lines to a stored transaction or another input changed', async () => {
    const ids = Object.fromEntries(names.map((n) => [n, newId()])) as Record<Name, string>;
    await inTransaction(t.deps, systemActor('test'), (trx) => insertAssignedParticipants(trx, '2027-01-01', people(ids, 'J')));
    const tx = newId();
    const base: Tx = { refund: false, amount: 100_000, usd: false, day: 100, sourcing: 'direct', sellers: ['s0'], weights: [1, 1, 1], overlay: false };
    await importBatch(ids, [base], { tx, ref: 'J-SHARED' });
    const first = await run(false);
    // The same transaction again with another seller: its earlier line's credit changes.
    await importBatch(ids, [{ ...base, sellers: ['s2'] }], { tx, ref: 'J-SHARED' });
    const inc = await run(true);
    const full = await run(false);
    expect(inc.baseRunId).toBeNull();
    expect(inc.hash).toBe(full.hash);
    expect(first.hash).not.toBe(full.hash);
    // A new exchange rate: every USD line may change, so nothing is reused.
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      repo.upsertFxRate(trx, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-07-01', rate: '0.8' }),
    );
    const afterRate = await run(true);
    expect(afterRate.baseRunId).toBeNull();
    const noDelta = await run(true);
    expect(noDelta.baseRunId).toBe(afterRate.id);
    expect(noDelta.recalculated).toBe(0);
    expect(noDelta.hash).toBe(afterRate.hash);
    // A chain of incremental runs stays short: once it is long, a run copies the reused results and starts a new one.
    const lengths: number[] = [];
    let last = noDelta;
    for (let i = 0; i < 9; i++) {
      await importBatch(ids, [{ ...base, sellers: ['s1'], day: 10 + i }]);
      const r = await run(true);
      expect(r.baseRunId).toBe(last.id);
      lengths.push(await inTransaction(t.deps, systemActor('test'), (trx) => repo.runChainLength(trx, r.id)));
      expect(r.hash).toBe(await fullHash());
      last = r;
    }
    expect(lengths).toEqual([3, 4, 5, 6, 7, 8, 1, 2, 3]);
    expect(await stored(last.id)).toEqual(await stored((await run(false)).id));
  }, 300_000);
});
