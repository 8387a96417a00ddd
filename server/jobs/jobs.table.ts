import type { ColumnType } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';

export interface JobTable {
  jobId: string;
  name: string;
  payload: unknown;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  runAt: ColumnType<Date, Date | string | undefined, Date | string>;
  attempts: ColumnType<number, number | undefined, number>;
  maxAttempts: ColumnType<number, number | undefined, number>;
  idempotencyKey: string | null;
  lastError: string | null;
  lockedBy: string | null;
  lockedAt: Date | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  finishedAt: Date | null;
}

export interface AppLockTable {
  name: string;
  holder: string;
  expiresAt: Date;
}
