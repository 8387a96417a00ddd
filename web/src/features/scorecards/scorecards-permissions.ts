import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/scorecards/scorecards.policy.ts so the UI only offers what the server allows.

export function canManageScorecards(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'programme_lead');
}

/** Live scorecards and the metric library: the programme, channel, compensation and executive roles. */
export function canReadAllScores(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return (
    canManageScorecards(user) ||
    (user.partnerId === null && user.roles.some((r) => ['channel_manager', 'executive', 'comp_admin', 'finance', 'auditor'].includes(r)))
  );
}

/** Roles that see the metric library section (same as the readers). */
export const scoreReaderRoles = ['admin', 'programme_lead', 'channel_manager', 'executive', 'comp_admin', 'finance', 'auditor'] as const;
