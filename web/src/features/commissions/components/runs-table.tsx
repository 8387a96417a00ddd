import { Anchor, Code, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDateTime, formatInteger } from '../../../lib/format.ts';
import { useRuns } from '../api/runs.ts';
import { periodLabel, progressPercent } from '../commissions-format.ts';
import { ImportStatusBadge } from './import-status-badge.tsx';

const limit = 20;

/** Period runs with their status, progress, plan versions, result hash or error; newest first. */
export function RunsTable() {
  const [offset, setOffset] = useState(0);
  const list = useRuns({ limit, offset });
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="runs-title">
      <Title id="runs-title" order={2} fz="md" mb="xs">
        Runs
      </Title>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table fz="sm" aria-label="Period runs" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Period</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Plan versions</Table.Th>
                  <Table.Th scope="col">Result</Table.Th>
                  <Table.Th scope="col">Started</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.length === 0 ? (
                  <EmptyRows colSpan={5}>No runs yet.</EmptyRows>
                ) : (
                  list.data.items.map((r) => {
                    const label = periodLabel(r.periodStart, r.periodEnd);
                    return (
                      <Table.Tr key={r.id}>
                        <Table.Th scope="row" fw={500}>
                          {label}
                          <Text fz="xs" c="dimmed">
                            {r.periodStart} to {r.periodEnd}
                          </Text>
                        </Table.Th>
                        <Table.Td>
                          <ImportStatusBadge status={r.status} />
                          {(r.status === 'queued' || r.status === 'running') && (
                            <Stack gap={2} mt={4}>
                              <Progress size="sm" value={progressPercent(r.progress)} aria-label={`Progress of the ${label} run`} animated />
                              <Text fz="xs" c="dimmed">
                                {formatInteger(r.progress.done)} of {formatInteger(r.progress.total)} participants
                              </Text>
                            </Stack>
                          )}
                        </Table.Td>
                        <Table.Td>
                          {r.planVersions.length === 0
                            ? '—'
                            : r.planVersions.map((v) => (
                                <Text key={v.versionId} fz="sm">
                                  {v.planKey} v{v.version} ({v.currency})
                                </Text>
                              ))}
                        </Table.Td>
                        <Table.Td>
                          {r.status === 'completed' && (
                            <>
                              <Anchor component={Link} to={`/commissions/statements?runId=${r.id}`} fz="sm">
                                {formatInteger(r.resultCount ?? 0)} payout periods: statements
                              </Anchor>
                              {r.resultHash && (
                                <Text fz="xs" c="dimmed">
                                  Hash <Code title={r.resultHash}>{r.resultHash.slice(0, 16)}…</Code>
                                </Text>
                              )}
                            </>
                          )}
                          {r.status === 'failed' && (
                            <Text fz="sm" c="red.8">
                              {r.error ?? 'Failed'}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Text fz="sm">{formatDateTime(r.startedAt ?? r.createdAt)}</Text>
                          {r.finishedAt && (
                            <Text fz="xs" c="dimmed">
                              finished {formatDateTime(r.finishedAt)}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager total={list.data.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="runs" />
        </>
      )}
    </Paper>
  );
}
