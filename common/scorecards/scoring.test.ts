import { describe, expect, it } from 'vitest';
import { builtinMetric } from './builtin-metrics.ts';
import { addPeriods, checkScorecardDefinition, periodLabel, periodStartOf } from './scorecard.ts';
import { benchmarkOf, GREEN_FROM, overallScore, rankByScore, RED_BELOW, scoreValue, statusOfScore } from './scoring.ts';

describe('scoring: goal / red flag on a 0-10 scale', () => {
  it.each([
    // value, target, redFlag, direction, score, status
    [0.6, 0.6, 0.4, 'higher_is_better', 20 / 3, 'green'],
    [0.4, 0.6, 0.4, 'higher_is_better', 10 / 3, 'amber'],
    [0.5, 0.6, 0.4, 'higher_is_better', 5, 'amber'],
    [0.39, 0.6, 0.4, 'higher_is_better', 10 / 3 - (10 / 3) * (0.01 / 0.2), 'red'],
    [0.8, 0.6, 0.4, 'higher_is_better', 10, 'green'],
    [1, 0.6, 0.4, 'higher_is_better', 10, 'green'],
    [0, 0.6, 0.4, 'higher_is_better', 0, 'red'],
    // lower is better: the target lies below the red flag
    [30, 30, 60, 'lower_is_better', 20 / 3, 'green'],
    [45, 30, 60, 'lower_is_better', 5, 'amber'],
    [60, 30, 60, 'lower_is_better', 10 / 3, 'amber'],
    [61, 30, 60, 'lower_is_better', 10 / 3 - (10 / 3) * (1 / 30), 'red'],
    [0, 30, 60, 'lower_is_better', 10, 'green'],
    [200, 30, 60, 'lower_is_better', 0, 'red'],
  ] as const)('%s against target %s, red flag %s (%s) scores %s, %s', (value, target, redFlag, direction, score, status) => {
    const s = scoreValue(value, target, redFlag, direction);
    expect(s.score).toBeCloseTo(score, 9);
    expect(s.status).toBe(status);
  });

  it('has no score without a value', () => {
    expect(scoreValue(null, 1, 0, 'higher_is_better')).toEqual({ score: null, status: 'no_data' });
  });

  it('bands scores: red below 3.33, amber up to 6.67, green from 6.67', () => {
    expect(statusOfScore(RED_BELOW - 1e-9)).toBe('red');
    expect(statusOfScore(RED_BELOW)).toBe('amber');
    expect(statusOfScore(GREEN_FROM - 1e-9)).toBe('amber');
    expect(statusOfScore(GREEN_FROM)).toBe('green');
    expect(statusOfScore(null)).toBe('no_data');
  });

  it('weights the overall score and leaves out rows without data or weight', () => {
    expect(
      overallScore([
        { score: 5, weight: 2 },
        { score: 8, weight: 1 },
        { score: null, weight: 5 },
        { score: 0, weight: 0 },
      ]).score,
    ).toBeCloseTo(6, 9);
    expect(overallScore([{ score: null, weight: 1 }])).toEqual({ score: null, status: 'no_data' });
  });

  it('ranks by competition ranking, unscored subjects last without a rank', () => {
    const r = rankByScore([
      { id: 'a', score: 5 },
      { id: 'b', score: 9 },
      { id: 'c', score: 5 },
      { id: 'd', score: null },
      { id: 'e', score: 1 },
    ]);
    expect(Object.fromEntries(r)).toEqual({ a: 2, b: 1, c: 2, d: null, e: 4 });
  });

  it('publishes benchmarks as quartiles only, and none below five peers', () => {
    expect(benchmarkOf([1, 2, 3, 4])).toEqual({ peers: 4, p25: null, median: null, p75: null });
    expect(benchmarkOf([5, 1, 3, 2, 4, null])).toEqual({ peers: 5, p25: 2, median: 3, p75: 4 });
    expect(benchmarkOf([1, 2, 3, 4, 5, 6]).median).toBe(3.5);
  });
});

describe('periods', () => {
  it('finds period starts and steps through them', () => {
    expect(periodStartOf('2017-05-20', 'quarter')).toBe('2017-04-01');
    expect(periodStartOf('2017-12-31', 'month')).toBe('2017-12-01');
    expect(periodStartOf('2017-12-31', 'year')).toBe('2017-01-01');
    expect(addPeriods('2017-01-01', 'quarter', -1)).toBe('2016-10-01');
    expect(addPeriods('2017-11-01', 'month', 3)).toBe('2018-02-01');
    expect(addPeriods('2017-01-01', 'year', 1)).toBe('2018-01-01');
    expect(periodLabel('2017-04-01', 'quarter')).toBe('Q2 2017');
    expect(periodLabel('2017-04-01', 'month')).toBe('Apr 2017');
  });
});

describe('scorecard definitions', () => {
  const base = {
    key: 'sellers',
    name: 'Sellers',
    owner: 'Sales operations',
    subjectKind: 'seller',
    periodGrain: 'quarter',
    rows: [{ metric: 'win_rate', weight: 2, target: 0.6, redFlag: 0.4 }],
  };
  const lookup = (k: string) => builtinMetric(k);

  it('accepts a valid definition with defaults', () => {
    const c = checkScorecardDefinition(base, lookup);
    expect(c.ok).toBe(true);
    if (c.ok) expect(c.definition).toMatchObject({ trendPeriods: 4, audiences: [], schedule: 'none', format: 'realign.scorecard/v1' });
  });

  it('refuses unknown metrics, thresholds against the direction, ratio targets above 1, partner audiences off partner cards', () => {
    const c = checkScorecardDefinition(
      {
        ...base,
        rows: [
          { metric: 'nope', target: 1, redFlag: 0 },
          { metric: 'sales_cycle_days', target: 60, redFlag: 30 },
          { metric: 'win_rate', target: 60, redFlag: 40 },
          { metric: 'win_rate', target: 0.6, redFlag: 0.4 },
        ],
        audiences: [{ kind: 'partners' }],
      },
      lookup,
    );
    expect(c.ok).toBe(false);
    if (!c.ok)
      expect(c.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['rows[0].metric', 'rows[1].redFlag', 'rows[2].target', 'rows[3].metric', 'audiences[0]']),
      );
  });

  it('refuses a metric that is not computed for the subject kind', () => {
    const c = checkScorecardDefinition({ ...base, subjectKind: 'partner', rows: [{ metric: 'partner_sourced_share', target: 0.5, redFlag: 0.2 }] }, lookup);
    expect(c.ok).toBe(false);
  });
});
