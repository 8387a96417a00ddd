import { Badge, Button, Group, Modal, Paper, Switch, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { ScenarioView } from '../../../../common/api/engagement-scenarios.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { canManageRules } from '../../features/engagement/rules/rules-permissions.ts';
import { useCreateScenario } from '../../features/engagement/scenarios/api/create-scenario.ts';
import { useScenarios } from '../../features/engagement/scenarios/api/list-scenarios.ts';
import { useUpdateScenario } from '../../features/engagement/scenarios/api/update-scenario.ts';
import { ScenarioForm } from '../../features/engagement/scenarios/components/scenario-form.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

/** The scenario taxonomy: the kinds of opportunity partners bring. Kept by the programme lead and administrators. */
export function ScenariosPage() {
  const { user } = useCurrentSession();
  const manage = canManageRules(user);
  const [showInactive, setShowInactive] = useState(false);
  const scenarios = useScenarios(manage && showInactive);
  const create = useCreateScenario();
  const update = useUpdateScenario();
  const [createOpen, createModal] = useDisclosure(false);
  const [editing, setEditing] = useState<ScenarioView | null>(null);

  const closeCreate = () => {
    create.reset();
    createModal.close();
  };
  const closeEdit = () => {
    update.reset();
    setEditing(null);
  };

  return (
    <>
      <PageHeader
        title="Scenarios"
        description="The kinds of opportunity partners register. Every scenario gets an owner and an answer under the rules of the road."
        crumbs={[{ label: 'Engagement', to: '/engagement' }, { label: 'Scenarios' }]}
        actions={
          manage ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
              Add scenario
            </Button>
          ) : undefined
        }
      />
      <Paper withBorder radius="md" p="md">
        {manage && <Switch label="Show inactive scenarios" checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} mb="sm" />}
        <FormError error={update.isError && !editing ? update.error : null} />
        {scenarios.isPending ? (
          <TableSkeleton />
        ) : scenarios.isError ? (
          <QueryError error={scenarios.error} onRetry={() => void scenarios.refetch()} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label="Scenarios" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Status</Table.Th>
                  {manage && <Table.Th>Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {scenarios.data.items.length === 0 && <EmptyRows colSpan={manage ? 6 : 5}>No scenarios.</EmptyRows>}
                {scenarios.data.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td fw={600}>{s.name}</Table.Td>
                    <Table.Td>
                      <code>{s.key}</code>
                    </Table.Td>
                    <Table.Td>
                      <Text fz="sm" c={s.description ? undefined : 'dimmed'}>
                        {s.description || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{s.isRenewal ? 'Renewal' : 'New business'}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge size="sm" variant="light" color={s.active ? 'green' : 'gray'}>
                          {s.active ? 'Active' : 'Inactive'}
                        </Badge>
                        {s.inUse && (
                          <Badge size="sm" variant="outline" color="gray.7">
                            In use
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    {manage && (
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button size="xs" variant="default" onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color={s.active ? 'red' : 'green'}
                            aria-label={`${s.active ? 'Deactivate' : 'Reactivate'} ${s.name}`}
                            loading={update.isPending && update.variables?.id === s.id}
                            onClick={() =>
                              update.mutate(
                                { id: s.id, active: !s.active },
                                { onSuccess: (v) => notifications.show({ message: `${v.name} is ${v.active ? 'active again' : 'inactive'}.` }) },
                              )
                            }
                          >
                            {s.active ? 'Deactivate' : 'Reactivate'}
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Modal opened={createOpen} onClose={closeCreate} title="Add a scenario">
        {createOpen && (
          <ScenarioForm
            submitLabel="Add scenario"
            pending={create.isPending}
            error={create.error}
            onCancel={closeCreate}
            onSubmit={(values) =>
              create.mutate(values, {
                onSuccess: (v) => {
                  notifications.show({ color: 'green', message: `${v.name} added.` });
                  closeCreate();
                },
              })
            }
          />
        )}
      </Modal>
      <Modal opened={editing !== null} onClose={closeEdit} title={editing ? `Edit ${editing.name}` : ''}>
        {editing && (
          <ScenarioForm
            initial={editing}
            submitLabel="Save changes"
            pending={update.isPending}
            error={update.error}
            onCancel={closeEdit}
            onSubmit={(values) => {
              const { key, ...rest } = values;
              update.mutate(
                { id: editing.id, ...rest, ...(key !== editing.key ? { key } : {}) },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: 'Scenario saved.' });
                    closeEdit();
                  },
                },
              );
            }}
          />
        )}
      </Modal>
    </>
  );
}
