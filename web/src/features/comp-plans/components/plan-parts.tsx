import { ActionIcon, Button, Checkbox, Group, Stack, Switch, Table, TagsInput, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { creditKinds, sourcings, type CreditFilter, type Gate, type Tier } from '../../../../../common/comp/plan.ts';
import { useIssueAt } from '../plan-issues.ts';
import { MultiplierInput, PercentInput, PlainNumberInput } from './plan-fields.tsx';

export const creditKindLabels: Record<(typeof creditKinds)[number], string> = {
  direct: 'Their own deals',
  split: 'Their share of split deals',
  overlay: 'Overlay credit',
  rollup: 'Their team’s deals (roll-up)',
};

export const sourcingLabels: Record<(typeof sourcings)[number], string> = {
  direct: 'Direct deals',
  partner_sourced: 'Partner-sourced deals',
  partner_influenced: 'Partner-influenced deals',
};

/** Messages at a path that has no input of its own (a table, a list, a whole component). */
export function IssueText({ path }: { path: string }) {
  const error = useIssueAt(path);
  if (!error) return null;
  return (
    <Text fz="xs" c="red.8" role="alert">
      {error}
    </Text>
  );
}

/** Which credit lines count: kinds, sourcing, and optionally products, scenarios, segments. */
export function CreditFilterFields({
  path,
  value,
  onChange,
  legend,
}: {
  path: string;
  value: CreditFilter;
  onChange: (v: CreditFilter) => void;
  legend: string;
}) {
  const kindsError = useIssueAt(`${path}.creditKinds`);
  const sourcingError = useIssueAt(`${path}.sourcings`);
  const errors = {
    products: useIssueAt(`${path}.products`),
    scenarios: useIssueAt(`${path}.scenarios`),
    segments: useIssueAt(`${path}.segments`),
  };
  const list = (field: 'products' | 'scenarios' | 'segments', label: string, placeholder: string) => (
    <TagsInput
      label={label}
      placeholder={placeholder}
      description="Empty: any. Type a value and press Enter."
      value={value[field] ?? []}
      onChange={(v) => onChange({ ...value, [field]: v.length === 0 ? null : v })}
      error={errors[field]}
      clearable
    />
  );
  return (
    <Stack gap="xs">
      <Text fw={600} fz="sm">
        {legend}
      </Text>
      <Checkbox.Group
        label="Credit from"
        value={value.creditKinds}
        onChange={(v) => onChange({ ...value, creditKinds: creditKinds.filter((k) => v.includes(k)) })}
        error={kindsError}
      >
        <Group gap="md" mt={4}>
          {creditKinds.map((k) => (
            <Checkbox key={k} value={k} label={creditKindLabels[k]} />
          ))}
        </Group>
      </Checkbox.Group>
      <Checkbox.Group
        label="Deals"
        description="None ticked: all deals, whoever brought them."
        value={value.sourcings ?? []}
        onChange={(v) => onChange({ ...value, sourcings: v.length === 0 ? null : sourcings.filter((s) => v.includes(s)) })}
        error={sourcingError}
      >
        <Group gap="md" mt={4}>
          {sourcings.map((s) => (
            <Checkbox key={s} value={s} label={sourcingLabels[s]} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group grow align="flex-start">
        {list('products', 'Products', 'Any product')}
        {list('scenarios', 'Scenarios', 'Any scenario')}
        {list('segments', 'Customer segments', 'Any segment')}
      </Group>
    </Stack>
  );
}

/** A table of rows with add and remove. */
export function RowsTable<T>({
  label,
  path,
  rows,
  headers,
  renderRow,
  onAdd,
  onRemove,
  addLabel,
  minRows = 0,
}: {
  label: string;
  path: string;
  rows: readonly T[];
  headers: string[];
  renderRow: (row: T, index: number) => ReactNode[];
  onAdd: () => void;
  onRemove: (index: number) => void;
  addLabel: string;
  minRows?: number;
}) {
  return (
    <Stack gap={4}>
      <Table aria-label={label} striped={false} highlightOnHover={false} withTableBorder={rows.length > 0} verticalSpacing={4}>
        {rows.length > 0 && (
          <Table.Thead>
            <Table.Tr>
              {headers.map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
              <Table.Th w={48}>
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
        )}
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={i}>
              {renderRow(row, i).map((cell, j) => (
                <Table.Td key={j} style={{ verticalAlign: 'top' }}>
                  {cell}
                </Table.Td>
              ))}
              <Table.Td style={{ verticalAlign: 'top' }}>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove row ${i + 1} of ${label}`}
                  onClick={() => onRemove(i)}
                  disabled={rows.length <= minRows}
                  mt={4}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <IssueText path={path} />
      <Group>
        <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={onAdd}>
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Bands of attainment [from, to). Rates are percentages, or multipliers on the base rate
 * (retroactive). Adding a band closes the open-ended last one and opens a new one above it.
 */
export function TierTable({ path, tiers, multiplier, onChange }: { path: string; tiers: readonly Tier[]; multiplier: boolean; onChange: (t: Tier[]) => void }) {
  const set = (i: number, patch: Partial<Tier>) => onChange(tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <RowsTable
      label="Tiers"
      path={path}
      rows={tiers}
      minRows={1}
      headers={['From attainment', 'Up to (not including)', multiplier ? 'Multiplier on the base rate' : 'Rate']}
      addLabel="Add tier"
      onAdd={() => {
        const last = tiers[tiers.length - 1];
        if (!last) return onChange([{ fromBps: 0, toBps: null, rateBps: multiplier ? 10_000 : 300 }]);
        const end = last.toBps ?? (Number.isFinite(last.fromBps) ? last.fromBps + (last.fromBps === 0 ? 10_000 : 5_000) : 10_000);
        onChange([...tiers.slice(0, -1), { ...last, toBps: end }, { fromBps: end, toBps: null, rateBps: last.rateBps }]);
      }}
      onRemove={(i) => {
        const next = tiers.filter((_, j) => j !== i);
        const last = next[next.length - 1];
        if (i === tiers.length - 1 && last) next[next.length - 1] = { ...last, toBps: null };
        onChange(next);
      }}
      renderRow={(t, i) => [
        <PercentInput key="from" aria-label={`Tier ${i + 1} from`} path={`${path}[${i}].fromBps`} value={t.fromBps} onChange={(v) => set(i, { fromBps: v })} />,
        <PercentInput
          key="to"
          aria-label={`Tier ${i + 1} up to`}
          placeholder="No upper end"
          path={`${path}[${i}].toBps`}
          nullable
          value={t.toBps}
          onChange={(v) => set(i, { toBps: v })}
        />,
        multiplier ? (
          <MultiplierInput
            key="rate"
            aria-label={`Tier ${i + 1} multiplier`}
            path={`${path}[${i}].rateBps`}
            value={t.rateBps}
            onChange={(v) => set(i, { rateBps: v })}
          />
        ) : (
          <PercentInput
            key="rate"
            aria-label={`Tier ${i + 1} rate`}
            path={`${path}[${i}].rateBps`}
            value={t.rateBps}
            onChange={(v) => set(i, { rateBps: v })}
          />
        ),
      ]}
    />
  );
}

/** Steps from an attainment up: multipliers (commission) or payout shares (bonus). */
export function StepTable<S extends { fromBps: number }>({
  label,
  path,
  steps,
  valueField,
  valueHeader,
  unit,
  onChange,
  template,
  minRows = 0,
}: {
  label: string;
  path: string;
  steps: readonly S[];
  valueField: keyof S & string;
  valueHeader: string;
  unit: 'percent' | 'multiplier';
  onChange: (s: S[]) => void;
  template: (from: number) => S;
  minRows?: number;
}) {
  const set = (i: number, patch: Partial<S>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <RowsTable
      label={label}
      path={path}
      rows={steps}
      minRows={minRows}
      headers={['From attainment', valueHeader]}
      addLabel="Add step"
      onAdd={() => {
        const last = steps[steps.length - 1];
        onChange([...steps, template(last ? last.fromBps + 2_500 : 0)]);
      }}
      onRemove={(i) => onChange(steps.filter((_, j) => j !== i))}
      renderRow={(s, i) => {
        const v = s[valueField] as number;
        return [
          <PercentInput
            key="from"
            aria-label={`${label} step ${i + 1} from`}
            path={`${path}[${i}].fromBps`}
            value={s.fromBps}
            onChange={(n) => set(i, { fromBps: n } as Partial<S>)}
          />,
          unit === 'multiplier' ? (
            <MultiplierInput
              key="value"
              aria-label={`${label} step ${i + 1} ${valueHeader.toLowerCase()}`}
              path={`${path}[${i}].${valueField}`}
              value={v}
              onChange={(n) => set(i, { [valueField]: n } as Partial<S>)}
            />
          ) : (
            <PercentInput
              key="value"
              aria-label={`${label} step ${i + 1} ${valueHeader.toLowerCase()}`}
              path={`${path}[${i}].${valueField}`}
              value={v}
              onChange={(n) => set(i, { [valueField]: n } as Partial<S>)}
            />
          ),
        ];
      }}
    />
  );
}

/** Conditions that must all hold for a component to pay. */
export function GateFields({ path, gate, onChange }: { path: string; gate: Gate | null; onChange: (g: Gate | null) => void }) {
  return (
    <Stack gap="xs">
      <Switch
        label="Pays only when conditions are met (a gate)"
        checked={gate !== null}
        onChange={(e) => onChange(e.currentTarget.checked ? { minAttainmentBps: 5_000, metrics: [] } : null)}
      />
      {gate && (
        <Stack gap="xs" pl="lg">
          <PercentInput
            label="Minimum quota attainment in the period"
            description="Empty: no attainment condition."
            path={`${path}.minAttainmentBps`}
            nullable
            value={gate.minAttainmentBps}
            onChange={(v) => onChange({ ...gate, minAttainmentBps: v })}
            maw={280}
          />
          <RowsTable
            label="Metric conditions"
            path={`${path}.metrics`}
            rows={gate.metrics}
            headers={['Metric key', 'At least']}
            addLabel="Add metric condition"
            onAdd={() => onChange({ ...gate, metrics: [...gate.metrics, { metric: 'partner_joint_calls', min: 1 }] })}
            onRemove={(i) => onChange({ ...gate, metrics: gate.metrics.filter((_, j) => j !== i) })}
            renderRow={(m, i) => [
              <MetricKeyInput
                key="metric"
                path={`${path}.metrics[${i}].metric`}
                label={`Metric condition ${i + 1} key`}
                value={m.metric}
                onChange={(metric) => onChange({ ...gate, metrics: gate.metrics.map((x, j) => (j === i ? { ...x, metric } : x)) })}
              />,
              <PlainNumberInput
                key="min"
                aria-label={`Metric condition ${i + 1} minimum`}
                path={`${path}.metrics[${i}].min`}
                value={m.min}
                onChange={(min) => onChange({ ...gate, metrics: gate.metrics.map((x, j) => (j === i ? { ...x, min } : x)) })}
              />,
            ]}
          />
        </Stack>
      )}
    </Stack>
  );
}

function MetricKeyInput({ path, label, value, onChange }: { path: string; label: string; value: string; onChange: (v: string) => void }) {
  const error = useIssueAt(path);
  return <TextInput aria-label={label} value={value} error={error} onChange={(e) => onChange(e.currentTarget.value)} />;
}
