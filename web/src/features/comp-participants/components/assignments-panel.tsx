import { Anchor, Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueries } from '@tanstack/react-query';
import { IconPlayerStop, IconPlus, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { AssignmentView, ParticipantView, PlanDetail } from '../../../../../common/api/comp-plans.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDate } from '../../../lib/format.ts';
import { getPlan } from '../../comp-plans/api/get-plan.ts';
import { usePlans } from '../../comp-plans/api/list-plans.ts';
import { compKeys } from '../../comp-plans/api/paths.ts';
import { useAssignments, useCreateAssignment, useDeleteAssignment, useUpdateAssignment } from '../api/assignments.ts';
import { fieldErrors, todayIso } from '../field-errors.ts';
import { covers } from '../participant-dates.ts';

/** The version of the plan in force today, as the plan's detail tells it. */
function versionInForce(plan: PlanDetail | undefined): string {
  if (!plan) return '…';
  if (!plan.published) return 'None published yet';
  return `Version ${plan.published.version} (from ${formatDate(plan.published.effectiveFrom)})`;
}

function AddAssignmentButton({ participant }: { participant: ParticipantView }) {
  const [opened, modal] = useDisclosure(false);
  const [planId, setPlanId] = useState<string | null>(null);
  const [from, setFrom] = useState(todayIso());
  const [to, setTo] = useState('');
  const [touched, setTouched] = useState(false);
  const plans = usePlans({ limit: 200, offset: 0 });
  const create = useCreateAssignment();
  const server = fieldErrors(create.error);
  const local = {
    planId: planId === null ? 'Choose a plan' : undefined,
    effectiveFrom: from === '' ? 'Enter the first day on the plan' : undefined,
    effectiveTo: to !== '' && from !== '' && to <= from ? 'Must be after the first day' : undefined,
  };
  const shown = (f: keyof typeof local) => (touched ? local[f] : undefined) ?? server[f];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean) || planId === null) return;
    create.mutate(
      { participantId: participant.id, planId, effectiveFrom: from, effectiveTo: to === '' ? null : to },
      {
        onSuccess: (a) => {
          notifications.show({ color: 'green', message: `${participant.displayName} is on “${a.planName}” from ${formatDate(a.effectiveFrom)}.` });
          modal.close();
        },
      },
    );
  };

  return (
    <>
      <Button
        leftSection={<IconPlus size={16} aria-hidden />}
        onClick={() => {
          create.reset();
          setTouched(false);
          setPlanId(null);
          setFrom(todayIso());
          setTo('');
          modal.open();
        }}
      >
        Assign a plan
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Assign ${participant.displayName} to a plan`} size="lg">
        <form onSubmit={submit} noValidate aria-label="Assign a plan">
          <Stack gap="sm">
            <Text fz="sm">A participant is on one plan at a time: the period may not overlap another assignment.</Text>
            <Select
              label="Plan"
              required
              searchable
              data-autofocus
              data={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.key})` }))}
              value={planId}
              onChange={setPlanId}
              nothingFoundMessage={plans.isPending ? 'Loading…' : 'No plan matches'}
              error={shown('planId')}
              comboboxProps={{ withinPortal: true }}
            />
            <SimpleGrid cols={2} spacing="sm">
              <TextInput
                label="From"
                description="The first day on the plan"
                type="date"
                required
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={shown('effectiveFrom')}
              />
              <TextInput
                label="Until"
                description="The first day off the plan; empty: open-ended"
                type="date"
                value={to}
                onChange={(e) => setTo(e.currentTarget.value)}
                error={shown('effectiveTo')}
              />
            </SimpleGrid>
            <FormError error={create.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Assign
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function EndAssignmentButton({ assignment }: { assignment: AssignmentView }) {
  const [opened, modal] = useDisclosure(false);
  const [to, setTo] = useState(todayIso());
  const update = useUpdateAssignment();
  const tooEarly = to !== '' && to <= assignment.effectiveFrom;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (to === '' || tooEarly) return;
    update.mutate(
      { id: assignment.id, effectiveTo: to },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `The assignment to “${assignment.planName}” ends on ${formatDate(to)}.` });
          modal.close();
        },
      },
    );
  };
  return (
    <>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconPlayerStop size={14} aria-hidden />}
        aria-label={`End the assignment to ${assignment.planName}`}
        onClick={() => {
          update.reset();
          modal.open();
        }}
      >
        End…
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`End the assignment to ${assignment.planName}`}>
        <form onSubmit={submit} noValidate aria-label="End the assignment">
          <Stack gap="sm">
            <TextInput
              label="First day off the plan"
              description={`The assignment covers the days from ${formatDate(assignment.effectiveFrom)} up to the day before this one.`}
              type="date"
              required
              data-autofocus
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={tooEarly ? `Must be after ${formatDate(assignment.effectiveFrom)}` : fieldErrors(update.error).effectiveTo}
            />
            <FormError error={update.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" loading={update.isPending} disabled={to === ''}>
                End assignment
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function RemoveAssignmentButton({ assignment }: { assignment: AssignmentView }) {
  const [opened, modal] = useDisclosure(false);
  const remove = useDeleteAssignment();
  return (
    <>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        leftSection={<IconTrash size={14} aria-hidden />}
        aria-label={`Remove the assignment to ${assignment.planName}`}
        onClick={() => {
          remove.reset();
          modal.open();
        }}
      >
        Remove
      </Button>
      <Modal opened={opened} onClose={modal.close} title="Remove the assignment?">
        <Stack gap="sm">
          <Text fz="sm">
            For an assignment made by mistake: it disappears as if it never existed. To take someone off a plan from a day on, end the assignment instead.
          </Text>
          <FormError error={remove.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={modal.close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(assignment.id, {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: 'Assignment removed.' });
                    modal.close();
                  },
                })
              }
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** A participant's plan assignments, newest first, with the plan version in force; comp admins add and end them. */
export function AssignmentsPanel({ participant, manage }: { participant: ParticipantView; manage: boolean }) {
  const assignments = useAssignments({ participantId: participant.id, limit: 100, offset: 0 });
  const items = [...(assignments.data?.items ?? [])].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const planIds = [...new Set(items.map((a) => a.planId))];
  const plans = useQueries({
    queries: planIds.map((id) => ({ queryKey: compKeys.plan(id), queryFn: ({ signal }: { signal: AbortSignal }) => getPlan(id, signal) })),
  });
  const planById = new Map(plans.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
  const today = todayIso();

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="assignments-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md" id="assignments-title">
          Plan assignments
        </Title>
        {manage && <AddAssignmentButton participant={participant} />}
      </Group>
      {assignments.isPending ? (
        <TableSkeleton rows={2} />
      ) : assignments.isError ? (
        <QueryError error={assignments.error} onRetry={() => void assignments.refetch()} />
      ) : (
        <>
          <Table aria-label="Plan assignments" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Plan</Table.Th>
                <Table.Th>Version in force</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>Until</Table.Th>
                {manage && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 && <EmptyRows colSpan={manage ? 5 : 4}>Not on any plan.</EmptyRows>}
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Anchor component={Link} to={`/comp-plans/${a.planId}`} fz="sm">
                        {a.planName}
                      </Anchor>
                      {covers(a.effectiveFrom, a.effectiveTo, today) && (
                        <Badge size="sm" variant="light" color="green">
                          Now
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{versionInForce(planById.get(a.planId))}</Table.Td>
                  <Table.Td>{formatDate(a.effectiveFrom)}</Table.Td>
                  <Table.Td>{a.effectiveTo ? formatDate(a.effectiveTo) : 'Open-ended'}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {(a.effectiveTo === null || a.effectiveTo > today) && <EndAssignmentButton assignment={a} />}
                        <RemoveAssignmentButton assignment={a} />
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text fz="xs" c="dimmed" mt={6}>
            Periods are half-open: an assignment until 1 April covers the days up to 31 March.
          </Text>
        </>
      )}
    </Paper>
  );
}
