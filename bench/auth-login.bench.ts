import { appWithSession, BENCH_PASSWORD, selectOneBaseline } from './bench-app.ts';
import type { Benchmark } from './harness.ts';

export const authLoginBench: Benchmark = {
  name: 'auth.login',
  description:
    'POST /api/auth/login through app.inject: argon2id verification (the library defaults), the failure-count checks, a new session and its audit entry; against a bare Fastify route doing one `select 1`. Scale has no effect.',
  async setup({ deps }) {
    const { app, email } = await appWithSession(deps);
    const bare = await selectOneBaseline(deps);
    return {
      baseline: bare.baseline,
      cases: [
        {
          name: 'POST /api/auth/login (right password)',
          async run() {
            const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: BENCH_PASSWORD } });
            if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`);
          },
        },
      ],
      async teardown() {
        await app.close();
        await bare.close();
      },
    };
  },
};
