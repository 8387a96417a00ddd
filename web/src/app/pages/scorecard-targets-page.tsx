import { Button, Paper, Stack, Text } from '@mantine/core';
import { IconDownload, IconPlus, IconUpload } from '@tabler/icons-react';
import { useParams } from 'react-router';
import { targetKindsFor } from '../../../../common/api/scorecard-targets.ts';
import { rollUpChains } from '../../../../common/scorecards/scorecard.ts';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useMetrics } from '../../features/scorecards/api/list-metrics.ts';
import { useScorecards } from '../../features/scorecards/api/list-scorecards.ts';
import { useScorecardTargets } from '../../features/scorecards/api/list-targets.ts';
import { scorecardPaths } from '../../features/scorecards/api/paths.ts';
import { ScorecardSections } from '../../features/scorecards/components/scorecard-sections.tsx';
import { TargetForm } from '../../features/scorecards/components/target-form.tsx';
import { TargetImport } from '../../features/scorecards/components/target-import.tsx';
import { targetMetricRows } from '../../features/scorecards/components/target-scope.ts';
import { TargetsTable } from '../../features/scorecards/components/targets-table.tsx';
import { canManageScorecards, canReadAllScores } from '../../features/scorecards/scorecards-permissions.ts';
import { NotFoundPage } from './not-found-page.tsx';

/**
 * A scorecard's targets: each metric's default from the definition, partner tiers' and subjects'
 * own, with filters; add, edit, remove and CSV upload for the programme lead and administrators
 * (targets.service policy); CSV download for every reader.
 */
export function ScorecardTargetsPage() {
  const { user } = useCurrentSession();
  return canReadAllScores(user) ? <Targets manage={canManageScorecards(user)} /> : <NotFoundPage />;
}

function Targets({ manage }: { manage: boolean }) {
  const { key = '' } = useParams();
  const defs = useScorecards();
  const metrics = useMetrics();
  const targets = useScorecardTargets(key);
  const view = defs.data?.items.find((d) => d.key === key);
  if (defs.isSuccess && !view) return <NotFoundPage />;
  const rows = view ? targetMetricRows(view.definition, metrics.data?.items ?? []) : [];
  const kinds = view ? targetKindsFor(rollUpChains[view.definition.subjectKind]) : [];
  const name = view?.definition.name ?? key;
  const failed = defs.error ?? targets.error;
  return (
    <>
      <PageHeader
        title={`${name}: targets`}
        description="Each metric's target and red flag: the scorecard default, overridden by a partner tier's, overridden by a subject's own."
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: name, to: `/scorecards/${encodeURIComponent(key)}` }, { label: 'Targets' }]}
        actions={
          <>
            <Button component="a" href={scorecardPaths.targetsExport(key)} download variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
              Download CSV
            </Button>
            {manage && view && (
              <>
                <ModalButton label="Upload CSV" title="Upload targets from CSV" variant="default" icon={<IconUpload size={16} aria-hidden />} size="xl">
                  {(dismiss) => <TargetImport scorecard={key} onDone={dismiss} />}
                </ModalButton>
                <ModalButton label="Add target" title="Add a target" icon={<IconPlus size={16} aria-hidden />}>
                  {(dismiss) => <TargetForm scorecard={key} rows={rows} kinds={kinds} onDone={dismiss} />}
                </ModalButton>
              </>
            )}
          </>
        }
      />
      <ScorecardSections scorecard={key} current="targets" />
      {failed ? (
        <QueryError
          error={failed}
          onRetry={() => {
            void defs.refetch();
            void targets.refetch();
          }}
        />
      ) : !view || !targets.data ? (
        <TableSkeleton />
      ) : (
        <Stack gap="md">
          {!manage && (
            <Text fz="sm" c="dimmed">
              The programme lead and administrators change targets.
            </Text>
          )}
          <Paper withBorder radius="md" p="md">
            <TargetsTable scorecard={key} rows={rows} kinds={kinds} stored={targets.data.items} manage={manage} />
          </Paper>
        </Stack>
      )}
    </>
  );
}
