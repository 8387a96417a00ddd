import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../jobs/job-definition.ts';
import { PERIOD_RUN_JOB, RUN_JOB_ATTEMPTS, runPeriodRunJob } from './runs.service.ts';

/** A period run: one job per run, progress on the run row; a run that cannot be calculated as asked fails at once, other errors are retried. */
export const runJobs: readonly JobDefinition[] = [
  defineJob({
    name: PERIOD_RUN_JOB,
    payload: z.object({ runId: z.uuid() }),
    maxAttempts: RUN_JOB_ATTEMPTS,
    handler: async (deps, p, ctx) => {
      await runPeriodRunJob(deps, p.runId, ctx.attempt);
      deps.log.info({ runId: p.runId }, 'commission period run finished');
    },
  }),
];
