import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, Table, Text, Title } from '@mantine/core';
import type { SimulationRunResult } from '../../../../../common/api/comp-simulation.ts';
import { compactMoney, money, planColours } from '../simulation-format.ts';

/** How earnings are spread over participants under each plan: a histogram on the same bands for every plan, and the percentiles. */
export function DistributionChart({ result }: { result: SimulationRunResult }) {
  const cur = result.currency;
  const bands = result.plans[0]?.distribution.buckets ?? [];
  const data = bands.map((b, i) => ({
    band: `${compactMoney(b.fromMinor, cur)}–${compactMoney(b.toMinor, cur)}`,
    ...Object.fromEntries(result.plans.map((p, k) => [`plan${k}`, p.distribution.buckets[i]?.count ?? 0])),
  }));
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="distribution-title">
      <Title id="distribution-title" order={2} fz="md" mb={4}>
        Distribution of earnings
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        Participants by what they earn in the period under each plan (the same earnings bands for every plan).
      </Text>
      {data.length === 0 ? (
        <Text c="dimmed" fz="sm">
          No participants were simulated.
        </Text>
      ) : (
        <div role="figure" aria-label="Histogram: number of participants per earnings band, one bar per plan">
          <BarChart
            h={280}
            data={data}
            dataKey="band"
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            series={result.plans.map((p, k) => ({ name: `plan${k}`, label: p.planKey, color: planColours[k % planColours.length] ?? 'gray.6' }))}
          />
        </div>
      )}
      <Table fz="sm" mt="md" aria-label="Earnings percentiles per plan">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Plan</Table.Th>
            {['Lowest', '10th percentile', 'Median', '90th percentile', 'Highest'].map((h) => (
              <Table.Th key={h} scope="col" ta="right">
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.plans.map((p) => (
            <Table.Tr key={p.planKey}>
              <Table.Th scope="row" fw={500}>
                {p.planKey}
              </Table.Th>
              {[p.distribution.minMinor, p.distribution.p10Minor, p.distribution.p50Minor, p.distribution.p90Minor, p.distribution.maxMinor].map((v, i) => (
                <Table.Td key={i} ta="right">
                  {money(v, cur)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
