import { z } from 'zod';
import { payoutPeriods } from '../comp/plan.ts';
import { planVersionStatus } from './comp-plans.ts';
import { pageQuery } from './paging.ts';

/**
 * Plan simulation against the transaction store (POST /api/comp/simulations): what a baseline plan
 * version and one or more candidate versions would have paid every participant over a year, quarter
 * or month of stored transactions. The result is common/comp/simulate.ts's SimulationResult (the
 * numbers `realign comp simulate` prints for the same data), without the payout lines of each
 * participant's periods (they would make a result for thousands of participants too large to send).
 */

export const MAX_CANDIDATES = 5;
export const MAX_PARTICIPANT_FILTER = 1000;

export const simulationPeriodText = z
  .string()
  .trim()
  .regex(/^\d{4}(?:-(?:Q[1-4]|0[1-9]|1[0-2]))?$/, 'must be a year (2027), a quarter (2027-Q1) or a month (2027-03)');

export const createSimulationRequest = z.strictObject({
  baselineVersionId: z.uuid().describe('The current plan: every candidate is compared with it'),
  candidateVersionIds: z
    .array(z.uuid())
    .min(1)
    .max(MAX_CANDIDATES)
    .describe(`Candidate plan versions (draft or published), at most ${MAX_CANDIDATES}; all of one currency with the baseline`),
  period: simulationPeriodText.describe('The period simulated: 2027, 2027-Q1 or 2027-03 (whole payout periods of every plan)'),
  participantIds: z
    .array(z.uuid())
    .min(1)
    .max(MAX_PARTICIPANT_FILTER)
    .optional()
    .describe('Only the transactions crediting these participants (their co-sellers, overlays and managers are simulated too)'),
});
export type CreateSimulationRequest = z.input<typeof createSimulationRequest>;

const money = z.number().int();
const bpsOrNull = z.number().int().nullable();

const attribution = z.object({
  partnerSourcedMinor: money,
  partnerInfluencedMinor: money,
  directMinor: money,
  nonRenewalMinor: money,
  unattributedMinor: money,
});

const bySourcing = <T extends z.ZodType>(t: T) => z.object({ direct: t, partner_sourced: t, partner_influenced: t });

const mover = z.object({
  participantId: z.string(),
  name: z.string(),
  baselineMinor: money,
  totalMinor: money,
  changeMinor: money,
  changeBps: bpsOrNull,
});

export const simulationPlanSummary = z.object({
  planKey: z.string(),
  name: z.string(),
  baseline: z.boolean(),
  payoutPeriod: z.enum(payoutPeriods),
  totalCostMinor: money,
  revenueMinor: money,
  costOfSalesBps: bpsOrNull,
  components: z.record(z.string(), money),
  attribution,
  changeMinor: money,
  changeBps: bpsOrNull,
  participantsPaid: z.number().int(),
  distribution: z.object({
    buckets: z.array(z.object({ fromMinor: money, toMinor: money, count: z.number().int() })),
    minMinor: money,
    p10Minor: money,
    p50Minor: money,
    p90Minor: money,
    maxMinor: money,
  }),
  winners: z.array(mover),
  losers: z.array(mover),
  neutrality: z.object({
    partnerSourcedCostMinor: money,
    perThousand: bySourcing(z.number().int().nullable()),
    registrationIncentiveMinor: z.number().int().nullable(),
    dealValueMinor: bySourcing(money),
  }),
});
export type SimulationPlanSummary = z.infer<typeof simulationPlanSummary>;

export const simulationParticipantResult = z.object({
  participantId: z.string(),
  name: z.string(),
  managerId: z.string().nullable(),
  team: z.string().nullable(),
  plans: z.array(
    z.object({
      planKey: z.string(),
      totalMinor: money,
      components: z.record(z.string(), money),
      attribution,
      changeMinor: money,
      changeBps: bpsOrNull,
      periods: z.array(
        z.object({
          periodStart: z.string(),
          periodEnd: z.string(),
          quotaMinor: money.nullable(),
          quotaCreditMinor: money,
          attainmentBps: z.number().int(),
          totalMinor: money,
        }),
      ),
    }),
  ),
});
export type SimulationParticipantResult = z.infer<typeof simulationParticipantResult>;

/** SimulationResult of common/comp/simulate.ts without payout lines. */
export const simulationRunResult = z.object({
  period: z.object({ start: z.string(), end: z.string() }),
  currency: z.string(),
  plans: z.array(simulationPlanSummary),
  participants: z.array(simulationParticipantResult),
  notes: z.array(z.string()),
});
export type SimulationRunResult = z.infer<typeof simulationRunResult>;

export const simulatedVersion = z.object({
  versionId: z.uuid(),
  planId: z.uuid(),
  planKey: z.string(),
  planName: z.string(),
  version: z.number().int(),
  status: planVersionStatus,
});
export type SimulatedVersion = z.infer<typeof simulatedVersion>;

export const simulationSummaryView = z.object({
  id: z.uuid(),
  period: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  currency: z.string(),
  /** Baseline first, candidates after. */
  versions: z.array(simulatedVersion),
  participantFilter: z.array(z.string()).nullable(),
  transactionCount: z.number().int(),
  participantCount: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export type SimulationSummaryView = z.infer<typeof simulationSummaryView>;

export const simulationView = simulationSummaryView.extend({ result: simulationRunResult });
export type SimulationView = z.infer<typeof simulationView>;

export const simulationListQuery = pageQuery.omit({ q: true });
export const simulationPage = z.object({ items: z.array(simulationSummaryView), total: z.number().int() });
export type SimulationPage = z.infer<typeof simulationPage>;
