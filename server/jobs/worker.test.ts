import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inScope } from '../db/scope.ts';
import type { Deps } from '../deps.ts';
import { createTestDeps, fixedClock, type TestDeps } from '../test/test-db.ts';
import { defineJob, type JobDefinition } from './job-definition.ts';
import * as repo from './jobs.repository.ts';
import { enqueueDueRecurring, retryDelayMs, startWorker } from './worker.ts';

// Later than the wall clock, so rows stamped with the database's now() are already due.
const clock = fixedClock('2030-01-07T09:00:00.000Z');
let t: TestDeps;
let deps: Deps;
beforeAll(async () => {
  t = await createTestDeps({ clock });
  deps = t.deps;
});
afterAll(async () => t?.close());

const SYSTEM = { kind: 'system' } as const;

function enqueue(input: repo.EnqueueInput) {
  return inScope(deps.db, SYSTEM, (trx) => repo.enqueueJob(trx, input));
}

async function jobsNamed(name: string) {
  return deps.db.selectFrom('job').selectAll().where('name', '=', name).orderBy('createdAt').execute();
}

const noop = (name: string): JobDefinition => defineJob({ name, payload: z.object({}).loose(), handler: async () => undefined });

describe('enqueueing', () => {
  it('a job enqueued in a transaction that rolls back does not exist', async () => {
    await expect(
      inScope(deps.db, SYSTEM, async (trx) => {
        await repo.enqueueJob(trx, { name: 'test.rollback', payload: {} });
        throw new Error('the cause of the job failed');
      }),
    ).rejects.toThrow('the cause of the job failed');
    expect(await jobsNamed('test.rollback')).toHaveLength(0);
  });

  it('the same idempotency key gives one job, even from concurrent transactions', async () => {
    const first = await enqueue({ name: 'test.idem', payload: { n: 1 }, idempotencyKey: 'idem-1' });
    const again = await enqueue({ name: 'test.idem', payload: { n: 2 }, idempotencyKey: 'idem-1' });
    expect(first).toEqual(expect.any(String));
    expect(again).toBeNull();
    const racing = await Promise.all([1, 2, 3, 4].map((n) => enqueue({ name: 'test.idem', payload: { n }, idempotencyKey: 'idem-2' })));
    expect(racing.filter((r) => r !== null)).toHaveLength(1);
    const rows = await jobsNamed('test.idem');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.payload).toEqual({ n: 1 });
  });
});

describe('running jobs', () => {
  it('retries a failing handler with exponential backoff, then marks it dead after maxAttempts', async () => {
    clock.set('2030-01-07T09:00:00.000Z');
    let calls = 0;
    const failing = defineJob({
      name: 'test.always-fails',
      payload: z.object({}),
      handler: async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
    });
    const worker = startWorker(deps, [failing], { autoStart: false });
    const id = await enqueue({ name: 'test.always-fails', payload: {}, maxAttempts: 3, runAt: clock.now() });

    expect(await worker.drain()).toBe(1);
    let row = (await jobsNamed('test.always-fails'))[0];
    expect(row).toMatchObject({ jobId: id, status: 'queued', attempts: 1, lastError: 'boom 1', lockedBy: null });
    expect(row?.runAt.getTime()).toBe(clock.now().getTime() + retryDelayMs(1));
    expect(retryDelayMs(1)).toBe(2000);

    // Not before its backoff has passed.
    clock.advance(retryDelayMs(1) - 1);
    expect(await worker.drain()).toBe(0);
    clock.advance(1);
    expect(await worker.drain()).toBe(1);
    row = (await jobsNamed('test.always-fails'))[0];
    expect(row).toMatchObject({ status: 'queued', attempts: 2, lastError: 'boom 2' });
    expect(row?.runAt.getTime()).toBe(clock.now().getTime() + retryDelayMs(2));

    clock.advance(retryDelayMs(2));
    expect(await worker.drain()).toBe(1);
    row = (await jobsNamed('test.always-fails'))[0];
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lastError: 'boom 3', lockedBy: null });
    expect(row?.finishedAt).not.toBeNull();

    clock.advance(3_600_000);
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(3);
    await worker.stop();
  });

  it('a payload that does not match the definition fails like a handler error', async () => {
    const def = defineJob({ name: 'test.typed', payload: z.strictObject({ n: z.number() }), handler: async () => undefined });
    const worker = startWorker(deps, [def], { autoStart: false });
    await enqueue({ name: 'test.typed', payload: { n: 'not a number' }, maxAttempts: 1, runAt: clock.now() });
    expect(await worker.drain()).toBe(1);
    expect((await jobsNamed('test.typed'))[0]).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('two workers draining one queue concurrently run each job exactly once', async () => {
    const runs = new Map<string, number>();
    const def = defineJob({
      name: 'test.count',
      payload: z.object({ i: z.number() }),
      handler: async (_deps, _p, ctx) => {
        runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, Math.random() * 4));
      },
    });
    const ids: string[] = [];
    await inScope(deps.db, SYSTEM, async (trx) => {
      for (let i = 0; i < 60; i++) {
        const id = await repo.enqueueJob(trx, { name: 'test.count', payload: { i }, runAt: clock.now() });
        if (id) ids.push(id);
      }
    });
    const w1 = startWorker(deps, [def], { autoStart: false, batch: 4 });
    const w2 = startWorker(deps, [def], { autoStart: false, batch: 4 });
    expect(w1.id).not.toBe(w2.id);
    const [a, b] = await Promise.all([w1.drain(), w2.drain()]);
    expect(a + b).toBe(60);
    expect(runs.size).toBe(60);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const rows = await jobsNamed('test.count');
    expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 1 && r.lockedBy === null)).toBe(true);
  });

  it('requeues a job left running by a dead worker once its lease has run out, and the dead worker cannot finish it', async () => {
    clock.set('2030-01-08T09:00:00.000Z');
    const leaseMs = 60_000;
    let ran = 0;
    const def = defineJob({ name: 'test.orphan', payload: z.object({}), handler: async () => void ran++ });
    const id = await enqueue({ name: 'test.orphan', payload: {}, runAt: clock.now() });
    const claimed = await inScope(deps.db, SYSTEM, (trx) => repo.claimJobs(trx, 'dead-worker', ['test.orphan'], 10, clock.now()));
    expect(claimed.map((j) => j.jobId)).toEqual([id]);

    const worker = startWorker(deps, [def], { autoStart: false, leaseMs });
    clock.advance(leaseMs - 1);
    expect(await worker.drain()).toBe(0);
    expect((await jobsNamed('test.orphan'))[0]).toMatchObject({ status: 'running', lockedBy: 'dead-worker' });

    clock.advance(2);
    expect(await worker.drain()).toBe(1);
    expect(ran).toBe(1);
    expect((await jobsNamed('test.orphan'))[0]).toMatchObject({ status: 'succeeded', attempts: 2, lockedBy: null });

    // The "dead" worker wakes up: its late finish or failure changes nothing.
    await inScope(deps.db, SYSTEM, (trx) => repo.failJob(trx, id ?? '', 'dead-worker', 'late', null, clock.now()));
    expect((await jobsNamed('test.orphan'))[0]).toMatchObject({ status: 'succeeded', lastError: null });
  });

  it('a job that keeps killing its worker is not requeued forever: past maxAttempts it goes dead', async () => {
    clock.set('2030-01-09T09:00:00.000Z');
    const leaseMs = 1000;
    const id = await enqueue({ name: 'test.poison', payload: {}, maxAttempts: 2, runAt: clock.now() });
    for (const w of ['crashed-1', 'crashed-2']) {
      await inScope(deps.db, SYSTEM, async (trx) => {
        await repo.requeueStale(trx, new Date(clock.now().getTime() - leaseMs));
        expect((await repo.claimJobs(trx, w, ['test.poison'], 10, clock.now())).map((j) => j.jobId)).toEqual([id]);
      });
      clock.advance(leaseMs + 1);
    }
    const worker = startWorker(deps, [noop('test.poison')], { autoStart: false, leaseMs });
    expect(await worker.drain()).toBe(0);
    expect((await jobsNamed('test.poison'))[0]).toMatchObject({ status: 'dead', attempts: 2, lockedBy: null, lastError: 'worker lease expired' });
  });

  it('stop() waits for the running poll and stops polling', async () => {
    let ran = 0;
    const def = defineJob({ name: 'test.polled', payload: z.object({}), handler: async () => void ran++ });
    await enqueue({ name: 'test.polled', payload: {}, runAt: clock.now() });
    const worker = startWorker(deps, [def], { pollMs: 10 });
    for (let i = 0; i < 100 && ran === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(ran).toBe(1);
    await enqueue({ name: 'test.polled', payload: {}, runAt: clock.now() });
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toBe(1);
  });
});

describe('recurring jobs', () => {
  it('two schedulers enqueue each recurring job once per slot', async () => {
    clock.set('2030-01-10T10:00:05.000Z');
    const recurring = [
      { name: 'test.hourly', everySeconds: 3600 },
      { name: 'test.minutely', everySeconds: 60, payload: { x: 1 } },
    ];
    const first = await Promise.all([enqueueDueRecurring(deps, recurring), enqueueDueRecurring(deps, recurring)]);
    expect(first[0] + first[1]).toBe(2);
    expect(await enqueueDueRecurring(deps, recurring)).toBe(0);
    clock.advance(30_000); // same slots
    expect(await enqueueDueRecurring(deps, recurring)).toBe(0);
    clock.advance(30_000); // next minute
    const second = await Promise.all([enqueueDueRecurring(deps, recurring), enqueueDueRecurring(deps, recurring)]);
    expect(second[0] + second[1]).toBe(1);
    expect(await jobsNamed('test.hourly')).toHaveLength(1);
    const minutely = await jobsNamed('test.minutely');
    expect(minutely).toHaveLength(2);
    expect(minutely.map((j) => j.runAt.toISOString()).sort()).toEqual(['2030-01-10T10:00:00.000Z', '2030-01-10T10:01:00.000Z']);
    expect(minutely[0]?.payload).toEqual({ x: 1 });
  });
});
