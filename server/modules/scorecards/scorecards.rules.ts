import type { BenchmarkView, ScorecardCell, ScorecardMetricColumn, ScorecardSubjectRow } from '../../../common/api/scorecard-results.ts';
import type { MetricMeasure } from '../../../common/scorecards/metric.ts';
import { benchmarkOf, overallScore, rankByScore, roundScore, scoreValue } from '../../../common/scorecards/scoring.ts';

/**
 * Assembles a computed scorecard from the metric values the compiler returned (pure: no I/O, no
 * clock). Every subject that has a value for any metric in any trend period is a row.
 *
 * A count or a sum with no rows for a subject that is on the scorecard is 0 (nothing was counted);
 * a ratio, median or percentile with no rows has no value (`no_data`), and is left out of the
 * overall score.
 */

export type MetricValues = {
  column: ScorecardMetricColumn;
  measure: MetricMeasure['kind'];
  /** The compiler's rows (subject, period, value ...) for every subject and trend period. */
  rows: readonly {
    subjectId: string;
    subjectLabel: string | null;
    period: string;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    rows: number;
  }[];
};

export type AssembleInput = {
  metrics: readonly MetricValues[];
  /** Trend periods, oldest first; the last one is the scorecard's period. */
  periods: readonly string[];
  parents: ReadonlyMap<string, string | null>;
  partnerSubjects: boolean;
};

const emptyCell: ScorecardCell = { value: null, score: null, status: 'no_data', numerator: null, denominator: null, rows: 0 };

function cellFor(m: MetricValues, row: MetricValues['rows'][number] | undefined): ScorecardCell {
  const c = m.column;
  if (!c.applicable) return emptyCell;
  const zeroWhenMissing = m.measure === 'count' || m.measure === 'sum';
  const value = row ? row.value : zeroWhenMissing ? 0 : null;
  const s = scoreValue(value, c.target, c.redFlag, c.direction);
  return {
    value,
    score: roundScore(s.score),
    status: s.status,
    numerator: row?.numerator ?? null,
    denominator: row?.denominator ?? null,
    rows: row?.rows ?? 0,
  };
}

export function assembleScorecard(input: AssembleInput): ScorecardSubjectRow[] {
  const current = input.periods[input.periods.length - 1];
  const labels = new Map<string, string>();
  const byKey = input.metrics.map((m) => {
    const index = new Map<string, MetricValues['rows'][number]>();
    for (const r of m.rows) {
      index.set(`${r.subjectId}\u0000${r.period}`, r);
      if (!labels.has(r.subjectId) || r.subjectLabel) labels.set(r.subjectId, r.subjectLabel ?? r.subjectId);
    }
    return index;
  });

  const rows: (ScorecardSubjectRow & { rawScore: number | null })[] = [...labels.keys()].map((subjectId) => {
    const cellsAt = (period: string) => input.metrics.map((m, i) => cellFor(m, byKey[i]?.get(`${subjectId}\u0000${period}`)));
    const overallAt = (cells: ScorecardCell[]) =>
      overallScore(
        cells.map((c, i) => {
          const m = input.metrics[i];
          // Recompute unrounded for the mean: the stored cell score is rounded for display.
          const s = m && c.value !== null ? scoreValue(c.value, m.column.target, m.column.redFlag, m.column.direction).score : null;
          return { score: s, weight: m?.column.applicable ? m.column.weight : 0 };
        }),
      );
    const cells = current === undefined ? input.metrics.map(() => emptyCell) : cellsAt(current);
    const overall = overallAt(cells);
    const trend = input.periods.map((period) => {
      const c = period === current ? cells : cellsAt(period);
      return { period, score: roundScore(overallAt(c).score), values: c.map((x) => x.value) };
    });
    return {
      subjectId,
      label: labels.get(subjectId) ?? subjectId,
      parentId: input.parents.get(subjectId) ?? null,
      partnerId: input.partnerSubjects ? subjectId : null,
      rank: null,
      score: roundScore(overall.score),
      rawScore: overall.score,
      status: overall.status,
      cells,
      trend,
    };
  });

  const ranks = rankByScore(rows.map((r) => ({ id: r.subjectId, score: r.rawScore })));
  return rows
    .map(({ rawScore: _raw, ...r }) => ({ ...r, rank: ranks.get(r.subjectId) ?? null }))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.label.localeCompare(b.label));
}

/** Anonymised peer figures of a snapshot: quartiles of the overall score and of each metric. */
export function benchmarksOf(subjects: readonly ScorecardSubjectRow[], columns: number): { overall: BenchmarkView; metrics: BenchmarkView[] } {
  return {
    overall: benchmarkOf(subjects.map((s) => s.score)),
    metrics: Array.from({ length: columns }, (_, i) => benchmarkOf(subjects.map((s) => s.cells[i]?.value ?? null))),
  };
}
