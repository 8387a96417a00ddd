import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemActor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { login, updateUser } from '../modules/identity/identity.service.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import { postNotification, markAllNotificationsRead } from '../modules/notifications/notifications.service.ts';
import { addPartnerContact, updatePartner } from '../modules/partners/partners.service.ts';
import { makePartner, makeUser } from '../test/harness.ts';
import { createTestDatabase, createTestDeps, type TestDatabase, type TestDeps } from '../test/test-db.ts';
import { backupDatabase, orderForRestore, readBackupHeader, restoreDatabase } from './backup.ts';
import { createPool, kyselyFor } from './create-db.ts';
import { migrateToLatest } from './migrate.ts';

let source: TestDeps;
let sourcePool: pg.Pool;
let dir: string;
let file: string;
const client = { ip: '192.0.2.7', userAgent: 'backup-test', requestId: null };

/** Every table's rows, hashed in a stable order, as the owner sees them (no RLS, no scope). */
async function tableDigests(connection: pg.ClientConfig): Promise<Record<string, string>> {
  const c = new pg.Client(connection);
  await c.connect();
  try {
    const tables = await c.query<{ name: string }>(
      `select relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and relkind = 'r' and relname not like 'kysely%' order by 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const r = await c.query<{ n: string; h: string | null }>(
        `select count(*)::text as n, md5(string_agg(t::text, E'\\n' order by t::text)) as h from ${c.escapeIdentifier(name)} t`,
      );
      out[name] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
    }
    const seqs = await c.query<{ name: string }>(
      `select relname::text as name from pg_class where relkind = 'S' and relnamespace = 'public'::regnamespace order by 1`,
    );
    for (const { name } of seqs.rows) {
      const r = await c.query<{ v: string }>(`select last_value::text || '/' || is_called as v from ${c.escapeIdentifier(name)}`);
      out[`sequence ${name}`] = r.rows[0]?.v ?? '';
    }
    return out;
  } finally {
    await c.end();
  }
}

async function withOwner<T>(connection: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(connection);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function depsFor(pool: pg.Pool): Deps {
  return { ...source.deps, db: kyselyFor(pool) };
}

beforeAll(async () => {
  source = await createTestDeps();
  sourcePool = createPool(source.database.connection, 2);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-backup-test-'));
  file = path.join(dir, 'realign.backup.gz');
  const d = source.deps;
  const partner = await makePartner(d, 'Tab\tand "quotes", back\\slash\nnewline Ltd');
  await makePartner(d);
  await updatePartner(d, systemActor('test'), partner.id, { website: 'https://example.test/ünïcödé' });
  await addPartnerContact(d, systemActor('test'), partner.id, { name: 'Ada', email: 'ada@example.test', phone: null, title: 'CEO', isExecutive: true });
  const boss = await makeUser(d, { roles: ['admin'] });
  const seller = await makeUser(d, { roles: ['internal_seller'] });
  const partnerUser = await makeUser(d, { roles: ['partner_admin'], partnerId: partner.id });
  await updateUser(d, systemActor('test'), seller.id, { displayName: 'Seller With A New Name' });
  await login(d, { email: seller.email, password: seller.password }, client);
  await expect(login(d, { email: boss.email, password: 'wrong password, twice' }, client)).rejects.toThrow();
  await expect(login(d, { email: boss.email, password: 'wrong password, again' }, client)).rejects.toThrow();
  await postNotification(d, systemActor('test'), { userId: partnerUser.id, partnerId: partner.id, kind: 'test', title: 'Hello', body: 'multi\nline' });
  await postNotification(d, systemActor('test'), { userId: seller.id, partnerId: null, kind: 'test', title: 'Hi' });
  await markAllNotificationsRead(d, {
    kind: 'user',
    userId: seller.id,
    email: seller.email,
    displayName: 's',
    partnerId: null,
    roles: ['internal_seller'],
    via: 'session',
    requestId: null,
  });
  // Managers referencing both ways in key order: the self-referencing table must load whatever the row order.
  await withOwner(source.database.connection, async (c) => {
    await c.query('update app_user set manager_user_id = $1 where app_user_id = $2', [seller.id, boss.id]);
    await c.query('update app_user set manager_user_id = $1 where app_user_id = $2', [boss.id, seller.id]);
  });
}, 60_000);

afterAll(async () => {
  await sourcePool?.end();
  await source?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  let target: TestDatabase;
  let targetPool: pg.Pool;
  beforeAll(async () => {
    target = await createTestDatabase();
    targetPool = createPool(target.connection, 2);
  });
  afterAll(async () => {
    await targetPool.end();
    await target.drop();
  });

  it('writes a gzip file with a header naming the migrations and every table in load order', async () => {
    const progress: string[] = [];
    const summary = await backupDatabase(sourcePool, file, {
      createdAt: new Date('2025-03-04T05:06:07Z'),
      onProgress: (p) => progress.push(`${p.table}:${p.tablesDone}`),
    });
    const header = await readBackupHeader(file);
    expect(header.format).toBe('realign-backup');
    expect(header.createdAt).toBe('2025-03-04T05:06:07.000Z');
    expect(header.migrations).toContain('0001-platform');
    const names = header.tables.map((t) => t.name);
    expect(names).not.toContain('kysely_migration');
    // partner and app_user refer to each other (a cycle, loaded with deferred checks); other references load parents first.
    expect(names.indexOf('partner')).toBeLessThan(names.indexOf('partner_contact'));
    expect(names.indexOf('app_user')).toBeLessThan(names.indexOf('notification'));
    expect(header.tables.find((t) => t.name === 'audit_entry')?.rows).toBeGreaterThan(5);
    expect(header.sequences.map((s) => s.name)).toContain('login_failure_login_failure_id_seq');
    expect(summary.tables).toBe(header.tables.length);
    expect(progress).toContain(`audit_entry:${names.indexOf('audit_entry') + 1}`);
    const text = gunzipSync(await fs.readFile(file)).toString('utf8');
    expect(text.endsWith('\\.eof\n')).toBe(true);
    await expect(fs.readdir(dir)).resolves.toEqual(['realign.backup.gz']);
  });

  it('restores into a fresh database: every table and sequence identical, the audit chain intact', async () => {
    const summary = await restoreDatabase(targetPool, file, { force: false });
    expect(summary.rows).toBeGreaterThan(10);
    expect(await tableDigests(target.connection)).toEqual(await tableDigests(source.database.connection));
    const verified = await verifyAuditChain(depsFor(targetPool));
    expect(verified.ok).toBe(true);
    expect(verified.entries).toBeGreaterThan(5);
    // Row-level security and the append-only trigger are back in force after the restore.
    const state = await withOwner(target.connection, (c) =>
      c.query<{ forced: string; trigger: string }>(
        `select (select count(*) from pg_class where relname in ('partner','app_user','audit_entry') and relforcerowsecurity)::text as forced,
                (select tgenabled::text from pg_trigger where tgname = 'audit_entry_append_only') as trigger`,
      ),
    );
    expect(state.rows[0]).toEqual({ forced: '3', trigger: 'O' });
    // The restored database takes new work: the identity column continues past the restored rows.
    await expect(login(depsFor(targetPool), { email: 'nobody@example.test', password: 'x' }, client)).rejects.toThrow();
  });

  it('refuses a database that already holds data, unless forced; forced, it replaces everything', async () => {
    await expect(restoreDatabase(targetPool, file, { force: false })).rejects.toThrow(/already holds data.*--force/);
    await makePartner(depsFor(targetPool), 'Only In The Target');
    await restoreDatabase(targetPool, file, { force: true });
    expect(await tableDigests(target.connection)).toEqual(await tableDigests(source.database.connection));
  });

  it('refuses a truncated or corrupted file and leaves the target as it was', async () => {
    await makePartner(depsFor(targetPool), 'Target Change Before Bad Restore');
    const before = await tableDigests(target.connection);
    const bytes = await fs.readFile(file);
    const truncated = path.join(dir, 'truncated.gz');
    await fs.writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    await expect(restoreDatabase(targetPool, truncated, { force: true })).rejects.toThrow(/damaged or incomplete.*nothing was restored/);

    // A cleanly compressed file whose last table section was cut off.
    const text = gunzipSync(bytes).toString('utf8');
    const cut = path.join(dir, 'cut.gz');
    await fs.writeFile(cut, gzipSync(text.slice(0, text.lastIndexOf('\\.end '))));
    await expect(restoreDatabase(targetPool, cut, { force: true })).rejects.toThrow(/damaged or incomplete/);

    const flipped = Buffer.from(bytes);
    const at = Math.floor(flipped.length * 0.6);
    for (let i = at; i < at + 16; i++) flipped[i] = (flipped[i] ?? 0) ^ 0xff;
    const corrupt = path.join(dir, 'corrupt.gz');
    await fs.writeFile(corrupt, flipped);
    await expect(restoreDatabase(targetPool, corrupt, { force: true })).rejects.toThrow(/damaged or incomplete|could not be loaded/);

    // Rows that do not fit their table: the whole restore rolls back, not just that table.
    const badRows = path.join(dir, 'bad-rows.gz');
    await fs.writeFile(badRows, gzipSync(text.replace(/(\\\.table audit_entry\n)[^\t\n]+/, '$1not-a-number')));
    await expect(restoreDatabase(targetPool, badRows, { force: true })).rejects.toThrow(/Table audit_entry could not be loaded/);

    const notBackup = path.join(dir, 'not-a-backup.gz');
    await fs.writeFile(notBackup, 'hello, world\n');
    await expect(restoreDatabase(targetPool, notBackup, { force: true })).rejects.toThrow(/not a gzip file/);
    await expect(restoreDatabase(targetPool, path.join(dir, 'missing.gz'), { force: true })).rejects.toThrow(/does not exist/);

    expect(await tableDigests(target.connection)).toEqual(before);
  });

  it('refuses a target whose migrations differ from the backup, naming them', async () => {
    const other = await createTestDatabase();
    try {
      const pool = createPool(other.connection, 1);
      try {
        await withOwner(other.connection, (c) => c.query(`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', now()::text)`));
        await expect(restoreDatabase(pool, file, { force: false })).rejects.toThrow(/predates \(9999-from-the-future\)/);
        await withOwner(other.connection, (c) => c.query(`delete from kysely_migration where name in ('9999-from-the-future', '0001-platform')`));
        await expect(restoreDatabase(pool, file, { force: false })).rejects.toThrow(/has not applied \(0001-platform\)/);
      } finally {
        await pool.end();
      }
    } finally {
      await other.drop();
    }
  });
});

describe('tables that reference each other', () => {
  it('restores a foreign-key cycle, checking it at the end, and leaves the constraints as they were', async () => {
    const ddl = `create table cyc_a (id int primary key, b_id int);
      create table cyc_b (id int primary key, a_id int not null references cyc_a);
      alter table cyc_a add constraint cyc_a_b_fk foreign key (b_id) references cyc_b;`;
    const [from, to] = [await createTestDatabase(), await createTestDatabase()];
    const [poolFrom, poolTo] = [createPool(from.connection, 1), createPool(to.connection, 1)];
    try {
      await withOwner(from.connection, (c) =>
        c.query(`${ddl} insert into cyc_a values (1, null); insert into cyc_b values (10, 1); update cyc_a set b_id = 10;`),
      );
      await withOwner(to.connection, (c) => c.query(ddl));
      const cyc = path.join(dir, 'cycle.gz');
      await backupDatabase(poolFrom, cyc, { createdAt: new Date() });
      await restoreDatabase(poolTo, cyc, { force: false });
      expect(await tableDigests(to.connection)).toEqual(await tableDigests(from.connection));
      const fks = await withOwner(to.connection, (c) =>
        c.query<{ d: boolean }>(`select bool_or(condeferrable) as d from pg_constraint where conname in ('cyc_a_b_fk', 'cyc_b_a_id_fkey')`),
      );
      expect(fks.rows[0]?.d).toBe(false);
    } finally {
      await poolFrom.end();
      await poolTo.end();
      await from.drop();
      await to.drop();
    }
  });
});

describe('restore order', () => {
  it('puts referenced tables first, ignores self-references, and still places every table of a cycle', () => {
    const t = (name: string) => ({ name });
    const order = orderForRestore(
      [t('c'), t('b'), t('a'), t('x'), t('y')],
      [
        { table: 'b', references: 'a' },
        { table: 'c', references: 'b' },
        { table: 'c', references: 'c' },
        { table: 'x', references: 'y' },
        { table: 'y', references: 'x' },
      ],
    ).map((x) => x.name);
    expect(order.slice(0, 3)).toEqual(['a', 'b', 'c']);
    expect([...order].sort()).toEqual(['a', 'b', 'c', 'x', 'y']);
  });
});

describe('as an owner that is not a superuser (a managed PostgreSQL)', () => {
  const role = `realign_owner_${process.pid}`;
  const password = 'owner-password-for-tests';
  const names = [`${role}_a`, `${role}_b`];
  let admin: pg.Client;
  const as = (database: string): pg.ClientConfig => {
    const info = inject('testDb').connection;
    if (info.connectionString) {
      const url = new URL(info.connectionString);
      url.username = role;
      url.password = password;
      url.pathname = `/${database}`;
      return { connectionString: url.toString() };
    }
    return { ...info, user: role, password, database };
  };

  beforeAll(async () => {
    admin = new pg.Client(inject('testDb').connection);
    await admin.connect();
    await admin.query(`create role ${role} login password '${password}' nosuperuser nobypassrls`);
    // The platform migration grants itself realign_app; on a managed server the provider's admin role would.
    await admin.query(`grant realign_app to ${role} with admin option`);
    for (const name of names) {
      await admin.query(`create database ${name} owner ${role}`);
      const pool = createPool(as(name), 1);
      const db = kyselyFor(pool);
      await migrateToLatest(db);
      await db.destroy();
    }
  }, 60_000);

  afterAll(async () => {
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
  });

  it('backs up every row despite FORCE ROW LEVEL SECURITY and restores under the same rules', async () => {
    const [a, b] = names as [string, string];
    const poolA = createPool(as(a), 2);
    const poolB = createPool(as(b), 2);
    try {
      const deps = depsFor(poolA);
      const partner = await makePartner(deps);
      await makeUser(deps, { roles: ['partner_admin'], partnerId: partner.id });
      await makeUser(deps, { roles: ['admin'] });
      const owned = path.join(dir, 'owned.gz');
      await backupDatabase(poolA, owned, { createdAt: new Date() });
      const header = await readBackupHeader(owned);
      expect(header.tables.find((t) => t.name === 'app_user')?.rows).toBe(2);
      expect(header.tables.find((t) => t.name === 'audit_entry')?.rows).toBe(3);
      await restoreDatabase(poolB, owned, { force: false });
      expect(await tableDigests(as(b))).toEqual(await tableDigests(as(a)));
      expect((await verifyAuditChain(depsFor(poolB))).ok).toBe(true);
      await expect(restoreDatabase(poolB, owned, { force: false })).rejects.toThrow(/already holds data/);
      await restoreDatabase(poolB, owned, { force: true });
      const forced = await withOwner(as(b), (c) =>
        c.query<{ n: string }>(`select count(*)::text as n from pg_class where relforcerowsecurity and relnamespace = 'public'::regnamespace`),
      );
      expect(Number(forced.rows[0]?.n)).toBeGreaterThanOrEqual(6);
    } finally {
      await poolA.end();
      await poolB.end();
    }
  });
});
