import { Badge, Group } from '@mantine/core';
import type { RecipientView } from '../../../../../common/api/comp-rollout.ts';

const colours = { sent: 'gray', opened: 'blue', acknowledged: 'green', disputed: 'orange' } as const;
export const statusLabels = { sent: 'Sent', opened: 'Opened', acknowledged: 'Acknowledged', disputed: 'Disputed' } as const;

export function RecipientStatusBadge({ recipient }: { recipient: Pick<RecipientView, 'status' | 'overdue' | 'escalatedAt'> }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={colours[recipient.status]}>
        {statusLabels[recipient.status]}
      </Badge>
      {recipient.overdue && (
        <Badge size="sm" variant="outline" color="red">
          Overdue
        </Badge>
      )}
      {recipient.escalatedAt && (
        <Badge size="sm" variant="outline" color="grape">
          Escalated
        </Badge>
      )}
    </Group>
  );
}
