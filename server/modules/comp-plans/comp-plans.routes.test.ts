import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { createTestApp, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import * as comp from './comp-plans.service.ts';
import { planDoc, uniquePlanKey } from './comp-plans.test-support.ts';

let t: TestApp;
let admin: Session;
let author: Session;
let reviewer: Session;
let finance: Session;
let finance2: Session;
let exec: Session;
let seller: Session;
let managerUser: Session;
let channel: Session;
let sellerUserId: string;
let managerUserId: string;
let authorId: string;

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2027-02-01T08:00:00Z') });
  const users = await Promise.all([
    makeUser(t.deps, { roles: ['admin'] }),
    makeUser(t.deps, { roles: ['comp_admin'], displayName: 'Ada Author' }),
    makeUser(t.deps, { roles: ['comp_admin'], displayName: 'Rex Reviewer' }),
    makeUser(t.deps, { roles: ['finance'], displayName: 'Fin Ance' }),
    makeUser(t.deps, { roles: ['finance', 'comp_admin'], displayName: 'Two Hats' }),
    makeUser(t.deps, { roles: ['executive'] }),
    makeUser(t.deps, { roles: ['internal_seller'], displayName: 'Sid Seller' }),
    makeUser(t.deps, { roles: ['internal_seller'], displayName: 'Mia Manager' }),
    makeUser(t.deps, { roles: ['channel_manager'] }),
  ]);
  authorId = users[1].id;
  sellerUserId = users[6].id;
  managerUserId = users[7].id;
  const sessions: Session[] = [];
  for (const u of users) sessions.push(await signIn(t.app, u.email));
  [admin, author, reviewer, finance, finance2, exec, seller, managerUser, channel] = sessions as [
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
  ];
});
afterAll(async () => t?.close());

const get = (url: string, s: Session) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, s: Session, payload?: object) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
const post = (url: string, s: Session, payload: object = {}) => send('POST', url, s, payload);

async function createPlan(s: Session, doc = planDoc()): Promise<{ id: string; planId: string }> {
  const r = await post('/api/comp/plans', s, { document: doc });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

async function participant(body: Record<string, unknown>): Promise<string> {
  const r = await post('/api/comp/participants', admin, { externalRef: `EMP-${Math.random().toString(36).slice(2)}`, displayName: 'Someone', ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

describe('plan documents: validation over HTTP', () => {
  it('refuses an invalid document and lists every problem with its path', async () => {
    const doc = planDoc({
      key: 'Bad Key',
      components: [
        { key: 'a', name: 'A', kind: 'commission', rateBps: 20_000 },
        { key: 'a', name: 'Tiers', kind: 'tiered', mode: 'flat', tiers: [{ fromBps: 0, toBps: 5000, rateBps: 100 }] },
      ],
    });
    const r = await post('/api/comp/plans', author, { document: doc });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('validation_failed');
    const paths = body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['document.key', 'document.components[0].rateBps']));
  });

  it('reports the plan checks (planProblems) with their paths once the shape holds', async () => {
    const doc = planDoc({
      effectiveTo: '2026-01-01',
      components: [
        { key: 'a', name: 'A', kind: 'commission', rateBps: 200 },
        { key: 'a', name: 'Tiers', kind: 'tiered', mode: 'flat', tiers: [{ fromBps: 0, toBps: 5000, rateBps: 100 }] },
      ],
    });
    const r = await post('/api/comp/plans', author, { document: doc });
    expect(r.statusCode).toBe(400);
    const paths = r.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['document.effectiveTo', 'document.components[1].key', 'document.components[1].tiers[0].toBps']));
  });

  it('imports a YAML plan file, and names the line of each problem in a bad one', async () => {
    const key = uniquePlanKey('yaml');
    const yaml = `format: realign.comp-plan/v1\nkey: ${key}\nname: From YAML\ncurrency: EUR\neffectiveFrom: 2027-01-01\ncomponents:\n  - key: c\n    name: C\n    kind: commission\n    rateBps: 250\n`;
    const ok = await post('/api/comp/plans', author, { file: { text: yaml } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().document.components[0]).toMatchObject({ key: 'c', rateBps: 250, capMinor: null });
    const bad = await post('/api/comp/plans', author, {
      file: { text: yaml.replace(`key: ${key}`, `key: ${key}_b`).replace('rateBps: 250', 'rateBps: -5'), format: 'yaml' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([{ path: 'document.components[0].rateBps', message: expect.stringMatching(/^line 10: /) }]);
  });

  it('refuses a second plan with the same key, and a body with both a document and a file', async () => {
    const doc = planDoc();
    await createPlan(author, doc);
    const again = await post('/api/comp/plans', author, { document: doc });
    expect(again.statusCode).toBe(409);
    expect(again.json().issues).toEqual([{ path: 'document.key', message: expect.any(String) }]);
    const both = await post('/api/comp/plans', author, { document: doc, file: { text: 'x' } });
    expect(both.statusCode).toBe(400);
  });

  it('checks drafts against the payout ceiling on save, and a version cannot change the plan key or currency', async () => {
    const v = await createPlan(author);
    expect((await send('PUT', '/api/comp/settings', finance, { payoutCeilingMinor: 1_000_000 })).statusCode).toBe(200);
    try {
      const current = (await get(`/api/comp/versions/${v.id}`, author)).json();
      expect(current.issues.map((i: { path: string }) => i.path)).toEqual(['document.periodCapMinor']);
      const r = await send('PUT', `/api/comp/versions/${v.id}`, author, { document: current.document });
      expect(r.statusCode).toBe(400);
      expect(r.json().issues).toEqual([{ path: 'document.periodCapMinor', message: expect.stringContaining('more than the ceiling of 1000000') }]);
      const capped = await send('PUT', `/api/comp/versions/${v.id}`, author, { document: { ...current.document, periodCapMinor: 900_000 } });
      expect(capped.statusCode, capped.body).toBe(200);
      const moved = await send('PUT', `/api/comp/versions/${v.id}`, author, {
        document: { ...current.document, periodCapMinor: 900_000, key: 'other_key', currency: 'USD' },
      });
      expect(moved.statusCode).toBe(400);
      expect(moved.json().issues.map((i: { path: string }) => i.path)).toEqual(['document.key', 'document.currency']);
    } finally {
      await send('PUT', '/api/comp/settings', admin, { payoutCeilingMinor: null });
    }
  });

  it('publishes the JSON Schema of plan files to internal users', async () => {
    const r = await get('/api/comp/plan-schema.json', seller);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ $id: 'urn:realign:comp-plan:v1', type: 'object' });
    expect(r.json().properties.components).toBeDefined();
  });
});

describe('the approval chain and publishing', () => {
  it('runs comp admin -> finance in order, refuses self-approval and two steps by one person, and publishes', async () => {
    const v = await createPlan(author);
    // Not submitted yet.
    expect((await post(`/api/comp/versions/${v.id}/approve`, reviewer, { step: 'comp_admin' })).statusCode).toBe(409);
    const submitted = await post(`/api/comp/versions/${v.id}/submit`, author);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().chain.map((s: { step: string; state: string }) => `${s.step}:${s.state}`)).toEqual(['comp_admin:next', 'finance:waiting']);
    // A draft in approval is frozen.
    expect((await send('PUT', `/api/comp/versions/${v.id}`, author, { changeNote: 'x' })).statusCode).toBe(409);
    // Finance cannot go first.
    const early = await post(`/api/comp/versions/${v.id}/approve`, finance, { step: 'finance' });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('waits for the comp_admin step');
    // The author cannot approve their own version.
    const self = await post(`/api/comp/versions/${v.id}/approve`, author, { step: 'comp_admin' });
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toContain('author');
    // Finance has no comp_admin role.
    expect((await post(`/api/comp/versions/${v.id}/approve`, finance, { step: 'comp_admin' })).statusCode).toBe(403);
    // Someone with both hats decides one step only.
    expect((await post(`/api/comp/versions/${v.id}/approve`, finance2, { step: 'comp_admin', comment: 'Looks right' })).statusCode).toBe(200);
    const twice = await post(`/api/comp/versions/${v.id}/approve`, finance2, { step: 'finance' });
    expect(twice.statusCode).toBe(403);
    expect(twice.json().detail).toContain('already decided a step');
    // Not approved yet: cannot publish.
    expect((await post(`/api/comp/versions/${v.id}/publish`, author)).statusCode).toBe(409);
    const fin = await post(`/api/comp/versions/${v.id}/approve`, finance, { step: 'finance' });
    expect(fin.statusCode).toBe(200);
    expect(fin.json().status).toBe('approved');
    // Readers other than the writers cannot publish.
    expect((await post(`/api/comp/versions/${v.id}/publish`, finance)).statusCode).toBe(403);
    const pub = await post(`/api/comp/versions/${v.id}/publish`, author);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()).toMatchObject({ status: 'published', effectiveFrom: '2027-01-01', effectiveTo: null });
    expect(pub.json().chain.map((s: { step: string; decidedByName: string }) => `${s.step}:${s.decidedByName}`)).toEqual([
      'comp_admin:Two Hats',
      'finance:Fin Ance',
    ]);
  });

  it('rejection returns the version to draft with the comment; the next submission starts a new round', async () => {
    const v = await createPlan(author);
    await post(`/api/comp/versions/${v.id}/submit`, author);
    expect((await post(`/api/comp/versions/${v.id}/reject`, reviewer, { step: 'comp_admin' })).statusCode).toBe(400);
    const rej = await post(`/api/comp/versions/${v.id}/reject`, reviewer, { step: 'comp_admin', comment: 'The SPIFF cap is too high' });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'draft', rejectionComment: 'The SPIFF cap is too high', approvalRound: 1 });
    const fixed = await send('PUT', `/api/comp/versions/${v.id}`, author, { changeNote: 'Lower SPIFF cap' });
    expect(fixed.statusCode).toBe(200);
    const again = await post(`/api/comp/versions/${v.id}/submit`, author);
    expect(again.json()).toMatchObject({ status: 'in_approval', approvalRound: 2, rejectionComment: null });
    expect(again.json().chain[0]).toMatchObject({ step: 'comp_admin', state: 'next' });
    // The same reviewer may decide again in the new round.
    expect((await post(`/api/comp/versions/${v.id}/approve`, reviewer, { step: 'comp_admin' })).statusCode).toBe(200);
    const approvals = (await get(`/api/comp/versions/${v.id}`, exec)).json().approvals;
    expect(approvals.map((a: { round: number; decision: string }) => `${a.round}:${a.decision}`)).toEqual(['1:rejected', '2:approved']);
  });

  it('asks a manager of an assigned participant to sign off, and only them', async () => {
    const doc = planDoc();
    const v = await createPlan(author, doc);
    const mgr = await participant({ displayName: 'Mia Manager', appUserId: managerUserId });
    const rep = await participant({ displayName: 'Ray Report', managerId: mgr });
    expect((await post('/api/comp/assignments', admin, { participantId: rep, planId: v.planId, effectiveFrom: '2027-01-01' })).statusCode).toBe(201);
    await post(`/api/comp/versions/${v.id}/submit`, author);
    await post(`/api/comp/versions/${v.id}/approve`, reviewer, { step: 'comp_admin' });
    const fin = await post(`/api/comp/versions/${v.id}/approve`, finance, { step: 'finance' });
    expect(fin.json().status).toBe('in_approval');
    expect(fin.json().chain.map((s: { step: string; state: string }) => `${s.step}:${s.state}`)).toEqual(['comp_admin:done', 'finance:done', 'manager:next']);
    // The manager (an internal seller with no comp role) sees the version awaiting them; others do not.
    const seen = await get(`/api/comp/versions/${v.id}`, managerUser);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().chain[2]).toMatchObject({ step: 'manager', mayDecide: true });
    expect((await get(`/api/comp/versions/${v.id}`, seller)).statusCode).toBe(404);
    expect((await post(`/api/comp/versions/${v.id}/approve`, reviewer, { step: 'manager' })).statusCode).toBe(403);
    const ok = await post(`/api/comp/versions/${v.id}/approve`, managerUser, { step: 'manager', comment: 'Fine for my team' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
  });

  it('publishing a new version retires the one in force; diffs read as one line per change; export gives JSON and YAML', async () => {
    const doc = planDoc();
    const v1 = await createPlan(author, doc);
    for (const [s, step] of [
      [reviewer, 'comp_admin'],
      [finance, 'finance'],
    ] as const) {
      if (step === 'comp_admin') await post(`/api/comp/versions/${v1.id}/submit`, author);
      expect((await post(`/api/comp/versions/${v1.id}/approve`, s, { step })).statusCode).toBe(200);
    }
    expect((await post(`/api/comp/versions/${v1.id}/publish`, author)).statusCode).toBe(200);

    const v2r = await post(`/api/comp/plans/${v1.planId}/versions`, author, { changeNote: 'Bigger kicker' });
    expect(v2r.statusCode, v2r.body).toBe(201);
    const v2 = v2r.json();
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    // One open version at a time.
    expect((await post(`/api/comp/plans/${v1.planId}/versions`, author, {})).statusCode).toBe(409);
    const components = [...v2.document.components];
    components[0] = { ...components[0], partnerSourcedMultiplierBps: 15_000 };
    components.push({
      key: 'renewal_bonus',
      name: 'Renewal bonus',
      kind: 'bonus',
      targetIncentiveMinor: 100_000,
      schedule: [{ fromBps: 0, payoutBps: 10_000 }],
    });
    const saved = await send('PUT', `/api/comp/versions/${v2.id}`, author, {
      document: { ...v2.document, effectiveFrom: '2027-07-01', components: components.filter((c) => c.key !== 'q1_spiff') },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const diff = (await get(`/api/comp/versions/${v2.id}/diff`, exec)).json();
    expect(diff.from).toMatchObject({ id: v1.id, version: 1 });
    expect(diff.changes.map((c: { text: string }) => c.text)).toEqual([
      'effectiveFrom: "2027-01-01" -> "2027-07-01"',
      'components.partner_sourced_kicker.partnerSourcedMultiplierBps: 12000 -> 15000',
      'components.q1_spiff: removed spiff component "Q1 SPIFF"',
      'components.renewal_bonus: added bonus component "Renewal bonus"',
    ]);

    await post(`/api/comp/versions/${v2.id}/submit`, author);
    await post(`/api/comp/versions/${v2.id}/approve`, reviewer, { step: 'comp_admin' });
    await post(`/api/comp/versions/${v2.id}/approve`, finance, { step: 'finance' });
    const pub = await post(`/api/comp/versions/${v2.id}/publish`, author);
    expect(pub.statusCode, pub.body).toBe(200);
    const old = (await get(`/api/comp/versions/${v1.id}`, exec)).json();
    expect(old.status).toBe('retired');
    expect(old.retiredAt).not.toBeNull();
    const plan = (await get(`/api/comp/plans/${v1.planId}`, exec)).json();
    expect(plan.published).toMatchObject({ id: v2.id, version: 2, effectiveFrom: '2027-07-01' });
    expect(plan.versions.map((x: { version: number; status: string }) => `${x.version}:${x.status}`)).toEqual(['2:published', '1:retired']);

    const json = (await get(`/api/comp/versions/${v2.id}/export`, exec)).json();
    expect(json).toMatchObject({ fileName: `${doc.key}-v2.json`, contentType: 'application/json' });
    expect(JSON.parse(json.text)).toEqual(saved.json().document);
    const yaml = (await get(`/api/comp/versions/${v2.id}/export?format=yaml`, exec)).json();
    expect(yaml.text).toContain('partnerSourcedMultiplierBps: 15000');
    // The export imports back as the same document.
    const reimported = await post('/api/comp/plans', author, { file: { text: yaml.text.replace(`key: ${doc.key}`, `key: ${doc.key}_copy`) } });
    expect(reimported.statusCode, reimported.body).toBe(201);
    expect({ ...reimported.json().document, key: doc.key }).toEqual(saved.json().document);
  });

  it('the database refuses to change the document of a published version, even for the app role', async () => {
    const v = await createPlan(author);
    await post(`/api/comp/versions/${v.id}/submit`, author);
    await post(`/api/comp/versions/${v.id}/approve`, reviewer, { step: 'comp_admin' });
    await post(`/api/comp/versions/${v.id}/approve`, finance, { step: 'finance' });
    await post(`/api/comp/versions/${v.id}/publish`, author);
    await expect(
      inScope(t.deps.db, { kind: 'system' }, (trx) =>
        sql`update comp_plan_version set document = jsonb_set(document, '{name}', '"Tampered"') where comp_plan_version_id = ${v.id}`.execute(trx),
      ),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      inScope(t.deps.db, { kind: 'system' }, (trx) => sql`update comp_plan_version set status = 'draft' where comp_plan_version_id = ${v.id}`.execute(trx)),
    ).rejects.toThrow(/can only be retired/);
    await expect(
      inScope(t.deps.db, { kind: 'system' }, (trx) => sql`delete from comp_plan_version where comp_plan_version_id = ${v.id}`.execute(trx)),
    ).rejects.toThrow(/only drafts can be deleted/);
    const role = await inScope(t.deps.db, { kind: 'system' }, async (trx) => (await sql<{ r: string }>`select current_user as r`.execute(trx)).rows[0]?.r);
    expect(role).toBe('realign_app');
  });

  it('of 64 simultaneous approvals of one step exactly one takes effect', async () => {
    const v = await createPlan(author);
    await post(`/api/comp/versions/${v.id}/submit`, author);
    const auditBefore = await t.deps.db
      .selectFrom('auditEntry')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('entityId', '=', v.id)
      .executeTakeFirstOrThrow();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => post(`/api/comp/versions/${v.id}/approve`, i % 2 ? reviewer : finance2, { step: 'comp_admin' })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c !== 200 && c !== 409)).toEqual([]);
    const rows = await t.deps.db.selectFrom('compPlanApproval').selectAll().where('compPlanVersionId', '=', v.id).execute();
    expect(rows).toHaveLength(1);
    const auditAfter = await t.deps.db
      .selectFrom('auditEntry')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('entityId', '=', v.id)
      .where('action', '=', 'comp_plan_version.approve')
      .executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(1);
    expect(Number(auditBefore.n)).toBeGreaterThan(0);
  });
});

describe('participants, assignments and quotas', () => {
  it('creates, searches, pages and updates participants; refuses loops and partner users as links', async () => {
    const team = `team-${Math.random().toString(36).slice(2, 8)}`;
    const boss = await participant({ displayName: 'Bea Boss', team, externalRef: `${team}-boss` });
    for (let i = 0; i < 5; i += 1) await participant({ displayName: `Zed Worker ${i}`, team, managerId: boss, email: `worker${i}@${team}.test` });
    const page = (await get(`/api/comp/participants?team=${team}&limit=2&offset=2`, exec)).json();
    expect(page.total).toBe(6);
    expect(page.items.map((p: { displayName: string }) => p.displayName)).toEqual(['Zed Worker 1', 'Zed Worker 2']);
    const found = (await get(`/api/comp/participants?q=${encodeURIComponent(`WORKER3@${team}`)}`, exec)).json();
    expect(found.items.map((p: { displayName: string }) => p.displayName)).toEqual(['Zed Worker 3']);
    const reports = (await get(`/api/comp/participants?managerId=${boss}`, exec)).json();
    expect(reports.total).toBe(5);
    expect(reports.items[0].managerName).toBe('Bea Boss');

    const worker = reports.items[0].id;
    const loop = await send('PATCH', `/api/comp/participants/${boss}`, admin, { managerId: worker });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().issues).toEqual([{ path: 'body.managerId', message: expect.stringContaining('loop') }]);
    const dup = await post('/api/comp/participants', admin, { externalRef: `${team}-boss`, displayName: 'Copy' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().issues[0].path).toBe('body.externalRef');
    const dates = await send('PATCH', `/api/comp/participants/${worker}`, admin, { activeFrom: '2027-01-01', activeTo: '2026-01-01' });
    expect(dates.statusCode).toBe(400);
    expect((await send('DELETE', `/api/comp/participants/${boss}`, admin)).statusCode).toBe(409);
    expect((await post('/api/comp/participants', exec, { externalRef: 'x', displayName: 'x' })).statusCode).toBe(403);
  });

  it('lets an internal seller read only their own participant record and the published plan they are on', async () => {
    const me = await participant({ displayName: 'Sid Seller', appUserId: sellerUserId });
    const other = await participant({ displayName: 'Olga Other' });
    const v = await createPlan(author);
    await post(`/api/comp/versions/${v.id}/submit`, author);
    await post(`/api/comp/versions/${v.id}/approve`, reviewer, { step: 'comp_admin' });
    await post(`/api/comp/versions/${v.id}/approve`, finance, { step: 'finance' });
    await post(`/api/comp/versions/${v.id}/publish`, author);
    expect((await post('/api/comp/assignments', admin, { participantId: me, planId: v.planId, effectiveFrom: '2027-01-01' })).statusCode).toBe(201);
    const draft = (await post(`/api/comp/plans/${v.planId}/versions`, author, {})).json();

    expect((await get(`/api/comp/participants/${me}`, seller)).statusCode).toBe(200);
    expect((await get(`/api/comp/participants/${other}`, seller)).statusCode).toBe(404);
    const list = (await get('/api/comp/participants', seller)).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual([me]);
    expect((await get(`/api/comp/versions/${v.id}`, seller)).statusCode).toBe(200);
    expect((await get(`/api/comp/versions/${draft.id}`, seller)).statusCode).toBe(404);
    const plan = (await get(`/api/comp/plans/${v.planId}`, seller)).json();
    expect(plan.versions.map((x: { id: string }) => x.id)).toEqual([v.id]);
    expect(plan.open).toBeNull();
    const mine = (await get('/api/comp/me', seller)).json();
    expect(mine.participant.id).toBe(me);
    expect(mine.plans).toHaveLength(1);
    expect(mine.plans[0].version).toMatchObject({ id: v.id, status: 'published' });
    // Someone with no comp role and no participant record sees nothing.
    expect((await get('/api/comp/participants', channel)).json()).toEqual({ items: [], total: 0 });
    expect((await get('/api/comp/plans', channel)).json()).toEqual({ items: [], total: 0 });
    expect((await get(`/api/comp/versions/${v.id}`, channel)).statusCode).toBe(404);
  });

  it('keeps a participant on one plan at a time', async () => {
    const p = await participant({ displayName: 'One Plan' });
    const a = await createPlan(author);
    const b = await createPlan(author);
    const first = await post('/api/comp/assignments', admin, { participantId: p, planId: a.planId, effectiveFrom: '2027-01-01', effectiveTo: '2027-07-01' });
    expect(first.statusCode).toBe(201);
    const overlap = await post('/api/comp/assignments', admin, { participantId: p, planId: b.planId, effectiveFrom: '2027-06-01' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().issues[0].path).toBe('body.effectiveFrom');
    const adjacent = await post('/api/comp/assignments', admin, { participantId: p, planId: b.planId, effectiveFrom: '2027-07-01' });
    expect(adjacent.statusCode, adjacent.body).toBe(201);
    // Stretching the first one into the second is refused too.
    expect((await send('PATCH', `/api/comp/assignments/${first.json().id}`, admin, { effectiveTo: null })).statusCode).toBe(409);
    // And the database refuses an overlap on its own (exclusion constraint).
    await expect(
      inScope(t.deps.db, { kind: 'system' }, (trx) =>
        trx
          .insertInto('compPlanAssignment')
          .values({
            compPlanAssignmentId: crypto.randomUUID(),
            compParticipantId: p,
            compPlanId: a.planId,
            effectiveFrom: '2027-03-01',
            effectiveTo: null,
            createdByUserId: null,
          })
          .execute(),
      ),
    ).rejects.toThrow(/comp_plan_assignment_no_overlap/);
    const list = (await get(`/api/comp/assignments?participantId=${p}`, exec)).json();
    expect(list.items.map((x: { effectiveFrom: string }) => x.effectiveFrom)).toEqual(['2027-07-01', '2027-01-01']);
  });

  it('upserts quotas all or nothing, with every bad row named', async () => {
    const ref = `Q-${Math.random().toString(36).slice(2)}`;
    const p = await participant({ externalRef: ref, displayName: 'Quota Person' });
    const row = (periodStart: string, periodEnd: string, amountMinor: number) => ({ externalRef: ref, periodStart, periodEnd, amountMinor, currency: 'EUR' });
    const bad = await send('PUT', '/api/comp/quotas', admin, {
      rows: [
        row('2027-01-01', '2027-04-01', 1_000_000),
        { ...row('2027-04-01', '2027-07-01', 1_000_000), externalRef: 'NOBODY' },
        row('2027-07-01', '2027-07-01', 1_000_000),
        row('2027-01-01', '2027-04-01', 5),
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.rows[1].externalRef', 'body.rows[2].periodEnd', 'body.rows[3].periodStart']);
    expect((await get(`/api/comp/quotas?participantId=${p}`, exec)).json().total).toBe(0);
    const shape = await send('PUT', '/api/comp/quotas', admin, { rows: [{ ...row('2027-01-01', '2027-04-01', -1) }] });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().issues[0].path).toBe('body.rows[0].amountMinor');

    const rows = [
      row('2027-01-01', '2027-04-01', 1_000_000),
      { participantId: p, periodStart: '2027-04-01', periodEnd: '2027-07-01', amountMinor: 1_200_000, currency: 'EUR' },
    ];
    expect((await send('PUT', '/api/comp/quotas', admin, { rows })).json()).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect((await send('PUT', '/api/comp/quotas', admin, { rows })).json()).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const changed = [rows[0], { ...rows[1], amountMinor: 1_300_000 }];
    expect((await send('PUT', '/api/comp/quotas', admin, { rows: changed })).json()).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    const list = (await get(`/api/comp/quotas?participantId=${p}`, exec)).json();
    expect(list.items.map((q: { periodStart: string; amountMinor: number }) => `${q.periodStart}:${q.amountMinor}`)).toEqual([
      '2027-01-01:1000000',
      '2027-04-01:1300000',
    ]);
  });

  it('upserts a large quota list in one request', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const r = await comp.createParticipant(t.deps, systemActor('test'), {
        externalRef: `BULK-${i}-${Math.random().toString(36).slice(2)}`,
        displayName: `Bulk ${i}`,
        email: null,
        appUserId: null,
        managerId: null,
        team: null,
        unit: null,
        territory: null,
        activeFrom: null,
        activeTo: null,
      });
      ids.push(r.id);
    }
    const rows = ids.flatMap((participantId) =>
      Array.from({ length: 600 }, (_, m) => {
        const start = new Date(Date.UTC(2000, m, 1)).toISOString().slice(0, 10);
        const end = new Date(Date.UTC(2000, m + 1, 1)).toISOString().slice(0, 10);
        return { participantId, periodStart: start, periodEnd: end, amountMinor: 100 + m, currency: 'EUR' };
      }),
    );
    const r = await send('PUT', '/api/comp/quotas', admin, { rows });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.json()).toEqual({ inserted: 12_000, updated: 0, unchanged: 0 });
  });
});

describe('who may change plans', () => {
  it('refuses writes to readers and approvals to the system', async () => {
    expect((await post('/api/comp/plans', exec, { document: planDoc() })).statusCode).toBe(403);
    expect((await post('/api/comp/plans', finance, { document: planDoc() })).statusCode).toBe(403);
    const v = await createPlan(author);
    await post(`/api/comp/versions/${v.id}/submit`, author);
    await expect(comp.approveStep(t.deps, systemActor('test'), v.id, { step: 'comp_admin', comment: '' })).rejects.toThrow(/people/);
    expect(authorId).toBeTruthy();
  });
});
