import { Group, Paper, Table, Text, Title } from '@mantine/core';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { RoleBadges } from '../../../components/ui/role-badges.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePartnerUsers } from '../api/list-partner-users.ts';

export function PartnerUsers({ partnerId }: { partnerId: string }) {
  const users = usePartnerUsers(partnerId);
  const items = users.data?.items ?? [];
  return (
    <Paper withBorder radius="md" p="md">
      <Group gap="xs" mb="sm">
        <Title order={2} fz="md">
          Users
        </Title>
        {users.data && (
          <Text fz="xs" c="dimmed">
            {items.length} {items.length === 1 ? 'user' : 'users'} with access to the partner portal
          </Text>
        )}
      </Group>
      {users.isPending ? (
        <TableSkeleton rows={3} />
      ) : users.isError ? (
        <QueryError error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Partner users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Last sign-in</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && <EmptyRows colSpan={5}>No users belong to this partner yet.</EmptyRows>}
              {items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td fw={500}>{u.displayName}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <RoleBadges roles={u.roles} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={u.status} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(u.lastLoginAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
