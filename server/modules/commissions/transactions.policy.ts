import { hasRole, type Actor } from '../../actor.ts';

/**
 * Who may import and read sales transactions: compensation administrators, administrators and
 * finance. Partner users see nothing of internal pay (404; RLS hides every row as well).
 */

export function isPartnerActor(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId !== null;
}

export function canImportTransactions(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'comp_admin', 'admin', 'finance'));
}
