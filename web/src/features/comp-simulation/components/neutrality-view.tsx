import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, Table, Text, Title } from '@mantine/core';
import type { SimulationPlanSummary, SimulationRunResult } from '../../../../../common/api/comp-simulation.ts';
import { chartMoney, major, money, signedMoney } from '../simulation-format.ts';

const perK = (v: number | null, cur: string) => (v === null ? 'no such deals' : money(v, cur));

/** One sentence per plan, from its numbers: does registering a deal with a partner pay the direct seller more, less or the same? */
function verdict(p: SimulationPlanSummary, cur: string): string {
  const n = p.neutrality;
  if (n.registrationIncentiveMinor === null)
    return `${p.planKey}: the period has no ${n.perThousand.direct === null ? 'direct' : 'partner-sourced'} seller deals to compare.`;
  if (n.registrationIncentiveMinor === 0) return `${p.planKey}: comp neutral — a seller earns the same on a partner-sourced deal as on a direct one.`;
  const more = n.registrationIncentiveMinor > 0;
  return `${p.planKey}: a seller earns ${money(Math.abs(n.registrationIncentiveMinor), cur)} ${more ? 'more' : 'less'} per 1,000 of deal value when a partner registered the deal — ${
    more ? 'an incentive to register and share deals' : 'a reason to keep deals away from partners'
  }.`;
}

/**
 * Comp neutrality: what paying direct sellers on partner-sourced deals costs under each plan, and
 * what a seller earns per 1,000 of deal value registered by a partner versus kept direct.
 */
export function NeutralityView({ result }: { result: SimulationRunResult }) {
  const cur = result.currency;
  const data = result.plans.map((p) => ({
    plan: p.planKey,
    direct: p.neutrality.perThousand.direct === null ? 0 : major(p.neutrality.perThousand.direct, cur),
    partnerSourced: p.neutrality.perThousand.partner_sourced === null ? 0 : major(p.neutrality.perThousand.partner_sourced, cur),
  }));
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="neutrality-title">
      <Title id="neutrality-title" order={2} fz="md" mb={4}>
        Comp neutrality
      </Title>
      <Text fz="sm" mb="sm" maw={900}>
        A plan is comp neutral when a direct seller earns at least as much on a deal a partner registered as on a deal they kept to themselves. If
        partner-sourced deals pay the seller less, every seller has a reason not to register and share deals with partners — the conflict that held the channel
        back. Paying sellers on partner-sourced deals costs money (the first column); the figures per 1,000 of deal value show the incentive it buys: the
        seller’s earnings on their credit from each kind of deal, over their share of those deals’ value.
      </Text>
      <Table.ScrollContainer minWidth={820}>
        <Table striped fz="sm" aria-label="Comp neutrality per plan">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Plan</Table.Th>
              <Table.Th scope="col" ta="right">
                Cost of paying sellers on partner-sourced deals
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Seller pay per 1,000 partner-sourced
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Seller pay per 1,000 direct
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Seller pay per 1,000 partner-influenced
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Incentive to register
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.plans.map((p) => (
              <Table.Tr key={p.planKey}>
                <Table.Th scope="row" fw={500}>
                  {p.planKey}
                </Table.Th>
                <Table.Td ta="right">{money(p.neutrality.partnerSourcedCostMinor, cur)}</Table.Td>
                <Table.Td ta="right">{perK(p.neutrality.perThousand.partner_sourced, cur)}</Table.Td>
                <Table.Td ta="right">{perK(p.neutrality.perThousand.direct, cur)}</Table.Td>
                <Table.Td ta="right">{perK(p.neutrality.perThousand.partner_influenced, cur)}</Table.Td>
                <Table.Td ta="right">
                  {p.neutrality.registrationIncentiveMinor === null ? 'n/a' : signedMoney(p.neutrality.registrationIncentiveMinor, cur)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <div role="figure" aria-label={`Bar chart: seller pay per 1,000 of deal value, partner-sourced versus direct, per plan, in ${cur}`}>
        <BarChart
          h={240}
          mt="md"
          data={data}
          dataKey="plan"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          valueFormatter={(v) => chartMoney(v, cur)}
          series={[
            { name: 'partnerSourced', label: 'Per 1,000 registered by a partner', color: 'teal.6' },
            { name: 'direct', label: 'Per 1,000 kept direct', color: 'gray.6' },
          ]}
        />
      </div>
      <ul aria-label="What each plan means for registering deals">
        {result.plans.map((p) => (
          <li key={p.planKey}>
            <Text fz="sm">{verdict(p, cur)}</Text>
          </li>
        ))}
      </ul>
    </Paper>
  );
}
