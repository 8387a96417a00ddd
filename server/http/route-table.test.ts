import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.ts';
import { inTransaction } from '../deps.ts';
import { notify } from '../modules/notifications/notifications.service.ts';
import { createTestApp, makePartner, makeUser, signIn, TEST_PASSWORD, type Session, type TestApp } from '../test/harness.ts';
import { publishTestRules, registrationBody, testRules } from '../modules/engagement/registrations.test-support.ts';
import { recordConflicts } from '../modules/engagement/conflicts.repository.ts';
import { insertTestRegistration, scenarioIdOf } from '../modules/engagement/conflicts.test-support.ts';

type RouteInfo = { method: string; url: string; config: unknown };
const routes: RouteInfo[] = [];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    app: {
      onRoute: (r) => {
        for (const m of Array.isArray(r.method) ? r.method : [r.method]) routes.push({ method: m.toUpperCase(), url: r.url, config: r.config });
      },
    },
  });
});
afterAll(async () => t?.close());

/** Reachable without signing in, on purpose. Adding a public route means adding it here. */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/openapi.json', 'GET /api/setup', 'POST /api/setup', 'POST /api/auth/login']);
/** HEAD routes are Fastify's automatic twins of GET routes: public exactly when the GET is. */
const isPublicByList = (r: RouteInfo) =>
  PUBLIC.has(`${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`) || r.url === '/api/docs' || r.url.startsWith('/api/docs/');

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const key = (r: RouteInfo) => `${r.method} ${r.url}`;

/** Every route's URL with each `:param` replaced by a fresh uuid and each wildcard by a plain segment. */
function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, () => randomUUID()).replace(/\*$/, 'x');
}

async function auditCount(): Promise<number> {
  const r = await t.deps.db
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function newAccount(admin: Session): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: admin.headers, payload: { name: `Customer ${randomUUID()}` } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

async function newRulesDraft(admin: Session): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/rules/versions', headers: admin.headers, payload: { from: 'default' } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

async function newPublishedRules(admin: Session): Promise<string> {
  const id = await newRulesDraft(admin);
  const r = await t.app.inject({ method: 'POST', url: `/api/rules/versions/${id}/publish`, headers: admin.headers, payload: {} });
  expect(r.statusCode, r.body).toBe(200);
  return id;
}

let registrationSeller: { partnerId: string; session: Session } | undefined;
/** A partner user with a published rule set under which the registration fixtures are eligible. */
async function partnerSeller(): Promise<{ partnerId: string; session: Session }> {
  await publishTestRules(t.deps, testRules());
  if (!registrationSeller) {
    const p = await makePartner(t.deps);
    registrationSeller = { partnerId: p.id, session: await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_seller'], partnerId: p.id })).email) };
  }
  return registrationSeller;
}

async function newRegistration(submit: boolean): Promise<{ id: string; session: Session }> {
  const { session } = await partnerSeller();
  const r = await t.app.inject({ method: 'POST', url: '/api/registrations', headers: session.headers, payload: registrationBody({ submit }) });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json<{ id: string }>().id, session };
}

async function approvedRegistration(admin: Session, withExtensionRequest: boolean): Promise<{ id: string; session: Session }> {
  const reg = await newRegistration(true);
  const a = await t.app.inject({ method: 'POST', url: `/api/registrations/${reg.id}/transition`, headers: admin.headers, payload: { action: 'approve' } });
  expect(a.statusCode, a.body).toBe(200);
  if (withExtensionRequest) {
    const e = await t.app.inject({ method: 'POST', url: `/api/registrations/${reg.id}/extension`, headers: reg.session.headers, payload: {} });
    expect(e.statusCode, e.body).toBe(200);
  }
  return reg;
}

async function newOffer(admin: Session): Promise<{ id: string; session: Session }> {
  const { partnerId, session } = await partnerSeller();
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/offers',
    headers: admin.headers,
    payload: { partnerId, scenario: 'consulting', endCustomerName: `Offered ${randomUUID()}`, valueMinor: 5_000_000, currency: 'EUR', respondBy: '2099-12-31' },
  });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json<{ id: string }>().id, session };
}

type Call = { method: string; url: string; headers?: Record<string, string>; payload?: unknown };
type Ctx = { admin: Session; adminId: string };
/**
 * One valid, successful call per mutating route. A new mutating route fails the test until it is
 * added here: each one must write exactly one audit entry.
 */
const fixtures: Record<string, (ctx: Ctx) => Promise<Call>> = {
  // Run first, against the empty database: it creates the administrator the others use.
  'POST /api/setup': async () => ({ method: 'POST', url: '/api/setup', payload: { email: 'root@vendor.test', password: TEST_PASSWORD, displayName: 'Root' } }),
  'POST /api/auth/login': async () => ({ method: 'POST', url: '/api/auth/login', payload: { email: 'root@vendor.test', password: TEST_PASSWORD } }),
  'POST /api/auth/logout': async () => {
    const s = await signIn(t.app, 'root@vendor.test');
    return { method: 'POST', url: '/api/auth/logout', headers: s.headers };
  },
  'POST /api/users': async ({ admin }) => ({
    method: 'POST',
    url: '/api/users',
    headers: admin.headers,
    payload: { email: `u-${randomUUID()}@vendor.test`, password: TEST_PASSWORD, displayName: 'New', roles: ['internal_seller'] },
  }),
  'PATCH /api/users/:id': async ({ admin }) => {
    const u = await makeUser(t.deps, { roles: ['operations'] });
    return { method: 'PATCH', url: `/api/users/${u.id}`, headers: admin.headers, payload: { displayName: 'Renamed' } };
  },
  'POST /api/api-tokens': async ({ admin }) => ({ method: 'POST', url: '/api/api-tokens', headers: admin.headers, payload: { name: 'ci', scopes: ['read'] } }),
  'DELETE /api/api-tokens/:id': async ({ admin }) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: admin.headers, payload: { name: 'to revoke', scopes: ['read'] } });
    expect(r.statusCode).toBe(201);
    return { method: 'DELETE', url: `/api/api-tokens/${r.json<{ id: string }>().id}`, headers: admin.headers };
  },
  'POST /api/partners': async ({ admin }) => ({ method: 'POST', url: '/api/partners', headers: admin.headers, payload: { name: `Partner ${randomUUID()}` } }),
  'PATCH /api/partners/:id': async ({ admin }) => {
    const p = await makePartner(t.deps);
    return { method: 'PATCH', url: `/api/partners/${p.id}`, headers: admin.headers, payload: { website: 'https://example.test' } };
  },
  'POST /api/partners/:id/contacts': async ({ admin }) => {
    const p = await makePartner(t.deps);
    return { method: 'POST', url: `/api/partners/${p.id}/contacts`, headers: admin.headers, payload: { name: 'Ada', email: 'ada@p.test' } };
  },
  'PATCH /api/partners/:id/contacts/:contactId': async ({ admin }) => {
    const p = await makePartner(t.deps);
    const c = await t.app.inject({ method: 'POST', url: `/api/partners/${p.id}/contacts`, headers: admin.headers, payload: { name: 'Bob' } });
    expect(c.statusCode).toBe(201);
    return {
      method: 'PATCH',
      url: `/api/partners/${p.id}/contacts/${c.json<{ id: string }>().id}`,
      headers: admin.headers,
      payload: { title: 'CEO', isExecutive: true },
    };
  },
  'POST /api/accounts': async ({ admin }) => ({
    method: 'POST',
    url: '/api/accounts',
    headers: admin.headers,
    payload: { name: `Customer ${randomUUID()}`, country: 'DE' },
  }),
  'PATCH /api/accounts/:id': async ({ admin }) => {
    const id = await newAccount(admin);
    return { method: 'PATCH', url: `/api/accounts/${id}`, headers: admin.headers, payload: { industry: 'Retail' } };
  },
  'POST /api/accounts/:id/ownership': async ({ admin }) => {
    const id = await newAccount(admin);
    const p = await makePartner(t.deps);
    return {
      method: 'POST',
      url: `/api/accounts/${id}/ownership`,
      headers: admin.headers,
      payload: { kind: 'channel', partnerId: p.id, startsOn: '2026-01-01' },
    };
  },
  'POST /api/notifications/:id/read': async ({ admin, adminId }) => {
    const id = await inTransaction(t.deps, systemActor('test'), (trx) => notify(trx, { userId: adminId, partnerId: null, kind: 'test', title: 'Hello' }));
    return { method: 'POST', url: `/api/notifications/${id}/read`, headers: admin.headers };
  },
  'POST /api/notifications/read-all': async ({ admin, adminId }) => {
    await inTransaction(t.deps, systemActor('test'), (trx) => notify(trx, { userId: adminId, partnerId: null, kind: 'test', title: 'Hello again' }));
    return { method: 'POST', url: '/api/notifications/read-all', headers: admin.headers };
  },
  'PUT /api/settings/engagement': async ({ admin }) => ({ method: 'PUT', url: '/api/settings/engagement', headers: admin.headers, payload: { quietDays: 60 } }),
  'POST /api/partners/reengagement/tasks/:id/close': async ({ admin }) => {
    const p = await makePartner(t.deps);
    const taskId = randomUUID();
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('partnerReactivationTask')
        .values({
          partnerReactivationTaskId: taskId,
          partnerId: p.id,
          assignedToUserId: null,
          reason: 'Quiet',
          outcome: null,
          quietSince: null,
          closedAt: null,
        })
        .execute(),
    );
    return { method: 'POST', url: `/api/partners/reengagement/tasks/${taskId}/close`, headers: admin.headers, payload: { status: 'dismissed' } };
  },
  // Rules of the road and the scenario taxonomy (engagement).
  'POST /api/scenarios': async ({ admin }) => ({
    method: 'POST',
    url: '/api/scenarios',
    headers: admin.headers,
    payload: { key: `s_${randomUUID().slice(0, 8)}`, name: 'Security assessment' },
  }),
  'PATCH /api/scenarios/:id': async ({ admin }) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/scenarios',
      headers: admin.headers,
      payload: { key: `s_${randomUUID().slice(0, 8)}`, name: 'To rename' },
    });
    expect(r.statusCode).toBe(201);
    return { method: 'PATCH', url: `/api/scenarios/${r.json<{ id: string }>().id}`, headers: admin.headers, payload: { name: 'Renamed', active: false } };
  },
  'POST /api/rules/versions': async ({ admin }) => ({ method: 'POST', url: '/api/rules/versions', headers: admin.headers, payload: { from: 'default' } }),
  'PATCH /api/rules/versions/:id': async ({ admin }) => {
    const id = await newRulesDraft(admin);
    return { method: 'PATCH', url: `/api/rules/versions/${id}`, headers: admin.headers, payload: { title: 'Renamed draft', releaseNotes: 'Notes' } };
  },
  'POST /api/rules/versions/:id/publish': async ({ admin }) => {
    const id = await newRulesDraft(admin);
    return { method: 'POST', url: `/api/rules/versions/${id}/publish`, headers: admin.headers, payload: { acknowledgeBy: null } };
  },
  'POST /api/rules/versions/:id/retire': async ({ admin }) => {
    const id = await newPublishedRules(admin);
    return { method: 'POST', url: `/api/rules/versions/${id}/retire`, headers: admin.headers };
  },
  'POST /api/rules/versions/:id/acknowledge': async ({ admin }) => {
    const id = await newPublishedRules(admin);
    return { method: 'POST', url: `/api/rules/versions/${id}/acknowledge`, headers: admin.headers };
  },
  'POST /api/registrations': async () => {
    const { session } = await partnerSeller();
    return { method: 'POST', url: '/api/registrations', headers: session.headers, payload: registrationBody({ submit: true }) };
  },
  'POST /api/registrations/bulk': async () => {
    const { session } = await partnerSeller();
    const csv = `client_reference,scenario,end_customer_name,value,currency,end_customer_country\nRT-${randomUUID()},consulting,Bulk Customer ${randomUUID()},25000.00,EUR,DE`;
    return { method: 'POST', url: '/api/registrations/bulk', headers: session.headers, payload: { csv, mode: 'all_or_nothing' } };
  },
  'PATCH /api/registrations/:id': async () => {
    const reg = await newRegistration(false);
    return { method: 'PATCH', url: `/api/registrations/${reg.id}`, headers: reg.session.headers, payload: { description: 'More detail' } };
  },
  'POST /api/registrations/:id/submit': async () => {
    const reg = await newRegistration(false);
    return { method: 'POST', url: `/api/registrations/${reg.id}/submit`, headers: reg.session.headers };
  },
  'POST /api/registrations/:id/transition': async ({ admin }) => {
    const reg = await newRegistration(true);
    return { method: 'POST', url: `/api/registrations/${reg.id}/transition`, headers: admin.headers, payload: { action: 'start_review' } };
  },
  'POST /api/registrations/:id/extension': async ({ admin }) => {
    const reg = await approvedRegistration(admin, false);
    return { method: 'POST', url: `/api/registrations/${reg.id}/extension`, headers: reg.session.headers, payload: { note: 'Board meets later' } };
  },
  'POST /api/registrations/:id/extension/decision': async ({ admin }) => {
    const reg = await approvedRegistration(admin, true);
    return { method: 'POST', url: `/api/registrations/${reg.id}/extension/decision`, headers: admin.headers, payload: { decision: 'grant' } };
  },
  'POST /api/offers': async ({ admin }) => {
    const { partnerId } = await partnerSeller();
    return {
      method: 'POST',
      url: '/api/offers',
      headers: admin.headers,
      payload: { partnerId, scenario: 'upgrade', endCustomerName: `Offer ${randomUUID()}`, valueMinor: 100_000, currency: 'EUR', respondBy: '2099-12-31' },
    };
  },
  'POST /api/offers/:id/accept': async ({ admin }) => {
    const o = await newOffer(admin);
    return { method: 'POST', url: `/api/offers/${o.id}/accept`, headers: o.session.headers, payload: {} };
  },
  'POST /api/offers/:id/decline': async ({ admin }) => {
    const o = await newOffer(admin);
    return { method: 'POST', url: `/api/offers/${o.id}/decline`, headers: o.session.headers, payload: { note: 'Not for us' } };
  },
  'POST /api/conflicts/:id/resolve': async ({ admin }) => {
    const consulting = await scenarioIdOf(t.deps, 'consulting');
    const [a, b] = [await makePartner(t.deps), await makePartner(t.deps)];
    const customer = `Contested ${randomUUID()}`;
    const existing = await insertTestRegistration(t.deps, { partnerId: a.id, scenarioId: consulting, customer });
    const fresh = await insertTestRegistration(t.deps, { partnerId: b.id, scenarioId: consulting, customer });
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      recordConflicts(trx, fresh, [{ kind: 'partner_vs_partner', otherRegistrationId: existing, accountId: null, matchReason: 'name', similarity: 1 }]),
    );
    const c = await t.deps.db
      .selectFrom('registrationConflict')
      .select('registrationConflictId')
      .where('dealRegistrationId', '=', fresh)
      .executeTakeFirstOrThrow();
    return {
      method: 'POST',
      url: `/api/conflicts/${c.registrationConflictId}/resolve`,
      headers: admin.headers,
      payload: { resolution: 'award_new', note: 'First to register' },
    };
  },
};

describe('the route table', () => {
  it('was collected', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.some((r) => r.url === '/api/partners' && r.method === 'POST')).toBe(true);
  });

  it('marks exactly the listed routes public: every other route answers 401 unauthenticated without credentials', async () => {
    const problems: string[] = [];
    for (const r of routes) {
      if (r.method === 'OPTIONS') continue;
      const res = await t.app.inject({ method: r.method as 'GET', url: concreteUrl(r.url), ...(MUTATING.has(r.method) ? { payload: {} } : {}) });
      if (isPublicByList(r)) {
        if (res.statusCode === 401) problems.push(`${key(r)} is listed public but answered 401`);
        continue;
      }
      if (res.statusCode !== 401) {
        problems.push(`${key(r)} answered ${res.statusCode} without credentials (not in the PUBLIC list of this test)`);
        continue;
      }
      if (r.method !== 'HEAD' && res.json<{ code: string }>().code !== 'unauthenticated')
        problems.push(`${key(r)} answered 401 with code ${res.json<{ code: string }>().code}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every mutating route a fixture, and each fixture call writes exactly one audit entry', async () => {
    const mutating = [...new Set(routes.filter((r) => MUTATING.has(r.method)).map(key))];
    const missing = mutating.filter((k) => !fixtures[k]);
    expect(missing, `mutating routes without a fixture in route-table.test.ts: ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(fixtures).filter((k) => !mutating.includes(k));
    expect(stale, `fixtures for routes that no longer exist: ${stale.join(', ')}`).toEqual([]);

    // Setup first: it needs the empty database and gives the administrator.
    const order = ['POST /api/setup', ...mutating.filter((k) => k !== 'POST /api/setup')];
    let ctx: Ctx | undefined;
    const problems: string[] = [];
    for (const k of order) {
      const fixture = fixtures[k];
      if (!fixture) continue;
      const call = await fixture(ctx ?? ({} as Ctx));
      const before = await auditCount();
      const res = await t.app.inject({
        method: call.method as 'POST',
        url: call.url,
        headers: call.headers ?? {},
        ...(call.payload !== undefined ? { payload: call.payload as object } : {}),
      });
      const after = await auditCount();
      if (res.statusCode >= 300) problems.push(`${k}: fixture call answered ${res.statusCode} ${res.body}`);
      else if (after - before !== 1) problems.push(`${k}: wrote ${after - before} audit entries, expected exactly 1`);
      if (k === 'POST /api/setup') {
        const admin = await signIn(t.app, 'root@vendor.test');
        ctx = { admin, adminId: res.json<{ user: { id: string } }>().user.id };
      }
    }
    expect(problems).toEqual([]);
  });
});
