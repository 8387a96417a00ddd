import { ActionIcon, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { UserView } from '../../../../../common/api/identity.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { RoleBadges } from '../../../components/ui/role-badges.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';

interface UsersTableProps {
  items: UserView[];
  emptyText: string;
  onEdit: (user: UserView) => void;
}

export function UsersTable({ items, emptyText, onEdit }: UsersTableProps) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Partner</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th w={48}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={8}>{emptyText}</EmptyRows>}
          {items.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td fw={500}>{u.displayName}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>
                <RoleBadges roles={u.roles} />
              </Table.Td>
              <Table.Td>
                {u.partnerId && u.partnerName ? (
                  <Link className="row-link" to={`/partners/${u.partnerId}`} style={{ fontWeight: 500 }}>
                    {u.partnerName}
                  </Link>
                ) : (
                  <Text fz="sm" c="dimmed">
                    Internal
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={u.status} />
              </Table.Td>
              <Table.Td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Never'}</Table.Td>
              <Table.Td>{formatDate(u.createdAt)}</Table.Td>
              <Table.Td>
                <Tooltip label="Edit user">
                  <ActionIcon variant="subtle" color="gray.7" aria-label={`Edit ${u.displayName}`} onClick={() => onEdit(u)}>
                    <IconPencil size={16} aria-hidden />
                  </ActionIcon>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
