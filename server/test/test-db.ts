import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../config.ts';
import { createPool, kyselyFor, type ConnectionOptions } from '../db/create-db.ts';
import { systemClock, type Clock, type Deps } from '../deps.ts';
import { createLogger } from '../lib/logger.ts';
import { withDatabase } from './global-setup.ts';

export type TestDatabase = {
  name: string;
  connection: ConnectionOptions;
  /** A postgres:// URL for child processes (DATABASE_URL). */
  url: string;
  drop(): Promise<void>;
};

/** A fresh database cloned from the migrated template: milliseconds, not a migration run. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject('testDb');
  const name = `${info.template}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(info.connection);
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${info.template}`);
  } finally {
    await admin.end();
  }
  const connection = withDatabase(info.connection, name);
  return {
    name,
    connection,
    url: connectionUrl(connection),
    async drop() {
      const c = new pg.Client(info.connection);
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).finally(() => c.end());
    },
  };
}

export function connectionUrl(c: ConnectionOptions): string {
  if (c.connectionString) return c.connectionString;
  const auth = `${encodeURIComponent(String(c.user ?? 'postgres'))}:${encodeURIComponent(String(c.password ?? ''))}`;
  return `postgresql://${auth}@${encodeURIComponent(String(c.host))}:${c.port ?? 5432}/${c.database}`;
}

export const fixedClock = (iso: string): Clock & { set(iso: string): void; advance(ms: number): void } => {
  let t = new Date(iso).getTime();
  return { now: () => new Date(t), set: (v) => (t = new Date(v).getTime()), advance: (ms) => (t += ms) };
};

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', REALIGN_DATA_DIR: '/nonexistent', ...overrides });
}

export type TestDeps = { deps: Deps; database: TestDatabase; close(): Promise<void> };

export async function createTestDeps(options: { clock?: Clock; isolationChecks?: boolean; config?: Config } = {}): Promise<TestDeps> {
  const database = await createTestDatabase();
  const pool = createPool(database.connection, 10);
  const db = kyselyFor(pool);
  const config = options.config ?? testConfig();
  const deps: Deps = {
    db,
    clock: options.clock ?? systemClock,
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    config,
    isolationChecks: options.isolationChecks ?? true,
  };
  return {
    deps,
    database,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}
