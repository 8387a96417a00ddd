import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorecardResult } from '../../../common/api/scorecard-results.ts';
import { builtinMetrics } from '../../../common/scorecards/builtin-metrics.ts';
import type { SubjectKind } from '../../../common/scorecards/metric.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { makePartner } from '../../test/harness.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { createParticipant } from '../comp-plans/comp-plans.service.ts';
import { computeMetricValues, createMetric } from './metrics.service.ts';
import { computeScorecard, createScorecard } from './scorecards.service.ts';

/**
 * A scorecard computes every metric in one statement (compileScorecardValues); a single metric's
 * values come from its own statement (compileMetric, which the Maven reconciliation pins). Both must
 * give the same figures for every subject, period and roll-up level: value, numerator, denominator,
 * rows, with a count or sum of nothing shown as 0 and a ratio or median of nothing as no value.
 */

let t: TestDeps;
let deps: Deps;
const actor = systemActor('test');

const stored = [
  {
    key: 'sla_adherence',
    name: 'SLA adherence',
    owner: 'Channel office',
    unit: 'ratio',
    direction: 'higher_is_better',
    source: 'activities',
    measure: {
      kind: 'ratio',
      numerator: { kind: 'count', filters: [{ field: 'kind', op: 'eq', value: 'business_review' }] },
      denominator: { kind: 'count', filters: [{ field: 'kind', op: 'in', values: ['business_review', 'enablement_session'] }] },
    },
    periodField: 'occurred_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'slow_cycle',
    name: 'Sales cycle, 90th percentile',
    owner: 'Sales operations',
    unit: 'days',
    direction: 'lower_is_better',
    source: 'opportunities',
    filters: [{ field: 'product', op: 'not_in', values: ['Spare'] }],
    measure: { kind: 'percentile', p: 0.9, field: 'cycle_days', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
    periodField: 'close_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'average_deal',
    name: 'Average won deal',
    owner: 'Sales operations',
    unit: 'money',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: {
      kind: 'ratio',
      numerator: { kind: 'sum', field: 'value', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
      denominator: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
    },
    periodField: 'close_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'team', 'unit', 'programme'],
    currency: 'USD',
  },
];

const metricKeys = [...builtinMetrics.map((m) => m.key), ...stored.map((m) => m.key)];

beforeAll(async () => {
  t = await createTestDeps();
  deps = t.deps;
  const sellers: string[] = [];
  for (let i = 0; i < 12; i++) {
    const p = await createParticipant(deps, actor, {
      externalRef: `hr:s${i}`,
      displayName: `Seller ${String.fromCharCode(65 + i)}`,
      email: null,
      appUserId: null,
      managerId: null,
      team: `Team ${i % 4}`,
      unit: `Unit ${i % 2}`,
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    sellers.push(p.id);
  }
  const partners: string[] = [];
  for (let i = 0; i < 5; i++) partners.push((await makePartner(deps, `Compute Partner ${i}`)).id);
  // Deterministic, uneven data over six months: every kind of row, some subjects silent in some months.
  const stages = ['won', 'lost', 'won', 'engaging', 'prospecting', 'won', 'lost'] as const;
  await inTransaction(deps, actor, async (trx) => {
    const opportunities = Array.from({ length: 400 }, (_, i) => {
      const stage = stages[(i * 5) % stages.length] as (typeof stages)[number];
      const month = 1 + ((i * 7) % 6);
      const close = `2024-${String(month).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`;
      const engage = stage === 'prospecting' ? null : `2023-12-${String(1 + ((i * 3) % 28)).padStart(2, '0')}`;
      return {
        opportunityId: newId(),
        source: 'test',
        externalId: `C${i}`,
        sellerParticipantId: sellers[(i * 7) % 11] as string,
        product: i % 9 === 0 ? 'Spare' : 'GTX Pro',
        stage,
        engageOn: engage,
        closeOn: close,
        valueMinor: stage === 'lost' ? 0 : 1000 + ((i * 37) % 50) * 100,
        currency: i % 13 === 0 ? 'EUR' : 'USD',
        partnerId: i % 3 === 0 ? (partners[i % 5] as string) : null,
      };
    });
    await trx.insertInto('opportunity').values(opportunities).execute();
    const kinds = ['joint_partner_call', 'business_review', 'enablement_session', 'business_review'];
    const activities = Array.from({ length: 300 }, (_, i) => ({
      activityId: newId(),
      kind: kinds[i % kinds.length] as string,
      participantId: i % 10 === 0 ? null : (sellers[(i * 5) % 12] as string),
      partnerId: i % 2 === 0 ? (partners[i % 5] as string) : null,
      occurredOn: `2024-${String(1 + ((i * 5) % 6)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      quantity: 1 + (i % 3),
      source: 'manual' as const,
    }));
    await trx.insertInto('activity').values(activities).execute();
  });
  for (const m of stored) await createMetric(deps, actor, m);
  const rows = metricKeys.map((metric) => {
    const unit = [...builtinMetrics, ...stored].find((m) => m.key === metric)?.unit;
    return unit === 'ratio'
      ? { metric, weight: 2, target: 0.5, redFlag: 0.3 }
      : metric.includes('cycle')
        ? { metric, weight: 1, target: 30, redFlag: 60 }
        : { metric, weight: 1, target: 5000, redFlag: 1000 };
  });
  await createScorecard(deps, actor, {
    key: 'everything',
    name: 'Every metric',
    owner: 'Test',
    subjectKind: 'seller',
    periodGrain: 'month',
    trendPeriods: 6,
    rows,
  });
  await createScorecard(deps, actor, {
    key: 'partners',
    name: 'Partners',
    owner: 'Test',
    subjectKind: 'partner',
    periodGrain: 'month',
    trendPeriods: 6,
    rows: rows.filter((r) => r.metric !== 'average_deal' && r.metric !== 'partner_sourced_share'),
  });
});
afterAll(async () => t?.close());

describe('a scorecard in one statement', () => {
  const cases: [string, SubjectKind][] = [
    ['everything', 'seller'],
    ['everything', 'team'],
    ['everything', 'unit'],
    ['everything', 'programme'],
    ['partners', 'partner'],
  ];
  it.each(cases)('%s by %s: every figure is the single metric statement’s', async (key, level) => {
    const result: ScorecardResult = await computeScorecard(deps, actor, key, { period: '2024-06-10', level, limit: 500, offset: 0 });
    expect(result.periods).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01']);
    expect(result.subjects.length).toBe(result.subjectCount);
    expect(result.subjectCount).toBeGreaterThan(0);
    let compared = 0;
    const seen = new Set<string>();
    for (const [i, column] of result.metrics.entries()) {
      const single = await computeMetricValues(deps, actor, column.metric, { subjectKind: level, from: '2024-01-01', to: '2024-07-01', grain: 'month' });
      const byKey = new Map(single.items.map((r) => [`${r.subjectId}|${r.period}`, r]));
      for (const r of single.items) seen.add(r.subjectId);
      const zeroWhenMissing = ['count', 'sum'].includes([...builtinMetrics, ...stored].find((m) => m.key === column.metric)?.measure.kind ?? '');
      for (const s of result.subjects) {
        for (const [pi, period] of result.periods.entries()) {
          const want = byKey.get(`${s.subjectId}|${period}`);
          const got = s.trend[pi]?.values[i] ?? null;
          expect(got, `${column.metric} ${s.label} ${period}`).toBe(want ? want.value : zeroWhenMissing ? 0 : null);
          compared += 1;
        }
        const cell = s.cells[i];
        const want = byKey.get(`${s.subjectId}|2024-06-01`);
        expect(cell?.rows, `${column.metric} ${s.label} rows`).toBe(want?.rows ?? 0);
        expect(cell?.numerator ?? null).toBe(want?.numerator ?? null);
        expect(cell?.denominator ?? null).toBe(want?.denominator ?? null);
      }
    }
    // Every subject with a figure in any metric and period is on the scorecard, and no other.
    expect(new Set(result.subjects.map((s) => s.subjectId))).toEqual(seen);
    expect(compared).toBeGreaterThan(result.subjects.length);
  });
});
