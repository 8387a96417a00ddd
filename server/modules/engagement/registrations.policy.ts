import type { RegistrationAction, RegistrationStatusName } from '../../../common/api/engagement-registrations.ts';
import { hasRole, type Actor } from '../../actor.ts';

/**
 * Who may do what with a deal registration. Partner users act on their own organisation's
 * registrations; vendor staff who run the channel review all of them; anyone a route names as
 * reviewer or escalation contact reviews (or follows) the registrations routed to them.
 */

type RegistrationRef = { partnerId: string; reviewerUserId: string | null; escalationUserId: string | null };

/** Internal roles that see and review every registration. */
export const channelStaffRoles = ['admin', 'channel_manager', 'programme_lead'] as const;

export function isChannelStaff(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, ...channelStaffRoles));
}

export function isPartnerUser(actor: Actor): actor is Actor & { kind: 'user'; partnerId: string } {
  return actor.kind === 'user' && actor.partnerId !== null;
}

export function canSeeRegistration(actor: Actor, reg: RegistrationRef): boolean {
  if (actor.kind === 'system' || isChannelStaff(actor)) return true;
  if (actor.partnerId !== null) return actor.partnerId === reg.partnerId;
  return reg.reviewerUserId === actor.userId || reg.escalationUserId === actor.userId;
}

/** Internal users who see only what is routed to them (a reviewer who is not channel staff). */
export function seesOnlyOwnQueue(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId === null && !isChannelStaff(actor);
}

export function canReview(actor: Actor, reg: RegistrationRef): boolean {
  if (actor.kind === 'system') return true;
  if (actor.partnerId !== null) return false;
  return isChannelStaff(actor) || reg.reviewerUserId === actor.userId;
}

export function canRegisterDeals(actor: Actor): boolean {
  return isPartnerUser(actor) && hasRole(actor, 'partner_admin', 'partner_seller');
}

export function isOwnPartner(actor: Actor, reg: RegistrationRef): boolean {
  return actor.kind === 'user' && actor.partnerId !== null && actor.partnerId === reg.partnerId;
}

type Who = 'reviewer' | 'partner' | 'either';
export type TransitionRule = { from: readonly RegistrationStatusName[]; to: RegistrationStatusName; by: Who; needs: 'note' | 'reason' | null };

/** The lifecycle, one row per action. Submission (draft -> submitted) has its own route. */
export const transitions: Readonly<Record<RegistrationAction, TransitionRule>> = {
  start_review: { from: ['submitted'], to: 'under_review', by: 'reviewer', needs: null },
  request_info: { from: ['submitted', 'under_review'], to: 'more_info_requested', by: 'reviewer', needs: 'note' },
  provide_info: { from: ['more_info_requested'], to: 'under_review', by: 'partner', needs: 'note' },
  approve: { from: ['submitted', 'under_review'], to: 'approved', by: 'reviewer', needs: null },
  reject: { from: ['submitted', 'under_review', 'more_info_requested'], to: 'rejected', by: 'reviewer', needs: 'reason' },
  mark_won: { from: ['approved'], to: 'won', by: 'either', needs: null },
  mark_lost: { from: ['approved'], to: 'lost', by: 'either', needs: null },
  withdraw: { from: ['submitted', 'under_review', 'more_info_requested', 'approved'], to: 'withdrawn', by: 'partner', needs: null },
};

/** True when the actor's side may take this action at all (whatever the status). */
export function mayAct(actor: Actor, reg: RegistrationRef, action: RegistrationAction): boolean {
  const by = transitions[action].by;
  const partner = isOwnPartner(actor, reg);
  const reviewer = canReview(actor, reg);
  return by === 'partner' ? partner : by === 'reviewer' ? reviewer : partner || reviewer;
}

/** Why the action is refused, or null when it is allowed. `forbidden` is about who, `conflict` about the status. */
export function transitionProblem(
  actor: Actor,
  reg: RegistrationRef & { status: RegistrationStatusName },
  action: RegistrationAction,
): { code: 'forbidden' | 'conflict'; message: string } | null {
  const rule = transitions[action];
  if (!mayAct(actor, reg, action)) {
    const who = rule.by === 'partner' ? 'the registering partner' : rule.by === 'reviewer' ? 'its reviewer or a channel manager' : 'the partner or a reviewer';
    return { code: 'forbidden', message: `Only ${who} may ${action.replaceAll('_', ' ')} this registration` };
  }
  if (!rule.from.includes(reg.status))
    return { code: 'conflict', message: `A registration that is ${reg.status.replaceAll('_', ' ')} cannot be moved by ${action.replaceAll('_', ' ')}` };
  return null;
}

export function allowedActions(actor: Actor, reg: RegistrationRef & { status: RegistrationStatusName }): RegistrationAction[] {
  return (Object.keys(transitions) as RegistrationAction[]).filter((a) => transitionProblem(actor, reg, a) === null);
}
