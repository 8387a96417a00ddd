import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Named prepared statements for the app's queries. Every Kysely query is sent with the extended
 * protocol anyway; given a statement name, PostgreSQL parses, analyses and rewrites its text once per
 * connection, and after five executions it may keep a generic plan instead of planning each time
 * (plan_cache_mode auto: only when that plan is estimated no worse than the custom ones). On the
 * submission path planning was most of PostgreSQL's time (the conflict search: ~1.9 ms to plan,
 * ~1.5 ms to run; bench engagement.registration-load).
 *
 * - A statement is named the second time its text runs on a connection, so one-off texts (bulk
 *   inserts whose VALUES list varies with the batch, ad hoc filters) never take a slot.
 * - Each connection keeps at most `maxStatements` names (least recently used out). An evicted
 *   statement is DEALLOCATEd when the connection goes back to the pool outside a transaction (one
 *   statement for all of them, off the request's path); names are never reused, so a statement
 *   waiting for that is never confused with a new one.
 * - Texts without parameters stay unnamed (simple protocol): BEGIN, COMMIT, savepoints, DDL and
 *   multi-statement migration scripts, none of which can or need be prepared. Cursors and other
 *   query objects pass through untouched.
 * - PostgreSQL replans a cached statement itself when a table it reads changes; only a change of its
 *   result columns fails ("cached plan must not change result type"), as does a DEALLOCATE ALL or
 *   DISCARD ALL behind the cache's back. Either forgets the statement, and outside a transaction the
 *   query is retried once at once; inside one the error stands (the transaction is aborted anyway),
 *   and the next use prepares afresh.
 */

export type PreparedOptions = {
  /** Most named statements kept per connection. */
  maxStatements: number;
  /** Longer texts are never named (each would hold a large plan for one caller). */
  maxTextLength: number;
};

export const defaultPreparedOptions: PreparedOptions = { maxStatements: 200, maxTextLength: 50_000 };

/** What one connection has prepared: text -> name in least-recently-used order, and what waits to be dropped. */
type StatementCache = {
  named: Map<string, string>;
  /** Texts seen once and not named yet (bounded like `named`; oldest forgotten first). */
  seen: Set<string>;
  nextId: number;
  evicted: string[];
};

export type PreparedStats = { named: number; evicted: number; seen: number };

/** The part of pg's Connection the cache must keep in step with: which statements pg thinks exist. */
type PgConnectionInternals = { parsedStatements?: Record<string, string> };

function parsedStatementsOf(client: pg.PoolClient): Record<string, string> | undefined {
  return (client as unknown as { connection?: PgConnectionInternals }).connection?.parsedStatements;
}

const NAME_PREFIX = 'realign_s';

function isPlanInvalidated(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  // 0A000 "cached plan must not change result type"; 26000 "prepared statement ... does not exist".
  return (code === '0A000' && typeof message === 'string' && message.includes('cached plan')) || code === '26000';
}

class PreparedClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  readonly #cache: StatementCache;
  readonly #options: PreparedOptions;

  constructor(client: pg.PoolClient, cache: StatementCache, options: PreparedOptions) {
    this.#client = client;
    this.#cache = cache;
    this.#options = options;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    const client = this.#client as unknown as {
      query(text: unknown, values?: unknown): Promise<PostgresQueryResult<R>> | PostgresCursor<R>;
    };
    if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor);
    const values = parameters ? [...parameters] : [];
    const name = values.length > 0 ? this.#nameFor(sqlOrCursor) : null;
    if (name === null) return client.query(sqlOrCursor, values);
    return (client.query({ name, text: sqlOrCursor, values }) as Promise<PostgresQueryResult<R>>).catch((err: unknown) => {
      if (!isPlanInvalidated(err)) throw err;
      this.#forget(sqlOrCursor, err);
      if (this.#client.getTransactionStatus() !== 'I') throw err;
      // Not inside a transaction: nothing was done, so the query runs again, unnamed this time.
      return client.query(sqlOrCursor, values) as Promise<PostgresQueryResult<R>>;
    });
  }

  /** The statement name for `text` on this connection, or null to send it unnamed. */
  #nameFor(text: string): string | null {
    const { named, seen } = this.#cache;
    const found = named.get(text);
    if (found !== undefined) {
      // Most recently used last.
      named.delete(text);
      named.set(text, found);
      return found;
    }
    if (text.length > this.#options.maxTextLength) return null;
    if (!seen.has(text)) {
      seen.add(text);
      if (seen.size > this.#options.maxStatements) seen.delete(seen.values().next().value as string);
      return null;
    }
    seen.delete(text);
    if (named.size >= this.#options.maxStatements) {
      const [oldText, oldName] = named.entries().next().value as [string, string];
      named.delete(oldText);
      this.#cache.evicted.push(oldName);
    }
    const name = `${NAME_PREFIX}${this.#cache.nextId++}`;
    named.set(text, name);
    return name;
  }

  #forget(text: string, err: unknown): void {
    const { named } = this.#cache;
    if ((err as { code?: unknown }).code === '26000') {
      // The session's statements were dropped behind our back: pg's record and ours are both stale.
      const parsed = parsedStatementsOf(this.#client);
      for (const name of named.values()) if (parsed) delete parsed[name];
      named.clear();
      this.#cache.evicted = [];
      return;
    }
    const name = named.get(text);
    if (name === undefined) return;
    named.delete(text);
    this.#cache.evicted.push(name);
  }

  stats(): PreparedStats {
    return { named: this.#cache.named.size, evicted: this.#cache.evicted.length, seen: this.#cache.seen.size };
  }

  release(destroy?: boolean): void {
    const evicted = this.#cache.evicted;
    if (destroy || evicted.length === 0 || this.#client.getTransactionStatus() !== 'I') {
      this.#client.release(destroy);
      return;
    }
    this.#cache.evicted = [];
    const parsed = parsedStatementsOf(this.#client);
    // Only what pg actually prepared exists on the server (a statement whose Parse failed does not).
    const existing = parsed ? evicted.filter((n) => parsed[n] !== undefined) : evicted;
    if (existing.length === 0) {
      this.#client.release();
      return;
    }
    this.#client.query(existing.map((n) => `deallocate ${n}`).join('; ')).then(
      () => {
        for (const n of existing) if (parsed) delete parsed[n];
        this.#client.release();
      },
      // Something is wrong with this connection: the pool closes it rather than hand it out again.
      (err: unknown) => this.#client.release(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

/**
 * The pool Kysely is given: each checkout's client names the statements it runs (see above). The
 * underlying pg.Pool is unchanged, so code that takes clients from it directly (backup's COPY
 * streams) is not affected.
 */
export class PreparedPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #options: PreparedOptions;
  readonly #clients = new WeakMap<pg.PoolClient, PreparedClient>();

  constructor(pool: pg.Pool, options: Partial<PreparedOptions> = {}) {
    this.#pool = pool;
    this.#options = { ...defaultPreparedOptions, ...options };
    if (!(this.#options.maxStatements >= 1)) throw new RangeError('maxStatements must be at least 1');
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.#pool.connect();
    let wrapped = this.#clients.get(client);
    if (!wrapped) {
      const cache: StatementCache = { named: new Map(), seen: new Set(), nextId: 1, evicted: [] };
      wrapped = new PreparedClient(client, cache, this.#options);
      this.#clients.set(client, wrapped);
    }
    return wrapped;
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}

/** What a checked-out client has named and what waits to be deallocated (tests); null for another kind of client. */
export function preparedStatsOf(client: PostgresPoolClient): PreparedStats | null {
  return client instanceof PreparedClient ? client.stats() : null;
}
