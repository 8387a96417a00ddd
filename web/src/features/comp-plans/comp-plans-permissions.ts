import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/comp-plans/comp-plans.policy.ts so the UI only offers what the server allows.

/** Compensation administrators and administrators design plans (create, edit drafts, submit, publish). */
export function canManageComp(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'comp_admin');
}

/** These read every plan and draft; finance also approves its step. */
export function canReadAllComp(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return (
    canManageComp(user) ||
    (user.partnerId === null && user.roles.some((r) => r === 'finance' || r === 'executive' || r === 'programme_lead' || r === 'auditor'))
  );
}
