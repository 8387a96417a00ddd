import { z } from 'zod';
import { registrationStatus } from './engagement-registrations.ts';

/**
 * The engagement overview for vendor staff: how many registrations stand where, per scenario,
 * and the numbers a reviewer acts on (awaiting a first answer, overdue, in my queue).
 */

const count = z.number().int().min(0);
const statusCount = z.object({ status: registrationStatus, count });

export const registrationSummary = z.object({
  asOf: z.string().describe('The instant the numbers were taken'),
  scope: z.enum(['all', 'routed']).describe('routed: a reviewer who is not channel staff sees only what is routed to them'),
  total: count,
  awaitingFirstResponse: count.describe('Submitted, under review or waiting for information, with no first answer yet'),
  overdue: count.describe('Waiting for a first answer past the SLA due time (the same rule as the overdue filter of GET /api/registrations)'),
  myQueue: count.describe('Open registrations whose named reviewer is the caller'),
  approvedThisMonth: count.describe('Registrations approved since the first day of the current month (UTC), whatever happened to them after'),
  monthStartsOn: z.string().describe('YYYY-MM-DD: the first day of the month counted by approvedThisMonth'),
  byStatus: z.array(statusCount).describe('Every status, zero included, in lifecycle order'),
  byScenario: z.array(
    z.object({
      scenario: z.object({ key: z.string(), name: z.string(), isRenewal: z.boolean() }),
      total: count,
      byStatus: z.array(statusCount).describe('Every status, zero included, in lifecycle order'),
    }),
  ),
});
export type RegistrationSummary = z.infer<typeof registrationSummary>;
