import { z } from 'zod';
import { systemActor } from '../actor.ts';
import { purgeExpiredSessions } from '../modules/identity/identity.service.ts';
import { postNotification } from '../modules/notifications/notifications.service.ts';
import { sweepQuietPartners } from '../modules/partners/reengagement.service.ts';
import { notifyRulesPublishedBatch, RULES_PUBLISHED_JOB } from '../modules/engagement/rules.service.ts';
import { engagementJobs, engagementRecurringJobs } from '../modules/engagement/engagement.jobs.ts';
import { importJobs } from '../modules/commissions/imports.jobs.ts';
import { runJobs } from '../modules/commissions/runs.jobs.ts';
import { rolloutJobs, rolloutRecurringJobs } from '../modules/comp-plans/rollout.jobs.ts';
import { scorecardJobs, scorecardRecurringJobs } from '../modules/scorecards/scorecards.jobs.ts';
import { derivedActivityJobs, derivedActivityRecurringJobs } from '../modules/scorecards/derived-activities.jobs.ts';
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
  // Partners gone quiet get a re-activation task for their channel manager; reactivated ones close theirs.
  defineJob({
    name: 'partners.sweep-quiet-partners',
    payload: z.object({}),
    handler: async (deps) => {
      const r = await sweepQuietPartners(deps, systemActor('worker'));
      deps.log.info(r, 'quiet partners swept');
    },
  }),
  // Publishing a version enqueues one of these; each run tells one batch of users and enqueues the next.
  defineJob({
    name: RULES_PUBLISHED_JOB,
    payload: z.object({ ruleSetVersionId: z.uuid(), afterUserId: z.uuid().nullable() }),
    handler: async (deps, p) => {
      const r = await notifyRulesPublishedBatch(deps, p);
      deps.log.info({ ...p, ...r }, 'rules of the road: acknowledgement notices sent');
    },
  }),
  ...engagementJobs,
  ...importJobs,
  ...runJobs,
  ...rolloutJobs,
  ...scorecardJobs,
  ...derivedActivityJobs,
];

export const recurringJobs: readonly RecurringJob[] = [
  { name: 'identity.purge-expired-sessions', everySeconds: 3600 },
  { name: 'partners.sweep-quiet-partners', everySeconds: 6 * 3600 },
  ...engagementRecurringJobs,
  ...rolloutRecurringJobs,
  ...scorecardRecurringJobs,
  ...derivedActivityRecurringJobs,
];
