import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError, type Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.ts';
import { createPool, kyselyFor } from '../db/create-db.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import { login } from '../modules/identity/identity.service.ts';
import { postNotification } from '../modules/notifications/notifications.service.ts';
import { makePartner, makeUser } from '../test/harness.ts';
import { createTestDatabase, createTestDeps, type TestDeps } from '../test/test-db.ts';
import { createProgram } from './program.ts';
import { runCli } from './spawn-cli.ts';

const PASSWORD = 'a long enough password';

/** Every command path of the program: ['db'], ['db', 'backup'], ... */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

/** Parses in this process, as main.ts does, capturing what commander prints. */
function parseOnly(args: string[]): { text: string; exitCode: number } {
  let text = '';
  const program = createProgram();
  const capture = (cmd: Command) => {
    cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    cmd.commands.forEach(capture);
  };
  capture(program);
  try {
    program.parse(['node', 'realign', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) return { text, exitCode: err.exitCode };
    throw err;
  }
  return { text, exitCode: -1 };
}

const helpOf = (args: string[]) => parseOnly([...args, '--help']);

async function digest(connection: pg.ClientConfig, tables: string[]): Promise<Record<string, string>> {
  const c = new pg.Client(connection);
  await c.connect();
  try {
    const out: Record<string, string> = {};
    for (const t of tables) {
      const r = await c.query<{ v: string }>(
        `select count(*) || ':' || coalesce(md5(string_agg(x::text, E'\\n' order by x::text)), '') as v from ${c.escapeIdentifier(t)} x`,
      );
      out[t] = r.rows[0]?.v ?? '';
    }
    return out;
  } finally {
    await c.end();
  }
}

describe('help', () => {
  it('answers --help on every command, with exit code 0', () => {
    const paths = commandPaths(createProgram());
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['db migrate', 'db backup', 'db restore', 'admin create', 'audit verify', 'jobs status', 'demo', 'serve']),
    );
    for (const p of [[], ...paths]) {
      const h = helpOf(p);
      expect(h.exitCode, p.join(' ')).toBe(0);
      expect(h.text, p.join(' ')).toContain(`Usage: realign${p.length ? ` ${p.join(' ')}` : ''}`);
    }
  });

  it('tells how the database is opened, and that a backup moves the data to a managed PostgreSQL', () => {
    for (const p of [
      ['db', 'migrate'],
      ['db', 'backup'],
      ['db', 'restore'],
      ['admin', 'create'],
      ['audit', 'verify'],
    ]) {
      expect(helpOf(p).text.replace(/\s+/g, ' '), p.join(' ')).toContain('stop the app first, or use DATABASE_URL');
    }
    expect(helpOf(['db', 'backup']).text.replace(/\s+/g, ' ')).toContain('managed PostgreSQL');
  });

  it('runs from bin/realign.js, handing an old Node over to the pinned one', async () => {
    const bin = fileURLToPath(new URL('../../bin/realign.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'db', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: realign db');
    const systemNode = '/usr/bin/node';
    if (existsSync(systemNode)) {
      const old = spawnSync(systemNode, [bin, 'nonsense'], { encoding: 'utf8' });
      expect(old.status).toBe(1);
      expect(old.stderr).toContain("unknown command 'nonsense'");
    }
  });
});

describe('against a database', () => {
  let t: TestDeps;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDeps();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-cli-test-'));
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('admin create makes an administrator who can sign in, audited as the CLI', async () => {
    const r = await runCli(['admin', 'create', '--email', 'Chief@Vendor.Test', '--password', PASSWORD, '--name', 'Channel Chief', '--json'], {
      databaseUrl: t.database.url,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const user = JSON.parse(r.stdout) as { id: string; email: string; roles: string[] };
    expect(user).toMatchObject({ email: 'chief@vendor.test', roles: ['admin'], displayName: 'Channel Chief' });
    const signedIn = await login(t.deps, { email: 'chief@vendor.test', password: PASSWORD }, { ip: '127.0.0.1', userAgent: null, requestId: null });
    expect(signedIn.user.id).toBe(user.id);
    const entry = await t.deps.db
      .selectFrom('auditEntry')
      .select(['actorLabel'])
      .where('action', '=', 'user.create')
      .where('entityId', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(entry.actorLabel).toBe('system:cli');

    const fromStdin = await runCli(['admin', 'create', '--email', 'second@vendor.test', '--password', '-'], {
      databaseUrl: t.database.url,
      input: `${PASSWORD}\n`,
    });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toContain('Created administrator second@vendor.test (second)');
  });

  it('refuses bad arguments with a non-zero exit and one clear line', async () => {
    const weak = await runCli(['admin', 'create', '--email', 'not-an-email', '--password', 'short'], { databaseUrl: t.database.url });
    expect(weak.code).toBe(1);
    expect(weak.stderr.trim()).toBe('realign: Invalid input: --email must be an e-mail address; --password must be at least 12 characters');
    const taken = await runCli(['admin', 'create', '--email', 'chief@vendor.test', '--password', PASSWORD], { databaseUrl: t.database.url });
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe('realign: A user with e-mail chief@vendor.test already exists');
    // Usage errors are commander's: the same exit code and message path, checked without a child process.
    expect(parseOnly(['db', 'backup'])).toMatchObject({ exitCode: 1, text: expect.stringContaining("required option '--out <file>' not specified") });
    expect(parseOnly(['demo', '--scale', 'lots'])).toMatchObject({
      exitCode: 1,
      text: expect.stringContaining("option '--scale <n>' argument 'lots' is invalid"),
    });
    expect(parseOnly(['db', 'restore', '--in', 'x', '--frobnicate'])).toMatchObject({
      exitCode: 1,
      text: expect.stringContaining("unknown option '--frobnicate'"),
    });
  });

  it('reports job counts and an up-to-date schema as JSON', async () => {
    const jobs = await runCli(['jobs', 'status', '--json'], { databaseUrl: t.database.url });
    expect(jobs.code).toBe(0);
    expect(JSON.parse(jobs.stdout)).toEqual({ queued: 0, running: 0, succeeded: 0, failed: 0, dead: 0 });
    const migrate = await runCli(['db', 'migrate', '--json'], { databaseUrl: t.database.url });
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout)).toEqual({ applied: [] });
  });

  it('backs up and restores through the CLI: the copy is identical; a second restore without --force is refused', async () => {
    const p = await makePartner(t.deps);
    const u = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: p.id });
    await postNotification(t.deps, systemActor('test'), { userId: u.id, partnerId: p.id, kind: 'test', title: 'Welcome' });
    const file = path.join(dir, 'cli.backup.gz');
    const backup = await runCli(['db', 'backup', '--out', file, '--json'], { databaseUrl: t.database.url });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file, rows: expect.any(Number) });

    const target = await createTestDatabase();
    try {
      const restore = await runCli(['db', 'restore', '--in', file], { databaseUrl: target.url });
      expect(restore.stderr).toBe('');
      expect(restore.code).toBe(0);
      expect(restore.stdout).toMatch(/^Restored \d+ rows into \d+ tables/);
      const tables = ['partner', 'app_user', 'notification', 'audit_entry', 'audit_chain_head', 'session', 'login_failure'];
      expect(await digest(target.connection, tables)).toEqual(await digest(t.database.connection, tables));
      const pool = createPool(target.connection, 1);
      try {
        expect(await verifyAuditChain({ ...t.deps, db: kyselyFor(pool) })).toMatchObject({ ok: true });
      } finally {
        await pool.end();
      }

      const again = await runCli(['db', 'restore', '--in', file], { databaseUrl: target.url });
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe(
        'realign: The target database already holds data: restore into an empty database, or pass --force to replace everything in it',
      );
    } finally {
      await target.drop();
    }
  });
});
