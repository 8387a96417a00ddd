import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBigint } from './create-db.ts';
import { createTestDeps, type TestDeps } from '../test/test-db.ts';

describe('bigint parsing', () => {
  it.each([
    ['0', 0],
    ['-42', -42],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
  ])('%s becomes the number %d', (text, expected) => {
    expect(parseBigint(text)).toBe(expected);
  });

  it.each(['9007199254740992', '-9007199254740993', '12345678901234567890'])('%s does not fit exactly and is refused', (text) => {
    expect(() => parseBigint(text)).toThrow(RangeError);
  });
});

describe('type parsing on a real connection', () => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await createTestDeps();
  });
  afterAll(async () => t.close());

  it('keeps dates as YYYY-MM-DD strings, bigints as numbers, and refuses a bigint past 2^53', async () => {
    const row = (
      await sql<{
        d: unknown;
        b: unknown;
        ts: unknown;
      }>`select date '2026-02-28' as d, 123456789012::bigint as b, timestamptz '2026-01-01T00:00:00Z' as ts`.execute(t.deps.db)
    ).rows[0];
    expect(row).toEqual({ d: '2026-02-28', b: 123456789012, ts: new Date('2026-01-01T00:00:00Z') });
    await expect(sql`select 9007199254740993::bigint as b`.execute(t.deps.db)).rejects.toThrow(/does not fit/);
  });
});
