import { Skeleton } from '@mantine/core';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useCompSettings } from '../../features/comp-participants/api/settings.ts';
import { PayoutCeilingForm } from '../../features/comp-participants/components/payout-ceiling-form.tsx';
import { canChangeCompSettings } from '../../features/comp-participants/comp-participants-permissions.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

/** Organisation-wide settings of compensation: the payout ceiling. */
export function CompSettingsPage() {
  const { user } = useCurrentSession();
  const settings = useCompSettings();
  return (
    <>
      <PageHeader
        title="Compensation settings"
        description="Rules every compensation plan must keep."
        crumbs={[{ label: 'Comp plans', to: '/comp-plans' }, { label: 'Settings' }]}
      />
      {settings.isPending ? (
        <Skeleton h={240} maw={760} />
      ) : settings.isError ? (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <PayoutCeilingForm key={String(settings.data.payoutCeilingMinor)} settings={settings.data} canChange={canChangeCompSettings(user)} />
      )}
    </>
  );
}
