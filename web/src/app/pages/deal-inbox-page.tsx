import { Loader } from '@mantine/core';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useOffers } from '../../features/engagement/offers/api/list-offers.ts';
import { OffersInbox } from '../../features/engagement/offers/components/offers-inbox.tsx';

export function DealInboxPage() {
  const offers = useOffers({ limit: 100, offset: 0 });
  return (
    <>
      <PageHeader
        title="Deal inbox"
        description="Opportunities the vendor offers your organisation. Accepting registers the deal for review."
        crumbs={[{ label: 'My registrations', to: '/registrations' }, { label: 'Deal inbox' }]}
      />
      {offers.isPending ? (
        <Loader aria-label="Loading" />
      ) : offers.isError ? (
        <QueryError error={offers.error} onRetry={() => void offers.refetch()} />
      ) : (
        <OffersInbox offers={offers.data.items} />
      )}
    </>
  );
}
