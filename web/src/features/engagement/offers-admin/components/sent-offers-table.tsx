import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { OfferStatus, OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { formatMoney } from '../../../../../../common/money.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { formatDate, formatDateTime } from '../../../../lib/format.ts';

const statusLook: Record<OfferStatus, { label: string; color: string }> = {
  offered: { label: 'Offered', color: 'blue' },
  accepted: { label: 'Accepted', color: 'green' },
  declined: { label: 'Declined', color: 'red' },
  withdrawn: { label: 'Withdrawn', color: 'gray' },
  expired: { label: 'Expired', color: 'orange' },
};

/** Offers pushed to partners, with the partner's answer and the registration an acceptance created. */
export function SentOffersTable({ items, emptyText }: { items: OfferView[]; emptyText: string }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table aria-label="Offers sent to partners" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={110}>Status</Table.Th>
            <Table.Th>Partner</Table.Th>
            <Table.Th>End customer</Table.Th>
            <Table.Th>Scenario</Table.Th>
            <Table.Th ta="right">Value</Table.Th>
            <Table.Th>Respond by</Table.Th>
            <Table.Th>Answer</Table.Th>
            <Table.Th>Offered by</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={8}>{emptyText}</EmptyRows>}
          {items.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                <Badge size="sm" variant="light" color={statusLook[o.status].color} style={{ overflow: 'visible' }}>
                  {statusLook[o.status].label}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/partners/${o.partnerId}`} fz="sm">
                  {o.partnerName ?? '—'}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text fz="sm">{o.endCustomerName}</Text>
                {o.endCustomerDomain && (
                  <Text fz="xs" c="dimmed">
                    {o.endCustomerDomain}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{o.scenario.name}</Table.Td>
              <Table.Td ta="right">{formatMoney({ amountMinor: o.valueMinor, currency: o.currency })}</Table.Td>
              <Table.Td>{formatDate(o.respondBy)}</Table.Td>
              <Table.Td>
                {o.registrationId ? (
                  <Anchor component={Link} to={`/engagement/registrations/${o.registrationId}`} fz="sm">
                    {o.registrationReference}
                  </Anchor>
                ) : null}
                {o.respondedAt && (
                  <Text fz="xs" c="dimmed">
                    {formatDateTime(o.respondedAt)}
                    {o.responseNote ? `: ${o.responseNote}` : ''}
                  </Text>
                )}
                {!o.registrationId && !o.respondedAt && '—'}
              </Table.Td>
              <Table.Td>
                <Text fz="sm">{o.offeredByName ?? '—'}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
