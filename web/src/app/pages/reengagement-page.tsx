import { Group, Paper, SegmentedControl, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ReactivationTaskView } from '../../../../common/api/partners-reengagement.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useEngagementSettings } from '../../features/partners/api/engagement-settings.ts';
import { useQuietPartners } from '../../features/partners/api/list-quiet-partners.ts';
import { useReactivationTasks } from '../../features/partners/api/list-reactivation-tasks.ts';
import { useReengagementSummary } from '../../features/partners/api/get-reengagement-summary.ts';
import { QuietDaysSetting } from '../../features/partners/components/quiet-days-setting.tsx';
import { QuietPartnersTable } from '../../features/partners/components/quiet-partners-table.tsx';
import { ReactivationTasksTable } from '../../features/partners/components/reactivation-tasks-table.tsx';
import { ReengagementCharts } from '../../features/partners/components/reengagement-charts.tsx';

const pageSize = 25;
const iso = (d: Date) => d.toISOString().slice(0, 10);

function Kpi({ label, value }: { label: string; value: number | string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

export function ReengagementPage() {
  const { user } = useCurrentSession();
  const isChannelManager = user.roles.includes('channel_manager');
  const isAdmin = user.roles.includes('admin');
  const [mine, setMine] = useState(isChannelManager);
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [offset, setOffset] = useState(0);
  const now = new Date();
  const to = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
  const from = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)));
  const summary = useReengagementSummary({ from, to });
  const quiet = useQuietPartners({ mine });
  const tasks = useReactivationTasks({ mine, status: status === 'open' ? 'open' : undefined, limit: pageSize, offset });
  const settings = useEngagementSettings();
  const canClose = (t: ReactivationTaskView) => t.assignedToUserId === user.id || isAdmin || user.roles.includes('programme_lead');

  return (
    <>
      <PageHeader
        title="Re-engagement"
        description="Partners gone quiet, the re-activation tasks of their channel managers, and how many came back."
        crumbs={[{ label: 'Partners', to: '/partners' }, { label: 'Re-engagement' }]}
      />
      <Stack gap="md">
        {summary.isError ? (
          <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
        ) : summary.isPending ? (
          <TableSkeleton rows={3} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <Kpi label={`Quiet (${summary.data.quietDays}+ days)`} value={summary.data.quietCount} />
              <Kpi label="Open tasks" value={summary.data.openTasks} />
              <Kpi label="Reactivated, last 12 months" value={summary.data.reactivatedInPeriod} />
            </SimpleGrid>
            <ReengagementCharts summary={summary.data} />
          </>
        )}
        <Paper withBorder radius="md" p="md">
          <Group justify="space-between" mb="sm" align="flex-end">
            <Title order={2} fz="md">
              Quiet partners
            </Title>
            <Group gap="md" align="flex-end">
              {isAdmin && settings.data && <QuietDaysSetting key={settings.data.quietDays} current={settings.data.quietDays} />}
              <Switch
                label="Only my partners"
                checked={mine}
                onChange={(e) => {
                  setMine(e.currentTarget.checked);
                  setOffset(0);
                }}
              />
            </Group>
          </Group>
          {quiet.isPending ? (
            <TableSkeleton />
          ) : quiet.isError ? (
            <QueryError error={quiet.error} onRetry={() => void quiet.refetch()} />
          ) : (
            <QuietPartnersTable items={quiet.data.items} />
          )}
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Group justify="space-between" mb="sm">
            <Title order={2} fz="md">
              Re-activation tasks
            </Title>
            <SegmentedControl
              aria-label="Task status"
              value={status}
              onChange={(v) => {
                setStatus(v);
                setOffset(0);
              }}
              data={[
                { value: 'open', label: 'Open' },
                { value: 'all', label: 'All' },
              ]}
            />
          </Group>
          {tasks.isPending ? (
            <TableSkeleton />
          ) : tasks.isError ? (
            <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />
          ) : (
            <>
              <ReactivationTasksTable items={tasks.data.items} canClose={canClose} />
              <Pager total={tasks.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="tasks" />
            </>
          )}
        </Paper>
      </Stack>
    </>
  );
}
