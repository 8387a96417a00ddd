import { Anchor, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { moneyText } from '../../comp-plans/plan-format.ts';
import { useQuotas } from '../api/quotas.ts';

const pageSize = 50;

/** A participant's quotas, period by period. */
export function ParticipantQuotas({ participantId, manage }: { participantId: string; manage: boolean }) {
  const [offset, setOffset] = useState(0);
  const quotas = useQuotas({ participantId, limit: pageSize, offset });
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="quotas-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md" id="quotas-title">
          Quotas
        </Title>
        {manage && (
          <Anchor component={Link} to="/comp-plans/participants?tab=quotas" fz="sm">
            Upload quotas
          </Anchor>
        )}
      </Group>
      {quotas.isPending ? (
        <TableSkeleton rows={2} />
      ) : quotas.isError ? (
        <QueryError error={quotas.error} onRetry={() => void quotas.refetch()} />
      ) : (
        <>
          <Table aria-label="Quotas" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Period</Table.Th>
                <Table.Th ta="right">Quota</Table.Th>
                <Table.Th>Last change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {quotas.data.items.length === 0 && <EmptyRows colSpan={3}>No quotas yet.</EmptyRows>}
              {quotas.data.items.map((q) => (
                <Table.Tr key={q.id}>
                  <Table.Td>
                    {formatDate(q.periodStart)} – until {formatDate(q.periodEnd)}
                  </Table.Td>
                  <Table.Td ta="right">{moneyText(q.amountMinor, q.currency)}</Table.Td>
                  <Table.Td>
                    <Text span fz="sm">
                      {formatDateTime(q.updatedAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {quotas.data.total > pageSize && <Pager total={quotas.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="quotas" />}
        </>
      )}
    </Paper>
  );
}
