import type { DisputeAction, DisputeStatus } from '../../../common/api/commissions-disputes.ts';

/**
 * The dispute workflow, as pure functions.
 *
 *   open -> in_review -> resolved | rejected      (resolving or rejecting straight from open is allowed)
 *   resolved | rejected -> open                   (reopen: see reopenProblem)
 *   open | in_review -> merged                    (its side moved into another case; final)
 *
 * Reopening: a decision stays open to challenge while the commission period it was decided in is
 * open. That period is the one the adjustment was booked in, or (for a rejection or a resolution
 * without change) the current open period at the time of the decision. Once that period is closed
 * the decision is final: its pay has gone to payroll, and a new question is a new case. A decision
 * taken while no period was open can be reopened until one is recorded for it, i.e. always.
 * The people handling a case and its internal opener reopen it; a partner asks in a comment.
 * Reopening never undoes a booked adjustment (adjustments are insert-only); a later resolution
 * books a further, possibly negative, adjustment.
 */

export const activeStatuses: readonly DisputeStatus[] = ['open', 'in_review'];
export const isActive = (s: DisputeStatus): boolean => activeStatuses.includes(s);
export const isDecided = (s: DisputeStatus): boolean => s === 'resolved' || s === 'rejected';

/** Why a status change cannot happen now, or null when it can. */
export function transitionProblem(
  status: DisputeStatus,
  to: 'in_review' | 'resolved' | 'rejected' | 'reopen',
  ctx: { decidedInPeriodStatus: 'open' | 'closed' | null; reference: string; mergedIntoReference: string | null },
): string | null {
  if (status === 'merged') return `The case was merged into ${ctx.mergedIntoReference ?? 'another case'}: continue there`;
  switch (to) {
    case 'in_review':
      if (status === 'in_review') return `${ctx.reference} is already in review`;
      if (status !== 'open') return `${ctx.reference} is ${status}: reopen it first`;
      return null;
    case 'resolved':
    case 'rejected':
      if (!isActive(status)) return `${ctx.reference} is already ${status}`;
      return null;
    case 'reopen':
      if (!isDecided(status)) return `${ctx.reference} is ${status.replace('_', ' ')}, not decided: there is nothing to reopen`;
      if (ctx.decidedInPeriodStatus === 'closed')
        return `${ctx.reference} was decided in a commission period that is now closed: the decision is final, open a new dispute instead`;
      return null;
  }
}

export type Capabilities = {
  /** Compensation administrators, finance, administrators (and the system). */
  manage: boolean;
  /** Channel managers: take partner-side cases, link, assign. */
  channel: boolean;
  partner: boolean;
  assignee: boolean;
  opener: boolean;
};

/** What the reader may do with a case in its current state (the buttons the screen shows). */
export function allowedActions(c: Capabilities, d: { status: DisputeStatus; decidedInPeriodStatus: 'open' | 'closed' | null }): DisputeAction[] {
  if (d.status === 'merged') return [];
  const handler = c.manage || c.channel || c.assignee;
  const out: DisputeAction[] = ['comment'];
  // Partners comment (and ask for a reopening there); the vendor's people act.
  if (c.partner) return out;
  out.push('comment_internal');
  if (c.manage || c.channel) out.push('assign', 'link');
  if (handler && d.status === 'open') out.push('start_review');
  if (handler && isActive(d.status)) {
    out.push('resolve', 'reject');
    if (c.manage) out.push('adjust');
  }
  if ((handler || c.opener) && isDecided(d.status) && d.decidedInPeriodStatus !== 'closed') out.push('reopen');
  return out;
}

/** How an internal actor is named to partner users: never by name (the vendor's people stay "the vendor"). */
export function partnerFacingLabel(e: { actorPartnerId: string | null; actorLabel: string }, readerPartnerId: string): string {
  return e.actorPartnerId === readerPartnerId ? e.actorLabel : 'Vendor team';
}

/** The day (UTC) of an instant, as the periods count days. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
