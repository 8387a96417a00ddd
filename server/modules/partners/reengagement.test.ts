import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import { jobDefinitions, recurringJobs } from '../../jobs/registry.ts';
import { sweepQuietPartners } from './reengagement.service.ts';

const clock = fixedClock('2026-06-01T08:00:00Z');
let t: TestApp;
let admin: Session;
let cm1: Session;
let cm2: Session;
let cm1Id: string;
let cm2Id: string;
let cm1Email: string;
let cm2Email: string;
const P: Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5', string> = { p1: '', p2: '', p3: '', p4: '', p5: '' };
let partnerSeller: Session;

const system = systemActor('test');

async function addRegistration(partnerId: string, at: string) {
  await inTransaction(t.deps, system, async (trx) => {
    const scenario = await trx.selectFrom('scenario').select('scenarioId').where('key', '=', 'consulting').executeTakeFirstOrThrow();
    const id = newId();
    await trx
      .insertInto('dealRegistration')
      .values({
        dealRegistrationId: id,
        reference: `REG-RE-${id.slice(0, 8)}`,
        partnerId,
        submittedByUserId: null,
        clientReference: null,
        status: 'submitted',
        source: 'partner',
        scenarioId: scenario.scenarioId,
        productLine: null,
        region: null,
        endCustomerName: 'Quiet Customer',
        endCustomerNormalisedName: 'quiet customer',
        endCustomerDomain: null,
        endCustomerCountry: null,
        endCustomerTaxId: null,
        accountId: null,
        valueMinor: 1000,
        currency: 'EUR',
        expectedCloseOn: null,
        description: null,
        ruleSetVersionId: null,
        routeId: null,
        owningUnit: null,
        reviewerUserId: null,
        escalationUserId: null,
        submittedAt: new Date(at),
        slaDueAt: null,
        slaBreachedAt: null,
        firstResponseAt: null,
        decidedAt: null,
        decisionReason: null,
        protectionEndsOn: null,
        closedAt: null,
        createdAt: at,
      })
      .execute();
  });
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await signIn(t.app, (await makeUser(t.deps, { roles: ['admin'] })).email);
  const c1 = await makeUser(t.deps, { roles: ['channel_manager'], displayName: 'Carla Channel' });
  const c2 = await makeUser(t.deps, { roles: ['channel_manager'], displayName: 'Dan Channel' });
  cm1Id = c1.id;
  cm2Id = c2.id;
  cm1Email = c1.email;
  cm2Email = c2.email;
  cm1 = await signIn(t.app, c1.email);
  cm2 = await signIn(t.app, c2.email);
  for (const k of Object.keys(P) as (keyof typeof P)[]) P[k] = (await makePartner(t.deps, `Quiet ${k.toUpperCase()}`)).id;
  // Signing in above stamped real-time last_login_at on internal users only; partner rows are set by hand.
  await inTransaction(t.deps, system, async (trx) => {
    const set = (id: string, patch: Record<string, unknown>) => trx.updateTable('partner').set(patch).where('partnerId', '=', id).execute();
    await set(P.p1, { createdAt: '2025-01-01T00:00:00Z', channelManagerUserId: cm1Id, regions: ['EMEA'], specialisations: ['Managed services'] });
    await set(P.p2, { createdAt: '2025-01-01T00:00:00Z', channelManagerUserId: cm1Id, regions: ['NA'] });
    await set(P.p3, { createdAt: '2025-01-01T00:00:00Z', channelManagerUserId: cm2Id, regions: ['EMEA', 'APAC'] });
    await set(P.p4, { createdAt: '2025-01-01T00:00:00Z', status: 'inactive' });
    await set(P.p5, { createdAt: '2026-05-01T00:00:00Z' });
  });
  // P2 signed in recently; P3 last registered in January.
  const p2User = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: P.p2 });
  await inTransaction(t.deps, system, (trx) =>
    trx
      .updateTable('appUser')
      .set({ lastLoginAt: new Date('2026-05-20T10:00:00Z') })
      .where('appUserId', '=', p2User.id)
      .execute(),
  );
  await addRegistration(P.p3, '2026-01-10T12:00:00Z');
  // A seller of P1 whose sign-in we then move back into the quiet past.
  const p1User = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: P.p1 });
  partnerSeller = await signIn(t.app, p1User.email);
  await inTransaction(t.deps, system, (trx) =>
    trx
      .updateTable('appUser')
      .set({ lastLoginAt: new Date('2025-02-01T00:00:00Z') })
      .where('appUserId', '=', p1User.id)
      .execute(),
  );
});
afterAll(async () => t?.close());

const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('partner directory', () => {
  it('shows the derived last engagement and filters by region, specialisation, status and channel manager', async () => {
    const all = await t.app.inject({ method: 'GET', url: '/api/partners', headers: cm1.headers, query: { q: 'Quiet' } });
    const byName = new Map(all.json().items.map((p: { name: string; lastEngagementAt: string | null }) => [p.name, p.lastEngagementAt]));
    expect(byName.get('Quiet P1')).toBe('2025-02-01T00:00:00.000Z'); // a sign-in
    expect(byName.get('Quiet P2')).toBe('2026-05-20T10:00:00.000Z'); // a sign-in
    expect(byName.get('Quiet P3')).toBe('2026-01-10T12:00:00.000Z'); // a registration
    expect(byName.get('Quiet P5')).toBeNull();
    const list = async (query: Record<string, string>) =>
      names((await t.app.inject({ method: 'GET', url: '/api/partners', headers: cm1.headers, query: { q: 'Quiet', ...query } })).json().items);
    expect(await list({ region: 'emea' })).toEqual(['Quiet P1', 'Quiet P3']);
    expect(await list({ specialisation: 'managed services' })).toEqual(['Quiet P1']);
    expect(await list({ status: 'inactive' })).toEqual(['Quiet P4']);
    expect(await list({ channelManagerUserId: cm2Id })).toEqual(['Quiet P3']);
    const one = await t.app.inject({ method: 'GET', url: `/api/partners/${P.p1}`, headers: cm1.headers });
    expect(one.json()).toMatchObject({
      regions: ['EMEA'],
      specialisations: ['Managed services'],
      channelManagerUserId: cm1Id,
      channelManagerName: 'Carla Channel',
    });
  });

  it('assigns only channel managers as channel manager, and only vendor staff may assign', async () => {
    const seller = await makeUser(t.deps, { roles: ['internal_seller'] });
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/partners/${P.p5}`, headers: admin.headers, payload: { channelManagerUserId: seller.id } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([{ path: 'body.channelManagerUserId', message: 'must be an active internal user with the channel manager role' }]);
    const pa = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: P.p4 })).email);
    const own = await t.app.inject({ method: 'PATCH', url: `/api/partners/${P.p4}`, headers: pa.headers, payload: { channelManagerUserId: cm1Id } });
    expect(own.statusCode).toBe(403);
    const tags = await t.app.inject({
      method: 'PATCH',
      url: `/api/partners/${P.p4}`,
      headers: pa.headers,
      payload: { specialisations: ['Cloud', 'Cloud', 'Security'] },
    });
    expect(tags.statusCode, tags.body).toBe(200);
    expect(tags.json().specialisations).toEqual(['Cloud', 'Security']);
    // The partner admin's sign-in a moment ago is engagement.
    expect(tags.json().lastEngagementAt).toBe('2026-06-01T08:00:00.000Z');
  });
});

describe('re-engagement', () => {
  it('lists partners quiet for 90 days by default, and a channel manager sees theirs', async () => {
    const quiet = await t.app.inject({ method: 'GET', url: '/api/partners/quiet', headers: cm1.headers });
    expect(quiet.statusCode, quiet.body).toBe(200);
    expect(quiet.json().quietDays).toBe(90);
    // P1: last sign-in 2025-02-01; P3: last registration 2026-01-10 (142 days). P2 signed in 12 days ago,
    // P4 is inactive, P5 was added 31 days ago.
    expect(quiet.json().items.map((p: { name: string; quietForDays: number }) => [p.name, p.quietForDays])).toEqual([
      ['Quiet P1', 485],
      ['Quiet P3', 141],
    ]);
    const mine = await t.app.inject({ method: 'GET', url: '/api/partners/quiet', headers: cm1.headers, query: { mine: 'true' } });
    expect(names(mine.json().items)).toEqual(['Quiet P1']);
  });

  it('administrators set the quiet period; others may not', async () => {
    const refused = await t.app.inject({ method: 'PUT', url: '/api/settings/engagement', headers: cm1.headers, payload: { quietDays: 30 } });
    expect(refused.statusCode).toBe(403);
    const tooShort = await t.app.inject({ method: 'PUT', url: '/api/settings/engagement', headers: admin.headers, payload: { quietDays: 1 } });
    expect(tooShort.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'PUT', url: '/api/settings/engagement', headers: admin.headers, payload: { quietDays: 30 } });
    expect(ok.json()).toEqual({ quietDays: 30 });
    expect((await t.app.inject({ method: 'GET', url: '/api/settings/engagement', headers: cm2.headers })).json()).toEqual({ quietDays: 30 });
    const quiet = await t.app.inject({ method: 'GET', url: '/api/partners/quiet', headers: cm1.headers });
    expect(names(quiet.json().items)).toEqual(['Quiet P1', 'Quiet P3', 'Quiet P5']);
  });

  it('the sweep opens one task per quiet partner for its channel manager, notifies them, and is idempotent', async () => {
    expect(recurringJobs).toContainEqual({ name: 'partners.sweep-quiet-partners', everySeconds: 6 * 3600 });
    const job = jobDefinitions.find((j) => j.name === 'partners.sweep-quiet-partners');
    await job?.handler(t.deps, {}, { jobId: newId(), attempt: 1 });
    expect(await sweepQuietPartners(t.deps, system)).toEqual({ opened: 0, closed: 0 });
    const mine = await t.app.inject({ method: 'GET', url: '/api/partners/reengagement/tasks', headers: cm1.headers, query: { mine: 'true' } });
    expect(mine.json().items.map((x: { partnerName: string; status: string }) => [x.partnerName, x.status])).toEqual([['Quiet P1', 'open']]);
    expect(mine.json().items[0].createdAt).toBe('2026-06-01T08:00:00.000Z');
    const notes = await t.app.inject({ method: 'GET', url: '/api/notifications', headers: cm1.headers });
    expect(notes.json().items.map((n: { title: string }) => n.title)).toContain('Quiet P1 has gone quiet');
    const all = await t.app.inject({ method: 'GET', url: '/api/partners/reengagement/tasks', headers: admin.headers, query: { status: 'open' } });
    expect(all.json().total).toBe(3);
    const audits = await t.deps.db.selectFrom('auditEntry').select('action').where('action', '=', 'partner_reactivation_task.create').execute();
    expect(audits).toHaveLength(3);
  });

  it('tasks are internal: partners get 403 from the routes and RLS shows them no rows', async () => {
    for (const url of ['/api/partners/reengagement/tasks', '/api/partners/quiet', '/api/partners/reengagement/summary?from=2026-01-01&to=2026-07-01']) {
      expect((await t.app.inject({ method: 'GET', url, headers: partnerSeller.headers })).statusCode, url).toBe(403);
    }
    const seen = await inTransaction(
      t.deps,
      { kind: 'user', userId: newId(), email: 'x@p.test', displayName: 'x', partnerId: P.p1, roles: ['partner_admin'], via: 'session', requestId: null },
      (trx) => trx.selectFrom('partnerReactivationTask').select('partnerReactivationTaskId').execute(),
    );
    expect(seen).toEqual([]);
    await expect(
      inTransaction(
        t.deps,
        { kind: 'user', userId: newId(), email: 'x@p.test', displayName: 'x', partnerId: P.p1, roles: ['partner_admin'], via: 'session', requestId: null },
        (trx) => sql`insert into partner_reactivation_task (partner_reactivation_task_id, partner_id, reason) values (${newId()}, ${P.p1}, 'x')`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('closing: the assignee closes theirs with an outcome; others may not; twice is a conflict', async () => {
    const tasks = (await t.app.inject({ method: 'GET', url: '/api/partners/reengagement/tasks', headers: admin.headers, query: { status: 'open' } })).json()
      .items;
    const p1Task = tasks.find((x: { partnerId: string }) => x.partnerId === P.p1).id as string;
    const close = (s: Session, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/partners/reengagement/tasks/${p1Task}/close`, headers: s.headers, payload });
    expect((await close(cm2, { status: 'dismissed' })).statusCode).toBe(403);
    expect((await close(cm1, { status: 'done' })).statusCode).toBe(400);
    const done = await close(cm1, { status: 'done', outcome: 'Called the MD; a pipeline review is booked.' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', closedAt: '2026-06-01T08:00:00.000Z', outcome: 'Called the MD; a pipeline review is booked.' });
    expect((await close(cm1, { status: 'dismissed' })).statusCode).toBe(409);
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/partners/reengagement/tasks/${newId()}/close`,
      headers: admin.headers,
      payload: { status: 'dismissed' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('counts a partner as reactivated when it registers after its task was opened, and the sweep closes that task', async () => {
    clock.set('2026-06-10T08:00:00Z');
    cm1 = await signIn(t.app, cm1Email);
    cm2 = await signIn(t.app, cm2Email);
    await addRegistration(P.p3, '2026-06-05T09:00:00Z');
    const summary = await t.app.inject({
      method: 'GET',
      url: '/api/partners/reengagement/summary',
      headers: cm1.headers,
      query: { from: '2026-05-01', to: '2026-07-01' },
    });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toMatchObject({
      quietDays: 30,
      // P1 (task done, still quiet) and P5; P3 engaged again on 06-05
      quietCount: 2,
      openTasks: 2, // P3 (until the sweep runs) and P5
      reactivatedInPeriod: 1,
      byMonth: [
        { month: '2026-05', tasksOpened: 0, reactivated: 0 },
        { month: '2026-06', tasksOpened: 3, reactivated: 1 },
      ],
    });
    expect(summary.json().byChannelManager).toEqual([
      { userId: cm1Id, name: 'Carla Channel', quiet: 1, openTasks: 0, reactivated: 0 },
      { userId: cm2Id, name: 'Dan Channel', quiet: 0, openTasks: 1, reactivated: 1 },
      { userId: null, name: null, quiet: 1, openTasks: 1, reactivated: 0 },
    ]);
    // A registration before the period does not count in it.
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/partners/reengagement/summary',
      headers: cm1.headers,
      query: { from: '2026-06-06', to: '2026-07-01' },
    });
    expect(before.json().reactivatedInPeriod).toBe(0);

    expect(await sweepQuietPartners(t.deps, system)).toEqual({ opened: 0, closed: 1 });
    const p3 = (await t.app.inject({ method: 'GET', url: '/api/partners/reengagement/tasks', headers: cm2.headers, query: { mine: 'true' } })).json().items[0];
    expect(p3).toMatchObject({
      status: 'done',
      reactivatedAt: '2026-06-05T09:00:00.000Z',
      outcome: 'Reactivated: the partner submitted a registration on 2026-06-05.',
    });
  });
});
