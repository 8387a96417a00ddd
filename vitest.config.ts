import { defineConfig } from 'vitest/config';

// One PostgreSQL per test run (embedded, or DATABASE_URL's server), a fresh database per test file.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          globalSetup: ['./server/test/global-setup.ts'],
          include: ['server/**/*.test.ts', 'common/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          globalSetup: ['./server/test/global-setup.ts'],
          include: ['web/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
