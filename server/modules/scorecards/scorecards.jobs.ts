import { z } from 'zod';
import { defineJob, type JobDefinition, type RecurringJob } from '../../jobs/job-definition.ts';
import {
  COMPUTE_JOB,
  COMPUTE_JOB_ATTEMPTS,
  notifySnapshotAudience,
  publishDueSnapshots,
  PUBLISH_DUE_JOB,
  runComputationJob,
  SNAPSHOT_PUBLISHED_JOB,
} from './snapshots.service.ts';

/**
 * Large computations (live figures of a large scorecard, snapshots asked for in the background), one
 * job per computation, its stage readable on the computation row; publication: tell a published
 * snapshot's audience; publish scorecards on the period-end schedule.
 */
export const scorecardJobs: readonly JobDefinition[] = [
  defineJob({
    name: COMPUTE_JOB,
    payload: z.object({ computationId: z.uuid() }),
    maxAttempts: COMPUTE_JOB_ATTEMPTS,
    handler: async (deps, p, ctx) => {
      await runComputationJob(deps, p.computationId, ctx.attempt);
      deps.log.info(p, 'scorecard computed by the worker');
    },
  }),
  defineJob({
    name: SNAPSHOT_PUBLISHED_JOB,
    payload: z.object({ snapshotId: z.uuid() }),
    handler: async (deps, p) => {
      const notified = await notifySnapshotAudience(deps, p.snapshotId);
      deps.log.info({ ...p, notified }, 'scorecard snapshot: audience notified');
    },
  }),
  defineJob({
    name: PUBLISH_DUE_JOB,
    payload: z.object({}),
    handler: async (deps) => {
      const published = await publishDueSnapshots(deps);
      if (published > 0) deps.log.info({ published }, 'scheduled scorecard snapshots published');
    },
  }),
];

export const scorecardRecurringJobs: readonly RecurringJob[] = [{ name: PUBLISH_DUE_JOB, everySeconds: 3600 }];
