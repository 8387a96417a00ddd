import type { RuleSetVersionSummary } from '../../../../../../common/api/engagement-rules.ts';
import { VersionChanges } from '../../../../components/ui/version-changes.tsx';
import { useRuleChanges } from '../api/get-rule-changes.ts';

/** What changed in a rule set version, compared with the one before it or with any other version picked. */
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
    <VersionChanges others={others} from={from} onFromChange={onFromChange} diff={changes} changeKey={(c) => c} renderChange={(c) => c} selectWidth={420} />
  );
}
