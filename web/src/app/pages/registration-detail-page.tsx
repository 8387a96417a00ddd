import { Loader } from '@mantine/core';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useRegistration } from '../../features/engagement/registrations/api/get-registration.ts';
import { RegistrationDetailView } from '../../features/engagement/registrations/components/registration-detail.tsx';
import { DisputeOpenButton } from '../../features/commissions/components/dispute-open-button.tsx';

/** One registration, for the partner (its own) and for reviewers (with the internal history). */
export function RegistrationDetailPage() {
  const { registrationId = '' } = useParams();
  const { user } = useCurrentSession();
  const reg = useRegistration(registrationId);
  const crumbs = user.partnerId ? [{ label: 'My registrations', to: '/registrations' }] : [{ label: 'Review queue', to: '/engagement/review-queue' }];
  return (
    <>
      <PageHeader
        title={reg.data ? reg.data.reference : 'Registration'}
        crumbs={[...crumbs, { label: reg.data?.reference ?? 'Registration' }]}
        actions={
          // Partner users dispute the credit of their own submitted registrations.
          user.partnerId && reg.data && reg.data.status !== 'draft' ? (
            <DisputeOpenButton
              about={{ kind: 'registration', registrationId: reg.data.id, reference: reg.data.reference }}
              detailPath={(id) => `/registrations/disputes/${id}`}
            />
          ) : undefined
        }
      />
      {reg.isPending ? (
        <Loader aria-label="Loading" />
      ) : reg.isError ? (
        <QueryError error={reg.error} onRetry={() => void reg.refetch()} />
      ) : (
        <RegistrationDetailView registration={reg.data} />
      )}
    </>
  );
}
