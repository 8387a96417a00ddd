import { hasRole, type Actor } from '../../actor.ts';

/** The programme lead and administrators write the rules of the road and keep the scenario taxonomy. */
export function canManageRules(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'programme_lead'));
}

/** Drafts are work in progress: their authors and the channel managers who will apply them read them. */
export function canSeeDraftRules(actor: Actor): boolean {
  return canManageRules(actor) || (actor.kind === 'user' && actor.partnerId === null && hasRole(actor, 'channel_manager'));
}

/** Named reviewers and escalation contacts are vendor staff: only the vendor's own people see who they are. */
export function canSeeRuleStaff(actor: Actor): boolean {
  return actor.kind === 'system' || actor.partnerId === null;
}

/**
 * Who acknowledged: everyone for the people who run the channel; a partner admin sees their own
 * organisation only; nobody else.
 */
export function acknowledgementScope(actor: Actor): 'all' | 'partner' | null {
  if (actor.kind === 'system') return 'all';
  if (actor.partnerId === null) return hasRole(actor, 'admin', 'programme_lead', 'channel_manager') ? 'all' : null;
  return hasRole(actor, 'partner_admin') ? 'partner' : null;
}

export function canManageScenarios(actor: Actor): boolean {
  return canManageRules(actor);
}
