import { Group, Paper, Select } from '@mantine/core';
import { useState } from 'react';
import { offerStatus, type OfferStatus } from '../../../../common/api/engagement-offers.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { PartnerSelect } from '../../features/accounts/components/partner-select.tsx';
import { useSentOffers } from '../../features/engagement/offers-admin/api/list-sent-offers.ts';
import { PushOfferButton } from '../../features/engagement/offers-admin/components/push-offer-button.tsx';
import { SentOffersTable } from '../../features/engagement/offers-admin/components/sent-offers-table.tsx';
import { NotFoundPage } from './not-found-page.tsx';

const pageSize = 50;
const statusLabels: Record<OfferStatus, string> = {
  offered: 'Offered (waiting)',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

/** Channel managers push opportunities into partners' deal inboxes and follow the answers. */
export function OffersAdminPage() {
  const { user } = useCurrentSession();
  // Offers are channel staff's work; for anyone else the page does not exist, as the API says.
  return user.roles.some((r) => r === 'admin' || r === 'programme_lead' || r === 'channel_manager') ? <OffersAdmin /> : <NotFoundPage />;
}

function OffersAdmin() {
  const [status, setStatus] = useState<OfferStatus | null>(null);
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const list = useSentOffers({ status: status ?? undefined, partnerId: partnerId ?? undefined, limit: pageSize, offset });
  return (
    <>
      <PageHeader
        title="Offers"
        description="Opportunities pushed to partners’ deal inboxes. An accepted offer becomes a registration that goes through review like any other."
        crumbs={[{ label: 'Engagement', to: '/engagement' }, { label: 'Offers' }]}
        actions={<PushOfferButton />}
      />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm" gap="md" align="flex-end">
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            w={200}
            data={offerStatus.options.map((s) => ({ value: s, label: statusLabels[s] }))}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setOffset(0);
            }}
          />
          <div style={{ width: 280 }}>
            <PartnerSelect
              value={partnerId}
              onChange={(id) => {
                setPartnerId(id);
                setOffset(0);
              }}
            />
          </div>
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <SentOffersTable items={list.data.items} emptyText={status || partnerId ? 'No offer matches these filters.' : 'No offer has been pushed yet.'} />
            <Pager total={list.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="offers" />
          </>
        )}
      </Paper>
    </>
  );
}
