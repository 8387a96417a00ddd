import { hasRole, type Actor } from '../../actor.ts';

/**
 * Who may do what with scorecards (this first part: metrics, activities, opportunities). Everything
 * here is internal for now: partner users are answered 404 by every route, and RLS hides every row
 * of these tables from the partner scope as well.
 */

export function isPartnerUser(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId !== null;
}

/** The programme lead and administrators keep the metric library. */
export function canManageMetrics(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'programme_lead'));
}

/** The people who run the channel and read its figures: every metric for every subject. */
export function canReadAllScores(actor: Actor): boolean {
  return (
    canManageMetrics(actor) ||
    (actor.kind === 'user' && actor.partnerId === null && hasRole(actor, 'channel_manager', 'executive', 'comp_admin', 'finance', 'auditor'))
  );
}

/** Log an activity for anyone (a seller logs only their own). */
export function canLogForOthers(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'programme_lead', 'channel_manager'));
}

/**
 * Importing opportunities creates sellers and managers (comp participants), which only
 * administrators (and compensation administrators, who own participants) may do.
 */
export function canImportOpportunities(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'comp_admin'));
}

/** Scorecard definitions and their publication: the programme lead and administrators. */
export function canManageScorecards(actor: Actor): boolean {
  return canManageMetrics(actor);
}

export type SnapshotAudienceFacts = {
  status: 'draft' | 'published';
  audiences: readonly ({ kind: 'internal' } | { kind: 'team'; team: string } | { kind: 'committee'; roles: readonly string[] } | { kind: 'partners' })[];
};

/**
 * May an internal user open a snapshot? Readers of every score see them all, drafts included;
 * anyone else sees a published one whose audience includes them: every internal user, their team,
 * or a committee whose roles they hold. Partner users are decided by row-level security and the
 * service (own row only), not here.
 */
export function canSeeSnapshot(actor: Actor, s: SnapshotAudienceFacts, myTeams: readonly string[]): boolean {
  if (isPartnerUser(actor)) return false;
  if (canReadAllScores(actor)) return true;
  if (s.status !== 'published' || actor.kind !== 'user') return false;
  return s.audiences.some(
    (a) =>
      a.kind === 'internal' ||
      (a.kind === 'team' && myTeams.includes(a.team)) ||
      (a.kind === 'committee' && a.roles.some((r) => (actor.roles as readonly string[]).includes(r))),
  );
}
