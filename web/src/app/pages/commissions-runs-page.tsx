import { Alert } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useCreateRun } from '../../features/commissions/api/runs.ts';
import { canManageCommissions, periodLabel } from '../../features/commissions/commissions-format.ts';
import { RunForm } from '../../features/commissions/components/run-form.tsx';
import { RunsTable } from '../../features/commissions/components/runs-table.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const crumbs = [{ label: 'Commissions', to: '/commissions' }, { label: 'Runs' }];

/** Start period runs and follow them until completed (with the result hash) or failed (with the reason). */
export function CommissionsRunsPage() {
  const { user } = useCurrentSession();
  const create = useCreateRun();
  return (
    <>
      <PageHeader
        title="Period runs"
        description="A run pays every participant with a plan assignment for the payout periods it covers. The same inputs and plan versions always give the same result hash."
        crumbs={crumbs}
      />
      {canManageCommissions(user) ? (
        <RunForm
          defaultYear={new Date().getFullYear()}
          pending={create.isPending}
          error={create.error}
          onStart={(r) =>
            create.mutate(r, {
              onSuccess: (run) => notifications.show({ color: 'green', message: `Run for ${periodLabel(run.periodStart, run.periodEnd)} started.` }),
            })
          }
        />
      ) : (
        <Alert color="gray" variant="light" mb="md">
          Compensation administrators, finance and administrators start runs.
        </Alert>
      )}
      <RunsTable />
    </>
  );
}
