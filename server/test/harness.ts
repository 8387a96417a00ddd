import type { FastifyInstance } from 'fastify';
import type { Role } from '../../common/roles.ts';
import { systemActor } from '../actor.ts';
import { buildApp, type AppOptions } from '../app.ts';
import type { Clock, Deps } from '../deps.ts';
import { createUser } from '../modules/identity/identity.service.ts';
import { createPartner } from '../modules/partners/partners.service.ts';
import { ensureWebBuilt } from '../web-build.ts';
import { createTestDeps, testConfig, type TestDatabase } from './test-db.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export type TestApp = { app: FastifyInstance; deps: Deps; database: TestDatabase; close(): Promise<void> };

export async function createTestApp(
  options: { clock?: Clock; isolationChecks?: boolean; app?: AppOptions; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const t = await createTestDeps({ ...options, config: testConfig(options.env) });
  const app = await buildApp(t.deps, options.app);
  await app.ready();
  return {
    app,
    deps: t.deps,
    database: t.database,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function makePartner(deps: Deps, name = unique('Partner')): Promise<{ id: string; name: string }> {
  const p = await createPartner(deps, systemActor('test'), { name, legalName: null, tier: 'silver', status: 'active', website: null, country: 'DE' });
  return { id: p.id, name: p.name };
}

export async function makeUser(
  deps: Deps,
  input: { roles: Role[]; partnerId?: string | null; email?: string; password?: string; displayName?: string },
): Promise<{ id: string; email: string; password: string }> {
  const email = input.email ?? `${unique('user')}@example.test`.toLowerCase();
  const password = input.password ?? TEST_PASSWORD;
  const u = await createUser(deps, systemActor('test'), {
    email,
    password,
    displayName: input.displayName ?? email.split('@')[0] ?? email,
    roles: input.roles,
    partnerId: input.partnerId ?? null,
    managerUserId: null,
  });
  return { id: u.id, email, password };
}

export type Session = { cookie: string; csrf: string; headers: Record<string, string> };

/** Signs in through the real login route and returns what a browser would hold. */
export async function signIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'realign_session');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `realign_session=${setCookie.value}`;
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** A real HTTP server on a random loopback port, serving the built web app: for browser tests. */
export async function startTestServer(): Promise<{
  url: string;
  deps: Deps;
  close(): Promise<void>;
  createUser(input: { email: string; password: string; displayName: string; roles: Role[]; partnerId?: string | null }): Promise<{ id: string }>;
  createPartner(name: string): Promise<{ id: string }>;
}> {
  const t = await createTestDeps({ config: testConfig({ REALIGN_WEB_DIST: './dist/web' }) });
  await ensureWebBuilt(t.deps.config.webDist, t.deps.log);
  const app = await buildApp(t.deps, { serveWeb: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    deps: t.deps,
    async close() {
      await app.close();
      await t.close();
    },
    createUser: (input) => makeUser(t.deps, input),
    createPartner: (name) => makePartner(t.deps, name),
  };
}
