import { Button, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { dateOf } from '../../../../common/dates.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useActivities } from '../../features/scorecards/api/list-activities.ts';
import { useActivityTypes } from '../../features/scorecards/api/list-activity-types.ts';
import { useLogActivity } from '../../features/scorecards/api/log-activity.ts';
import { formatDate } from '../../lib/format.ts';

const pageSize = 50;

function LogActivityButton() {
  const types = useActivityTypes();
  const log = useLogActivity();
  const [kind, setKind] = useState<string | null>(null);
  const [occurredOn, setOccurredOn] = useState(dateOf(new Date()));
  const [quantity, setQuantity] = useState<number>(1);
  const [note, setNote] = useState('');
  return (
    <ModalButton label="Log activity" title="Log an activity" icon={<IconPlus size={16} aria-hidden />} onDismiss={() => log.reset()}>
      {(dismiss) => (
        <Stack gap="sm">
          <Select
            label="Kind"
            required
            data={(types.data?.items ?? []).filter((t) => t.active).map((t) => ({ value: t.key, label: t.name }))}
            value={kind}
            onChange={setKind}
          />
          <TextInput label="Date" type="date" required value={occurredOn} onChange={(e) => setOccurredOn(e.currentTarget.value)} />
          <NumberInput label="Quantity" min={1} max={10000} value={quantity} onChange={(v) => setQuantity(typeof v === 'number' ? v : 1)} />
          <Textarea label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
          <Text fz="xs" c="dimmed">
            Logged as your own activity.
          </Text>
          <FormError error={log.error} />
          <Group justify="flex-end">
            <Button disabled={!kind} loading={log.isPending} onClick={() => kind && log.mutate({ kind, occurredOn, quantity, note }, { onSuccess: dismiss })}>
              Log
            </Button>
          </Group>
        </Stack>
      )}
    </ModalButton>
  );
}

/** The activity log: accountabilities logged by hand, imported, or derived (sellers see their own). */
export function ScorecardActivitiesPage() {
  const [offset, setOffset] = useState(0);
  const activities = useActivities(offset, pageSize);
  return (
    <>
      <PageHeader
        title="Activity log"
        description="Joint partner calls, enablement sessions, business reviews and the other activities the scorecards count."
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: 'Activity log' }]}
        actions={<LogActivityButton />}
      />
      <Paper withBorder radius="md" p="md">
        {activities.isPending ? (
          <TableSkeleton />
        ) : activities.isError ? (
          <QueryError error={activities.error} onRetry={() => void activities.refetch()} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={700}>
              <Table striped aria-label="Activities">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Who</Table.Th>
                    <Table.Th>Partner</Table.Th>
                    <Table.Th>Quantity</Table.Th>
                    <Table.Th>Note</Table.Th>
                    <Table.Th>Source</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {activities.data.items.length === 0 ? (
                    <EmptyRows colSpan={7}>No activities logged yet.</EmptyRows>
                  ) : (
                    activities.data.items.map((a) => (
                      <Table.Tr key={a.id}>
                        <Table.Td>{formatDate(a.occurredOn)}</Table.Td>
                        <Table.Td>{a.kindName}</Table.Td>
                        <Table.Td>{a.participantName ?? '—'}</Table.Td>
                        <Table.Td>{a.partnerName ?? '—'}</Table.Td>
                        <Table.Td>{a.quantity}</Table.Td>
                        <Table.Td>{a.note}</Table.Td>
                        <Table.Td>{a.source}</Table.Td>
                      </Table.Tr>
                    ))
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={activities.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="activities" />
          </>
        )}
      </Paper>
    </>
  );
}
