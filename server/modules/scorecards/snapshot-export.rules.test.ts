import { describe, expect, it } from 'vitest';
import type { SnapshotDetail } from '../../../common/api/scorecard-results.ts';
import { neutraliseFormula } from '../../../common/csv-export.ts';
import { snapshotTable, toCsv } from './snapshot-export.rules.ts';

describe('formula-injection neutralisation', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('%j becomes %j', (input, output) => {
    expect(neutraliseFormula(input)).toBe(output);
  });

  it.each(['Ann', ' =x', '1', '', "'quoted"])('%j is left alone', (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
});

const snapshot: SnapshotDetail = {
  id: '00000000-0000-4000-8000-000000000001',
  scorecard: 'sellers',
  name: '=Sellers',
  subjectKind: 'seller',
  level: 'seller',
  grain: 'quarter',
  periodStart: '2017-04-01',
  periodEnd: '2017-07-01',
  status: 'published',
  trigger: 'on_demand',
  audiences: [{ kind: 'internal' }],
  subjectCount: 2,
  takenAt: '2017-07-02T00:00:00.000Z',
  takenBy: 'lead@example.test',
  publishedAt: '2017-07-02T00:00:00.000Z',
  publishedBy: 'lead@example.test',
  periods: ['2017-04-01'],
  metrics: [
    {
      metric: 'won_value',
      name: 'Won value',
      unit: 'money',
      direction: 'higher_is_better',
      currency: 'USD',
      weight: 1,
      target: 100000,
      redFlag: 20000,
      applicable: true,
    },
  ],
  benchmarks: { overall: { peers: 2, p25: null, median: null, p75: null }, metrics: [{ peers: 2, p25: null, median: null, p75: null }] },
  subjects: [
    {
      subjectId: 'a',
      label: "=cmd|' /C calc'!A0",
      parentId: '@team',
      partnerId: null,
      rank: 1,
      score: 6.67,
      status: 'green',
      cells: [{ value: 100000, score: 6.67, status: 'green', numerator: null, denominator: null, rows: 1 }],
      trend: [],
    },
    {
      subjectId: 'b',
      label: 'Bob, "the" seller',
      parentId: null,
      partnerId: null,
      rank: 2,
      score: 0,
      status: 'red',
      cells: [{ value: -2500, score: 0, status: 'red', numerator: null, denominator: null, rows: 1 }],
      trend: [],
    },
  ],
  partnerView: false,
};

describe('the snapshot table and its CSV', () => {
  it('writes money in major units and neutralises every text cell, quoting where needed', () => {
    const csv = toCsv(snapshotTable(snapshot));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Rank,Subject,Parent,Score (0-10),Status,Won value (USD),Won value: score,Won value: status');
    expect(lines[1]).toBe(`1,"'=cmd|' /C calc'!A0","'@team",6.67,Green,1000,6.67,Green`);
    // A negative figure is a number we wrote, not text: it stays a number.
    expect(lines[2]).toBe('2,"Bob, ""the"" seller",,0,Red,-25,0,Red');
  });
});
