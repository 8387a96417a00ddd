import { z } from 'zod';
import type { ProblemIssue } from '../errors.ts';
import { internalRoles } from '../roles.ts';
import { periodGrains, subjectKinds, type MetricDefinition, type PeriodGrain, type SubjectKind } from './metric.ts';

/**
 * A scorecard definition (format `realign.scorecard/v1`): a subject kind, a list of metric rows
 * (metric key, weight, target, red flag), a period grain, how many periods the trend shows, the
 * audiences its snapshots are published to by default, and whether a job publishes it at the end
 * of every period. Scoring is pure (./scoring.ts) so the browser shows exactly what the server
 * computes. See docs/scorecards.md, "Scorecards".
 */

export const SCORECARD_FORMAT = 'realign.scorecard/v1';

export const scorecardRow = z.strictObject({
  metric: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/),
  weight: z.number().int().min(0).max(100).default(1).describe('Share of the overall score (0 = shown, not scored)'),
  target: z.number().finite().describe('Goal, in the metric\u2019s unit (ratio 0.6 = 60%, money in minor units): reaching it is green (score 6.67)'),
  redFlag: z.number().finite().describe('Worse than this is red (the red flag itself scores 3.33)'),
});
export type ScorecardRow = z.output<typeof scorecardRow>;

export const scorecardAudience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('internal').describe('Every internal user') }),
  z.strictObject({ kind: z.literal('team'), team: z.string().trim().min(1).max(120).describe('Members of this team (comp participants)') }),
  z.strictObject({
    kind: z.literal('committee'),
    roles: z.array(z.enum(internalRoles)).min(1).max(internalRoles.length).describe('The oversight committee, as a list of roles for now'),
  }),
  z.strictObject({ kind: z.literal('partners').describe('Each partner sees its own row and anonymised benchmarks (partner scorecards only)') }),
]);
export type ScorecardAudience = z.infer<typeof scorecardAudience>;
export const audienceKinds = ['internal', 'team', 'committee', 'partners'] as const;

export const scorecardSchedules = ['none', 'period_end'] as const;

export const scorecardDefinition = z.strictObject({
  format: z.literal(SCORECARD_FORMAT).default(SCORECARD_FORMAT),
  key: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'lower-case letters, digits and _, starting with a letter (2-60 characters)'),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
  owner: z.string().trim().min(1).max(120),
  subjectKind: z.enum(subjectKinds),
  periodGrain: z.enum(periodGrains),
  trendPeriods: z.number().int().min(1).max(12).default(4).describe('Periods the trend shows, the current one included'),
  rows: z.array(scorecardRow).min(1).max(20),
  audiences: z.array(scorecardAudience).max(10).default([]).describe('Who a published snapshot reaches (by default)'),
  schedule: z.enum(scorecardSchedules).default('none').describe('period_end: a job publishes a snapshot of every period once it is over'),
});
export type ScorecardDefinition = z.output<typeof scorecardDefinition>;
export type ScorecardDefinitionInput = z.input<typeof scorecardDefinition>;

/**
 * The levels a scorecard rolls up to, base first. A parent's figures are the metric re-aggregated
 * over the parent's rows (a team's win rate is its won deals over its decided deals), never an
 * average of its children's ratios. Partners have no parent: they are compared to anonymised peers.
 */
export const rollUpChains: Record<SubjectKind, readonly SubjectKind[]> = {
  seller: ['seller', 'team', 'unit', 'programme'],
  manager: ['manager', 'programme'],
  team: ['team', 'unit', 'programme'],
  unit: ['unit', 'programme'],
  partner: ['partner'],
  programme: ['programme'],
};

/** Every semantic problem of a scorecard that parsed, given the metric library. */
export function scorecardProblems(def: ScorecardDefinition, metricOf: (key: string) => MetricDefinition | undefined): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const seen = new Set<string>();
  def.rows.forEach((row, i) => {
    const at = `rows[${i}]`;
    if (seen.has(row.metric)) issues.push({ path: `${at}.metric`, message: `${row.metric} is listed twice` });
    seen.add(row.metric);
    const m = metricOf(row.metric);
    if (!m) {
      issues.push({ path: `${at}.metric`, message: `"${row.metric}" is not a metric of the library` });
      return;
    }
    if (!m.subjectKinds.includes(def.subjectKind))
      issues.push({ path: `${at}.metric`, message: `${m.name} is not computed per ${def.subjectKind} (${m.subjectKinds.join(', ')})` });
    if (row.target === row.redFlag) issues.push({ path: `${at}.redFlag`, message: 'the red flag must differ from the target' });
    else if (m.direction === 'higher_is_better' && row.redFlag > row.target)
      issues.push({ path: `${at}.redFlag`, message: `higher is better for ${m.name}: the red flag is below the target` });
    else if (m.direction === 'lower_is_better' && row.redFlag < row.target)
      issues.push({ path: `${at}.redFlag`, message: `lower is better for ${m.name}: the red flag is above the target` });
    if (m.unit === 'ratio' && (row.target < 0 || row.target > 1 || row.redFlag < 0 || row.redFlag > 1))
      issues.push({ path: `${at}.target`, message: `${m.name} is a ratio: targets are fractions between 0 and 1 (0.6 = 60%)` });
  });
  if (def.rows.every((r) => r.weight === 0)) issues.push({ path: 'rows', message: 'at least one row needs a weight above 0' });
  def.audiences.forEach((a, i) => {
    if (a.kind === 'partners' && def.subjectKind !== 'partner')
      issues.push({ path: `audiences[${i}]`, message: 'only a partner scorecard is published to partners' });
  });
  if (new Set(def.audiences.map((a) => JSON.stringify(a))).size !== def.audiences.length)
    issues.push({ path: 'audiences', message: 'an audience is listed twice' });
  return issues;
}

export function checkScorecardDefinition(
  raw: unknown,
  metricOf: (key: string) => MetricDefinition | undefined,
): { ok: true; definition: ScorecardDefinition } | { ok: false; issues: ProblemIssue[] } {
  const parsed = scorecardDefinition.safeParse(raw);
  if (!parsed.success)
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(definition)', message: i.message })) };
  const issues = scorecardProblems(parsed.data, metricOf);
  return issues.length ? { ok: false, issues } : { ok: true, definition: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// Periods (calendar periods, UTC; half-open)

const monthsOf: Record<PeriodGrain, number> = { month: 1, quarter: 3, year: 12 };

/** First day of the period of `grain` that contains `date` (YYYY-MM-DD). */
export function periodStartOf(date: string, grain: PeriodGrain): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const first = grain === 'year' ? 1 : grain === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : m;
  return `${String(y).padStart(4, '0')}-${String(first).padStart(2, '0')}-01`;
}

/** The start of the period `n` periods after the one starting on `start` (n may be negative). */
export function addPeriods(start: string, grain: PeriodGrain, n: number): string {
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7)) - 1 + n * monthsOf[grain];
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-01`;
}

/** A readable name: 2017-04-01 by quarter is "Q2 2017". */
export function periodLabel(start: string, grain: PeriodGrain): string {
  const y = start.slice(0, 4);
  const m = Number(start.slice(5, 7));
  if (grain === 'year') return y;
  if (grain === 'quarter') return `Q${Math.floor((m - 1) / 3) + 1} ${y}`;
  return `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1] ?? ''} ${y}`;
}
