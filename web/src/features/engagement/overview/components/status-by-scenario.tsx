import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, Table, Text, Title } from '@mantine/core';
import type { RegistrationStatusName } from '../../../../../../common/api/engagement-registrations.ts';
import type { RegistrationSummary } from '../../../../../../common/api/engagement-summary.ts';
import { formatInteger } from '../../../../lib/format.ts';
import { registrationStatusLabels } from '../../registrations/components/registration-status-badge.tsx';

/** Internal users see the real status names: "Submitted" rather than the partner's "Awaiting review". */
const internalLabels: Record<RegistrationStatusName, string> = { ...registrationStatusLabels, submitted: 'Submitted' };

const colours: Record<RegistrationStatusName, string> = {
  draft: 'gray.4',
  submitted: 'blue.6',
  under_review: 'indigo.5',
  more_info_requested: 'yellow.6',
  approved: 'lime.6',
  rejected: 'red.6',
  expired: 'orange.6',
  won: 'teal.9',
  lost: 'gray.6',
  withdrawn: 'gray.8',
};

/** Registrations by scenario, stacked by status: a chart to compare at a glance, and the table with the exact numbers. */
export function StatusByScenario({ summary }: { summary: RegistrationSummary }) {
  const statuses = summary.byStatus.map((s) => s.status);
  const present = statuses.filter((s) => (summary.byStatus.find((x) => x.status === s)?.count ?? 0) > 0);
  const data = summary.byScenario.map((row) => ({
    scenario: row.scenario.name,
    ...Object.fromEntries(row.byStatus.map((s) => [s.status, s.count])),
  }));
  return (
    <Paper withBorder radius="md" p="md" mb="md">
      <Title order={2} fz="md" mb={4}>
        Registrations by scenario and status
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        Every registration so far, {formatInteger(summary.total)} in all{summary.scope === 'routed' ? ', of those routed to you' : ''}.
      </Text>
      {summary.total === 0 ? (
        <Text c="dimmed" fz="sm">
          No registrations yet.
        </Text>
      ) : (
        <div role="figure" aria-label="Bar chart: registrations by scenario, stacked by status">
          <BarChart
            h={280}
            data={data}
            dataKey="scenario"
            type="stacked"
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            series={present.map((s) => ({ name: s, label: internalLabels[s], color: colours[s] }))}
          />
        </div>
      )}
      <Table.ScrollContainer minWidth={900} mt="md">
        <Table striped highlightOnHover fz="sm" aria-label="Registrations by scenario and status">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Scenario</Table.Th>
              {statuses.map((s) => (
                <Table.Th key={s} scope="col" ta="right">
                  {internalLabels[s]}
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="right">
                Total
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.byScenario.map((row) => (
              <Table.Tr key={row.scenario.key}>
                <Table.Th scope="row" fw={500}>
                  {row.scenario.name}
                </Table.Th>
                {row.byStatus.map((s) => (
                  <Table.Td key={s.status} ta="right" c={s.count === 0 ? 'dimmed' : undefined}>
                    {formatInteger(s.count)}
                  </Table.Td>
                ))}
                <Table.Td ta="right" fw={600}>
                  {formatInteger(row.total)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row">All scenarios</Table.Th>
              {summary.byStatus.map((s) => (
                <Table.Td key={s.status} ta="right" fw={600}>
                  {formatInteger(s.count)}
                </Table.Td>
              ))}
              <Table.Td ta="right" fw={700}>
                {formatInteger(summary.total)}
              </Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
