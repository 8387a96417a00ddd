import { Badge } from '@mantine/core';
import type { RuleSetVersionSummary } from '../../../../../../common/api/engagement-rules.ts';

const look: Record<RuleSetVersionSummary['status'], { color: string; label: string }> = {
  draft: { color: 'orange', label: 'Draft' },
  published: { color: 'green', label: 'In force' },
  retired: { color: 'gray', label: 'Retired' },
};

export function RuleStatusBadge({ status }: { status: RuleSetVersionSummary['status'] }) {
  return (
    <Badge size="sm" variant="light" color={look[status].color}>
      {look[status].label}
    </Badge>
  );
}
