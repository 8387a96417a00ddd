import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/comp-plans/comp-plans.policy.ts so the UI only offers what the server allows.

/** The payout ceiling is an organisation setting: administrators, compensation administrators and finance change it. */
export function canChangeCompSettings(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'comp_admin' || r === 'finance');
}
