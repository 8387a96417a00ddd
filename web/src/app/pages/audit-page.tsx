import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconFilter, IconX } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useAuditEntries } from '../../features/audit/api/list-audit-entries.ts';
import { AuditTable } from '../../features/audit/components/audit-table.tsx';
import { useVerifyChain } from '../../features/audit/components/verify-chain.tsx';

const pageSize = 50;

interface Filters {
  entityType: string;
  action: string;
  entityId: string;
}
const noFilters: Filters = { entityType: '', action: '', entityId: '' };

export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  // Keyset paging backwards in time: each page starts before the oldest seq of the previous one.
  const [cursors, setCursors] = useState<number[]>([]);
  const beforeSeq = cursors[cursors.length - 1];
  const entries = useAuditEntries({
    entityType: filters.entityType || undefined,
    action: filters.action || undefined,
    entityId: filters.entityId || undefined,
    beforeSeq,
    limit: pageSize,
  });
  const verify = useVerifyChain();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ entityType: draft.entityType.trim(), action: draft.action.trim(), entityId: draft.entityId.trim() });
    setCursors([]);
  };
  const clear = () => {
    setDraft(noFilters);
    setFilters(noFilters);
    setCursors([]);
  };
  const items = entries.data?.items ?? [];
  const oldest = items[items.length - 1]?.seq;
  const hasOlder = items.length === pageSize && oldest !== undefined && oldest > 1;
  const filtered = filters.entityType || filters.action || filters.entityId;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and what it changed. Entries are hash-chained so tampering is detectable."
        crumbs={[{ label: 'Administration' }, { label: 'Audit log' }]}
        actions={verify.button}
      />
      <Stack gap="md">
        {verify.result}
        <Paper withBorder radius="md" p="md">
          <form onSubmit={apply} aria-label="Filter audit entries">
            <Group align="flex-end" gap="sm" mb="sm">
              <TextInput
                label="Entity type"
                placeholder="e.g. partner"
                value={draft.entityType}
                onChange={(e) => setDraft({ ...draft, entityType: e.currentTarget.value })}
                w={180}
              />
              <TextInput
                label="Action"
                placeholder="e.g. partner.update"
                value={draft.action}
                onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
                w={200}
              />
              <TextInput label="Entity id" value={draft.entityId} onChange={(e) => setDraft({ ...draft, entityId: e.currentTarget.value })} w={300} />
              <Button type="submit" variant="light" leftSection={<IconFilter size={16} aria-hidden />}>
                Apply
              </Button>
              {filtered && (
                <Button variant="default" leftSection={<IconX size={16} aria-hidden />} onClick={clear}>
                  Clear
                </Button>
              )}
            </Group>
          </form>
          {entries.isPending ? (
            <TableSkeleton />
          ) : entries.isError ? (
            <QueryError error={entries.error} onRetry={() => void entries.refetch()} />
          ) : (
            <>
              <AuditTable items={items} emptyText={filtered ? 'No entries match these filters.' : 'The audit log is empty.'} />
              <Group justify="space-between" mt="sm">
                <Text fz="sm" c="dimmed" aria-live="polite">
                  {items.length > 0 ? `Entries #${items[0]?.seq ?? ''} to #${oldest ?? ''}${cursors.length > 0 ? ` · page ${cursors.length + 1}` : ''}` : ''}
                </Text>
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconArrowLeft size={14} aria-hidden />}
                    disabled={cursors.length === 0}
                    onClick={() => setCursors((c) => c.slice(0, -1))}
                  >
                    Newer
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    rightSection={<IconArrowRight size={14} aria-hidden />}
                    disabled={!hasOlder}
                    onClick={() => oldest !== undefined && setCursors((c) => [...c, oldest])}
                  >
                    Older
                  </Button>
                </Group>
              </Group>
            </>
          )}
        </Paper>
      </Stack>
    </>
  );
}
