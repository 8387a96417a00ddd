import { z } from 'zod';
import { defineJob, type JobDefinition, type RecurringJob } from '../../jobs/job-definition.ts';
import { expireOffers } from './offers.service.ts';
import { expireProtections, flagSlaBreaches } from './registrations.service.ts';

/** The registration timers: the SLA watch every five minutes, expiries once a day. */
export const engagementJobs: readonly JobDefinition[] = [
  defineJob({
    name: 'engagement.sla-breach-check',
    payload: z.object({}),
    handler: async (deps) => {
      const flagged = await flagSlaBreaches(deps);
      if (flagged > 0) deps.log.info({ flagged }, 'registrations past their answer SLA escalated');
    },
  }),
  defineJob({
    name: 'engagement.daily-expiry',
    payload: z.object({}),
    handler: async (deps) => {
      const registrations = await expireProtections(deps);
      const offers = await expireOffers(deps);
      deps.log.info({ registrations, offers }, 'expired protections and unanswered offers');
    },
  }),
];

export const engagementRecurringJobs: readonly RecurringJob[] = [
  { name: 'engagement.sla-breach-check', everySeconds: 300 },
  { name: 'engagement.daily-expiry', everySeconds: 86_400 },
];
