import { hash as argonHash } from '@node-rs/argon2';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.ts';
import { systemActor, type UserActor } from '../actor.ts';
import { inScope, type DbScope } from '../db/scope.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';
import { createApiToken } from '../modules/identity/identity.service.ts';
import { postNotification } from '../modules/notifications/notifications.service.ts';
import { addPartnerContact, createPartner } from '../modules/partners/partners.service.ts';
import { createTestApp, signIn, TEST_PASSWORD, type Session, type TestApp } from './harness.ts';

/**
 * Partner isolation, end to end: partner B's people must not read, list, count, search or change
 * partner A's rows through any route. The same property is run twice: with the application's own
 * checks, and with them switched off, so row-level security is shown to hold on its own.
 */

const SEED = 20_261_126;
const RUNS = 25;

let passwordHash: string;
let counter = 0;

type Person = { id: string; email: string; actor: UserActor };
type Org = { id: string; name: string; admin: Person; seller: Person; contactIds: string[]; notificationIds: string[]; tokenIds: string[] };

async function insertUser(deps: Deps, partnerId: string, role: Role, tag: string): Promise<Person> {
  const id = newId();
  const email = `${role}.${tag}@${partnerId.slice(0, 8)}.test`;
  await deps.db
    .insertInto('appUser')
    .values({
      appUserId: id,
      email,
      displayName: `${role} ${tag}`,
      passwordHash,
      partnerId,
      roles: [role],
      status: 'active',
      managerUserId: null,
      lockedUntil: null,
      lastLoginAt: null,
    })
    .execute();
  return { id, email, actor: { kind: 'user', userId: id, email, displayName: role, partnerId, roles: [role], via: 'session', requestId: null } };
}

type OrgSpec = { name: string; contacts: { name: string; isExecutive: boolean }[]; notifications: number; withToken: boolean };

async function makeOrg(deps: Deps, spec: OrgSpec, tag: string): Promise<Org> {
  const system = systemActor('test');
  const p = await createPartner(deps, system, { name: spec.name, legalName: null, tier: 'gold', status: 'active', website: null, country: null });
  const admin = await insertUser(deps, p.id, 'partner_admin', tag);
  const seller = await insertUser(deps, p.id, 'partner_seller', tag);
  const contactIds: string[] = [];
  for (const c of spec.contacts) {
    contactIds.push((await addPartnerContact(deps, system, p.id, { name: c.name, email: null, phone: null, title: null, isExecutive: c.isExecutive })).id);
  }
  const notificationIds: string[] = [];
  for (let i = 0; i < spec.notifications; i++) {
    for (const u of [admin, seller])
      notificationIds.push(await postNotification(deps, system, { userId: u.id, partnerId: p.id, kind: 'test', title: `note ${i}` }));
  }
  const tokenIds = spec.withToken ? [(await createApiToken(deps, admin.actor, { name: 'sync', scopes: ['read', 'write'], expiresInDays: 30 })).id] : [];
  return { id: p.id, name: p.name, admin, seller, contactIds, notificationIds, tokenIds };
}

/** Everything of A's, read past RLS (the test pool is a superuser). */
async function snapshot(deps: Deps, org: Org) {
  const userIds = [org.admin.id, org.seller.id];
  const db = deps.db;
  return {
    partner: await db.selectFrom('partner').selectAll().where('partnerId', '=', org.id).execute(),
    contacts: await db.selectFrom('partnerContact').selectAll().where('partnerId', '=', org.id).orderBy('partnerContactId').execute(),
    users: await db.selectFrom('appUser').selectAll().where('partnerId', '=', org.id).orderBy('appUserId').execute(),
    notifications: await db.selectFrom('notification').selectAll().where('appUserId', 'in', userIds).orderBy('notificationId').execute(),
    tokens: await db.selectFrom('apiToken').selectAll().where('appUserId', 'in', userIds).orderBy('apiTokenId').execute(),
  };
}

async function auditCount(deps: Deps): Promise<number> {
  return Number(
    (
      await deps.db
        .selectFrom('auditEntry')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

const text = (max: number) =>
  fc.string({
    minLength: 0,
    maxLength: max,
    unit: fc.oneof(
      fc.constantFrom('%', '_', '\\', "'", ' ', 'é', 'ß', '漢', '🙂'),
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    ),
  });
const orgSpec = fc.record({
  name: text(40),
  contacts: fc.array(fc.record({ name: text(30).map((s) => `c ${s}`), isExecutive: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  notifications: fc.integer({ min: 1, max: 2 }),
  withToken: fc.boolean(),
});
const world = fc.record({ a: orgSpec, b: orgSpec, newName: text(30).map((s) => `renamed ${s}`), bIsAdmin: fc.boolean() });

beforeAll(async () => {
  passwordHash = await argonHash(TEST_PASSWORD);
});

for (const isolationChecks of [true, false]) {
  describe(`partner isolation (application checks ${isolationChecks ? 'on' : 'OFF: row-level security alone'})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ isolationChecks });
    });
    afterAll(async () => t?.close());

    it(`B's users cannot read, list, count, search or change A's rows (${RUNS} random pairs)`, async () => {
      await fc.assert(
        fc.asyncProperty(world, async (w) => {
          const n = ++counter;
          const deps = t.deps;
          const A = await makeOrg(deps, { ...w.a, name: `${w.a.name} «A${n}»` }, `a${n}`);
          const B = await makeOrg(deps, { ...w.b, name: `${w.b.name} «B${n}»` }, `b${n}`);
          const attacker = w.bIsAdmin ? B.admin : B.seller;
          const s: Session = await signIn(t.app, attacker.email);
          const before = await snapshot(deps, A);
          const auditBefore = await auditCount(deps);

          const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, query?: Record<string, string>) => {
            const res = await t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}), ...(query ? { query } : {}) });
            expect(res.statusCode, `${method} ${url} must never fail on the server: ${res.body}`).toBeLessThan(500);
            return res;
          };
          const notFound = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
            const res = await call(method, url, payload);
            expect(res.statusCode, `${method} ${url} as ${attacker.actor.roles[0]} of B: ${res.body}`).toBe(404);
            expect(res.json<{ code: string }>().code).toBe('not_found');
          };

          // Read one of A's rows.
          await notFound('GET', `/api/partners/${A.id}`);
          await notFound('GET', `/api/partners/${A.id}/contacts`);
          await notFound('GET', `/api/partners/${A.id}/users`);
          await notFound('GET', `/api/users/${A.admin.id}`);
          await notFound('GET', `/api/users/${A.seller.id}`);

          // List, count and search: only B, and totals count only B.
          const list = (await call('GET', '/api/partners')).json<{ items: { id: string }[]; total: number }>();
          expect(list).toMatchObject({ total: 1, items: [{ id: B.id }] });
          const search = (await call('GET', '/api/partners', undefined, { q: A.name })).json<{ items: unknown[]; total: number }>();
          expect(search).toEqual({ items: [], total: 0 });
          const searchAll = (await call('GET', '/api/partners', undefined, { q: '%' })).json<{ items: { id: string }[]; total: number }>();
          expect(searchAll.items.every((p) => p.id === B.id)).toBe(true);
          expect(searchAll.total).toBe(searchAll.items.length);
          if (attacker === B.admin) {
            const users = (await call('GET', '/api/users')).json<{ items: { partnerId: string }[]; total: number }>();
            expect(users.total).toBe(2);
            expect(users.items.map((u) => u.partnerId)).toEqual([B.id, B.id]);
            expect((await call('GET', '/api/users', undefined, { q: A.admin.email })).json()).toEqual({ items: [], total: 0 });
            expect((await call('GET', '/api/users', undefined, { q: `.a${n}@` })).json()).toEqual({ items: [], total: 0 });
          }
          const mine = (await call('GET', '/api/notifications')).json<{ items: { id: string }[]; unread: number }>();
          expect(mine.items.every((i) => B.notificationIds.includes(i.id))).toBe(true);
          expect(mine.unread).toBe(w.b.notifications);
          const tokens = (await call('GET', '/api/api-tokens')).json<{ items: { id: string }[] }>();
          expect(tokens.items.filter((x) => A.tokenIds.includes(x.id))).toEqual([]);

          // Change one of A's rows.
          await notFound('PATCH', `/api/partners/${A.id}`, { name: w.newName, website: 'https://evil.test' });
          await notFound('POST', `/api/partners/${A.id}/contacts`, { name: 'Mallory' });
          for (const contactId of A.contactIds) {
            await notFound('PATCH', `/api/partners/${A.id}/contacts/${contactId}`, { name: 'Mallory' });
            // A's contact reached through B's own partner id.
            if (attacker === B.admin) await notFound('PATCH', `/api/partners/${B.id}/contacts/${contactId}`, { name: 'Mallory' });
          }
          for (const id of A.notificationIds) await notFound('POST', `/api/notifications/${id}/read`);
          await notFound('PATCH', `/api/users/${A.admin.id}`, { displayName: 'Mallory' });
          await notFound('PATCH', `/api/users/${A.seller.id}`, { status: 'disabled' });
          await notFound('POST', '/api/users', {
            email: `mallory${n}@evil.test`,
            password: TEST_PASSWORD,
            displayName: 'Mallory',
            roles: ['partner_admin'],
            partnerId: A.id,
          });
          for (const id of A.tokenIds) await notFound('DELETE', `/api/api-tokens/${id}`);
          // Marking all of "my" notifications read touches only mine.
          expect((await call('POST', '/api/notifications/read-all')).statusCode).toBe(204);

          expect(await snapshot(deps, A)).toEqual(before);
          // Only the read-all above was audited: none of the refused attempts left a trace.
          expect(await auditCount(deps)).toBe(auditBefore + 1);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  });
}

describe('row-level security, directly', () => {
  let t: TestApp;
  let A: Org;
  let B: Org;
  beforeAll(async () => {
    t = await createTestApp();
    const spec = { contacts: [{ name: 'x', isExecutive: true }], notifications: 1, withToken: true };
    A = await makeOrg(t.deps, { ...spec, name: 'RLS A' }, 'rls-a');
    B = await makeOrg(t.deps, { ...spec, name: 'RLS B' }, 'rls-b');
  });
  afterAll(async () => t?.close());

  const asB = (): DbScope => ({ kind: 'partner', userId: B.admin.id, partnerId: B.id });
  const rows = <T>(q: string) => inScope(t.deps.db, asB(), async (trx) => (await sql.raw<T>(q).execute(trx)).rows);
  const failsWith = async (scope: DbScope, statements: string[]) => {
    const err = await inScope(t.deps.db, scope, async (trx) => {
      for (const s of statements) await sql.raw(s).execute(trx);
    }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    return err;
  };

  it('a partner scope sees only its own rows in every partner-scoped table, and no audit entries', async () => {
    expect((await rows<{ partnerId: string }>('select * from partner')).map((r) => r.partnerId)).toEqual([B.id]);
    expect(new Set((await rows<{ partnerId: string }>('select * from app_user')).map((r) => r.partnerId))).toEqual(new Set([B.id]));
    expect((await rows<{ partnerContactId: string }>('select * from partner_contact')).map((r) => r.partnerContactId)).toEqual(B.contactIds);
    const notes = await rows<{ notificationId: string; appUserId: string }>('select * from notification');
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((r) => r.appUserId === B.admin.id)).toBe(true);
    expect((await rows<{ apiTokenId: string }>('select * from api_token')).map((r) => r.apiTokenId)).toEqual(B.tokenIds);
    expect(await rows('select * from audit_entry')).toEqual([]);
    // Sanity: the rows are there for an internal scope.
    const internal = await inScope(
      t.deps.db,
      { kind: 'internal', userId: newId() },
      async (trx) => (await sql<{ n: string }>`select count(*) as n from partner`.execute(trx)).rows[0]?.n,
    );
    expect(Number(internal)).toBe(2);
  });

  it('with no scope set at all, nothing is visible (fails closed)', async () => {
    const r = await t.deps.db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'realign_app', true)`.execute(trx);
      return (
        await sql<{ n: string }>`select (select count(*) from partner) + (select count(*) from app_user) + (select count(*) from partner_contact) as n`.execute(
          trx,
        )
      ).rows[0]?.n;
    });
    expect(Number(r)).toBe(0);
  });

  it("updates and deletes of another partner's rows affect 0 rows", async () => {
    const counts = await inScope(t.deps.db, asB(), async (trx) => {
      const out: number[] = [];
      for (const q of [
        `update partner set name = 'pwned' where partner_id = '${A.id}'`,
        `update partner_contact set name = 'pwned' where partner_id = '${A.id}'`,
        `update app_user set display_name = 'pwned' where partner_id = '${A.id}'`,
        `update notification set read_at = now() where app_user_id = '${A.admin.id}'`,
        `update api_token set revoked_at = now() where app_user_id = '${A.admin.id}'`,
        `delete from partner_contact where partner_id = '${A.id}'`,
        `delete from notification where app_user_id = '${A.admin.id}'`,
      ]) {
        out.push(Number((await sql.raw(q).execute(trx)).numAffectedRows ?? -1));
      }
      return out;
    });
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const a = await t.deps.db.selectFrom('partner').select('name').where('partnerId', '=', A.id).executeTakeFirstOrThrow();
    expect(a.name).toBe('RLS A');
  });

  it("inserting a row with another partner's id fails with SQLSTATE 42501", async () => {
    const inserts = [
      `insert into partner_contact (partner_contact_id, partner_id, name) values ('${newId()}', '${A.id}', 'x')`,
      `insert into app_user (app_user_id, email, display_name, partner_id, roles) values ('${newId()}', 'x${newId()}@x.test', 'x', '${A.id}', '{partner_admin}')`,
      `insert into notification (notification_id, app_user_id, partner_id, kind, title) values ('${newId()}', '${A.admin.id}', '${A.id}', 'k', 't')`,
      `insert into partner (partner_id, name) values ('${newId()}', 'sneaky')`,
      `insert into api_token (api_token_id, app_user_id, name, token_hash, token_prefix, scopes, expires_at) values ('${newId()}', '${A.admin.id}', 'x', '${newId()}', 'x', '{read}', now() + interval '1 day')`,
    ];
    for (const q of inserts) expect((await failsWith(asB(), [q]))?.code, q).toBe('42501');
    // And moving one of B's own rows over to A is refused the same way.
    expect((await failsWith(asB(), [`update partner_contact set partner_id = '${A.id}' where partner_id = '${B.id}'`]))?.code).toBe('42501');
  });

  it('the audit log is append-only even for the system scope', async () => {
    for (const q of ['update audit_entry set action = action', 'delete from audit_entry', 'truncate audit_entry']) {
      expect((await failsWith({ kind: 'system' }, [q]))?.code, q).toBe('42501');
    }
  });

  it('a scoped transaction runs as realign_app even though the pool connects as a superuser, and row_security cannot be turned off', async () => {
    const who = await inScope(
      t.deps.db,
      asB(),
      async (trx) => (await sql<{ cu: string; rs: string }>`select current_user as cu, current_setting('row_security') as rs`.execute(trx)).rows[0],
    );
    expect(who?.cu).toBe('realign_app');
    expect(who?.rs).toBe('on');
    // row_security = off does not bypass RLS: a query it would affect raises an error instead.
    expect((await failsWith(asB(), ['set row_security = off', 'select * from partner']))?.code).toBe('42501');
    expect((await failsWith(asB(), ['set local row_security = off', 'select * from app_user']))?.code).toBe('42501');
    const role = await t.deps.db
      .selectFrom('pg_roles' as never)
      .select(['rolsuper', 'rolbypassrls'] as never)
      .where('rolname' as never, '=', 'realign_app' as never)
      .executeTakeFirstOrThrow();
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });
});
