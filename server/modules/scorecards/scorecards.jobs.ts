import { z } from 'zod';
import { defineJob, type JobDefinition, type RecurringJob } from '../../jobs/job-definition.ts';
import { notifySnapshotAudience, publishDueSnapshots, PUBLISH_DUE_JOB, SNAPSHOT_PUBLISHED_JOB } from './snapshots.service.ts';

/** Publication: tell a published snapshot's audience; publish scorecards on the period-end schedule. */
export const scorecardJobs: readonly JobDefinition[] = [
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
