import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionRunView, StatementView } from '../../../common/api/commissions-runs.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import type { Session, TestApp } from '../../test/harness.ts';
import * as repo from './runs.repository.ts';
import { PERIOD_RUN_JOB, resultHashOf } from './runs.service.ts';
import { runsFixture, type RunsFixture } from './runs.test-support.ts';

/** The fixture and its hand-derived payouts: runs.test-support.ts. */

let t: TestApp;
let admin: Session;
let seller: Session;
let manager: Session;
let stranger: Session;
let partner: Session;
let P: RunsFixture['P'];
let fixture: RunsFixture;

const runJob = (runId: string) => fixture.runJob(runId);
const startRun = (periodStart: string, periodEnd: string) => fixture.startRun(periodStart, periodEnd);
const completedRun = (periodStart: string, periodEnd: string) => fixture.completedRun(periodStart, periodEnd);

async function statement(session: Session, runId: string, participantId?: string) {
  const q = participantId ? `&participantId=${participantId}` : '';
  return t.app.inject({ method: 'GET', url: `/api/comp/statements?runId=${runId}${q}`, headers: session.headers });
}

beforeAll(async () => {
  fixture = await runsFixture();
  ({ t, admin, seller, manager, stranger, partner, P } = fixture);
}, 120_000);

afterAll(async () => {
  await t?.app.close();
  await t?.close();
});

describe('period runs', () => {
  let q1: CommissionRunView;

  it('queues a run with one audit entry and calculates it as a job with progress', async () => {
    const run = await startRun('2027-01-01', '2027-04-01');
    expect(run).toMatchObject({ status: 'queued', progress: { done: 0, total: 0 }, resultHash: null });
    const audits = await t.deps.db.selectFrom('auditEntry').selectAll().where('entityId', '=', run.id).execute();
    expect(audits.map((a) => a.action)).toEqual(['commission_run.create']);
    const jobs = await t.deps.db.selectFrom('job').select(['name', 'status']).where('idempotencyKey', '=', `commission-run:${run.id}`).execute();
    expect(jobs).toEqual([{ name: PERIOD_RUN_JOB, status: 'queued' }]);
    await runJob(run.id);
    const r = await t.app.inject({ method: 'GET', url: `/api/comp/runs/${run.id}`, headers: admin.headers });
    q1 = r.json<CommissionRunView>();
    expect(q1).toMatchObject({ status: 'completed', progress: { done: 3, total: 3 }, resultCount: 3, error: null });
    expect(q1.resultHash).toMatch(/^[0-9a-f]{64}$/);
    expect(q1.planVersions).toHaveLength(1);
    expect(q1.planVersions[0]?.partnerCreditRef).toMatch(/^plan /);
    const list = await t.app.inject({ method: 'GET', url: '/api/comp/runs', headers: admin.headers });
    expect(list.json<{ items: CommissionRunView[] }>().items.some((x) => x.id === run.id)).toBe(true);
  });

  it('pays the hand-derived totals and attainment', async () => {
    const rows = await inTransaction(t.deps, systemActor('test'), (trx) => repo.resultsOf(trx, q1.id));
    const by = new Map(rows.map((r) => [r.participantId, r]));
    expect(by.get(P.a)).toMatchObject({
      periodStart: '2027-01-01',
      periodEnd: '2027-04-01',
      totalMinor: 51_000,
      quotaMinor: 1_000_000,
      quotaCreditMinor: 510_000,
      attainmentBps: 5100,
    });
    expect(by.get(P.c)).toMatchObject({ totalMinor: 4_900, quotaMinor: null, quotaCreditMinor: 49_000 });
    expect(by.get(P.b)).toMatchObject({ totalMinor: 0, quotaCreditMinor: 0 });
  });

  it('is reproducible: the same inputs give the same hash, which the stored rows reproduce', async () => {
    const again = await completedRun('2027-01-01', '2027-04-01');
    expect(again.status).toBe('completed');
    expect(again.resultHash).toBe(q1.resultHash);
    const rows = await inTransaction(t.deps, systemActor('test'), (trx) => repo.resultsOf(trx, q1.id));
    expect(resultHashOf(rows)).toBe(q1.resultHash);
  });

  it('reuses an earlier run of the same dates when asked to run incrementally, with the same hash', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/comp/runs',
      headers: admin.headers,
      payload: { periodStart: '2027-01-01', periodEnd: '2027-04-01', incremental: true },
    });
    expect(r.statusCode, r.body).toBe(201);
    const run = r.json<CommissionRunView>();
    expect(run.basis).toEqual({ incremental: true, baseRunId: null, recalculated: null });
    await runJob(run.id);
    const done = (await t.app.inject({ method: 'GET', url: `/api/comp/runs/${run.id}`, headers: admin.headers })).json<CommissionRunView>();
    expect(done).toMatchObject({ status: 'completed', resultHash: q1.resultHash, resultCount: 3 });
    // Nothing new since: every result is the earlier run's.
    expect(done.basis?.baseRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect(done.basis?.recalculated).toBe(0);
    const rows = await inTransaction(t.deps, systemActor('test'), (trx) => repo.resultsOf(trx, run.id));
    expect(resultHashOf(rows)).toBe(q1.resultHash);
  });

  it('chains the payout periods of the fiscal year: a Q2 run carries Q1 into year-to-date attainment', async () => {
    const q2 = await completedRun('2027-04-01', '2027-07-01');
    expect(q2.status).toBe('completed');
    const rows = await inTransaction(t.deps, systemActor('test'), (trx) => repo.resultsOf(trx, q2.id, P.a));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ periodStart: '2027-04-01', totalMinor: 20_000, attainmentBps: 2000, ytdAttainmentBps: 3550 });
  });

  it('fails a run on a missing exchange rate, naming the currency and date', async () => {
    const run = await completedRun('2027-07-01', '2027-10-01');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/no GBP to EUR rate valid on 2027-08-14/);
    expect(run.resultHash).toBeNull();
  });

  it('refuses runs to sellers and partners, and periods that are not whole payout periods', async () => {
    const body = { periodStart: '2027-01-01', periodEnd: '2027-04-01' };
    expect((await t.app.inject({ method: 'POST', url: '/api/comp/runs', headers: seller.headers, payload: body })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/comp/runs', headers: partner.headers, payload: body })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/comp/runs', headers: partner.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/comp/runs/${q1.id}`, headers: partner.headers })).statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/comp/runs',
      headers: admin.headers,
      payload: { periodStart: '2027-04-01', periodEnd: '2027-04-01' },
    });
    expect(bad.statusCode).toBe(400);
    const month = await completedRun('2027-01-01', '2027-02-01');
    expect(month.status).toBe('failed');
    expect(month.error).toMatch(/run whole payout periods/);
  });
});

describe('statements', () => {
  let runId: string;
  beforeAll(async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/comp/runs', headers: admin.headers });
    const run = r.json<{ items: CommissionRunView[] }>().items.find((x) => x.status === 'completed' && x.periodStart === '2027-01-01');
    runId = run?.id ?? '';
  });

  it('shows a participant their own statement with explained lines and their buckets', async () => {
    const r = await statement(seller, runId);
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json<StatementView>();
    expect(s).toMatchObject({ participantId: P.a, participantName: 'Ann Seller', runStatus: 'completed' });
    expect(s.periods).toHaveLength(1);
    const period = s.periods[0];
    expect(period?.totalMinor).toBe(51_000);
    expect(period?.lines.reduce((a, l) => a + l.amountMinor, 0)).toBe(51_000);
    for (const l of period?.lines ?? []) {
      expect(l.explanation.length).toBeGreaterThan(0);
      expect(l.buckets.length).toBeGreaterThan(0);
    }
    expect(period?.lines.flatMap((l) => l.buckets.map((b) => b.kind)).sort()).toEqual(['direct', 'direct', 'split']);
  });

  it('hides other participants from a seller, shows reports to their manager, everyone to comp admins; partners see nothing', async () => {
    expect((await statement(seller, runId, P.c)).statusCode).toBe(404);
    expect((await statement(seller, runId, P.b)).statusCode).toBe(404);
    expect((await statement(manager, runId, P.a)).statusCode).toBe(200);
    expect((await statement(manager, runId)).json<StatementView>().participantId).toBe(P.b);
    expect((await statement(manager, runId, P.c)).statusCode).toBe(404);
    expect((await statement(stranger, runId)).statusCode).toBe(404);
    expect((await statement(partner, runId, P.a)).statusCode).toBe(404);
    const c = await statement(admin, runId, P.c);
    expect(c.statusCode).toBe(200);
    expect(c.json<StatementView>().periods[0]?.totalMinor).toBe(4_900);
    const drill = await t.app.inject({ method: 'GET', url: `/api/comp/statements/${runId}/${P.c}/lines/0/transactions`, headers: seller.headers });
    expect(drill.statusCode).toBe(404);
  });

  it('hides runs, results and rates from the partner scope in the database too (RLS)', async () => {
    const partnerActor = {
      kind: 'user' as const,
      userId: newId(),
      email: 'p@x.test',
      displayName: 'P',
      partnerId: newId(),
      roles: ['partner_admin' as const],
      via: 'session' as const,
      requestId: null,
    };
    const counts = await inTransaction(t.deps, partnerActor, async (trx) => [
      (await trx.selectFrom('commissionRun').selectAll().execute()).length,
      (await trx.selectFrom('commissionResult').selectAll().execute()).length,
      (await trx.selectFrom('fxRate').selectAll().execute()).length,
    ]);
    expect(counts).toEqual([0, 0, 0]);
    const internal = await inTransaction(t.deps, systemActor('test'), async (trx) => (await trx.selectFrom('commissionResult').selectAll().execute()).length);
    expect(internal).toBeGreaterThan(0);
  });

  it('drills a line down to the transactions behind it, with the credit each gave', async () => {
    const s = (await statement(seller, runId)).json<StatementView>();
    const refs: string[] = [];
    for (const l of s.periods.flatMap((p) => p.lines)) {
      const r = await t.app.inject({ method: 'GET', url: `/api/comp/statements/${runId}/${P.a}/lines/${l.index}/transactions`, headers: seller.headers });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json<{ items: { transactionRef: string; creditMinor: number }[]; total: number }>();
      expect(page.items.reduce((a, x) => a + x.creditMinor, 0)).toBe(l.buckets.reduce((a, b) => a + b.creditMinor, 0));
      refs.push(...page.items.map((x) => x.transactionRef));
    }
    expect(refs.sort()).toEqual(['T1', 'T2', 'T4']);
    const c = await t.app.inject({ method: 'GET', url: `/api/comp/statements/${runId}/${P.c}/lines/0/transactions`, headers: admin.headers });
    const items = c.json<{ items: { transactionRef: string; creditMinor: number; fxRate: string | null }[] }>().items;
    expect(items.find((x) => x.transactionRef === 'T3')).toMatchObject({ creditMinor: 9_000, fxRate: '0.9' });
    const missing = await t.app.inject({ method: 'GET', url: `/api/comp/statements/${runId}/${P.a}/lines/99/transactions`, headers: seller.headers });
    expect(missing.statusCode).toBe(404);
  });
});
