import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { BenchmarkView, ScorecardMetricColumn, ScorecardSubjectRow } from '../../../../../common/api/scorecard-results.ts';
import { formatMetricValue, majorUnits } from '../../../../../common/scorecards/format.ts';
import { periodLabel } from '../../../../../common/scorecards/scorecard.ts';
import type { PeriodGrain } from '../../../../../common/scorecards/metric.ts';

/** A value as the charts plot it: ratios in percent, money in major units. */
function plotted(value: number | null, m: ScorecardMetricColumn): number | null {
  if (value === null) return null;
  if (m.unit === 'ratio') return Math.round(value * 1000) / 10;
  if (m.unit === 'money') return majorUnits(value, m.currency);
  return Math.round(value * 100) / 100;
}

const unitSuffix = (m: ScorecardMetricColumn) => (m.unit === 'ratio' ? '%' : m.unit === 'days' ? ' d' : '');

/** One trend line per metric for the chosen subject, with the target as a dashed reference line. */
export function TrendCharts({ subject, metrics, grain }: { subject: ScorecardSubjectRow; metrics: readonly ScorecardMetricColumn[]; grain: PeriodGrain }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
      {metrics.map((m, i) => {
        const data = subject.trend.map((p) => ({ period: periodLabel(p.period, grain), value: plotted(p.values[i] ?? null, m) }));
        const target = plotted(m.target, m);
        return (
          <Paper key={m.metric} withBorder radius="md" p="md" role="figure" aria-label={`Trend of ${m.name} for ${subject.label}`}>
            <Title order={3} fz="sm" mb={4}>
              {m.name}
            </Title>
            <Text fz="xs" c="dimmed" mb="xs">
              Target {formatMetricValue(m.target, m.unit, m.currency)}, red flag {formatMetricValue(m.redFlag, m.unit, m.currency)}
            </Text>
            <LineChart
              h={160}
              data={data}
              dataKey="period"
              series={[{ name: 'value', label: m.name, color: 'blue.6' }]}
              connectNulls
              unit={unitSuffix(m)}
              referenceLines={target === null ? [] : [{ y: target, label: 'Target', color: 'green.7', strokeDasharray: '4 4' }]}
            />
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

/**
 * A bullet chart: the bands (red, amber, green) from the red flag and the target, the value as a
 * bar, the target as a tick, and (for partners) the peer median as a second tick.
 */
export function BulletChart({ metric, value, benchmark }: { metric: ScorecardMetricColumn; value: number | null; benchmark?: BenchmarkView | undefined }) {
  const higher = metric.direction === 'higher_is_better';
  const max = Math.max(metric.target, metric.redFlag, value ?? 0, benchmark?.median ?? 0) * 1.25 || 1;
  const x = (v: number) => Math.max(0, Math.min(100, (v / max) * 100));
  const lo = Math.min(metric.redFlag, metric.target);
  const hi = Math.max(metric.redFlag, metric.target);
  const bands = higher
    ? [
        { from: 0, to: lo, colour: '#ffc9c9' },
        { from: lo, to: hi, colour: '#ffe8cc' },
        { from: hi, to: max, colour: '#d3f9d8' },
      ]
    : [
        { from: 0, to: lo, colour: '#d3f9d8' },
        { from: lo, to: hi, colour: '#ffe8cc' },
        { from: hi, to: max, colour: '#ffc9c9' },
      ];
  const described = `${metric.name}: ${formatMetricValue(value, metric.unit, metric.currency)} against a target of ${formatMetricValue(metric.target, metric.unit, metric.currency)}${
    benchmark?.median != null ? `; peer median ${formatMetricValue(benchmark.median, metric.unit, metric.currency)}` : ''
  }`;
  return (
    <svg viewBox="0 0 100 16" width="100%" height={28} preserveAspectRatio="none" role="img" aria-label={described}>
      {bands.map((b) => (
        <rect key={b.colour + b.from} x={x(b.from)} y={0} width={Math.max(0, x(b.to) - x(b.from))} height={16} fill={b.colour} />
      ))}
      {value !== null && <rect x={0} y={5} width={x(value)} height={6} fill="#1c7ed6" />}
      <rect x={x(metric.target) - 0.4} y={1} width={0.8} height={14} fill="#2b8a3e" />
      {benchmark?.median != null && <rect x={x(benchmark.median) - 0.3} y={3} width={0.6} height={10} fill="#495057" />}
    </svg>
  );
}

/** How the subjects' overall scores spread over the 0-10 scale (of the subjects shown: with paging, this page). */
export function ScoreDistribution({ subjects, ofPage = false }: { subjects: readonly ScorecardSubjectRow[]; ofPage?: boolean }) {
  const buckets = Array.from({ length: 10 }, (_, i) => ({ band: `${i}-${i + 1}`, subjects: 0 }));
  for (const s of subjects) {
    if (s.score === null) continue;
    const b = buckets[Math.min(9, Math.floor(s.score))];
    if (b) b.subjects += 1;
  }
  return (
    <Paper withBorder radius="md" p="md" role="figure" aria-label="Distribution of overall scores">
      <Title order={3} fz="sm" mb={4}>
        Distribution of scores
      </Title>
      <Text fz="xs" c="dimmed" mb="xs">
        Subjects{ofPage ? ' on this page' : ''} per score band (0-3.33 red, 3.33-6.67 amber, 6.67-10 green).
      </Text>
      <BarChart h={180} data={buckets} dataKey="band" series={[{ name: 'subjects', label: 'Subjects', color: 'indigo.6' }]} />
    </Paper>
  );
}
