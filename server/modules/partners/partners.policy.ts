import { hasRole, type Actor } from '../../actor.ts';

/** Vendor staff who run the channel may change partner records; partner admins may edit their own. */
export function canManagePartners(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'channel_manager', 'programme_lead'));
}

export function canEditPartner(actor: Actor, partnerId: string): boolean {
  return canManagePartners(actor) || (actor.kind === 'user' && actor.partnerId === partnerId && hasRole(actor, 'partner_admin'));
}

/** Partner users see their own organisation only; vendor staff see all partners. */
export function canSeePartner(actor: Actor, partnerId: string): boolean {
  return actor.kind === 'system' || actor.partnerId === null || actor.partnerId === partnerId;
}
