import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconPencil, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { isComputation, type ScorecardView } from '../../../../common/api/scorecard-results.ts';
import { dateOf } from '../../../../common/dates.ts';
import { subjectKindLabels } from '../../../../common/scorecards/metric.ts';
import { periodLabel, type ScorecardDefinitionInput } from '../../../../common/scorecards/scorecard.ts';
import { FormError } from '../../components/ui/form-error.tsx';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useRecomputeScorecard, useScorecardResult } from '../../features/scorecards/api/get-scorecard-result.ts';
import { useEffectiveTargets } from '../../features/scorecards/api/get-effective-targets.ts';
import { useScorecardTargets } from '../../features/scorecards/api/list-targets.ts';
import { ScorecardSections } from '../../features/scorecards/components/scorecard-sections.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useMetrics } from '../../features/scorecards/api/list-metrics.ts';
import { useScorecards } from '../../features/scorecards/api/list-scorecards.ts';
import { useSaveScorecard } from '../../features/scorecards/api/scorecard-mutations.ts';
import { ComputationProgress } from '../../features/scorecards/components/computation-progress.tsx';
import { TakeSnapshotButton } from '../../features/scorecards/components/take-snapshot-button.tsx';
import { DefinitionEditor } from '../../features/scorecards/components/definition-editor.tsx';
import { ScorecardBoard } from '../../features/scorecards/components/scorecard-board.tsx';
import { canManageScorecards, canReadAllScores } from '../../features/scorecards/scorecards-permissions.ts';
import { NotFoundPage } from './not-found-page.tsx';
import { isIsoDate } from '../../../../common/dates.ts';
import { useScorecardCheck } from '../../features/scorecards/use-scorecard-check.ts';

function EditScorecardButton({ view }: { view: ScorecardView }) {
  const metrics = useMetrics();
  const save = useSaveScorecard(view.key);
  const check = useScorecardCheck((metrics.data?.items ?? []).map((m) => m.definition));
  return (
    <ModalButton
      label="Edit"
      title={`Edit ${view.definition.name}`}
      icon={<IconPencil size={16} aria-hidden />}
      variant="default"
      size="xl"
      onDismiss={() => save.reset()}
    >
      {(dismiss) => (
        <DefinitionEditor
          label="Scorecard definition"
          initial={view.definition}
          check={check}
          saving={save.isPending}
          saveError={save.error}
          onSave={(d) => save.mutate(d as ScorecardDefinitionInput, { onSuccess: dismiss })}
        />
      )}
    </ModalButton>
  );
}

/** One scorecard, live: every subject for a period, at a roll-up level, with charts and the ranking. */
export function ScorecardPage() {
  const { user } = useCurrentSession();
  return canReadAllScores(user) ? <LiveScorecard manage={canManageScorecards(user)} /> : <NotFoundPage />;
}

function LiveScorecard({ manage }: { manage: boolean }) {
  const { key = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const period = isIsoDate(params.get('period') ?? '') ? (params.get('period') ?? '') : dateOf(new Date());
  const level = params.get('level') ?? undefined;
  const [periodText, setPeriodText] = useState(period);
  const result = useScorecardResult(key, period, level);
  const defs = useScorecards(manage);
  const view = defs.data?.items.find((d) => d.key === key);
  const set = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) p.set(k, v);
    setParams(p, { replace: true });
  };
  // A large scorecard is computed in the background: its progress until the figures are there.
  const computing = result.data && isComputation(result.data) ? result.data : undefined;
  const data = result.data && !isComputation(result.data) ? result.data : undefined;
  const recompute = useRecomputeScorecard(key, period, level);
  const targets = useScorecardTargets(key);
  const effective = useEffectiveTargets(key, data?.level ?? '', data?.subjects.map((s) => s.subjectId) ?? []);
  // Targets saved after these figures were computed: the page offers to compute them again.
  const lastTargetChange = (targets.data?.items ?? []).reduce<string | null>((a, t) => (a === null || t.updatedAt > a ? t.updatedAt : a), null);
  const stale = data !== undefined && lastTargetChange !== null && Date.parse(lastTargetChange) > Date.parse(data.computedAt);
  return (
    <>
      <PageHeader
        title={data?.name ?? 'Scorecard'}
        description={
          data
            ? `${periodLabel(data.periodStart, data.grain)} · by ${subjectKindLabels[data.level].toLowerCase()} · live figures (not published), computed ${formatDateTime(data.computedAt)}`
            : undefined
        }
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: data?.name ?? key }]}
        actions={
          data ? (
            <>
              <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} loading={recompute.isPending} onClick={() => recompute.mutate()}>
                Recompute
              </Button>
              {manage && view && <EditScorecardButton view={view} />}
              {manage && <TakeSnapshotButton scorecard={key} period={period} level={data.level} />}
            </>
          ) : undefined
        }
      />
      <ScorecardSections scorecard={key} current="figures" />
      <Stack gap="md">
        <FormError error={recompute.error} />
        {stale && (
          <Alert color="yellow" variant="light" title="Targets changed after these figures were computed">
            <Group justify="space-between" gap="sm">
              <Text fz="sm">
                A target was saved {formatDateTime(lastTargetChange)}; the scores shown were computed {formatDateTime(data.computedAt)}.
              </Text>
              <Button size="xs" loading={recompute.isPending} onClick={() => recompute.mutate()}>
                Recompute now
              </Button>
            </Group>
          </Alert>
        )}
        <Paper withBorder radius="md" p="md">
          <Group align="flex-end" gap="lg" wrap="wrap">
            <TextInput
              label="Period containing"
              type="date"
              value={periodText}
              onChange={(e) => {
                setPeriodText(e.currentTarget.value);
                if (isIsoDate(e.currentTarget.value)) set({ period: e.currentTarget.value });
              }}
              w={180}
            />
            {data && data.levels.length > 1 && (
              <Stack gap={4}>
                <Text fz="sm" fw={500} id="scorecard-level">
                  Roll-up level
                </Text>
                <SegmentedControl
                  aria-labelledby="scorecard-level"
                  value={data.level}
                  onChange={(v) => set({ level: v })}
                  data={data.levels.map((l) => ({ value: l, label: subjectKindLabels[l].split(' ')[0] ?? l }))}
                />
              </Stack>
            )}
          </Group>
        </Paper>
        {computing ? (
          <Paper withBorder radius="md" p="md">
            <ComputationProgress computation={computing} label="Computing the scorecard" />
            {computing.status === 'failed' && (
              <Button mt="sm" size="xs" leftSection={<IconRefresh size={14} aria-hidden />} loading={recompute.isPending} onClick={() => recompute.mutate()}>
                Compute again
              </Button>
            )}
          </Paper>
        ) : result.isPending ? (
          <TableSkeleton />
        ) : result.isError ? (
          <QueryError error={result.error} onRetry={() => void result.refetch()} />
        ) : data ? (
          <>
            {data.subjects.length === 0 && (
              <Alert color="gray" variant="light" title="No figures in this period">
                Choose another period: nothing the metrics read falls into {periodLabel(data.periodStart, data.grain)}.
              </Alert>
            )}
            <ScorecardBoard
              key={`${data.level}:${data.periodStart}`}
              metrics={data.metrics}
              subjects={data.subjects}
              total={data.total}
              grain={data.grain}
              showParent={data.level !== 'programme' && data.level !== 'partner'}
              rankingLabel={`${data.name} ranking`}
              effective={effective.data}
            />
          </>
        ) : null}
      </Stack>
    </>
  );
}
