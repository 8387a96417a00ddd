import { Group, Paper, SegmentedControl, Select } from '@mantine/core';
import { useState } from 'react';
import { disputeStatus, disputeStatuses, type DisputeStatus } from '../../../../common/api/commissions-disputes.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useDisputes } from '../../features/commissions/api/disputes.ts';
import { DisputeList } from '../../features/commissions/components/dispute-list.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const LIMIT = 50;

/** Where a dispute's page lives for the reader: partners under their registrations, everyone else under commissions. */
export function disputePath(partner: boolean): (id: string) => string {
  return (id) => (partner ? `/registrations/disputes/${id}` : `/commissions/disputes/${id}`);
}

/** The disputes the reader may see: all of them for compensation administration, own and team's for others, own partner's for partners. */
export function CommissionsDisputesPage() {
  const { user } = useCurrentSession();
  const partner = user.partnerId !== null;
  const [status, setStatus] = useState<DisputeStatus | null>(null);
  const [scope, setScope] = useState<'all' | 'mine' | 'assigned'>('all');
  const [offset, setOffset] = useState(0);
  const list = useDisputes({ status: status ?? undefined, scope, limit: LIMIT, offset });
  const crumbs = partner
    ? [{ label: 'My registrations', to: '/registrations' }, { label: 'Disputes' }]
    : [{ label: 'Commissions', to: '/commissions' }, { label: 'Disputes' }];
  return (
    <>
      <PageHeader
        title="Disputes"
        description={
          partner
            ? 'Your questions about the credit of your registrations, and the vendor’s answers.'
            : 'Questions about pay and partner credit: one case per deal, both sides, assigned, answered and resolved with an adjustment when one is owed.'
        }
        crumbs={crumbs}
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <Group align="flex-end" gap="sm">
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={disputeStatuses.map((s) => ({ value: s, label: s.replace('_', ' ') }))}
            value={status}
            onChange={(v) => {
              setStatus(v === null ? null : disputeStatus.parse(v));
              setOffset(0);
            }}
            w={200}
          />
          {!partner && (
            <SegmentedControl
              aria-label="Which disputes"
              value={scope}
              onChange={(v) => {
                setScope(v === 'mine' || v === 'assigned' ? v : 'all');
                setOffset(0);
              }}
              data={[
                { value: 'all', label: 'All I can see' },
                { value: 'mine', label: 'Opened by me' },
                { value: 'assigned', label: 'Assigned to me' },
              ]}
            />
          )}
        </Group>
      </Paper>
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <TableSkeleton />
      ) : (
        <>
          <DisputeList items={list.data.items} detailPath={disputePath(partner)} />
          <Pager total={list.data.total} limit={LIMIT} offset={offset} onOffsetChange={setOffset} noun="disputes" />
        </>
      )}
    </>
  );
}
