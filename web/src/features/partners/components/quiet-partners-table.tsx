import { Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { QuietPartnerView } from '../../../../../common/api/partners-reengagement.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { formatDate } from '../../../lib/format.ts';

export function QuietPartnersTable({ items }: { items: QuietPartnerView[] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label="Quiet partners" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Partner</Table.Th>
            <Table.Th>Tier</Table.Th>
            <Table.Th>Channel manager</Table.Th>
            <Table.Th>Last engagement</Table.Th>
            <Table.Th ta="right">Quiet for</Table.Th>
            <Table.Th>Task</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={6}>No partner has gone quiet.</EmptyRows>}
          {items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Link className="row-link" to={`/partners/${p.id}`}>
                  {p.name}
                </Link>
              </Table.Td>
              <Table.Td>{p.tier}</Table.Td>
              <Table.Td>
                <Text fz="sm" c={p.channelManagerName ? undefined : 'dimmed'}>
                  {p.channelManagerName ?? 'Unassigned'}
                </Text>
              </Table.Td>
              <Table.Td>{p.lastEngagementAt ? formatDate(p.lastEngagementAt) : 'Never'}</Table.Td>
              <Table.Td ta="right">{p.quietForDays} days</Table.Td>
              <Table.Td>
                {p.openTaskId ? (
                  <Badge size="sm" variant="light" color="orange">
                    Open
                  </Badge>
                ) : (
                  <Text fz="xs" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
