import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommissionAdjustmentView, CommissionPeriodView } from '../../../common/api/commissions-close.ts';
import type { DisputeDetail, DisputeList, InternalDisputeDetail, PartnerDisputeDetail } from '../../../common/api/commissions-disputes.ts';
import type { StatementView } from '../../../common/api/commissions-runs.ts';
import type { UserActor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction } from '../../deps.ts';
import { systemActor } from '../../actor.ts';
import { newId } from '../../lib/ids.ts';
import { makePartner, makeUser, signIn, type Session } from '../../test/harness.ts';
import * as disputes from './disputes.service.ts';
import { allowedActions, transitionProblem } from './disputes.rules.ts';
import { runsFixture, type RunsFixture } from './runs.test-support.ts';

/**
 * Disputes end to end over the runs fixture (runs.test-support.ts): Ann (seller, managed by Bea)
 * has a Q1 2027 statement from a real completed run; a partner registers a deal. Each case walks
 * the real HTTP routes.
 */

let f: RunsFixture;
let finance: Session;
let partner: Session;
let partnerId: string;
let financeId: string;
let otherPartner: Session;
let otherPartnerActor: UserActor;
let q1RunId: string;
let q2RunId: string;

const post = (url: string, s: Session, payload: object = {}) => f.t.app.inject({ method: 'POST', url, headers: s.headers, payload });
const get = (url: string, s: Session) => f.t.app.inject({ method: 'GET', url, headers: s.headers });

async function ok<T>(p: ReturnType<typeof post>, status = 200): Promise<T> {
  const r = await p;
  expect(r.statusCode, r.body).toBe(status);
  return r.json<T>();
}

async function auditCount(entityId: string): Promise<number> {
  const r = await f.t.deps.db
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('entityType', '=', 'commission_dispute')
    .where('entityId', '=', entityId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A submitted registration of the partner, stored directly (the engagement module tests its own submission). */
async function newRegistration(partnerId: string): Promise<{ id: string; reference: string }> {
  const id = newId();
  return inTransaction(f.t.deps, systemActor('test'), async (trx) => {
    const n = await sql<{ n: string }>`select nextval('deal_registration_reference_seq')::text as n`.execute(trx);
    const reference = `REG-${(n.rows[0]?.n ?? '0').padStart(6, '0')}`;
    const scenario = await trx.selectFrom('scenario').select('scenarioId').where('key', '=', 'consulting').executeTakeFirstOrThrow();
    const now = f.t.deps.clock.now();
    await trx
      .insertInto('dealRegistration')
      .values({
        dealRegistrationId: id,
        reference,
        partnerId,
        submittedByUserId: null,
        clientReference: null,
        status: 'submitted',
        source: 'partner',
        scenarioId: scenario.scenarioId,
        productLine: null,
        region: null,
        endCustomerName: `Customer ${id.slice(0, 8)}`,
        endCustomerNormalisedName: `customer ${id.slice(0, 8)}`,
        endCustomerDomain: null,
        endCustomerCountry: 'DE',
        endCustomerTaxId: null,
        accountId: null,
        valueMinor: 2_500_000,
        currency: 'EUR',
        expectedCloseOn: null,
        description: null,
        ruleSetVersionId: null,
        routeId: null,
        owningUnit: null,
        reviewerUserId: null,
        escalationUserId: null,
        submittedAt: now,
        slaDueAt: null,
        slaBreachedAt: null,
        firstResponseAt: null,
        decidedAt: null,
        decisionReason: null,
        protectionEndsOn: null,
        closedAt: null,
      })
      .execute();
    await trx
      .insertInto('registrationEvent')
      .values({
        registrationEventId: newId(),
        dealRegistrationId: id,
        partnerId,
        at: now,
        actorUserId: null,
        actorLabel: 'Partner',
        kind: 'submitted',
        fromStatus: 'draft',
        toStatus: 'submitted',
        note: null,
      })
      .execute();
    return { id, reference };
  });
}

async function sellerCase(subject = 'Q1 commission is short'): Promise<InternalDisputeDetail> {
  return ok<InternalDisputeDetail>(
    post('/api/comp/disputes', f.seller, {
      subject,
      description: 'The T2 split should be 70/30, not 60/40.',
      line: { runId: q1RunId, lineIndex: 0 },
      claimed: { amountMinor: 57_000, currency: 'EUR' },
    }),
    201,
  );
}

async function openPeriod(start: string, end: string): Promise<CommissionPeriodView> {
  return ok<CommissionPeriodView>(post('/api/comp/periods', f.admin, { periodStart: start, periodEnd: end }), 201);
}

beforeAll(async () => {
  f = await runsFixture();
  const p1 = await makePartner(f.t.deps);
  partnerId = p1.id;
  partner = await signIn(f.t.app, (await makeUser(f.t.deps, { roles: ['partner_seller'], partnerId: p1.id })).email);
  const fin = await makeUser(f.t.deps, { roles: ['finance'], displayName: 'Fran Finance' });
  financeId = fin.id;
  finance = await signIn(f.t.app, fin.email);
  const p2 = await makePartner(f.t.deps);
  const u2 = await makeUser(f.t.deps, { roles: ['partner_admin'], partnerId: p2.id });
  otherPartner = await signIn(f.t.app, u2.email);
  otherPartnerActor = {
    kind: 'user',
    userId: u2.id,
    email: u2.email,
    displayName: u2.email,
    partnerId: p2.id,
    roles: ['partner_admin'],
    via: 'session',
    requestId: null,
  };
  q1RunId = (await f.completedRun('2027-01-01', '2027-04-01')).id;
  q2RunId = (await f.completedRun('2027-04-01', '2027-07-01')).id;
}, 180_000);

afterAll(async () => {
  await f?.t.close();
});

describe('the dispute journey', () => {
  let seller: InternalDisputeDetail;
  let partnerCase: PartnerDisputeDetail;
  let registration: { id: string; reference: string };
  let q2: CommissionPeriodView;

  it('a seller opens a dispute on a line of her statement; the line is snapshotted', async () => {
    const statement = await ok<StatementView>(get(`/api/comp/statements?runId=${q1RunId}`, f.seller));
    const line = statement.periods[0]?.lines[0];
    expect(line).toBeDefined();
    seller = await sellerCase();
    expect(seller.audience).toBe('internal');
    expect(seller.status).toBe('open');
    expect(seller.reference).toMatch(/^DSP-\d{6}$/);
    expect(seller.claim).toMatchObject({
      participantId: f.P.a,
      participantName: 'Ann Seller',
      line: { runId: q1RunId, lineIndex: 0, amountMinor: line?.amountMinor, currency: 'EUR', periodStart: '2027-01-01' },
      claimed: { amountMinor: 57_000, currency: 'EUR' },
    });
    expect(seller.events.map((e) => e.kind)).toEqual(['opened']);
    expect(await auditCount(seller.id)).toBe(1);
  });

  it('her manager reads it; another seller gets 404', async () => {
    const m = await ok<InternalDisputeDetail>(get(`/api/comp/disputes/${seller.id}`, f.manager));
    expect(m.claim?.participantName).toBe('Ann Seller');
    expect((await get(`/api/comp/disputes/${seller.id}`, f.stranger)).statusCode).toBe(404);
    const list = await ok<DisputeList>(get('/api/comp/disputes', f.stranger));
    expect(list.items.map((d) => d.id)).not.toContain(seller.id);
  });

  it('a partner opens a dispute about the credit of its own registration', async () => {
    registration = await newRegistration(partnerId);
    partnerCase = await ok<PartnerDisputeDetail>(
      post('/api/comp/disputes', partner, {
        subject: 'Our registration was not credited',
        description: 'We registered this customer first; see the attached thread.',
        registrationId: registration.id,
        evidenceLinks: ['https://partner.example/thread/42'],
      }),
      201,
    );
    expect(partnerCase.audience).toBe('partner');
    expect(partnerCase.registration?.reference).toBe(registration.reference);
    expect(partnerCase.registration?.history.length).toBeGreaterThan(0);
    expect(partnerCase.evidenceLinks).toEqual(['https://partner.example/thread/42']);
  });

  it('an admin merges the partner case into the seller case: one case with both sides', async () => {
    const merged = await ok<InternalDisputeDetail>(post(`/api/comp/disputes/${seller.id}/link`, f.admin, { kind: 'case', disputeId: partnerCase.id }));
    expect(merged.registration?.id).toBe(registration.id);
    expect(merged.partnerStatement).toContain('registered this customer first');
    expect(merged.claim?.participantId).toBe(f.P.a);
    expect(merged.events.map((e) => [e.disputeReference, e.kind])).toEqual([
      [seller.reference, 'opened'],
      [partnerCase.reference, 'opened'],
      [seller.reference, 'merged'],
      [partnerCase.reference, 'merged'],
    ]);
    const old = await ok<PartnerDisputeDetail>(get(`/api/comp/disputes/${partnerCase.id}`, partner));
    expect(old.status).toBe('merged');
    expect(old.mergedInto).toEqual({ id: seller.id, reference: seller.reference });
    // Merging twice, or commenting on the merged case, is refused clearly.
    const again = await post(`/api/comp/disputes/${seller.id}/link`, f.admin, { kind: 'case', disputeId: partnerCase.id });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ detail: string }>().detail).toMatch(/merged/);
  });

  it('a channel manager reads the combined case for its partner side, without the pay; the manager lists it', async () => {
    const cm = await signIn(f.t.app, (await makeUser(f.t.deps, { roles: ['channel_manager'] })).email);
    const r = await get(`/api/comp/disputes/${seller.id}`, cm);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<InternalDisputeDetail>()).toMatchObject({
      claim: null,
      payHidden: true,
      participantName: null,
      subject: 'Our registration was not credited',
    });
    expect(r.body).not.toMatch(/Ann Seller|split should be/);
    const cmList = await ok<DisputeList>(get('/api/comp/disputes', cm));
    expect(cmList.items.map((i) => i.id)).toContain(seller.id);
    const managerList = await ok<DisputeList>(get('/api/comp/disputes?status=open', f.manager));
    expect(managerList.items.find((i) => i.id === seller.id)).toMatchObject({ audience: 'internal', participantName: 'Ann Seller' });
  });

  it('the partner now reads the combined case, without any internal pay', async () => {
    const r = await get(`/api/comp/disputes/${seller.id}`, partner);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json<PartnerDisputeDetail>();
    expect(d.audience).toBe('partner');
    expect(d.subject).toBe('Our registration was not credited');
    expect(r.body).not.toMatch(/Ann Seller|amountMinor|57000|claim|split should be|Q1 commission/);
    expect(d.events.every((e) => !e.internalOnly)).toBe(true);
    expect(d.allowedActions).toEqual(['comment']);
    const list = await ok<DisputeList>(get('/api/comp/disputes', partner));
    expect(list.items.map((i) => i.id).sort()).toEqual([seller.id, partnerCase.id].sort());
  });

  it('assigns to finance, notifying the assignee and both openers (the partner without pay)', async () => {
    const before = await auditCount(seller.id);
    const d = await ok<InternalDisputeDetail>(post(`/api/comp/disputes/${seller.id}/assign`, f.admin, { assigneeUserId: financeId }));
    expect(d.assignee).toEqual({ id: financeId, name: 'Fran Finance' });
    expect(await auditCount(seller.id)).toBe(before + 1);
    const fin = await ok<{ items: { title: string; link: string | null }[] }>(get('/api/notifications', finance));
    expect(fin.items.some((n) => n.title.includes(seller.reference) && n.link === `/commissions/disputes/${seller.id}`)).toBe(true);
    const sellerN = await ok<{ items: { title: string }[] }>(get('/api/notifications', f.seller));
    expect(sellerN.items.some((n) => n.title === `Dispute ${seller.reference} is assigned to Fran Finance`)).toBe(true);
    const partnerN = await ok<{ items: { title: string; link: string | null }[] }>(get('/api/notifications', partner));
    expect(
      partnerN.items.some((n) => n.title === `Your dispute ${seller.reference} is being handled` && n.link === `/registrations/disputes/${seller.id}`),
    ).toBe(true);
    // Not a user who can take a case: a clear 400 on the field.
    const bad = await post(`/api/comp/disputes/${seller.id}/assign`, f.admin, { assigneeUserId: newId() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('assigneeUserId');
  });

  it('comments: internal ones never reach the partner; a partner cannot write one', async () => {
    await ok(post(`/api/comp/disputes/${seller.id}/comments`, finance, { body: 'Split was keyed wrong in the CRM; pay 50.00 more.', internal: true }));
    await ok(post(`/api/comp/disputes/${seller.id}/comments`, finance, { body: 'We are checking the registration against the CRM.' }));
    await ok(post(`/api/comp/disputes/${seller.id}/comments`, partner, { body: 'Thank you, the CRM id is 77.' }));
    const internal = await ok<InternalDisputeDetail>(get(`/api/comp/disputes/${seller.id}`, finance));
    expect(internal.events.filter((e) => e.kind === 'commented').map((e) => [e.body, e.internalOnly])).toEqual([
      ['Split was keyed wrong in the CRM; pay 50.00 more.', true],
      ['We are checking the registration against the CRM.', false],
      ['Thank you, the CRM id is 77.', false],
    ]);
    const r = await get(`/api/comp/disputes/${seller.id}`, partner);
    expect(r.body).not.toContain('keyed wrong');
    const partnerView = r.json<PartnerDisputeDetail>();
    expect(partnerView.events.filter((e) => e.kind === 'commented').map((e) => e.actorLabel)).toEqual(['Vendor team', expect.not.stringMatching(/Vendor/)]);
    const refused = await post(`/api/comp/disputes/${seller.id}/comments`, partner, { body: 'psst', internal: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('internal');
  });

  it('resolves with an adjustment in the open period: in its adjustments, then in its payroll', async () => {
    await ok(post(`/api/comp/disputes/${seller.id}/transition`, finance, { action: 'start_review' }));
    q2 = await openPeriod('2027-04-01', '2027-07-01');
    // The plan pays in EUR: another currency is refused on the field.
    const usd = await post(`/api/comp/disputes/${seller.id}/resolve`, finance, {
      note: 'Split corrected.',
      adjustment: { amountMinor: 5_000, currency: 'USD', reason: 'T2 split 70/30' },
    });
    expect(usd.statusCode).toBe(400);
    expect(usd.json<{ issues: { path: string }[]; detail: string }>()).toMatchObject({ issues: [{ path: 'adjustment.currency' }] });
    expect(usd.json<{ detail: string }>().detail).toMatch(/plan currency EUR/);
    const zero = await post(`/api/comp/disputes/${seller.id}/resolve`, finance, { note: 'x', adjustment: { amountMinor: 0, currency: 'EUR', reason: 'x' } });
    expect(zero.statusCode).toBe(400);
    expect(zero.json<{ issues: { path: string[] | string }[] }>().issues[0]?.path).toMatch(/adjustment\.amountMinor/);

    const before = await auditCount(seller.id);
    const d = await ok<InternalDisputeDetail>(
      post(`/api/comp/disputes/${seller.id}/resolve`, finance, {
        note: 'The split is corrected; the difference is paid with the next payroll.',
        adjustment: { amountMinor: 5_000, currency: 'EUR', reason: 'T2 split 70/30' },
      }),
    );
    expect(await auditCount(seller.id)).toBe(before + 1);
    expect(d.status).toBe('resolved');
    expect(d.outcome).toBe('adjusted');
    expect(d.decidedInPeriodId).toBe(q2.id);
    expect(d.adjustments).toMatchObject([{ amountMinor: 5_000, currency: 'EUR', bookedInPeriodId: q2.id, participantId: f.P.a }]);
    const booked = d.events.find((e) => e.kind === 'adjustment_booked');
    expect(booked?.detail).toMatchObject({ adjustmentId: d.adjustments[0]?.id, amountMinor: 5_000, currency: 'EUR', periodId: q2.id });

    const adjustments = await ok<{ items: CommissionAdjustmentView[] }>(get(`/api/comp/periods/${q2.id}/adjustments`, f.admin));
    expect(adjustments.items).toEqual([
      {
        id: d.adjustments[0]?.id,
        participantId: f.P.a,
        bookedInPeriodId: q2.id,
        currency: 'EUR',
        amountMinor: 5_000,
        reason: `${seller.reference}: T2 split 70/30`,
        sourcePeriodId: null,
        sourceVersion: null,
      },
    ]);

    // Ann's statement of the Q2 run shows the adjustment with its dispute.
    const statement = await ok<StatementView>(get(`/api/comp/statements?runId=${q2RunId}&participantId=${f.P.a}`, f.admin));
    expect(statement.adjustments).toEqual([
      {
        adjustmentId: d.adjustments[0]?.id,
        bookedOn: new Date().toISOString().slice(0, 10),
        periodStart: '2027-04-01',
        periodEnd: '2027-07-01',
        currency: 'EUR',
        amountMinor: 5_000,
        reason: `${seller.reference}: T2 split 70/30`,
        source: 'dispute',
        disputeReference: seller.reference,
        restated: null,
      },
    ]);

    // The partner learns it is resolved, and nothing of the amount.
    const pv = await get(`/api/comp/disputes/${seller.id}`, partner);
    expect(pv.json<PartnerDisputeDetail>()).toMatchObject({ status: 'resolved', outcome: 'adjusted', resolutionNote: expect.stringContaining('corrected') });
    expect(pv.body).not.toMatch(/"amountMinor"|50\.00|T2 split|adjustment_booked|Ann Seller/);
    const partnerN = await ok<{ items: { title: string; body: string }[] }>(get('/api/notifications', partner));
    expect(partnerN.items.find((n) => n.title === `Your dispute ${seller.reference} is resolved`)?.body).toBe('');

    // Close Q2 from its run, approve: the payroll pays the commission plus the dispute's adjustment.
    await ok(post(`/api/comp/periods/${q2.id}/close`, f.admin, { runId: q2RunId }));
    await ok(post(`/api/comp/periods/${q2.id}/approve`, finance));
    const csv = await get(`/api/comp/periods/${q2.id}/payroll.csv`, f.admin);
    expect(csv.statusCode, csv.body).toBe(200);
    const ann = csv.body.split(/\r?\n/).find((l) => l.includes('Ann Seller'));
    expect(ann).toBe(`A-${f.P.a},Ann Seller,2027-04-01,2027-07-01,EUR,200.00,50.00,250.00`);
  });

  it('a decision is final once the period it was decided in is closed: reopening is refused', async () => {
    const r = await post(`/api/comp/disputes/${seller.id}/transition`, finance, { action: 'reopen' });
    expect(r.statusCode).toBe(409);
    expect(r.json<{ detail: string }>().detail).toMatch(/now closed: the decision is final/);
  });
});

describe('partner isolation', () => {
  let caseId: string;
  let regId: string;

  beforeAll(async () => {
    regId = (await newRegistration(partnerId)).id;
    caseId = (
      await ok<DisputeDetail>(post('/api/comp/disputes', partner, { subject: 'Credit missing', description: 'Please check.', registrationId: regId }), 201)
    ).id;
  });

  it('another partner gets 404 for the case, its comments and its registration, and its list excludes it', async () => {
    expect((await get(`/api/comp/disputes/${caseId}`, otherPartner)).statusCode).toBe(404);
    expect((await post(`/api/comp/disputes/${caseId}/comments`, otherPartner, { body: 'hello?' })).statusCode).toBe(404);
    expect((await post('/api/comp/disputes', otherPartner, { subject: 'x', description: 'y', registrationId: regId })).statusCode).toBe(404);
    const list = await ok<DisputeList>(get('/api/comp/disputes', otherPartner));
    expect(list.items.map((i) => i.id)).not.toContain(caseId);
    expect((await get('/api/comp/disputes/assignees', otherPartner)).statusCode).toBe(404);
  });

  it('row-level security alone hides it (the application checks switched off)', async () => {
    const rlsOnly = { ...f.t.deps, isolationChecks: false };
    await expect(disputes.getDispute(rlsOnly, otherPartnerActor, caseId)).rejects.toMatchObject({ code: 'not_found' });
    expect((await disputes.listDisputes(rlsOnly, otherPartnerActor, { scope: 'all', limit: 50, offset: 0 })).items).toEqual([]);
    // Nor can a partner scope read the internal tables at all.
    const rows = await inScope(
      f.t.deps.db,
      { kind: 'partner', userId: otherPartnerActor.userId, partnerId: otherPartnerActor.partnerId ?? '' },
      async (trx) => ({
        claims: await trx.selectFrom('commissionDisputeClaim').selectAll().execute(),
        events: await trx.selectFrom('commissionDisputeEvent').selectAll().execute(),
      }),
    );
    expect(rows).toEqual({ claims: [], events: [] });
  });

  it('partner users cannot open on a statement line or state amounts', async () => {
    const r = await post('/api/comp/disputes', partner, { subject: 'x', description: 'y', line: { runId: q1RunId, lineIndex: 0 } });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('line');
  });

  it('the history is append-only in the database', async () => {
    // The application role may not even see a row to update; the table owner is stopped by the trigger.
    const asApp = await inScope(f.t.deps.db, { kind: 'system' }, (trx) =>
      sql`update commission_dispute_event set body = 'x' where commission_dispute_id = ${caseId}`.execute(trx),
    );
    expect(asApp.numAffectedRows).toBe(0n);
    await expect(sql`update commission_dispute_event set body = 'x' where commission_dispute_id = ${caseId}`.execute(f.t.deps.db)).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(sql`delete from commission_dispute_event where commission_dispute_id = ${caseId}`.execute(f.t.deps.db)).rejects.toThrow(/cannot be changed/);
  });
});

describe('closed periods and errors', () => {
  let q1: CommissionPeriodView;

  beforeAll(async () => {
    q1 = await openPeriod('2027-01-01', '2027-04-01');
    await ok(post(`/api/comp/periods/${q1.id}/close`, f.admin, { runId: q1RunId }));
  });

  it('cannot book into a closed period, through the service or by SQL', async () => {
    const d = await sellerCase('Closed period case');
    const r = await post(`/api/comp/disputes/${d.id}/resolve`, finance, {
      note: 'Paid.',
      adjustment: { amountMinor: 1_000, currency: 'EUR', reason: 'late', periodId: q1.id },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json<{ detail: string; issues: { path: string }[] }>()).toMatchObject({ issues: [{ path: 'adjustment.periodId' }] });
    expect(r.json<{ detail: string }>().detail).toMatch(/is closed/);
    const after = await ok<InternalDisputeDetail>(get(`/api/comp/disputes/${d.id}`, finance));
    expect(after.status).toBe('open');
    expect(after.adjustments).toEqual([]);
    await expect(
      inScope(f.t.deps.db, { kind: 'internal', userId: financeId }, (trx) =>
        sql`insert into commission_adjustment (participant_id, commission_adjustment_id, commission_period_id, currency, amount_minor, reason, commission_dispute_id)
            values (${f.P.a}, ${newId()}, ${q1.id}, 'EUR', 1000, 'sneaky', ${d.id})`.execute(trx),
      ),
    ).rejects.toThrow(/closed commission period/);
  });

  it('with no open period, booking says what to do', async () => {
    const d = await sellerCase('No period case');
    const r = await post(`/api/comp/disputes/${d.id}/resolve`, finance, { note: 'Paid.', adjustment: { amountMinor: 1_000, currency: 'EUR', reason: 'late' } });
    expect(r.statusCode).toBe(409);
    expect(r.json<{ detail: string }>().detail).toMatch(/No commission period is open .*open one/);
  });

  it('clear 400 and 404 answers for bad input', async () => {
    const none = await post('/api/comp/disputes', f.seller, { subject: 'x', description: 'y' });
    expect(none.statusCode).toBe(400);
    expect(JSON.stringify(none.json())).toMatch(/Name the statement line, the deal or the registration/);
    const far = await post('/api/comp/disputes', f.seller, { subject: 'x', description: 'y', line: { runId: q1RunId, lineIndex: 99 } });
    expect(far.statusCode).toBe(404);
    expect(far.json<{ detail: string }>().detail).toMatch(/Line 99 was not found/);
    const other = await post('/api/comp/disputes', f.stranger, {
      subject: 'x',
      description: 'y',
      line: { runId: q1RunId, participantId: f.P.a, lineIndex: 0 },
    });
    expect(other.statusCode).toBe(404);
    const extra = await post('/api/comp/disputes', f.seller, { subject: 'x', description: 'y', line: { runId: q1RunId, lineIndex: 0 }, amount: 5 });
    expect(extra.statusCode).toBe(400);
  });

  it('a seller cannot resolve her own case; only comp admins and finance book adjustments', async () => {
    const d = await sellerCase('Self-service attempt');
    expect((await post(`/api/comp/disputes/${d.id}/resolve`, f.seller, { note: 'mine' })).statusCode).toBe(403);
  });

  it('rejects with a reason; a rejection decided while no period was open can be reopened by the seller', async () => {
    const d = await sellerCase('To reject');
    const rejected = await ok<InternalDisputeDetail>(post(`/api/comp/disputes/${d.id}/reject`, f.admin, { reason: 'The split follows the signed form.' }));
    expect(rejected).toMatchObject({ status: 'rejected', outcome: 'rejected', resolutionNote: 'The split follows the signed form.' });
    const twice = await post(`/api/comp/disputes/${d.id}/reject`, f.admin, { reason: 'again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<{ detail: string }>().detail).toMatch(/already rejected/);
    const reopened = await ok<InternalDisputeDetail>(post(`/api/comp/disputes/${d.id}/transition`, f.seller, { action: 'reopen', note: 'New evidence' }));
    expect(reopened).toMatchObject({ status: 'open', outcome: null, resolutionNote: null });
    expect(reopened.events.map((e) => e.kind)).toEqual(['opened', 'rejected', 'reopened']);
  });

  it('64 concurrent resolves of one case have exactly one effect', async () => {
    const q3 = await openPeriod('2027-07-01', '2027-10-01');
    const d = await sellerCase('Race');
    const body = { note: 'Paid once.', adjustment: { amountMinor: 700, currency: 'EUR', reason: 'race', periodId: q3.id } };
    const results = await Promise.all(Array.from({ length: 64 }, () => post(`/api/comp/disputes/${d.id}/resolve`, f.admin, body)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(63);
    expect(results.find((r) => r.statusCode === 409)?.json<{ detail: string }>().detail).toMatch(/already resolved/);
    const adj = await f.t.deps.db.selectFrom('commissionAdjustment').select(['amountMinor']).where('commissionPeriodId', '=', q3.id).execute();
    expect(adj).toEqual([{ amountMinor: 700 }]);
    const events = (await ok<InternalDisputeDetail>(get(`/api/comp/disputes/${d.id}`, f.admin))).events.map((e) => e.kind);
    expect(events.filter((k) => k === 'resolved')).toHaveLength(1);
    expect(await auditCount(d.id)).toBe(2);
  });
});

describe('rules', () => {
  const ctx = { reference: 'DSP-000001', mergedIntoReference: null };
  it.each([
    ['open', 'in_review', null, null],
    ['in_review', 'in_review', null, /already in review/],
    ['resolved', 'in_review', null, /reopen it first/],
    ['open', 'resolved', null, null],
    ['rejected', 'resolved', null, /already rejected/],
    ['open', 'reopen', null, /nothing to reopen/],
    ['resolved', 'reopen', 'open', null],
    ['resolved', 'reopen', null, null],
    ['rejected', 'reopen', 'closed', /decision is final/],
    ['merged', 'resolved', null, /merged into/],
  ] as const)('%s -> %s (decided-in period %s)', (status, to, period, problem) => {
    const p = transitionProblem(status, to, { ...ctx, decidedInPeriodStatus: period });
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });

  it('partners only comment; adjustments are for managers of pay', () => {
    const base = { manage: false, channel: false, partner: false, assignee: false, opener: false };
    expect(allowedActions({ ...base, partner: true, opener: true }, { status: 'resolved', decidedInPeriodStatus: 'open' })).toEqual(['comment']);
    expect(allowedActions({ ...base, channel: true }, { status: 'open', decidedInPeriodStatus: null })).not.toContain('adjust');
    expect(allowedActions({ ...base, manage: true }, { status: 'in_review', decidedInPeriodStatus: null })).toContain('adjust');
    expect(allowedActions({ ...base, manage: true }, { status: 'merged', decidedInPeriodStatus: null })).toEqual([]);
  });
});
