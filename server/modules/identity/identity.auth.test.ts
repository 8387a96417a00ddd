import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope } from '../../db/scope.ts';
import { fixedClock } from '../../test/test-db.ts';
import { createTestApp, makePartner, makeUser, type TestApp } from '../../test/harness.ts';
import { authenticateApiToken, authenticateSession, createApiToken, login, revokeApiToken, updateUser } from './identity.service.ts';
import { systemActor } from '../../actor.ts';

/** A request's sign-in (one statement, migration 0028): expiry, revocation, disabled users, last-seen and last-used. */
// Sessions are stamped last-seen by the database's clock when opened, so this clock starts at the real time.
const clock = fixedClock(new Date().toISOString());
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t.close());

const client = { ip: '127.0.0.1', userAgent: 'test', requestId: 'req-1' };

async function lastSeenOf(sessionToken: string): Promise<Date> {
  const { sha256Hex } = await import('../../lib/ids.ts');
  const r = await t.deps.db.selectFrom('session').select('lastSeenAt').where('sessionId', '=', sha256Hex(sessionToken)).executeTakeFirstOrThrow();
  return r.lastSeenAt;
}

describe('session sign-in', () => {
  it('answers the actor, keeps last-seen fresh at most once a minute, and refuses expired sessions and disabled users', async () => {
    const partner = await makePartner(t.deps);
    const user = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: partner.id });
    const signedIn = await login(t.deps, { email: user.email, password: user.password }, client);
    const seenAtLogin = await lastSeenOf(signedIn.sessionToken);

    clock.advance(30_000);
    const a = await authenticateSession(t.deps, signedIn.sessionToken, 'req-2');
    expect(a).toMatchObject({ csrfToken: signedIn.csrfToken, scopes: ['read', 'write'] });
    expect(a?.actor).toMatchObject({
      kind: 'user',
      userId: user.id,
      email: user.email,
      partnerId: partner.id,
      roles: ['partner_seller'],
      via: 'session',
      requestId: 'req-2',
    });
    // Within a minute of the last write: not written again.
    expect(await lastSeenOf(signedIn.sessionToken)).toEqual(seenAtLogin);

    clock.advance(61_000);
    expect(await authenticateSession(t.deps, signedIn.sessionToken, null)).not.toBeNull();
    expect(await lastSeenOf(signedIn.sessionToken)).toEqual(clock.now());

    expect(await authenticateSession(t.deps, 'not-a-session', null)).toBeNull();

    // Past its expiry the session is dead, and nothing is written for it.
    const before = await lastSeenOf(signedIn.sessionToken);
    clock.advance(t.deps.config.auth.sessionHours * 3_600_000);
    expect(await authenticateSession(t.deps, signedIn.sessionToken, null)).toBeNull();
    expect(await lastSeenOf(signedIn.sessionToken)).toEqual(before);

    // A disabled user's sessions stop working.
    clock.set(new Date().toISOString());
    const other = await login(t.deps, { email: user.email, password: user.password }, client);
    expect(await authenticateSession(t.deps, other.sessionToken, null)).not.toBeNull();
    await updateUser(t.deps, systemActor('test'), user.id, { status: 'disabled' });
    expect(await authenticateSession(t.deps, other.sessionToken, null)).toBeNull();
  });
});

describe('API token sign-in', () => {
  it('marks a token used at most once a minute, and refuses revoked and expired tokens', async () => {
    clock.set('2026-06-02T09:00:00Z');
    const user = await makeUser(t.deps, { roles: ['admin'] });
    const signedIn = await login(t.deps, { email: user.email, password: user.password }, client);
    const actor = (await authenticateSession(t.deps, signedIn.sessionToken, null))?.actor;
    if (!actor) throw new Error('no actor');
    const created = await createApiToken(t.deps, actor, { name: 'sync', scopes: ['read'], expiresInDays: 1 });
    const lastUsed = async () =>
      (await t.deps.db.selectFrom('apiToken').select('lastUsedAt').where('apiTokenId', '=', created.id).executeTakeFirstOrThrow()).lastUsedAt;
    expect(await lastUsed()).toBeNull();

    const a = await authenticateApiToken(t.deps, created.token, 'req-3');
    expect(a).toMatchObject({ csrfToken: null, scopes: ['read'] });
    expect(a?.actor).toMatchObject({ userId: user.id, via: 'token', requestId: 'req-3' });
    expect(await lastUsed()).toEqual(clock.now());
    const first = clock.now();
    clock.advance(30_000);
    expect(await authenticateApiToken(t.deps, created.token, null)).not.toBeNull();
    expect(await lastUsed()).toEqual(first);
    clock.advance(31_000);
    expect(await authenticateApiToken(t.deps, created.token, null)).not.toBeNull();
    expect(await lastUsed()).toEqual(clock.now());

    expect(await authenticateApiToken(t.deps, 'rlgn_unknown', null)).toBeNull();
    expect(await authenticateApiToken(t.deps, 'no-prefix', null)).toBeNull();

    // Expired: refused and not marked used.
    const used = await lastUsed();
    clock.advance(2 * 86_400_000);
    expect(await authenticateApiToken(t.deps, created.token, null)).toBeNull();
    expect(await lastUsed()).toEqual(used);

    // Revoked: refused.
    clock.set('2026-06-02T10:00:00Z');
    const second = await createApiToken(t.deps, actor, { name: 'sync 2', scopes: ['read', 'write'], expiresInDays: 1 });
    expect(await authenticateApiToken(t.deps, second.token, null)).toMatchObject({ scopes: ['read', 'write'] });
    await revokeApiToken(t.deps, actor, second.id);
    expect(await authenticateApiToken(t.deps, second.token, null)).toBeNull();
  });
});

describe('the sign-in functions in the database', () => {
  it('cannot be called by the application role, and put the caller’s scope back when called inside a transaction', async () => {
    await expect(
      inScope(t.deps.db, { kind: 'partner', userId: '00000000-0000-4000-8000-000000000001', partnerId: '00000000-0000-4000-8000-000000000002' }, (trx) =>
        sql`select * from realign_authenticate_session(${'x'}, ${new Date()})`.execute(trx),
      ),
    ).rejects.toThrow(/permission denied/);
    const settings = await t.deps.db.transaction().execute(async (trx) => {
      await sql`select set_config('realign.scope', 'partner', true), set_config('realign.partner_id', '00000000-0000-4000-8000-000000000002', true)`.execute(
        trx,
      );
      await sql`select * from realign_authenticate_session(${'x'}, ${new Date()})`.execute(trx);
      await sql`select * from realign_authenticate_api_token(${'x'}, ${new Date()})`.execute(trx);
      const r = await sql<{
        scope: string;
        partnerId: string;
        role: string;
      }>`select current_setting('realign.scope') as scope, current_setting('realign.partner_id') as partner_id, current_setting('role') as role`.execute(trx);
      return r.rows[0];
    });
    expect(settings).toEqual({ scope: 'partner', partnerId: '00000000-0000-4000-8000-000000000002', role: 'none' });
  });
});
