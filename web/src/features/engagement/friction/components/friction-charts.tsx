import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { FrictionReport, FrictionTrend } from '../../../../../../common/api/engagement-friction.ts';
import { groupLabel } from './friction-format.ts';

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** Response times per group with the SLA as a reference line; breach rates; renewal vs the rest over time. */
export function FrictionCharts({ report, trend }: { report: FrictionReport; trend: FrictionTrend | undefined }) {
  const responses = report.groups.map((g) => ({ group: groupLabel(g), median: round1(g.medianResponseHours), p90: round1(g.p90ResponseHours) }));
  const breaches = report.groups.map((g) => ({ group: groupLabel(g), breachRate: g.breachRate === null ? 0 : Math.round(g.breachRate * 1000) / 10 }));
  const sla = report.total.slaHours;
  const trendRows = new Map<
    string,
    { bucket: string; renewal: number | null; other: number | null; renewalBreach: number | null; otherBreach: number | null }
  >();
  for (const p of trend?.points ?? []) {
    const row = trendRows.get(p.bucket) ?? { bucket: p.bucket, renewal: null, other: null, renewalBreach: null, otherBreach: null };
    const breach = p.breachRate === null ? null : Math.round(p.breachRate * 1000) / 10;
    if (p.isRenewal) {
      row.renewal = round1(p.medianResponseHours);
      row.renewalBreach = breach;
    } else {
      row.other = round1(p.medianResponseHours);
      row.otherBreach = breach;
    }
    trendRows.set(p.bucket, row);
  }
  const trendData = [...trendRows.values()];
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Paper withBorder radius="md" p="md" role="figure" aria-label="Median and p90 hours to first response">
        <Title order={2} fz="md" mb={4}>
          Hours to first response
        </Title>
        <Text fz="xs" c="dimmed" mb="sm">
          Median and p90 over answered registrations{sla !== null ? `; the dashed line is the typical SLA (${Math.round(sla)} h)` : ''}.
        </Text>
        <BarChart
          h={260}
          data={responses}
          dataKey="group"
          series={[
            { name: 'median', label: 'Median', color: 'blue.6' },
            { name: 'p90', label: 'p90', color: 'indigo.3' },
          ]}
          unit=" h"
          withLegend
          referenceLines={sla !== null ? [{ y: Math.round(sla), label: 'SLA', color: 'red.6', strokeDasharray: '4 4' }] : []}
        />
      </Paper>
      <Paper withBorder radius="md" p="md" role="figure" aria-label="SLA breach rate">
        <Title order={2} fz="md" mb={4}>
          SLA breach rate
        </Title>
        <Text fz="xs" c="dimmed" mb="sm">
          Share of registrations whose SLA came due in the period that were answered late or not at all.
        </Text>
        <BarChart h={260} data={breaches} dataKey="group" series={[{ name: 'breachRate', label: 'Breach rate', color: 'red.6' }]} unit="%" />
      </Paper>
      <Paper withBorder radius="md" p="md" role="figure" aria-label="Renewals versus everything else over time" style={{ gridColumn: '1 / -1' }}>
        <Title order={2} fz="md" mb={4}>
          Renewals vs everything else
        </Title>
        <Text fz="xs" c="dimmed" mb="sm">
          Median hours to first response by submission {trend?.grain ?? 'month'}: is the organisation still answering only renewals?
        </Text>
        <LineChart
          h={260}
          data={trendData}
          dataKey="bucket"
          series={[
            { name: 'renewal', label: 'Renewals: median h', color: 'teal.6' },
            { name: 'other', label: 'Other scenarios: median h', color: 'orange.6' },
          ]}
          connectNulls
          withLegend
          unit=" h"
        />
      </Paper>
    </SimpleGrid>
  );
}
