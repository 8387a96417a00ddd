import { Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { AccountView } from '../../../../../common/api/accounts.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { formatCountry } from '../../../lib/format.ts';
import { CurrentOwner, segmentLabels } from './account-labels.tsx';

export function AccountsTable({ items, emptyText }: { items: AccountView[]; emptyText: string }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Accounts" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Domain</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Segment</Table.Th>
            <Table.Th>Current owner</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={5}>{emptyText}</EmptyRows>}
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Link className="row-link" to={`/accounts/${a.id}`}>
                  {a.name}
                </Link>
              </Table.Td>
              <Table.Td>
                <Text fz="sm" c={a.domain ? undefined : 'dimmed'}>
                  {a.domain ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>{formatCountry(a.country)}</Table.Td>
              <Table.Td>{a.segment ? segmentLabels[a.segment] : '—'}</Table.Td>
              <Table.Td>
                <CurrentOwner ownership={a.currentOwnership} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
