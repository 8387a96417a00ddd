import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Test harness for tests that run the real process entry (`node server/main.ts`) as children. */

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The Node pinned in node_modules (it runs TypeScript); the one on the PATH may be older. */
export const NODE = existsSync(path.join(ROOT, 'node_modules', '.bin', 'node')) ? path.join(ROOT, 'node_modules', '.bin', 'node') : process.execPath;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A directory holding a stand-in web build, so the API process does not build the web app. */
export async function fakeWebDist(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rweb-'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Realign</title>');
  return dir;
}

export type AppProcess = {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly name: string;
  /** Everything the process wrote so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  hasExited(): boolean;
};

const running = new Set<AppProcess>();

export function startApp(name: string, env: Record<string, string | undefined>): AppProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(NODE, ['server/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const p: AppProcess = { child, pid: child.pid ?? -1, name, output: () => out, exited, hasExited: () => done };
  running.add(p);
  void exited.then(() => running.delete(p));
  return p;
}

export async function waitForReady(port: number, p: AppProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.hasExited()) throw new Error(`${p.name} exited before it was ready:\n${p.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${p.name} was not ready on port ${port} within ${timeoutMs} ms:\n${p.output()}`);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves with how it exited. */
export async function stopApp(p: AppProcess, graceMs = 15_000): Promise<number | string> {
  if (p.hasExited()) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** For afterAll: every child this file started and that is still running is killed. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((p) => stopApp(p, 5000)));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A tiny cookie-aware client for one signed-in browser. */
export type HttpSession = { cookie: string; csrf: string };

export async function http(base: string, method: string, url: string, opts: { session?: HttpSession; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.session) {
    headers.cookie = opts.session.cookie;
    headers['x-csrf-token'] = opts.session.csrf;
  }
  const res = await fetch(`${base}${url}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as Record<string, unknown> & { code?: string }, text, setCookie: res.headers.getSetCookie() };
}

export function sessionFrom(res: { json: Record<string, unknown>; setCookie: string[] }): HttpSession {
  const c = res.setCookie.map((h) => h.split(';')[0] ?? '').find((h) => h.startsWith('realign_session='));
  if (!c) throw new Error('no session cookie');
  return { cookie: c, csrf: String(res.json.csrfToken) };
}
