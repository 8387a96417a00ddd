import type { ApprovalStepName } from '../../../common/api/comp-plans.ts';
import { hasRole, type Actor } from '../../actor.ts';

/**
 * Who may do what with compensation plans. Partner users see nothing of internal pay (every route
 * answers 404; RLS hides every row from the partner scope as well).
 */

export function isPartner(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId !== null;
}

/** Compensation administrators and administrators design plans, participants, assignments and quotas. */
export function canManageComp(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'comp_admin'));
}

/** Everything (every plan, draft and participant) is readable by these; others read only what is theirs. */
export function canReadAllComp(actor: Actor): boolean {
  return canManageComp(actor) || (actor.kind === 'user' && actor.partnerId === null && hasRole(actor, 'finance', 'executive', 'programme_lead', 'auditor'));
}

/** The payout ceiling is an organisation setting: administrators, compensation administrators and finance change it. */
export function canChangeCompSettings(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'comp_admin', 'finance'));
}

/**
 * The role a step of the approval chain asks for: the compensation administrator's review (or an
 * administrator's), finance's, and a manager of an assigned participant (any of them). Approvals
 * are people's decisions: the system never approves.
 */
export function mayDecideStep(actor: Actor, step: ApprovalStepName, managerUserIds: ReadonlySet<string>): boolean {
  if (actor.kind !== 'user' || actor.partnerId !== null) return false;
  switch (step) {
    case 'comp_admin':
      return hasRole(actor, 'comp_admin', 'admin');
    case 'finance':
      return hasRole(actor, 'finance');
    case 'manager':
      return managerUserIds.has(actor.userId);
  }
}
