import { List, Select, Skeleton, Stack, Text } from '@mantine/core';
import type { PlanVersionSummary } from '../../../../../common/api/comp-plans.ts';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { usePlanDiff } from '../api/get-plan-diff.ts';

/** What changed in a version, from the one before it or from any other version picked. */
export function PlanChanges({
  versionId,
  versions,
  from,
  onFromChange,
}: {
  versionId: string;
  versions: PlanVersionSummary[];
  from: string | null;
  onFromChange: (id: string | null) => void;
}) {
  const diff = usePlanDiff(versionId, from);
  const others = versions.filter((v) => v.id !== versionId).map((v) => ({ value: v.id, label: `Version ${v.version}` }));
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
          maw={320}
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {diff.isPending ? (
        <Skeleton h={60} />
      ) : diff.isError ? (
        <QueryError error={diff.error} onRetry={() => void diff.refetch()} />
      ) : diff.data.from === null ? (
        <Text fz="sm" c="dimmed">
          This is the first version: there is nothing earlier to compare with.
        </Text>
      ) : diff.data.changes.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No differences from version {diff.data.from.version}.
        </Text>
      ) : (
        <>
          <Text fz="sm">
            Changes from version {diff.data.from.version} to version {diff.data.to.version}:
          </Text>
          <List spacing={4} fz="sm" aria-label="Changes">
            {diff.data.changes.map((c) => (
              <List.Item key={`${c.path}:${c.change}`}>
                <Text span fz="sm" ff="monospace">
                  {c.text}
                </Text>
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Stack>
  );
}
