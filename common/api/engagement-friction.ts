import { z } from 'zod';
import { isoDate } from '../dates.ts';

/**
 * Friction analytics: how the vendor's own organisation treats partner-brought work. Periods are
 * half-open [from, to) in UTC calendar dates.
 */
export const frictionGroupBy = z.enum(['scenario', 'unit', 'scenario_unit']);
export type FrictionGroupBy = z.infer<typeof frictionGroupBy>;

const periodFields = {
  from: isoDate.describe('First day of the period (inclusive), YYYY-MM-DD, UTC'),
  to: isoDate.describe('Day after the period (exclusive), YYYY-MM-DD, UTC'),
  tier: z.string().trim().min(1).max(60).optional().describe('Only partners of this tier'),
  region: z.string().trim().min(1).max(120).optional().describe('Only registrations for this region'),
};

/** At most this many days in one query: keeps a mistyped year from scanning everything. */
export const MAX_FRICTION_DAYS = 1100;

function periodIsValid(q: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if ((Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 > MAX_FRICTION_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the period may span at most ${MAX_FRICTION_DAYS} days` });
  }
}

export const frictionQuery = z
  .strictObject({
    ...periodFields,
    groupBy: frictionGroupBy.default('scenario'),
    stallBreachRate: z.coerce.number().min(0).max(1).default(0.2).describe('A group stalls when its SLA breach rate is above this share (0..1); default 0.2'),
  })
  .superRefine(periodIsValid);
export type FrictionQuery = z.output<typeof frictionQuery>;

export const frictionValue = z.object({
  currency: z.string(),
  submittedMinor: z.number().int(),
  wonMinor: z.number().int(),
});

export const stallReason = z.enum(['breach_rate', 'median_over_sla', 'waiting_past_sla']);

export const frictionRow = z.object({
  scenarioKey: z.string().nullable(),
  scenarioName: z.string().nullable(),
  /** The owning unit from routing; '(unrouted)' when a registration has none. */
  unit: z.string().nullable(),
  isRenewal: z.boolean().nullable(),
  received: z.number().int(),
  answered: z.number().int(),
  medianResponseHours: z.number().nullable(),
  p90ResponseHours: z.number().nullable(),
  waiting: z.number().int(),
  waitingOldestHours: z.number().nullable(),
  waitingMedianHours: z.number().nullable(),
  /** Unanswered registrations whose SLA has already run out. */
  waitingPastSla: z.number().int(),
  slaDue: z.number().int(),
  slaBreached: z.number().int(),
  breachRate: z.number().nullable(),
  /** The typical SLA of the group in hours (median of sla_due_at - submitted_at). */
  slaHours: z.number().nullable(),
  decided: z.number().int(),
  approved: z.number().int(),
  approvalRate: z.number().nullable(),
  won: z.number().int(),
  lost: z.number().int(),
  winRate: z.number().nullable(),
  values: z.array(frictionValue),
  stalled: z.boolean(),
  stallReasons: z.array(stallReason),
});
export type FrictionRow = z.infer<typeof frictionRow>;

export const frictionReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: frictionGroupBy,
  asOf: z.string(),
  stallBreachRate: z.number(),
  groups: z.array(frictionRow),
  renewal: z.array(frictionRow),
  total: frictionRow,
});
export type FrictionReport = z.infer<typeof frictionReport>;

export const FRICTION_DESCRIPTION = [
  'Registrations received are those submitted in [from, to); one the partner withdrew before any answer is left out.',
  'Response time runs from submitted_at to the first response (first_response_at, or the decision when a registration was decided without a separate first response, e.g. auto-approval).',
  'Median and p90 response (hours, percentile_cont) are computed over answered registrations only; unanswered ones are still open and are reported separately as "waiting" with their current age (oldest and median, hours).',
  'SLA breach rate = breached / registrations whose SLA came due within the period (and before now) or that were marked breached within it; breached means marked breached, answered after sla_due_at, or still unanswered after it.',
  'Approval rate = (approved + won + lost + expired) / decided (those plus rejected); win rate = won / (won + lost); both over registrations received in the period.',
  'Values are integer minor units per currency, never mixed. A group stalls when its breach rate is above stallBreachRate, its median response is above its SLA, or registrations wait past their SLA.',
].join(' ');

export const frictionTrendQuery = z
  .strictObject({
    ...periodFields,
    grain: z.enum(['week', 'month']).default('month'),
  })
  .superRefine(periodIsValid);
export type FrictionTrendQuery = z.output<typeof frictionTrendQuery>;

export const frictionTrendPoint = z.object({
  /** First day of the bucket (Mondays for weeks), YYYY-MM-DD. */
  bucket: z.string(),
  isRenewal: z.boolean(),
  received: z.number().int(),
  medianResponseHours: z.number().nullable(),
  slaDue: z.number().int(),
  slaBreached: z.number().int(),
  breachRate: z.number().nullable(),
});
export type FrictionTrendPoint = z.infer<typeof frictionTrendPoint>;

export const frictionTrend = z.object({ from: z.string(), to: z.string(), grain: z.enum(['week', 'month']), points: z.array(frictionTrendPoint) });
export type FrictionTrend = z.infer<typeof frictionTrend>;

export const FRICTION_TREND_DESCRIPTION =
  'Per bucket of submission date (UTC) and renewal vs non-renewal scenarios: registrations received, median hours to first response over answered ones, and the SLA breach rate over those of them whose SLA has come due.';
