import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionPeriodView, RestatementView } from '../../../common/api/commissions-close.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { PLAN_FORMAT } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import * as closeService from './close.service.ts';

/**
 * Closing, restating and approving commission periods, and the payroll export. Runs are stored
 * directly as completed runs with hand-set totals (the run calculation has its own tests): the
 * close module only reads a completed run's results.
 */

let t: TestApp;
let admin: Session;
let finance: Session;
let seller: Session;
let partner: Session;
let planVersionId: string;
const P = { a: newId(), b: newId(), c: newId(), evil: newId() };
const system = { kind: 'system' } as const;

async function fakeRun(start: string, end: string, totals: Record<string, number>): Promise<string> {
  const id = newId();
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await trx
      .insertInto('commissionRun')
      .values({
        commissionRunId: id,
        periodStart: start,
        periodEnd: end,
        status: 'completed',
        planVersions: '[]',
        resultCount: Object.keys(totals).length,
        resultHash: randomBytes(32).toString('hex'),
        createdByUserId: null,
        finishedAt: new Date(),
      })
      .execute();
    for (const [participantId, totalMinor] of Object.entries(totals))
      await trx
        .insertInto('commissionResult')
        .values({
          participantId,
          commissionRunId: id,
          periodStart: start,
          periodEnd: end,
          compPlanVersionId: planVersionId,
          currency: 'EUR',
          quotaMinor: null,
          quotaCreditMinor: 0,
          attainmentBps: 0,
          ytdAttainmentBps: 0,
          totalMinor,
          buckets: '[]',
          lines: '[]',
        })
        .execute();
  });
  return id;
}

const post = (url: string, s: Session, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: s.headers, payload });
const get = (url: string, s: Session) => t.app.inject({ method: 'GET', url, headers: s.headers });

async function openPeriod(start: string, end: string): Promise<CommissionPeriodView> {
  const r = await post('/api/comp/periods', admin, { periodStart: start, periodEnd: end });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<CommissionPeriodView>();
}

async function audits(entityId: string, action: string): Promise<number> {
  const r = await t.deps.db
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('entityId', '=', entityId)
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  t = await createTestApp();
  const userActor = async (roles: Role[]): Promise<UserActor> => {
    const u = await makeUser(t.deps, { roles });
    return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
  };
  const [author, reviewer, approver] = [await userActor(['comp_admin']), await userActor(['comp_admin']), await userActor(['finance'])];
  const v = await comp.createPlan(t.deps, author, {
    document: {
      format: PLAN_FORMAT,
      key: `close_${process.pid}_${Date.now().toString(36)}`,
      name: 'Close fixture',
      currency: 'EUR',
      effectiveFrom: '2027-01-01',
      payoutPeriod: 'quarter',
      components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
    },
  });
  await comp.submitForApproval(t.deps, author, v.id);
  await comp.approveStep(t.deps, reviewer, v.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(t.deps, approver, v.id, { step: 'finance', comment: '' });
  await comp.publishVersion(t.deps, reviewer, v.id);
  planVersionId = v.id;
  admin = await signIn(t.app, (await makeUser(t.deps, { roles: ['comp_admin'] })).email);
  finance = await signIn(t.app, (await makeUser(t.deps, { roles: ['finance'] })).email);
  seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['internal_seller'] })).email);
  const p = await makePartner(t.deps);
  partner = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id })).email);
  await inTransaction(t.deps, systemActor('test'), (trx) =>
    trx
      .insertInto('compParticipant')
      .values([
        { compParticipantId: P.a, externalRef: `A-${P.a}`, displayName: 'Ann Seller' },
        { compParticipantId: P.b, externalRef: `B-${P.b}`, displayName: 'Bo, "the" Seller' },
        { compParticipantId: P.c, externalRef: `C-${P.c}`, displayName: 'Cy Seller' },
        { compParticipantId: P.evil, externalRef: `-2+3-${P.evil}`, displayName: '=HYPERLINK("http://x.test","pay")' },
      ])
      .execute(),
  );
}, 120_000);

afterAll(async () => {
  await t?.app.close();
  await t?.close();
});

describe('closing a period', () => {
  let q1: CommissionPeriodView;
  let q1Run: string;

  it('closes from a completed run over its dates with one audit entry; refuses other runs', async () => {
    q1 = await openPeriod('2027-01-01', '2027-04-01');
    expect(q1).toMatchObject({ status: 'open', versions: [], payout: { status: 'not_approved' } });
    expect((await post('/api/comp/periods', admin, { periodStart: '2027-03-01', periodEnd: '2027-05-01' })).statusCode).toBe(409);
    q1Run = await fakeRun('2027-01-01', '2027-04-01', { [P.a]: 51_000, [P.b]: 4_900, [P.evil]: -1_250 });
    const wrongDates = await fakeRun('2027-01-01', '2027-02-01', { [P.a]: 1 });
    expect((await post(`/api/comp/periods/${q1.id}/close`, admin, { runId: wrongDates })).statusCode).toBe(409);
    expect((await post(`/api/comp/periods/${q1.id}/close`, admin, { runId: newId() })).statusCode).toBe(404);
    expect((await post(`/api/comp/periods/${q1.id}/close`, seller, { runId: q1Run })).statusCode).toBe(403);
    expect((await post(`/api/comp/periods/${q1.id}/close`, partner, { runId: q1Run })).statusCode).toBe(404);

    const results = await Promise.all(Array.from({ length: 64 }, () => post(`/api/comp/periods/${q1.id}/close`, admin, { runId: q1Run })));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c !== 200 && c !== 409)).toEqual([]);
    expect(await audits(q1.id, 'commission_period.close')).toBe(1);
    const view = (await get(`/api/comp/periods/${q1.id}`, admin)).json<CommissionPeriodView>();
    expect(view).toMatchObject({ status: 'closed', closedRunId: q1Run, versions: [{ version: 1, kind: 'close', runId: q1Run }] });
  });

  it('cannot be changed even by SQL as the application role', async () => {
    const refused = (q: Parameters<typeof inScope>[2]) => expect(inScope(t.deps.db, system, q)).rejects.toThrow(/cannot be changed|closed commission period/);
    await refused((trx) => sql`update commission_result set total_minor = 1 where commission_run_id = ${q1Run}`.execute(trx));
    await refused((trx) => sql`delete from commission_result where commission_run_id = ${q1Run}`.execute(trx));
    await refused((trx) =>
      sql`insert into commission_result (participant_id, commission_run_id, period_start, period_end, comp_plan_version_id, currency,
            quota_credit_minor, attainment_bps, ytd_attainment_bps, total_minor, buckets, lines)
          values (${P.c}, ${q1Run}, '2027-01-01', '2027-04-01', ${planVersionId}, 'EUR', 0, 0, 0, 99, '[]', '[]')`.execute(trx),
    );
    await refused((trx) => sql`update commission_run set result_count = 0 where commission_run_id = ${q1Run}`.execute(trx));
    await refused((trx) =>
      sql`update commission_period set status = 'open', closed_run_id = null, closed_at = null where commission_period_id = ${q1.id}`.execute(trx),
    );
    await refused((trx) => sql`update commission_period set closed_by_user_id = null where commission_period_id = ${q1.id}`.execute(trx));
    await refused((trx) => sql`delete from commission_period where commission_period_id = ${q1.id}`.execute(trx));
    await expect(
      inScope(t.deps.db, system, (trx) => sql`delete from commission_period_version where commission_period_id = ${q1.id}`.execute(trx)),
    ).rejects.toThrow(/cannot be changed or deleted/);
    await expect(inScope(t.deps.db, system, (trx) => sql`delete from commission_run where commission_run_id = ${q1Run}`.execute(trx))).rejects.toThrow();
    const role = await inScope(t.deps.db, system, async (trx) => (await sql<{ r: string }>`select current_user as r`.execute(trx)).rows[0]?.r);
    expect(role).toBe('realign_app');
    const totals = await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx.selectFrom('commissionResult').select(['participantId', 'totalMinor']).where('commissionRunId', '=', q1Run).orderBy('participantId').execute(),
    );
    expect(totals.map((r) => r.totalMinor).sort((x, y) => x - y)).toEqual([-1_250, 4_900, 51_000]);
  });

  it('approves the payouts once, by finance; 64 concurrent approvals have one effect', async () => {
    const open = await openPeriod('2026-10-01', '2027-01-01');
    expect((await post(`/api/comp/periods/${open.id}/approve`, finance)).statusCode).toBe(409);
    expect((await post(`/api/comp/periods/${q1.id}/approve`, admin)).statusCode).toBe(403);
    expect((await post(`/api/comp/periods/${q1.id}/approve`, partner)).statusCode).toBe(404);
    expect((await get(`/api/comp/periods/${q1.id}/payroll.csv`, admin)).statusCode).toBe(409);
    const results = await Promise.all(Array.from({ length: 64 }, () => post(`/api/comp/periods/${q1.id}/approve`, finance)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c !== 200 && c !== 409)).toEqual([]);
    expect(await audits(q1.id, 'commission_period.approve_payouts')).toBe(1);
    const rows = await t.deps.db.selectFrom('commissionPayoutApproval').selectAll().where('commissionPeriodId', '=', q1.id).execute();
    expect(rows).toHaveLength(1);
    expect((await get(`/api/comp/periods/${q1.id}`, admin)).json<CommissionPeriodView>().payout.status).toBe('approved');
    await expect(
      inScope(t.deps.db, system, (trx) => sql`delete from commission_payout_approval where commission_period_id = ${q1.id}`.execute(trx)),
    ).rejects.toThrow(/cannot be changed or deleted/);
  });

  it('exports the approved payouts as formula-safe CSV with plain numbers', async () => {
    const r = await get(`/api/comp/periods/${q1.id}/payroll.csv`, finance);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = r.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('external_ref,name,period_start,period_end,currency,commission,adjustments,amount');
    expect(lines).toContain(`"'-2+3-${P.evil}","'=HYPERLINK(""http://x.test"",""pay"")",2027-01-01,2027-04-01,EUR,-12.50,0.00,-12.50`);
    expect(lines).toContain(`A-${P.a},Ann Seller,2027-01-01,2027-04-01,EUR,510.00,0.00,510.00`);
    expect(lines).toContain(`B-${P.b},"Bo, ""the"" Seller",2027-01-01,2027-04-01,EUR,49.00,0.00,49.00`);
    expect(lines).toHaveLength(4);
    expect((await get(`/api/comp/periods/${q1.id}/payroll.csv`, partner)).statusCode).toBe(404);
    expect((await get(`/api/comp/periods/${q1.id}/payroll.csv`, seller)).statusCode).toBe(403);
  });

  it('restates a closed period as a new version, booking the differences in the next open period; the closed results never change', async () => {
    const restated = await fakeRun('2027-01-01', '2027-04-01', { [P.a]: 52_000, [P.b]: 4_900, [P.c]: 700 });
    expect((await post(`/api/comp/periods/${q1.id}/restate`, admin, { runId: restated })).statusCode).toBe(409); // no open period after Q1
    const q2 = await openPeriod('2027-04-01', '2027-07-01');
    const r = await post(`/api/comp/periods/${q1.id}/restate`, admin, { runId: restated });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<RestatementView>();
    expect(body).toMatchObject({ version: 2, bookedInPeriodId: q2.id });
    const by = new Map(body.adjustments.map((a) => [a.participantId, a]));
    expect(by.get(P.a)).toMatchObject({ amountMinor: 1_000, currency: 'EUR', reason: 'restatement of 2027-01-01 to 2027-04-01 v2', sourceVersion: 2 });
    expect(by.get(P.c)?.amountMinor).toBe(700);
    expect(by.get(P.evil)?.amountMinor).toBe(1_250);
    expect(by.has(P.b)).toBe(false);
    expect(await audits(q1.id, 'commission_period.restate')).toBe(1);
    const booked = await get(`/api/comp/periods/${q2.id}/adjustments`, admin);
    expect(booked.json<{ items: unknown[] }>().items).toHaveLength(3);
    expect((await get(`/api/comp/periods/${q2.id}/adjustments`, partner)).statusCode).toBe(404);
    expect((await post(`/api/comp/periods/${q1.id}/restate`, admin, { runId: restated })).statusCode).toBe(409);
    // Paid amounts of the closed period are unchanged.
    const csv = (await get(`/api/comp/periods/${q1.id}/payroll.csv`, finance)).body;
    expect(csv).toContain(`A-${P.a},Ann Seller,2027-01-01,2027-04-01,EUR,510.00,0.00,510.00`);

    // The next period pays its own results plus the adjustments booked in it.
    const q2Run = await fakeRun('2027-04-01', '2027-07-01', { [P.a]: 20_000 });
    expect((await post(`/api/comp/periods/${q2.id}/close`, admin, { runId: q2Run })).statusCode).toBe(200);
    await expect(
      inScope(t.deps.db, system, (trx) =>
        sql`insert into commission_adjustment (participant_id, commission_adjustment_id, commission_period_id, currency, amount_minor, reason, source_period_id, source_version)
            values (${P.a}, ${newId()}, ${q2.id}, 'EUR', 5, 'sneaky', ${q1.id}, 2)`.execute(trx),
      ),
    ).rejects.toThrow(/cannot be booked in closed/);
    await expect(inScope(t.deps.db, system, (trx) => sql`update commission_adjustment set amount_minor = 0`.execute(trx))).rejects.toThrow(
      /cannot be changed or deleted/,
    );
    expect((await post(`/api/comp/periods/${q2.id}/approve`, finance)).statusCode).toBe(200);
    const lines = (await get(`/api/comp/periods/${q2.id}/payroll.csv`, finance)).body.trimEnd().split('\r\n');
    expect(lines).toContain(`A-${P.a},Ann Seller,2027-04-01,2027-07-01,EUR,200.00,10.00,210.00`);
    expect(lines).toContain(`C-${P.c},Cy Seller,2027-04-01,2027-07-01,EUR,0.00,7.00,7.00`);
    expect(lines).toContain(`"'-2+3-${P.evil}","'=HYPERLINK(""http://x.test"",""pay"")",2027-04-01,2027-07-01,EUR,0.00,12.50,12.50`);
  });

  it('keeps every version (at least 12) and books each difference against the previous version', async () => {
    await openPeriod('2027-07-01', '2027-10-01');
    const actor: UserActor = {
      kind: 'user',
      userId: (await makeUser(t.deps, { roles: ['comp_admin'] })).id,
      email: 'c@x.test',
      displayName: 'C',
      partnerId: null,
      roles: ['comp_admin'],
      via: 'session',
      requestId: null,
    };
    for (let i = 1; i <= 12; i++) {
      const run = await fakeRun('2027-01-01', '2027-04-01', { [P.a]: 52_000 + i * 100 });
      const r = await closeService.restatePeriod(t.deps, actor, q1.id, { runId: run });
      expect(r.version).toBe(2 + i);
      expect(r.adjustments.find((a) => a.participantId === P.a)?.amountMinor).toBe(100);
    }
    const view = (await get(`/api/comp/periods/${q1.id}`, admin)).json<CommissionPeriodView>();
    expect(view.versions.map((v) => v.version)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(view.versions[0]).toMatchObject({ kind: 'close', runId: q1Run });
  });

  it('hides periods, versions, adjustments and approvals from partners, in the database too (RLS)', async () => {
    expect((await get('/api/comp/periods', partner)).statusCode).toBe(404);
    expect((await get(`/api/comp/periods/${q1.id}`, partner)).statusCode).toBe(404);
    const partnerScope = { kind: 'partner' as const, userId: newId(), partnerId: newId() };
    const counts = await inScope(t.deps.db, partnerScope, async (trx) => [
      (await trx.selectFrom('commissionPeriod').selectAll().execute()).length,
      (await trx.selectFrom('commissionPeriodVersion').selectAll().execute()).length,
      (await trx.selectFrom('commissionAdjustment').selectAll().execute()).length,
      (await trx.selectFrom('commissionPayoutApproval').selectAll().execute()).length,
    ]);
    expect(counts).toEqual([0, 0, 0, 0]);
    const list = (await get('/api/comp/periods', admin)).json<{ items: CommissionPeriodView[]; total: number }>();
    expect(list.total).toBeGreaterThanOrEqual(4);
  });
});
