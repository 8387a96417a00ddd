import { Button, Group, NumberInput, Paper, SegmentedControl, Select, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useCreatePeriod } from '../api/periods.ts';
import { periodLabel, periodRange, type PeriodKind } from '../commissions-format.ts';

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Open a commission period (a month, quarter or year); periods never overlap. */
export function PeriodForm({ defaultYear }: { defaultYear: number }) {
  const create = useCreatePeriod();
  const [kind, setKind] = useState<PeriodKind>('quarter');
  const [year, setYear] = useState<number>(defaultYear);
  const [index, setIndex] = useState('1');
  const range = periodRange(kind, year, kind === 'year' ? 1 : Number(index));
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="period-form-title">
      <Title id="period-form-title" order={2} fz="md" mb={4}>
        Open a period
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        A period is closed from a completed run over exactly its dates. Restatements of a closed period are booked in the next open one.
      </Text>
      <Group align="flex-end" gap="sm" mb="xs">
        <div>
          <Text component="span" fz="sm" fw={500} id="period-kind" display="block" mb={4}>
            Length
          </Text>
          <SegmentedControl
            aria-labelledby="period-kind"
            value={kind}
            onChange={(v) => {
              setKind(v === 'month' ? 'month' : v === 'year' ? 'year' : 'quarter');
              setIndex('1');
            }}
            data={[
              { value: 'month', label: 'Month' },
              { value: 'quarter', label: 'Quarter' },
              { value: 'year', label: 'Year' },
            ]}
          />
        </div>
        <NumberInput label="Year" value={year} onChange={(v) => setYear(typeof v === 'number' ? v : Number(v) || defaultYear)} min={2000} max={2100} w={110} />
        {kind !== 'year' && (
          <Select
            label={kind === 'quarter' ? 'Quarter' : 'Month'}
            data={
              kind === 'quarter' ? ['1', '2', '3', '4'].map((q) => ({ value: q, label: `Q${q}` })) : months.map((m, i) => ({ value: String(i + 1), label: m }))
            }
            value={index}
            onChange={(v) => setIndex(v ?? '1')}
            allowDeselect={false}
            w={150}
          />
        )}
        <Button
          loading={create.isPending}
          onClick={() =>
            create.mutate(range, {
              onSuccess: (p) => notifications.show({ color: 'green', message: `Period ${periodLabel(p.periodStart, p.periodEnd)} opened.` }),
            })
          }
        >
          Open {periodLabel(range.periodStart, range.periodEnd)}
        </Button>
      </Group>
      <FormError error={create.error} />
    </Paper>
  );
}
