import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPool, kyselyFor, type ConnectionOptions } from '../db/create-db.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../lib/logger.ts';

export type TestDbInfo = { kind: 'embedded' | 'external'; connection: ConnectionOptions; template: string; dataDir: string | null };

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: TestDbInfo;
  }
}

/**
 * Starts one PostgreSQL for the whole run: the embedded server in a temporary directory, or the
 * server DATABASE_URL names. Migrates a template database once; each test file clones it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  let server: EmbeddedServer | undefined;
  let connection: ConnectionOptions;
  let dataDir: string | null = null;
  if (process.env.DATABASE_URL) {
    connection = { connectionString: process.env.DATABASE_URL };
  } else {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-test-'));
    server = await startEmbeddedPostgres({ dataDir, log });
    connection = { ...server.connection, database: 'postgres' };
  }
  const template = `realign_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client(connection);
  await admin.connect();
  await admin.query(`create database ${template}`);
  const pool = createPool(withDatabase(connection, template), 2);
  const db = kyselyFor(pool);
  await migrateToLatest(db);
  await db.destroy();
  await admin.query(`alter database ${template} with is_template true`);
  project.provide('testDb', { kind: server ? 'embedded' : 'external', connection, template, dataDir });
  process.stdout.write(`[test] PostgreSQL: ${server ? 'embedded PostgreSQL 18 (one server for this run)' : 'external server from DATABASE_URL'}\n`);

  return async () => {
    // Drop what this run created on an external server; the embedded one goes away whole.
    if (!server) {
      const left = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2 order by datname = $2`, [
        `${template}\\_%`,
        template,
      ]);
      await admin.query(`alter database ${template} with is_template false`);
      for (const r of left.rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    }
    await admin.end();
    if (server) {
      await server.stop();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    }
  };
}

export function withDatabase(connection: ConnectionOptions, database: string): ConnectionOptions {
  if (connection.connectionString) {
    const url = new URL(connection.connectionString);
    url.pathname = `/${database}`;
    return { connectionString: url.toString() };
  }
  return { ...connection, database };
}
