import { z } from 'zod';
import { isoDate } from '../dates.ts';

/** Re-engagement: partners gone quiet, the channel manager's re-activation tasks, and how many came back. */

export const DEFAULT_QUIET_DAYS = 90;
export const QUIET_DAYS_SETTING = 'engagement.quietDays';

export const engagementSettingsView = z.object({
  quietDays: z.number().int().describe('A partner with no registration, offer response, sign-in or acknowledgement for this many days is quiet'),
});
export type EngagementSettingsView = z.infer<typeof engagementSettingsView>;

export const updateEngagementSettingsRequest = z.strictObject({
  quietDays: z.number().int().min(7).max(730),
});

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const quietPartnersQuery = z.strictObject({
  mine: flag.describe('Only partners whose channel manager is the signed-in user'),
  channelManagerUserId: z.uuid().optional(),
});

export const quietPartnerView = z.object({
  id: z.uuid(),
  name: z.string(),
  tier: z.string(),
  channelManagerUserId: z.uuid().nullable(),
  channelManagerName: z.string().nullable(),
  lastEngagementAt: z.string().nullable(),
  /** The last engagement, or when the partner was added if it never engaged. */
  quietSince: z.string(),
  quietForDays: z.number().int(),
  openTaskId: z.uuid().nullable(),
});
export type QuietPartnerView = z.infer<typeof quietPartnerView>;

export const quietPartnersView = z.object({ quietDays: z.number().int(), asOf: z.string(), items: z.array(quietPartnerView) });
export type QuietPartnersView = z.infer<typeof quietPartnersView>;

export const reactivationTaskStatus = z.enum(['open', 'done', 'dismissed']);

export const reactivationTaskView = z.object({
  id: z.uuid(),
  partnerId: z.uuid(),
  partnerName: z.string(),
  assignedToUserId: z.uuid().nullable(),
  assignedToName: z.string().nullable(),
  status: reactivationTaskStatus,
  reason: z.string(),
  outcome: z.string().nullable(),
  quietSince: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** Derived: the first registration the partner submitted after the task was opened. */
  reactivatedAt: z.string().nullable(),
});
export type ReactivationTaskView = z.infer<typeof reactivationTaskView>;

export const reactivationTaskQuery = z.strictObject({
  status: reactivationTaskStatus.optional(),
  mine: flag.describe('Only tasks assigned to the signed-in user'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const closeReactivationTaskRequest = z.strictObject({
  status: z.enum(['done', 'dismissed']),
  outcome: z.string().trim().min(1).max(2000).nullable().default(null),
});

export const reengagementSummaryQuery = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from < q.to, { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`) <= 1100 * 86_400_000, {
    path: ['to'],
    message: 'the period may span at most 1100 days',
  });

export const reengagementSummaryView = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  quietDays: z.number().int(),
  quietCount: z.number().int(),
  openTasks: z.number().int(),
  /** Partners that submitted a registration in the period after a re-activation task was opened for them. */
  reactivatedInPeriod: z.number().int(),
  byMonth: z.array(z.object({ month: z.string(), tasksOpened: z.number().int(), reactivated: z.number().int() })),
  byChannelManager: z.array(
    z.object({
      userId: z.uuid().nullable(),
      name: z.string().nullable(),
      quiet: z.number().int(),
      openTasks: z.number().int(),
      reactivated: z.number().int(),
    }),
  ),
});
export type ReengagementSummaryView = z.infer<typeof reengagementSummaryView>;
