import { Badge } from '@mantine/core';
import type { DisputeOutcome, DisputeStatus } from '../../../../../common/api/commissions-disputes.ts';

const colours: Record<DisputeStatus, string> = { open: 'orange', in_review: 'realign', resolved: 'green', rejected: 'red', merged: 'gray' };
const labels: Record<DisputeStatus, string> = { open: 'Open', in_review: 'In review', resolved: 'Resolved', rejected: 'Rejected', merged: 'Merged' };
const outcomes: Record<DisputeOutcome, string> = { adjusted: 'with adjustment', no_change: 'no change', rejected: '' };

/** A dispute's status, with how it was resolved when it was. */
export function DisputeStatusBadge({ status, outcome = null }: { status: DisputeStatus; outcome?: DisputeOutcome | null }) {
  const suffix = status === 'resolved' && outcome ? ` · ${outcomes[outcome]}` : '';
  return (
    <Badge size="sm" variant="light" color={colours[status]}>
      {labels[status]}
      {suffix}
    </Badge>
  );
}
