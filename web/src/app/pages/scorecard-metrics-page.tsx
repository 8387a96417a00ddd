import { Badge, Button, Group, Paper, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useCallback } from 'react';
import type { MetricDefinitionView } from '../../../../common/api/scorecards.ts';
import { checkMetricDefinition, type MetricDefinitionInput } from '../../../../common/scorecards/metric.ts';
import { builtinMetricKeys } from '../../../../common/scorecards/builtin-metrics.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useMetrics } from '../../features/scorecards/api/list-metrics.ts';
import { useDeleteMetric, useSaveMetric } from '../../features/scorecards/api/metric-mutations.ts';
import { DefinitionEditor } from '../../features/scorecards/components/definition-editor.tsx';
import { canManageScorecards, canReadAllScores } from '../../features/scorecards/scorecards-permissions.ts';
import { NotFoundPage } from './not-found-page.tsx';

const newMetricTemplate = {
  key: 'lost_deals',
  name: 'Lost deals',
  owner: 'Sales operations',
  unit: 'count',
  direction: 'lower_is_better',
  source: 'opportunities',
  measure: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'lost' }] },
  periodField: 'close_on',
  periodGrain: 'quarter',
  subjectKinds: ['seller', 'team', 'unit', 'programme'],
};

function MetricEditorButton({ existing }: { existing: MetricDefinitionView | null }) {
  const save = useSaveMetric(existing?.key ?? null);
  const check = useCallback(
    (raw: unknown) => {
      const c = checkMetricDefinition(raw);
      if (c.ok && !existing && builtinMetricKeys.has(c.definition.key))
        return { ok: false as const, issues: [{ path: 'key', message: 'is the key of a built-in metric' }] };
      return c;
    },
    [existing],
  );
  return (
    <ModalButton
      label={existing ? `Edit ${existing.definition.name}` : 'New metric'}
      title={existing ? `Edit ${existing.definition.name}` : 'New metric'}
      icon={existing ? undefined : <IconPlus size={16} aria-hidden />}
      variant={existing ? 'subtle' : undefined}
      size="xl"
      onDismiss={() => save.reset()}
    >
      {(dismiss) => (
        <DefinitionEditor
          label="Metric definition"
          initial={existing?.definition ?? newMetricTemplate}
          check={check}
          saving={save.isPending}
          saveError={save.error}
          onSave={(d) => save.mutate(d as MetricDefinitionInput, { onSuccess: dismiss })}
        />
      )}
    </ModalButton>
  );
}

function describeMeasure(m: MetricDefinitionView['definition']['measure']): string {
  if (m.kind === 'ratio') return `ratio (${m.numerator.kind} / ${m.denominator.kind})`;
  if (m.kind === 'count') return 'count';
  return `${m.kind} of ${m.field}`;
}

/** The metric library: built-in and stored definitions; the programme lead defines new ones, checked in the browser before saving. */
export function ScorecardMetricsPage() {
  const { user } = useCurrentSession();
  return canReadAllScores(user) ? <MetricLibrary manage={canManageScorecards(user)} /> : <NotFoundPage />;
}

function MetricLibrary({ manage }: { manage: boolean }) {
  const metrics = useMetrics();
  const remove = useDeleteMetric();
  return (
    <>
      <PageHeader
        title="Metrics"
        description="Metric definitions as data: a source, filters, a measure, a period date and the subjects it is computed for."
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: 'Metrics' }]}
        actions={manage ? <MetricEditorButton existing={null} /> : undefined}
      />
      <Paper withBorder radius="md" p="md">
        <FormError error={remove.error} />
        {metrics.isPending ? (
          <TableSkeleton />
        ) : metrics.isError ? (
          <QueryError error={metrics.error} onRetry={() => void metrics.refetch()} />
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table striped aria-label="Metric library">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Metric</Table.Th>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Measure</Table.Th>
                  <Table.Th>Unit</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Subjects</Table.Th>
                  {manage && <Table.Th>Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {metrics.data.items.length === 0 ? (
                  <EmptyRows colSpan={manage ? 7 : 6}>No metrics.</EmptyRows>
                ) : (
                  metrics.data.items.map((m) => (
                    <Table.Tr key={m.key}>
                      <Table.Td>
                        <Group gap={6}>
                          <Text fz="sm" fw={600}>
                            {m.definition.name}
                          </Text>
                          {m.builtin && (
                            <Badge size="xs" variant="light" color="gray">
                              Built-in
                            </Badge>
                          )}
                        </Group>
                        <Text fz="xs" c="dimmed" ff="monospace">
                          {m.key}
                        </Text>
                      </Table.Td>
                      <Table.Td>{m.definition.source}</Table.Td>
                      <Table.Td>{describeMeasure(m.definition.measure)}</Table.Td>
                      <Table.Td>
                        {m.definition.unit}
                        {m.definition.currency ? ` (${m.definition.currency})` : ''} ·{' '}
                        {m.definition.direction === 'higher_is_better' ? 'higher is better' : 'lower is better'}
                      </Table.Td>
                      <Table.Td>{m.definition.owner}</Table.Td>
                      <Table.Td>{m.definition.subjectKinds.join(', ')}</Table.Td>
                      {manage && (
                        <Table.Td>
                          {!m.builtin && (
                            <Group gap={4} wrap="nowrap">
                              <MetricEditorButton existing={m} />
                              <Button
                                variant="subtle"
                                color="red"
                                size="compact-sm"
                                loading={remove.isPending && remove.variables === m.key}
                                onClick={() => remove.mutate(m.key)}
                              >
                                Delete {m.definition.name}
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
