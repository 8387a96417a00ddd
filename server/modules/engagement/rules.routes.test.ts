import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';

let t: TestApp;
let admin: Session;
let lead: Session;
let cm: Session;
let seller: Session;
let partnerAdmin: Session;
let partnerSeller: Session;
let cmId: string;

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2026-04-01T08:00:00Z') });
  const partner = await makePartner(t.deps);
  const [a, l, c, s, pa, ps] = await Promise.all([
    makeUser(t.deps, { roles: ['admin'] }),
    makeUser(t.deps, { roles: ['programme_lead'] }),
    makeUser(t.deps, { roles: ['channel_manager'], displayName: 'Cleo Channel' }),
    makeUser(t.deps, { roles: ['internal_seller'] }),
    makeUser(t.deps, { roles: ['partner_admin'], partnerId: partner.id }),
    makeUser(t.deps, { roles: ['partner_seller'], partnerId: partner.id }),
  ]);
  cmId = c.id;
  [admin, lead, cm, seller, partnerAdmin, partnerSeller] = (await Promise.all([a, l, c, s, pa, ps].map((u) => signIn(t.app, u.email)))) as [
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
  ];
});
afterAll(async () => t.close());

const get = (url: string, s: Session) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const post = (url: string, s: Session, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: s.headers, payload });
const patch = (url: string, s: Session, payload: object) => t.app.inject({ method: 'PATCH', url, headers: s.headers, payload });

describe('scenarios over HTTP', () => {
  it('lists the six seeded scenarios to everyone signed in, partners included', async () => {
    for (const s of [partnerSeller, seller]) {
      const r = await get('/api/scenarios', s);
      expect(r.statusCode).toBe(200);
      expect(r.json().items.map((x: { key: string }) => x.key)).toEqual([
        'maintenance_renewal',
        'new_support_contract',
        'consulting',
        'upgrade',
        'migration',
        'managed_service',
      ]);
    }
  });

  it('lets the programme lead add, rename and deactivate; inactive ones only in the admin list', async () => {
    const created = await post('/api/scenarios', lead, { key: 'security_assessment', name: 'Security assessment', sortOrder: 70 });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ key: 'security_assessment', active: true, inUse: false, isRenewal: false });
    expect((await post('/api/scenarios', admin, { key: 'security_assessment', name: 'Again' })).statusCode).toBe(409);
    expect((await post('/api/scenarios', lead, { key: 'Bad Key', name: 'x' })).json().issues[0].path).toBe('body.key');
    expect((await post('/api/scenarios', lead, { key: 'ok_key', name: 'x', colour: 'red' })).statusCode).toBe(400);
    expect((await post('/api/scenarios', cm, { key: 'cm_made', name: 'x' })).statusCode).toBe(403);
    expect((await post('/api/scenarios', partnerAdmin, { key: 'pa_made', name: 'x' })).statusCode).toBe(403);

    const renamed = await patch(`/api/scenarios/${id}`, lead, { key: 'security_review', name: 'Security review' });
    expect(renamed.json()).toMatchObject({ key: 'security_review', name: 'Security review' });
    const off = await patch(`/api/scenarios/${id}`, admin, { active: false });
    expect(off.json().active).toBe(false);
    expect((await get('/api/scenarios', partnerSeller)).json().items.some((x: { id: string }) => x.id === id)).toBe(false);
    expect((await get('/api/scenarios?includeInactive=true', partnerSeller)).json().items.some((x: { id: string }) => x.id === id)).toBe(false);
    expect((await get('/api/scenarios?includeInactive=true', lead)).json().items.some((x: { id: string }) => x.id === id)).toBe(true);
    expect((await get(`/api/scenarios/${id}`, partnerSeller)).statusCode).toBe(404);
    expect((await patch(`/api/scenarios/${id}`, partnerAdmin, { name: 'x' })).statusCode).toBe(404);
    const actions = await t.deps.db.selectFrom('auditEntry').select('action').where('entityId', '=', id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['scenario.create', 'scenario.update', 'scenario.deactivate']);
  });
});

describe('rules of the road over HTTP', () => {
  let draftId: string;

  it('answers null for the rules in force before anything is published', async () => {
    const r = await get('/api/rules/current', partnerSeller);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ version: null });
  });

  it('creates a draft that partners and other staff cannot see', async () => {
    const r = await post('/api/rules/versions', lead, { from: 'default', title: 'Rules for the realignment' });
    expect(r.statusCode).toBe(201);
    draftId = r.json().id;
    expect((await get(`/api/rules/versions/${draftId}`, partnerSeller)).statusCode).toBe(404);
    expect((await get(`/api/rules/versions/${draftId}/plain`, partnerSeller)).statusCode).toBe(404);
    expect((await get(`/api/rules/versions/${draftId}`, seller)).statusCode).toBe(404);
    expect((await get('/api/rules/versions', partnerSeller)).json().items).toEqual([]);
    expect((await get('/api/rules/versions', cm)).json().items).toHaveLength(1);
    expect((await post('/api/rules/versions', cm)).statusCode).toBe(403);
    expect((await post('/api/rules/versions', partnerAdmin)).statusCode).toBe(404);
    expect((await post('/api/rules/versions', lead, { from: 'nowhere' })).statusCode).toBe(400);
  });

  it('refuses an invalid rule set with every problem and its path', async () => {
    const draft = (await get(`/api/rules/versions/${draftId}`, lead)).json();
    const rules = structuredClone(draft.rules);
    rules.routes.push({ id: 'bad', scenarios: ['nope'], tiers: ['diamond'], owningUnit: '', responseBusinessDays: 99 });
    rules.protection.days = -1;
    const r = await patch(`/api/rules/versions/${draftId}`, lead, { rules });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('validation_failed');
    expect(r.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'rules.routes[1].owningUnit',
      'rules.routes[1].responseBusinessDays',
      'rules.protection.days',
      'rules.routes[1].tiers',
    ]);
  });

  it('saves a route to consulting with a named reviewer, then previews it in plain language', async () => {
    const draft = (await get(`/api/rules/versions/${draftId}`, lead)).json();
    const rules = structuredClone(draft.rules);
    rules.routes.unshift({ id: 'consulting', scenarios: ['consulting'], owningUnit: 'TS Consulting', reviewerUserId: cmId, responseBusinessDays: 3 });
    const r = await patch(`/api/rules/versions/${draftId}`, lead, { rules, releaseNotes: 'Consulting gets its own desk.' });
    expect(r.statusCode).toBe(200);
    const plain = (await get(`/api/rules/versions/${draftId}/plain`, cm)).json();
    expect(plain.sections.map((s: { title: string }) => s.title)).toEqual([
      'Who can register what',
      'Who answers you and how fast',
      'How long you are protected',
      'When two claims meet',
      'How deals are credited',
    ]);
    expect(plain.sections[1].items[0]).toBe('Consulting: TS Consulting answers within 3 business days (reviewer: Cleo Channel).');
  });

  it('publishes (programme lead only), then partners read it without staff names and acknowledge once', async () => {
    expect((await post(`/api/rules/versions/${draftId}/publish`, cm, {})).statusCode).toBe(403);
    expect((await post(`/api/rules/versions/${draftId}/publish`, lead, { acknowledgeBy: '2026-02-30' })).statusCode).toBe(400);
    const p = await post(`/api/rules/versions/${draftId}/publish`, lead, { acknowledgeBy: '2026-04-30' });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ status: 'published', version: 1, acknowledgeBy: '2026-04-30' });

    const current = (await get('/api/rules/current', partnerSeller)).json().version;
    expect(current).toMatchObject({ id: draftId, rules: null, createdByName: null, myAcknowledgedAt: null });
    const plain = (await get(`/api/rules/versions/${draftId}/plain`, partnerSeller)).json();
    expect(plain.sections[1].items[0]).toBe('Consulting: TS Consulting answers within 3 business days.');
    expect(JSON.stringify(plain)).not.toContain('Cleo');

    const first = await post(`/api/rules/versions/${draftId}/acknowledge`, partnerSeller);
    expect(first.statusCode).toBe(200);
    expect(first.json().created).toBe(true);
    const second = await post(`/api/rules/versions/${draftId}/acknowledge`, partnerSeller);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ ...first.json(), created: false });
    expect((await get('/api/rules/current', partnerSeller)).json().version.myAcknowledgedAt).toBe(first.json().acknowledgedAt);
  });

  it('shows acknowledgements to channel managers in full and to partner admins for their organisation', async () => {
    const all = await get(`/api/rules/versions/${draftId}/acknowledgements`, cm);
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ scope: 'all', internalUsers: { acknowledged: 0, total: 4 }, partnerUsers: { acknowledged: 1, total: 2 } });
    const own = await get(`/api/rules/versions/${draftId}/acknowledgements?limit=5`, partnerAdmin);
    expect(own.json()).toMatchObject({ scope: 'partner', internalUsers: { total: 0 }, partnerUsers: { acknowledged: 1, total: 2 } });
    expect((await get(`/api/rules/versions/${draftId}/acknowledgements`, partnerSeller)).statusCode).toBe(403);
    expect((await get(`/api/rules/versions/${draftId}/acknowledgements`, seller)).statusCode).toBe(403);
    expect((await get(`/api/rules/versions/${draftId}/acknowledgements?limit=0`, cm)).statusCode).toBe(400);
  });

  it('tells what changed from v1 to a new draft, and retires', async () => {
    const d = await post('/api/rules/versions', admin, {});
    const v2 = d.json();
    expect(v2.version).toBe(2);
    const rules = structuredClone(v2.rules);
    rules.routes[0].responseBusinessDays = 2;
    expect((await patch(`/api/rules/versions/${v2.id}`, admin, { rules })).statusCode).toBe(200);
    const changes = await get(`/api/rules/versions/${v2.id}/changes?from=${draftId}`, cm);
    expect(changes.json()).toEqual({
      from: { id: draftId, version: 1 },
      to: { id: v2.id, version: 2 },
      changes: ['Route consulting: SLA changed from 3 to 2 business days'],
    });
    expect((await get(`/api/rules/versions/${v2.id}/changes?from=not-a-uuid`, cm)).statusCode).toBe(400);
    expect((await post(`/api/rules/versions/${v2.id}/retire`, admin)).statusCode).toBe(409);
    expect((await post(`/api/rules/versions/${draftId}/retire`, admin)).statusCode).toBe(200);
    expect((await get('/api/rules/current', partnerSeller)).json()).toEqual({ version: null });
    expect((await get('/api/rules/versions', partnerSeller)).json().items.map((v: { status: string }) => v.status)).toEqual(['retired']);
  });

  it('needs the CSRF token for changes made with a session', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/rules/versions', headers: { cookie: lead.cookie }, payload: {} });
    expect(r.statusCode).toBe(403);
  });
});
