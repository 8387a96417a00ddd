import { Group, Paper, Progress, SimpleGrid, Text } from '@mantine/core';
import type { RolloutCounts, RolloutSummary } from '../../../../../common/api/comp-rollout.ts';
import { formatDate } from '../../../lib/format.ts';

function Kpi({ label, value, hint, colour }: { label: string; value: string; hint?: string; colour?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} c={colour}>
        {value}
      </Text>
      {hint && (
        <Text fz="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** Day N of 30, days left, the deadline, and the counts at a glance. */
export function RolloutClock({ rollout }: { rollout: RolloutSummary }) {
  const { clock, counts } = rollout;
  const elapsed = Math.min(100, Math.round((Math.min(clock.day, clock.totalDays) / clock.totalDays) * 100));
  const left = clock.pastDeadline
    ? `${-clock.daysLeft} ${-clock.daysLeft === 1 ? 'day' : 'days'} past the deadline`
    : clock.daysLeft === 0
      ? 'Last day'
      : `${clock.daysLeft} ${clock.daysLeft === 1 ? 'day' : 'days'} left`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Rollout clock">
      <Group justify="space-between" mb={6}>
        <Text fw={700} fz="lg">
          {rollout.status === 'superseded' ? 'Superseded' : `Day ${clock.day} of ${clock.totalDays}`}
        </Text>
        <Text fz="sm" c={clock.pastDeadline ? 'red' : 'dimmed'}>
          {left} · deadline {formatDate(clock.deadlineOn)}
        </Text>
      </Group>
      <Progress value={elapsed} color={clock.pastDeadline ? 'red' : 'realign'} aria-label={`Day ${clock.day} of ${clock.totalDays}`} mb="md" />
      <CountTiles counts={counts} />
    </Paper>
  );
}

export function CountTiles({ counts }: { counts: RolloutCounts }) {
  const pct = (n: number) => (counts.total === 0 ? '' : `${Math.round((n / counts.total) * 100)} % of ${counts.total}`);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
      <Kpi label="Recipients" value={String(counts.total)} />
      <Kpi label="Sent, not opened" value={String(counts.sent)} hint={pct(counts.sent)} />
      <Kpi label="Opened" value={String(counts.opened)} hint={pct(counts.opened)} />
      <Kpi label="Acknowledged" value={String(counts.acknowledged)} hint={pct(counts.acknowledged)} colour="green.8" />
      <Kpi label="Disputed" value={String(counts.disputed)} hint={pct(counts.disputed)} colour={counts.disputed > 0 ? 'orange.8' : undefined} />
      <Kpi
        label="Overdue"
        value={String(counts.overdue)}
        hint={`${counts.escalated} escalated to managers`}
        colour={counts.overdue > 0 ? 'red.8' : undefined}
      />
    </SimpleGrid>
  );
}
