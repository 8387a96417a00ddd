import { Button, Group } from '@mantine/core';
import { IconChartBar, IconTarget } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';

/**
 * The sections of one scorecard: its live figures and its targets (defaults, tiers, subjects). The
 * period and roll-up level chosen travel along, so coming back shows the same figures.
 */
export function ScorecardSections({ scorecard, current }: { scorecard: string; current: 'figures' | 'targets' }) {
  const [params] = useSearchParams();
  const kept = new URLSearchParams();
  for (const k of ['period', 'level']) {
    const v = params.get(k);
    if (v) kept.set(k, v);
  }
  const query = kept.size > 0 ? `?${kept.toString()}` : '';
  const base = `/scorecards/${encodeURIComponent(scorecard)}`;
  const item = (id: 'figures' | 'targets', label: string, to: string, icon: React.ReactNode) => (
    <Button
      component={Link}
      to={to}
      variant={current === id ? 'light' : 'subtle'}
      size="xs"
      leftSection={icon}
      aria-current={current === id ? 'page' : undefined}
    >
      {label}
    </Button>
  );
  return (
    <Group component="nav" aria-label="Scorecard sections" gap="xs" mb="md">
      {item('figures', 'Scorecard', `${base}${query}`, <IconChartBar size={14} aria-hidden />)}
      {item('targets', 'Targets', `${base}/targets${query}`, <IconTarget size={14} aria-hidden />)}
    </Group>
  );
}
