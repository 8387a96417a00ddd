import { hasRole, type Actor } from '../../actor.ts';

/**
 * Who may simulate plans against the transaction store and read the simulations: compensation
 * administrators, administrators and finance (they see every participant's pay). Partner users see
 * nothing of internal pay (404; RLS hides every row as well).
 */

export function isPartnerActor(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId !== null;
}

export function canSimulate(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'comp_admin', 'admin', 'finance'));
}
