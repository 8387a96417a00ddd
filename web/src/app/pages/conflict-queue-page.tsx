import { Anchor, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useConflicts, type ConflictListParams } from '../../features/engagement/conflicts/api/list-conflicts.ts';
import { ConflictQueueTable } from '../../features/engagement/conflicts/components/conflict-queue-table.tsx';

const limit = 50;

export function ConflictQueuePage() {
  const [params, setParams] = useSearchParams();
  const status = (['open', 'resolved', 'all'].includes(params.get('status') ?? '') ? params.get('status') : 'open') as ConflictListParams['status'];
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const list = useConflicts({ status, limit, offset });
  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Conflicts"
        description="Two claims on the same end customer: partner against partner, or a partner on an account the direct team owns. Open conflicts first, oldest first."
        crumbs={[{ label: 'Engagement' }, { label: 'Conflicts' }]}
        actions={
          <Anchor component={Link} to="/engagement/conflicts/heatmap" fz="sm">
            Conflict heat map
          </Anchor>
        }
      />
      <Stack gap="md">
        <Group justify="space-between">
          <Stack gap={4}>
            <Text fz="sm" fw={500} id="conflict-status">
              Show
            </Text>
            <SegmentedControl
              aria-labelledby="conflict-status"
              value={status}
              onChange={(v) => set({ status: v, offset: undefined })}
              data={[
                { value: 'open', label: 'Open' },
                { value: 'resolved', label: 'Resolved' },
                { value: 'all', label: 'All' },
              ]}
            />
          </Stack>
          {list.data && (
            <Text fz="sm" c="dimmed">
              {list.data.total} {status === 'all' ? '' : status} conflict{list.data.total === 1 ? '' : 's'}
            </Text>
          )}
        </Group>
        <Paper withBorder radius="md" p="md">
          {list.isPending ? (
            <TableSkeleton />
          ) : list.isError ? (
            <QueryError error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <>
              <ConflictQueueTable items={list.data.items} />
              <Pager
                total={list.data.total}
                limit={limit}
                offset={offset}
                onOffsetChange={(o) => set({ offset: o > 0 ? String(o) : undefined })}
                noun="conflicts"
              />
            </>
          )}
        </Paper>
      </Stack>
    </>
  );
}
