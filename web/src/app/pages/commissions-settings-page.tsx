import { Alert } from '@mantine/core';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { canManageCommissions } from '../../features/commissions/commissions-format.ts';
import { FxRateForm, FxRatesTable } from '../../features/commissions/components/fx-rates-section.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const crumbs = [{ label: 'Commissions', to: '/commissions' }, { label: 'Settings' }];

/** Settings of commission calculation: the dated exchange rates runs convert with. */
export function CommissionsSettingsPage() {
  const { user } = useCurrentSession();
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <PageHeader
        title="Commission settings"
        description="Dated exchange rates: what a transaction in another currency is worth in its plan’s currency on the day it is recognised."
        crumbs={crumbs}
      />
      {canManageCommissions(user) ? (
        <>
          <FxRateForm defaultDay={today} />
          <FxRatesTable />
        </>
      ) : (
        <Alert color="gray" variant="light">
          Compensation administrators, finance and administrators maintain exchange rates.
        </Alert>
      )}
    </>
  );
}
