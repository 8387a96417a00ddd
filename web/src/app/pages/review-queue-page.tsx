import { Group, Paper, SegmentedControl, Switch } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useRegistrations } from '../../features/engagement/registrations/api/list-registrations.ts';
import { RegistrationsTable } from '../../features/engagement/registrations/components/registrations-table.tsx';

const pageSize = 50;

type Queue = 'mine' | 'unit' | 'all';

function parseQueue(value: string | null): Queue {
  return value === 'mine' || value === 'unit' ? value : 'all';
}

/** Reviewers work the open registrations by answer due time; overdue ones are highlighted. */
export function ReviewQueuePage() {
  // Queue, overdue filter and page live in the URL so a filtered queue can be shared and survives reloads.
  const [params, setParams] = useSearchParams();
  const queue = parseQueue(params.get('queue'));
  const overdue = params.get('overdue') === '1';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const update = (next: { queue?: Queue; overdue?: boolean; offset?: number }) => {
    const p = new URLSearchParams(params);
    const nq = next.queue ?? queue;
    const no = next.overdue ?? overdue;
    const off = next.offset ?? 0;
    if (nq === 'all') p.delete('queue');
    else p.set('queue', nq);
    if (no) p.set('overdue', '1');
    else p.delete('overdue');
    if (off) p.set('offset', String(off));
    else p.delete('offset');
    setParams(p, { replace: true });
  };
  const list = useRegistrations({ queue, overdue, open: true, sort: 'due', limit: pageSize, offset });
  return (
    <>
      <PageHeader title="Review queue" description="Open partner registrations, the answer due first. Overdue ones are marked red." />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm" gap="lg">
          <SegmentedControl
            aria-label="Queue"
            value={queue}
            onChange={(v) => update({ queue: parseQueue(v), offset: 0 })}
            data={[
              { value: 'mine', label: 'My queue' },
              { value: 'unit', label: 'Unit queue' },
              { value: 'all', label: 'All' },
            ]}
          />
          <Switch label="Overdue only" checked={overdue} onChange={(e) => update({ overdue: e.currentTarget.checked, offset: 0 })} />
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
            <Pager total={list.data.total} limit={pageSize} offset={offset} onOffsetChange={(o) => update({ offset: o })} noun="registrations" />
          </>
        )}
      </Paper>
    </>
  );
}
