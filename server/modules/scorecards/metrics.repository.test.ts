import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { metricDefinition, type MetricDefinition } from '../../../common/scorecards/metric.ts';
import { compileScorecardValues } from './metrics.repository.ts';

/**
 * The scorecard statement's planner, without a database: conditions that select the same rows share
 * one row-level column (and so one aggregate), and conditions that do not, do not. The figures
 * themselves are compared with the single-metric statement in scorecards.compute.test.ts.
 */

const compiler = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

function metric(key: string, measure: unknown): MetricDefinition {
  return metricDefinition.parse({
    key,
    name: key,
    owner: 'Tests',
    unit: 'count',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure,
    periodField: 'close_on',
    periodGrain: 'month',
    subjectKinds: ['seller'],
  });
}

const query = { level: 'seller' as const, grain: 'month' as const, periods: ['2025-01-01', '2025-02-01'], to: '2025-03-01' };

/** The statement's text with each parameter written in as its value ('text' or a bare number or boolean). */
function plainSql(defs: MetricDefinition[]): string {
  const plan = compileScorecardValues(defs, query);
  expect(plan.groups).toBe(1);
  const { sql: text, parameters } = plan.statement.compile(compiler);
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = parameters[Number(n) - 1];
    return typeof v === 'string' ? `'${v}'` : String(v);
  });
}

/** How many row-level columns the (single) grouping computes. */
function columnsOf(defs: MetricDefinition[]): number {
  const plan = compileScorecardValues(defs, query);
  expect(plan.groups).toBe(1);
  return new Set(plan.statement.compile(compiler).sql.match(/ as "e\d+"/g) ?? []).size;
}

const count = (filters: unknown[]) => ({ kind: 'count', filters });
const won = { field: 'stage', op: 'eq', value: 'won' };
const wonOrLost = { field: 'stage', op: 'in', values: ['won', 'lost'] };
const spare = { field: 'product', op: 'in', values: ['Spare'] };
const notSpare = { field: 'product', op: 'not_in', values: ['Spare'] };

describe('compileScorecardValues', () => {
  it('computes equivalent conditions once', () => {
    // Won deals counted; a win rate over (won or won/lost), whose denominator is its scope and whose
    // numerator is "won" again: three conditions, not five.
    const defs = [
      metric('won_deals', count([won])),
      metric('win_rate', { kind: 'ratio', numerator: count([{ ...wonOrLost, values: ['won'] }]), denominator: count([wonOrLost]) }),
    ];
    expect(columnsOf(defs)).toBe(2);
  });

  it('reads an empty field as not one of the values of not_in, and as none of those of in', () => {
    // (in Spare) or (not in Spare) holds for every row, an empty product included: the scope of this
    // ratio is every row, as for a plain count.
    const everything = [metric('all', count([])), metric('spare_share', { kind: 'ratio', numerator: count([spare]), denominator: count([notSpare]) })];
    expect(columnsOf(everything)).toBe(3);
    // "Spare" or "Other" is not every row: an empty product, or another one, is neither.
    const some = [
      metric('all', count([])),
      metric('spare_or_other', { kind: 'ratio', numerator: count([spare]), denominator: count([{ ...spare, values: ['Other'] }]) }),
    ];
    expect(columnsOf(some)).toBe(4);
  });

  it('keeps conditions apart that differ for one value', () => {
    // Not "Spare" counts an "Other" deal; not "Spare" nor "Other" does not.
    const defs = [metric('not_spare', count([notSpare])), metric('neither', count([{ ...notSpare, values: ['Spare', 'Other'] }]))];
    expect(columnsOf(defs)).toBe(2);
  });

  it('writes a condition whose rows are a product of values per field as one test per field', () => {
    const sqlOf = (defs: MetricDefinition[]) => {
      const text = plainSql(defs);
      // The row-level select: `... as p, <column> as "e0", <column> as "e1" from ... where ... and (<scopes>) offset 0`.
      const select = /::timestamp\) as p, (.*?)\s+from opportunity/s.exec(text)?.[1] ?? '';
      const columns = select.split(/ as "e\d+"(?:, )?/).filter(Boolean);
      const where = /is not null\s+and \((.*)\)\s+offset 0/s.exec(text)?.[1];
      return { columns, where };
    };
    // Won, and (won or won/lost) as the win rate's scope: `stage = won` and `stage in (won, lost)`,
    // no `or`; the grouping reads the rows of the wider scope only.
    const rate = sqlOf([
      metric('won_deals', count([won])),
      metric('win_rate', { kind: 'ratio', numerator: count([{ ...wonOrLost, values: ['won'] }]), denominator: count([wonOrLost]) }),
    ]);
    expect(rate.columns).toEqual(["(o.stage = 'won'::text)", "(o.stage in ('won'::text, 'lost'::text))"]);
    expect(rate.where).toBe("(o.stage in ('won'::text, 'lost'::text))");
    // not in: an empty field counts in; in: it does not.
    expect(sqlOf([metric('not_spare', count([notSpare]))]).columns).toEqual(["(coalesce(o.product <> 'Spare'::text, true))"]);
    expect(sqlOf([metric('spare', count([spare, won]))]).columns).toEqual(["(o.product = 'Spare'::text and o.stage = 'won'::text)"]);
    // Won or Spare is no product (a won deal of another product, a lost Spare one): kept as written.
    const mixed = sqlOf([metric('odd', { kind: 'ratio', numerator: count([won]), denominator: count([spare]) })]);
    expect(mixed.where).toContain(' or ');
  });
});
