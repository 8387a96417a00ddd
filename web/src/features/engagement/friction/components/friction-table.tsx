import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import type { FrictionRow } from '../../../../../../common/api/engagement-friction.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { groupLabel, hours, percent, stallLabels, values } from './friction-format.ts';

export function FrictionTable({ rows, label, groupHeading }: { rows: FrictionRow[]; label: string; groupHeading: string }) {
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table aria-label={label} striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{groupHeading}</Table.Th>
            <Table.Th ta="right">Received</Table.Th>
            <Table.Th ta="right">Median response</Table.Th>
            <Table.Th ta="right">p90 response</Table.Th>
            <Table.Th ta="right">SLA</Table.Th>
            <Table.Th ta="right">Waiting (oldest)</Table.Th>
            <Table.Th ta="right">SLA breach rate</Table.Th>
            <Table.Th ta="right">Approval rate</Table.Th>
            <Table.Th ta="right">Win rate</Table.Th>
            <Table.Th>Value submitted</Table.Th>
            <Table.Th>Value won</Table.Th>
            <Table.Th>Stalls</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && <EmptyRows colSpan={12}>No registrations in this period.</EmptyRows>}
          {rows.map((r) => (
            <Table.Tr key={groupLabel(r)} bg={r.stalled ? 'var(--mantine-color-red-light)' : undefined}>
              <Table.Td>
                <Text fz="sm" fw={500}>
                  {groupLabel(r)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{r.received}</Table.Td>
              <Table.Td ta="right">{hours(r.medianResponseHours)}</Table.Td>
              <Table.Td ta="right">{hours(r.p90ResponseHours)}</Table.Td>
              <Table.Td ta="right">{hours(r.slaHours)}</Table.Td>
              <Table.Td ta="right">{r.waiting > 0 ? `${r.waiting} (${hours(r.waitingOldestHours)})` : '0'}</Table.Td>
              <Table.Td ta="right">
                {percent(r.breachRate)}
                {r.slaDue > 0 && (
                  <Text span fz="xs" c="dimmed">
                    {' '}
                    {r.slaBreached}/{r.slaDue}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{percent(r.approvalRate)}</Table.Td>
              <Table.Td ta="right">{percent(r.winRate)}</Table.Td>
              <Table.Td>{values(r, 'submittedMinor')}</Table.Td>
              <Table.Td>{values(r, 'wonMinor')}</Table.Td>
              <Table.Td>
                {r.stalled ? (
                  <Group gap={4}>
                    {r.stallReasons.map((s) => (
                      <Tooltip key={s} label={stallLabels[s]}>
                        <Badge color="red.9" variant="filled" size="xs">
                          {s === 'breach_rate' ? 'breaches' : s === 'median_over_sla' ? 'slow' : 'waiting'}
                        </Badge>
                      </Tooltip>
                    ))}
                  </Group>
                ) : (
                  <Text fz="xs" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
