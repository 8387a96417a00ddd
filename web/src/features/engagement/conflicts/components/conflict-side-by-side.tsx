import { Badge, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ConflictDetail, ConflictParty } from '../../../../../../common/api/engagement-conflicts.ts';
import { StatusBadge } from '../../../../components/ui/status-badge.tsx';
import { formatCountry, formatDate, formatDateTime } from '../../../../lib/format.ts';
import { money } from './conflict-format.ts';

type Row = { label: string; left: ReactNode; right: ReactNode; same?: boolean };

const dash = (v: string | null | undefined) => (v ? v : '—');

function partyRows(a: ConflictParty, b: ConflictParty): Row[] {
  const eq = (x: string | null, y: string | null) => x !== null && y !== null && x.toLowerCase() === y.toLowerCase();
  return [
    { label: 'Reference', left: a.reference, right: b.reference },
    { label: 'Partner', left: a.partnerName, right: b.partnerName },
    { label: 'Status', left: <StatusBadge status={a.status} />, right: <StatusBadge status={b.status} /> },
    { label: 'Scenario', left: a.scenario.name, right: b.scenario.name, same: a.scenario.key === b.scenario.key },
    { label: 'End customer', left: a.endCustomerName, right: b.endCustomerName },
    { label: 'Web domain', left: dash(a.endCustomerDomain), right: dash(b.endCustomerDomain), same: eq(a.endCustomerDomain, b.endCustomerDomain) },
    { label: 'Tax id', left: dash(a.endCustomerTaxId), right: dash(b.endCustomerTaxId), same: eq(a.endCustomerTaxId, b.endCustomerTaxId) },
    { label: 'Country', left: formatCountry(a.endCustomerCountry), right: formatCountry(b.endCustomerCountry) },
    { label: 'Product line', left: dash(a.productLine), right: dash(b.productLine) },
    { label: 'Value', left: money(a.valueMinor, a.currency), right: money(b.valueMinor, b.currency) },
    { label: 'Submitted', left: formatDateTime(a.submittedAt), right: formatDateTime(b.submittedAt) },
    { label: 'Expected close', left: formatDate(a.expectedCloseOn), right: formatDate(b.expectedCloseOn) },
    { label: 'Protected until', left: formatDate(a.protectionEndsOn), right: formatDate(b.protectionEndsOn) },
  ];
}

function accountRows(a: ConflictParty, c: NonNullable<ConflictDetail['account']>): Row[] {
  const owner = c.currentOwner;
  return [
    { label: 'Reference', left: a.reference, right: 'Direct-owned account' },
    { label: 'Partner / owner', left: a.partnerName, right: owner ? (owner.ownerUserName ?? 'Direct team') : 'No owner recorded' },
    { label: 'Status', left: <StatusBadge status={a.status} />, right: owner ? `${owner.kind} since ${formatDate(owner.startsOn)}` : '—' },
    { label: 'End customer', left: a.endCustomerName, right: c.name },
    {
      label: 'Web domain',
      left: dash(a.endCustomerDomain),
      right: dash(c.domain),
      same: a.endCustomerDomain !== null && a.endCustomerDomain === c.domain,
    },
    { label: 'Country', left: formatCountry(a.endCustomerCountry), right: formatCountry(c.country) },
    { label: 'Scenario', left: a.scenario.name, right: '—' },
    { label: 'Value', left: money(a.valueMinor, a.currency), right: '—' },
    { label: 'Submitted', left: formatDateTime(a.submittedAt), right: '—' },
  ];
}

/** Both claims, field by field, in two aligned columns. */
export function ConflictSideBySide({ conflict }: { conflict: ConflictDetail }) {
  const rows = conflict.other ? partyRows(conflict.registration, conflict.other) : conflict.account ? accountRows(conflict.registration, conflict.account) : [];
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="Both sides of the conflict" withColumnBorders verticalSpacing="xs" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>Field</Table.Th>
            <Table.Th>New registration</Table.Th>
            <Table.Th>{conflict.other ? 'Existing registration' : 'Direct-owned account'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.label}>
              <Table.Th scope="row" fw={500} fz="sm">
                {r.label}
                {r.same && (
                  <Badge ml={6} size="xs" color="orange" variant="light">
                    same
                  </Badge>
                )}
              </Table.Th>
              <Table.Td>{typeof r.left === 'string' ? <Text fz="sm">{r.left}</Text> : r.left}</Table.Td>
              <Table.Td>{typeof r.right === 'string' ? <Text fz="sm">{r.right}</Text> : r.right}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
