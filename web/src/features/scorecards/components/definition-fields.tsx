import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ProblemIssue } from '../../../../../common/errors.ts';
import { fieldSpec, metricCatalogue, type FieldSpec, type MetricSource } from '../../../../../common/scorecards/metric.ts';

/**
 * Pieces shared by the metric and scorecard forms: issues found at a path (the same paths the
 * server reports, without its `body.` prefix), a select with an empty choice, and the filter list
 * of the metric building blocks.
 */

export type Draft = Record<string, unknown>;
export type FormProps = { value: Draft; onChange: (next: Draft) => void; issues: readonly ProblemIssue[] };

/** The messages of the problems found exactly at `path`, as one string for a field's error slot. */
export function issueAt(issues: readonly ProblemIssue[], path: string): string | undefined {
  const found = issues.filter((i) => i.path === path).map((i) => i.message);
  return found.length ? found.join('; ') : undefined;
}

export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export function record(v: unknown): Draft {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Draft) : {};
}

/** A number typed in a text box: the number when it reads as one, else the text (validation then names it). */
export function numberOrText(s: string): number | string {
  const t = s.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : s;
}

export function Choice({
  label,
  value,
  options,
  onChange,
  error,
  placeholder,
}: {
  label: string;
  value: string;
  options: readonly (string | { value: string; label: string })[];
  onChange: (v: string) => void;
  error?: string | undefined;
  placeholder?: string;
}) {
  const data = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  const known = data.some((d) => d.value === value);
  return (
    <NativeSelect
      label={label}
      value={value}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[...(known ? [] : [{ value, label: value === '' ? (placeholder ?? 'Choose…') : `${value} (unknown)` }]), ...data]}
    />
  );
}

function fieldsOf(source: MetricSource | undefined): [string, FieldSpec][] {
  if (!source || !Object.hasOwn(metricCatalogue, source)) return [];
  return Object.entries(metricCatalogue[source].fields as Record<string, FieldSpec>);
}

/** Field names of a source that a filter may compare (not dates, not money). */
export function filterableFields(source: MetricSource | undefined): string[] {
  return fieldsOf(source)
    .filter(([, s]) => s.type !== 'date' && s.type !== 'money')
    .map(([n]) => n);
}

export function numericFields(source: MetricSource | undefined): string[] {
  return fieldsOf(source)
    .filter(([, s]) => s.type === 'number' || s.type === 'money')
    .map(([n]) => n);
}

export function dateFields(source: MetricSource | undefined): string[] {
  return fieldsOf(source)
    .filter(([, s]) => s.type === 'date')
    .map(([n]) => n);
}

function typedValue(source: MetricSource | undefined, field: string, raw: string): unknown {
  const spec = source ? fieldSpec(source, field) : undefined;
  if (spec?.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (spec?.type === 'number') return numberOrText(raw);
  return raw;
}

const ops = [
  { value: 'eq', label: 'is' },
  { value: 'in', label: 'is one of' },
  { value: 'not_in', label: 'is none of' },
];

/** A list of filters (`field op value(s)`), each field chosen from the source's catalogue. */
export function FilterList({
  label,
  source,
  filters,
  onChange,
  issues,
  path,
}: {
  label: string;
  source: MetricSource | undefined;
  filters: unknown[];
  onChange: (next: unknown[]) => void;
  issues: readonly ProblemIssue[];
  path: string;
}) {
  const fields = filterableFields(source);
  const set = (i: number, next: Draft) => onChange(filters.map((f, j) => (j === i ? next : f)));
  return (
    <Stack gap={6}>
      <Text fz="sm" fw={500}>
        {label}
      </Text>
      {issueAt(issues, path) && (
        <Text fz="xs" c="red.7">
          {issueAt(issues, path)}
        </Text>
      )}
      {filters.length === 0 && (
        <Text fz="xs" c="dimmed">
          No filter: every row counts.
        </Text>
      )}
      {filters.map((raw, i) => {
        const f = record(raw);
        const at = `${path}[${i}]`;
        const field = text(f.field);
        const op = text(f.op) || 'eq';
        const spec = source ? fieldSpec(source, field) : undefined;
        const n = i + 1;
        const values = op === 'eq' ? [f.value] : list(f.values);
        const valueError =
          op === 'eq'
            ? issueAt(issues, `${at}.value`)
            : values
                .map((_, j) => issueAt(issues, `${at}.values[${j}]`))
                .filter(Boolean)
                .join('; ');
        return (
          <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
            <Choice
              label={`${label} ${n}: field`}
              value={field}
              options={fields}
              error={issueAt(issues, `${at}.field`)}
              onChange={(v) => set(i, op === 'eq' ? { field: v, op, value: f.value ?? '' } : { field: v, op, values: list(f.values) })}
            />
            <Choice
              label={`${label} ${n}: operator`}
              value={op}
              options={ops}
              onChange={(v) => set(i, v === 'eq' ? { field, op: v, value: values[0] ?? '' } : { field, op: v, values: values.filter((x) => x !== undefined) })}
            />
            {spec?.type === 'boolean' && op === 'eq' ? (
              <Choice
                label={`${label} ${n}: value`}
                value={text(f.value)}
                options={['true', 'false']}
                error={valueError || undefined}
                onChange={(v) => set(i, { field, op, value: v === 'true' })}
              />
            ) : (
              <TextInput
                label={`${label} ${n}: ${op === 'eq' ? 'value' : 'values'}`}
                description={op === 'eq' ? (spec?.values ? spec.values.join(' | ') : undefined) : 'separated by commas'}
                value={op === 'eq' ? text(f.value) : values.map(text).join(', ')}
                error={valueError || undefined}
                onChange={(e) => {
                  const t = e.currentTarget.value;
                  set(
                    i,
                    op === 'eq'
                      ? { field, op, value: typedValue(source, field, t) }
                      : { field, op, values: t.split(',').map((x) => typedValue(source, field, x.trim())) },
                  );
                }}
              />
            )}
            <ActionIcon
              variant="subtle"
              color="red"
              mt={24}
              aria-label={`Remove ${label.toLowerCase()} ${n}`}
              onClick={() => onChange(filters.filter((_, j) => j !== i))}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...filters, { field: fields[0] ?? '', op: 'eq', value: '' }])}
        >
          Add {label.toLowerCase()}
        </Button>
      </Group>
    </Stack>
  );
}
