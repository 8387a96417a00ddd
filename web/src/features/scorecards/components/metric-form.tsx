import { Checkbox, Fieldset, Group, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import {
  metricCatalogue,
  metricDirections,
  metricSources,
  metricUnits,
  periodGrains,
  subjectKindLabels,
  type MetricSource,
} from '../../../../../common/scorecards/metric.ts';
import { Choice, dateFields, FilterList, issueAt, list, numberOrText, numericFields, record, text, type Draft, type FormProps } from './definition-fields.tsx';

/**
 * A metric definition as a form, built from the documented building blocks (common/scorecards/
 * metric.ts, the catalogue): the source decides which fields the filters, the measure and the
 * period date may name. Problems appear at the field they concern, found by the same checks the
 * server runs, and the server's own answer (a key already taken) lands at its field too.
 */

const measureKinds = [
  { value: 'count', label: 'Count of rows' },
  { value: 'sum', label: 'Sum of a field' },
  { value: 'ratio', label: 'Ratio (part / whole)' },
  { value: 'median', label: 'Median of a field' },
  { value: 'percentile', label: 'Percentile of a field' },
];

const directionLabels = { higher_is_better: 'Higher is better', lower_is_better: 'Lower is better' } as const;

function sourceOf(v: Draft): MetricSource | undefined {
  const s = text(v.source);
  return (metricSources as readonly string[]).includes(s) ? (s as MetricSource) : undefined;
}

/** A new measure of a kind, keeping what still fits (filters, field). */
function measureOfKind(kind: string, old: Draft, source: MetricSource | undefined): Draft {
  const filters = list(old.filters);
  const field = text(old.field) || (numericFields(source)[0] ?? '');
  switch (kind) {
    case 'count':
      return { kind, filters };
    case 'sum':
    case 'median':
      return { kind, field, filters };
    case 'percentile':
      return { kind, field, p: 0.9, filters };
    default:
      return { kind: 'ratio', numerator: { kind: 'count', filters: [] }, denominator: { kind: 'count', filters } };
  }
}

function Aggregate({
  label,
  value,
  onChange,
  source,
  issues,
  path,
}: {
  label: 'Numerator' | 'Denominator';
  value: Draft;
  onChange: (next: Draft) => void;
  source: MetricSource | undefined;
  issues: FormProps['issues'];
  path: string;
}) {
  const kind = text(value.kind) || 'count';
  return (
    <Fieldset legend={label}>
      <Stack gap="xs">
        <Group grow align="flex-start">
          <Choice
            label={`${label}: aggregation`}
            value={kind}
            options={[
              { value: 'count', label: 'Count of rows' },
              { value: 'sum', label: 'Sum of a field' },
            ]}
            error={issueAt(issues, path)}
            onChange={(k) =>
              onChange(
                k === 'sum'
                  ? { kind: k, field: text(value.field) || (numericFields(source)[0] ?? ''), filters: list(value.filters) }
                  : { kind: k, filters: list(value.filters) },
              )
            }
          />
          {kind === 'sum' && (
            <Choice
              label={`${label}: field`}
              value={text(value.field)}
              options={numericFields(source)}
              error={issueAt(issues, `${path}.field`)}
              onChange={(f) => onChange({ ...value, field: f })}
            />
          )}
        </Group>
        <FilterList
          label={`${label} filter`}
          source={source}
          filters={list(value.filters)}
          onChange={(f) => onChange({ ...value, filters: f })}
          issues={issues}
          path={`${path}.filters`}
        />
      </Stack>
    </Fieldset>
  );
}

export function MetricForm({ value, onChange, issues }: FormProps) {
  const source = sourceOf(value);
  const measure = record(value.measure);
  const kind = text(measure.kind) || 'count';
  const set = (patch: Draft) => onChange({ ...value, ...patch });
  const setMeasure = (m: Draft) => set({ measure: m });
  const subjects = list(value.subjectKinds).map(text);
  const supported: readonly string[] = source ? metricCatalogue[source].subjects : [];
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label="Key"
          description="lower-case letters, digits and _"
          value={text(value.key)}
          error={issueAt(issues, 'key')}
          onChange={(e) => set({ key: e.currentTarget.value })}
        />
        <TextInput label="Name" value={text(value.name)} error={issueAt(issues, 'name')} onChange={(e) => set({ name: e.currentTarget.value })} />
        <TextInput
          label="Owner"
          description="who answers for the metric"
          value={text(value.owner)}
          error={issueAt(issues, 'owner')}
          onChange={(e) => set({ owner: e.currentTarget.value })}
        />
        <Choice
          label="Source"
          value={text(value.source)}
          options={metricSources.map((s) => ({ value: s, label: s }))}
          error={issueAt(issues, 'source')}
          onChange={(s) => {
            const next = s as MetricSource;
            // Another source has other fields: start its filters and measure afresh, keep the rest.
            set({
              source: s,
              filters: [],
              measure: measureOfKind(kind, {}, next),
              periodField: dateFields(next)[0] ?? '',
              subjectKinds: subjects.filter((k) => (metricCatalogue[next]?.subjects as readonly string[] | undefined)?.includes(k)),
            });
          }}
        />
      </SimpleGrid>
      {source && (
        <Text fz="xs" c="dimmed">
          {metricCatalogue[source].description}
        </Text>
      )}
      <Textarea
        label="Description"
        autosize
        minRows={1}
        value={text(value.description)}
        error={issueAt(issues, 'description')}
        onChange={(e) => set({ description: e.currentTarget.value })}
      />
      <FilterList label="Row filter" source={source} filters={list(value.filters)} onChange={(f) => set({ filters: f })} issues={issues} path="filters" />
      <Fieldset legend="Measure">
        <Stack gap="sm">
          <Group grow align="flex-start">
            <Choice
              label="Measure"
              value={kind}
              options={measureKinds}
              error={issueAt(issues, 'measure') ?? issueAt(issues, 'measure.kind')}
              onChange={(k) => setMeasure(measureOfKind(k, measure, source))}
            />
            {(kind === 'sum' || kind === 'median' || kind === 'percentile') && (
              <Choice
                label="Measured field"
                value={text(measure.field)}
                options={numericFields(source)}
                error={issueAt(issues, 'measure.field')}
                onChange={(f) => setMeasure({ ...measure, field: f })}
              />
            )}
            {kind === 'percentile' && (
              <TextInput
                label="Percentile"
                description="0.9 = 90th percentile"
                value={text(measure.p)}
                error={issueAt(issues, 'measure.p')}
                onChange={(e) => setMeasure({ ...measure, p: numberOrText(e.currentTarget.value) })}
              />
            )}
          </Group>
          {kind === 'ratio' ? (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              <Aggregate
                label="Numerator"
                value={record(measure.numerator)}
                onChange={(n) => setMeasure({ ...measure, numerator: n })}
                source={source}
                issues={issues}
                path="measure.numerator"
              />
              <Aggregate
                label="Denominator"
                value={record(measure.denominator)}
                onChange={(d) => setMeasure({ ...measure, denominator: d })}
                source={source}
                issues={issues}
                path="measure.denominator"
              />
            </SimpleGrid>
          ) : (
            <FilterList
              label="Measure filter"
              source={source}
              filters={list(measure.filters)}
              onChange={(f) => setMeasure({ ...measure, filters: f })}
              issues={issues}
              path="measure.filters"
            />
          )}
        </Stack>
      </Fieldset>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Choice label="Unit" value={text(value.unit)} options={metricUnits} error={issueAt(issues, 'unit')} onChange={(u) => set({ unit: u })} />
        <Choice
          label="Direction"
          value={text(value.direction)}
          options={metricDirections.map((d) => ({ value: d, label: directionLabels[d] }))}
          error={issueAt(issues, 'direction')}
          onChange={(d) => set({ direction: d })}
        />
        <TextInput
          label="Currency"
          description="money metrics only (e.g. USD)"
          value={text(value.currency)}
          error={issueAt(issues, 'currency')}
          onChange={(e) => set({ currency: e.currentTarget.value.trim() === '' ? null : e.currentTarget.value.trim().toUpperCase() })}
        />
        <Choice
          label="Period date"
          value={text(value.periodField)}
          options={dateFields(source)}
          error={issueAt(issues, 'periodField')}
          onChange={(f) => set({ periodField: f })}
        />
        <Choice
          label="Period grain"
          value={text(value.periodGrain)}
          options={periodGrains}
          error={issueAt(issues, 'periodGrain')}
          onChange={(g) => set({ periodGrain: g })}
        />
      </SimpleGrid>
      <Checkbox.Group
        label="Computed per"
        value={subjects}
        error={issueAt(issues, 'subjectKinds') ?? subjects.map((_, i) => issueAt(issues, `subjectKinds[${i}]`)).find(Boolean)}
        onChange={(ks) => set({ subjectKinds: ks })}
      >
        <Group gap="md" mt={4}>
          {Object.entries(subjectKindLabels).map(([k, l]) => (
            <Checkbox key={k} value={k} label={l} disabled={source !== undefined && !supported.includes(k) && !subjects.includes(k)} />
          ))}
        </Group>
      </Checkbox.Group>
    </Stack>
  );
}
