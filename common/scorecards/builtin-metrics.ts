import { metricDefinition, type MetricDefinition, type MetricDefinitionInput } from './metric.ts';

/**
 * The metrics every installation starts with. They are definitions like any other (same model, same
 * validation, same compiler); they are read-only, and a stored definition may not take their keys.
 *
 * Sales cycle: the Maven CRM data dictionary defines engage_date as the day the "Engaging" stage
 * began and close_date as the day the deal was won or lost. Prospecting rows have no engage date, so
 * the cycle is measured from engagement, not from first contact: the median number of days from
 * engage_on to close_on over the deals WON in the period (placed by close date). Lost deals are
 * left out: a fast loss is not a short sales cycle.
 */
const builtinInputs: MetricDefinitionInput[] = [
  {
    key: 'win_rate',
    name: 'Win rate',
    description: 'Won deals as a share of the deals decided (won + lost) in the period, by close date.',
    owner: 'Sales operations',
    unit: 'ratio',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: {
      kind: 'ratio',
      numerator: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
      denominator: { kind: 'count', filters: [{ field: 'stage', op: 'in', values: ['won', 'lost'] }] },
    },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'sales_cycle_days',
    name: 'Sales cycle (days)',
    description: 'Median days from engagement (engage date) to close of the deals won in the period, by close date.',
    owner: 'Sales operations',
    unit: 'days',
    direction: 'lower_is_better',
    source: 'opportunities',
    measure: { kind: 'median', field: 'cycle_days', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'won_value',
    name: 'Won value',
    description: 'Sum of the close value of the deals won in the period, by close date.',
    owner: 'Sales operations',
    unit: 'money',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: { kind: 'sum', field: 'value', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
    currency: 'USD',
  },
  {
    key: 'opportunities_count',
    name: 'Opportunities engaged',
    description: 'Opportunities that entered the Engaging stage in the period (by engage date; prospects without one are not counted).',
    owner: 'Sales operations',
    unit: 'count',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: { kind: 'count', filters: [] },
    periodField: 'engage_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'pipeline_value',
    name: 'Open pipeline value',
    description: 'Value of the open opportunities (prospecting, engaging) expected to close in the period.',
    owner: 'Sales operations',
    unit: 'money',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: { kind: 'sum', field: 'value', filters: [{ field: 'stage', op: 'in', values: ['prospecting', 'engaging'] }] },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
    currency: 'USD',
  },
  {
    key: 'partner_sourced_share',
    name: 'Partner-linked share of won value',
    description: 'Won value of the deals with a partner, as a share of all won value in the period.',
    owner: 'Channel office',
    unit: 'ratio',
    direction: 'higher_is_better',
    source: 'opportunities',
    measure: {
      kind: 'ratio',
      numerator: {
        kind: 'sum',
        field: 'value',
        filters: [
          { field: 'stage', op: 'eq', value: 'won' },
          { field: 'partner_linked', op: 'eq', value: true },
        ],
      },
      denominator: { kind: 'sum', field: 'value', filters: [{ field: 'stage', op: 'eq', value: 'won' }] },
    },
    periodField: 'close_on',
    periodGrain: 'quarter',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'programme'],
    currency: 'USD',
  },
  {
    key: 'joint_partner_calls',
    name: 'Joint partner calls',
    description: 'Joint calls with partners logged in the period.',
    owner: 'Channel office',
    unit: 'count',
    direction: 'higher_is_better',
    source: 'activities',
    measure: { kind: 'sum', field: 'quantity', filters: [{ field: 'kind', op: 'eq', value: 'joint_partner_call' }] },
    periodField: 'occurred_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
  {
    key: 'activities_logged',
    name: 'Activities logged',
    description: 'Every activity logged in the period, whatever its kind (quantities added).',
    owner: 'Channel office',
    unit: 'count',
    direction: 'higher_is_better',
    source: 'activities',
    measure: { kind: 'sum', field: 'quantity', filters: [] },
    periodField: 'occurred_on',
    periodGrain: 'month',
    subjectKinds: ['seller', 'manager', 'team', 'unit', 'partner', 'programme'],
  },
];

export const builtinMetrics: readonly MetricDefinition[] = builtinInputs.map((d) => metricDefinition.parse(d));
export const builtinMetricKeys: ReadonlySet<string> = new Set(builtinMetrics.map((d) => d.key));

export function builtinMetric(key: string): MetricDefinition | undefined {
  return builtinMetrics.find((d) => d.key === key);
}
