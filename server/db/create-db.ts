import { Kysely, PostgresDialect, CamelCasePlugin } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { PreparedPool } from './prepared.ts';
import type { DB } from './schema.ts';

const { Pool, types } = pg;

const INT8_OID = 20;
const DATE_OID = 1082;

/** bigint columns come back as numbers, with a check that no precision was lost. */
export function parseBigint(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} does not fit a JavaScript number exactly`);
  return n;
}

/** Type parsers for this app's pools only (pg's global parsers are left alone). */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return parseBigint;
    // Calendar dates stay YYYY-MM-DD strings: no time zone can shift them.
    if (oid === DATE_OID) return (v: string) => v;
    return types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export type ConnectionOptions = pg.PoolConfig;

export type Database = {
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;
  readonly connection: ConnectionOptions;
  readonly kind: 'embedded' | 'external';
  close(): Promise<void>;
};

export function createPool(connection: ConnectionOptions, max: number): pg.Pool {
  const pool = new Pool({ ...connection, max, types: typeParsers, application_name: 'realign' });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The app's Kysely over `pool`: its queries run as named prepared statements per connection
 * (prepared.ts), unless `prepared: false` (every query unnamed: the registration bench's comparison).
 */
export function kyselyFor(pool: pg.Pool, options: { prepared?: boolean } = {}): Kysely<DB> {
  const dialectPool = options.prepared === false ? pool : new PreparedPool(pool);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: dialectPool }), plugins: [new CamelCasePlugin()] });
}

/** Opens the database: the embedded server by default, DATABASE_URL when set. One code path after that. */
export async function createDatabase(config: Config, log: Logger): Promise<Database> {
  if (config.db.kind === 'external') {
    const connection = { connectionString: config.db.url };
    const pool = createPool(connection, config.db.poolSize);
    const db = kyselyFor(pool);
    return { db, pool, connection, kind: 'external', close: () => db.destroy() };
  }
  const server = await startEmbeddedPostgres({ dataDir: config.db.dataDir, log });
  const connection = server.connection;
  const pool = createPool(connection, config.db.poolSize);
  const db = kyselyFor(pool);
  return {
    db,
    pool,
    connection,
    kind: 'embedded',
    async close() {
      await db.destroy();
      await server.stop();
    },
  };
}
