import { sql, type RawBuilder } from 'kysely';
import type { MetricAggregate, MetricDefinition, MetricFilter, MetricSource, PeriodGrain, SubjectKind } from '../../../common/scorecards/metric.ts';
import { fieldSpec } from '../../../common/scorecards/metric.ts';
import type { Trx } from '../../db/scope.ts';
import { registrationsSourceSql } from './registrations-source.ts';

/**
 * The metric compiler: one validated definition (common/scorecards/metric.ts) becomes ONE
 * parameterised statement that computes (subject, period, value) for every subject at once.
 *
 * Nothing from the definition reaches SQL as text: field names select a fragment from the allow-list
 * maps below (written here, in code), and every value, the grain, the dates and the percentile are
 * bound parameters. A name missing from the maps is refused (the definition was validated first,
 * so that is a bug, not user input).
 */

type Fragment = RawBuilder<unknown>;
/**
 * A subject kind: the key rows are grouped by (a native column: aggregation sorts or hashes narrow
 * values), the join it needs, and how the outer query names a key (`agg.subject_key`).
 */
type SubjectSql = { key: Fragment; join: Fragment; labelJoin: Fragment; label: Fragment };
type SourceSql = { from: Fragment; fields: Record<string, Fragment>; subjects: Record<SubjectKind, SubjectSql>; currency: Fragment | null };

const none = sql``;
const participantLabel = { labelJoin: sql`left join comp_participant l on l.comp_participant_id = agg.subject_key`, label: sql`l.display_name` };
const partnerLabel = { labelJoin: sql`left join partner l on l.partner_id = agg.subject_key`, label: sql`l.name` };
const keyLabel = { labelJoin: none, label: sql`agg.subject_key` };
const programme: SubjectSql = { key: sql`'programme'::text`, join: none, labelJoin: none, label: sql`'Programme'` };

const opportunities: SourceSql = {
  from: sql`opportunity o`,
  fields: {
    stage: sql`o.stage`,
    product: sql`o.product`,
    account_name: sql`o.account_name`,
    has_account: sql`(o.account_name is not null)`,
    scenario: sql`o.scenario`,
    forecast_category: sql`o.forecast_category`,
    source: sql`o.source`,
    currency: sql`o.currency`,
    partner_linked: sql`(o.partner_id is not null)`,
    engage_on: sql`o.engage_on`,
    close_on: sql`o.close_on`,
    value: sql`o.value_minor`,
    cycle_days: sql`(o.close_on - o.engage_on)`,
  },
  subjects: {
    seller: { key: sql`o.seller_participant_id`, join: none, ...participantLabel },
    manager: { key: sql`s.manager_participant_id`, join: sql`join comp_participant s on s.comp_participant_id = o.seller_participant_id`, ...participantLabel },
    team: { key: sql`s.team`, join: sql`join comp_participant s on s.comp_participant_id = o.seller_participant_id`, ...keyLabel },
    unit: { key: sql`s.unit`, join: sql`join comp_participant s on s.comp_participant_id = o.seller_participant_id`, ...keyLabel },
    partner: { key: sql`o.partner_id`, join: none, ...partnerLabel },
    programme,
  },
  currency: sql`o.currency`,
};

const activities: SourceSql = {
  from: sql`activity a`,
  fields: {
    kind: sql`a.kind`,
    source: sql`a.source`,
    partner_linked: sql`(a.partner_id is not null)`,
    occurred_on: sql`a.occurred_on`,
    quantity: sql`a.quantity`,
  },
  subjects: {
    seller: { key: sql`a.participant_id`, join: none, ...participantLabel },
    manager: { key: sql`s.manager_participant_id`, join: sql`join comp_participant s on s.comp_participant_id = a.participant_id`, ...participantLabel },
    team: { key: sql`s.team`, join: sql`join comp_participant s on s.comp_participant_id = a.participant_id`, ...keyLabel },
    unit: { key: sql`s.unit`, join: sql`join comp_participant s on s.comp_participant_id = a.participant_id`, ...keyLabel },
    partner: { key: sql`a.partner_id`, join: none, ...partnerLabel },
    programme,
  },
  currency: null,
};

const AGGREGATE_WORK_MEM = '128MB';

const sources: Record<MetricSource, SourceSql> = { opportunities, activities, registrations: registrationsSourceSql };

function field(source: MetricSource, name: string): Fragment {
  const f = sources[source].fields;
  const frag = Object.hasOwn(f, name) ? f[name] : undefined;
  if (!frag) throw new Error(`metric compiler: ${source}.${name} is not in the allow-list`);
  return frag;
}

function param(source: MetricSource, name: string, v: string | number | boolean): Fragment {
  const type = fieldSpec(source, name)?.type;
  if (type === 'number') return sql`${v}::numeric`;
  if (type === 'boolean') return sql`${v}::boolean`;
  return sql`${v}::text`;
}

function filterSql(source: MetricSource, f: MetricFilter): Fragment {
  const col = field(source, f.field);
  switch (f.op) {
    case 'eq':
      return sql`${col} = ${param(source, f.field, f.value)}`;
    case 'in':
      return sql`${col} in (${sql.join(f.values.map((v) => param(source, f.field, v)))})`;
    case 'not_in':
      // An empty field is "not one of these values".
      return sql`coalesce(${col} not in (${sql.join(f.values.map((v) => param(source, f.field, v)))}), true)`;
  }
}

function allOf(source: MetricSource, filters: readonly MetricFilter[]): Fragment {
  return filters.length
    ? sql`(${sql.join(
        filters.map((f) => filterSql(source, f)),
        sql` and `,
      )})`
    : sql`true`;
}

function aggregateSql(source: MetricSource, a: MetricAggregate, cond: Fragment): Fragment {
  return a.kind === 'count' ? sql`count(*) filter (where ${cond})` : sql`coalesce(sum(${field(source, a.field)}) filter (where ${cond}), 0)`;
}

export type MetricQuery = {
  subjectKind: SubjectKind;
  grain: PeriodGrain;
  /** Half-open [from, to), YYYY-MM-DD, on the definition's period field. */
  from: string;
  to: string;
  subjectIds?: readonly string[] | undefined;
  /** Money metrics: the currency added up (the definition's by default). */
  currency?: string | null | undefined;
};

export type MetricValueRow = {
  subjectId: string;
  subjectLabel: string | null;
  /** First day of the period, YYYY-MM-DD. */
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** Rows of the source the value was computed from. */
  rows: number;
};

/** Builds the statement (exported for tests that look at the SQL and its parameters). */
export function compileMetric(def: MetricDefinition, q: MetricQuery): RawBuilder<MetricValueRow> {
  const src = sources[def.source];
  const subject = src.subjects[q.subjectKind];
  const m = def.measure;
  const periodCol = field(def.source, def.periodField);

  let value: Fragment;
  let numerator: Fragment = sql`null::float8`;
  let denominator: Fragment = sql`null::float8`;
  let scope: Fragment;
  if (m.kind === 'ratio') {
    const numCond = allOf(def.source, m.numerator.filters);
    const denCond = allOf(def.source, m.denominator.filters);
    numerator = sql`(${aggregateSql(def.source, m.numerator, numCond)})::float8`;
    denominator = sql`(${aggregateSql(def.source, m.denominator, denCond)})::float8`;
    value = sql`${numerator} / nullif(${denominator}, 0)`;
    scope = sql`(${numCond} or ${denCond})`;
  } else if (m.kind === 'count') {
    value = sql`count(*)::float8`;
    scope = allOf(def.source, m.filters);
  } else if (m.kind === 'sum') {
    value = sql`coalesce(sum(${field(def.source, m.field)}), 0)::float8`;
    scope = allOf(def.source, m.filters);
  } else {
    const col = field(def.source, m.field);
    const p = m.kind === 'median' ? 0.5 : m.p;
    value = sql`percentile_cont(${p}::float8) within group (order by ${col})`;
    scope = sql`(${allOf(def.source, m.filters)} and ${col} is not null)`;
  }

  const currency = q.currency ?? def.currency;
  const currencyCond = currency !== null && src.currency ? sql`${src.currency} = ${currency}::text` : sql`true`;

  const subjectCond = q.subjectIds?.length ? sql`${subject.key}::text in (${sql.join(q.subjectIds.map((id) => sql`${id}::text`))})` : sql`true`;

  // Aggregate over narrow keys (uuid, date) first; names and the text of the period come after.
  return sql<MetricValueRow>`with agg as (
  select ${subject.key} as subject_key, date_trunc(${q.grain}::text, ${periodCol}::timestamp) as period_start,
    ${value} as value, ${numerator} as numerator, ${denominator} as denominator, count(*) as rows
  from ${src.from} ${subject.join}
  where ${periodCol} >= ${q.from}::date and ${periodCol} < ${q.to}::date
    and ${subject.key} is not null
    and ${allOf(def.source, def.filters)} and ${scope} and ${currencyCond} and ${subjectCond}
  group by 1, 2
)
select agg.subject_key::text as subject_id, ${subject.label} as subject_label, to_char(agg.period_start, 'YYYY-MM-DD') as period,
  agg.value, agg.numerator, agg.denominator, agg.rows::int as rows
from agg ${subject.labelJoin}
order by agg.period_start, 2, 1`;
}

export async function computeMetric(trx: Trx, def: MetricDefinition, q: MetricQuery): Promise<MetricValueRow[]> {
  // Grouping every subject x period at once: enough memory to sort or hash 50k x 12 groups without spilling.
  await sql`select set_config('work_mem', ${AGGREGATE_WORK_MEM}, true)`.execute(trx);
  const r = await compileMetric(def, q).execute(trx);
  return r.rows;
}

// ---------------------------------------------------------------------------------------------
// Stored definitions

export async function listStoredDefinitions(trx: Trx) {
  return trx.selectFrom('metricDefinition').selectAll().orderBy('key').execute();
}

export async function findStoredDefinition(trx: Trx, key: string) {
  return trx.selectFrom('metricDefinition').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function insertDefinition(
  trx: Trx,
  row: { id: string; key: string; name: string; definition: MetricDefinition; userId: string | null; now: Date },
): Promise<void> {
  await trx
    .insertInto('metricDefinition')
    .values({
      metricDefinitionId: row.id,
      key: row.key,
      name: row.name,
      definition: JSON.stringify(row.definition),
      createdByUserId: row.userId,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .execute();
}

export async function updateDefinition(trx: Trx, key: string, definition: MetricDefinition, now: Date): Promise<void> {
  await trx
    .updateTable('metricDefinition')
    .set({ name: definition.name, definition: JSON.stringify(definition), updatedAt: now })
    .where('key', '=', key)
    .execute();
}

export async function deleteDefinition(trx: Trx, key: string): Promise<void> {
  await trx.deleteFrom('metricDefinition').where('key', '=', key).execute();
}

// ---------------------------------------------------------------------------------------------
// A whole scorecard in one statement

/**
 * The figures of a whole scorecard: every metric, every subject of the level, every trend period, in
 * ONE statement. Metrics that read the same source by the same date field share one scan and one
 * grouping (each metric's own filters become FILTER clauses of its aggregates); a median or a
 * percentile gets a grouping of its own (an ordered-set aggregate cannot be hashed, the others can).
 * Each grouping is folded to one JSON array per subject, so the client receives one row per subject
 * (labels and roll-up parents joined in), not one per subject, period and metric.
 *
 * The aggregates are the ones compileMetric writes for a single metric: the same value, numerator,
 * denominator and row count for every (subject, period), which the reconciliation tests pin.
 */

export type ScorecardValuesQuery = {
  level: SubjectKind;
  grain: PeriodGrain;
  /** Trend periods (first days), oldest first; the computation covers [periods[0], to). */
  periods: readonly string[];
  to: string;
};

/**
 * Where a metric's figures are: its group, its value's place in the group's per-period values, and
 * the place of its current-period details (numerator, denominator, rows for a ratio; rows otherwise).
 */
export type MetricSlot = { group: number; value: number; current: number; ratio: boolean };

/** `widths[i]`: how many values group i has per period (each period's entry in `xi` is 1 + that many numbers). */
export type ScorecardValuesPlan = { statement: RawBuilder<ScorecardValuesRow>; slots: (MetricSlot | null)[]; groups: number; widths: number[] };

/**
 * One row per subject. Per group i: `xi`, null or the numbers of every period in which the subject
 * has rows, comma-separated and flat: per period, the days after the first period, then one value
 * per metric of the group (`null` for none); `ci`, null or the current period's details (see
 * MetricSlot), comma-separated the same way. Each is the body of a JSON array (the numbers are
 * PostgreSQL's float8 text, which JSON reads back exactly). Text: neither the driver nor the
 * camel-case plugin walks it.
 */
export type ScorecardValuesRow = { subjectId: string; label: string; parentId: string | null } & Record<`${'x' | 'c'}${number}`, string | null>;

/**
 * A row-level condition of the scorecard statement, kept as a tree (not SQL) so that conditions that
 * say the same thing in other words share one column and one aggregate: `stage = won` reached as the
 * numerator of a ratio scoped to `stage in (won, lost)`, and as the scope of a sum, is computed once
 * per row, and PostgreSQL computes identical aggregates once.
 */
type Cond =
  | { kind: 'true' }
  | { kind: 'filter'; filter: MetricFilter }
  | { kind: 'currency'; currency: string }
  | { kind: 'present'; field: string }
  | { kind: 'and' | 'or'; parts: Cond[] };

const always: Cond = { kind: 'true' };
const allOfCond = (filters: readonly MetricFilter[]): Cond =>
  filters.length ? { kind: 'and', parts: filters.map((filter) => ({ kind: 'filter', filter })) } : always;

/**
 * One scan and grouping. Row-level expressions (each metric's conditions, the fields it adds up) are
 * computed once per row as columns of an inner select (`offset 0` keeps the planner from folding
 * them back into every aggregate), and the aggregates read those columns. Equivalent conditions
 * (see condKeys) and the same field added up by several metrics are one column.
 */
type GroupPlan = {
  source: MetricSource;
  periodField: string;
  ordered: boolean;
  columns: Fragment[];
  columnByKey: Map<string, Fragment>;
  keyOf: (c: Cond) => string;
  /** The condition as SQL, the shortest the group's truth tables allow (see condKeys). */
  sqlOf: (c: Cond) => Fragment;
  /** Whether every row the first condition selects the second selects too (false when unknown). */
  implies: (a: Cond, b: Cond) => boolean;
  values: Fragment[];
  current: Fragment[];
  scopes: Cond[];
};

/** Adds a row-level expression to the group's inner select (once per key) and returns its name there. */
function column(g: GroupPlan, expr: Fragment, key: string): Fragment {
  const found = g.columnByKey.get(key);
  if (found) return found;
  const name = sql.id(`e${g.columns.length}`);
  g.columns.push(sql`${expr} as ${name}`);
  const ref = sql`r.${name}`;
  g.columnByKey.set(key, ref);
  return ref;
}

function condSql(source: MetricSource, c: Cond): Fragment {
  switch (c.kind) {
    case 'true':
      return sql`true`;
    case 'filter':
      return filterSql(source, c.filter);
    case 'currency':
      return sql`${sources[source].currency ?? sql`null`} = ${c.currency}::text`;
    case 'present':
      return sql`${field(source, c.field)} is not null`;
    case 'and':
    case 'or':
      return sql`(${sql.join(
        c.parts.map((x) => condSql(source, x)),
        c.kind === 'and' ? sql` and ` : sql` or `,
      )})`;
  }
}

function scopeOf(def: MetricDefinition, measureScope: Cond): Cond {
  const src = sources[def.source];
  const currency: Cond = def.currency !== null && src.currency ? { kind: 'currency', currency: def.currency } : always;
  return { kind: 'and', parts: [allOfCond(def.filters), measureScope, currency] };
}

function atomsOf(c: Cond, out: Cond[]): void {
  if (c.kind === 'and' || c.kind === 'or') for (const x of c.parts) atomsOf(x, out);
  else if (c.kind !== 'true') out.push(c);
}

/** float8 figures as comma-separated text, `null` for none (float8out, as an array's text would print them). */
function numbers(xs: readonly Fragment[]): Fragment {
  return sql.join(xs.map((x) => sql`coalesce((${x})::float8::text, 'null')`));
}

type CondKeys = Pick<GroupPlan, 'keyOf' | 'sqlOf' | 'implies'>;

/** At most this many assignments are tried per group; beyond, conditions are compared as written. */
const MAX_ASSIGNMENTS = 4096;

/**
 * Keys that are equal for equivalent conditions of one source. A condition is a monotone and/or of
 * atoms (a field equal to, in or not in some values; the currency; a field present); SQL's null
 * makes an atom unknown, and a monotone formula is true iff it is true with every unknown atom
 * false, which is how the atoms are evaluated here. Each field (the currency is a variable of its
 * own) takes every value the atoms name, one value none of them names, and null: every row of the
 * table agrees, atom by atom, with one of these assignments, so conditions with the same truth table
 * over all of them select the same rows. Values are compared as SQL compares them only when their
 * JavaScript type is the field's (text, enum: strings, compared byte for byte as the columns'
 * deterministic collations do; number: numbers; boolean: booleans);
 * otherwise, or with too many assignments, the key is the condition as written. The same truth
 * tables give each condition's SQL (sqlOf: a product of per-field tests where it is one) and whether
 * one condition's rows are among another's (implies); as written, neither is simplified.
 */
function condKeys(source: MetricSource, conds: readonly Cond[]): CondKeys {
  const written: CondKeys = { keyOf: (c) => JSON.stringify(c), sqlOf: (c) => condSql(source, c), implies: () => false };
  const atoms: Cond[] = [];
  for (const c of conds) atomsOf(c, atoms);
  const valuesOf = new Map<string, Set<string | number | boolean>>();
  const variable = (a: Cond) => (a.kind === 'filter' ? `f:${a.filter.field}` : a.kind === 'currency' ? 'currency' : a.kind === 'present' ? `f:${a.field}` : '');
  for (const a of atoms) {
    const v = variable(a);
    const set = valuesOf.get(v) ?? new Set<string | number | boolean>();
    valuesOf.set(v, set);
    if (a.kind === 'currency') set.add(a.currency);
    if (a.kind !== 'filter') continue;
    const type = fieldSpec(source, a.filter.field)?.type;
    const want = type === 'text' || type === 'enum' ? 'string' : type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : null;
    const values = a.filter.op === 'eq' ? [a.filter.value] : a.filter.values;
    for (const x of values) {
      if (want === null || typeof x !== want || (typeof x === 'number' && !Number.isFinite(x))) return written;
      set.add(x);
    }
  }
  const variables = [...valuesOf.keys()];
  // Per variable: each named value, one other value (a symbol), and null.
  const other = Symbol('other');
  const domains = variables.map((v) => [...(valuesOf.get(v) ?? []), other, null] as (string | number | boolean | symbol | null)[]);
  let total = 1;
  for (const d of domains) {
    total *= d.length;
    if (total > MAX_ASSIGNMENTS) return written;
  }
  const index = new Map(variables.map((v, i) => [v, i]));
  const assignment: (string | number | boolean | symbol | null)[] = domains.map(() => null);
  const evaluate = (c: Cond): boolean => {
    switch (c.kind) {
      case 'true':
        return true;
      case 'and':
        return c.parts.every(evaluate);
      case 'or':
        return c.parts.some(evaluate);
      case 'currency':
        return assignment[index.get('currency') ?? -1] === c.currency;
      case 'present':
        return assignment[index.get(`f:${c.field}`) ?? -1] !== null;
      case 'filter': {
        const x = assignment[index.get(`f:${c.filter.field}`) ?? -1];
        const f = c.filter;
        if (f.op === 'eq') return x !== null && x === f.value;
        if (f.op === 'in') return x !== null && f.values.some((v) => v === x);
        // not in: an empty field is "not one of these values" (coalesce(..., true)).
        return x === null || !f.values.some((v) => v === x);
      }
    }
  };
  const cache = new Map<Cond, string>();
  const bitsOf = (c: Cond): string => {
    const hit = cache.get(c);
    if (hit !== undefined) return hit;
    let bits = '';
    for (let n = 0; n < total; n++) {
      let rest = n;
      for (let i = 0; i < domains.length; i++) {
        const d = domains[i] as (string | number | boolean | symbol | null)[];
        assignment[i] = d[rest % d.length] as string | number | boolean | symbol | null;
        rest = Math.floor(rest / d.length);
      }
      bits += evaluate(c) ? '1' : '0';
    }
    cache.set(c, bits);
    return bits;
  };
  // A variable's SQL: its column, and a value as a bound parameter of the column's type.
  const columnOf = (v: string): Fragment => (v === 'currency' ? (sources[source].currency ?? sql`null`) : field(source, v.slice(2)));
  const valueOf = (v: string, x: string | number | boolean): Fragment => (v === 'currency' ? sql`${x}::text` : param(source, v.slice(2), x));
  /**
   * The values of one variable that a row may have, as SQL: `allowed[j]` says whether the variable's
   * j-th domain entry (a named value, then the other values, then null) is among them; null when
   * all are (no condition).
   */
  const oneVariable = (i: number, allowed: readonly boolean[]): Fragment | null => {
    const v = variables[i] as string;
    const d = domains[i] as (string | number | boolean | symbol | null)[];
    const col = columnOf(v);
    const named = d.slice(0, -2) as (string | number | boolean)[];
    const others = allowed[d.length - 2] === true;
    const empty = allowed[d.length - 1] === true;
    const listed = (xs: (string | number | boolean)[]) => sql.join(xs.map((x) => valueOf(v, x)));
    if (others) {
      const excluded = named.filter((_, j) => !allowed[j]);
      if (excluded.length === 0) return empty ? null : sql`${col} is not null`;
      // not in: null for an empty field, which coalesce counts in when null is allowed.
      const notIn = excluded.length === 1 ? sql`${col} <> ${valueOf(v, excluded[0] as string | number | boolean)}` : sql`${col} not in (${listed(excluded)})`;
      return empty ? sql`coalesce(${notIn}, true)` : notIn;
    }
    const included = named.filter((_, j) => allowed[j]);
    if (included.length === 0) return empty ? sql`${col} is null` : sql`false`;
    const isIn = included.length === 1 ? sql`${col} = ${valueOf(v, included[0] as string | number | boolean)}` : sql`${col} in (${listed(included)})`;
    return empty ? sql`coalesce(${isIn}, true)` : isIn;
  };
  /**
   * A condition whose rows are a product (each variable free to take any of some values whatever
   * the others take) is written as the conjunction of one test per constrained variable: the same
   * truth table, so the same rows, with fewer comparisons than the metrics' conditions as written
   * (`stage = won or stage in (won, lost)` is `stage in (won, lost)`). Other conditions stay as written.
   */
  const sqlOf = (c: Cond): Fragment => {
    const bits = bitsOf(c);
    if (!bits.includes('1')) return sql`false`;
    const allowed = domains.map((d) => d.map(() => false));
    let trues = 0;
    for (let n = 0; n < total; n++) {
      if (bits[n] !== '1') continue;
      trues++;
      let rest = n;
      for (let i = 0; i < domains.length; i++) {
        const len = (domains[i] as unknown[]).length;
        (allowed[i] as boolean[])[rest % len] = true;
        rest = Math.floor(rest / len);
      }
    }
    let product = 1;
    for (const a of allowed) product *= a.filter(Boolean).length;
    if (product !== trues) return condSql(source, c);
    const tests = allowed.flatMap((a, i) => oneVariable(i, a) ?? []);
    return tests.length === 0 ? sql`true` : sql`(${sql.join(tests, sql` and `)})`;
  };
  const implies = (a: Cond, b: Cond): boolean => {
    const x = bitsOf(a);
    const y = bitsOf(b);
    for (let n = 0; n < total; n++) if (x[n] === '1' && y[n] !== '1') return false;
    return true;
  };
  return { keyOf: (c) => `cond:${bitsOf(c)}`, sqlOf, implies };
}

function parentAndLabel(level: SubjectKind): { join: Fragment; label: Fragment; parent: Fragment } {
  switch (level) {
    case 'seller':
      return {
        join: sql`left join comp_participant l on l.comp_participant_id = k.s`,
        label: sql`coalesce(l.display_name, k.s::text)`,
        parent: sql`l.team`,
      };
    case 'manager':
      return {
        join: sql`left join comp_participant l on l.comp_participant_id = k.s`,
        label: sql`coalesce(l.display_name, k.s::text)`,
        parent: sql`null::text`,
      };
    case 'team':
      return {
        join: sql`left join (select team, mode() within group (order by unit) as unit from comp_participant
            where team is not null and unit is not null group by team) l on l.team = k.s`,
        label: sql`k.s::text`,
        parent: sql`l.unit`,
      };
    case 'unit':
      return { join: none, label: sql`k.s::text`, parent: sql`'programme'::text` };
    case 'partner':
      return { join: sql`left join partner l on l.partner_id = k.s`, label: sql`coalesce(l.name, k.s::text)`, parent: sql`null::text` };
    case 'programme':
      return { join: none, label: sql`'Programme'::text`, parent: sql`null::text` };
  }
}

/** Plans the statement for the metrics of a scorecard; null entries are metrics not computed at this level. */
export function compileScorecardValues(defs: readonly (MetricDefinition | null)[], q: ScorecardValuesQuery): ScorecardValuesPlan {
  const groups: GroupPlan[] = [];
  // Each metric's group and row-level conditions first: equivalence is decided over all of a group's.
  type Planned = { def: MetricDefinition; g: number; scope: Cond; parts: Cond[] };
  const condsOf: Cond[][] = [];
  const planned: (Planned | null)[] = defs.map((def) => {
    if (!def) return null;
    const m = def.measure;
    const ordered = m.kind === 'median' || m.kind === 'percentile';
    let g = ordered ? -1 : groups.findIndex((x) => !x.ordered && x.source === def.source && x.periodField === def.periodField);
    if (g === -1) {
      groups.push({
        source: def.source,
        periodField: def.periodField,
        ordered,
        columns: [],
        columnByKey: new Map(),
        keyOf: (c) => JSON.stringify(c),
        sqlOf: (c) => condSql(def.source, c),
        implies: () => false,
        values: [],
        current: [],
        scopes: [],
      });
      condsOf.push([]);
      g = groups.length - 1;
    }
    let scope: Cond;
    let parts: Cond[] = [];
    if (m.kind === 'ratio') {
      const numCond = allOfCond(m.numerator.filters);
      const denCond = allOfCond(m.denominator.filters);
      scope = scopeOf(def, { kind: 'or', parts: [numCond, denCond] });
      parts = [
        { kind: 'and', parts: [scope, numCond] },
        { kind: 'and', parts: [scope, denCond] },
      ];
    } else if (m.kind === 'count' || m.kind === 'sum') scope = scopeOf(def, allOfCond(m.filters));
    else scope = scopeOf(def, { kind: 'and', parts: [allOfCond(m.filters), { kind: 'present', field: m.field }] });
    condsOf[g]?.push(scope, ...parts);
    return { def, g, scope, parts };
  });
  groups.forEach((group, i) => Object.assign(group, condKeys(group.source, condsOf[i] ?? [])));
  const scopeKeys = groups.map(() => new Set<string>());

  const slots: (MetricSlot | null)[] = planned.map((pl) => {
    if (!pl) return null;
    const { def, g } = pl;
    const m = def.measure;
    const group = groups[g] as GroupPlan;
    const slot: MetricSlot = { group: g, value: group.values.length, current: group.current.length, ratio: m.kind === 'ratio' };
    const cond = (c: Cond) => column(group, group.sqlOf(c), group.keyOf(c));
    const sumOf = (a: MetricAggregate, on: Fragment) =>
      a.kind === 'count'
        ? sql`count(*) filter (where ${on})`
        : sql`coalesce(sum(${column(group, field(def.source, a.field), `field:${a.field}`)}) filter (where ${on}), 0)`;
    const inScope = cond(pl.scope);
    if (m.kind === 'ratio') {
      const num = sql`(${sumOf(m.numerator, cond(pl.parts[0] as Cond))})::float8`;
      const den = sql`(${sumOf(m.denominator, cond(pl.parts[1] as Cond))})::float8`;
      group.values.push(sql`${num} / nullif(${den}, 0)`);
      group.current.push(num, den, sql`(count(*) filter (where ${inScope}))::float8`);
    } else {
      let value: Fragment;
      let rows: Fragment;
      if (m.kind === 'count' || m.kind === 'sum') {
        value = m.kind === 'count' ? sql`count(*) filter (where ${inScope})` : sumOf({ kind: 'sum', field: m.field, filters: [] }, inScope);
        rows = sql`count(*) filter (where ${inScope})`;
      } else {
        // An ordered-set aggregate has a group of its own: every row of it is in the metric's scope.
        const p = m.kind === 'median' ? 0.5 : m.p;
        value = sql`percentile_cont(${p}::float8) within group (order by ${column(group, field(def.source, m.field), `field:${m.field}`)})`;
        rows = sql`count(*)`;
      }
      group.values.push(sql`(${value})::float8`);
      group.current.push(sql`(${rows})::float8`);
    }
    const scopeKey = group.keyOf(pl.scope);
    if (!scopeKeys[g]?.has(scopeKey)) {
      scopeKeys[g]?.add(scopeKey);
      group.scopes.push(pl.scope);
    }
    return slot;
  });
  // A group reads the rows of any of its metrics' scopes; a scope whose rows another scope reads
  // already adds nothing (the scopes are distinct: of two equal ones only the first was kept).
  const whereOf = (group: GroupPlan): Fragment[] =>
    group.scopes.filter((a, i) => !group.scopes.some((b, j) => j !== i && group.implies(a, b))).map((c) => group.sqlOf(c));

  const from = q.periods[0] ?? q.to;
  const ctes = groups.map((g, i) => {
    const src = sources[g.source];
    const subject = src.subjects[q.level];
    const periodCol = field(g.source, g.periodField);
    const name = sql.id(`g${i}`);
    // Per subject: the values of every period in which it has rows, each period led by its number of
    // days after the first one (an integer prints faster than a date), flat and comma-separated
    // (concat_ws of each figure's float8 text: no array per period and subject to build and print,
    // which cost 8% of the statement's CPU; array_agg's larger per-subject state made this hash
    // spill to disk at 50k subjects); and the current period's numerators, denominators and row
    // counts (only that period's group prints them). Text, parsed by the caller as the body of a
    // JSON array (the camel-case plugin never walks a string).
    const current = q.periods[q.periods.length - 1] ?? from;
    return sql`${name} as (
  select s, string_agg(v, ',') as x, max(c) as c from (
    select s, concat_ws(',', (p::date - ${from}::date)::text, ${numbers(g.values)}) as v,
      case when p = ${current}::date then concat_ws(',', ${numbers(g.current)}) end as c from (
      select ${subject.key} as s, date_trunc(${q.grain}::text, ${periodCol}::timestamp) as p, ${sql.join(g.columns)}
      from ${src.from} ${subject.join}
      where ${periodCol} >= ${from}::date and ${periodCol} < ${q.to}::date and ${subject.key} is not null
        and (${sql.join(whereOf(g), sql` or `)})
      offset 0
    ) r group by s, p
  ) agg group by s
)`;
  });
  const pl = parentAndLabel(q.level);
  const statement =
    groups.length === 0
      ? sql<ScorecardValuesRow>`select null::text as subject_id, null::text as label, null::text as parent_id where false`
      : sql<ScorecardValuesRow>`with ${sql.join(ctes)}
select k.s::text as subject_id, ${pl.label} as label, ${pl.parent} as parent_id, ${sql.join(
          groups.map((_, i) => sql`${sql.id(`g${i}`)}.x as ${sql.id(`x${i}`)}, ${sql.id(`g${i}`)}.c as ${sql.id(`c${i}`)}`),
        )}
from g0 ${sql.join(
          groups.slice(1).map((_, i) => sql`full join ${sql.id(`g${i + 1}`)} using (s)`),
          sql` `,
        )}
  cross join lateral (select s) k ${pl.join}`;
  return { statement, slots, groups: groups.length, widths: groups.map((g) => g.values.length) };
}

/** Runs the plan: one row per subject with a value in any metric and period. */
export async function computeScorecardValues(trx: Trx, plan: ScorecardValuesPlan): Promise<ScorecardValuesRow[]> {
  // Hash the groups (600k subject-periods): the row-level security qual makes the planner expect a
  // handful of rows and sort instead. Sorting stays possible where nothing else works (a median).
  // Before PostgreSQL 18 a disabled sort adds 1e10 to the plan's cost, which starts JIT compilation
  // with inlining and optimisation (measured on PostgreSQL 15: 9 s of a 35 s statement): no JIT here.
  const before = await sql<{ jit: string }>`select current_setting('jit') as jit, set_config('work_mem', ${SCORECARD_WORK_MEM}, true),
    set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`.execute(trx);
  const r = await plan.statement.execute(trx);
  await sql`select set_config('enable_sort', 'on', true), set_config('jit', ${before.rows[0]?.jit ?? 'on'}, true)`.execute(trx);
  return r.rows;
}

const SCORECARD_WORK_MEM = '256MB';
