import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionRunView, StatementView } from '../../../common/api/commissions-runs.ts';
import { PLAN_FORMAT } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import * as repo from './runs.repository.ts';
import { PERIOD_RUN_JOB, resultHashOf } from './runs.service.ts';

/**
 * A period run over a small fixture whose payouts are derived by hand. Plan: EUR, quarterly, one
 * commission of 10% on direct, split and roll-up credit, refunds clawed back in full; partner credit
 * from the plan (full, 1x). Participants: B manages A; C has no login.
 *
 *   T1 2027-02-10  A direct              5,000.00 EUR
 *   T2 2027-03-01  A 60% / C 40% split   1,000.00 EUR  (stored shares 600.00 / 400.00)
 *   T3 2027-03-05  C direct                100.00 USD  at 0.9 (rate from 2027-01-01) = 90.00 EUR
 *   T4 2027-03-20  A credit note          -500.00 EUR  (refunds T1)
 *   T5 2027-05-01  A direct              2,000.00 EUR  (Q2)
 *
 * Q1: A credit 5,000 + 600 = 5,600 -> 560.00; clawback 10% of 500 = -50.00; total 510.00.
 *     Quota 10,000.00: quota credit 5,600 - 500 = 5,100 -> 51.00% attainment.
 *     C: 10% of (400 + 90) = 49.00. B: nothing.
 * Q2 (run from the fiscal year start, Q1 carried): A 10% of 2,000 = 200.00; attainment 20.00%;
 *     year to date (5,100 + 2,000) / (10,000 + 10,000) = 35.50%.
 */

let t: TestApp;
let admin: Session;
let seller: Session;
let manager: Session;
let stranger: Session;
let partner: Session;
const P = { a: newId(), b: newId(), c: newId() };

async function userActor(roles: Role[]): Promise<UserActor> {
  const u = await makeUser(t.deps, { roles });
  return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
}

async function runJob(runId: string): Promise<void> {
  const job = jobDefinitions.find((j) => j.name === PERIOD_RUN_JOB);
  if (!job) throw new Error('period run job not registered');
  await job.handler(t.deps, { runId }, { jobId: newId(), attempt: 1 });
}

async function startRun(periodStart: string, periodEnd: string): Promise<CommissionRunView> {
  const r = await t.app.inject({ method: 'POST', url: '/api/comp/runs', headers: admin.headers, payload: { periodStart, periodEnd } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<CommissionRunView>();
}

async function completedRun(periodStart: string, periodEnd: string): Promise<CommissionRunView> {
  const run = await startRun(periodStart, periodEnd);
  await runJob(run.id);
  const r = await t.app.inject({ method: 'GET', url: `/api/comp/runs/${run.id}`, headers: admin.headers });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<CommissionRunView>();
}

async function statement(session: Session, runId: string, participantId?: string) {
  const q = participantId ? `&participantId=${participantId}` : '';
  return t.app.inject({ method: 'GET', url: `/api/comp/statements?runId=${runId}${q}`, headers: session.headers });
}

function line(tx: string, participantId: string, over: Partial<Parameters<typeof baseLine>[0]> = {}) {
  return baseLine({ tx, participantId, ...over });
}

function baseLine(o: {
  tx: string;
  participantId: string;
  ref?: string;
  amount?: number;
  deal?: number;
  split?: number;
  on?: string;
  currency?: string;
  kind?: 'booking' | 'credit_note';
  original?: string | null;
}) {
  return {
    participantId: o.participantId,
    salesTransactionId: o.tx,
    transactionImportId: newId(),
    partnerId: null,
    amountMinor: o.amount ?? 0,
    dealAmountMinor: o.deal ?? o.amount ?? 0,
    recognisedOn: o.on ?? '2027-01-01',
    originalRecognisedOn: o.original ?? null,
    splitBps: o.split ?? 10_000,
    currency: o.currency ?? 'EUR',
    role: 'seller' as const,
    kind: o.kind ?? ('booking' as const),
    sourcing: 'direct' as const,
    transactionRef: o.ref ?? o.tx,
    partnerRef: null,
    product: null,
    scenario: null,
    segment: null,
    endCustomer: null,
    territory: null,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const who = { author: await userActor(['comp_admin']), reviewer: await userActor(['comp_admin']), finance: await userActor(['finance']) };
  const publishedPlan = async (document: Parameters<typeof comp.createPlan>[2]['document']) => {
    const v = await comp.createPlan(t.deps, who.author, { document });
    await comp.submitForApproval(t.deps, who.author, v.id);
    await comp.approveStep(t.deps, who.reviewer, v.id, { step: 'comp_admin', comment: '' });
    await comp.approveStep(t.deps, who.finance, v.id, { step: 'finance', comment: '' });
    await comp.publishVersion(t.deps, who.reviewer, v.id);
    return { planId: v.planId, versionId: v.id };
  };
  const adminUser = await makeUser(t.deps, { roles: ['comp_admin'] });
  const sellerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const managerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const strangerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const p = await makePartner(t.deps);
  const partnerUser = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id });
  admin = await signIn(t.app, adminUser.email);
  seller = await signIn(t.app, sellerUser.email);
  manager = await signIn(t.app, managerUser.email);
  stranger = await signIn(t.app, strangerUser.email);
  partner = await signIn(t.app, partnerUser.email);

  const plan = await publishedPlan({
    format: PLAN_FORMAT,
    key: `runs_${process.pid}_${Date.now().toString(36)}`,
    name: 'Runs fixture',
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    payoutPeriod: 'quarter',
    crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000, rollupLevels: 0 },
    components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
  });
  const tx = { t1: newId(), t2: newId(), t3: newId(), t4: newId(), t5: newId(), t6: newId() };
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await trx
      .insertInto('compParticipant')
      .values([
        { compParticipantId: P.b, externalRef: `B-${P.b}`, displayName: 'Bea Manager', appUserId: managerUser.id },
        { compParticipantId: P.a, externalRef: `A-${P.a}`, displayName: 'Ann Seller', appUserId: sellerUser.id, managerParticipantId: P.b },
        { compParticipantId: P.c, externalRef: `C-${P.c}`, displayName: 'Cy Seller' },
      ])
      .execute();
    await trx
      .insertInto('compQuota')
      .values([
        { compQuotaId: newId(), compParticipantId: P.a, periodStart: '2027-01-01', periodEnd: '2027-04-01', amountMinor: 1_000_000, currency: 'EUR' },
        { compQuotaId: newId(), compParticipantId: P.a, periodStart: '2027-04-01', periodEnd: '2027-07-01', amountMinor: 1_000_000, currency: 'EUR' },
      ])
      .execute();
    await trx
      .insertInto('salesTransaction')
      .values([
        line(tx.t1, P.a, { ref: 'T1', amount: 500_000, on: '2027-02-10' }),
        line(tx.t2, P.a, { ref: 'T2', amount: 60_000, deal: 100_000, split: 6000, on: '2027-03-01' }),
        line(tx.t2, P.c, { ref: 'T2', amount: 40_000, deal: 100_000, split: 4000, on: '2027-03-01' }),
        line(tx.t3, P.c, { ref: 'T3', amount: 10_000, currency: 'USD', on: '2027-03-05' }),
        line(tx.t4, P.a, { ref: 'T4', amount: -50_000, kind: 'credit_note', on: '2027-03-20', original: '2027-02-10' }),
        line(tx.t5, P.a, { ref: 'T5', amount: 200_000, on: '2027-05-01' }),
        // Q3: a pound sale with no GBP rate.
        line(tx.t6, P.c, { ref: 'T6', amount: 10_000, currency: 'GBP', on: '2027-08-14' }),
      ])
      .execute();
    await repo.upsertFxRate(trx, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0.9' });
  });
  for (const id of [P.a, P.b, P.c])
    await comp.createAssignment(t.deps, who.author, { participantId: id, planId: plan.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
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
