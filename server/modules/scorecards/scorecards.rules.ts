import type { BenchmarkView, ScorecardCell, ScorecardMetricColumn, ScorecardSubjectRow } from '../../../common/api/scorecard-results.ts';
import type { MetricMeasure } from '../../../common/scorecards/metric.ts';
import { benchmarkOf, overallScore, rankByScore, roundScore, scoreValue, type ScoreStatus } from '../../../common/scorecards/scoring.ts';

/**
 * Scores a computed scorecard from the metric figures the compiler returned (pure: no I/O, no
 * clock). Every subject that has a value for any metric in any trend period is a row.
 *
 * A count or a sum with no rows for a subject that is on the scorecard is 0 (nothing was counted);
 * a ratio, median or percentile with no rows has no value (`no_data`), and is left out of the
 * overall score.
 *
 * Built for 50k subjects x 12 metrics x 12 periods: figures arrive as dense arrays per subject
 * (period-major: index = period x metrics + metric) and leave the same way; the API's objects
 * (cells, trend points) are made only for the page a reader asks for (`subjectRowOf`).
 */

export type ScoringColumn = { column: ScorecardMetricColumn; measure: MetricMeasure['kind'] };

/** One subject's figures for every trend period and metric (period-major), null where it had no rows. */
export type SubjectFigures = {
  subjectId: string;
  label: string;
  parentId: string | null;
  /**
   * periods x metrics; NaN where the metric has no value: no rows (or a ratio over nothing). A count
   * or a sum without rows may be NaN or 0, the same thing.
   */
  values: Float64Array;
  /** The current (last) period only, per metric: rows of the source behind the figure, ratio parts (NaN when none). */
  currentRows: Float64Array;
  numerators: Float64Array;
  denominators: Float64Array;
};

export type ScoredSubject = {
  subjectId: string;
  label: string;
  parentId: string | null;
  partnerId: string | null;
  rank: number | null;
  /** Rounded for display; ranks use the unrounded score. */
  score: number | null;
  status: ScoreStatus;
  cellValues: (number | null)[];
  cellScores: (number | null)[];
  cellStatuses: ScoreStatus[];
  cellNumerators: (number | null)[];
  cellDenominators: (number | null)[];
  cellRows: number[];
  /** One per trend period: the overall score (rounded). */
  trendScores: (number | null)[];
  /** periods x metrics, period-major: the value of each metric in each period. */
  trendValues: (number | null)[];
};

export type ScoreInput = {
  columns: readonly ScoringColumn[];
  /** Trend periods, oldest first; the last one is the scorecard's period. */
  periods: readonly string[];
  partnerSubjects: boolean;
};

/** Per column, what scoring reads for every subject: looked up once per computation, not per subject and period. */
type PreparedColumns = {
  applicable: boolean[];
  /** A count or a sum: no rows is 0, not no value. */
  zeroWhenMissing: boolean[];
  /** One period's cells for overallScore, each with its weight (0 when not applicable): refilled per period. */
  cells: { score: number | null; weight: number }[];
};

const preparedColumns = new WeakMap<ScoreInput, PreparedColumns>();

function prepare(input: ScoreInput): PreparedColumns {
  let p = preparedColumns.get(input);
  if (!p) {
    p = {
      applicable: input.columns.map((c) => c.column.applicable),
      zeroWhenMissing: input.columns.map((c) => c.measure === 'count' || c.measure === 'sum'),
      cells: input.columns.map((c) => ({ score: null, weight: c.column.applicable ? c.column.weight : 0 })),
    };
    preparedColumns.set(input, p);
  }
  return p;
}

const noScore = { score: null, status: 'no_data' as const };

function scoreOne(input: ScoreInput, f: SubjectFigures): ScoredSubject & { rawScore: number | null } {
  const m = input.columns.length;
  const p = input.periods.length;
  const { applicable, zeroWhenMissing, cells } = prepare(input);
  const trendScores: (number | null)[] = new Array<number | null>(p);
  const trendValues: (number | null)[] = new Array<number | null>(p * m);
  let current: { scores: (number | null)[]; statuses: ScoreStatus[]; raw: number | null; status: ScoreStatus } | null = null;
  for (let pi = 0; pi < p; pi++) {
    const last = pi === p - 1;
    const scores: (number | null)[] = last ? new Array<number | null>(m) : [];
    const statuses: ScoreStatus[] = last ? new Array<ScoreStatus>(m) : [];
    for (let mi = 0; mi < m; mi++) {
      const c = (input.columns[mi] as ScoringColumn).column;
      const i = pi * m + mi;
      let value: number | null = null;
      if (applicable[mi]) {
        const v = f.values[i] as number;
        value = !Number.isNaN(v) ? v : zeroWhenMissing[mi] ? 0 : null;
      }
      trendValues[i] = value;
      const s = applicable[mi] ? scoreValue(value, c.target, c.redFlag, c.direction) : noScore;
      (cells[mi] as { score: number | null }).score = s.score;
      if (last) {
        scores[mi] = roundScore(s.score);
        statuses[mi] = s.status;
      }
    }
    const overall = overallScore(cells);
    trendScores[pi] = roundScore(overall.score);
    if (last) current = { scores, statuses, raw: overall.score, status: overall.status };
  }
  const base = (p - 1) * m;
  const cellRows = new Array<number>(m);
  const cellNumerators = new Array<number | null>(m);
  const cellDenominators = new Array<number | null>(m);
  for (let mi = 0; mi < m; mi++) {
    const rows = applicable[mi] ? (f.currentRows[mi] ?? 0) : 0;
    cellRows[mi] = rows;
    const withRows = applicable[mi] === true && rows > 0;
    const n = f.numerators[mi];
    const d = f.denominators[mi];
    cellNumerators[mi] = withRows && n !== undefined && !Number.isNaN(n) ? n : null;
    cellDenominators[mi] = withRows && d !== undefined && !Number.isNaN(d) ? d : null;
  }
  return {
    subjectId: f.subjectId,
    label: f.label,
    parentId: f.parentId,
    partnerId: input.partnerSubjects ? f.subjectId : null,
    rank: null,
    score: roundScore(current?.raw ?? null),
    rawScore: current?.raw ?? null,
    status: current?.status ?? 'no_data',
    cellValues: p === 0 ? input.columns.map(() => null) : trendValues.slice(base, base + m),
    cellScores: current?.scores ?? input.columns.map(() => null),
    cellStatuses: current?.statuses ?? input.columns.map(() => 'no_data' as const),
    cellNumerators,
    cellDenominators,
    cellRows,
    trendScores,
    trendValues,
  };
}

export type UnrankedSubject = ScoredSubject & { rawScore: number | null };

/** Scores one subject (not ranked yet: ranks need every subject's score). */
export function scoreSubject(input: ScoreInput, f: SubjectFigures): UnrankedSubject {
  return scoreOne(input, f);
}

/** Ranks scored subjects in place (standard competition ranking on the unrounded overall score). */
export function rankSubjects(scored: UnrankedSubject[]): ScoredSubject[] {
  const ranks = rankByScore(scored.map((r) => ({ id: r.subjectId, score: r.rawScore })));
  for (const r of scored) r.rank = ranks.get(r.subjectId) ?? null;
  return scored;
}

/** Scores every subject, then ranks them. */
export function scoreSubjects(input: ScoreInput, figures: readonly SubjectFigures[]): ScoredSubject[] {
  return rankSubjects(figures.map((f) => scoreOne(input, f)));
}

/** The API's shape of one scored subject (for the rows of one page). */
export function subjectRowOf(s: ScoredSubject, periods: readonly string[]): ScorecardSubjectRow {
  const m = s.cellValues.length;
  const cells: ScorecardCell[] = s.cellValues.map((value, i) => ({
    value,
    score: s.cellScores[i] ?? null,
    status: s.cellStatuses[i] ?? 'no_data',
    numerator: s.cellNumerators[i] ?? null,
    denominator: s.cellDenominators[i] ?? null,
    rows: s.cellRows[i] ?? 0,
  }));
  return {
    subjectId: s.subjectId,
    label: s.label,
    parentId: s.parentId,
    partnerId: s.partnerId,
    rank: s.rank,
    score: s.score,
    status: s.status,
    cells,
    trend: periods.map((period, pi) => ({ period, score: s.trendScores[pi] ?? null, values: s.trendValues.slice(pi * m, pi * m + m) })),
  };
}

/** Anonymised peer figures of a snapshot: quartiles of the overall score and of each metric. */
export function benchmarksOf(
  subjects: readonly { score: number | null; cellValues: readonly (number | null)[] }[],
  columns: number,
): { overall: BenchmarkView; metrics: BenchmarkView[] } {
  return {
    overall: benchmarkOf(subjects.map((s) => s.score)),
    metrics: Array.from({ length: columns }, (_, i) => benchmarkOf(subjects.map((s) => s.cellValues[i] ?? null))),
  };
}
