import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/partners/partners.policy.ts so the UI only offers what the server allows.

/** Vendor staff who run the channel create partners and edit any partner. */
export function canManagePartners(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'channel_manager' || r === 'programme_lead');
}

/** Partner administrators also edit their own organisation's profile and contacts. */
export function canEditPartner(user: Pick<UserView, 'roles' | 'partnerId'>, partnerId: string): boolean {
  return canManagePartners(user) || (user.partnerId === partnerId && user.roles.includes('partner_admin'));
}

/** Partner administrators add and edit the users of their own organisation (partner roles only). */
export function canManagePartnerUsers(user: Pick<UserView, 'roles' | 'partnerId'>, partnerId: string): boolean {
  return user.partnerId === partnerId && user.roles.includes('partner_admin');
}
