import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeWebDist,
  freePort,
  http,
  isAlive,
  killAll,
  sessionFrom,
  startApp,
  stopApp,
  waitFor,
  waitForReady,
  type AppProcess,
  type HttpSession,
} from '../test/child-process.ts';

/**
 * The embedded PostgreSQL survives a hard kill of the app: a Node process killed with SIGKILL leaves
 * its postgres running (postmaster.pid); the next start must stop or reuse it, come up ready, and
 * every write it acknowledged must still be there.
 */
const external = Boolean(process.env.DATABASE_URL);
if (external) console.warn('[embedded-crash] SKIPPED: DATABASE_URL is set; this test needs the embedded PostgreSQL.');

let dataDir = '';
let webDist = '';
let port = 0;

function postmasterPid(): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function appEnv(p: number) {
  return {
    DATABASE_URL: undefined,
    REALIGN_DATA_DIR: dataDir,
    REALIGN_PROCESS: 'api',
    PORT: String(p),
    HOST: '127.0.0.1',
    REALIGN_WEB_DIST: webDist,
    REALIGN_DB_POOL_SIZE: '4',
  };
}

describe.skipIf(external)('the embedded database after a crash of the app', () => {
  let first: AppProcess;
  let second: AppProcess | undefined;
  let session: HttpSession;
  const acknowledged: string[] = [];

  beforeAll(async () => {
    // Short path: the PostgreSQL socket lives in the data directory and socket paths are limited.
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rc-'));
    webDist = await fakeWebDist();
    port = await freePort();
  });

  afterAll(async () => {
    await killAll();
    // A postgres left behind by a failed run: stop it so it does not outlive the test.
    const pid = dataDir ? postmasterPid() : undefined;
    if (pid && isAlive(pid)) process.kill(pid, 'SIGQUIT');
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    if (webDist) await fs.rm(webDist, { recursive: true, force: true });
  });

  it('starts on a fresh data directory (initdb) and runs first-run setup', async () => {
    first = startApp('app-1', appEnv(port));
    await waitForReady(port, first, 60_000);
    const base = `http://127.0.0.1:${port}`;
    const setup = await http(base, 'POST', '/api/setup', {
      body: { email: 'chief@vendor.test', password: 'correct horse battery staple', displayName: 'Chief' },
    });
    expect(setup.status, setup.text).toBe(200);
    session = sessionFrom(setup);
    expect(isAlive(postmasterPid() ?? -1)).toBe(true);
  });

  it('refuses a second app process on the same data directory', async () => {
    const other = startApp('app-intruder', appEnv(await freePort()));
    const code = await other.exited;
    expect(code).not.toBe(0);
    expect(other.output()).toContain('Another Realign process');
    expect(first.hasExited()).toBe(false);
    expect((await http(`http://127.0.0.1:${port}`, 'GET', '/readyz')).status).toBe(200);
  });

  it('keeps every acknowledged write across a SIGKILL of the app, and restarts on the leftover server', async () => {
    const base = `http://127.0.0.1:${port}`;
    const pgPid = postmasterPid();
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await http(base, 'POST', '/api/partners', { session, body: { name: `Crash Partner ${i}` } });
          if (r.status === 201) acknowledged.push(String(r.json.id));
          else throw new Error(`unexpected ${r.status} ${r.text}`);
        } catch (err) {
          if (stop) return;
          throw err;
        }
      }
    })();
    const failed = writer.then(
      () => undefined,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 1500));
    // A request in flight now fails; every 201 before it was acknowledged.
    stop = true;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await failed).toBeUndefined();
    expect(acknowledged.length, 'writes acknowledged before the kill').toBeGreaterThan(5);

    // The app's postgres outlives it.
    expect(pgPid).toBeDefined();
    expect(isAlive(pgPid ?? -1)).toBe(true);

    second = startApp('app-2', appEnv(port));
    await waitForReady(port, second, 60_000);
    expect((await http(base, 'GET', '/readyz')).status).toBe(200);
    // The session was in the database too.
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 200) {
      const page = await http(base, 'GET', `/api/partners?limit=200&offset=${offset}`, { session });
      expect(page.status, page.text).toBe(200);
      const items = page.json.items as { id: string }[];
      for (const p of items) ids.add(p.id);
      if (items.length < 200) break;
    }
    const lost = acknowledged.filter((id) => !ids.has(id));
    expect(lost, `acknowledged writes lost after the crash (of ${acknowledged.length})`).toEqual([]);
    // At most the one write in flight at the kill may exist without an acknowledgement.
    expect(ids.size - acknowledged.length, `${ids.size} partners for ${acknowledged.length} acknowledged writes`).toBeLessThanOrEqual(1);
    const created = await http(base, 'POST', '/api/partners', { session, body: { name: 'After the crash' } });
    expect(created.status, created.text).toBe(201);
  });

  it('stops cleanly on SIGTERM: the app exits 0 and its postgres is gone', async () => {
    const app = second;
    if (!app) throw new Error('the restarted app is not running');
    const pgPid = postmasterPid();
    expect(pgPid).toBeDefined();
    const code = await stopApp(app, 30_000);
    expect(code, app.output()).toBe(0);
    expect(postmasterPid()).toBeUndefined();
    // pg_ctl stop returns once postmaster.pid is gone; the process itself ends a moment later.
    await waitFor('the postgres server to exit', async () => !isAlive(pgPid ?? -1), 10_000, 50);
    await expect(fs.access(path.join(dataDir, 'realign.pid'))).rejects.toThrow();
  });
});
