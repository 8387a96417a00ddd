import { hasRole, type Actor } from '../../actor.ts';

/** Friction analytics are the vendor's own mirror: internal leadership and channel staff only. */
export function canSeeFriction(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'executive', 'programme_lead', 'channel_manager', 'admin'));
}
