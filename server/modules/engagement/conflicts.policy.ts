import { hasRole, type Actor } from '../../actor.ts';

/**
 * Conflicts are internal: they name both sides. Channel managers, the programme lead and
 * administrators see and resolve them; other internal staff are refused; partner users are told
 * nothing exists (404), so they cannot even learn that conflicts are a thing to probe.
 */
export function canWorkConflicts(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'channel_manager', 'programme_lead', 'admin'));
}

export function isPartnerUser(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId !== null;
}
