import type { MetricDirection } from './metric.ts';

/**
 * How a scorecard scores a value (docs/scorecards.md, "Scoring"). Modelled on Spider Impact's
 * goal / red flag scoring on a 0-10 scale:
 *
 *   score(v) = clamp(0, 10, 10/3 + 10/3 * (v - redFlag) / (target - redFlag))
 *
 * so the red flag scores 3.33, the target 6.67, linear in between and beyond, capped at 0 and 10.
 * The sign of (target - redFlag) carries the direction (lower is better: the target is below the
 * red flag). Status bands: red below 3.33 (worse than the red flag), amber from 3.33 up to the
 * target, green from 6.67 (target reached). The status is decided on the value itself (v >= target,
 * v < redFlag, mirrored when lower is better), so a value exactly on the target is green whatever
 * floating point makes of the score. No value (no rows in the period) is `no_data`: no score.
 *
 * Overall score: the weighted mean of the scores of the rows that have one (rows without data and
 * rows of weight 0 are left out of the mean), its status by the same bands; no scored row, no
 * overall score.
 */

export const scoreStatuses = ['green', 'amber', 'red', 'no_data'] as const;
export type ScoreStatus = (typeof scoreStatuses)[number];

export const RED_BELOW = 10 / 3;
export const GREEN_FROM = 20 / 3;

export function statusOfScore(score: number | null): ScoreStatus {
  if (score === null) return 'no_data';
  if (score >= GREEN_FROM) return 'green';
  if (score < RED_BELOW) return 'red';
  return 'amber';
}

export type Scored = { score: number | null; status: ScoreStatus };

export function scoreValue(value: number | null, target: number, redFlag: number, direction: MetricDirection): Scored {
  if (value === null || !Number.isFinite(value) || target === redFlag) return { score: null, status: 'no_data' };
  const raw = RED_BELOW + (RED_BELOW * (value - redFlag)) / (target - redFlag);
  const score = Math.min(10, Math.max(0, raw));
  const higher = direction === 'higher_is_better';
  const status: ScoreStatus = (higher ? value >= target : value <= target) ? 'green' : (higher ? value < redFlag : value > redFlag) ? 'red' : 'amber';
  return { score, status };
}

export function overallScore(cells: readonly { score: number | null; weight: number }[]): Scored {
  let sum = 0;
  let weights = 0;
  for (const c of cells) {
    if (c.score === null || c.weight <= 0) continue;
    sum += c.score * c.weight;
    weights += c.weight;
  }
  if (weights === 0) return { score: null, status: 'no_data' };
  const score = sum / weights;
  return { score, status: statusOfScore(score) };
}

/** Two decimals, for storage and display (scores are computed unrounded). */
export function roundScore(score: number | null): number | null {
  return score === null ? null : Math.round(score * 100) / 100;
}

/**
 * Standard competition ranking ("1, 2, 2, 4") by score, best first; subjects without a score are
 * not ranked. Ties are compared on the unrounded score.
 */
export function rankByScore<K>(items: readonly { id: K; score: number | null }[]): Map<K, number | null> {
  const ranked = items.filter((i) => i.score !== null).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  const out = new Map<K, number | null>(items.map((i) => [i.id, null]));
  ranked.forEach((item, index) => {
    const prev = ranked[index - 1];
    const rank = prev && prev.score === item.score ? (out.get(prev.id) ?? index + 1) : index + 1;
    out.set(item.id, rank);
  });
  return out;
}

/** Fewer peers than this and no benchmark is published: a quartile of three partners gives figures away. */
export const MIN_BENCHMARK_PEERS = 5;

export type Benchmark = { peers: number; p25: number | null; median: number | null; p75: number | null };

/** Linear-interpolated percentile (as PostgreSQL's percentile_cont) of sorted values. */
function percentileOfSorted(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (pos - lo);
}

/** Anonymised peer figures: quartiles only (never a minimum, maximum or name), none below the peer threshold. */
export function benchmarkOf(values: readonly (number | null)[]): Benchmark {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length < MIN_BENCHMARK_PEERS) return { peers: sorted.length, p25: null, median: null, p75: null };
  return { peers: sorted.length, p25: percentileOfSorted(sorted, 0.25), median: percentileOfSorted(sorted, 0.5), p75: percentileOfSorted(sorted, 0.75) };
}
