import { Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ReactivationTaskView } from '../../../../../common/api/partners-reengagement.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { formatDate } from '../../../lib/format.ts';
import { CloseTaskButton } from './close-task-button.tsx';

export function ReactivationTasksTable({ items, canClose }: { items: ReactivationTaskView[]; canClose: (t: ReactivationTaskView) => boolean }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label="Re-activation tasks" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Partner</Table.Th>
            <Table.Th>Assigned to</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Opened</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Reactivated</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={8}>No re-activation tasks.</EmptyRows>}
          {items.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <Link className="row-link" to={`/partners/${t.partnerId}`}>
                  {t.partnerName}
                </Link>
              </Table.Td>
              <Table.Td>{t.assignedToName ?? 'Unassigned'}</Table.Td>
              <Table.Td>
                <StatusBadge status={t.status} />
              </Table.Td>
              <Table.Td>{formatDate(t.createdAt)}</Table.Td>
              <Table.Td>
                <Text fz="xs">{t.reason}</Text>
              </Table.Td>
              <Table.Td>
                <Text fz="xs" c={t.outcome ? undefined : 'dimmed'}>
                  {t.outcome ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>{t.reactivatedAt ? formatDate(t.reactivatedAt) : '—'}</Table.Td>
              <Table.Td>{t.status === 'open' && canClose(t) ? <CloseTaskButton task={t} /> : null}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
