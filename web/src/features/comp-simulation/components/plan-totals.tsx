import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, Table, Text, Title } from '@mantine/core';
import type { SimulationRunResult } from '../../../../../common/api/comp-simulation.ts';
import { formatInteger } from '../../../lib/format.ts';
import { chartMoney, major, money, percent, signedMoney } from '../simulation-format.ts';

/** Totals per plan: what it costs, against what revenue, and what it pays for partner-sourced and non-renewal business. */
export function PlanTotals({ result }: { result: SimulationRunResult }) {
  const cur = result.currency;
  const data = result.plans.map((p) => ({
    plan: p.planKey,
    cost: major(p.totalCostMinor, cur),
    partnerSourced: major(p.attribution.partnerSourcedMinor, cur),
    nonRenewal: major(p.attribution.nonRenewalMinor, cur),
  }));
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="totals-title">
      <Title id="totals-title" order={2} fz="md" mb={4}>
        Totals per plan
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        Cost is every participant’s earnings under the plan; cost of sales is that cost over the revenue of the period’s transactions.
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table striped fz="sm" aria-label="Totals per plan">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Plan</Table.Th>
              <Table.Th scope="col" ta="right">
                Total cost
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Change
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Revenue
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Cost of sales
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Partner-sourced pay
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Non-renewal pay
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Paid
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Winners / losers
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.plans.map((p) => (
              <Table.Tr key={p.planKey}>
                <Table.Th scope="row" fw={500}>
                  {p.name}
                  <Text fz="xs" c="dimmed">
                    {p.planKey}
                    {p.baseline ? ' · baseline' : ''}
                  </Text>
                </Table.Th>
                <Table.Td ta="right">{money(p.totalCostMinor, cur)}</Table.Td>
                <Table.Td ta="right">{p.baseline ? '—' : `${signedMoney(p.changeMinor, cur)} (${percent(p.changeBps, true)})`}</Table.Td>
                <Table.Td ta="right">{money(p.revenueMinor, cur)}</Table.Td>
                <Table.Td ta="right">{percent(p.costOfSalesBps)}</Table.Td>
                <Table.Td ta="right">{money(p.attribution.partnerSourcedMinor, cur)}</Table.Td>
                <Table.Td ta="right">{money(p.attribution.nonRenewalMinor, cur)}</Table.Td>
                <Table.Td ta="right">{formatInteger(p.participantsPaid)}</Table.Td>
                <Table.Td ta="right">{p.baseline ? '—' : `${formatInteger(p.winners.length)} / ${formatInteger(p.losers.length)}`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <div role="figure" aria-label={`Bar chart: total cost, partner-sourced pay and non-renewal pay per plan, in ${cur}`}>
        <BarChart
          h={260}
          mt="md"
          data={data}
          dataKey="plan"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          valueFormatter={(v) => chartMoney(v, cur)}
          series={[
            { name: 'cost', label: `Total cost (${cur})`, color: 'realign.7' },
            { name: 'partnerSourced', label: `Partner-sourced pay (${cur})`, color: 'teal.6' },
            { name: 'nonRenewal', label: `Non-renewal pay (${cur})`, color: 'orange.6' },
          ]}
        />
      </div>
    </Paper>
  );
}
