import { Group, Paper, SegmentedControl, Switch } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useRegistrations } from '../../features/engagement/registrations/api/list-registrations.ts';
import { RegistrationsTable } from '../../features/engagement/registrations/components/registrations-table.tsx';

const pageSize = 50;

/** Reviewers work the open registrations by answer due time; overdue ones are highlighted. */
export function ReviewQueuePage() {
  const [queue, setQueue] = useState<'mine' | 'unit' | 'all'>('all');
  const [overdue, setOverdue] = useState(false);
  const [offset, setOffset] = useState(0);
  const list = useRegistrations({ queue, overdue, open: true, sort: 'due', limit: pageSize, offset });
  return (
    <>
      <PageHeader title="Review queue" description="Open partner registrations, the answer due first. Overdue ones are marked red." />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm" gap="lg">
          <SegmentedControl
            aria-label="Queue"
            value={queue}
            onChange={(v) => {
              setQueue(v);
              setOffset(0);
            }}
            data={[
              { value: 'mine', label: 'My queue' },
              { value: 'unit', label: 'Unit queue' },
              { value: 'all', label: 'All' },
            ]}
          />
          <Switch
            label="Overdue only"
            checked={overdue}
            onChange={(e) => {
              setOverdue(e.currentTarget.checked);
              setOffset(0);
            }}
          />
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <RegistrationsTable
              label="Review queue"
              showPartner
              items={list.data.items}
              emptyText="Nothing waiting for an answer."
              detailPath={(id) => `/engagement/registrations/${id}`}
            />
            <Pager total={list.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="registrations" />
          </>
        )}
      </Paper>
    </>
  );
}
