import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/accounts/accounts.policy.ts so the UI only offers what the server allows.

/** Vendor staff read accounts; partner users see none. */
export function canReadAccounts(user: Pick<UserView, 'partnerId'>): boolean {
  return user.partnerId === null;
}

/** The people who run the channel keep the customer master and decide who owns an account. */
export function canManageAccounts(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'channel_manager' || r === 'programme_lead');
}
