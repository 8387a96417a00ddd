import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import type { AccountOwnershipView } from '../../../../../common/api/accounts.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { formatDate } from '../../../lib/format.ts';
import { OwnershipKindBadge } from './account-labels.tsx';

interface OwnershipHistoryProps {
  history: AccountOwnershipView[];
  /** The id of the period that contains today, if any. */
  currentId: string | null;
}

/** Every ownership period, newest first. Periods are half-open: one ends on the day the next starts. */
export function OwnershipHistory({ history, currentId }: OwnershipHistoryProps) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group gap="xs" mb="sm">
        <Title order={2} fz="md">
          Ownership history
        </Title>
        <Text fz="xs" c="dimmed">
          {history.length} {history.length === 1 ? 'period' : 'periods'}; each ends on the day the next one starts
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={620}>
        <Table aria-label="Ownership history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Partner</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Starts on</Table.Th>
              <Table.Th>Ends on</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.length === 0 && <EmptyRows colSpan={5}>Nobody has owned this account yet.</EmptyRows>}
            {history.map((o) => (
              <Table.Tr key={o.id} aria-current={o.id === currentId ? 'true' : undefined}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <OwnershipKindBadge kind={o.kind} />
                    {o.id === currentId && (
                      <Badge size="sm" variant="light" color="green">
                        Current
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{o.partnerName ?? '—'}</Table.Td>
                <Table.Td>{o.ownerName ?? '—'}</Table.Td>
                <Table.Td>{formatDate(o.startsOn)}</Table.Td>
                <Table.Td>{o.endsOn ? formatDate(o.endsOn) : 'Open'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
