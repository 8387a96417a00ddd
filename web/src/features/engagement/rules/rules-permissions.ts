import type { UserView } from '../../../../../common/api/identity.ts';

// Mirrors server/modules/engagement/rules.policy.ts so the UI only offers what the server allows.

/** The programme lead and administrators write, publish and retire versions and keep the scenarios. */
export function canManageRules(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'programme_lead');
}

/** Channel managers also read drafts and see who acknowledged. */
export function canAdministerRules(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return canManageRules(user) || (user.partnerId === null && user.roles.includes('channel_manager'));
}
