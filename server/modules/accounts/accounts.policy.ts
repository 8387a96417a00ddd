import { hasRole, type Actor } from '../../actor.ts';

/** Accounts are the vendor's records: its staff read them, partners see none (yet). */
export function canReadAccounts(actor: Actor): boolean {
  return actor.kind === 'system' || actor.partnerId === null;
}

/** The people who run the channel keep the customer master and decide who owns an account. */
export function canEditAccounts(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'channel_manager', 'programme_lead'));
}
