import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { ReengagementSummaryView } from '../../../../../common/api/partners-reengagement.ts';

/** Quiet vs reactivated, per month and per channel manager: a chart and the same numbers as a table. */
export function ReengagementCharts({ summary }: { summary: ReengagementSummaryView }) {
  const managers = summary.byChannelManager.map((m) => ({
    manager: m.name ?? 'Unassigned',
    quiet: m.quiet,
    openTasks: m.openTasks,
    reactivated: m.reactivated,
  }));
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Paper withBorder radius="md" p="md" role="figure" aria-label="Tasks opened and partners reactivated per month">
        <Title order={2} fz="md" mb={4}>
          Per month
        </Title>
        <Text fz="xs" c="dimmed" mb="sm">
          Re-activation tasks opened for quiet partners, and partners that registered a deal again after one.
        </Text>
        <BarChart
          h={240}
          data={summary.byMonth}
          dataKey="month"
          series={[
            { name: 'tasksOpened', label: 'Went quiet (tasks opened)', color: 'orange.6' },
            { name: 'reactivated', label: 'Reactivated', color: 'teal.6' },
          ]}
          withLegend
        />
      </Paper>
      <Paper withBorder radius="md" p="md" role="figure" aria-label="Quiet and reactivated partners per channel manager">
        <Title order={2} fz="md" mb={4}>
          Per channel manager
        </Title>
        <Text fz="xs" c="dimmed" mb="sm">
          Quiet now, open tasks, and reactivated in the period.
        </Text>
        <BarChart
          h={240}
          data={managers}
          dataKey="manager"
          series={[
            { name: 'quiet', label: 'Quiet now', color: 'orange.6' },
            { name: 'openTasks', label: 'Open tasks', color: 'gray.5' },
            { name: 'reactivated', label: 'Reactivated', color: 'teal.6' },
          ]}
          withLegend
        />
        <Table aria-label="Re-engagement per channel manager" mt="sm" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Channel manager</Table.Th>
              <Table.Th ta="right">Quiet now</Table.Th>
              <Table.Th ta="right">Open tasks</Table.Th>
              <Table.Th ta="right">Reactivated</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {managers.map((m) => (
              <Table.Tr key={m.manager}>
                <Table.Td>{m.manager}</Table.Td>
                <Table.Td ta="right">{m.quiet}</Table.Td>
                <Table.Td ta="right">{m.openTasks}</Table.Td>
                <Table.Td ta="right">{m.reactivated}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </SimpleGrid>
  );
}
