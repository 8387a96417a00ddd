import { z } from 'zod';
import type { ProblemIssue } from '../errors.ts';
import { registrationStatuses } from '../api/engagement-registrations.ts';

/**
 * The metric library's definition model: a metric is data, built from documented building blocks
 * (docs/scorecards.md), never code. A definition names
 *
 * - a source (the rows it reads: opportunities, activities) and the filters every row must pass;
 * - a measure: count | sum of a field | ratio of two filtered counts/sums | median or percentile of a
 *   numeric field (durations such as `cycle_days` are numeric fields of their source);
 * - the date field that places a row in a period, and the period grain (month | quarter | year);
 * - the subject kinds it can be computed for (seller, manager, team, unit, partner, programme);
 * - presentation: unit, direction (is higher better?), owner.
 *
 * `metricProblems` is the semantic validation run before a definition is saved: unknown fields,
 * filters whose values do not fit the field, measures over fields of the wrong type, ratios whose
 * numerator is not a part of their denominator, money without a currency. The server compiles a
 * valid definition into one SQL statement (server/modules/scorecards/metrics.repository.ts) through
 * an allow-list of the fields below: a field name never reaches SQL as text.
 */

export const METRIC_FORMAT = 'realign.metric/v1';

export const metricSources = ['opportunities', 'activities', 'registrations'] as const;
export type MetricSource = (typeof metricSources)[number];

export const subjectKinds = ['seller', 'manager', 'team', 'unit', 'partner', 'programme'] as const;
export type SubjectKind = (typeof subjectKinds)[number];
export const subjectKindLabels: Record<SubjectKind, string> = {
  seller: 'Seller',
  manager: 'Manager (direct reports)',
  team: 'Team',
  unit: 'Unit / region',
  partner: 'Partner',
  programme: 'Programme (everyone)',
};

export const periodGrains = ['month', 'quarter', 'year'] as const;
export type PeriodGrain = (typeof periodGrains)[number];

/** `ratio` is a fraction (0.25), shown as a percentage; `money` is minor units of the definition's currency. */
export const metricUnits = ['count', 'money', 'ratio', 'days', 'number'] as const;
export type MetricUnit = (typeof metricUnits)[number];

export const metricDirections = ['higher_is_better', 'lower_is_better'] as const;
export type MetricDirection = (typeof metricDirections)[number];

export const opportunityStages = ['prospecting', 'engaging', 'won', 'lost'] as const;
export type OpportunityStage = (typeof opportunityStages)[number];
export const forecastCategories = ['pipeline', 'best_case', 'commit', 'closed', 'omitted'] as const;
export const activitySources = ['manual', 'csv', 'derived'] as const;
export const registrationOrigins = ['partner', 'vendor_offer', 'bulk_upload'] as const;

export type FieldType = 'text' | 'enum' | 'boolean' | 'date' | 'money' | 'number';
export type FieldSpec = { type: FieldType; description: string; values?: readonly string[] };

/** The documented building blocks: every field a definition may name, per source. */
export const metricCatalogue = {
  opportunities: {
    description: 'Sales opportunities (the pipeline): one row per opportunity, credited to its seller.',
    fields: {
      stage: { type: 'enum', values: opportunityStages, description: 'prospecting | engaging | won | lost' },
      product: { type: 'text', description: 'Product name (as normalised by the importer)' },
      account_name: { type: 'text', description: 'End customer name; empty when the source had none' },
      has_account: { type: 'boolean', description: 'The opportunity names an end customer' },
      scenario: { type: 'text', description: 'Scenario key (maintenance renewal, consulting, ...), when known' },
      forecast_category: { type: 'enum', values: forecastCategories, description: 'Forecast category, when given' },
      source: { type: 'text', description: 'Where the row came from (e.g. maven-crm)' },
      currency: { type: 'text', description: 'ISO currency of value' },
      partner_linked: { type: 'boolean', description: 'A partner is linked to the opportunity (partner-sourced or registered)' },
      engage_on: { type: 'date', description: 'Date the opportunity entered the Engaging stage' },
      close_on: { type: 'date', description: 'Date the opportunity was won or lost (expected close date while open)' },
      value: { type: 'money', description: 'Deal value in minor units (close value once won; 0 when lost)' },
      cycle_days: { type: 'number', description: 'Days from engage_on to close_on (empty while either is missing)' },
    },
    subjects: subjectKinds,
  },
  activities: {
    description: 'Logged accountabilities: joint partner calls, enablement sessions, business reviews, ...',
    fields: {
      kind: { type: 'text', description: 'Activity type key (see the activity type list)' },
      source: { type: 'enum', values: activitySources, description: 'manual | csv | derived' },
      partner_linked: { type: 'boolean', description: 'The activity names a partner' },
      occurred_on: { type: 'date', description: 'Date the activity took place' },
      quantity: { type: 'number', description: 'How many (1 for a single call or session)' },
    },
    subjects: subjectKinds,
  },
  // Derived from the engagement area, read in place (docs/scorecards.md, "Derived sources").
  registrations: {
    description:
      'Partner deal registrations (engagement area), read in place: one row per registration, credited to its partner and to its reviewer (a seller or channel manager linked to a comp participant).',
    fields: {
      status: { type: 'enum', values: registrationStatuses, description: registrationStatuses.join(' | ') },
      scenario: { type: 'text', description: 'Scenario key of the registration' },
      renewal: { type: 'boolean', description: 'The scenario is a maintenance renewal' },
      origin: { type: 'enum', values: registrationOrigins, description: 'partner | vendor_offer | bulk_upload' },
      partner_sourced: { type: 'boolean', description: 'Brought by the partner (not a deal the vendor offered to it)' },
      region: { type: 'text', description: 'Region of the registration, when given' },
      owning_unit: { type: 'text', description: 'Unit that owned the review, when routed' },
      product_line: { type: 'text', description: 'Product line, when given' },
      in_conflict: { type: 'boolean', description: 'The registration was in a conflict with another claim' },
      answered: { type: 'boolean', description: 'The vendor gave a first response' },
      answered_within_sla: { type: 'boolean', description: 'First response on or before the SLA due time (true when answered and no SLA applied)' },
      sla_breached: { type: 'boolean', description: 'The SLA was breached (answered late or not yet answered past due)' },
      currency: { type: 'text', description: 'ISO currency of value' },
      submitted_on: { type: 'date', description: 'Date the registration was submitted (UTC)' },
      decided_on: { type: 'date', description: 'Date it was approved or rejected (UTC)' },
      value: { type: 'money', description: 'Registered deal value in minor units' },
      response_hours: { type: 'number', description: 'Hours from submission to the first response (empty until answered)' },
      decision_days: { type: 'number', description: 'Days from submission to the decision (empty until decided)' },
    },
    subjects: subjectKinds,
  },
} as const satisfies Record<MetricSource, { description: string; fields: Record<string, FieldSpec>; subjects: readonly SubjectKind[] }>;

export function fieldSpec(source: MetricSource, field: string): FieldSpec | undefined {
  const fields: Record<string, FieldSpec> = metricCatalogue[source].fields;
  return Object.hasOwn(fields, field) ? fields[field] : undefined;
}

// ---------------------------------------------------------------------------------------------
// The definition

const fieldName = z.string().trim().min(1).max(60).describe('A field of the source (see the catalogue)');
const scalar = z.union([z.string().max(200), z.number().finite(), z.boolean()]);

export const metricFilter = z.discriminatedUnion('op', [
  z.strictObject({ field: fieldName, op: z.literal('eq'), value: scalar }),
  z.strictObject({ field: fieldName, op: z.literal('in'), values: z.array(scalar).min(1).max(200) }),
  z.strictObject({ field: fieldName, op: z.literal('not_in'), values: z.array(scalar).min(1).max(200) }),
]);
export type MetricFilter = z.infer<typeof metricFilter>;

const filters = z.array(metricFilter).max(20).default([]);

export const metricAggregate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('count'), filters }),
  z.strictObject({ kind: z.literal('sum'), field: fieldName, filters }),
]);
export type MetricAggregate = z.infer<typeof metricAggregate>;

export const metricMeasure = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('count'), filters }),
  z.strictObject({ kind: z.literal('sum'), field: fieldName, filters }),
  z.strictObject({
    kind: z.literal('ratio'),
    numerator: metricAggregate.describe('Rows (or a sum over rows) counted above the line'),
    denominator: metricAggregate.describe('Rows (or a sum) below the line; the numerator must be a part of them'),
  }),
  z.strictObject({ kind: z.literal('median'), field: fieldName, filters }),
  z.strictObject({ kind: z.literal('percentile'), field: fieldName, p: z.number().gt(0).lt(1).describe('0.9 = 90th percentile'), filters }),
]);
export type MetricMeasure = z.infer<typeof metricMeasure>;

export const metricDefinition = z.strictObject({
  format: z.literal(METRIC_FORMAT).default(METRIC_FORMAT),
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,59}$/, 'lower-case letters, digits and _, starting with a letter (2-60 characters)')
    .describe('Stable identifier'),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
  owner: z.string().trim().min(1).max(120).describe('Who answers for the metric (a team or a person)'),
  unit: z.enum(metricUnits),
  direction: z.enum(metricDirections),
  source: z.enum(metricSources),
  filters: filters.describe('Every row the metric reads passes all of these'),
  measure: metricMeasure,
  periodField: fieldName.describe('The date field that places a row in a period'),
  periodGrain: z.enum(periodGrains),
  subjectKinds: z.array(z.enum(subjectKinds)).min(1).max(subjectKinds.length),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable()
    .default(null)
    .describe('Money metrics only: the currency summed (rows in other currencies are left out)'),
});
export type MetricDefinition = z.output<typeof metricDefinition>;
export type MetricDefinitionInput = z.input<typeof metricDefinition>;

// ---------------------------------------------------------------------------------------------
// Validation

function filterIssues(source: MetricSource, list: readonly MetricFilter[], path: string): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  list.forEach((f, i) => {
    const at = `${path}[${i}]`;
    const spec = fieldSpec(source, f.field);
    if (!spec) {
      issues.push({
        path: `${at}.field`,
        message: `"${f.field}" is not a field of ${source} (fields: ${Object.keys(metricCatalogue[source].fields).join(', ')})`,
      });
      return;
    }
    if (spec.type === 'date' || spec.type === 'money') {
      issues.push({ path: `${at}.field`, message: `${f.field} is a ${spec.type} field: filters compare categories; dates are chosen by the period` });
      return;
    }
    const values = f.op === 'eq' ? [f.value] : f.values;
    values.forEach((v, j) => {
      const vAt = f.op === 'eq' ? `${at}.value` : `${at}.values[${j}]`;
      if (spec.type === 'boolean' && typeof v !== 'boolean') issues.push({ path: vAt, message: `${f.field} is true or false` });
      else if (spec.type === 'number' && typeof v !== 'number') issues.push({ path: vAt, message: `${f.field} is a number` });
      else if ((spec.type === 'text' || spec.type === 'enum') && typeof v !== 'string') issues.push({ path: vAt, message: `${f.field} is text` });
      else if (spec.type === 'enum' && spec.values && !spec.values.includes(v as string))
        issues.push({ path: vAt, message: `"${String(v)}" is not a value of ${f.field} (${spec.values.join(', ')})` });
    });
  });
  return issues;
}

function numericFieldIssue(source: MetricSource, field: string, path: string, what: string): ProblemIssue | null {
  const spec = fieldSpec(source, field);
  if (!spec) return { path, message: `"${field}" is not a field of ${source}` };
  if (spec.type !== 'number' && spec.type !== 'money') return { path, message: `${what} needs a number or money field; ${field} is ${spec.type}` };
  return null;
}

/** The values a list of filters lets through for one field (eq / in only); undefined when it does not restrict it. */
function allowedValues(list: readonly MetricFilter[], field: string): Set<unknown> | undefined {
  let allowed: Set<unknown> | undefined;
  for (const f of list) {
    if (f.field !== field || f.op === 'not_in') continue;
    const vs = new Set<unknown>(f.op === 'eq' ? [f.value] : f.values);
    allowed = allowed ? new Set([...allowed].filter((v) => vs.has(v))) : vs;
  }
  return allowed;
}

function excludedValues(list: readonly MetricFilter[], field: string): Set<unknown> {
  return new Set(list.flatMap((f) => (f.field === field && f.op === 'not_in' ? f.values : [])));
}

/** Does the numerator count only rows the denominator counts? (Checked on eq / in / not_in filters.) */
function subsetIssues(num: MetricAggregate, den: MetricAggregate, path: string): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  for (const field of new Set(den.filters.map((f) => f.field))) {
    const d = allowedValues(den.filters, field);
    if (d) {
      const n = allowedValues(num.filters, field);
      if (!n)
        issues.push({
          path: `${path}.numerator.filters`,
          message: `the denominator keeps only some ${field} values; the numerator must restrict ${field} too`,
        });
      else {
        const outside = [...n].filter((v) => !d.has(v));
        if (outside.length)
          issues.push({
            path: `${path}.numerator.filters`,
            message: `the numerator counts ${field} = ${outside.join(', ')}, which the denominator leaves out`,
          });
      }
    }
    const dx = excludedValues(den.filters, field);
    if (dx.size) {
      const nx = excludedValues(num.filters, field);
      const n = allowedValues(num.filters, field);
      const missing = [...dx].filter((v) => !nx.has(v) && !(n && !n.has(v)));
      if (missing.length)
        issues.push({ path: `${path}.numerator.filters`, message: `the denominator leaves out ${field} = ${missing.join(', ')}; the numerator must too` });
    }
  }
  return issues;
}

function usesMoney(source: MetricSource, m: MetricMeasure | MetricAggregate): boolean {
  if (m.kind === 'count') return false;
  if (m.kind === 'ratio') return usesMoney(source, m.numerator) || usesMoney(source, m.denominator);
  return fieldSpec(source, m.field)?.type === 'money';
}

/** Every semantic problem of a definition that parsed; empty when it may be saved and computed. */
export function metricProblems(def: MetricDefinition): ProblemIssue[] {
  const { source } = def;
  const issues: ProblemIssue[] = [...filterIssues(source, def.filters, 'filters')];
  const m = def.measure;
  switch (m.kind) {
    case 'count':
      issues.push(...filterIssues(source, m.filters, 'measure.filters'));
      break;
    case 'sum':
    case 'median':
    case 'percentile': {
      const what = m.kind === 'sum' ? 'A sum' : `A ${m.kind}`;
      const issue = numericFieldIssue(source, m.field, 'measure.field', what);
      if (issue) issues.push(issue);
      issues.push(...filterIssues(source, m.filters, 'measure.filters'));
      break;
    }
    case 'ratio': {
      for (const side of ['numerator', 'denominator'] as const) {
        const a = m[side];
        if (a.kind === 'sum') {
          const issue = numericFieldIssue(source, a.field, `measure.${side}.field`, 'A sum');
          if (issue) issues.push(issue);
        }
        issues.push(...filterIssues(source, a.filters, `measure.${side}.filters`));
      }
      const sameShape =
        m.numerator.kind === m.denominator.kind &&
        (m.numerator.kind === 'count' || (m.denominator.kind === 'sum' && m.numerator.field === m.denominator.field));
      if (sameShape) issues.push(...subsetIssues(m.numerator, m.denominator, 'measure'));
      else if (!(m.numerator.kind === 'sum' && m.denominator.kind === 'count'))
        issues.push({ path: 'measure.denominator', message: 'a ratio divides a part by its whole (same kind), or a sum by a count (an average)' });
      break;
    }
  }

  const period = fieldSpec(source, def.periodField);
  if (!period) issues.push({ path: 'periodField', message: `"${def.periodField}" is not a field of ${source}` });
  else if (period.type !== 'date') issues.push({ path: 'periodField', message: `${def.periodField} is not a date field` });

  const supported: readonly SubjectKind[] = metricCatalogue[source].subjects;
  def.subjectKinds.forEach((k, i) => {
    if (!supported.includes(k)) issues.push({ path: `subjectKinds[${i}]`, message: `${source} cannot be computed per ${k}` });
  });
  if (new Set(def.subjectKinds).size !== def.subjectKinds.length) issues.push({ path: 'subjectKinds', message: 'lists a subject kind twice' });

  const money = usesMoney(source, m);
  if (money && def.currency === null) issues.push({ path: 'currency', message: 'a metric over money names the currency it adds up' });
  if (!money && def.currency !== null) issues.push({ path: 'currency', message: 'only a metric over money has a currency' });

  const moneyValued = money && (m.kind !== 'ratio' || m.denominator.kind === 'count');
  if (m.kind === 'ratio') {
    const average = m.denominator.kind === 'count' && m.numerator.kind === 'sum';
    if (!average && def.unit !== 'ratio') issues.push({ path: 'unit', message: 'a ratio of a part to its whole has the unit ratio' });
    if (average && def.unit === 'ratio') issues.push({ path: 'unit', message: 'an average (a sum per row) is not a ratio: use money, number or days' });
  } else if (def.unit === 'ratio') issues.push({ path: 'unit', message: 'only a ratio measure has the unit ratio' });
  if (moneyValued && def.unit !== 'money') issues.push({ path: 'unit', message: 'the value is an amount of money: the unit is money' });
  if (!moneyValued && def.unit === 'money') issues.push({ path: 'unit', message: 'the unit money needs a measure over a money field' });
  if (m.kind === 'count' && def.unit !== 'count') issues.push({ path: 'unit', message: 'a count has the unit count' });
  return issues;
}

/** Parses and validates in one go: the shape (zod) first, then the semantics. */
export function checkMetricDefinition(raw: unknown): { ok: true; definition: MetricDefinition } | { ok: false; issues: ProblemIssue[] } {
  const parsed = metricDefinition.safeParse(raw);
  if (!parsed.success)
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(definition)', message: i.message })) };
  const issues = metricProblems(parsed.data);
  return issues.length ? { ok: false, issues } : { ok: true, definition: parsed.data };
}
