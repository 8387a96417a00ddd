import { z } from 'zod';
import { isoDate } from '../dates.ts';

/**
 * Closing payout periods: a closed period's results are the results of the completed run it was
 * closed from, frozen in the database; a later run over the same dates restates it as a new version
 * and books the difference per participant as adjustments in the next open period; finance approves
 * a closed period's payouts once, after which the payroll export is available.
 */

export const commissionPeriodStatuses = ['open', 'closed'] as const;
export const commissionPeriodStatus = z.enum(commissionPeriodStatuses);

export const createCommissionPeriodRequest = z
  .strictObject({
    periodStart: isoDate.describe('First day of the period'),
    periodEnd: isoDate.describe('First day after the period (half-open)'),
  })
  .refine((r) => r.periodEnd > r.periodStart, { message: 'periodEnd must be after periodStart', path: ['periodEnd'] });
export type CreateCommissionPeriodRequest = z.infer<typeof createCommissionPeriodRequest>;

export const closeCommissionPeriodRequest = z.strictObject({
  runId: z.uuid().describe('A completed run over exactly the period: its results become the official results'),
});
export type CloseCommissionPeriodRequest = z.infer<typeof closeCommissionPeriodRequest>;

export const restateCommissionPeriodRequest = z.strictObject({
  runId: z.uuid().describe('A later completed run over exactly the closed period: the next version'),
});
export type RestateCommissionPeriodRequest = z.infer<typeof restateCommissionPeriodRequest>;

export const commissionPeriodVersionView = z.object({
  version: z.number().int(),
  kind: z.enum(['close', 'restatement']),
  runId: z.uuid(),
  resultHash: z.string(),
  createdAt: z.string(),
});

export const commissionPeriodView = z.object({
  id: z.uuid(),
  periodStart: isoDate,
  periodEnd: isoDate,
  status: commissionPeriodStatus,
  closedRunId: z.uuid().nullable(),
  closedByUserId: z.uuid().nullable(),
  closedAt: z.string().nullable(),
  payout: z.object({
    status: z.enum(['not_approved', 'approved']),
    approvedByUserId: z.uuid().nullable(),
    approvedAt: z.string().nullable(),
  }),
  versions: z.array(commissionPeriodVersionView),
});
export type CommissionPeriodView = z.infer<typeof commissionPeriodView>;

export const commissionAdjustmentView = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  bookedInPeriodId: z.uuid(),
  currency: z.string(),
  amountMinor: z.number().int(),
  reason: z.string(),
  /** The restated period and version; null when a dispute's resolution booked the adjustment. */
  sourcePeriodId: z.uuid().nullable(),
  sourceVersion: z.number().int().nullable(),
});
export type CommissionAdjustmentView = z.infer<typeof commissionAdjustmentView>;

export const restatementView = z.object({
  period: commissionPeriodView,
  version: z.number().int(),
  bookedInPeriodId: z.uuid(),
  adjustments: z.array(commissionAdjustmentView),
});
export type RestatementView = z.infer<typeof restatementView>;

export const commissionPeriodListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
