import os from 'node:os';
import { scopeOf, systemActor } from '../actor.ts';
import { inScope } from '../db/scope.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';
import type { JobDefinition, RecurringJob } from './job-definition.ts';
import * as repo from './jobs.repository.ts';

export type Worker = { readonly id: string; stop(): Promise<void>; drain(): Promise<number> };

const SYSTEM = scopeOf(systemActor('worker'));

/** Exponential backoff: 2 s, 4 s, 8 s ... capped at one hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2 ** attempt * 1000, 3_600_000);
}

/**
 * How many jobs a worker runs at once on a pool of `poolSize` connections: at most 5, and one fewer
 * than the pool. A job may hold a second connection while it runs (a period run reports progress in
 * short transactions of its own), so one connection stays free of jobs: with every one taken by a
 * job waiting for another, none would ever be released.
 */
export function workerBatch(poolSize: number): number {
  return Math.max(1, Math.min(5, poolSize - 1));
}

export function startWorker(
  deps: Deps,
  definitions: readonly JobDefinition[],
  options: { pollMs?: number; batch?: number; leaseMs?: number; autoStart?: boolean } = {},
): Worker {
  const id = `${os.hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const names = [...byName.keys()];
  const pollMs = options.pollMs ?? 500;
  const batch = options.batch ?? workerBatch(deps.config.db.poolSize);
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  async function runOne(job: { jobId: string; name: string; payload: unknown; attempts: number; maxAttempts: number }): Promise<void> {
    const def = byName.get(job.name);
    const now = () => deps.clock.now();
    try {
      if (!def) throw new Error(`no handler for job ${job.name}`);
      const payload = def.payload.parse(job.payload);
      await def.handler(deps, payload, { jobId: job.jobId, attempt: job.attempts });
      await inScope(deps.db, SYSTEM, (trx) => repo.finishJob(trx, job.jobId, id, now()));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // The definition's own limit wins over the default the row was enqueued with.
      const maxAttempts = def?.maxAttempts ?? job.maxAttempts;
      const retryAt = job.attempts < maxAttempts ? new Date(now().getTime() + retryDelayMs(job.attempts)) : null;
      deps.log.warn({ job: job.name, jobId: job.jobId, attempt: job.attempts, err: message, retry: retryAt !== null }, 'job failed');
      await inScope(deps.db, SYSTEM, (trx) => repo.failJob(trx, job.jobId, id, message.slice(0, 2000), retryAt, now()));
    }
  }

  /** Runs ready jobs until none is left; returns how many ran. */
  async function drain(): Promise<number> {
    let ran = 0;
    for (;;) {
      if (stopping) return ran;
      const now = deps.clock.now();
      const jobs = await inScope(deps.db, SYSTEM, async (trx) => {
        await repo.requeueStale(trx, new Date(now.getTime() - leaseMs));
        return repo.claimJobs(trx, id, names, batch, now);
      });
      if (jobs.length === 0) return ran;
      await Promise.all(jobs.map(runOne));
      ran += jobs.length;
    }
  }

  function tick(): void {
    running = drain()
      .catch((err: unknown) => {
        deps.log.error({ err }, 'worker poll failed');
        return 0;
      })
      .finally(() => {
        if (!stopping) timer = setTimeout(tick, pollMs);
      });
  }
  if (options.autoStart !== false) tick();

  return {
    id,
    drain,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Enqueues each recurring job once per slot; the idempotency key makes many schedulers act as one. */
export async function enqueueDueRecurring(deps: Deps, recurring: readonly RecurringJob[]): Promise<number> {
  const now = deps.clock.now().getTime();
  let enqueued = 0;
  await inScope(deps.db, SYSTEM, async (trx) => {
    for (const r of recurring) {
      const slot = Math.floor(now / (r.everySeconds * 1000));
      const key = `recurring:${r.name}:${slot}`;
      if (await repo.enqueueJob(trx, { name: r.name, payload: r.payload ?? {}, idempotencyKey: key, runAt: new Date(slot * r.everySeconds * 1000) }))
        enqueued++;
    }
  });
  return enqueued;
}

export function startScheduler(deps: Deps, recurring: readonly RecurringJob[], everyMs = 30_000): { stop(): void } {
  const run = () => void enqueueDueRecurring(deps, recurring).catch((err: unknown) => deps.log.error({ err }, 'scheduler failed'));
  run();
  const timer = setInterval(run, everyMs);
  return { stop: () => clearInterval(timer) };
}
