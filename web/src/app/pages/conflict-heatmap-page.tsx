import { Anchor, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useConflictHeatmap } from '../../features/engagement/conflicts/api/get-conflict-heatmap.ts';
import { HeatmapCustomersTable, TopCustomersChart } from '../../features/engagement/conflicts/components/heatmap-customers.tsx';
import { HeatmapGrid } from '../../features/engagement/conflicts/components/heatmap-grid.tsx';

const isDate = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);

export function ConflictHeatmapPage() {
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const grid = params.get('grid') === 'segment' ? 'segment' : 'country';
  const map = useConflictHeatmap({ from: isDate(from) ? from : undefined, to: isDate(to) ? to : undefined, limit: 100 });
  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Conflict heat map"
        description="Customers where direct and partner activity overlap: direct-owned accounts with partner registrations, customers several partners registered, and customers with conflicts."
        crumbs={[{ label: 'Engagement' }, { label: 'Conflicts', to: '/engagement/conflicts' }, { label: 'Heat map' }]}
        actions={
          <Anchor component={Link} to="/engagement/conflicts" fz="sm">
            Conflict queue
          </Anchor>
        }
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <Group align="flex-end" gap="lg" wrap="wrap">
            <TextInput
              type="date"
              label="From"
              value={map.data?.from ?? from ?? ''}
              onChange={(e) => set({ from: e.currentTarget.value || undefined })}
              w={170}
            />
            <TextInput
              type="date"
              label="To (exclusive)"
              value={map.data?.to ?? to ?? ''}
              onChange={(e) => set({ to: e.currentTarget.value || undefined })}
              w={170}
            />
            <Stack gap={4}>
              <Text fz="sm" fw={500} id="heatmap-grid">
                Columns
              </Text>
              <SegmentedControl
                aria-labelledby="heatmap-grid"
                value={grid}
                onChange={(v) => set({ grid: v === 'segment' ? 'segment' : undefined })}
                data={[
                  { value: 'country', label: 'Country' },
                  { value: 'segment', label: 'Segment' },
                ]}
              />
            </Stack>
            {map.data && (
              <Text fz="sm" c="dimmed">
                {map.data.totalCustomers} overlapping customer{map.data.totalCustomers === 1 ? '' : 's'}
              </Text>
            )}
          </Group>
        </Paper>
        {map.isPending ? (
          <TableSkeleton />
        ) : map.isError ? (
          <QueryError error={map.error} onRetry={() => void map.refetch()} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
              <Paper withBorder radius="md" p="md">
                <Title order={2} fz="md" mb="xs">
                  Scenario × {grid}
                </Title>
                <HeatmapGrid
                  cells={grid === 'segment' ? map.data.bySegment : map.data.byCountry}
                  columnHeading={grid === 'segment' ? 'Account segment' : 'Country'}
                  label={`Overlap by scenario and ${grid}`}
                />
              </Paper>
              <TopCustomersChart customers={map.data.customers} />
            </SimpleGrid>
            <Paper withBorder radius="md" p="md">
              <Title order={2} fz="md" mb="xs">
                Overlapping customers
              </Title>
              <HeatmapCustomersTable customers={map.data.customers} />
            </Paper>
          </>
        )}
      </Stack>
    </>
  );
}
