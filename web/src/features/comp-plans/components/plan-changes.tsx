import { Text } from '@mantine/core';
import type { PlanVersionSummary } from '../../../../../common/api/comp-plans.ts';
import { VersionChanges } from '../../../components/ui/version-changes.tsx';
import { usePlanDiff } from '../api/get-plan-diff.ts';

/** What changed in a plan version, from the one before it or from any other version picked. */
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
    <VersionChanges
      others={others}
      from={from}
      onFromChange={onFromChange}
      diff={diff}
      changeKey={(c) => `${c.path}:${c.change}`}
      renderChange={(c) => (
        <Text span fz="sm" ff="monospace">
          {c.text}
        </Text>
      )}
    />
  );
}
