import { Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';

export interface Period {
  from: string;
  to: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Quick periods relative to today (UTC), half-open: `to` is the day after the last day. */
export function presetPeriods(today: Date): { label: string; period: Period }[] {
  const t = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const tomorrow = new Date(t.getTime() + 86_400_000);
  const back = (days: number) => new Date(tomorrow.getTime() - days * 86_400_000);
  const quarterStart = new Date(Date.UTC(t.getUTCFullYear(), Math.floor(t.getUTCMonth() / 3) * 3, 1));
  return [
    { label: 'Last 30 days', period: { from: iso(back(30)), to: iso(tomorrow) } },
    { label: 'Last 90 days', period: { from: iso(back(90)), to: iso(tomorrow) } },
    { label: 'This quarter', period: { from: iso(quarterStart), to: iso(tomorrow) } },
    { label: 'Last 12 months', period: { from: iso(back(365)), to: iso(tomorrow) } },
  ];
}

export function PeriodPicker({ value, onChange, today }: { value: Period; onChange: (p: Period) => void; today: Date }) {
  // The form shows the last day inclusively; the API takes the day after.
  const lastDay = iso(new Date(Date.parse(`${value.to}T00:00:00Z`) - 86_400_000));
  return (
    <Stack gap={6}>
      <Group align="flex-end" gap="sm">
        <TextInput
          type="date"
          label="From"
          value={value.from}
          onChange={(e) => e.currentTarget.value && onChange({ ...value, from: e.currentTarget.value })}
          w={170}
        />
        <TextInput
          type="date"
          label="To (inclusive)"
          value={lastDay}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v) onChange({ ...value, to: iso(new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000)) });
          }}
          w={170}
        />
        <Group gap={4}>
          {presetPeriods(today).map((p) => (
            <Button
              key={p.label}
              size="xs"
              variant={p.period.from === value.from && p.period.to === value.to ? 'light' : 'default'}
              onClick={() => onChange(p.period)}
            >
              {p.label}
            </Button>
          ))}
        </Group>
      </Group>
      <Text fz="xs" c="dimmed">
        Dates are UTC calendar days.
      </Text>
    </Stack>
  );
}

export function GroupByControl({ value, onChange }: { value: string; onChange: (v: 'scenario' | 'unit' | 'scenario_unit') => void }) {
  return (
    <Stack gap={4}>
      <Text fz="sm" fw={500} id="friction-group-by">
        Group by
      </Text>
      <SegmentedControl
        aria-labelledby="friction-group-by"
        value={value}
        onChange={(v) => onChange(v as 'scenario' | 'unit' | 'scenario_unit')}
        data={[
          { value: 'scenario', label: 'Scenario' },
          { value: 'unit', label: 'Owning unit' },
          { value: 'scenario_unit', label: 'Scenario × unit' },
        ]}
      />
    </Stack>
  );
}
