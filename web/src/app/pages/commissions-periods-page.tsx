import { Anchor, Code, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePeriods } from '../../features/commissions/api/periods.ts';
import { canManageCommissions, periodLabel } from '../../features/commissions/commissions-format.ts';
import { PeriodForm } from '../../features/commissions/components/period-form.tsx';
import { PeriodStatusBadges } from '../../features/commissions/components/period-status-badge.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const crumbs = [{ label: 'Commissions', to: '/commissions' }, { label: 'Periods' }];
const limit = 20;

/** Commission periods: open ones, closed ones with their versions and payout approval. */
export function CommissionsPeriodsPage() {
  const { user } = useCurrentSession();
  const [offset, setOffset] = useState(0);
  const list = usePeriods({ limit, offset });
  return (
    <>
      <PageHeader
        title="Periods and close"
        description="Close a period from a completed run to freeze its results; finance approves the payouts for payroll; later changes restate it as a new version and book the difference in the next open period."
        crumbs={crumbs}
      />
      {canManageCommissions(user) && <PeriodForm defaultYear={new Date().getFullYear()} />}
      <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="periods-title">
        <Title id="periods-title" order={2} fz="md" mb="xs">
          Periods
        </Title>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table fz="sm" aria-label="Commission periods" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Period</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Versions</Table.Th>
                    <Table.Th scope="col">Closed</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.length === 0 ? (
                    <EmptyRows colSpan={4}>No periods yet.</EmptyRows>
                  ) : (
                    list.data.items.map((p) => {
                      const latest = p.versions[p.versions.length - 1];
                      return (
                        <Table.Tr key={p.id}>
                          <Table.Th scope="row" fw={500}>
                            <Anchor component={Link} to={`/commissions/periods/${p.id}`} fz="sm">
                              {periodLabel(p.periodStart, p.periodEnd)}
                            </Anchor>
                            <Text fz="xs" c="dimmed">
                              {p.periodStart} to {p.periodEnd}
                            </Text>
                          </Table.Th>
                          <Table.Td>
                            <PeriodStatusBadges period={p} />
                          </Table.Td>
                          <Table.Td>
                            {latest ? (
                              <>
                                {p.versions.length} (latest v{latest.version})
                                <Text fz="xs" c="dimmed">
                                  Hash <Code title={latest.resultHash}>{latest.resultHash.slice(0, 12)}…</Code>
                                </Text>
                              </>
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td>{p.closedAt ? formatDateTime(p.closedAt) : '—'}</Table.Td>
                        </Table.Tr>
                      );
                    })
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={list.data.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="periods" />
          </>
        )}
      </Paper>
    </>
  );
}
