import { Alert, Anchor, Button, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { CommissionPeriodView } from '../../../../../common/api/commissions-close.ts';
import type { CommissionRunView } from '../../../../../common/api/commissions-runs.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { commissionPaths } from '../api/paths.ts';
import { useApprovePayouts, useClosePeriod, useRestatePeriod } from '../api/periods.ts';
import { useRuns } from '../api/runs.ts';
import { periodLabel } from '../commissions-format.ts';

/** What the signed-in user may do with periods (mirrors close.service.ts guardManage / guardApprove). */
export type PeriodPermissions = { manage: boolean; approve: boolean };

function runLabel(r: CommissionRunView): string {
  return `${new Date(r.finishedAt ?? r.createdAt).toLocaleString()} · ${r.resultCount ?? 0} results · ${(r.resultHash ?? '').slice(0, 12)}`;
}

/** Completed runs over exactly the period's dates, newest first. */
function useRunsOver(period: CommissionPeriodView) {
  const runs = useRuns({ limit: 100, offset: 0 });
  const over = (runs.data?.items ?? []).filter((r) => r.status === 'completed' && r.periodStart === period.periodStart && r.periodEnd === period.periodEnd);
  return { runs, over };
}

function RunChoice({
  period,
  exclude,
  confirmLabel,
  explanation,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  period: CommissionPeriodView;
  exclude: ReadonlySet<string>;
  confirmLabel: string;
  explanation: string;
  pending: boolean;
  error: unknown;
  onConfirm: (runId: string) => void;
  onCancel: () => void;
}) {
  const { runs, over } = useRunsOver(period);
  const choices = over.filter((r) => !exclude.has(r.id));
  const [runId, setRunId] = useState<string | null>(null);
  const chosen = runId ?? choices[0]?.id ?? null;
  return (
    <Stack gap="sm">
      <Text fz="sm">{explanation}</Text>
      {choices.length === 0 && !runs.isPending ? (
        <Alert color="gray" variant="light">
          No completed run over {period.periodStart} to {period.periodEnd} can be used: start one under Runs.
        </Alert>
      ) : (
        <Select label="Run" data={choices.map((r) => ({ value: r.id, label: runLabel(r) }))} value={chosen} onChange={setRunId} allowDeselect={false} />
      )}
      <FormError error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button disabled={chosen === null} loading={pending} onClick={() => chosen && onConfirm(chosen)}>
          {confirmLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** Close, approve payouts, restate and the payroll download, each offered only to those who may. */
export function PeriodActions({ period, can }: { period: CommissionPeriodView; can: PeriodPermissions }) {
  const close = useClosePeriod(period.id);
  const approve = useApprovePayouts(period.id);
  const restate = useRestatePeriod(period.id);
  const label = periodLabel(period.periodStart, period.periodEnd);
  const versions = new Set(period.versions.map((v) => v.runId));
  const approved = period.payout.status === 'approved';
  return (
    <Group gap="sm">
      {can.manage && period.status === 'open' && (
        <ModalButton label="Close period" title={`Close ${label}`} onDismiss={() => close.reset()}>
          {(dismiss) => (
            <RunChoice
              period={period}
              exclude={versions}
              confirmLabel="Close period"
              explanation="The run’s results become the period’s official results (version 1). Once closed, nobody can change them, not even in the database; later changes restate the period."
              pending={close.isPending}
              error={close.error}
              onCancel={dismiss}
              onConfirm={(runId) =>
                close.mutate(runId, {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: `${label} closed.` });
                    dismiss();
                  },
                })
              }
            />
          )}
        </ModalButton>
      )}
      {can.approve && period.status === 'closed' && !approved && (
        <ModalButton label="Approve payouts" title={`Approve the payouts of ${label}`} onDismiss={() => approve.reset()}>
          {(dismiss) => (
            <Stack gap="sm">
              <Text fz="sm">Approving releases the payroll export of this period. It is done once and cannot be undone.</Text>
              <FormError error={approve.error} />
              <Group justify="flex-end">
                <Button variant="default" onClick={dismiss}>
                  Cancel
                </Button>
                <Button
                  loading={approve.isPending}
                  onClick={() =>
                    approve.mutate(undefined, {
                      onSuccess: () => {
                        notifications.show({ color: 'green', message: `Payouts of ${label} approved.` });
                        dismiss();
                      },
                    })
                  }
                >
                  Approve payouts
                </Button>
              </Group>
            </Stack>
          )}
        </ModalButton>
      )}
      {can.manage && period.status === 'closed' && (
        <ModalButton label="Restate" variant="default" title={`Restate ${label}`} onDismiss={() => restate.reset()}>
          {(dismiss) => (
            <RunChoice
              period={period}
              exclude={versions}
              confirmLabel="Restate period"
              explanation="A later run becomes the next version. Each participant’s difference to the current version is booked as an adjustment in the next open period; what this period paid never changes."
              pending={restate.isPending}
              error={restate.error}
              onCancel={dismiss}
              onConfirm={(runId) =>
                restate.mutate(runId, {
                  onSuccess: (r) => {
                    notifications.show({
                      color: 'green',
                      message: `${label} restated as version ${r.version}: ${r.adjustments.length} adjustment${r.adjustments.length === 1 ? '' : 's'} booked.`,
                    });
                    dismiss();
                  },
                })
              }
            />
          )}
        </ModalButton>
      )}
      {period.status === 'closed' && approved && (
        <Anchor href={commissionPaths.payrollCsv(period.id)} download fz="sm" aria-label={`Download the payroll CSV of ${label}`}>
          <Group gap={4} component="span">
            <IconDownload size={16} aria-hidden />
            Payroll CSV
          </Group>
        </Anchor>
      )}
    </Group>
  );
}
