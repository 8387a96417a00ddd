import { z } from 'zod';
import { defineJob, type JobDefinition, type RecurringJob } from '../../jobs/job-definition.ts';
import { notifyRolloutBatch, ROLLOUT_NOTIFY_JOB, ROLLOUT_TICK_JOB, runRolloutTick } from './rollout.service.ts';

/** Plan rollouts: the notices of a new rollout in batches, and the hourly timer (new joiners, reminders, escalations). */
export const rolloutJobs: readonly JobDefinition[] = [
  defineJob({
    name: ROLLOUT_NOTIFY_JOB,
    payload: z.object({ rolloutId: z.uuid(), afterParticipantId: z.uuid().nullable() }),
    handler: async (deps, p) => {
      const r = await notifyRolloutBatch(deps, p);
      deps.log.info({ ...p, ...r }, 'comp plan rollout: notices sent');
    },
  }),
  defineJob({
    name: ROLLOUT_TICK_JOB,
    payload: z.object({}),
    handler: async (deps) => {
      const r = await runRolloutTick(deps);
      if (r.joined + r.reminded + r.escalated > 0) deps.log.info(r, 'comp plan rollouts: joiners added, reminders and escalations sent');
    },
  }),
];

/** Hourly: reminders go out every N days per recipient, so the tick only has to come often enough. */
export const rolloutRecurringJobs: readonly RecurringJob[] = [{ name: ROLLOUT_TICK_JOB, everySeconds: 3600 }];
