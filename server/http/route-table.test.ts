import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.ts';
import { inTransaction } from '../deps.ts';
import { notify } from '../modules/notifications/notifications.service.ts';
import { createTestApp, makePartner, makeUser, signIn, TEST_PASSWORD, type Session, type TestApp } from '../test/harness.ts';
import { publishTestRules, registrationBody, testRules } from '../modules/engagement/registrations.test-support.ts';
import { recordConflicts } from '../modules/engagement/conflicts.repository.ts';
import { insertTestRegistration, scenarioIdOf } from '../modules/engagement/conflicts.test-support.ts';
import { createParticipant } from '../modules/comp-plans/comp-plans.service.ts';
import {
  approvedPlanVersion,
  makeApprovers,
  planDoc,
  publishedPlanVersion,
  submittedPlanVersion,
  type Approvers,
} from '../modules/comp-plans/comp-plans.test-support.ts';
import { sellerWithPlan } from '../modules/comp-plans/rollout.test-support.ts';
import { closePeriod, createPeriod } from '../modules/commissions/close.service.ts';
import { defaultTierRulesInput } from '../../common/scorecards/tier-rules.ts';

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

/**
 * POST routes that change nothing (`config.readOnly`: a calculation with a structured body). Their
 * fixture call must succeed and write no audit entry. Marking a route read-only means adding it here.
 */
const READ_ONLY = new Set(['POST /api/comp/estimates']);
const isMarkedReadOnly = (r: RouteInfo) => (r.config as { readOnly?: unknown } | undefined)?.readOnly === true;

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

let compApprovers: Approvers | undefined;
async function approvers(): Promise<Approvers> {
  compApprovers ??= await makeApprovers(t.deps);
  return compApprovers;
}

async function newCompPlan(admin: Session): Promise<{ planId: string; versionId: string }> {
  const r = await t.app.inject({ method: 'POST', url: '/api/comp/plans', headers: admin.headers, payload: { document: planDoc() } });
  expect(r.statusCode, r.body).toBe(201);
  const v = r.json<{ id: string; planId: string }>();
  return { planId: v.planId, versionId: v.id };
}

async function newParticipant(): Promise<string> {
  const p = await createParticipant(t.deps, systemActor('test'), {
    externalRef: `EMP-${randomUUID()}`,
    displayName: 'Pat Participant',
    email: null,
    appUserId: null,
    managerId: null,
    team: null,
    unit: null,
    territory: null,
    activeFrom: null,
    activeTo: null,
  });
  return p.id;
}

async function newAssignment(admin: Session): Promise<string> {
  const { planId } = await newCompPlan(admin);
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/comp/assignments',
    headers: admin.headers,
    payload: { participantId: await newParticipant(), planId, effectiveFrom: '2027-01-01' },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

/** A signed-in seller who is a recipient of a freshly published plan's rollout. */
async function rolloutSeller() {
  const s = await sellerWithPlan(t.deps);
  return { ...s, session: await signIn(t.app, s.email) };
}

/** A valid metric definition under a fresh key. */
/** A valid scorecard definition under a fresh key. */
function scorecardCard() {
  return {
    key: `c_${randomUUID().slice(0, 8)}`,
    name: 'Win rate card',
    owner: 'Sales operations',
    subjectKind: 'seller',
    periodGrain: 'quarter',
    rows: [{ metric: 'win_rate', target: 0.6, redFlag: 0.4 }],
    audiences: [{ kind: 'internal' }],
  };
}

async function newScorecardCard(admin: Session): Promise<ReturnType<typeof scorecardCard>> {
  const c = scorecardCard();
  const r = await t.app.inject({ method: 'POST', url: '/api/scorecards/definitions', headers: admin.headers, payload: c });
  expect(r.statusCode, r.body).toBe(201);
  return c;
}

async function newScorecardDraft(admin: Session): Promise<string> {
  const c = await newScorecardCard(admin);
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/scorecards/snapshots',
    headers: admin.headers,
    payload: { scorecard: c.key, period: '2026-02-01' },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

function scorecardMetric() {
  return {
    key: `m_${randomUUID().slice(0, 8)}`,
    name: 'Lost deals',
    owner: 'Sales operations',
    unit: 'count',
    direction: 'lower_is_better',
    source: 'opportunities',
    measure: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'lost' }] },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller'],
  };
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
  'PUT /api/comp/settings': async ({ admin }) => ({ method: 'PUT', url: '/api/comp/settings', headers: admin.headers, payload: { payoutCeilingMinor: null } }),
  'POST /api/comp/plans': async ({ admin }) => ({ method: 'POST', url: '/api/comp/plans', headers: admin.headers, payload: { document: planDoc() } }),
  'POST /api/comp/plans/:id/versions': async ({ admin }) => {
    const { planId } = await publishedPlanVersion(t.deps, await approvers());
    return { method: 'POST', url: `/api/comp/plans/${planId}/versions`, headers: admin.headers, payload: { changeNote: 'Next year' } };
  },
  'PUT /api/comp/versions/:id': async ({ admin }) => {
    const { versionId } = await newCompPlan(admin);
    return { method: 'PUT', url: `/api/comp/versions/${versionId}`, headers: admin.headers, payload: { changeNote: 'Reworded' } };
  },
  'POST /api/comp/versions/:id/submit': async ({ admin }) => {
    const { versionId } = await newCompPlan(admin);
    return { method: 'POST', url: `/api/comp/versions/${versionId}/submit`, headers: admin.headers };
  },
  'POST /api/comp/versions/:id/approve': async ({ admin }) => {
    const { versionId } = await submittedPlanVersion(t.deps, await approvers());
    return { method: 'POST', url: `/api/comp/versions/${versionId}/approve`, headers: admin.headers, payload: { step: 'comp_admin' } };
  },
  'POST /api/comp/versions/:id/reject': async ({ admin }) => {
    const { versionId } = await submittedPlanVersion(t.deps, await approvers());
    return { method: 'POST', url: `/api/comp/versions/${versionId}/reject`, headers: admin.headers, payload: { step: 'comp_admin', comment: 'Cap too high' } };
  },
  'POST /api/comp/versions/:id/withdraw': async ({ admin }) => {
    const { versionId } = await submittedPlanVersion(t.deps, await approvers());
    return { method: 'POST', url: `/api/comp/versions/${versionId}/withdraw`, headers: admin.headers };
  },
  'POST /api/comp/versions/:id/publish': async ({ admin }) => {
    const { versionId } = await approvedPlanVersion(t.deps, await approvers());
    return { method: 'POST', url: `/api/comp/versions/${versionId}/publish`, headers: admin.headers };
  },
  'POST /api/comp/participants': async ({ admin }) => ({
    method: 'POST',
    url: '/api/comp/participants',
    headers: admin.headers,
    payload: { externalRef: `EMP-${randomUUID()}`, displayName: 'Sam Seller', team: 'DACH' },
  }),
  'PATCH /api/comp/participants/:id': async ({ admin }) => ({
    method: 'PATCH',
    url: `/api/comp/participants/${await newParticipant()}`,
    headers: admin.headers,
    payload: { territory: 'Bavaria' },
  }),
  'DELETE /api/comp/participants/:id': async ({ admin }) => ({
    method: 'DELETE',
    url: `/api/comp/participants/${await newParticipant()}`,
    headers: admin.headers,
  }),
  'POST /api/comp/assignments': async ({ admin }) => {
    const { planId } = await newCompPlan(admin);
    return {
      method: 'POST',
      url: '/api/comp/assignments',
      headers: admin.headers,
      payload: { participantId: await newParticipant(), planId, effectiveFrom: '2027-01-01' },
    };
  },
  'PATCH /api/comp/assignments/:id': async ({ admin }) => ({
    method: 'PATCH',
    url: `/api/comp/assignments/${await newAssignment(admin)}`,
    headers: admin.headers,
    payload: { effectiveTo: '2028-01-01' },
  }),
  'DELETE /api/comp/assignments/:id': async ({ admin }) => ({
    method: 'DELETE',
    url: `/api/comp/assignments/${await newAssignment(admin)}`,
    headers: admin.headers,
  }),
  // Plan rollouts: the participant's side, then the comp admin's.
  'POST /api/comp/rollout-recipients/:id/open': async () => {
    const s = await rolloutSeller();
    return { method: 'POST', url: `/api/comp/rollout-recipients/${s.recipientId}/open`, headers: s.session.headers };
  },
  'POST /api/comp/rollout-recipients/:id/acknowledge': async () => {
    const s = await rolloutSeller();
    return { method: 'POST', url: `/api/comp/rollout-recipients/${s.recipientId}/acknowledge`, headers: s.session.headers };
  },
  'POST /api/comp/rollout-recipients/:id/dispute': async () => {
    const s = await rolloutSeller();
    return { method: 'POST', url: `/api/comp/rollout-recipients/${s.recipientId}/dispute`, headers: s.session.headers, payload: { comment: 'Quota too high' } };
  },
  'POST /api/comp/rollout-recipients/:id/resolve': async ({ admin }) => {
    const s = await rolloutSeller();
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/comp/rollout-recipients/${s.recipientId}/dispute`,
      headers: s.session.headers,
      payload: { comment: 'Why?' },
    });
    expect(r.statusCode, r.body).toBe(200);
    return { method: 'POST', url: `/api/comp/rollout-recipients/${s.recipientId}/resolve`, headers: admin.headers, payload: { comment: 'Because.' } };
  },
  'PATCH /api/comp/rollouts/:id': async ({ admin }) => {
    const s = await sellerWithPlan(t.deps);
    return { method: 'PATCH', url: `/api/comp/rollouts/${s.rolloutId}`, headers: admin.headers, payload: { reminderEveryDays: 5 } };
  },
  'PUT /api/comp/quotas': async ({ admin }) => ({
    method: 'PUT',
    url: '/api/comp/quotas',
    headers: admin.headers,
    payload: {
      rows: [{ participantId: await newParticipant(), periodStart: '2027-01-01', periodEnd: '2027-04-01', amountMinor: 10_000_000, currency: 'EUR' }],
    },
  }),
  // Scorecards: the metric library and activities.
  'POST /api/scorecards/metrics': async ({ admin }) => ({ method: 'POST', url: '/api/scorecards/metrics', headers: admin.headers, payload: scorecardMetric() }),
  'PUT /api/scorecards/metrics/:key': async ({ admin }) => {
    const m = scorecardMetric();
    const r = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: admin.headers, payload: m });
    expect(r.statusCode, r.body).toBe(201);
    return { method: 'PUT', url: `/api/scorecards/metrics/${m.key}`, headers: admin.headers, payload: { ...m, name: 'Renamed metric' } };
  },
  'DELETE /api/scorecards/metrics/:key': async ({ admin }) => {
    const m = scorecardMetric();
    const r = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: admin.headers, payload: m });
    expect(r.statusCode, r.body).toBe(201);
    return { method: 'DELETE', url: `/api/scorecards/metrics/${m.key}`, headers: admin.headers };
  },
  'POST /api/scorecards/activities': async ({ admin }) => {
    const p = await makePartner(t.deps);
    return {
      method: 'POST',
      url: '/api/scorecards/activities',
      headers: admin.headers,
      payload: { kind: 'enablement_session', partnerId: p.id, occurredOn: '2026-02-01' },
    };
  },
  'POST /api/scorecards/activities/import': async ({ admin }) => {
    const ref = `SC-${randomUUID()}`;
    await createParticipant(t.deps, systemActor('test'), {
      externalRef: ref,
      displayName: 'Activity Seller',
      email: null,
      appUserId: null,
      managerId: null,
      team: null,
      unit: null,
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    const csv = `kind,participant_ref,occurred_on,quantity\njoint_partner_call,${ref},2026-02-02,2`;
    return { method: 'POST', url: '/api/scorecards/activities/import', headers: admin.headers, payload: { csv } };
  },
  // Scorecards: definitions and publication snapshots.
  'POST /api/scorecards/definitions': async ({ admin }) => ({
    method: 'POST',
    url: '/api/scorecards/definitions',
    headers: admin.headers,
    payload: scorecardCard(),
  }),
  'PUT /api/scorecards/definitions/:key': async ({ admin }) => {
    const c = await newScorecardCard(admin);
    return { method: 'PUT', url: `/api/scorecards/definitions/${c.key}`, headers: admin.headers, payload: { ...c, name: 'Renamed card' } };
  },
  'DELETE /api/scorecards/definitions/:key': async ({ admin }) => {
    const c = await newScorecardCard(admin);
    return { method: 'DELETE', url: `/api/scorecards/definitions/${c.key}`, headers: admin.headers };
  },
  'POST /api/scorecards/snapshots': async ({ admin }) => {
    const c = await newScorecardCard(admin);
    return { method: 'POST', url: '/api/scorecards/snapshots', headers: admin.headers, payload: { scorecard: c.key, period: '2026-02-01', publish: true } };
  },
  'POST /api/scorecards/snapshots/:id/publish': async ({ admin }) => ({
    method: 'POST',
    url: `/api/scorecards/snapshots/${await newScorecardDraft(admin)}/publish`,
    headers: admin.headers,
  }),
  'PATCH /api/scorecards/opportunities/:id/forecast-category': async ({ admin }) => {
    const seller = await newParticipant();
    const id = randomUUID();
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('opportunity')
        .values({ opportunityId: id, source: 'test', externalId: id, sellerParticipantId: seller, stage: 'engaging', engageOn: '2026-01-05', currency: 'USD' })
        .execute(),
    );
    return { method: 'PATCH', url: `/api/scorecards/opportunities/${id}/forecast-category`, headers: admin.headers, payload: { forecastCategory: 'commit' } };
  },
  'PUT /api/scorecards/tier-rules': async ({ admin }) => ({
    method: 'PUT',
    url: '/api/scorecards/tier-rules',
    headers: admin.headers,
    payload: defaultTierRulesInput,
  }),
  'PUT /api/scorecards/tier-compliance/partners/:partnerId/attributes': async ({ admin }) => ({
    method: 'PUT',
    url: `/api/scorecards/tier-compliance/partners/${(await makePartner(t.deps)).id}/attributes`,
    headers: admin.headers,
    payload: { values: [{ key: 'certified_people', value: 3 }] },
  }),
  'DELETE /api/scorecards/snapshots/:id': async ({ admin }) => ({
    method: 'DELETE',
    url: `/api/scorecards/snapshots/${await newScorecardDraft(admin)}`,
    headers: admin.headers,
  }),
  'PUT /api/scorecards/definitions/:key/targets': async ({ admin }) => ({
    method: 'PUT',
    url: `/api/scorecards/definitions/${(await newScorecardCard(admin)).key}/targets`,
    headers: admin.headers,
    payload: { targets: [{ metric: 'win_rate', subjectKind: 'programme', subject: 'programme', target: 0.7, redFlag: 0.5 }] },
  }),
  'POST /api/scorecards/definitions/:key/targets/import': async ({ admin }) => ({
    method: 'POST',
    url: `/api/scorecards/definitions/${(await newScorecardCard(admin)).key}/targets/import`,
    headers: admin.headers,
    payload: { csv: 'metric,subject_kind,subject,target,red_flag\nwin_rate,programme,programme,0.7,0.5\n' },
  }),
  'DELETE /api/scorecards/definitions/:key/targets/:id': async ({ admin }) => {
    const c = await newScorecardCard(admin);
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/scorecards/definitions/${c.key}/targets`,
      headers: admin.headers,
      payload: { targets: [{ metric: 'win_rate', subjectKind: 'programme', subject: 'programme', target: 0.7, redFlag: 0.5 }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    return {
      method: 'DELETE',
      url: `/api/scorecards/definitions/${c.key}/targets/${r.json<{ items: { id: string }[] }>().items[0]?.id ?? ''}`,
      headers: admin.headers,
    };
  },
  // Commissions: the transaction store and its imports.
  'POST /api/comp/transaction-imports': async ({ admin }) => ({
    method: 'POST',
    url: '/api/comp/transaction-imports?sourceName=fixture.csv',
    headers: { ...admin.headers, 'content-type': 'text/csv' },
    payload: await transactionCsv(),
  }),
  'POST /api/comp/transaction-imports/:id/validate': async ({ admin }) => {
    const up = await uploadedTransactions(admin);
    return { method: 'POST', url: `/api/comp/transaction-imports/${up.id}/validate`, headers: admin.headers, payload: { mapping: up.mapping } };
  },
  'POST /api/comp/transaction-imports/:id/commit': async ({ admin }) => {
    const up = await uploadedTransactions(admin);
    const v = await t.app.inject({
      method: 'POST',
      url: `/api/comp/transaction-imports/${up.id}/validate`,
      headers: admin.headers,
      payload: { mapping: up.mapping },
    });
    expect(v.statusCode, v.body).toBe(200);
    return { method: 'POST', url: `/api/comp/transaction-imports/${up.id}/commit`, headers: admin.headers, payload: { mode: 'good_rows' } };
  },
  'POST /api/comp/transactions': async ({ admin }) => ({
    method: 'POST',
    url: '/api/comp/transactions',
    headers: { ...admin.headers, 'idempotency-key': randomUUID() },
    payload: {
      mode: 'all_or_nothing',
      rows: [
        {
          transaction_id: `TX-${randomUUID()}`,
          kind: 'booking',
          recognised_on: '2026-02-03',
          amount: '1200.00',
          currency: 'EUR',
          sellers: await transactionSeller(),
        },
      ],
    },
  }),
  // Commissions: plan simulation against the store.
  'POST /api/comp/simulations': async ({ admin }) => {
    const baseline = await publishedPlanVersion(t.deps, await approvers());
    const candidate = await publishedPlanVersion(t.deps, await approvers());
    return {
      method: 'POST',
      url: '/api/comp/simulations',
      headers: admin.headers,
      payload: { baselineVersionId: baseline.versionId, candidateVersionIds: [candidate.versionId], period: '2026-Q1' },
    };
  },
  // Commissions: period runs (queued as a job).
  'POST /api/comp/runs': async ({ admin }) => ({
    method: 'POST',
    url: '/api/comp/runs',
    headers: admin.headers,
    payload: { periodStart: '2026-01-01', periodEnd: '2026-04-01' },
  }),
  // Commissions: closing, restating and approving periods.
  'POST /api/comp/periods': async ({ admin }) => {
    const { start, end } = fixtureQuarter();
    return { method: 'POST', url: '/api/comp/periods', headers: admin.headers, payload: { periodStart: start, periodEnd: end } };
  },
  'POST /api/comp/periods/:id/close': async ({ admin }) => {
    const { start, end } = fixtureQuarter();
    const period = await createPeriod(t.deps, systemActor('test'), { periodStart: start, periodEnd: end });
    return { method: 'POST', url: `/api/comp/periods/${period.id}/close`, headers: admin.headers, payload: { runId: await completedFixtureRun(start, end) } };
  },
  'POST /api/comp/periods/:id/restate': async ({ admin }) => {
    const period = await closedFixturePeriod();
    const next = fixtureQuarter();
    await createPeriod(t.deps, systemActor('test'), { periodStart: next.start, periodEnd: next.end });
    const runId = await completedFixtureRun(period.periodStart, period.periodEnd);
    return { method: 'POST', url: `/api/comp/periods/${period.id}/restate`, headers: admin.headers, payload: { runId } };
  },
  'POST /api/comp/periods/:id/approve': async ({ admin }) => {
    const period = await closedFixturePeriod();
    return { method: 'POST', url: `/api/comp/periods/${period.id}/approve`, headers: admin.headers, payload: {} };
  },
  // Commissions: disputes (a partner's case on its own registration; an administrator handles it).
  'POST /api/comp/disputes': async () => ({
    method: 'POST',
    url: '/api/comp/disputes',
    headers: (await partnerSeller()).session.headers,
    payload: { subject: 'Credit missing', description: 'Registered first.', registrationId: (await newRegistration(true)).id },
  }),
  'POST /api/comp/disputes/:id/assign': async ({ admin, adminId }) => ({
    method: 'POST',
    url: `/api/comp/disputes/${await newDispute()}/assign`,
    headers: admin.headers,
    payload: { assigneeUserId: adminId },
  }),
  'POST /api/comp/disputes/:id/comments': async ({ admin }) => ({
    method: 'POST',
    url: `/api/comp/disputes/${await newDispute()}/comments`,
    headers: admin.headers,
    payload: { body: 'Checking.', internal: true },
  }),
  'POST /api/comp/disputes/:id/link': async ({ admin }) => {
    const reg = await newRegistration(true);
    const [a, b] = [await newDispute(reg.id), await newDispute(reg.id)];
    return { method: 'POST', url: `/api/comp/disputes/${a}/link`, headers: admin.headers, payload: { kind: 'case', disputeId: b } };
  },
  'POST /api/comp/disputes/:id/transition': async ({ admin }) => ({
    method: 'POST',
    url: `/api/comp/disputes/${await newDispute()}/transition`,
    headers: admin.headers,
    payload: { action: 'start_review' },
  }),
  'POST /api/comp/disputes/:id/resolve': async ({ admin }) => ({
    method: 'POST',
    url: `/api/comp/disputes/${await newDispute()}/resolve`,
    headers: admin.headers,
    payload: { note: 'Credit confirmed.' },
  }),
  'POST /api/comp/disputes/:id/reject': async ({ admin }) => ({
    method: 'POST',
    url: `/api/comp/disputes/${await newDispute()}/reject`,
    headers: admin.headers,
    payload: { reason: 'Registered after the deal closed.' },
  }),
  // Commissions: the deal estimator (read only: no audit entry) and dated exchange rates.
  'POST /api/comp/estimates': async ({ admin }) => {
    const s = await sellerWithPlan(t.deps);
    return {
      method: 'POST',
      url: '/api/comp/estimates',
      headers: admin.headers,
      payload: { participantId: s.participantId, amountMinor: 100_000, currency: 'EUR', closeOn: '2027-02-15' },
    };
  },
  'PUT /api/comp/fx-rates': async ({ admin }) => ({
    method: 'PUT',
    url: '/api/comp/fx-rates',
    headers: admin.headers,
    payload: { currency: 'USD', toCurrency: 'EUR', validOn: '2030-01-01', rate: '0.9' },
  }),
};

/** A partner's open dispute about one of its registrations (a fresh one unless named). */
async function newDispute(registrationId?: string): Promise<string> {
  const regId = registrationId ?? (await newRegistration(true)).id;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/comp/disputes',
    headers: (await partnerSeller()).session.headers,
    payload: { subject: 'Credit missing', description: 'Registered first.', registrationId: regId },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}

let fixtureYear = 2040;
/** A quarter no other period fixture uses (commission periods never overlap). */
function fixtureQuarter(): { start: string; end: string } {
  fixtureYear += 1;
  return { start: `${fixtureYear}-01-01`, end: `${fixtureYear}-04-01` };
}

/** A completed run (no results) over some dates, stored directly. */
async function completedFixtureRun(start: string, end: string): Promise<string> {
  const id = randomUUID();
  await inTransaction(t.deps, systemActor('test'), (trx) =>
    trx
      .insertInto('commissionRun')
      .values({
        commissionRunId: id,
        periodStart: start,
        periodEnd: end,
        status: 'completed',
        planVersions: '[]',
        resultCount: 0,
        resultHash: '0'.repeat(64),
        createdByUserId: null,
        finishedAt: new Date(),
      })
      .execute(),
  );
  return id;
}

async function closedFixturePeriod() {
  const { start, end } = fixtureQuarter();
  const period = await createPeriod(t.deps, systemActor('test'), { periodStart: start, periodEnd: end });
  return closePeriod(t.deps, systemActor('test'), period.id, { runId: await completedFixtureRun(start, end) });
}

let fixtureSeller: string | undefined;
/** A participant the transaction fixtures credit. */
async function transactionSeller(): Promise<string> {
  if (fixtureSeller) return fixtureSeller;
  const ref = `TXS-${randomUUID()}`;
  await createParticipant(t.deps, systemActor('test'), {
    externalRef: ref,
    displayName: 'Transaction Seller',
    email: null,
    appUserId: null,
    managerId: null,
    team: null,
    unit: null,
    territory: null,
    activeFrom: null,
    activeTo: null,
  });
  fixtureSeller = ref;
  return ref;
}

/** A transactions file no earlier call sent (the same file again would answer the first batch, writing nothing). */
async function transactionCsv(): Promise<string> {
  return `Order ID,Type,Order date,Amount,Currency,Salesperson\nTX-${randomUUID()},invoice,2026-02-03,1200.00,EUR,${await transactionSeller()}`;
}

async function uploadedTransactions(admin: Session): Promise<{ id: string; mapping: Record<string, string> }> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/comp/transaction-imports',
    headers: { ...admin.headers, 'content-type': 'text/csv' },
    payload: await transactionCsv(),
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

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

  it('gives every mutating route a fixture, and each fixture call writes exactly one audit entry (none for a listed read-only POST)', async () => {
    const marked = [...new Set(routes.filter(isMarkedReadOnly).map(key))].sort();
    expect(marked, 'routes marked config.readOnly must be exactly the READ_ONLY list of route-table.test.ts').toEqual([...READ_ONLY].sort());
    expect(
      marked.filter((k) => !k.startsWith('POST ')),
      'only a POST may be read-only',
    ).toEqual([]);
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
      else if (after - before !== (READ_ONLY.has(k) ? 0 : 1))
        problems.push(`${k}: wrote ${after - before} audit entries, expected ${READ_ONLY.has(k) ? 'none (read-only POST)' : 'exactly 1'}`);
      if (k === 'POST /api/setup') {
        const admin = await signIn(t.app, 'root@vendor.test');
        ctx = { admin, adminId: res.json<{ user: { id: string } }>().user.id };
      }
    }
    expect(problems).toEqual([]);
    // Over a hundred routes, each called through HTTP with its setup: bounded, not timed.
  }, 120_000);
});
