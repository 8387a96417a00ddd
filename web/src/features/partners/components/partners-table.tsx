import { Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { formatCountry, formatDate } from '../../../lib/format.ts';

export function PartnersTable({ items, emptyText }: { items: PartnerView[]; emptyText: string }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label="Partners" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Legal name</Table.Th>
            <Table.Th>Tier</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Last engagement</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={7}>{emptyText}</EmptyRows>}
          {items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Link className="row-link" to={`/partners/${p.id}`}>
                  {p.name}
                </Link>
              </Table.Td>
              <Table.Td>
                <Text fz="sm" c={p.legalName ? undefined : 'dimmed'}>
                  {p.legalName ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>{p.tier}</Table.Td>
              <Table.Td>
                <StatusBadge status={p.status} />
              </Table.Td>
              <Table.Td>{formatCountry(p.country)}</Table.Td>
              <Table.Td>{p.lastEngagementAt ? formatDate(p.lastEngagementAt) : 'Never'}</Table.Td>
              <Table.Td>{formatDate(p.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
