import { Group, Paper, Skeleton, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { usePeriod } from '../../features/commissions/api/periods.ts';
import { canManageCommissions, periodLabel } from '../../features/commissions/commissions-format.ts';
import { PeriodActions } from '../../features/commissions/components/period-actions.tsx';
import { PeriodAdjustments, PeriodPayoutChart, PeriodVersions } from '../../features/commissions/components/period-detail.tsx';
import { PeriodStatusBadges } from '../../features/commissions/components/period-status-badge.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

/** One period: status, actions, versions with their hashes and totals, payout by participant, adjustments booked in it. */
export function CommissionsPeriodDetailPage() {
  const { periodId = '' } = useParams();
  const { user } = useCurrentSession();
  const period = usePeriod(periodId);
  // Mirrors close.service.ts: managing needs comp admin, finance or admin; approving finance or admin.
  const can = {
    manage: canManageCommissions(user),
    approve: user.partnerId === null && user.roles.some((r) => r === 'finance' || r === 'admin'),
  };
  const title = period.data ? periodLabel(period.data.periodStart, period.data.periodEnd) : 'Period';
  return (
    <>
      <PageHeader
        title={title}
        description={period.data ? `${period.data.periodStart} to ${period.data.periodEnd}` : undefined}
        crumbs={[{ label: 'Commissions', to: '/commissions' }, { label: 'Periods', to: '/commissions/periods' }, { label: title }]}
      />
      {period.isPending ? (
        <Skeleton h={240} />
      ) : period.isError ? (
        <QueryError error={period.error} onRetry={() => void period.refetch()} />
      ) : (
        <>
          <Paper withBorder radius="md" p="md" mb="md" component="section" aria-label="Status and actions">
            <Group justify="space-between" align="flex-start">
              <div>
                <PeriodStatusBadges period={period.data} />
                <Text fz="sm" c="dimmed" mt={4}>
                  {period.data.closedAt ? `Closed ${formatDateTime(period.data.closedAt)}` : 'Open: not closed yet.'}
                  {period.data.payout.approvedAt ? ` · Payouts approved ${formatDateTime(period.data.payout.approvedAt)}` : ''}
                </Text>
              </div>
              <PeriodActions period={period.data} can={can} />
            </Group>
          </Paper>
          <PeriodVersions period={period.data} />
          <PeriodPayoutChart period={period.data} />
          <PeriodAdjustments period={period.data} />
        </>
      )}
    </>
  );
}
