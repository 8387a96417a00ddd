import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useNavigate, useParams } from 'react-router';
import { subjectKindLabels } from '../../../../common/scorecards/metric.ts';
import { periodLabel } from '../../../../common/scorecards/scorecard.ts';
import { FormError } from '../../components/ui/form-error.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useSnapshot } from '../../features/scorecards/api/get-snapshot.ts';
import { scorecardPaths } from '../../features/scorecards/api/paths.ts';
import { useDiscardSnapshot, usePublishSnapshot } from '../../features/scorecards/api/scorecard-mutations.ts';
import { ScorecardBoard } from '../../features/scorecards/components/scorecard-board.tsx';
import { canManageScorecards } from '../../features/scorecards/scorecards-permissions.ts';
import { formatDateTime } from '../../lib/format.ts';

/** One snapshot: frozen figures, exports, and (drafts, for those who publish) publish or discard. */
export function ScorecardSnapshotPage() {
  const { snapshotId = '' } = useParams();
  const { user } = useCurrentSession();
  const snap = useSnapshot(snapshotId);
  const publish = usePublishSnapshot();
  const discard = useDiscardSnapshot();
  const navigate = useNavigate();
  const s = snap.data;
  const manage = canManageScorecards(user);
  const exports = s
    ? (['pdf', 'xlsx', 'csv'] as const).map((f) => (
        <Button key={f} component="a" href={scorecardPaths.exportFile(s.id, f)} download variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
          {f.toUpperCase()}
        </Button>
      ))
    : null;
  return (
    <>
      <PageHeader
        title={s ? `${s.name}, ${periodLabel(s.periodStart, s.grain)}` : 'Scorecard snapshot'}
        description={
          s
            ? `By ${subjectKindLabels[s.level].toLowerCase()} · ${s.status === 'published' ? `published ${formatDateTime(s.publishedAt)} by ${s.publishedBy ?? ''}` : `draft taken ${formatDateTime(s.takenAt)}`}`
            : undefined
        }
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: 'Snapshot' }]}
        actions={
          s ? (
            <>
              {manage && s.status === 'draft' && (
                <>
                  <Button
                    variant="default"
                    color="red"
                    loading={discard.isPending}
                    onClick={() => discard.mutate(s.id, { onSuccess: () => void navigate('/scorecards') })}
                  >
                    Discard draft
                  </Button>
                  <Button loading={publish.isPending} onClick={() => publish.mutate(s.id)}>
                    Publish
                  </Button>
                </>
              )}
              {exports}
            </>
          ) : undefined
        }
      />
      {snap.isPending ? (
        <TableSkeleton />
      ) : snap.isError ? (
        <QueryError error={snap.error} onRetry={() => void snap.refetch()} />
      ) : s ? (
        <Stack gap="md">
          <FormError error={publish.error ?? discard.error} />
          {s.status === 'draft' ? (
            <Alert color="gray" variant="light" title="Draft">
              Only the people who publish see a draft. Publishing freezes it for good and notifies its audience.
            </Alert>
          ) : s.partnerView ? (
            <Text fz="sm" c="dimmed">
              Your organisation&rsquo;s figures, with anonymised benchmarks of the other partners (quartiles only, and only with at least five peers).
            </Text>
          ) : (
            <Group gap="xs">
              <Text fz="sm" c="dimmed">
                Frozen: these figures never change. Published for{' '}
                {s.audiences
                  .map((a) =>
                    a.kind === 'internal'
                      ? 'everyone internal'
                      : a.kind === 'team'
                        ? `team ${a.team}`
                        : a.kind === 'committee'
                          ? 'the oversight committee'
                          : 'partners',
                  )
                  .join(', ')}
                .
              </Text>
            </Group>
          )}
          <ScorecardBoard
            metrics={s.metrics}
            subjects={s.subjects}
            total={s.total}
            grain={s.grain}
            benchmarks={s.partnerView ? s.benchmarks : undefined}
            showParent={!s.partnerView && s.level !== 'programme' && s.level !== 'partner'}
            rankingLabel={`${s.name} ranking`}
          />
        </Stack>
      ) : null}
    </>
  );
}
