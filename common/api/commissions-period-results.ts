import { z } from 'zod';

/**
 * What each version of a closed period paid: totals per currency and per participant, one column
 * per version, so a restatement's effect can be read (and charted) next to the version it replaced.
 */

export const periodVersionTotals = z.object({
  version: z.number().int(),
  kind: z.enum(['close', 'restatement']),
  runId: z.uuid(),
  resultHash: z.string(),
  participantCount: z.number().int(),
  totals: z.array(z.object({ currency: z.string(), totalMinor: z.number().int() })),
});

export const periodParticipantTotals = z.object({
  participantId: z.uuid(),
  name: z.string(),
  externalRef: z.string(),
  currency: z.string(),
  /** Total per version, in the order of `versions` (0 when the version paid the participant nothing). */
  byVersion: z.array(z.number().int()),
});

export const periodResultsView = z.object({
  periodId: z.uuid(),
  versions: z.array(periodVersionTotals),
  participants: z.array(periodParticipantTotals),
  /** Participants beyond the limit, left out of `participants` (the largest latest totals are kept). */
  participantsLeftOut: z.number().int(),
  /** Adjustments booked in this period (by restatements of earlier periods, or resolved disputes), with the participant's name. */
  adjustmentsBooked: z.array(
    z.object({
      id: z.uuid(),
      participantId: z.uuid(),
      name: z.string(),
      currency: z.string(),
      amountMinor: z.number().int(),
      reason: z.string(),
      sourcePeriodId: z.uuid().nullable(),
      sourceVersion: z.number().int().nullable(),
    }),
  ),
});
export type PeriodResultsView = z.infer<typeof periodResultsView>;

export const periodResultsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });
