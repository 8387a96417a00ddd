import { Alert, Group, List, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { FrictionGroupBy, FrictionRow } from '../../../../common/api/engagement-friction.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useFriction } from '../../features/engagement/friction/api/get-friction.ts';
import { useFrictionTrend } from '../../features/engagement/friction/api/get-friction-trend.ts';
import { FrictionCharts } from '../../features/engagement/friction/components/friction-charts.tsx';
import { groupLabel, hours, percent, stallLabels } from '../../features/engagement/friction/components/friction-format.ts';
import { FrictionTable } from '../../features/engagement/friction/components/friction-table.tsx';
import { GroupByControl, PeriodPicker, presetPeriods } from '../../features/engagement/friction/components/period-picker.tsx';

const groupHeadings: Record<FrictionGroupBy, string> = { scenario: 'Scenario', unit: 'Owning unit', scenario_unit: 'Scenario · unit' };

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700}>
        {value}
      </Text>
      {hint && (
        <Text fz="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function StallHighlights({ rows }: { rows: FrictionRow[] }) {
  const stalled = rows.filter((r) => r.stalled);
  if (stalled.length === 0) {
    return (
      <Alert color="green" variant="light" title="No stalls in this period">
        Every group answered within its SLA often enough.
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      title={`Partner-brought work stalls in ${stalled.length} ${stalled.length === 1 ? 'place' : 'places'}`}
      icon={<IconAlertTriangle size={18} aria-hidden />}
    >
      <List size="sm" spacing={2}>
        {stalled.map((r) => (
          <List.Item key={groupLabel(r)}>
            <strong>{groupLabel(r)}</strong>: {r.stallReasons.map((s) => stallLabels[s]).join('; ')} (breach rate {percent(r.breachRate)}, median{' '}
            {hours(r.medianResponseHours)}
            {r.waiting > 0 ? `, ${r.waiting} waiting` : ''})
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

export function FrictionPage() {
  const today = new Date();
  const [params, setParams] = useSearchParams();
  const fallback = presetPeriods(today)[1]?.period ?? { from: '2026-01-01', to: '2026-04-01' };
  const from = params.get('from') ?? fallback.from;
  const to = params.get('to') ?? fallback.to;
  const groupBy = (['scenario', 'unit', 'scenario_unit'].includes(params.get('groupBy') ?? '') ? params.get('groupBy') : 'scenario') as FrictionGroupBy;
  const grain = params.get('grain') === 'week' ? 'week' : 'month';
  const [tierText, setTierText] = useState(params.get('tier') ?? '');
  const [regionText, setRegionText] = useState(params.get('region') ?? '');
  const [tier] = useDebouncedValue(tierText.trim(), 300);
  const [region] = useDebouncedValue(regionText.trim(), 300);

  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  const filters = { from, to, tier: tier || undefined, region: region || undefined };
  const report = useFriction({ ...filters, groupBy });
  const trend = useFrictionTrend({ ...filters, grain });

  return (
    <>
      <PageHeader
        title="Friction"
        description="How the organisation treats partner-brought work: response times, SLA breaches, approval and win rates by scenario and owning unit."
        crumbs={[{ label: 'Engagement' }, { label: 'Friction' }]}
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <Group align="flex-end" gap="lg" wrap="wrap">
            <PeriodPicker value={{ from, to }} onChange={(p) => set({ from: p.from, to: p.to })} today={today} />
            <GroupByControl value={groupBy} onChange={(v) => set({ groupBy: v })} />
            <TextInput label="Partner tier" placeholder="any" value={tierText} onChange={(e) => setTierText(e.currentTarget.value)} w={130} />
            <TextInput label="Region" placeholder="any" value={regionText} onChange={(e) => setRegionText(e.currentTarget.value)} w={130} />
            <Stack gap={4}>
              <Text fz="sm" fw={500} id="friction-grain">
                Trend by
              </Text>
              <SegmentedControl
                aria-labelledby="friction-grain"
                value={grain}
                onChange={(v) => set({ grain: v })}
                data={[
                  { value: 'week', label: 'Week' },
                  { value: 'month', label: 'Month' },
                ]}
              />
            </Stack>
          </Group>
        </Paper>
        {report.isPending ? (
          <TableSkeleton />
        ) : report.isError ? (
          <QueryError error={report.error} onRetry={() => void report.refetch()} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 2, md: 5 }} spacing="sm">
              <Kpi label="Received" value={String(report.data.total.received)} hint={`${report.data.total.waiting} still waiting`} />
              <Kpi label="Median response" value={hours(report.data.total.medianResponseHours)} hint={`p90 ${hours(report.data.total.p90ResponseHours)}`} />
              <Kpi
                label="SLA breach rate"
                value={percent(report.data.total.breachRate)}
                hint={`${report.data.total.slaBreached} of ${report.data.total.slaDue} due`}
              />
              <Kpi label="Approval rate" value={percent(report.data.total.approvalRate)} />
              <Kpi label="Win rate" value={percent(report.data.total.winRate)} />
            </SimpleGrid>
            <StallHighlights rows={[...report.data.groups, ...report.data.renewal]} />
            <FrictionCharts report={report.data} trend={trend.data} />
            {trend.isError && <QueryError error={trend.error} title="Could not load the trend" onRetry={() => void trend.refetch()} />}
            <Paper withBorder radius="md" p="md">
              <Title order={2} fz="md" mb="sm">
                By {groupHeadings[groupBy].toLowerCase()}
              </Title>
              <FrictionTable rows={report.data.groups} label={`Friction by ${groupHeadings[groupBy].toLowerCase()}`} groupHeading={groupHeadings[groupBy]} />
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Title order={2} fz="md" mb={4}>
                Renewals vs everything else
              </Title>
              <Text fz="xs" c="dimmed" mb="sm">
                The case behind Realign: a unit that answered renewals and ignored every other scenario.
              </Text>
              <FrictionTable rows={[...report.data.renewal, report.data.total]} label="Renewals versus other scenarios" groupHeading="Scenarios" />
            </Paper>
            <Text fz="xs" c="dimmed">
              Response times count answered registrations only; unanswered ones are shown as waiting with their age. Values are per currency. As of{' '}
              {new Date(report.data.asOf).toLocaleString()}.
            </Text>
          </>
        )}
      </Stack>
    </>
  );
}
