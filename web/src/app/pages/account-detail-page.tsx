import { useParams } from 'react-router';
import { canManageAccounts } from '../../features/accounts/account-permissions.ts';
import { AccountDetailView } from '../../features/accounts/components/account-detail.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { NotFoundPage } from './not-found-page.tsx';

export function AccountDetailPage() {
  const { accountId } = useParams();
  const { user } = useCurrentSession();
  if (!accountId) return <NotFoundPage />;
  return (
    <AccountDetailView
      key={accountId}
      accountId={accountId}
      canManage={canManageAccounts(user)}
      crumbs={[{ label: 'Accounts', to: '/accounts' }, { label: 'Account' }]}
    />
  );
}
