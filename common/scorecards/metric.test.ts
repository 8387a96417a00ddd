import { describe, expect, it } from 'vitest';
import { builtinMetrics } from './builtin-metrics.ts';
import { checkMetricDefinition, metricProblems, type MetricDefinitionInput } from './metric.ts';

const base: MetricDefinitionInput = {
  key: 'won_deals',
  name: 'Won deals',
  owner: 'Sales operations',
  unit: 'count',
  direction: 'higher_is_better',
  source: 'opportunities',
  measure: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
  periodField: 'close_on',
  periodGrain: 'month',
  subjectKinds: ['seller'],
};

function problems(patch: Partial<MetricDefinitionInput>): string[] {
  const r = checkMetricDefinition({ ...base, ...patch });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('metric definitions', () => {
  it('accepts every built-in definition', () => {
    for (const d of builtinMetrics) expect(metricProblems(d), d.key).toEqual([]);
  });

  it('accepts a plain count', () => {
    expect(problems({})).toEqual([]);
  });

  it.each([
    ['an unknown field in a filter', { measure: { kind: 'count', filters: [{ field: 'colour', op: 'eq', value: 'red' }] } }, 'measure.filters[0].field'],
    ['a value the field does not have', { measure: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'closed' }] } }, 'measure.filters[0].value'],
    ['a number for a text field', { filters: [{ field: 'product', op: 'in', values: [3] }] }, 'filters[0].values[0]'],
    ['text for a boolean field', { filters: [{ field: 'partner_linked', op: 'eq', value: 'yes' }] }, 'filters[0].value'],
    ['a filter on a date field', { filters: [{ field: 'close_on', op: 'eq', value: '2017-01-01' }] }, 'filters[0].field'],
    ['a sum of a text field', { unit: 'number', measure: { kind: 'sum', field: 'product', filters: [] } }, 'measure.field'],
    ['a median of a date', { unit: 'days', measure: { kind: 'median', field: 'close_on', filters: [] } }, 'measure.field'],
    ['a period on a non-date field', { periodField: 'stage' }, 'periodField'],
    ['a period on an unknown field', { periodField: 'created_on' }, 'periodField'],
    ['money without a currency', { unit: 'money', measure: { kind: 'sum', field: 'value', filters: [] } }, 'currency'],
    ['a currency without money', { currency: 'USD' }, 'currency'],
    ['the unit money on a count', { unit: 'money' }, 'unit'],
    ['a field of another source', { source: 'activities', periodField: 'occurred_on' }, 'measure.filters[0].field'],
    ['a subject kind twice', { subjectKinds: ['seller', 'seller'] }, 'subjectKinds'],
  ] as const)('refuses %s', (_what, patch, path) => {
    const issues = problems(patch as Partial<MetricDefinitionInput>);
    expect(
      issues.some((i) => i.startsWith(`${path}:`)),
      issues.join('\n'),
    ).toBe(true);
  });

  it('refuses a ratio whose numerator is not a part of its denominator', () => {
    const ratio = (numerator: unknown, denominator: unknown) => problems({ unit: 'ratio', measure: { kind: 'ratio', numerator, denominator } as never });
    const won = { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'won' }] };
    const decided = { kind: 'count', filters: [{ field: 'stage', op: 'in', values: ['won', 'lost'] }] };
    expect(ratio(won, decided)).toEqual([]);
    // Open deals over decided deals: not a share.
    expect(ratio({ kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'engaging' }] }, decided)[0]).toMatch(/numerator counts stage = engaging/);
    // The numerator does not restrict the stage at all.
    expect(ratio({ kind: 'count', filters: [] }, decided)[0]).toMatch(/must restrict stage/);
    // not_in in the denominator must be honoured by the numerator.
    expect(ratio({ kind: 'count', filters: [] }, { kind: 'count', filters: [{ field: 'stage', op: 'not_in', values: ['lost'] }] })[0]).toMatch(
      /leaves out stage = lost/,
    );
    expect(ratio(won, { kind: 'count', filters: [{ field: 'stage', op: 'not_in', values: ['lost'] }] })).toEqual([]);
    // Count over a sum: neither a share nor an average.
    expect(ratio(won, { kind: 'sum', field: 'value', filters: [] }).join()).toMatch(/a ratio divides a part by its whole/);
    // A share with the wrong unit.
    expect(problems({ unit: 'count', measure: { kind: 'ratio', numerator: won, denominator: decided } as never })[0]).toMatch(/^unit:/);
  });

  it('takes an average (a sum over a count) in money', () => {
    const avg = {
      unit: 'money' as const,
      currency: 'USD',
      measure: {
        kind: 'ratio' as const,
        numerator: { kind: 'sum' as const, field: 'value', filters: [] },
        denominator: { kind: 'count' as const, filters: [] },
      },
    };
    expect(problems(avg)).toEqual([]);
    expect(problems({ ...avg, unit: 'ratio' }).join()).toMatch(/average/);
  });

  it('reports shape problems with their path, and unknown properties', () => {
    const r = checkMetricDefinition({ ...base, key: 'Bad Key', colour: 'red' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['key']));
  });
});
