import { List, Select, Skeleton, Stack, Text } from '@mantine/core';
import type { RuleSetVersionSummary } from '../../../../../../common/api/engagement-rules.ts';
import { QueryError } from '../../../../components/ui/query-error.tsx';
import { useRuleChanges } from '../api/get-rule-changes.ts';

/** What changed in a version, compared with the one before it or with any other version picked. */
export function RuleChanges({
  versionId,
  versions,
  from,
  onFromChange,
}: {
  versionId: string;
  versions: RuleSetVersionSummary[];
  from: string | null;
  onFromChange: (id: string | null) => void;
}) {
  const changes = useRuleChanges(versionId, from);
  const others = versions.filter((v) => v.id !== versionId).map((v) => ({ value: v.id, label: `Version ${v.version}: ${v.title}` }));
  return (
    <Stack gap="sm">
      {others.length > 0 && (
        <Select
          label="Compare with"
          placeholder="The version before"
          data={others}
          value={from}
          onChange={onFromChange}
          clearable
          maw={420}
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {changes.isPending ? (
        <Skeleton h={60} />
      ) : changes.isError ? (
        <QueryError error={changes.error} onRetry={() => void changes.refetch()} />
      ) : changes.data.from === null ? (
        <Text fz="sm" c="dimmed">
          This is the first version: there is nothing earlier to compare with.
        </Text>
      ) : changes.data.changes.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No differences from version {changes.data.from.version}.
        </Text>
      ) : (
        <>
          <Text fz="sm">
            Changes from version {changes.data.from.version} to version {changes.data.to.version}:
          </Text>
          <List spacing={4} fz="sm" aria-label="Changes">
            {changes.data.changes.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </>
      )}
    </Stack>
  );
}
