import { Badge } from '@mantine/core';
import { statusLabels } from '../../../../../common/scorecards/format.ts';
import type { ScoreStatus } from '../../../../../common/scorecards/scoring.ts';

export const statusColours: Record<ScoreStatus, string> = { green: 'green', amber: 'orange', red: 'red', no_data: 'gray' };

/** A status always carries its word, never colour alone. */
export function ScoreStatusBadge({ status }: { status: ScoreStatus }) {
  return (
    <Badge size="sm" variant="light" color={statusColours[status]}>
      {statusLabels[status]}
    </Badge>
  );
}
