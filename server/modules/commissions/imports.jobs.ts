import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../jobs/job-definition.ts';
import { COMMIT_IMPORT_JOB, COMMIT_JOB_ATTEMPTS, runCommitJob } from './transactions.service.ts';

/** Committing a large transaction import: one transaction, progress readable on the batch. */
export const importJobs: readonly JobDefinition[] = [
  defineJob({
    name: COMMIT_IMPORT_JOB,
    payload: z.object({ importId: z.uuid() }),
    maxAttempts: COMMIT_JOB_ATTEMPTS,
    handler: async (deps, p, ctx) => {
      await runCommitJob(deps, p.importId, ctx.attempt);
      deps.log.info({ importId: p.importId }, 'transaction import committed');
    },
  }),
];
