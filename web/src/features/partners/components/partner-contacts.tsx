import { ActionIcon, Anchor, Badge, Button, Group, Modal, Paper, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconStar } from '@tabler/icons-react';
import { useState } from 'react';
import type { PartnerContactView } from '../../../../../common/api/partners.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { useCreatePartnerContact } from '../api/create-partner-contact.ts';
import { usePartnerContacts } from '../api/list-partner-contacts.ts';
import { useUpdatePartnerContact } from '../api/update-partner-contact.ts';
import { ContactForm } from './contact-form.tsx';

function AddContact({ partnerId }: { partnerId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreatePartnerContact(partnerId);
  const dismiss = () => {
    create.reset();
    close();
  };
  return (
    <>
      <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={open}>
        Add contact
      </Button>
      <Modal opened={opened} onClose={dismiss} title="Add contact" size="lg">
        {opened && (
          <ContactForm
            submitLabel="Add contact"
            pending={create.isPending}
            error={create.error}
            onCancel={dismiss}
            onSubmit={(values) =>
              create.mutate(values, {
                onSuccess: (c) => {
                  notifications.show({ color: 'green', message: `Contact “${c.name}” added.` });
                  dismiss();
                },
              })
            }
          />
        )}
      </Modal>
    </>
  );
}

function EditContact({ partnerId, contact, onClose }: { partnerId: string; contact: PartnerContactView; onClose: () => void }) {
  const update = useUpdatePartnerContact(partnerId);
  return (
    <Modal opened onClose={onClose} title={`Edit ${contact.name}`} size="lg">
      <ContactForm
        initial={contact}
        submitLabel="Save changes"
        pending={update.isPending}
        error={update.error}
        onCancel={onClose}
        onSubmit={(input) =>
          update.mutate(
            { contactId: contact.id, input },
            {
              onSuccess: () => {
                notifications.show({ color: 'green', message: 'Contact saved.' });
                onClose();
              },
            },
          )
        }
      />
    </Modal>
  );
}

export function PartnerContacts({ partnerId, canManage }: { partnerId: string; canManage: boolean }) {
  const contacts = usePartnerContacts(partnerId);
  const [editing, setEditing] = useState<PartnerContactView | null>(null);
  const items = [...(contacts.data?.items ?? [])].sort((a, b) => Number(b.isExecutive) - Number(a.isExecutive) || a.name.localeCompare(b.name));
  const executives = items.filter((c) => c.isExecutive).length;
  const columns = canManage ? 5 : 4;

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Title order={2} fz="md">
            Contacts
          </Title>
          {contacts.data && (
            <Text fz="xs" c="dimmed">
              {items.length} {items.length === 1 ? 'contact' : 'contacts'}, {executives} {executives === 1 ? 'executive' : 'executives'}
            </Text>
          )}
        </Group>
        {canManage && <AddContact partnerId={partnerId} />}
      </Group>
      {contacts.isPending ? (
        <TableSkeleton rows={3} />
      ) : contacts.isError ? (
        <QueryError error={contacts.error} onRetry={() => void contacts.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Contacts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Job title</Table.Th>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Phone</Table.Th>
                {canManage && (
                  <Table.Th w={48}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && <EmptyRows colSpan={columns}>No contacts recorded yet.</EmptyRows>}
              {items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text fz="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
                        {c.name}
                      </Text>
                      {c.isExecutive && (
                        <Badge size="xs" color="grape" variant="light" leftSection={<IconStar size={10} aria-hidden />} style={{ flexShrink: 0 }}>
                          Executive
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{c.title ?? '—'}</Table.Td>
                  <Table.Td>
                    {c.email ? (
                      <Anchor href={`mailto:${c.email}`} fz="sm">
                        {c.email}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{c.phone ?? '—'}</Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Tooltip label="Edit contact">
                        <ActionIcon variant="subtle" color="gray.7" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <EditContact partnerId={partnerId} contact={editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}
