import { Anchor, Table, Text } from '@mantine/core';
import type { ScorecardMetricColumn, ScorecardSubjectRow } from '../../../../../common/api/scorecard-results.ts';
import { formatMetricValue, formatScore, statusLabels } from '../../../../../common/scorecards/format.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { ScoreStatusBadge } from './score-status-badge.tsx';

const cellColours = { green: 'green.8', amber: 'orange.9', red: 'red.8', no_data: 'dimmed' } as const;

/** The ranking: one row per subject, best first, every metric with its value and status. */
export function ScorecardRankingTable({
  label,
  metrics,
  subjects,
  selectedId,
  onSelect,
  showParent,
}: {
  label: string;
  metrics: readonly ScorecardMetricColumn[];
  subjects: readonly ScorecardSubjectRow[];
  selectedId?: string | null;
  onSelect?: (subjectId: string) => void;
  showParent?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped highlightOnHover aria-label={label} verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rank</Table.Th>
            <Table.Th>Subject</Table.Th>
            {showParent && <Table.Th>Rolls up to</Table.Th>}
            <Table.Th>Score</Table.Th>
            <Table.Th>Status</Table.Th>
            {metrics.map((m) => (
              <Table.Th key={m.metric}>
                {m.name}
                <Text fz="xs" c="dimmed" fw={400}>
                  target {formatMetricValue(m.target, m.unit, m.currency)}
                  {m.weight !== 1 ? ` · weight ${m.weight}` : ''}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {subjects.length === 0 ? (
            <EmptyRows colSpan={4 + metrics.length + (showParent ? 1 : 0)}>No subject has figures in this period.</EmptyRows>
          ) : (
            subjects.map((s) => (
              <Table.Tr key={s.subjectId} fw={selectedId === s.subjectId ? 700 : undefined}>
                <Table.Td>{s.rank ?? '—'}</Table.Td>
                <Table.Td>
                  {onSelect ? (
                    <Anchor component="button" type="button" onClick={() => onSelect(s.subjectId)} fz="sm">
                      {s.label}
                    </Anchor>
                  ) : (
                    s.label
                  )}
                </Table.Td>
                {showParent && <Table.Td>{s.parentId ?? '—'}</Table.Td>}
                <Table.Td>{formatScore(s.score)}</Table.Td>
                <Table.Td>
                  <ScoreStatusBadge status={s.status} />
                </Table.Td>
                {metrics.map((m, i) => {
                  const c = s.cells[i];
                  const status = c?.status ?? 'no_data';
                  return (
                    <Table.Td key={m.metric}>
                      <Text fz="sm" c={cellColours[status]} fw={500}>
                        {formatMetricValue(c?.value ?? null, m.unit, m.currency)}
                      </Text>
                      <Text fz="xs" c="dimmed">
                        {statusLabels[status]} · {formatScore(c?.score ?? null)}
                      </Text>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
