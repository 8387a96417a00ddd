import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/comp-plans/rollout.policy.ts so the UI only offers what the server allows.

/** Compensation administrators and administrators answer disputes and set the rollout clock. */
export function canManageRollouts(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'comp_admin');
}
