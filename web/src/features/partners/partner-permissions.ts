import type { Role } from '../../../../common/roles.ts';

/** Who may create and edit partners and their contacts in the UI; the server enforces the same. */
export function canManagePartners(roles: readonly Role[]): boolean {
  return roles.includes('admin') || roles.includes('channel_manager');
}
