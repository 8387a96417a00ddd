import { sql, type RawBuilder } from 'kysely';
import type { MetricAggregate, MetricDefinition, MetricFilter, MetricSource, PeriodGrain, SubjectKind } from '../../../common/scorecards/metric.ts';
import { fieldSpec } from '../../../common/scorecards/metric.ts';
import type { Trx } from '../../db/scope.ts';

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

const sources: Record<MetricSource, SourceSql> = { opportunities, activities };

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
