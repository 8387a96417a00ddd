import type { ScorecardMetricColumn } from '../../../common/api/scorecard-results.ts';
import {
  targetCsvColumns,
  requiredTargetCsvColumns,
  targetKindsFor,
  targetSubjectKinds,
  type TargetSource,
  type TargetSubjectKind,
} from '../../../common/api/scorecard-targets.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import type { MetricDirection, MetricUnit, SubjectKind } from '../../../common/scorecards/metric.ts';
import { overallScore, rankByScore, roundScore, scoreValue, type ScoreStatus } from '../../../common/scorecards/scoring.ts';
import { readCsvTable } from '../../lib/csv-table.ts';

/**
 * Per-subject targets, pure: which target applies to which subject, validation of a target against
 * its scorecard row, the CSV format, and re-scoring a computed scorecard with the targets found.
 */

export type StoredTarget = { metric: string; subjectKind: TargetSubjectKind; subjectId: string; target: number; redFlag: number };
/** A target that applies to a subject, and the stored row it comes from (the subject's own, or its tier's). */
export type SubjectTarget<T extends StoredTarget = StoredTarget> = { target: number; redFlag: number; from: T };
/** subject id -> metric key -> target: what the scoring applies instead of the definition's row. */
export type SubjectTargets<T extends StoredTarget = StoredTarget> = Map<string, Map<string, SubjectTarget<T>>>;

/**
 * The targets that apply to the subjects of one roll-up level: a subject's own target, else (for
 * partners) its tier's; anything else keeps the scorecard's default, so it is not in the map. The
 * scoring (subjectTargetsFor) and the "which target applied" reading (effectiveTargets) both
 * resolve through this one function.
 */
export function resolveSubjectTargets<T extends StoredTarget>(
  stored: readonly T[],
  level: SubjectKind,
  subjectIds: readonly string[],
  tierOfPartner: ReadonlyMap<string, string>,
): SubjectTargets<T> {
  const own = new Map<string, SubjectTarget<T>>();
  const byTier = new Map<string, SubjectTarget<T>>();
  for (const t of stored) {
    if (t.subjectKind === level) own.set(`${t.subjectId}\u0000${t.metric}`, { target: t.target, redFlag: t.redFlag, from: t });
    else if (t.subjectKind === 'partner_tier' && level === 'partner')
      byTier.set(`${t.subjectId}\u0000${t.metric}`, { target: t.target, redFlag: t.redFlag, from: t });
  }
  const metrics = [...new Set(stored.map((t) => t.metric))];
  const out: SubjectTargets<T> = new Map();
  for (const id of subjectIds) {
    const tier = tierOfPartner.get(id);
    for (const metric of metrics) {
      const found = own.get(`${id}\u0000${metric}`) ?? (tier === undefined ? undefined : byTier.get(`${tier}\u0000${metric}`));
      if (!found) continue;
      let m = out.get(id);
      if (!m) out.set(id, (m = new Map<string, SubjectTarget<T>>()));
      m.set(metric, found);
    }
  }
  return out;
}

/** Where an applied target comes from, and why, in words. */
export function targetSourceOf(applied: SubjectTarget | undefined, subjectLabel: string): { source: TargetSource; tier: string | null; reason: string } {
  if (!applied) return { source: 'default', tier: null, reason: 'The scorecard default: no target of its own or of its tier' };
  if (applied.from.subjectKind === 'partner_tier')
    return { source: 'tier', tier: applied.from.subjectId, reason: `The target of the ${applied.from.subjectId} tier (no target of its own)` };
  return { source: 'subject', tier: null, reason: `The own target of ${subjectLabel}` };
}

/** What re-scoring needs of a scored subject (scorecards.rules.ts ScoredSubject has these fields). */
export type RescorableSubject = {
  subjectId: string;
  rank: number | null;
  score: number | null;
  status: ScoreStatus;
  cellValues: (number | null)[];
  cellScores: (number | null)[];
  cellStatuses: ScoreStatus[];
  trendScores: (number | null)[];
  /** periods x metrics, period-major. */
  trendValues: (number | null)[];
};

/**
 * Re-scores the subjects that have targets of their own (cells, overall score, trend scores) and
 * ranks everyone again on unrounded scores. Values are untouched: a target changes the judgement,
 * not the figure. Without targets the subjects come back as they were.
 */
export function applySubjectTargets<T extends RescorableSubject>(
  subjects: readonly T[],
  columns: readonly ScorecardMetricColumn[],
  targets: ReadonlyMap<string, ReadonlyMap<string, { target: number; redFlag: number }>>,
): T[] {
  if (targets.size === 0) return subjects.slice();
  const m = columns.length;
  const goalsOf = (own: ReadonlyMap<string, { target: number; redFlag: number }> | undefined) =>
    columns.map((c) => {
      const t = own?.get(c.metric);
      return {
        target: t?.target ?? c.target,
        redFlag: t?.redFlag ?? c.redFlag,
        direction: c.direction,
        weight: c.applicable ? c.weight : 0,
        applicable: c.applicable,
      };
    });
  const scoreOf = (values: readonly (number | null)[], goals: ReturnType<typeof goalsOf>) =>
    overallScore(
      values.map((v, i) => ({
        score: goals[i]?.applicable ? scoreValue(v, goals[i].target, goals[i].redFlag, goals[i].direction).score : null,
        weight: goals[i]?.weight ?? 0,
      })),
    );

  const raw = new Map<string, number | null>();
  const rows = subjects.map((s) => {
    const own = targets.get(s.subjectId);
    const goals = goalsOf(own);
    const overall = scoreOf(s.cellValues, goals);
    raw.set(s.subjectId, overall.score);
    if (!own) return s;
    const cellScores = [...s.cellScores];
    const cellStatuses = [...s.cellStatuses];
    goals.forEach((g, i) => {
      if (!g.applicable) return;
      const sc = scoreValue(s.cellValues[i] ?? null, g.target, g.redFlag, g.direction);
      cellScores[i] = roundScore(sc.score);
      cellStatuses[i] = sc.status;
    });
    const trendScores = s.trendScores.map((_, pi) => roundScore(scoreOf(s.trendValues.slice(pi * m, pi * m + m), goals).score));
    return { ...s, cellScores, cellStatuses, trendScores, score: roundScore(overall.score), status: overall.status };
  });
  const ranks = rankByScore(rows.map((r) => ({ id: r.subjectId, score: raw.get(r.subjectId) ?? null })));
  return rows.map((r) => ({ ...r, rank: ranks.get(r.subjectId) ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Validation

export type MetricFactsForTarget = { name: string; unit: MetricUnit; direction: MetricDirection };

export { targetKindsFor };

/** Problems of one target against its scorecard (the subject itself is resolved by the caller). */
export function targetProblems(
  t: { metric: string; subjectKind: TargetSubjectKind; target: number; redFlag: number },
  ctx: { kinds: readonly TargetSubjectKind[]; metricOf: (key: string) => MetricFactsForTarget | undefined; rowMetrics: readonly string[] },
): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  if (!ctx.kinds.includes(t.subjectKind)) issues.push({ path: 'subjectKind', message: `this scorecard takes targets for ${ctx.kinds.join(', ')}` });
  if (!ctx.rowMetrics.includes(t.metric)) {
    issues.push({ path: 'metric', message: `"${t.metric}" is not a row of the scorecard (${ctx.rowMetrics.join(', ')})` });
    return issues;
  }
  const m = ctx.metricOf(t.metric);
  if (!m) return [...issues, { path: 'metric', message: `"${t.metric}" is no longer in the metric library` }];
  if (t.target === t.redFlag) issues.push({ path: 'redFlag', message: 'the red flag must differ from the target' });
  else if (m.direction === 'higher_is_better' && t.redFlag > t.target)
    issues.push({ path: 'redFlag', message: `higher is better for ${m.name}: the red flag is below the target` });
  else if (m.direction === 'lower_is_better' && t.redFlag < t.target)
    issues.push({ path: 'redFlag', message: `lower is better for ${m.name}: the red flag is above the target` });
  if (m.unit === 'ratio' && (t.target < 0 || t.target > 1 || t.redFlag < 0 || t.redFlag > 1))
    issues.push({ path: 'target', message: `${m.name} is a ratio: targets are fractions between 0 and 1 (0.6 = 60%)` });
  if (m.unit !== 'ratio' && (t.target < 0 || t.redFlag < 0) && (m.unit === 'count' || m.unit === 'money' || m.unit === 'days'))
    issues.push({ path: 'target', message: `${m.name} is never negative` });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// CSV

export const maxTargetRows = 20_000;
export type TargetCsvRow = { line: number; metric: string; subjectKind: TargetSubjectKind; subject: string; target: number; redFlag: number; note: string };
export type TargetCsvIssue = { line: number; column: string; message: string };

const csvPathOf: Record<string, string> = {
  metric: 'metric',
  subjectKind: 'subject_kind',
  subject: 'subject',
  target: 'target',
  redFlag: 'red_flag',
  note: 'note',
};
/** The CSV column an issue path of a target row points at. */
export function csvColumnOf(path: string): string {
  return csvPathOf[path] ?? path;
}

function number(text: string): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * The CSV format of a target import: metric, subject_kind, subject, target, red_flag, note (header
 * first, any order and case). Lines are counted from 1 (the header), as a spreadsheet shows them.
 */
export function parseTargetCsv(text: string): { rows: TargetCsvRow[]; issues: TargetCsvIssue[]; total: number } {
  const { body, cell: cellOf } = readCsvTable(text, {
    columns: targetCsvColumns,
    required: requiredTargetCsvColumns,
    maxRows: maxTargetRows,
    path: 'body.csv',
    action: 'import',
  });

  const rows: TargetCsvRow[] = [];
  const issues: TargetCsvIssue[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (c: string): string => cellOf(record, c);
    const rowIssues: TargetCsvIssue[] = [];
    const metric = cell('metric');
    const kind = cell('subject_kind');
    const subject = cell('subject');
    const target = number(cell('target'));
    const redFlag = number(cell('red_flag'));
    const note = cell('note');
    if (!/^[a-z][a-z0-9_]{1,59}$/.test(metric)) rowIssues.push({ line, column: 'metric', message: metric ? `"${metric}" is not a metric key` : 'is required' });
    if (!(targetSubjectKinds as readonly string[]).includes(kind))
      rowIssues.push({ line, column: 'subject_kind', message: `"${kind}" is not one of ${targetSubjectKinds.join(', ')}` });
    if (!subject) rowIssues.push({ line, column: 'subject', message: 'is required' });
    else if (subject.length > 120) rowIssues.push({ line, column: 'subject', message: 'is longer than 120 characters' });
    if (target === null) rowIssues.push({ line, column: 'target', message: `"${cell('target')}" is not a number (use . for decimals)` });
    if (redFlag === null) rowIssues.push({ line, column: 'red_flag', message: `"${cell('red_flag')}" is not a number (use . for decimals)` });
    if (note.length > 500) rowIssues.push({ line, column: 'note', message: 'is longer than 500 characters' });
    const key = `${metric}\u0000${kind}\u0000${subject.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) rowIssues.push({ line, column: 'subject', message: `repeats line ${first} (same metric and subject)` });
    if (rowIssues.length || target === null || redFlag === null) {
      issues.push(...rowIssues);
      continue;
    }
    seen.set(key, line);
    rows.push({ line, metric, subjectKind: kind as TargetSubjectKind, subject, target, redFlag, note });
  }
  return { rows, issues, total: body.length };
}
