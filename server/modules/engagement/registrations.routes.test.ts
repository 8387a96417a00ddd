import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import type { RegistrationStatus } from './engagement.table.ts';
import { transitions } from './registrations.policy.ts';
import { publishTestRules, registrationBody, testRules } from './registrations.test-support.ts';

// Friday 15:00 UTC: two business days later is Tuesday 15:00.
const clock = fixedClock('2026-03-06T15:00:00Z');
let t: TestApp;
let partner: { id: string; name: string };
let seller: Session;
let reviewer: { id: string; session: Session };
let manager: { id: string };
let channel: Session;
let stranger: Session;

async function count(table: 'dealRegistration' | 'registrationEvent' | 'auditEntry' | 'notification'): Promise<number> {
  const r = await t.deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function post(session: Session, url: string, payload?: object, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, headers: { ...session.headers, ...headers }, ...(payload ? { payload } : {}) });
}

async function submitted(overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await post(seller, '/api/registrations', registrationBody({ submit: true, ...overrides }));
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

async function forceStatus(id: string, status: RegistrationStatus): Promise<void> {
  await inTransaction(t.deps, systemActor('test'), (trx) =>
    trx
      .updateTable('dealRegistration')
      .set({ status, protectionEndsOn: status === 'approved' ? '2026-06-04' : null, submittedAt: status === 'draft' ? null : clock.now() })
      .where('dealRegistrationId', '=', id)
      .execute(),
  );
}

beforeAll(async () => {
  // Sessions outlive the clock moves of these tests.
  t = await createTestApp({ clock, env: { REALIGN_SESSION_HOURS: '2160' } });
  partner = await makePartner(t.deps);
  seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_seller'], partnerId: partner.id, displayName: 'Sam Seller' })).email);
  manager = await makeUser(t.deps, { roles: ['operations'], displayName: 'Mia Manager' });
  const rv = await makeUser(t.deps, { roles: ['delivery'], displayName: 'Rex Reviewer' });
  await t.deps.db.updateTable('appUser').set({ managerUserId: manager.id }).where('appUserId', '=', rv.id).execute();
  reviewer = { id: rv.id, session: await signIn(t.app, rv.email) };
  channel = await signIn(t.app, (await makeUser(t.deps, { roles: ['channel_manager'] })).email);
  stranger = await signIn(t.app, (await makeUser(t.deps, { roles: ['internal_seller'] })).email);
});
afterAll(async () => t?.close());

describe('before any rules are published', () => {
  it('drafts can be saved, but submission is a clear conflict', async () => {
    const draft = await post(seller, '/api/registrations', registrationBody());
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({ status: 'draft', sla: { state: 'not_started' } });
    const refused = await post(seller, `/api/registrations/${draft.json().id}/submit`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/No rules of the road are published yet/);
    const direct = await post(seller, '/api/registrations', registrationBody({ submit: true }));
    expect(direct.statusCode).toBe(409);
  });
});

/** A catch-all route to the channel desk, and consulting routed to the reviewer. */
function consultingRoutes() {
  return [
    { id: 'catch_all', scenarios: null, regions: null, productLines: null, tiers: null, owningUnit: 'Channel desk', responseBusinessDays: 2 },
    {
      id: 'consulting',
      scenarios: ['consulting'],
      regions: null,
      productLines: null,
      tiers: null,
      owningUnit: 'TS Consulting',
      reviewerUserId: reviewer.id,
      responseBusinessDays: 2,
    },
  ] as never;
}

describe('registration lifecycle', () => {
  beforeAll(async () => {
    await publishTestRules(
      t.deps,
      testRules({
        routes: consultingRoutes(),
      }),
    );
  });

  it('a partner submits: routed to the reviewer, SLA due two business days later, reviewer notified, one audit entry', async () => {
    const [regs, events, audits] = [await count('dealRegistration'), await count('registrationEvent'), await count('auditEntry')];
    const res = await post(seller, '/api/registrations', registrationBody({ submit: true, endCustomerDomain: 'HTTPS://www.Globex.example/about' }));
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      status: 'submitted',
      reference: expect.stringMatching(/^REG-\d{6}$/),
      endCustomerDomain: 'globex.example',
      owningUnit: 'TS Consulting',
      submittedByName: 'Sam Seller',
      reviewerName: null,
      sla: { state: 'running', dueAt: '2026-03-10T15:00:00.000Z', secondsLeft: 4 * 86_400 },
    });
    expect(r).not.toHaveProperty('internal');
    expect(r.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'submitted']);
    expect(await count('dealRegistration')).toBe(regs + 1);
    expect(await count('registrationEvent')).toBe(events + 2);
    expect(await count('auditEntry')).toBe(audits + 1);
    const note = await t.deps.db.selectFrom('notification').selectAll().where('appUserId', '=', reviewer.id).execute();
    expect(note.map((n) => n.title).join()).toContain(r.reference);
    // The reviewer sees the internal block, with the escalation contact defaulting to their manager.
    const internal = await t.app.inject({ method: 'GET', url: `/api/registrations/${r.id}`, headers: reviewer.session.headers });
    expect(internal.json().internal).toMatchObject({ inConflict: false, routeId: 'consulting', reviewerUserId: reviewer.id, escalationUserId: manager.id });
    expect(internal.json().reviewerName).toBe('Rex Reviewer');
  });

  it('an ineligible registration lists every reason by field path and writes nothing', async () => {
    const before = [await count('dealRegistration'), await count('auditEntry')];
    const res = await post(
      seller,
      '/api/registrations',
      registrationBody({ submit: true, scenario: 'managed_service', valueMinor: 100, currency: 'USD', endCustomerCountry: null }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().issues).toEqual([
      { path: 'body.currency', message: expect.stringMatching(/must be EUR/) },
      { path: 'body.endCustomerCountry', message: expect.stringMatching(/required/) },
    ]);
    expect([await count('dealRegistration'), await count('auditEntry')]).toEqual(before);
    const bad = await post(seller, '/api/registrations', registrationBody({ scenario: 'nope', endCustomerDomain: 'not a domain' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe('body.endCustomerDomain');
  });

  it('drafts are edited and then submitted; submitted ones cannot be edited', async () => {
    const d = (await post(seller, '/api/registrations', registrationBody({ endCustomerName: 'Draft Co' }))).json();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/registrations/${d.id}`,
      headers: seller.headers,
      payload: { valueMinor: 7_700_00, region: 'EMEA' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ valueMinor: 7_700_00, region: 'emea', status: 'draft' });
    const sub = await post(seller, `/api/registrations/${d.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json().status).toBe('submitted');
    expect((await post(seller, `/api/registrations/${d.id}/submit`)).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/registrations/${d.id}`, headers: seller.headers, payload: { valueMinor: 1 } })).statusCode).toBe(
      409,
    );
    // Vendor staff do not edit or submit a partner's registration.
    expect((await post(channel, `/api/registrations/${d.id}/submit`)).statusCode).toBe(403);
  });

  it('the reviewer works it: review, ask for information, the partner answers, approval with protection; the history has every step', async () => {
    const id = await submitted();
    clock.advance(3600_000);
    const start = await post(reviewer.session, `/api/registrations/${id}/transition`, { action: 'start_review' });
    expect(start.statusCode, start.body).toBe(200);
    expect(start.json().sla).toMatchObject({ state: 'met', firstResponseAt: '2026-03-06T16:00:00.000Z', secondsLeft: null });
    expect((await post(reviewer.session, `/api/registrations/${id}/transition`, { action: 'request_info' })).statusCode).toBe(400);
    expect((await post(reviewer.session, `/api/registrations/${id}/transition`, { action: 'request_info', note: 'Which sites?' })).statusCode).toBe(200);
    const partnerView = await t.app.inject({ method: 'GET', url: `/api/registrations/${id}`, headers: seller.headers });
    expect(partnerView.json()).toMatchObject({ status: 'more_info_requested', allowedActions: ['provide_info', 'withdraw'] });
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/registrations/${id}`,
      headers: seller.headers,
      payload: { description: 'Berlin and Munich' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const fixed = await t.app.inject({ method: 'PATCH', url: `/api/registrations/${id}`, headers: seller.headers, payload: { endCustomerName: 'Other' } });
    expect(fixed.statusCode).toBe(400);
    expect((await post(seller, `/api/registrations/${id}/transition`, { action: 'provide_info', note: 'Two sites' })).statusCode).toBe(200);
    clock.set('2026-03-09T09:00:00Z');
    const approved = await post(reviewer.session, `/api/registrations/${id}/transition`, { action: 'approve', note: 'Welcome' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', protectionEndsOn: '2026-06-07', decidedAt: '2026-03-09T09:00:00.000Z' });
    const history = approved.json().events.map((e: { kind: string; fromStatus: string | null; toStatus: string | null }) => [e.kind, e.fromStatus, e.toStatus]);
    expect(history).toEqual([
      ['created', null, 'draft'],
      ['submitted', 'draft', 'submitted'],
      ['status_changed', 'submitted', 'under_review'],
      ['info_requested', 'under_review', 'more_info_requested'],
      ['comment', null, null],
      ['info_provided', 'more_info_requested', 'under_review'],
      ['status_changed', 'under_review', 'approved'],
    ]);
    // The partner hears about the decision.
    const notes = await t.app.inject({ method: 'GET', url: '/api/notifications', headers: seller.headers });
    expect(JSON.stringify(notes.json())).toContain('approved');
    clock.set('2026-03-06T15:00:00Z');
  });

  it('every action from every status: allowed ones move it with one event and one audit entry, the others are refused', async () => {
    const statuses: RegistrationStatus[] = [
      'draft',
      'submitted',
      'under_review',
      'more_info_requested',
      'approved',
      'rejected',
      'expired',
      'won',
      'lost',
      'withdrawn',
    ];
    const problems: string[] = [];
    for (const [action, rule] of Object.entries(transitions)) {
      for (const from of statuses) {
        const id = await submitted();
        await forceStatus(id, from);
        const right = rule.by === 'partner' ? seller : reviewer.session;
        const wrong = rule.by === 'partner' ? reviewer.session : rule.by === 'reviewer' ? seller : stranger;
        const body = { action, note: 'n', reason: 'r' };
        const wrongRes = await post(wrong, `/api/registrations/${id}/transition`, body);
        const wantWrong = wrong === stranger ? 404 : 403;
        if (wrongRes.statusCode !== wantWrong) problems.push(`${action} from ${from} by the wrong side answered ${wrongRes.statusCode}, want ${wantWrong}`);
        const [events, audits] = [await count('registrationEvent'), await count('auditEntry')];
        const res = await post(right, `/api/registrations/${id}/transition`, body);
        const allowed = rule.from.includes(from);
        if (res.statusCode !== (allowed ? 200 : 409)) problems.push(`${action} from ${from} answered ${res.statusCode}`);
        if (allowed && res.json().status !== rule.to) problems.push(`${action} from ${from} gave ${res.json().status}`);
        const wrote = [(await count('registrationEvent')) - events, (await count('auditEntry')) - audits];
        if (allowed ? wrote.join() !== '1,1' : wrote.join() !== '0,0') problems.push(`${action} from ${from} wrote events/audits ${wrote.join('/')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('mark won / lost: the partner or the reviewer; rejection needs a reason', async () => {
    const a = await submitted();
    expect((await post(reviewer.session, `/api/registrations/${a}/transition`, { action: 'reject' })).statusCode).toBe(400);
    const rej = await post(reviewer.session, `/api/registrations/${a}/transition`, { action: 'reject', reason: 'Direct account' });
    expect(rej.json()).toMatchObject({ status: 'rejected', decisionReason: 'Direct account' });
    const b = await submitted();
    await post(channel, `/api/registrations/${b}/transition`, { action: 'approve' });
    const won = await post(seller, `/api/registrations/${b}/transition`, { action: 'mark_won' });
    expect(won.json()).toMatchObject({ status: 'won', closedAt: expect.any(String) });
  });

  it('extensions: the partner asks once, the reviewer grants; no second one beyond the maximum', async () => {
    const id = await submitted();
    await post(reviewer.session, `/api/registrations/${id}/transition`, { action: 'approve' });
    expect((await post(reviewer.session, `/api/registrations/${id}/extension`, {})).statusCode).toBe(403);
    expect((await post(reviewer.session, `/api/registrations/${id}/extension/decision`, { decision: 'grant' })).statusCode).toBe(409);
    const asked = await post(seller, `/api/registrations/${id}/extension`, { note: 'Customer board meets in June' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ extensionPending: true, canRequestExtension: false });
    expect((await post(seller, `/api/registrations/${id}/extension`, {})).statusCode).toBe(409);
    expect((await post(seller, `/api/registrations/${id}/extension/decision`, { decision: 'grant' })).statusCode).toBe(403);
    const granted = await post(reviewer.session, `/api/registrations/${id}/extension/decision`, { decision: 'grant', note: 'OK' });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toMatchObject({ protectionEndsOn: '2026-07-04', extensionCount: 1, extensionPending: false });
    const again = await post(seller, `/api/registrations/${id}/extension`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/most the rules allow/);
  });

  it('lists: partner sees own, filters by status, scenario, queue and overdue, with totals', async () => {
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/registrations',
      headers: reviewer.session.headers,
      query: { queue: 'mine', status: 'submitted' },
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().total).toBeGreaterThan(0);
    expect(
      mine
        .json()
        .items.every((r: { status: string; internal: { reviewerUserId: string } }) => r.status === 'submitted' && r.internal.reviewerUserId === reviewer.id),
    ).toBe(true);
    const migration = await submitted({ scenario: 'migration' });
    const unit = await t.app.inject({ method: 'GET', url: '/api/registrations', headers: channel.headers, query: { queue: 'unit', scenario: 'migration' } });
    expect(unit.json().items.map((r: { id: string }) => r.id)).toEqual([migration]);
    // The unrelated internal seller is not a reviewer of anything: an empty list.
    expect((await t.app.inject({ method: 'GET', url: '/api/registrations', headers: stranger.headers })).json()).toEqual({ items: [], total: 0 });
    expect((await t.app.inject({ method: 'GET', url: `/api/registrations/${migration}`, headers: stranger.headers })).statusCode).toBe(404);
    clock.set('2026-03-20T12:00:00Z');
    const overdue = await t.app.inject({
      method: 'GET',
      url: '/api/registrations',
      headers: channel.headers,
      query: { overdue: 'true', sort: 'due', limit: '2' },
    });
    expect(overdue.json().items).toHaveLength(2);
    expect(overdue.json().total).toBeGreaterThan(2);
    expect(overdue.json().items[0].sla.state).toBe('breached');
    const partnerList = await t.app.inject({ method: 'GET', url: '/api/registrations', headers: seller.headers, query: { limit: '200' } });
    expect(partnerList.json().items.every((r: object) => !('internal' in r))).toBe(true);
    clock.set('2026-03-06T15:00:00Z');
  });
});

describe('idempotency', () => {
  it('a replay with the same Idempotency-Key returns the original with 200 and writes nothing', async () => {
    const body = registrationBody({ submit: true, endCustomerName: 'Replay Corp' });
    const first = await post(seller, '/api/registrations', body, { 'idempotency-key': 'key-1' });
    expect(first.statusCode, first.body).toBe(201);
    const before = [await count('dealRegistration'), await count('registrationEvent'), await count('auditEntry'), await count('notification')];
    const again = await post(seller, '/api/registrations', body, { 'idempotency-key': 'key-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().clientReference).toBe('key-1');
    expect([await count('dealRegistration'), await count('registrationEvent'), await count('auditEntry'), await count('notification')]).toEqual(before);
    const different = await post(seller, '/api/registrations', { ...body, valueMinor: 1 }, { 'idempotency-key': 'key-1' });
    expect(different.statusCode).toBe(409);
    expect(different.json().issues[0].path).toBe('header.idempotency-key');
  });

  it('the body client reference works the same; keys are per partner', async () => {
    const body = registrationBody({ clientReference: 'CRM-42' });
    const a = await post(seller, '/api/registrations', body);
    const b = await post(seller, '/api/registrations', body);
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json().id).toBe(a.json().id);
    expect((await post(seller, '/api/registrations', { ...body, submit: true })).statusCode).toBe(409);
    const other = await makePartner(t.deps);
    const otherSeller = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: other.id })).email);
    const c = await post(otherSeller, '/api/registrations', body);
    expect(c.statusCode).toBe(201);
    expect(c.json().id).not.toBe(a.json().id);
    expect((await post(seller, '/api/registrations', body, { 'idempotency-key': 'other' })).statusCode).toBe(400);
  });

  it('two requests with the same key at the same moment give one registration', async () => {
    const body = registrationBody({ submit: true });
    const [x, y] = await Promise.all([
      post(seller, '/api/registrations', body, { 'idempotency-key': 'race-1' }),
      post(seller, '/api/registrations', body, { 'idempotency-key': 'race-1' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 201]);
    expect(x.json().id).toBe(y.json().id);
    const rows = await t.deps.db.selectFrom('dealRegistration').select('dealRegistrationId').where('clientReference', '=', 'race-1').execute();
    expect(rows).toHaveLength(1);
  });
});

describe('who may register', () => {
  it('vendor staff do not register deals for themselves', async () => {
    expect((await post(channel, '/api/registrations', registrationBody())).statusCode).toBe(403);
  });
  it('the withdrawn status is accepted by the database', async () => {
    const id = await submitted();
    const w = await post(seller, `/api/registrations/${id}/transition`, { action: 'withdraw', note: 'Customer paused the project' });
    expect(w.json()).toMatchObject({ status: 'withdrawn' });
  });
});

describe('the answer to a registration is the registration as read back', () => {
  // createRegistration builds its answer from what it wrote instead of reading it back: every
  // outcome must answer exactly what GET answers afterwards, and audit exactly that.
  async function sameAsReadBack(session: Session, body: Record<string, unknown>) {
    const res = await post(session, '/api/registrations', body);
    expect(res.statusCode, res.body).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: `/api/registrations/${res.json().id}`, headers: session.headers });
    expect(read.statusCode).toBe(200);
    expect(res.json()).toEqual(read.json());
    const audit = await t.deps.db.selectFrom('auditEntry').select(['action', 'after']).where('entityId', '=', res.json().id).execute();
    const r = read.json();
    expect(audit).toEqual([
      {
        action: body.submit ? 'registration.submit' : 'registration.create',
        after: {
          reference: r.reference,
          status: r.status,
          scenario: r.scenario.key,
          endCustomerName: r.endCustomerName,
          valueMinor: r.valueMinor,
          currency: r.currency,
          protectionEndsOn: r.protectionEndsOn,
        },
      },
    ]);
    return r;
  }

  it('draft, routed to a reviewer, to every channel manager, approved at once, and held for review in a conflict', async () => {
    await publishTestRules(
      t.deps,
      testRules({
        routes: consultingRoutes(),
        protection: { days: 90, extensionDays: 30, maxExtensions: 1, autoApproveWhenClear: true },
      }),
    );
    const full = {
      endCustomerTaxId: 'DE123456789',
      productLine: 'Storage',
      region: 'emea',
      description: 'Three-year refresh',
    };
    expect(await sameAsReadBack(seller, registrationBody(full))).toMatchObject({ status: 'draft', events: [{ kind: 'created' }] });
    // Clear of conflicts: approved at once, with protection and the right to ask for an extension.
    const approved = await sameAsReadBack(seller, registrationBody({ ...full, submit: true, scenario: 'upgrade', endCustomerDomain: 'initech.example' }));
    expect(approved).toMatchObject({ status: 'approved', canRequestExtension: true, protectionEndsOn: '2026-06-04' });
    expect(approved.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'submitted', 'status_changed']);
    // Another partner claims the same customer: held for review, which the partner sees as submitted,
    // and no route reviewer on 'upgrade', so every channel manager is told.
    const other = await makePartner(t.deps);
    const otherSeller = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_seller'], partnerId: other.id })).email);
    const notes = await count('notification');
    const held = await sameAsReadBack(
      otherSeller,
      registrationBody({ submit: true, scenario: 'upgrade', endCustomerName: 'Initech', endCustomerDomain: 'initech.example' }),
    );
    expect(held).toMatchObject({ status: 'submitted', canRequestExtension: false });
    expect(held.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'submitted']);
    expect(await count('notification')).toBe(notes + 1);
    const internal = await t.app.inject({ method: 'GET', url: `/api/registrations/${held.id}`, headers: channel.headers });
    expect(internal.json().internal).toMatchObject({ inConflict: true });
    // Routed to a named reviewer (consulting), held because the first partner claimed it first.
    expect(await sameAsReadBack(seller, registrationBody({ submit: true, endCustomerDomain: 'umbrella.example' }))).toMatchObject({ status: 'approved' });
    const routed = await sameAsReadBack(otherSeller, registrationBody({ submit: true, endCustomerDomain: 'umbrella.example' }));
    expect(routed).toMatchObject({ status: 'submitted', owningUnit: 'TS Consulting', reviewerName: null });
  });
});
