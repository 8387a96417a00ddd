import { Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RegistrationView } from '../../../../../../common/api/engagement-registrations.ts';
import { formatMoney } from '../../../../../../common/money.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { formatDate } from '../../../../lib/format.ts';
import { RegistrationStatusBadge } from './registration-status-badge.tsx';
import { SlaClock } from './sla-clock.tsx';

interface Props {
  items: RegistrationView[];
  emptyText: string;
  /** Where a row links to: the partner portal or the internal detail page. */
  detailPath: (id: string) => string;
  showPartner?: boolean;
  label: string;
}

export function RegistrationsTable({ items, emptyText, detailPath, showPartner = false, label }: Props) {
  const cols = showPartner ? 9 : 8;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label={label} stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Reference</Table.Th>
            {showPartner && <Table.Th>Partner</Table.Th>}
            <Table.Th>End customer</Table.Th>
            <Table.Th>Scenario</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Answer SLA</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Protected until</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={cols}>{emptyText}</EmptyRows>}
          {items.map((r) => (
            <Table.Tr key={r.id} bg={r.sla.state === 'breached' && r.sla.secondsLeft !== null ? 'var(--mantine-color-red-light)' : undefined}>
              <Table.Td>
                <Link className="row-link" to={detailPath(r.id)}>
                  {r.reference}
                </Link>
              </Table.Td>
              {showPartner && <Table.Td>{r.partnerName ?? '—'}</Table.Td>}
              <Table.Td>{r.endCustomerName}</Table.Td>
              <Table.Td>{r.scenario.name}</Table.Td>
              <Table.Td>{formatMoney({ amountMinor: r.valueMinor, currency: r.currency })}</Table.Td>
              <Table.Td>
                <RegistrationStatusBadge status={r.status} internal={showPartner} />
              </Table.Td>
              <Table.Td>
                <SlaClock sla={r.sla} />
              </Table.Td>
              <Table.Td>
                <Text fz="sm">{r.owningUnit ?? '—'}</Text>
              </Table.Td>
              <Table.Td>{r.protectionEndsOn ? formatDate(r.protectionEndsOn) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
