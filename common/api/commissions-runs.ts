import { z } from 'zod';
import { payoutLineKinds } from '../comp/engine-types.ts';
import { creditKinds, sourcings } from '../comp/plan.ts';
import { transactionKinds } from '../comp/transaction-row.ts';
import { isoDate } from '../dates.ts';

/**
 * Period runs and statements: a run pays every participant with a plan assignment for the payout
 * periods of [periodStart, periodEnd); a statement is one participant's lines of a run, each with the
 * credit buckets behind it, and each line can be drilled down to its sales transactions.
 */

export const commissionRunStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export const commissionRunStatus = z.enum(commissionRunStatuses);
export type CommissionRunStatus = z.infer<typeof commissionRunStatus>;

export const createCommissionRunRequest = z
  .strictObject({
    periodStart: isoDate.describe('First day of the run, the start of a payout period of every plan'),
    periodEnd: isoDate.describe('First day after the run (half-open)'),
    incremental: z
      .boolean()
      .optional()
      .describe(
        'Reuse the latest completed run of the same dates when only new import batches arrived since (other inputs unchanged): only the participants the new lines credit are calculated again; the result hash is the one a full recalculation gives. Otherwise the run is calculated in full.',
      ),
  })
  .refine((r) => r.periodEnd > r.periodStart, { message: 'periodEnd must be after periodStart', path: ['periodEnd'] });
export type CreateCommissionRunRequest = z.infer<typeof createCommissionRunRequest>;

export const runPlanVersion = z.object({
  versionId: z.uuid(),
  planId: z.uuid(),
  planKey: z.string(),
  version: z.number().int(),
  currency: z.string(),
  /** The partner credit rule the run credited with: the rules of the road version's, or the plan's own. */
  partnerCreditRef: z.string(),
});
export type RunPlanVersion = z.infer<typeof runPlanVersion>;

export const commissionRunView = z.object({
  id: z.uuid(),
  periodStart: isoDate,
  periodEnd: isoDate,
  status: commissionRunStatus,
  progress: z.object({ done: z.number().int(), total: z.number().int() }).describe('Participants calculated / to calculate'),
  planVersions: z.array(runPlanVersion),
  resultCount: z.number().int().nullable().describe('Participant payout periods stored'),
  resultHash: z.string().nullable().describe('sha256 of the canonical result (same inputs and plan versions: same hash)'),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  basis: z
    .object({
      incremental: z.boolean().describe('Asked to reuse an earlier run'),
      baseRunId: z.uuid().nullable().describe('The run whose results were reused; null when calculated in full'),
      recalculated: z.number().int().nullable().describe('Participants calculated by this run'),
    })
    .optional(),
});
export type CommissionRunView = z.infer<typeof commissionRunView>;

export const commissionRunListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const creditBucketView = z.object({
  kind: z.enum(creditKinds),
  sourcing: z.enum(sourcings),
  product: z.string().nullable(),
  scenario: z.string().nullable(),
  segment: z.string().nullable(),
  clawback: z.boolean(),
  spiffKeys: z.array(z.string()),
  creditMinor: z.number().int(),
  deals: z.number().int(),
});

export const statementLineView = z.object({
  /** Position of the line in the participant's statement of the run (all periods, in order): the drill-down index. */
  index: z.number().int(),
  componentKey: z.string(),
  componentName: z.string(),
  kind: z.enum(payoutLineKinds),
  basisMinor: z.number().int().nullable(),
  rateBps: z.number().int().nullable(),
  multiplierBps: z.number().int(),
  tier: z.object({ fromBps: z.number().int(), toBps: z.number().int().nullable() }).nullable(),
  amountMinor: z.number().int(),
  explanation: z.string(),
  /** The credit buckets the line's basis came from, with their attributes. */
  buckets: z.array(creditBucketView),
});
export type StatementLineView = z.infer<typeof statementLineView>;

export const statementPeriodView = z.object({
  periodStart: isoDate,
  periodEnd: isoDate,
  planVersionId: z.uuid(),
  currency: z.string(),
  quotaMinor: z.number().int().nullable(),
  quotaCreditMinor: z.number().int(),
  attainmentBps: z.number().int(),
  ytdAttainmentBps: z.number().int(),
  totalMinor: z.number().int(),
  lines: z.array(statementLineView),
});

export const statementAdjustmentView = z.object({
  adjustmentId: z.uuid(),
  /** The day it was booked (UTC). */
  bookedOn: isoDate,
  /** The commission period the adjustment is booked (and paid) in. */
  periodStart: isoDate,
  periodEnd: isoDate,
  currency: z.string(),
  amountMinor: z.number().int(),
  reason: z.string(),
  source: z.enum(['restatement', 'dispute']),
  /** The dispute's reference (DSP-...), when a dispute's resolution booked it. */
  disputeReference: z.string().nullable(),
  /** The closed period whose restatement (as this version) booked it, for a restatement's difference. */
  restated: z.object({ periodStart: isoDate, periodEnd: isoDate, version: z.number().int() }).nullable(),
});
export type StatementAdjustmentView = z.infer<typeof statementAdjustmentView>;

export const statementView = z.object({
  runId: z.uuid(),
  runStatus: commissionRunStatus,
  participantId: z.uuid(),
  participantName: z.string(),
  periods: z.array(statementPeriodView),
  /** Adjustments booked for the participant in commission periods overlapping the run's dates. */
  adjustments: z.array(statementAdjustmentView),
});
export type StatementView = z.infer<typeof statementView>;

export const statementQuery = z.strictObject({
  runId: z.uuid().optional().describe('Default: the latest completed run'),
  participantId: z.uuid().optional().describe('Default: the participant linked to the signed-in user'),
});

export const lineTransactionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const lineTransactionView = z.object({
  salesTransactionId: z.uuid(),
  transactionRef: z.string(),
  kind: z.enum(transactionKinds),
  recognisedOn: isoDate,
  currency: z.string(),
  /** The stored share of the participant the credit comes from (the seller, for a roll-up), in the transaction's currency. */
  amountMinor: z.number().int(),
  dealAmountMinor: z.number().int(),
  splitBps: z.number().int(),
  /** The participant whose stored line it is: the statement's participant, or the seller below them for a roll-up. */
  fromParticipantId: z.uuid(),
  creditKind: z.enum(creditKinds),
  sourcing: z.enum(sourcings),
  product: z.string().nullable(),
  scenario: z.string().nullable(),
  segment: z.string().nullable(),
  clawback: z.boolean(),
  spiffKeys: z.array(z.string()),
  /** Credit in the plan's currency, as the run counted it. */
  creditMinor: z.number().int(),
  fxRate: z.string().nullable(),
});
export type LineTransactionView = z.infer<typeof lineTransactionView>;

export const lineTransactionsPage = z.object({ items: z.array(lineTransactionView), total: z.number().int() });
