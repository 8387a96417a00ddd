import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Trx } from '../db/scope.ts';
import { newId } from '../lib/ids.ts';
import type { JobStatus } from './jobs.table.ts';

export type EnqueueInput = { name: string; payload: unknown; runAt?: Date; idempotencyKey?: string | null; maxAttempts?: number };

/** Inside the caller's transaction: the job exists exactly when its cause does. Same key, one job. */
export async function enqueueJob(trx: Trx | Kysely<DB>, input: EnqueueInput): Promise<string | null> {
  const r = await trx
    .insertInto('job')
    .values({
      jobId: newId(),
      name: input.name,
      payload: JSON.stringify(input.payload ?? {}),
      runAt: input.runAt ?? sql<Date>`now()`,
      idempotencyKey: input.idempotencyKey ?? null,
      maxAttempts: input.maxAttempts ?? 5,
      lastError: null,
      lockedBy: null,
      lockedAt: null,
      finishedAt: null,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returning('jobId')
    .executeTakeFirst();
  return r?.jobId ?? null;
}

/** Claims ready jobs; SKIP LOCKED lets any number of workers share the queue without double work. */
export async function claimJobs(trx: Trx, workerId: string, names: readonly string[], limit: number, now: Date) {
  return trx
    .updateTable('job')
    .set((eb) => ({ status: 'running', lockedBy: workerId, lockedAt: now, attempts: eb('attempts', '+', 1) }))
    .where('jobId', 'in', (eb) =>
      eb
        .selectFrom('job')
        .select('jobId')
        .where('status', '=', 'queued')
        .where('runAt', '<=', now)
        .where('name', 'in', names)
        .orderBy('runAt')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['jobId', 'name', 'payload', 'attempts', 'maxAttempts'])
    .execute();
}

export async function finishJob(trx: Trx, jobId: string, workerId: string, now: Date): Promise<void> {
  await trx
    .updateTable('job')
    .set({ status: 'succeeded', finishedAt: now, lockedBy: null, lastError: null })
    .where('jobId', '=', jobId)
    .where('lockedBy', '=', workerId)
    .execute();
}

export async function failJob(trx: Trx, jobId: string, workerId: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
  await trx
    .updateTable('job')
    .set(
      retryAt
        ? { status: 'queued', runAt: retryAt, lockedBy: null, lockedAt: null, lastError: error }
        : { status: 'dead', finishedAt: now, lockedBy: null, lastError: error },
    )
    .where('jobId', '=', jobId)
    .where('lockedBy', '=', workerId)
    .execute();
}

/**
 * Jobs whose worker died mid-run go back to the queue once their lease has run out; a job that has
 * used up its attempts goes dead instead, so a job that kills its worker is not retried forever.
 */
export async function requeueStale(trx: Trx, leaseExpiredBefore: Date): Promise<number> {
  const r = await trx
    .updateTable('job')
    .set({
      status: sql<JobStatus>`case when attempts >= max_attempts then 'dead' else 'queued' end`,
      finishedAt: sql<Date | null>`case when attempts >= max_attempts then locked_at else null end`,
      lockedBy: null,
      lockedAt: null,
      lastError: 'worker lease expired',
    })
    .where('status', '=', 'running')
    .where('lockedAt', '<', leaseExpiredBefore)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function jobCounts(db: Kysely<DB> | Trx) {
  return db
    .selectFrom('job')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
}
