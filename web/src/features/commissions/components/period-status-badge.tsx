import { Badge, Group } from '@mantine/core';
import type { CommissionPeriodView } from '../../../../../common/api/commissions-close.ts';

/** Open / Closed, and whether a closed period's payouts are approved. */
export function PeriodStatusBadges({ period }: { period: Pick<CommissionPeriodView, 'status' | 'payout'> }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={period.status === 'closed' ? 'gray' : 'green'}>
        {period.status === 'closed' ? 'Closed' : 'Open'}
      </Badge>
      {period.status === 'closed' && (
        <Badge size="sm" variant="light" color={period.payout.status === 'approved' ? 'teal' : 'orange'}>
          {period.payout.status === 'approved' ? 'Payouts approved' : 'Payouts not approved'}
        </Badge>
      )}
    </Group>
  );
}
