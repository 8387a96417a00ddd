import { Anchor, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { subjectKindLabels } from '../../../../common/scorecards/metric.ts';
import type { ScorecardDefinitionInput } from '../../../../common/scorecards/scorecard.ts';
import { useScorecardCheck } from '../../features/scorecards/use-scorecard-check.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useScorecards } from '../../features/scorecards/api/list-scorecards.ts';
import { useMetrics } from '../../features/scorecards/api/list-metrics.ts';
import { useSnapshots } from '../../features/scorecards/api/list-snapshots.ts';
import { useSaveScorecard } from '../../features/scorecards/api/scorecard-mutations.ts';
import { DefinitionEditor } from '../../features/scorecards/components/definition-editor.tsx';
import { SnapshotGallery } from '../../features/scorecards/components/snapshot-gallery.tsx';
import { canManageScorecards, canReadAllScores } from '../../features/scorecards/scorecards-permissions.ts';
import { formatDateTime } from '../../lib/format.ts';

const newScorecardTemplate = {
  key: 'my_scorecard',
  name: 'My scorecard',
  owner: 'Channel office',
  subjectKind: 'seller',
  periodGrain: 'quarter',
  trendPeriods: 4,
  rows: [
    { metric: 'win_rate', weight: 2, target: 0.6, redFlag: 0.45 },
    { metric: 'won_value', weight: 1, target: 50000000, redFlag: 20000000 },
  ],
  audiences: [{ kind: 'internal' }],
  schedule: 'none',
};

function NewScorecardButton() {
  const metrics = useMetrics();
  const save = useSaveScorecard(null);
  const navigate = useNavigate();
  const check = useScorecardCheck((metrics.data?.items ?? []).map((m) => m.definition));
  return (
    <ModalButton label="New scorecard" title="New scorecard" icon={<IconPlus size={16} aria-hidden />} size="xl" onDismiss={() => save.reset()}>
      {() => (
        <DefinitionEditor
          label="Scorecard definition"
          initial={newScorecardTemplate}
          check={check}
          saving={save.isPending}
          saveError={save.error}
          onSave={(d) => save.mutate(d as ScorecardDefinitionInput, { onSuccess: (v) => void navigate(`/scorecards/${v.key}`) })}
        />
      )}
    </ModalButton>
  );
}

/** Scorecards: the definitions (for the people who read every score) and the gallery of published snapshots. */
export function ScorecardsPage() {
  const { user } = useCurrentSession();
  const reader = canReadAllScores(user);
  const partner = user.partnerId !== null;
  const defs = useScorecards(reader);
  const snaps = useSnapshots();
  return (
    <>
      <PageHeader
        title={partner ? 'Your scorecards' : 'Scorecards'}
        description={
          partner
            ? 'Scorecards the vendor published to your organisation: your figures against targets, and anonymised peer benchmarks.'
            : 'Metrics with targets and thresholds per seller, team, unit, partner and the programme, published to the audiences allowed to see them.'
        }
        actions={canManageScorecards(user) ? <NewScorecardButton /> : undefined}
      />
      <Stack gap="md">
        {reader && (
          <Paper withBorder radius="md" p="md">
            <Title order={2} fz="md" mb="sm">
              Scorecard definitions
            </Title>
            {defs.isPending ? (
              <TableSkeleton />
            ) : defs.isError ? (
              <QueryError error={defs.error} onRetry={() => void defs.refetch()} />
            ) : (
              <Table.ScrollContainer minWidth={600}>
                <Table striped aria-label="Scorecard definitions">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Scorecard</Table.Th>
                      <Table.Th>Subjects</Table.Th>
                      <Table.Th>Period</Table.Th>
                      <Table.Th>Metrics</Table.Th>
                      <Table.Th>Snapshots</Table.Th>
                      <Table.Th>Last published</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {defs.data.items.length === 0 ? (
                      <EmptyRows colSpan={6}>No scorecards yet.</EmptyRows>
                    ) : (
                      defs.data.items.map((d) => (
                        <Table.Tr key={d.key}>
                          <Table.Td>
                            <Anchor component={Link} to={`/scorecards/${d.key}`}>
                              {d.definition.name}
                            </Anchor>
                            <Text fz="xs" c="dimmed">
                              {d.definition.owner}
                            </Text>
                          </Table.Td>
                          <Table.Td>{subjectKindLabels[d.definition.subjectKind]}</Table.Td>
                          <Table.Td>{d.definition.periodGrain}</Table.Td>
                          <Table.Td>{d.definition.rows.length}</Table.Td>
                          <Table.Td>{d.snapshots}</Table.Td>
                          <Table.Td>{d.lastPublishedAt ? formatDateTime(d.lastPublishedAt) : '—'}</Table.Td>
                        </Table.Tr>
                      ))
                    )}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        )}
        <Paper withBorder radius="md" p="md">
          <Title order={2} fz="md" mb="sm">
            Published scorecards
          </Title>
          {snaps.isPending ? (
            <TableSkeleton />
          ) : snaps.isError ? (
            <QueryError error={snaps.error} onRetry={() => void snaps.refetch()} />
          ) : (
            <SnapshotGallery items={snaps.data.items} emptyText="Nothing has been published to you yet." />
          )}
        </Paper>
      </Stack>
    </>
  );
}
