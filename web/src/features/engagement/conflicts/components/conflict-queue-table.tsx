import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ConflictView } from '../../../../../../common/api/engagement-conflicts.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { StatusBadge } from '../../../../components/ui/status-badge.tsx';
import { ageText, kindText, matchText, money, resolutionLabels } from './conflict-format.ts';

function Side({ name, detail, status }: { name: string; detail: string; status?: string }) {
  return (
    <Stack gap={2}>
      <Text fz="sm" fw={500}>
        {name}
      </Text>
      <Text fz="xs" c="dimmed">
        {detail}
      </Text>
      {status && <StatusBadge status={status} />}
    </Stack>
  );
}

export function ConflictQueueTable({ items }: { items: ConflictView[] }) {
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table aria-label="Conflicts" striped highlightOnHover verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Age</Table.Th>
            <Table.Th>End customer</Table.Th>
            <Table.Th>Scenario</Table.Th>
            <Table.Th>New registration</Table.Th>
            <Table.Th>Conflicts with</Table.Th>
            <Table.Th>Match</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={7}>No conflicts here.</EmptyRows>}
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{ageText(c.ageDays)}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/engagement/conflicts/${c.id}`} fz="sm" fw={500}>
                  {c.registration.endCustomerName}
                </Anchor>
                <Text fz="xs" c="dimmed">
                  {kindText(c)}
                </Text>
              </Table.Td>
              <Table.Td>{c.registration.scenario.name}</Table.Td>
              <Table.Td>
                <Side
                  name={c.registration.partnerName}
                  detail={`${c.registration.reference} · ${money(c.registration.valueMinor, c.registration.currency)}`}
                  status={c.registration.status}
                />
              </Table.Td>
              <Table.Td>
                {c.other ? (
                  <Side name={c.other.partnerName} detail={`${c.other.reference} · ${money(c.other.valueMinor, c.other.currency)}`} status={c.other.status} />
                ) : c.account ? (
                  <Side
                    name={`Direct: ${c.account.name}`}
                    detail={c.account.currentOwner?.ownerUserName ? `Owned by ${c.account.currentOwner.ownerUserName}` : 'Direct-owned account'}
                  />
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <Text fz="sm">{matchText(c)}</Text>
              </Table.Td>
              <Table.Td>
                {c.status === 'open' ? (
                  <Badge color="orange" variant="light" size="sm">
                    Open
                  </Badge>
                ) : (
                  <Stack gap={2}>
                    <Badge color="green" variant="light" size="sm">
                      Resolved
                    </Badge>
                    <Text fz="xs">{c.resolution ? resolutionLabels[c.resolution] : ''}</Text>
                  </Stack>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
