import { Loader } from '@mantine/core';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useDispute } from '../../features/commissions/api/disputes.ts';
import { DisputeDetailView } from '../../features/commissions/components/dispute-detail.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { disputePath } from './commissions-disputes-page.tsx';

/** One dispute, for internal users (both sides, pay where they may read it) and for partner users (their side only). */
export function CommissionsDisputeDetailPage() {
  const { disputeId = '' } = useParams();
  const { user } = useCurrentSession();
  const partner = user.partnerId !== null;
  const dispute = useDispute(disputeId);
  const list = partner ? '/registrations/disputes' : '/commissions/disputes';
  return (
    <>
      <PageHeader
        title={dispute.data ? `Dispute ${dispute.data.reference}` : 'Dispute'}
        crumbs={[{ label: 'Disputes', to: list }, { label: dispute.data?.reference ?? 'Dispute' }]}
      />
      {dispute.isPending ? (
        <Loader aria-label="Loading" />
      ) : dispute.isError ? (
        <QueryError error={dispute.error} onRetry={() => void dispute.refetch()} />
      ) : (
        <DisputeDetailView dispute={dispute.data} detailPath={disputePath(partner)} />
      )}
    </>
  );
}
