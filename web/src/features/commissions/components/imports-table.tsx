import { Anchor, Paper, Progress, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDateTime, formatInteger } from '../../../lib/format.ts';
import { useImports } from '../api/imports.ts';
import { progressPercent } from '../commissions-format.ts';
import { ImportStatusBadge } from './import-status-badge.tsx';

const limit = 20;

/** Past import batches with their status, newest first. */
export function ImportsTable({ current }: { current: string | null }) {
  const [offset, setOffset] = useState(0);
  const list = useImports({ limit, offset });
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="imports-title">
      <Title id="imports-title" order={2} fz="md" mb="xs">
        Past imports
      </Title>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={700}>
            <Table fz="sm" aria-label="Past imports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">File</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Rows
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Good
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Bad
                  </Table.Th>
                  <Table.Th scope="col">Uploaded</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.length === 0 ? (
                  <EmptyRows colSpan={6}>No imports yet.</EmptyRows>
                ) : (
                  list.data.items.map((b) => (
                    <Table.Tr key={b.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/commissions/imports?id=${b.id}`} aria-current={b.id === current ? 'page' : undefined}>
                          {b.sourceName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <ImportStatusBadge status={b.status} />
                        {b.status === 'committing' && (
                          <Progress mt={4} size="sm" value={progressPercent(b.progress)} aria-label={`Rows committed of ${b.sourceName}`} />
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{b.counts ? formatInteger(b.counts.rows) : '—'}</Table.Td>
                      <Table.Td ta="right">{b.counts ? formatInteger(b.counts.good) : '—'}</Table.Td>
                      <Table.Td ta="right">{b.counts ? formatInteger(b.counts.bad) : '—'}</Table.Td>
                      <Table.Td>
                        <Text fz="sm">{formatDateTime(b.createdAt)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager total={list.data.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="imports" />
        </>
      )}
    </Paper>
  );
}
