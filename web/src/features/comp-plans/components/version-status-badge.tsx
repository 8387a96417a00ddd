import { Badge } from '@mantine/core';
import type { PlanVersionStatusName } from '../../../../../common/api/comp-plans.ts';

const look: Record<PlanVersionStatusName, { color: string; label: string }> = {
  draft: { color: 'orange', label: 'Draft' },
  in_approval: { color: 'realign', label: 'In approval' },
  approved: { color: 'teal', label: 'Approved' },
  published: { color: 'green', label: 'In force' },
  retired: { color: 'gray', label: 'Retired' },
};

export function VersionStatusBadge({ status }: { status: PlanVersionStatusName }) {
  return (
    <Badge size="sm" variant="light" color={look[status].color}>
      {look[status].label}
    </Badge>
  );
}
