import { Button, Group, Modal, Paper, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { UserView } from '../../../../common/api/identity.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCreateUser } from '../../features/identity/api/create-user.ts';
import { useUsers } from '../../features/identity/api/list-users.ts';
import { CreateUserForm } from '../../features/identity/components/create-user-form.tsx';
import { EditUserModal } from '../../features/identity/components/edit-user-modal.tsx';
import { UsersTable } from '../../features/identity/components/users-table.tsx';

const pageSize = 50;

export function UsersPage() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [offset, setOffset] = useState(0);
  const users = useUsers({ q: q || undefined, limit: pageSize, offset });
  const [creating, { open, close }] = useDisclosure(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const create = useCreateUser();
  const dismiss = () => {
    create.reset();
    close();
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in: vendor staff and partner users, their roles and status."
        crumbs={[{ label: 'Administration' }, { label: 'Users' }]}
        actions={
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={open}>
            New user
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm">
          <TextInput
            label="Search users"
            placeholder="Name or e-mail"
            type="search"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setOffset(0);
            }}
            w={320}
          />
        </Group>
        {users.isPending ? (
          <TableSkeleton />
        ) : users.isError ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <>
            <UsersTable items={users.data.items} emptyText={q ? `No user matches “${q}”.` : 'No users yet.'} onEdit={setEditing} />
            <Pager total={users.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="users" />
          </>
        )}
      </Paper>
      <Modal opened={creating} onClose={dismiss} title="New user" size="lg">
        {creating && (
          <CreateUserForm
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
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
