import { ActionIcon, Button, Group, Modal, Paper, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { UserView } from '../../../../../common/api/identity.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { RoleBadges } from '../../../components/ui/role-badges.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useCreateUser } from '../../identity/api/create-user.ts';
import { useCurrentSession } from '../../identity/api/get-session.ts';
import { CreateUserForm } from '../../identity/components/create-user-form.tsx';
import { EditUserModal } from '../../identity/components/edit-user-modal.tsx';
import { usePartnerUsers } from '../api/list-partner-users.ts';
import { canManagePartnerUsers } from '../partner-permissions.ts';

export function PartnerUsers({ partnerId }: { partnerId: string }) {
  const { user: me } = useCurrentSession();
  const canManage = canManagePartnerUsers(me, partnerId);
  const users = usePartnerUsers(partnerId);
  const items = users.data?.items ?? [];
  const [creating, { open, close }] = useDisclosure(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const create = useCreateUser();
  const dismiss = () => {
    create.reset();
    close();
  };
  const colSpan = canManage ? 6 : 5;
  return (
    <Paper withBorder radius="md" p="md">
      <Group gap="xs" mb="sm" justify="space-between">
        <Group gap="xs">
          <Title order={2} fz="md">
            Users
          </Title>
          {users.data && (
            <Text fz="xs" c="dimmed">
              {items.length} {items.length === 1 ? 'user' : 'users'} with access to the partner portal
            </Text>
          )}
        </Group>
        {canManage && (
          <Button size="xs" variant="light" leftSection={<IconUserPlus size={14} aria-hidden />} onClick={open}>
            Add user
          </Button>
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
                {canManage && (
                  <Table.Th w={48}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && <EmptyRows colSpan={colSpan}>No users belong to this partner yet.</EmptyRows>}
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
                  {canManage && (
                    <Table.Td>
                      {/* No self-edit here: a partner admin could otherwise disable or demote themselves. */}
                      {u.id !== me.id && (
                        <Tooltip label="Change role or status">
                          <ActionIcon variant="subtle" color="gray.7" aria-label={`Edit ${u.displayName}`} onClick={() => setEditing(u)}>
                            <IconPencil size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canManage && (
        <Modal opened={creating} onClose={dismiss} title="Add user" size="lg">
          {creating && (
            <CreateUserForm
              fixedPartnerId={partnerId}
              pending={create.isPending}
              error={create.error}
              onCancel={dismiss}
              onSubmit={(input) =>
                create.mutate(input, {
                  onSuccess: (u) => {
                    notifications.show({ color: 'green', message: `${u.displayName} can now sign in.` });
                    dismiss();
                  },
                })
              }
            />
          )}
        </Modal>
      )}
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}
