import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { systemActor } from '../server/actor.ts';
import { buildApp } from '../server/app.ts';
import type { Deps } from '../server/deps.ts';
import { createUser } from '../server/modules/identity/identity.service.ts';
import type { BenchCase } from './harness.ts';

export const BENCH_PASSWORD = 'realign-bench-password';

/**
 * The yardstick most HTTP benchmarks here compare with: a bare Fastify route that does one
 * `select 1` on the same pool, injected the same way. What is left over is the app's own cost.
 */
export async function selectOneBaseline(deps: Deps): Promise<{ baseline: BenchCase; close(): Promise<void> }> {
  const bare = Fastify({ logger: false });
  bare.get('/ping', async () => {
    await sql`select 1`.execute(deps.db);
    return { ok: true };
  });
  await bare.ready();
  return {
    baseline: {
      name: 'bare Fastify route, select 1',
      async run() {
        const res = await bare.inject({ method: 'GET', url: '/ping' });
        if (res.statusCode !== 200) throw new Error(`baseline failed: ${res.statusCode}`);
      },
    },
    close: () => bare.close(),
  };
}

/** The real app with a signed-in internal administrator. */
export async function appWithSession(deps: Deps): Promise<{ app: FastifyInstance; cookie: string; email: string }> {
  const email = 'bench.admin@helion.example';
  await createUser(deps, systemActor('bench'), {
    email,
    password: BENCH_PASSWORD,
    displayName: 'Bench Admin',
    roles: ['admin'],
    partnerId: null,
    managerUserId: null,
  });
  const app = await buildApp(deps);
  await app.ready();
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: BENCH_PASSWORD } });
  const session = res.cookies.find((c) => c.name === 'realign_session');
  if (res.statusCode !== 200 || !session) throw new Error(`bench sign-in failed: ${res.statusCode} ${res.body}`);
  return { app, cookie: `realign_session=${session.value}`, email };
}
