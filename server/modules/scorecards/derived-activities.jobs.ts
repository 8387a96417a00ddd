import { z } from 'zod';
import { systemActor } from '../../actor.ts';
import { defineJob, type JobDefinition, type RecurringJob } from '../../jobs/job-definition.ts';
import { DERIVE_ACTIVITIES_JOB, deriveActivities } from './derived-activities.service.ts';

export const derivedActivityJobs: readonly JobDefinition[] = [
  defineJob({
    name: DERIVE_ACTIVITIES_JOB,
    payload: z.object({}),
    handler: async (deps) => {
      const counts = await deriveActivities(deps, systemActor('worker'));
      deps.log.info(counts, 'derived activities synchronised');
    },
  }),
];

export const derivedActivityRecurringJobs: readonly RecurringJob[] = [{ name: DERIVE_ACTIVITIES_JOB, everySeconds: 3600 }];
