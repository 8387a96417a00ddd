import { ActionIcon, Collapse, Grid, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import type { AuditEntryView } from '../../../../../common/api/audit.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { JsonBlock } from '../../../components/ui/json-block.tsx';
import { formatDateTime } from '../../../lib/format.ts';

/** First block of a UUID: enough to tell rows apart; the full id is in the title and the details. */
function shortId(id: string | null): string {
  return id ? (id.split('-')[0] ?? id) : '—';
}

export function AuditTable({ items, emptyText }: { items: AuditEntryView[]; emptyText: string }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (seq: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label="Audit log entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th w={80}>Seq</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Entity</Table.Th>
            <Table.Th>Entity id</Table.Th>
            <Table.Th>Request</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && <EmptyRows colSpan={8}>{emptyText}</EmptyRows>}
          {items.map((e) => {
            const expanded = open.has(e.seq);
            const detailsId = `audit-${e.seq}-details`;
            return (
              <Fragment key={e.seq}>
                <Table.Tr>
                  <Table.Td>
                    <Tooltip label={expanded ? 'Hide changes' : 'Show changes'}>
                      <ActionIcon
                        variant="subtle"
                        color="gray.7"
                        size="sm"
                        aria-expanded={expanded}
                        aria-controls={detailsId}
                        aria-label={`${expanded ? 'Hide' : 'Show'} changes of entry ${e.seq}`}
                        onClick={() => toggle(e.seq)}
                      >
                        {expanded ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td className="mono">{e.seq}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>{e.actorLabel}</Table.Td>
                  <Table.Td className="mono" style={{ whiteSpace: 'nowrap' }}>
                    {e.action}
                  </Table.Td>
                  <Table.Td>{e.entityType}</Table.Td>
                  <Table.Td className="mono" title={e.entityId ?? undefined}>
                    {shortId(e.entityId)}
                  </Table.Td>
                  <Table.Td className="mono" title={e.requestId ?? undefined}>
                    {shortId(e.requestId)}
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr id={detailsId}>
                    <Table.Td colSpan={8} bg="var(--mantine-color-gray-0)">
                      <Collapse expanded>
                        <Grid gap="sm" py={4}>
                          <Grid.Col span={{ base: 12, md: 6 }}>
                            <Text fz="xs" fw={700} mb={4}>
                              Before
                            </Text>
                            <JsonBlock value={e.before} label={`Entry ${e.seq} before`} />
                          </Grid.Col>
                          <Grid.Col span={{ base: 12, md: 6 }}>
                            <Text fz="xs" fw={700} mb={4}>
                              After
                            </Text>
                            <JsonBlock value={e.after} label={`Entry ${e.seq} after`} />
                          </Grid.Col>
                          <Grid.Col span={12}>
                            <Text fz="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                              Entity id <span className="mono">{e.entityId ?? '—'}</span> · request <span className="mono">{e.requestId ?? '—'}</span>
                              {e.partnerId ? ` · partner ${e.partnerId}` : ''} · hash <span className="mono">{e.hash}</span>
                            </Text>
                          </Grid.Col>
                        </Grid>
                      </Collapse>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
