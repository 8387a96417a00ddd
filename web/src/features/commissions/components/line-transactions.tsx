import { Table, Text } from '@mantine/core';
import { useState } from 'react';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../../components/ui/table-skeleton.tsx';
import { formatDate } from '../../../lib/format.ts';
import { money } from '../../comp-simulation/simulation-format.ts';
import { useLineTransactions } from '../api/statements.ts';

const limit = 10;

/** The sales transactions behind one statement line, with the credit each gave (paged). */
export function LineTransactions({
  runId,
  participantId,
  index,
  planCurrency,
  label,
}: {
  runId: string;
  participantId: string;
  index: number;
  planCurrency: string;
  label: string;
}) {
  const [offset, setOffset] = useState(0);
  const q = useLineTransactions(runId, participantId, index, { limit, offset });
  if (q.isPending) return <TableSkeleton />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <Table.ScrollContainer minWidth={720}>
        <Table fz="xs" aria-label={`Transactions of ${label}`} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Transaction</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Recognised</Table.Th>
              <Table.Th scope="col" ta="right">
                Amount
              </Table.Th>
              <Table.Th scope="col" ta="right">
                Split
              </Table.Th>
              <Table.Th scope="col">Credit as</Table.Th>
              <Table.Th scope="col" ta="right">
                Credit
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.length === 0 ? (
              <EmptyRows colSpan={7}>No transactions behind this line.</EmptyRows>
            ) : (
              q.data.items.map((t) => (
                <Table.Tr key={`${t.salesTransactionId}-${t.fromParticipantId}-${t.creditKind}`}>
                  <Table.Td>{t.transactionRef}</Table.Td>
                  <Table.Td>{t.kind.replace('_', ' ')}</Table.Td>
                  <Table.Td>{formatDate(t.recognisedOn)}</Table.Td>
                  <Table.Td ta="right">
                    {money(t.amountMinor, t.currency)}
                    {t.dealAmountMinor !== t.amountMinor && (
                      <Text span fz="xs" c="dimmed">
                        {' '}
                        of {money(t.dealAmountMinor, t.currency)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{(t.splitBps / 100).toFixed(0)} %</Table.Td>
                  <Table.Td>
                    {t.creditKind.replace('_', ' ')} · {t.sourcing.replace('_', ' ')}
                    {t.clawback ? ' · clawback' : ''}
                    {t.fxRate ? ` · fx ${t.fxRate}` : ''}
                  </Table.Td>
                  <Table.Td ta="right">{money(t.creditMinor, planCurrency)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager total={q.data.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="transactions" />
    </>
  );
}
