import { Table, Text } from '@mantine/core';
import { NO_TEAM, type RecipientView } from '../../../../../common/api/comp-rollout.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { RecipientStatusBadge } from './recipient-status-badge.tsx';

/** Recipients of a rollout: status, due date, when they opened or answered, reminders and escalation. */
export function RecipientsTable({ items }: { items: RecipientView[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped withTableBorder aria-label="Recipients" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Participant</Table.Th>
            <Table.Th>Team</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>Opened</Table.Th>
            <Table.Th>Answered</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Reminders</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={7}>No recipients match.</EmptyRows>}
          {items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Text fz="sm" fw={500}>
                  {r.participantName}
                </Text>
                <Text fz="xs" c="dimmed">
                  {r.externalRef}
                  {r.hasLogin ? '' : ' · no login'}
                  {r.joinedLate ? ' · joined late' : ''}
                </Text>
              </Table.Td>
              <Table.Td>{r.team ?? NO_TEAM}</Table.Td>
              <Table.Td>
                <RecipientStatusBadge recipient={r} />
              </Table.Td>
              <Table.Td>{formatDate(r.dueOn)}</Table.Td>
              <Table.Td>{formatDateTime(r.openedAt)}</Table.Td>
              <Table.Td>
                {r.status === 'acknowledged' ? formatDateTime(r.acknowledgedAt) : r.status === 'disputed' ? formatDateTime(r.disputedAt) : '—'}
                {r.status === 'disputed' && r.disputeComment && (
                  <Text fz="xs" c="dimmed" lineClamp={2}>
                    “{r.disputeComment}”
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{r.remindersSent}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
