import { Button, Group, NumberInput, Paper, SegmentedControl, Select, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { CreateCommissionRunRequest } from '../../../../../common/api/commissions-runs.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { periodLabel, periodRange, type PeriodKind } from '../commissions-format.ts';

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Pick a year, quarter or month and start a period run for it. */
export function RunForm({
  pending,
  error,
  onStart,
  defaultYear,
}: {
  pending: boolean;
  error: unknown;
  onStart: (r: CreateCommissionRunRequest) => void;
  defaultYear: number;
}) {
  const [kind, setKind] = useState<PeriodKind>('quarter');
  const [year, setYear] = useState<number>(defaultYear);
  const [quarter, setQuarter] = useState('1');
  const [month, setMonth] = useState('1');
  const index = kind === 'quarter' ? Number(quarter) : kind === 'month' ? Number(month) : 1;
  const range = periodRange(kind, year, index);
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="run-form-title">
      <Title id="run-form-title" order={2} fz="md" mb={4}>
        Start a period run
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        Calculates credit, attainment and payouts for every participant with a plan assignment. The period must be whole payout periods of every plan.
      </Text>
      <Group align="flex-end" gap="sm">
        <div>
          <Text component="span" fz="sm" fw={500} id="run-period-kind" display="block" mb={4}>
            Period
          </Text>
          <SegmentedControl
            aria-labelledby="run-period-kind"
            value={kind}
            onChange={(v) => setKind(v === 'month' ? 'month' : v === 'year' ? 'year' : 'quarter')}
            data={[
              { value: 'month', label: 'Month' },
              { value: 'quarter', label: 'Quarter' },
              { value: 'year', label: 'Year' },
            ]}
          />
        </div>
        <NumberInput label="Year" value={year} onChange={(v) => setYear(typeof v === 'number' ? v : Number(v) || defaultYear)} min={2000} max={2100} w={110} />
        {kind === 'quarter' && (
          <Select
            label="Quarter"
            data={['1', '2', '3', '4'].map((q) => ({ value: q, label: `Q${q}` }))}
            value={quarter}
            onChange={(v) => setQuarter(v ?? '1')}
            allowDeselect={false}
            w={110}
          />
        )}
        {kind === 'month' && (
          <Select
            label="Month"
            data={months.map((m, i) => ({ value: String(i + 1), label: m }))}
            value={month}
            onChange={(v) => setMonth(v ?? '1')}
            allowDeselect={false}
            w={160}
          />
        )}
        <Button loading={pending} onClick={() => onStart(range)}>
          Start run for {periodLabel(range.periodStart, range.periodEnd)}
        </Button>
      </Group>
      <Text fz="xs" c="dimmed" mt={6}>
        {range.periodStart} up to (not including) {range.periodEnd}
      </Text>
      <FormError error={error} />
    </Paper>
  );
}
