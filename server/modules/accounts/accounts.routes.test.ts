import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { fixedClock } from '../../test/test-db.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { createAccount, listAccounts, setAccountOwnership } from './accounts.service.ts';

let t: TestApp;
let cm: Session;
let seller: Session;
let partnerAdmin: Session;
let partner: { id: string; name: string };
let otherPartner: { id: string; name: string };
let directSellerId: string;

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2026-06-15T10:00:00Z') });
  partner = await makePartner(t.deps);
  otherPartner = await makePartner(t.deps);
  const cmUser = await makeUser(t.deps, { roles: ['channel_manager'] });
  const sellerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  directSellerId = sellerUser.id;
  const pa = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: partner.id });
  cm = await signIn(t.app, cmUser.email);
  seller = await signIn(t.app, sellerUser.email);
  partnerAdmin = await signIn(t.app, pa.email);
});
afterAll(async () => t.close());

async function create(body: Record<string, unknown>, s: Session = cm) {
  return t.app.inject({ method: 'POST', url: '/api/accounts', headers: s.headers, payload: body });
}

describe('accounts', () => {
  it('creates an account with a normalised name and a bare domain, audited', async () => {
    const res = await create({
      name: 'Harlow Freight Group, Ltd.',
      domain: 'https://www.Harlow-Freight.example/contact',
      country: 'gb',
      segment: 'enterprise',
    });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      name: 'Harlow Freight Group, Ltd.',
      normalisedName: 'harlow freight group',
      domain: 'harlow-freight.example',
      country: 'GB',
      segment: 'enterprise',
      currentOwnership: null,
      ownershipHistory: [],
    });
    const audit = await t.deps.db.selectFrom('auditEntry').selectAll().where('entityId', '=', a.id).execute();
    expect(audit.map((e) => e.action)).toEqual(['account.create']);
  });

  it('refuses a second account with the same domain, and a domain that is not one', async () => {
    const dup = await create({ name: 'Harlow Again', domain: 'HARLOW-FREIGHT.example' });
    expect(dup.statusCode).toBe(409);
    const bad = await create({ name: 'No Domain', domain: 'not a domain' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe('body.domain');
  });

  it('rejects unknown fields and over-long strings', async () => {
    expect((await create({ name: 'X', colour: 'red' })).statusCode).toBe(400);
    expect((await create({ name: 'x'.repeat(301) })).statusCode).toBe(400);
    expect((await create({ name: 'Y', segment: 'galactic' })).statusCode).toBe(400);
  });

  it('finds accounts by fuzzy name, fragment and domain, with a total', async () => {
    for (const name of ['Brightwater Utilities Inc', 'Brightwater Energy GmbH', 'Copperline Mining Corp']) {
      expect((await create({ name, segment: 'mid_market', country: 'DE' })).statusCode).toBe(201);
    }
    const fuzzy = await t.app.inject({ method: 'GET', url: '/api/accounts?q=brightwatter%20utilities', headers: { cookie: seller.cookie } });
    expect(fuzzy.statusCode).toBe(200);
    expect(fuzzy.json().items[0].name).toBe('Brightwater Utilities Inc');
    const fragment = await t.app.inject({ method: 'GET', url: '/api/accounts?q=pperli', headers: { cookie: seller.cookie } });
    expect(fragment.json().items.map((a: { name: string }) => a.name)).toEqual(['Copperline Mining Corp']);
    const byDomain = await t.app.inject({ method: 'GET', url: '/api/accounts?q=harlow-freight', headers: { cookie: seller.cookie } });
    expect(byDomain.json().total).toBe(1);
    const page = await t.app.inject({ method: 'GET', url: '/api/accounts?segment=mid_market&limit=2', headers: { cookie: seller.cookie } });
    expect(page.json().total).toBe(3);
    expect(page.json().items).toHaveLength(2);
  });

  it('lets internal readers read but not change; partner users get 404s and an empty list', async () => {
    const a = (await create({ name: 'Quietmoor Insurance' })).json();
    expect((await t.app.inject({ method: 'GET', url: `/api/accounts/${a.id}`, headers: { cookie: seller.cookie } })).statusCode).toBe(200);
    const sellerEdit = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: seller.headers, payload: { industry: 'Insurance' } });
    expect(sellerEdit.statusCode).toBe(403);
    expect((await create({ name: 'Seller Made' }, seller)).statusCode).toBe(403);

    const get = await t.app.inject({ method: 'GET', url: `/api/accounts/${a.id}`, headers: { cookie: partnerAdmin.cookie } });
    expect(get.statusCode).toBe(404);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: partnerAdmin.headers, payload: { industry: 'Insurance' } });
    expect(patch.statusCode).toBe(404);
    const own = await t.app.inject({
      method: 'POST',
      url: `/api/accounts/${a.id}/ownership`,
      headers: partnerAdmin.headers,
      payload: { kind: 'channel', partnerId: partner.id, startsOn: '2026-07-01' },
    });
    expect(own.statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: partnerAdmin.cookie } });
    expect(list.json()).toEqual({ items: [], total: 0 });
  });

  it('keeps ownership history: each change closes the open period and opens the next', async () => {
    const a = (await create({ name: 'Stonebridge Health Trust', segment: 'public_sector' })).json();
    const url = `/api/accounts/${a.id}/ownership`;
    const first = await t.app.inject({
      method: 'POST',
      url,
      headers: cm.headers,
      payload: { kind: 'direct', ownerUserId: directSellerId, startsOn: '2025-01-01' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().currentOwnership).toMatchObject({ kind: 'direct', ownerUserId: directSellerId, startsOn: '2025-01-01', endsOn: null });
    const second = await t.app.inject({
      method: 'POST',
      url,
      headers: cm.headers,
      payload: { kind: 'channel', partnerId: partner.id, startsOn: '2026-03-01' },
    });
    expect(second.statusCode).toBe(200);
    // Starts after "today" (2026-06-15): the channel period is current until then.
    const third = await t.app.inject({
      method: 'POST',
      url,
      headers: cm.headers,
      payload: { kind: 'shared', partnerId: otherPartner.id, ownerUserId: directSellerId, startsOn: '2026-09-01' },
    });
    expect(third.statusCode).toBe(200);
    const d = third.json();
    expect(d.ownershipHistory.map((o: { kind: string; startsOn: string; endsOn: string | null }) => [o.kind, o.startsOn, o.endsOn])).toEqual([
      ['shared', '2026-09-01', null],
      ['channel', '2026-03-01', '2026-09-01'],
      ['direct', '2025-01-01', '2026-03-01'],
    ]);
    expect(d.currentOwnership).toMatchObject({ kind: 'channel', partnerId: partner.id, partnerName: partner.name });

    const backwards = await t.app.inject({ method: 'POST', url, headers: cm.headers, payload: { kind: 'direct', startsOn: '2026-08-01' } });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().issues[0].path).toBe('body.startsOn');
    const noPartner = await t.app.inject({ method: 'POST', url, headers: cm.headers, payload: { kind: 'channel', startsOn: '2027-01-01' } });
    expect(noPartner.statusCode).toBe(400);
    const directWithPartner = await t.app.inject({
      method: 'POST',
      url,
      headers: cm.headers,
      payload: { kind: 'direct', partnerId: partner.id, startsOn: '2027-01-01' },
    });
    expect(directWithPartner.statusCode).toBe(400);

    const audit = await t.deps.db.selectFrom('auditEntry').select(['action', 'before', 'after']).where('entityId', '=', a.id).orderBy('seq').execute();
    expect(audit.map((e) => e.action)).toEqual(['account.create', 'account.ownership.set', 'account.ownership.set', 'account.ownership.set']);
    expect(audit[2]?.before).toMatchObject({ kind: 'direct', startsOn: '2025-01-01', endsOn: null });
  });

  it('refuses overlapping periods in the database itself', async () => {
    const a = (await create({ name: 'Overlap Probe' })).json();
    const insert = (id: string, startsOn: string, endsOn: string | null) =>
      t.deps.db
        .insertInto('accountOwnership')
        .values({ accountOwnershipId: id, accountId: a.id, kind: 'direct', partnerId: null, ownerUserId: null, startsOn, endsOn })
        .execute();
    await insert('00000000-0000-4000-8000-0000000000a1', '2026-01-01', '2026-03-01');
    await expect(insert('00000000-0000-4000-8000-0000000000a2', '2026-02-01', '2026-04-01')).rejects.toMatchObject({ code: '23P01' });
    await insert('00000000-0000-4000-8000-0000000000a3', '2026-03-01', null);
  });

  it("a partner's user may only own an account for that partner", async () => {
    const a = (await create({ name: 'Owner Probe Ltd' })).json();
    const pseller = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: partner.id });
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/accounts/${a.id}/ownership`,
      headers: cm.headers,
      payload: { kind: 'channel', partnerId: otherPartner.id, ownerUserId: pseller.id, startsOn: '2026-01-01' },
    });
    expect(wrong.statusCode).toBe(400);
    const right = await t.app.inject({
      method: 'POST',
      url: `/api/accounts/${a.id}/ownership`,
      headers: cm.headers,
      payload: { kind: 'channel', partnerId: partner.id, ownerUserId: pseller.id, startsOn: '2026-01-01' },
    });
    expect(right.statusCode).toBe(200);
  });

  it('answers 404 for an account that does not exist, and documents the routes in OpenAPI', async () => {
    const missing = '00000000-0000-4000-8000-00000000dead';
    expect((await t.app.inject({ method: 'GET', url: `/api/accounts/${missing}`, headers: { cookie: cm.cookie } })).statusCode).toBe(404);
    const own = await t.app.inject({
      method: 'POST',
      url: `/api/accounts/${missing}/ownership`,
      headers: cm.headers,
      payload: { kind: 'direct', startsOn: '2026-01-01' },
    });
    expect(own.statusCode).toBe(404);
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(spec.json().paths)).toEqual(expect.arrayContaining(['/api/accounts', '/api/accounts/{id}', '/api/accounts/{id}/ownership']));
  });

  it('keeps parent links acyclic', async () => {
    const parent = (await create({ name: 'Parent Holdings' })).json();
    const child = (await create({ name: 'Child Operations', parentAccountId: parent.id })).json();
    expect(child.parentAccountName).toBe('Parent Holdings');
    const cycle = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${parent.id}`, headers: cm.headers, payload: { parentAccountId: child.id } });
    expect(cycle.statusCode).toBe(400);
    const self = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${parent.id}`, headers: cm.headers, payload: { parentAccountId: parent.id } });
    expect(self.statusCode).toBe(400);
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/accounts/${child.id}`, headers: cm.headers, payload: { name: 'Child Operations AG' } });
    expect(renamed.json()).toMatchObject({ name: 'Child Operations AG', normalisedName: 'child operations' });
  });

  it('works through the service for the system actor, and the audit chain still verifies', async () => {
    const sys = systemActor('test');
    const a = await createAccount(t.deps, sys, {
      name: 'Service Made Inc',
      domain: null,
      country: null,
      taxId: null,
      industry: null,
      segment: null,
      parentAccountId: null,
    });
    await setAccountOwnership(t.deps, sys, a.id, { kind: 'direct', partnerId: null, ownerUserId: null, startsOn: '2026-01-01' });
    const found = await listAccounts(t.deps, sys, { q: 'service made', limit: 5, offset: 0 });
    expect(found.items[0]?.currentOwnership?.kind).toBe('direct');
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });
});
