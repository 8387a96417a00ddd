import { Anchor, Button, Group, Pagination, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { ScorecardMetricColumn, ScorecardSubjectRow } from '../../../../../common/api/scorecard-results.ts';
import type { EffectiveSubjectTargets } from '../../../../../common/api/scorecard-targets.ts';
import { formatMetricValue, formatScore, statusLabels } from '../../../../../common/scorecards/format.ts';
import { scoreStatuses } from '../../../../../common/scorecards/scoring.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { SUBJECT_PAGE_SIZE, useSubjectPage } from '../api/get-scorecard-result.ts';
import { ScoreStatusBadge } from './score-status-badge.tsx';
import { appliedTargetLine } from './target-scope.ts';

const cellColours = { green: 'green.8', amber: 'orange.9', red: 'red.8', no_data: 'dimmed' } as const;

/**
 * Search by name and RAG status, and the page: kept in the address (offset, status, q), which the
 * page's query reads (useScorecardResult, useSnapshot), so 50k subjects are read 50 at a time.
 */
function SubjectFilters() {
  const [page, setPage] = useSubjectPage();
  const [text, setText] = useState(page.q ?? '');
  const search = useDebouncedCallback((q: string) => setPage({ q: q.trim() || undefined }), 300);
  return (
    <Group gap="md" align="flex-end" wrap="wrap">
      <TextInput
        label="Search by name"
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          search(e.currentTarget.value);
        }}
        w={240}
      />
      <Select
        label="Status"
        data={[{ value: '', label: 'Any status' }, ...scoreStatuses.map((st) => ({ value: st, label: statusLabels[st] }))]}
        value={page.status ?? ''}
        onChange={(v) => setPage({ status: scoreStatuses.find((st) => st === v) })}
        allowDeselect={false}
        w={160}
      />
    </Group>
  );
}

/** Where this page is in the ranking, and the way to the others. Without a total, previous and next. */
function SubjectPager({ shown, total }: { shown: number; total: number | undefined }) {
  const [page, setPage] = useSubjectPage();
  const from = shown === 0 ? 0 : page.offset + 1;
  const to = page.offset + shown;
  const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / SUBJECT_PAGE_SIZE));
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Text fz="sm" c="dimmed" aria-live="polite">
        {shown === 0 ? 'No subject matches.' : `Subjects ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')}`}
        {total !== undefined && shown > 0 ? ` of ${total.toLocaleString('en-US')}` : ''}
      </Text>
      {pages !== undefined ? (
        pages > 1 && (
          <Pagination
            total={pages}
            value={Math.floor(page.offset / SUBJECT_PAGE_SIZE) + 1}
            onChange={(p) => setPage({ offset: (p - 1) * SUBJECT_PAGE_SIZE })}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            size="sm"
          />
        )
      ) : (
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={page.offset === 0} onClick={() => setPage({ offset: Math.max(0, page.offset - SUBJECT_PAGE_SIZE) })}>
            Previous
          </Button>
          <Button variant="default" size="xs" disabled={shown < SUBJECT_PAGE_SIZE} onClick={() => setPage({ offset: page.offset + SUBJECT_PAGE_SIZE })}>
            Next
          </Button>
        </Group>
      )}
    </Group>
  );
}

/**
 * The ranking: one row per subject, best first, every metric with its value and status. With
 * `paging`, one page of the ranking with search, status filter and page controls (the rows are the
 * page the caller fetched); without, the rows as given (a partner's own row).
 */
export function ScorecardRankingTable({
  label,
  metrics,
  subjects,
  selectedId,
  onSelect,
  showParent,
  paging,
  effective,
}: {
  label: string;
  metrics: readonly ScorecardMetricColumn[];
  subjects: readonly ScorecardSubjectRow[];
  selectedId?: string | null;
  onSelect?: (subjectId: string) => void;
  showParent?: boolean;
  /** Page through the subjects; `total` (matching subjects), when known, numbers the pages. */
  paging?: { total?: number | undefined } | undefined;
  /** Which target applied to each subject's metrics (live scorecards): a cell whose target is not the default says so. */
  effective?: ReadonlyMap<string, EffectiveSubjectTargets> | undefined;
}) {
  const table = (
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
            <EmptyRows colSpan={4 + metrics.length + (showParent ? 1 : 0)}>
              {paging ? 'No subject matches these filters on this page.' : 'No subject has figures in this period.'}
            </EmptyRows>
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
                  const applied = effective?.get(s.subjectId)?.metrics.find((t) => t.metric === m.metric);
                  return (
                    <Table.Td key={m.metric}>
                      <Text fz="sm" c={cellColours[status]} fw={500}>
                        {formatMetricValue(c?.value ?? null, m.unit, m.currency)}
                      </Text>
                      <Text fz="xs" c="dimmed">
                        {statusLabels[status]} · {formatScore(c?.score ?? null)}
                      </Text>
                      {applied && applied.source !== 'default' && (
                        <Text fz="xs" c="dimmed" title={applied.reason}>
                          {appliedTargetLine(applied)}
                        </Text>
                      )}
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
  if (!paging) return table;
  return (
    <Stack gap="sm">
      <SubjectFilters />
      {table}
      <SubjectPager shown={subjects.length} total={paging.total} />
    </Stack>
  );
}
