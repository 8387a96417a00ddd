import { Anchor, Badge, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { NO_TEAM, recipientStatuses, type RolloutSummary } from '../../../../common/api/comp-rollout.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useRollout } from '../../features/comp-rollout/api/get-rollout.ts';
import { useRecipients } from '../../features/comp-rollout/api/list-recipients.ts';
import { useRollouts } from '../../features/comp-rollout/api/list-rollouts.ts';
import { useUpdateRollout } from '../../features/comp-rollout/api/update-rollout.ts';
import { DisputesList } from '../../features/comp-rollout/components/disputes-list.tsx';
import { statusLabels } from '../../features/comp-rollout/components/recipient-status-badge.tsx';
import { RecipientsTable } from '../../features/comp-rollout/components/recipients-table.tsx';
import { RolloutClock } from '../../features/comp-rollout/components/rollout-clock.tsx';
import { RolloutTeamChart, RolloutTeamTable } from '../../features/comp-rollout/components/rollout-by-team.tsx';
import { canManageRollouts } from '../../features/comp-rollout/rollout-permissions.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { formatDate } from '../../lib/format.ts';

const crumbs = [
  { label: 'Comp plans', to: '/comp-plans' },
  { label: 'Rollout', to: '/comp-plans/rollout' },
];

/** Every rollout of a published plan version, newest first, with its clock and counts. */
export function CompRolloutsPage() {
  const [params] = useSearchParams();
  const planId = params.get('planId') ?? undefined;
  const rollouts = useRollouts({ planId, limit: 100, offset: 0 });
  return (
    <>
      <PageHeader
        title="Plan rollout"
        description="Publishing a plan version sends it to its participants: each reads it and acknowledges it, or disputes it, within 30 days."
        crumbs={[{ label: 'Comp plans', to: '/comp-plans' }, { label: 'Rollout' }]}
      />
      {rollouts.isPending ? (
        <TableSkeleton />
      ) : rollouts.isError ? (
        <QueryError error={rollouts.error} onRetry={() => void rollouts.refetch()} />
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped withTableBorder aria-label="Rollouts" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Plan</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Clock</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Acknowledged</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Disputed</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Overdue</Table.Th>
                <Table.Th>Dashboard</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rollouts.data.items.length === 0 && <EmptyRows colSpan={7}>No plan version has been published yet.</EmptyRows>}
              {rollouts.data.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/comp-plans/${r.planId}`} fz="sm">
                      {r.planName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {r.version}{' '}
                    {r.status === 'superseded' && (
                      <Badge size="xs" color="gray" variant="light">
                        Superseded
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.status === 'running'
                      ? `Day ${r.clock.day} of ${r.clock.totalDays} · deadline ${formatDate(r.deadlineOn)}`
                      : `Started ${formatDate(r.startedOn)}`}
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>
                    {r.counts.acknowledged} of {r.counts.total}
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{r.counts.disputed}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{r.counts.overdue}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/comp-plans/rollout/${r.id}`} fz="sm" aria-label={`Dashboard of ${r.planName} version ${r.version}`}>
                      Open
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

function ClockForm({ rollout, done }: { rollout: RolloutSummary; done: () => void }) {
  const update = useUpdateRollout(rollout.id);
  const [deadlineOn, setDeadline] = useState(rollout.deadlineOn);
  const [every, setEvery] = useState<number | string>(rollout.reminderEveryDays);
  const [after, setAfter] = useState<number | string>(rollout.escalateAfterReminders);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(
          { deadlineOn, reminderEveryDays: Number(every), escalateAfterReminders: Number(after) },
          {
            onSuccess: () => {
              notifications.show({ color: 'green', message: 'The rollout clock was changed.' });
              done();
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <TextInput
          label="Deadline"
          description="The last day to acknowledge (YYYY-MM-DD)"
          value={deadlineOn}
          onChange={(e) => setDeadline(e.currentTarget.value)}
          required
        />
        <NumberInput label="Remind every (days)" min={1} max={60} value={every} onChange={setEvery} required />
        <NumberInput label="Escalate to the manager after this many reminders" min={1} max={20} value={after} onChange={setAfter} required />
        <FormError error={update.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const pageSize = 50;

/** One rollout: the clock, counts overall and by team (chart and table), disputes, and the recipients with filters in the URL. */
export function CompRolloutPage() {
  const { rolloutId = '' } = useParams();
  const { user } = useCurrentSession();
  const manage = canManageRollouts(user);
  const rollout = useRollout(rolloutId);
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const team = params.get('team') ?? '';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const recipients = useRecipients(rolloutId, { status: status || undefined, team: team || undefined, q: q || undefined, limit: pageSize, offset });

  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    if (!('offset' in next)) p.delete('offset');
    setParams(p, { replace: true });
  };
  const linkForTeam = (t: string) => {
    const p = new URLSearchParams(params);
    p.set('team', t);
    p.delete('offset');
    return `?${p.toString()}`;
  };

  if (rollout.isPending) return <TableSkeleton />;
  if (rollout.isError) return <QueryError error={rollout.error} onRetry={() => void rollout.refetch()} />;
  const r = rollout.data;
  const teams = r.byTeam.map((t) => t.team ?? NO_TEAM);
  return (
    <>
      <PageHeader
        title={`Rollout: ${r.planName}, version ${r.version}`}
        description={
          <>
            Started {formatDate(r.startedOn)}
            {r.startedByName ? ` by ${r.startedByName}` : ''}. Reminders every {r.reminderEveryDays} days; escalation to the manager after{' '}
            {r.escalateAfterReminders} reminders or past the deadline.{' '}
            <Anchor component={Link} to={`/comp-plans/${r.planId}`}>
              Open the plan
            </Anchor>
          </>
        }
        crumbs={[...crumbs.slice(0, 2), { label: `${r.planName} v${r.version}` }]}
        actions={
          manage && r.status === 'running' ? (
            <ModalButton label="Change the clock…" title="Rollout clock" variant="default" size="md">
              {(done) => <ClockForm rollout={r} done={done} />}
            </ModalButton>
          ) : undefined
        }
      />
      <Stack gap="md">
        <RolloutClock rollout={r} />
        <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
          <RolloutTeamChart byTeam={r.byTeam} />
          <Paper withBorder radius="md" p="md" component="section" aria-labelledby="rollout-teams">
            <Title order={2} fz="md" id="rollout-teams" mb="sm">
              Counts by team
            </Title>
            <RolloutTeamTable byTeam={r.byTeam} linkFor={linkForTeam} />
          </Paper>
        </SimpleGrid>
        <DisputesList disputes={r.disputes} mayResolve={manage} />
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="rollout-recipients">
          <Title order={2} fz="md" id="rollout-recipients" mb="sm">
            Recipients
          </Title>
          <Group align="flex-end" gap="md" mb="sm" wrap="wrap">
            <Select
              label="Status"
              placeholder="Any"
              clearable
              value={status || null}
              onChange={(v) => set({ status: v ?? undefined })}
              data={[...recipientStatuses.map((s) => ({ value: s, label: statusLabels[s] })), { value: 'overdue', label: 'Overdue' }]}
              w={180}
            />
            <Select label="Team" placeholder="Any" clearable value={team || null} onChange={(v) => set({ team: v ?? undefined })} data={teams} w={200} />
            <TextInput
              label="Search"
              placeholder="Name or reference"
              leftSection={<IconSearch size={16} aria-hidden />}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                set({ q: e.currentTarget.value.trim() || undefined });
              }}
              w={240}
            />
          </Group>
          {recipients.isPending ? (
            <TableSkeleton />
          ) : recipients.isError ? (
            <QueryError error={recipients.error} onRetry={() => void recipients.refetch()} />
          ) : (
            <>
              <RecipientsTable items={recipients.data.items} />
              <Pager
                total={recipients.data.total}
                limit={pageSize}
                offset={offset}
                onOffsetChange={(o) => set({ offset: o ? String(o) : undefined })}
                noun="recipients"
              />
            </>
          )}
          {status === '' && team === '' && (
            <Text fz="xs" c="dimmed" mt="xs">
              Filter by status or team; the filters stay in the address, so a filtered list can be shared.
            </Text>
          )}
        </Paper>
      </Stack>
    </>
  );
}
