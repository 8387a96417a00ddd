import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { DisputeSummary } from '../../../../../common/api/commissions-disputes.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { DisputeStatusBadge } from './dispute-status-badge.tsx';

/** Disputes as a table; partner users see no seller and no assignee columns. */
export function DisputeList({ items, detailPath }: { items: readonly DisputeSummary[]; detailPath: (id: string) => string }) {
  const internal = items.some((d) => d.audience === 'internal');
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table fz="sm" aria-label="Disputes" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Case</Table.Th>
            <Table.Th scope="col">Subject</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Registration</Table.Th>
            {internal && <Table.Th scope="col">Participant</Table.Th>}
            {internal && <Table.Th scope="col">Partner</Table.Th>}
            {internal && <Table.Th scope="col">Assignee</Table.Th>}
            <Table.Th scope="col">Last change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={internal ? 8 : 5}>
                <Text c="dimmed" ta="center" py="sm" fz="sm">
                  No disputes.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            items.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Anchor component={Link} to={detailPath(d.id)} fz="sm">
                    {d.reference}
                  </Anchor>
                </Table.Td>
                <Table.Td>{d.subject}</Table.Td>
                <Table.Td>
                  <DisputeStatusBadge status={d.status} outcome={d.outcome} />
                </Table.Td>
                <Table.Td>{d.registrationReference ?? '—'}</Table.Td>
                {d.audience === 'internal' && <Table.Td>{d.participantName ?? '—'}</Table.Td>}
                {d.audience === 'internal' && <Table.Td>{d.partner?.name ?? '—'}</Table.Td>}
                {d.audience === 'internal' && <Table.Td>{d.assignee?.name ?? 'Unassigned'}</Table.Td>}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.updatedAt)}</Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
