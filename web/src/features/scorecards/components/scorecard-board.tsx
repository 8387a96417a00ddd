import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { BenchmarkView, ScorecardMetricColumn, ScorecardSubjectRow } from '../../../../../common/api/scorecard-results.ts';
import type { EffectiveSubjectTargets } from '../../../../../common/api/scorecard-targets.ts';
import { formatMetricValue, formatScore } from '../../../../../common/scorecards/format.ts';
import type { PeriodGrain } from '../../../../../common/scorecards/metric.ts';
import { BulletChart, ScoreDistribution, TrendCharts } from './scorecard-charts.tsx';
import { ScorecardRankingTable } from './scorecard-ranking-table.tsx';
import { ScoreStatusBadge } from './score-status-badge.tsx';
import { targetSourceLabel } from './target-scope.ts';

/**
 * A computed scorecard (live or a snapshot): the chosen subject's metrics against their targets
 * (bullet charts) and trends, the distribution of scores, and the ranking table. `subjects` is one
 * page of the ranking (the page, search and status filter live in the address: useSubjectPage);
 * `total` is the number of subjects matching, when the caller knows it. A partner's view (with
 * benchmarks) is its own row: nothing to page.
 */
export function ScorecardBoard({
  metrics,
  subjects,
  grain,
  benchmarks,
  showParent,
  rankingLabel,
  total,
  paged = benchmarks === undefined,
  effective,
}: {
  metrics: readonly ScorecardMetricColumn[];
  subjects: readonly ScorecardSubjectRow[];
  grain: PeriodGrain;
  benchmarks?: { overall: BenchmarkView; metrics: BenchmarkView[] } | undefined;
  showParent?: boolean;
  rankingLabel: string;
  total?: number | undefined;
  paged?: boolean;
  /** Which target applied to each subject's metrics, and why (live scorecards). */
  effective?: ReadonlyMap<string, EffectiveSubjectTargets> | undefined;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = subjects.find((s) => s.subjectId === selectedId) ?? subjects[0];
  const applied = selected ? effective?.get(selected.subjectId) : undefined;
  const appliedOf = (m: ScorecardMetricColumn) => applied?.metrics.find((t) => t.metric === m.metric);
  // The selected subject's charts draw the target that applied to it, not the scorecard default.
  const selectedMetrics = metrics.map((m) => {
    const t = appliedOf(m);
    return t ? { ...m, target: t.target, redFlag: t.redFlag } : m;
  });
  return (
    <Stack gap="md">
      {selected && (
        <Paper withBorder radius="md" p="md">
          <Group justify="space-between" align="flex-start" mb="sm">
            <div>
              <Title order={2} fz="md">
                {selected.label}
              </Title>
              <Text fz="xs" c="dimmed">
                Rank {selected.rank ?? '—'}
                {total !== undefined ? ` of ${total.toLocaleString('en-US')}` : paged ? '' : ` of ${subjects.length}`} · overall score{' '}
                {formatScore(selected.score)} / 10
                {benchmarks?.overall.median != null ? ` · peer median ${formatScore(benchmarks.overall.median)}` : ''}
              </Text>
            </div>
            <ScoreStatusBadge status={selected.status} />
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {selectedMetrics.map((m, i) => {
              const c = selected.cells[i];
              const t = appliedOf(m);
              return (
                <div key={m.metric}>
                  <Group justify="space-between" gap="xs">
                    <Text fz="sm" fw={600}>
                      {m.name}
                    </Text>
                    <Group gap={6}>
                      <Text fz="sm">{formatMetricValue(c?.value ?? null, m.unit, m.currency)}</Text>
                      <ScoreStatusBadge status={c?.status ?? 'no_data'} />
                    </Group>
                  </Group>
                  <BulletChart metric={m} value={c?.value ?? null} benchmark={benchmarks?.metrics[i]} />
                  {t && (
                    <Text fz="xs" c="dimmed">
                      Target {formatMetricValue(t.target, m.unit, m.currency)} · red flag {formatMetricValue(t.redFlag, m.unit, m.currency)} ·{' '}
                      <span title={t.reason}>{targetSourceLabel(t)}</span>
                      {t.note ? ` · ${t.note}` : ''}
                    </Text>
                  )}
                  {benchmarks && (
                    <Text fz="xs" c="dimmed">
                      {benchmarks.metrics[i]?.median != null
                        ? `Peers: p25 ${formatMetricValue(benchmarks.metrics[i]?.p25 ?? null, m.unit, m.currency)} · median ${formatMetricValue(benchmarks.metrics[i]?.median ?? null, m.unit, m.currency)} · p75 ${formatMetricValue(benchmarks.metrics[i]?.p75 ?? null, m.unit, m.currency)} (${benchmarks.metrics[i]?.peers ?? 0} peers)`
                        : `Too few peers for a benchmark (${benchmarks.metrics[i]?.peers ?? 0}; at least 5).`}
                    </Text>
                  )}
                </div>
              );
            })}
          </SimpleGrid>
        </Paper>
      )}
      {selected && <TrendCharts subject={selected} metrics={selectedMetrics} grain={grain} />}
      {subjects.length > 1 && <ScoreDistribution subjects={subjects} ofPage={paged} />}
      <Paper withBorder radius="md" p="md">
        <Title order={2} fz="md" mb="sm">
          Ranking
        </Title>
        <ScorecardRankingTable
          label={rankingLabel}
          metrics={metrics}
          subjects={subjects}
          selectedId={selected?.subjectId ?? null}
          onSelect={subjects.length > 1 ? setSelectedId : undefined}
          showParent={showParent}
          paging={paged ? { total } : undefined}
          effective={effective}
        />
      </Paper>
    </Stack>
  );
}
