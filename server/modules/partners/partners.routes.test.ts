import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, (await makeUser(t.deps, { roles: ['admin'] })).email);
});
afterAll(async () => t?.close());

describe('partners', () => {
  it('channel staff add partners; names are unique ignoring case; sellers may not add', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/partners', headers: admin.headers, payload: { name: '  Acme Channel  ', country: 'DE' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Acme Channel', tier: 'registered', status: 'active', country: 'DE', legalName: null });
    const dup = await t.app.inject({ method: 'POST', url: '/api/partners', headers: admin.headers, payload: { name: 'ACME channel' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().issues).toEqual([{ path: 'body.name', message: 'is already taken' }]);
    const seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['internal_seller'] })).email);
    const refused = await t.app.inject({ method: 'POST', url: '/api/partners', headers: seller.headers, payload: { name: 'Seller Made' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('forbidden');
  });

  it('a partner admin edits their own profile and contacts, but not tier or status; a partner seller edits nothing', async () => {
    const p = await makePartner(t.deps);
    const pa = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id })).email);
    const ps = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_seller'], partnerId: p.id })).email);
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/partners/${p.id}`, headers: pa.headers, payload: { website: 'https://own.test' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().website).toBe('https://own.test');
    const tier = await t.app.inject({ method: 'PATCH', url: `/api/partners/${p.id}`, headers: pa.headers, payload: { tier: 'platinum' } });
    expect(tier.statusCode).toBe(403);
    const contact = await t.app.inject({
      method: 'POST',
      url: `/api/partners/${p.id}/contacts`,
      headers: pa.headers,
      payload: { name: 'Exec', isExecutive: true, email: 'EXEC@Own.test' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    expect(contact.json()).toMatchObject({ email: 'exec@own.test', isExecutive: true, partnerId: p.id });
    expect((await t.app.inject({ method: 'PATCH', url: `/api/partners/${p.id}`, headers: ps.headers, payload: { website: null } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/partners/${p.id}/contacts`, headers: ps.headers, payload: { name: 'X' } })).statusCode).toBe(403);
    // The seller still reads their organisation, its contacts and users.
    expect((await t.app.inject({ method: 'GET', url: `/api/partners/${p.id}`, headers: ps.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/partners/${p.id}/contacts`, headers: ps.headers })).json().items).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: `/api/partners/${p.id}/users`, headers: ps.headers })).json().items).toHaveLength(2);
  });

  it('renaming to a name another partner has is a conflict; renaming to a new case of the own name is fine', async () => {
    const a = await makePartner(t.deps, 'Rename Alpha');
    await makePartner(t.deps, 'Rename Beta');
    expect((await t.app.inject({ method: 'PATCH', url: `/api/partners/${a.id}`, headers: admin.headers, payload: { name: 'rename beta' } })).statusCode).toBe(
      409,
    );
    const same = await t.app.inject({ method: 'PATCH', url: `/api/partners/${a.id}`, headers: admin.headers, payload: { name: 'RENAME ALPHA' } });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json().name).toBe('RENAME ALPHA');
  });

  it('an unknown partner or contact is 404', async () => {
    const p = await makePartner(t.deps);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['GET', `/api/partners/${missing}`],
      ['PATCH', `/api/partners/${missing}`],
      ['GET', `/api/partners/${missing}/contacts`],
      ['POST', `/api/partners/${missing}/contacts`],
      ['PATCH', `/api/partners/${p.id}/contacts/${missing}`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: admin.headers, ...(method === 'GET' ? {} : { payload: { name: 'X' } }) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('lists with paging and search; totals count every match', async () => {
    for (const n of [1, 2, 3]) await makePartner(t.deps, `Paging Corp ${n}`);
    const page = await t.app.inject({ method: 'GET', url: '/api/partners', headers: admin.headers, query: { q: 'paging corp', limit: '2', offset: '1' } });
    expect(page.json()).toMatchObject({ total: 3, items: [{ name: 'Paging Corp 2' }, { name: 'Paging Corp 3' }] });
  });
});
