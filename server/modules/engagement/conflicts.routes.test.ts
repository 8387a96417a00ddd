import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictDetail, ConflictHeatmap, ConflictList } from '../../../common/api/engagement-conflicts.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import { recordConflicts } from './conflicts.repository.ts';
import { insertTestRegistration, scenarioIdOf } from './conflicts.test-support.ts';

let t: TestApp;
let consulting: string;
let partnerA: { id: string };
let partnerB: { id: string };
const sessions = new Map<Role, Session>();

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2026-06-15T10:00:00Z') });
  consulting = await scenarioIdOf(t.deps, 'consulting');
  partnerA = await makePartner(t.deps);
  partnerB = await makePartner(t.deps);
  const roles: Role[] = [
    'channel_manager',
    'programme_lead',
    'admin',
    'executive',
    'internal_seller',
    'operations',
    'delivery',
    'comp_admin',
    'finance',
    'auditor',
  ];
  for (const role of roles) sessions.set(role, await signIn(t.app, (await makeUser(t.deps, { roles: [role] })).email));
  sessions.set('partner_admin', await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: partnerA.id })).email));
  sessions.set('partner_seller', await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_seller'], partnerId: partnerB.id })).email));
});
afterAll(async () => t?.close());

function headers(role: Role): Record<string, string> {
  const s = sessions.get(role);
  if (!s) throw new Error(`no session for ${role}`);
  return s.headers;
}

async function newConflict(): Promise<string> {
  const customer = `Routes ${Math.random().toString(36).slice(2, 8)}`;
  const existing = await insertTestRegistration(t.deps, { partnerId: partnerB.id, scenarioId: consulting, customer });
  const fresh = await insertTestRegistration(t.deps, { partnerId: partnerA.id, scenarioId: consulting, customer });
  await inTransaction(t.deps, systemActor('test'), (trx) =>
    recordConflicts(trx, fresh, [{ kind: 'partner_vs_partner', otherRegistrationId: existing, accountId: null, matchReason: 'name', similarity: 1 }]),
  );
  const row = await t.deps.db
    .selectFrom('registrationConflict')
    .select('registrationConflictId')
    .where('dealRegistrationId', '=', fresh)
    .executeTakeFirstOrThrow();
  return row.registrationConflictId;
}

describe('/api/conflicts', () => {
  it('lets channel managers, the programme lead and admins list, read and resolve', async () => {
    for (const role of ['channel_manager', 'programme_lead', 'admin'] as const) {
      const id = await newConflict();
      const list = await t.app.inject({ method: 'GET', url: '/api/conflicts?status=open', headers: headers(role) });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json<ConflictList>().items.some((i) => i.id === id)).toBe(true);
      const one = await t.app.inject({ method: 'GET', url: `/api/conflicts/${id}`, headers: headers(role) });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json<ConflictDetail>().other?.partnerId).toBe(partnerB.id);
      const map = await t.app.inject({ method: 'GET', url: '/api/conflicts/heatmap', headers: headers(role) });
      expect(map.statusCode, map.body).toBe(200);
      expect(map.json<ConflictHeatmap>().customers.length).toBeGreaterThan(0);
      const done = await t.app.inject({
        method: 'POST',
        url: `/api/conflicts/${id}/resolve`,
        headers: headers(role),
        payload: { resolution: 'share', note: `Shared by ${role}` },
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json<ConflictDetail>()).toMatchObject({ status: 'resolved', resolution: 'share' });
    }
  });

  it('answers 403 to other internal roles and 404 to partner users on every route', async () => {
    const id = await newConflict();
    const calls = [
      { method: 'GET' as const, url: '/api/conflicts' },
      { method: 'GET' as const, url: '/api/conflicts/heatmap' },
      { method: 'GET' as const, url: `/api/conflicts/${id}` },
      { method: 'POST' as const, url: `/api/conflicts/${id}/resolve`, payload: { resolution: 'award_new', note: 'n' } },
    ];
    for (const role of ['executive', 'internal_seller', 'operations', 'delivery', 'comp_admin', 'finance', 'auditor'] as const) {
      for (const c of calls) {
        const r = await t.app.inject({ ...c, headers: headers(role) });
        expect(r.statusCode, `${role} ${c.method} ${c.url}`).toBe(403);
      }
    }
    for (const role of ['partner_admin', 'partner_seller'] as const) {
      for (const c of calls) {
        const r = await t.app.inject({ ...c, headers: headers(role) });
        expect(r.statusCode, `${role} ${c.method} ${c.url}`).toBe(404);
      }
    }
    const still = await t.app.inject({ method: 'GET', url: `/api/conflicts/${id}`, headers: headers('channel_manager') });
    expect(still.json<ConflictDetail>().status).toBe('open');
  });

  it('validates the body, answers 404 for an unknown conflict and 409 for a resolved one', async () => {
    const id = await newConflict();
    const h = headers('channel_manager');
    const noNote = await t.app.inject({ method: 'POST', url: `/api/conflicts/${id}/resolve`, headers: h, payload: { resolution: 'share' } });
    expect(noNote.statusCode).toBe(400);
    const blank = await t.app.inject({ method: 'POST', url: `/api/conflicts/${id}/resolve`, headers: h, payload: { resolution: 'share', note: '   ' } });
    expect(blank.statusCode).toBe(400);
    const long = await t.app.inject({
      method: 'POST',
      url: `/api/conflicts/${id}/resolve`,
      headers: h,
      payload: { resolution: 'share', note: 'x'.repeat(2001) },
    });
    expect(long.statusCode).toBe(400);
    const bad = await t.app.inject({ method: 'POST', url: `/api/conflicts/${id}/resolve`, headers: h, payload: { resolution: 'toss_a_coin', note: 'n' } });
    expect(bad.statusCode).toBe(400);
    const extra = await t.app.inject({ method: 'POST', url: `/api/conflicts/${id}/resolve`, headers: h, payload: { resolution: 'share', note: 'n', x: 1 } });
    expect(extra.statusCode).toBe(400);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/conflicts/00000000-0000-4000-8000-000000000000/resolve',
      headers: h,
      payload: { resolution: 'share', note: 'n' },
    });
    expect(unknown.statusCode).toBe(404);
    const badPeriod = await t.app.inject({ method: 'GET', url: '/api/conflicts/heatmap?from=2026-02-01&to=2026-01-01', headers: h });
    expect(badPeriod.statusCode).toBe(400);

    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/conflicts/${id}/resolve`,
      headers: h,
      payload: { resolution: 'dismissed', note: 'False positive' },
    });
    expect(ok.statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: `/api/conflicts/${id}/resolve`, headers: h, payload: { resolution: 'share', note: 'Again' } });
    expect(again.statusCode).toBe(409);
  });

  it('gives one effect when two channel managers resolve at once: one 200, one 409', async () => {
    const id = await newConflict();
    const other = await signIn(t.app, (await makeUser(t.deps, { roles: ['channel_manager'] })).email);
    const [a, b] = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: `/api/conflicts/${id}/resolve`,
        headers: headers('channel_manager'),
        payload: { resolution: 'award_new', note: 'A' },
      }),
      t.app.inject({ method: 'POST', url: `/api/conflicts/${id}/resolve`, headers: other.headers, payload: { resolution: 'award_existing', note: 'B' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = (a.statusCode === 200 ? a : b).json<ConflictDetail>();
    const audits = await t.deps.db.selectFrom('auditEntry').select('entityId').where('action', '=', 'conflict.resolve').where('entityId', '=', id).execute();
    expect(audits).toHaveLength(1);
    const detail = await t.app.inject({ method: 'GET', url: `/api/conflicts/${id}`, headers: headers('admin') });
    expect(detail.json<ConflictDetail>().resolution).toBe(winner.resolution);
  });
});
