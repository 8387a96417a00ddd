import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('first-run setup and sign-in', () => {
  it('offers setup while no user exists, then refuses a second setup', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needsSetup: true });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'Chief@Vendor.test', password: TEST_PASSWORD, displayName: 'Channel Chief' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.email).toBe('chief@vendor.test');
    expect(body.user.roles).toEqual(['admin']);
    const cookie = res.cookies.find((c) => c.name === 'realign_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect((await t.app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needsSetup: false });
    const again = await t.app.inject({ method: 'POST', url: '/api/setup', payload: { email: 'x@vendor.test', password: TEST_PASSWORD, displayName: 'X' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('setup_done');
  });

  it('stores passwords as argon2id hashes', async () => {
    const row = await t.deps.db.selectFrom('appUser').select('passwordHash').where('email', '=', 'chief@vendor.test').executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('signs in, reads /me, and signs out; the old cookie is dead afterwards', async () => {
    const s = await signIn(t.app, 'chief@vendor.test');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.displayName).toBe('Channel Chief');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated change without the CSRF token', async () => {
    const s = await signIn(t.app, 'chief@vendor.test');
    const res = await t.app.inject({ method: 'POST', url: '/api/partners', headers: { cookie: s.cookie }, payload: { name: 'No Csrf Ltd' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: { cookie: s.cookie, 'x-csrf-token': 'nope' },
      payload: { name: 'No Csrf Ltd' },
    });
    expect(wrong.statusCode).toBe(403);
    const count = await t.deps.db
      .selectFrom('partner')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('name', '=', 'No Csrf Ltd')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const u = await makeUser(t.deps, { roles: ['internal_seller'] });
    const max = t.deps.config.auth.loginMaxFailures;
    for (let i = 0; i < max; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: 'wrong password!!' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('locked');
    expect(locked.headers['retry-after']).toBeDefined();
  });

  it('gives the same answer for an unknown e-mail as for a wrong password', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@nowhere.test', password: 'whatever it is' } });
    expect(r.statusCode).toBe(401);
    expect(r.json().detail).toBe('The e-mail or password is wrong, or the account is disabled');
  });
});

describe('API tokens', () => {
  it('acts as its user with its scopes, and stops working once revoked', async () => {
    const admin = await makeUser(t.deps, { roles: ['admin'] });
    const s = await signIn(t.app, admin.email);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers: s.headers,
      payload: { name: 'CRM sync', scopes: ['read'], expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^rlgn_/);
    const stored = await t.deps.db.selectFrom('apiToken').select('tokenHash').where('apiTokenId', '=', id).executeTakeFirstOrThrow();
    expect(stored.tokenHash).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/partners', headers: bearer })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'POST', url: '/api/partners', headers: bearer, payload: { name: 'Via token' } });
    expect(write.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/api-tokens/${id}`, headers: s.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/partners', headers: bearer })).statusCode).toBe(401);
  });

  it('partner admins manage their own users only', async () => {
    const a = await makePartner(t.deps);
    const b = await makePartner(t.deps);
    const pa = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: a.id });
    const s = await signIn(t.app, pa.email);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: { email: 'seller@a.test', password: TEST_PASSWORD, displayName: 'Seller', roles: ['partner_seller'], partnerId: a.id },
    });
    expect(ok.statusCode).toBe(201);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: { email: 'seller@b.test', password: TEST_PASSWORD, displayName: 'Seller', roles: ['partner_seller'], partnerId: b.id },
    });
    expect(other.statusCode).toBe(404);
    const escalate = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: { email: 'boss@a.test', password: TEST_PASSWORD, displayName: 'Boss', roles: ['admin'], partnerId: a.id },
    });
    expect(escalate.statusCode).toBe(400);
  });
});
