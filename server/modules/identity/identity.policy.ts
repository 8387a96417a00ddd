import { isPartnerRole, type Role } from '../../../common/roles.ts';
import { hasRole, type Actor } from '../../actor.ts';

/** Who may do what with users and tokens. Visibility of other partners' rows is checked here and by RLS. */

export function canManageAllUsers(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin'));
}

/** A partner admin manages the users of their own organisation, with partner roles only. */
export function canManageUsersOf(actor: Actor, partnerId: string | null): boolean {
  if (canManageAllUsers(actor)) return true;
  return actor.kind === 'user' && partnerId !== null && actor.partnerId === partnerId && hasRole(actor, 'partner_admin');
}

export function canListUsers(actor: Actor): boolean {
  return canManageAllUsers(actor) || (actor.kind === 'user' && actor.partnerId !== null && hasRole(actor, 'partner_admin'));
}

/** Roles must fit the kind of user: partner roles for partner users, internal roles otherwise. */
export function rolesFit(roles: readonly Role[], partnerId: string | null): boolean {
  return roles.length > 0 && roles.every((r) => isPartnerRole(r) === (partnerId !== null));
}
