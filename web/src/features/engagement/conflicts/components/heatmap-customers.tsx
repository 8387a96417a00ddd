import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { HeatmapCustomer } from '../../../../../../common/api/engagement-conflicts.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { formatCountry } from '../../../../lib/format.ts';
import { money } from './conflict-format.ts';

export function TopCustomersChart({ customers }: { customers: HeatmapCustomer[] }) {
  const data = customers.slice(0, 10).map((c) => ({ customer: c.name, registrations: c.registrations, partners: c.partners, openConflicts: c.openConflicts }));
  return (
    <Paper withBorder radius="md" p="md" role="figure" aria-label="Top overlapping customers">
      <Title order={2} fz="md" mb={4}>
        Top overlapping customers
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        Partner registrations, distinct partners and open conflicts for the ten customers with the most overlap (the table below has the same numbers).
      </Text>
      <BarChart
        h={280}
        data={data}
        dataKey="customer"
        withLegend
        series={[
          { name: 'registrations', label: 'Registrations', color: 'blue.6' },
          { name: 'partners', label: 'Partners', color: 'teal.6' },
          { name: 'openConflicts', label: 'Open conflicts', color: 'orange.6' },
        ]}
      />
    </Paper>
  );
}

export function HeatmapCustomersTable({ customers }: { customers: HeatmapCustomer[] }) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table aria-label="Overlapping customers" striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th ta="right">Registrations</Table.Th>
            <Table.Th ta="right">Partners</Table.Th>
            <Table.Th>Direct-owned</Table.Th>
            <Table.Th ta="right">Open conflicts</Table.Th>
            <Table.Th>Registered value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.length === 0 && <EmptyRows colSpan={7}>No customer where direct and partner activity overlap in this period.</EmptyRows>}
          {customers.map((c) => (
            <Table.Tr key={c.key}>
              <Table.Td>
                {c.accountId ? (
                  <Anchor component={Link} to={`/accounts/${c.accountId}`} fz="sm">
                    {c.name}
                  </Anchor>
                ) : (
                  <Text fz="sm">{c.name}</Text>
                )}
              </Table.Td>
              <Table.Td>{formatCountry(c.country)}</Table.Td>
              <Table.Td ta="right">{c.registrations}</Table.Td>
              <Table.Td ta="right">{c.partners}</Table.Td>
              <Table.Td>
                {c.directOwned ? (
                  <Badge size="sm" color="grape" variant="light">
                    Direct
                  </Badge>
                ) : (
                  'No'
                )}
              </Table.Td>
              <Table.Td ta="right">{c.openConflicts}</Table.Td>
              <Table.Td>{c.values.map((v) => money(v.totalMinor, v.currency)).join(' · ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
