import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope } from '../db/scope.ts';
import { enqueueJob } from '../jobs/jobs.repository.ts';
import { makeUser, TEST_PASSWORD } from './harness.ts';
import { createTestDeps, type TestDeps } from './test-db.ts';
import { fakeWebDist, freePort, http, killAll, sessionFrom, startApp, stopApp, waitFor, waitForReady, type AppProcess } from './child-process.ts';

/**
 * Two API processes and two worker processes on one database: sessions, login throttling and the
 * job queue live in PostgreSQL, so any process can serve any request and each job runs once.
 */
let t: TestDeps;
let webDist: string;
const apis: { p: AppProcess; base: string }[] = [];
const workers: AppProcess[] = [];

beforeAll(async () => {
  t = await createTestDeps();
  webDist = await fakeWebDist();
  try {
    const ports = [await freePort(), await freePort()];
    const common = { DATABASE_URL: t.database.url, REALIGN_WEB_DIST: webDist, REALIGN_DB_POOL_SIZE: '4' };
    for (const [i, port] of ports.entries()) {
      apis.push({
        p: startApp(`api-${i + 1}`, { ...common, REALIGN_PROCESS: 'api', PORT: String(port), HOST: '127.0.0.1' }),
        base: `http://127.0.0.1:${port}`,
      });
    }
    for (const i of [1, 2]) workers.push(startApp(`worker-${i}`, { ...common, REALIGN_PROCESS: 'worker', LOG_LEVEL: 'info' }));
    await Promise.all(apis.map((a, i) => waitForReady(ports[i] ?? 0, a.p)));
    await Promise.all(
      workers.map((w) =>
        waitFor(`${w.name} to start`, async () => (w.hasExited() ? Promise.reject(new Error(w.output())) : w.output().includes('worker started')), 30_000),
      ),
    );
  } catch (err) {
    await killAll();
    throw err;
  }
}, 90_000);

afterAll(async () => {
  await killAll();
  await t?.close();
  if (webDist) await fs.rm(webDist, { recursive: true, force: true });
});

const api = (i: number) => {
  const a = apis[i];
  if (!a) throw new Error(`no api ${i}`);
  return a.base;
};

describe('several app processes on one database', () => {
  it('a session opened on API 1 works on API 2, CSRF token included', async () => {
    const u = await makeUser(t.deps, { roles: ['admin'] });
    const login = await http(api(0), 'POST', '/api/auth/login', { body: { email: u.email, password: TEST_PASSWORD } });
    expect(login.status, login.text).toBe(200);
    const s = sessionFrom(login);
    const me = await http(api(1), 'GET', '/api/auth/me', { session: s });
    expect(me.status).toBe(200);
    expect((me.json.user as { email: string }).email).toBe(u.email);
    const created = await http(api(1), 'POST', '/api/partners', { session: s, body: { name: 'Made on API 2' } });
    expect(created.status, created.text).toBe(201);
    const seen = await http(api(0), 'GET', `/api/partners/${String(created.json.id)}`, { session: s });
    expect(seen.status).toBe(200);
    // Without the CSRF token the other process refuses the change too.
    const noCsrf = await http(api(1), 'POST', '/api/partners', { session: { ...s, csrf: 'wrong' }, body: { name: 'No CSRF' } });
    expect(noCsrf.status).toBe(403);
    // Signing out on API 2 ends the session on API 1.
    expect((await http(api(1), 'POST', '/api/auth/logout', { session: s })).status).toBe(204);
    expect((await http(api(0), 'GET', '/api/auth/me', { session: s })).status).toBe(401);
  });

  it('failed sign-ins on both APIs count together towards the lockout', async () => {
    const u = await makeUser(t.deps, { roles: ['internal_seller'] });
    const max = 5; // REALIGN_LOGIN_MAX_FAILURES default
    for (let i = 0; i < max; i++) {
      const r = await http(api(i % 2), 'POST', '/api/auth/login', { body: { email: u.email, password: 'not the password' } });
      expect(r.status).toBe(401);
    }
    for (const i of [0, 1]) {
      const locked = await http(api(i), 'POST', '/api/auth/login', { body: { email: u.email, password: TEST_PASSWORD } });
      expect(locked.status, `API ${i + 1}`).toBe(423);
      expect(locked.json.code).toBe('locked');
    }
  });

  it('two workers run 100 jobs exactly once between them', async () => {
    const u = await makeUser(t.deps, { roles: ['operations'] });
    const lockers = new Set<string>();
    await inScope(t.deps.db, { kind: 'system' }, async (trx) => {
      for (let i = 0; i < 100; i++) {
        await enqueueJob(trx, { name: 'notifications.post', payload: { userId: u.id, partnerId: null, kind: 'test', title: `job ${i}` } });
      }
    });
    await waitFor(
      '100 succeeded jobs',
      async () => {
        const rows = await t.deps.db.selectFrom('job').select(['status', 'lockedBy']).where('name', '=', 'notifications.post').execute();
        for (const r of rows) if (r.lockedBy) lockers.add(r.lockedBy);
        const bad = rows.filter((r) => r.status === 'dead' || r.status === 'failed');
        if (bad.length > 0) throw new Error(`jobs failed: ${JSON.stringify(bad)}\n${workers.map((w) => w.output()).join('\n')}`);
        return rows.length === 100 && rows.every((r) => r.status === 'succeeded');
      },
      30_000,
      20,
    );
    const notes = await t.deps.db.selectFrom('notification').select(['title']).where('appUserId', '=', u.id).execute();
    expect(notes).toHaveLength(100);
    expect(new Set(notes.map((n) => n.title)).size).toBe(100);
    const attempts = await t.deps.db.selectFrom('job').select('attempts').where('name', '=', 'notifications.post').execute();
    expect(attempts.every((a) => a.attempts === 1)).toBe(true);
    // locked_by is cleared when a job finishes, so which worker ran what is only seen while it runs.
    console.info(`[multi-process] workers seen holding jobs: ${[...lockers].join(', ') || '(none caught while running)'}`);
    expect(workers.every((w) => !w.hasExited())).toBe(true);
  });

  it('every process shuts down cleanly on SIGTERM', async () => {
    const all = [...apis.map((a) => a.p), ...workers];
    const codes = await Promise.all(all.map((p) => stopApp(p)));
    expect(codes, all.map((p) => `--- ${p.name}\n${p.output()}`).join('\n')).toEqual([0, 0, 0, 0]);
  });
});
