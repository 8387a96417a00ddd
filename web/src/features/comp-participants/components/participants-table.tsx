import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { AssignmentView, ParticipantView } from '../../../../../common/api/comp-plans.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { covers, periodText } from '../participant-dates.ts';

const dash = (v: string | null) => v ?? '—';

interface Props {
  items: ParticipantView[];
  currentPlans: ReadonlyMap<string, AssignmentView>;
  plansPending: boolean;
  today: string;
  emptyText: string;
}

export function ParticipantsTable({ items, currentPlans, plansPending, today, emptyText }: Props) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table aria-label="Participants" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>External ref</Table.Th>
            <Table.Th>Manager</Table.Th>
            <Table.Th>Team</Table.Th>
            <Table.Th>Unit</Table.Th>
            <Table.Th>Territory</Table.Th>
            <Table.Th>Active</Table.Th>
            <Table.Th>Plan today</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={8}>{emptyText}</EmptyRows>}
          {items.map((p) => {
            const plan = currentPlans.get(p.id);
            const active = covers(p.activeFrom, p.activeTo, today);
            return (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Link className="row-link" to={`/comp-plans/participants/${p.id}`}>
                    {p.displayName}
                  </Link>
                  {p.email && (
                    <Text fz="xs" c="dimmed">
                      {p.email}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" ff="monospace">
                    {p.externalRef}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {p.managerId && p.managerName ? (
                    <Anchor component={Link} to={`/comp-plans/participants/${p.managerId}`} fz="sm">
                      {p.managerName}
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{dash(p.team)}</Table.Td>
                <Table.Td>{dash(p.unit)}</Table.Td>
                <Table.Td>{dash(p.territory)}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text fz="sm">{periodText(p.activeFrom, p.activeTo)}</Text>
                    {!active && (
                      <Badge size="sm" variant="light" color="gray">
                        Inactive
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {plan ? (
                    <Anchor component={Link} to={`/comp-plans/${plan.planId}`} fz="sm">
                      {plan.planName}
                    </Anchor>
                  ) : (
                    <Text span fz="sm" c="dimmed">
                      {plansPending ? '…' : 'None'}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
