import { useParams } from 'react-router';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { PartnerDetail } from '../../features/partners/components/partner-detail.tsx';
import { canEditPartner } from '../../features/partners/partner-permissions.ts';
import { NotFoundPage } from './not-found-page.tsx';

export function PartnerDetailPage() {
  const { partnerId } = useParams();
  const { user } = useCurrentSession();
  if (!partnerId) return <NotFoundPage />;
  return (
    <PartnerDetail
      key={partnerId}
      partnerId={partnerId}
      canManage={canEditPartner(user, partnerId)}
      crumbs={[{ label: 'Partners', to: '/partners' }, { label: 'Partner' }]}
    />
  );
}
