import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDeps } from '../server/test/test-db.ts';
import { customerName, defineNameFunction, openLoop } from './registration-load.bench.ts';

describe('the generated customer names', () => {
  it('are the same in SQL (bulk data) and in TypeScript (the load), and carry no digits', async () => {
    const t = await createTestDeps();
    try {
      await defineNameFunction(t.deps);
      const r = await sql<{ n: number; name: string }>`select n, bench_customer_name(n) as name from generate_series(1, 200) n`.execute(t.deps.db);
      expect(r.rows.map((x) => x.name)).toEqual(r.rows.map((x) => customerName(x.n)));
      expect(r.rows.every((x) => !/\d/.test(x.name))).toBe(true);
      expect(new Set(r.rows.map((x) => x.name)).size).toBeGreaterThan(195);
    } finally {
      await t.close();
    }
  });
});

describe('the open-loop load generator', () => {
  it('sends at the fixed rate whatever the responses do, and counts failures apart from latencies', async () => {
    const sent: number[] = [];
    const r = await openLoop('test', 100, 1, async (i) => {
      sent.push(i);
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (i % 10 === 0) throw new Error(`failed ${i}`);
    });
    expect(r.scheduled).toBe(100);
    expect(sent).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(r.errors).toBe(10);
    expect(r.completed).toBe(90);
    expect(r.shed).toBe(0);
    expect(r.firstError).toBe('failed 0');
    expect(r.p50Ms).toBeGreaterThanOrEqual(2);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
  });

  it('does not wait for slow responses before sending the next request', async () => {
    const started: number[] = [];
    const t0 = performance.now();
    const r = await openLoop('slow', 50, 0.4, async () => {
      started.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(r.scheduled).toBe(20);
    // All 20 went out within the 0.4 s window although each took 0.3 s to answer.
    expect(Math.max(...started)).toBeLessThan(450);
    expect(r.p50Ms).toBeGreaterThanOrEqual(300);
  });
});
