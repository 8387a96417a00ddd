import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { pageOf, pageQuery } from './paging.ts';

/**
 * The HTTP contract of plan documents and plan rollouts (/api/comp/documents/..., /api/comp/rollouts/...,
 * /api/comp/my-plan): the readable document of a plan version for one participant (JSON, HTML, PDF),
 * the rollout of a published version to its participants (sent -> opened -> acknowledged, or
 * disputed with a comment), reminders, escalation and the rollout clock.
 */

export const rolloutStatuses = ['running', 'superseded'] as const;
export const rolloutStatus = z.enum(rolloutStatuses);
export type RolloutStatusName = z.infer<typeof rolloutStatus>;

export const recipientStatuses = ['sent', 'opened', 'acknowledged', 'disputed'] as const;
export const recipientStatus = z.enum(recipientStatuses);
export type RecipientStatusName = z.infer<typeof recipientStatus>;

/** The filter value for participants without a team. */
export const NO_TEAM = '(no team)';
/** Days from the start of a rollout to its deadline unless set otherwise. */
export const DEFAULT_ROLLOUT_DAYS = 30;

// ---------------------------------------------------------------------------------------------
// The plan document

const docTable = z.object({ caption: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())) });
export type DocTable = z.infer<typeof docTable>;

const periodRef = z.object({ start: z.string(), end: z.string(), label: z.string() });

export const planDocumentView = z.object({
  title: z.string(),
  generatedOn: z.string(),
  plan: z.object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    versionId: z.uuid(),
    version: z.number().int(),
    status: z.string(),
    currency: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    payoutPeriod: z.string(),
    publishedAt: z.string().nullable(),
  }),
  participant: z.object({
    id: z.uuid(),
    displayName: z.string(),
    externalRef: z.string(),
    team: z.string().nullable(),
    unit: z.string().nullable(),
    territory: z.string().nullable(),
    managerName: z.string().nullable(),
  }),
  assignment: z.object({ effectiveFrom: z.string(), effectiveTo: z.string().nullable() }).nullable(),
  /** "Your plan": who, when, how often paid. */
  overview: z.array(z.string()),
  components: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      kind: z.string(),
      kindLabel: z.string(),
      description: z.string(),
      sentences: z.array(z.string()),
      tables: z.array(docTable),
    }),
  ),
  quota: z.object({
    sentences: z.array(z.string()),
    periods: z.array(
      periodRef.extend({
        quotaMinor: z.number().int().nullable(),
        proratedMinor: z.number().int().nullable(),
        quotaText: z.string(),
        proratedText: z.string(),
      }),
    ),
  }),
  examples: z
    .object({
      period: periodRef,
      quotaMinor: z.number().int(),
      assumptions: z.array(z.string()),
      cases: z.array(
        z.object({
          label: z.string(),
          targetAttainmentBps: z.number().int(),
          creditMinor: z.number().int(),
          creditText: z.string(),
          attainmentBps: z.number().int(),
          totalMinor: z.number().int(),
          totalText: z.string(),
          lines: z.array(
            z.object({ componentName: z.string(), kind: z.string(), amountMinor: z.number().int(), amountText: z.string(), explanation: z.string() }),
          ),
        }),
      ),
    })
    .nullable(),
  examplesNote: z.string().nullable(),
  terms: z.array(z.string()),
});
export type PlanDocumentView = z.infer<typeof planDocumentView>;

export const documentParams = z.strictObject({ versionId: z.uuid(), participantId: z.uuid() });

// ---------------------------------------------------------------------------------------------
// Rollouts

export const rolloutCounts = z.object({
  total: z.number().int(),
  /** Sent and not opened yet. */
  sent: z.number().int(),
  /** Opened, neither acknowledged nor disputed. */
  opened: z.number().int(),
  acknowledged: z.number().int(),
  disputed: z.number().int(),
  /** Not acknowledged and past their due date (across the statuses above). */
  overdue: z.number().int(),
  escalated: z.number().int(),
});
export type RolloutCounts = z.infer<typeof rolloutCounts>;

export const rolloutClock = z.object({
  today: z.string(),
  /** Day N of totalDays (1 on the start day); above totalDays once the deadline has passed. */
  day: z.number().int(),
  totalDays: z.number().int(),
  /** Days until the deadline (0 on the deadline, negative after it). */
  daysLeft: z.number().int(),
  deadlineOn: z.string(),
  pastDeadline: z.boolean(),
});
export type RolloutClock = z.infer<typeof rolloutClock>;

export const rolloutSummary = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  planKey: z.string(),
  planName: z.string(),
  versionId: z.uuid(),
  version: z.number().int(),
  status: rolloutStatus,
  startedAt: z.string(),
  startedOn: z.string(),
  startedByName: z.string().nullable(),
  deadlineOn: z.string(),
  reminderEveryDays: z.number().int(),
  escalateAfterReminders: z.number().int(),
  supersededAt: z.string().nullable(),
  clock: rolloutClock,
  counts: rolloutCounts,
});
export type RolloutSummary = z.infer<typeof rolloutSummary>;

export const rolloutListQuery = z.strictObject({
  planId: z.uuid().optional(),
  status: rolloutStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const rolloutPage = pageOf(rolloutSummary);
export type RolloutPage = z.infer<typeof rolloutPage>;

export const recipientView = z.object({
  id: z.uuid(),
  rolloutId: z.uuid(),
  participantId: z.uuid(),
  participantName: z.string(),
  externalRef: z.string(),
  team: z.string().nullable(),
  managerName: z.string().nullable(),
  /** Whether the participant signs in (gets notifications and acknowledges in the browser). */
  hasLogin: z.boolean(),
  status: recipientStatus,
  overdue: z.boolean(),
  dueOn: z.string(),
  joinedLate: z.boolean(),
  sentAt: z.string(),
  notifiedAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  disputedAt: z.string().nullable(),
  disputeComment: z.string().nullable(),
  disputes: z.number().int(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  resolutionComment: z.string().nullable(),
  remindersSent: z.number().int(),
  lastRemindedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
});
export type RecipientView = z.infer<typeof recipientView>;

export const recipientListQuery = pageQuery.extend({
  status: z.enum([...recipientStatuses, 'overdue']).optional(),
  team: z.string().trim().min(1).max(120).optional().describe(`A team; "${NO_TEAM}" for participants without one`),
});
export const recipientPage = pageOf(recipientView);
export type RecipientPage = z.infer<typeof recipientPage>;

export const teamCounts = rolloutCounts.extend({ team: z.string().nullable() });
export type TeamCounts = z.infer<typeof teamCounts>;

export const rolloutDashboard = rolloutSummary.extend({
  byTeam: z.array(teamCounts),
  /** Open disputes, oldest first, with their comments. */
  disputes: z.array(recipientView),
});
export type RolloutDashboard = z.infer<typeof rolloutDashboard>;

export const updateRolloutRequest = z
  .strictObject({
    deadlineOn: isoDate.optional(),
    reminderEveryDays: z.number().int().min(1).max(60).optional(),
    escalateAfterReminders: z.number().int().min(1).max(20).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one of deadlineOn, reminderEveryDays, escalateAfterReminders' });

const comment = z.string().trim().min(1, 'a comment is needed').max(4000);
export const disputeRequest = z.strictObject({ comment: comment.describe('What you disagree with') });
export const resolveDisputeRequest = z.strictObject({ comment: comment.describe('The answer to the dispute, shown to the participant') });

// ---------------------------------------------------------------------------------------------
// My comp plan

export const myPlanItem = z.object({
  recipient: recipientView,
  rollout: rolloutSummary.pick({ id: true, planId: true, planName: true, versionId: true, version: true, status: true, startedOn: true, deadlineOn: true }),
});
export type MyPlanItem = z.infer<typeof myPlanItem>;

export const myCompPlanView = z.object({
  participant: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  /** The rollouts that reached me, the running ones first, newest first. */
  items: z.array(myPlanItem),
});
export type MyCompPlanView = z.infer<typeof myCompPlanView>;
