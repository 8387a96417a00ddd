import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/test-db.ts';
import { createPool } from './create-db.ts';
import { PreparedPool, preparedStatsOf } from './prepared.ts';
import type { DB } from './schema.ts';

/** One connection, so every query below meets the same statement cache and the same server session. */
function openOne(database: TestDatabase, maxStatements: number) {
  const raw = createPool(database.connection, 1);
  const prepared = new PreparedPool(raw, { maxStatements });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: prepared }), plugins: [new CamelCasePlugin()] });
  return { raw, prepared, db };
}

/** Makes texts differ: `k` extra constant columns. */
const padding = (k: number) =>
  sql.join(
    Array.from({ length: k }, () => sql`, 0 as z`),
    sql``,
  );

/** The statements the server holds for this session that the wrapper named. */
async function serverStatements(db: Kysely<DB>): Promise<{ name: string; statement: string }[]> {
  const r = await sql<{
    name: string;
    statement: string;
  }>`select name, statement from pg_prepared_statements where name like ${'realign_s%'} order by name`.execute(db);
  return r.rows;
}

describe('named prepared statements', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  it('names a text the second time it runs, and gives the same results as unnamed statements', async () => {
    const { raw, prepared, db } = openOne(database, 10);
    try {
      const query = (n: number) =>
        sql<{ n: number; d: string; b: number; t: string[] }>`select ${n}::int as n, date '2026-02-28' + ${n}::int as d, ${n}::bigint * 1000000 as b,
          array['x', ${String(n)}] as t`.execute(db);
      const results = [];
      for (let i = 0; i < 8; i++) results.push((await query(i)).rows);
      // The same rows, run as plain unnamed queries on the pool directly.
      for (let i = 0; i < 8; i++) {
        const plain = await raw.query(`select $1::int as n, date '2026-02-28' + $1::int as d, $1::bigint * 1000000 as b, array['x', $2] as t`, [i, String(i)]);
        expect(results[i]).toEqual(plain.rows);
      }
      expect(results[3]).toEqual([{ n: 3, d: '2026-03-03', b: 3_000_000, t: ['x', '3'] }]);
      const held = await serverStatements(db);
      // Named once, on its second run; the query reading pg_prepared_statements has run once only.
      expect(held).toHaveLength(1);
      expect(held[0]?.statement).toContain('date');
      // Texts without parameters are never named.
      await sql`select 1`.execute(db);
      await sql`select 1`.execute(db);
      expect(await serverStatements(db)).toHaveLength(2);
    } finally {
      await db.destroy();
      await prepared.end().catch(() => undefined);
    }
  });

  it('keeps at most maxStatements per connection and deallocates the ones it evicts', async () => {
    const { prepared, db } = openOne(database, 3);
    try {
      // Eight different texts, each run twice: each is named on its second run.
      for (let k = 0; k < 8; k++) {
        for (let i = 0; i < 2; i++) {
          const r = await sql<{ v: number }>`select ${k}::int + ${i}::int as v${padding(k)}`.execute(db);
          expect(r.rows[0]?.v).toBe(k + i);
        }
      }
      const client = await prepared.connect();
      try {
        expect(preparedStatsOf(client)).toMatchObject({ named: 3 });
      } finally {
        client.release();
      }
      // Evicted statements are dropped when the connection goes back to the pool, so the server
      // holds three, and one more only while the statement that evicts it runs.
      expect(await serverStatements(db)).toHaveLength(3);
      expect((await serverStatements(db)).length).toBeLessThanOrEqual(4);
      const held = await serverStatements(db);
      expect(held).toHaveLength(3);
      expect(held.some((s) => s.statement.includes('pg_prepared_statements'))).toBe(true);
      // A text evicted earlier is prepared again under a new name and still answers correctly.
      for (let i = 0; i < 3; i++) expect((await sql<{ v: number }>`select ${0}::int + ${i}::int as v${padding(0)}`.execute(db)).rows[0]?.v).toBe(i);
      expect((await serverStatements(db)).length).toBeLessThanOrEqual(4);
      expect(await serverStatements(db)).toHaveLength(3);
    } finally {
      await db.destroy();
    }
  });

  it('recovers when a cached plan changes its result type or the session drops its statements', async () => {
    const { db } = openOne(database, 10);
    try {
      await sql`create table prepared_probe (id int primary key, a text)`.execute(db);
      await sql`insert into prepared_probe values (1, 'one')`.execute(db);
      const read = () => sql<Record<string, unknown>>`select * from prepared_probe where id = ${1}::int`.execute(db);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one' }]);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one' }]);
      // The result type of `select *` changes: outside a transaction the query is retried.
      await sql`alter table prepared_probe add column b int default 7`.execute(db);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 7 }]);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 7 }]);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 7 }]);
      // Inside a transaction the error stands once (the transaction is lost anyway); the next use prepares afresh.
      await sql`alter table prepared_probe add column c int default 8`.execute(db);
      await expect(db.transaction().execute(async (trx) => sql`select * from prepared_probe where id = ${1}::int`.execute(trx))).rejects.toThrow(/cached plan/);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 7, c: 8 }]);
      // Someone drops every prepared statement of the session: the wrapper starts over.
      await sql`deallocate all`.execute(db);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 7, c: 8 }]);
      expect((await read()).rows).toEqual([{ id: 1, a: 'one', b: 7, c: 8 }]);
      await sql`drop table prepared_probe`.execute(db);
    } finally {
      await db.destroy();
    }
  });
});
