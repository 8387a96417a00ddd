import { Anchor, Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatInteger } from '../../../../lib/format.ts';

export interface Stat {
  label: string;
  value: number | null;
  hint: string;
  to: string;
  /** Draws the eye when the number is above zero (overdue, open conflicts). */
  alarm?: boolean;
}

function StatCard({ stat }: { stat: Stat }) {
  const alarming = stat.alarm && stat.value !== null && stat.value > 0;
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="section"
      aria-label={stat.label}
      style={alarming ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {stat.label}
      </Text>
      {stat.value === null ? (
        <Skeleton h={34} w={60} my={2} />
      ) : (
        <Anchor component={Link} to={stat.to} fz={28} fw={700} c={alarming ? 'red.8' : undefined} underline="hover" aria-label={`${stat.label}: ${stat.value}`}>
          {formatInteger(stat.value)}
        </Anchor>
      )}
      <Text fz="xs" c="dimmed">
        {stat.hint}
      </Text>
    </Paper>
  );
}

/** The overview's headline numbers; each links to where the work is done. */
export function StatCards({ stats }: { stats: Stat[] }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: stats.length > 4 ? 5 : 4 }} spacing="sm" mb="md">
      {stats.map((s) => (
        <StatCard key={s.label} stat={s} />
      ))}
    </SimpleGrid>
  );
}
