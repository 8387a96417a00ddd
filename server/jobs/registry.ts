import { z } from 'zod';
import { systemActor } from '../actor.ts';
import { purgeExpiredSessions } from '../modules/identity/identity.service.ts';
import { postNotification } from '../modules/notifications/notifications.service.ts';
import { defineJob, type JobDefinition, type RecurringJob } from './job-definition.ts';

/** Every job kind the worker runs. Explicit: a module's jobs are listed here. */
export const jobDefinitions: readonly JobDefinition[] = [
  defineJob({
    name: 'identity.purge-expired-sessions',
    payload: z.object({}),
    handler: async (deps) => {
      const r = await purgeExpiredSessions(deps);
      deps.log.info(r, 'purged expired sessions');
    },
  }),
  defineJob({
    name: 'notifications.post',
    payload: z.object({
      userId: z.uuid(),
      partnerId: z.uuid().nullable(),
      kind: z.string().min(1).max(100),
      title: z.string().min(1).max(300),
      body: z.string().max(4000).default(''),
      link: z.string().max(500).nullable().default(null),
    }),
    handler: async (deps, p) => {
      await postNotification(deps, systemActor('worker'), p);
    },
  }),
];

export const recurringJobs: readonly RecurringJob[] = [{ name: 'identity.purge-expired-sessions', everySeconds: 3600 }];
