import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { NO_TEAM, type TeamCounts } from '../../../../../common/api/comp-rollout.ts';

const teamName = (team: string | null) => team ?? NO_TEAM;

/** Where each team stands: a stacked bar per team (sent, opened, acknowledged, disputed). */
export function RolloutTeamChart({ byTeam }: { byTeam: TeamCounts[] }) {
  const data = byTeam.map((t) => ({ team: teamName(t.team), sent: t.sent, opened: t.opened, acknowledged: t.acknowledged, disputed: t.disputed }));
  return (
    <Paper withBorder radius="md" p="md" role="figure" aria-label="Recipients by team and status">
      <Title order={2} fz="md" mb={4}>
        By team
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        Recipients of each team by where they are with their plan.
      </Text>
      <BarChart
        h={Math.max(180, 60 + data.length * 36)}
        data={data}
        dataKey="team"
        type="stacked"
        orientation="vertical"
        yAxisProps={{ width: 120 }}
        xAxisProps={{ allowDecimals: false }}
        withLegend
        series={[
          { name: 'acknowledged', label: 'Acknowledged', color: 'green.6' },
          { name: 'opened', label: 'Opened', color: 'blue.5' },
          { name: 'sent', label: 'Sent', color: 'gray.5' },
          { name: 'disputed', label: 'Disputed', color: 'orange.6' },
        ]}
      />
    </Paper>
  );
}

/** The same counts as a table, each team linking to its recipients. */
export function RolloutTeamTable({ byTeam, linkFor }: { byTeam: TeamCounts[]; linkFor: (team: string) => string }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped withTableBorder aria-label="Counts by team" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Team</Table.Th>
            {['Recipients', 'Sent', 'Opened', 'Acknowledged', 'Disputed', 'Overdue', 'Escalated'].map((h) => (
              <Table.Th key={h} style={{ textAlign: 'right' }}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {byTeam.map((t) => (
            <Table.Tr key={teamName(t.team)}>
              <Table.Td>
                <Anchor component={Link} to={linkFor(teamName(t.team))} fz="sm">
                  {teamName(t.team)}
                </Anchor>
              </Table.Td>
              {[t.total, t.sent, t.opened, t.acknowledged, t.disputed, t.overdue, t.escalated].map((n, i) => (
                <Table.Td key={i} style={{ textAlign: 'right' }}>
                  {n}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
