import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { PlanSummary } from '../../../../../common/api/comp-plans.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { VersionStatusBadge } from './version-status-badge.tsx';

export function PlansTable({ items, emptyText }: { items: PlanSummary[]; emptyText: string }) {
  return (
    <Table aria-label="Plans">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Plan</Table.Th>
          <Table.Th>Currency</Table.Th>
          <Table.Th>In force</Table.Th>
          <Table.Th>Effective</Table.Th>
          <Table.Th>Being worked on</Table.Th>
          <Table.Th ta="right">Participants now</Table.Th>
          <Table.Th>Last change</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.length === 0 && <EmptyRows colSpan={7}>{emptyText}</EmptyRows>}
        {items.map((p) => (
          <Table.Tr key={p.id}>
            <Table.Td>
              <Anchor component={Link} to={`/comp-plans/${p.id}`} fz="sm" fw={600}>
                {p.name}
              </Anchor>
              <Text fz="xs" c="dimmed" ff="monospace">
                {p.key}
              </Text>
            </Table.Td>
            <Table.Td>{p.currency}</Table.Td>
            <Table.Td>
              {p.published ? (
                `Version ${p.published.version}`
              ) : (
                <Text span fz="sm" c="dimmed">
                  Not published
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {p.published ? `${formatDate(p.published.effectiveFrom)} – ${p.published.effectiveTo ? formatDate(p.published.effectiveTo) : 'open-ended'}` : '—'}
            </Table.Td>
            <Table.Td>
              {p.open ? (
                <>
                  Version {p.open.version} <VersionStatusBadge status={p.open.status} />
                </>
              ) : (
                '—'
              )}
            </Table.Td>
            <Table.Td ta="right">{p.assignedNow}</Table.Td>
            <Table.Td>{formatDateTime(p.updatedAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
