import type { CreditKind, Sourcing } from './plan.ts';

/**
 * The contract of the one calculation engine (common/comp/engine.ts), shared by simulation
 * (comp-plans) and period runs (commissions). The engine never sees single transactions: callers
 * aggregate credit lines to buckets per (participant, payout period, rate class) — in TypeScript for
 * a simulation, in one SQL statement for a period run — and the engine applies the plan to those few
 * rows. Explaining a line down to its transactions is done lazily, from the bucket's attributes.
 */

/** Credit lines of one participant in one payout period that share every attribute the plan can distinguish. */
export type CreditBucket = {
  kind: CreditKind;
  sourcing: Sourcing;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  /** Negative credit from a refund or cancellation (recognised in this period), clawed back by the plan's clawback policy. */
  clawback: boolean;
  /** SPIFF component keys whose window, filter and minimum deal value these lines meet (spiffKeysFor). */
  spiffKeys: readonly string[];
  /** Signed sum of credited value in the plan's currency (minor units). */
  creditMinor: number;
  /** Distinct transactions behind the lines (per-deal SPIFFs count these; clawback buckets count refunds). */
  deals: number;
};

/** Carried from the earlier payout periods of the same fiscal year (year-to-date windows, draws). */
export type PriorState = {
  /** Quota credit (plan.quota.credits) in earlier periods of the fiscal year. */
  ytdQuotaCreditMinor: number;
  /** Quota of earlier periods of the fiscal year (prorated). */
  ytdQuotaMinor: number;
  /** Per tiered component with window year_to_date: credit counted by it in earlier periods of the fiscal year. */
  ytdComponentCreditMinor: Readonly<Record<string, number>>;
  /**
   * Per tiered component with window year_to_date: the same credit after the component's partner
   * multipliers (what its rates pay on), rounded once per period. Absent (older states) = the credit above.
   */
  ytdComponentPayCreditMinor?: Readonly<Record<string, number>>;
  /** Per component: what earlier periods of the fiscal year paid (year-to-date true-ups subtract it). */
  ytdPaidMinor: Readonly<Record<string, number>>;
  /** Outstanding recoverable draw (positive: the participant owes it back). */
  drawBalanceMinor: number;
  /** Payout periods this participant has been on the plan before this one (draw guarantee periods). */
  periodsOnPlan: number;
};

export const emptyPriorState = (): PriorState => ({
  ytdQuotaCreditMinor: 0,
  ytdQuotaMinor: 0,
  ytdComponentCreditMinor: {},
  ytdPaidMinor: {},
  drawBalanceMinor: 0,
  periodsOnPlan: 0,
});

export type ParticipantPeriodInput = {
  participantId: string;
  /** Payout period [periodStart, periodEnd). */
  periodStart: string;
  periodEnd: string;
  /** Full quota for the period before proration; null = no quota (attainment 0, quota-based components pay on tier 0). */
  quotaMinor: number | null;
  /** Participant active from/to (YYYY-MM-DD, half-open; null = the whole period): quota proration by days. */
  activeFrom: string | null;
  activeTo: string | null;
  /** Accountability measures for the period by metric key (scorecards); absent = not measured. */
  metrics: Readonly<Record<string, number>>;
  buckets: readonly CreditBucket[];
  prior: PriorState;
};

export const payoutLineKinds = ['earning', 'cap', 'clawback', 'true_up', 'draw', 'draw_recovery', 'gate'] as const;
export type PayoutLineKind = (typeof payoutLineKinds)[number];

/** One line of a statement: what was paid and exactly why (every factor that made the amount). */
export type PayoutLine = {
  componentKey: string;
  componentName: string;
  kind: PayoutLineKind;
  /** The credit (or incentive) the line applies its rate to, minor units; null where no basis applies (draws, caps). */
  basisMinor: number | null;
  /** Rate applied in basis points (commission rate, tier rate, payout share), null when none. */
  rateBps: number | null;
  /** Product of every multiplier applied (partner sourcing, attainment, retroactive tier), basis points; 10000 = none. */
  multiplierBps: number;
  /** The attainment band the line was paid in, when tiered. */
  tier: { fromBps: number; toBps: number | null } | null;
  /** Which buckets (indexes into the input's buckets) the basis came from: the drill-down to transactions. */
  bucketIndexes: readonly number[];
  /** Rounded once, with the plan's rounding mode. */
  amountMinor: number;
  /** Plain-language reason, e.g. "2.5% of 120,000.00 partner-sourced credit x 1.2 (partner-sourced)". */
  explanation: string;
};

export type ParticipantPeriodResult = {
  participantId: string;
  periodStart: string;
  periodEnd: string;
  /** Quota after proration (null when none). */
  quotaMinor: number | null;
  /** Quota credit of the period (plan.quota.credits). */
  quotaCreditMinor: number;
  /** Period attainment, basis points, rounded down (0 when no quota). */
  attainmentBps: number;
  /** Year-to-date attainment, basis points, rounded down. */
  ytdAttainmentBps: number;
  lines: PayoutLine[];
  /** Sum of the lines. */
  totalMinor: number;
  /** State to carry into the next payout period of the same fiscal year (and draws across years). */
  next: PriorState;
};
