import type { z } from 'zod';
import type {
  MyCompPlanView,
  PlanDocumentView,
  RecipientPage,
  RecipientView,
  RolloutCounts,
  RolloutDashboard,
  RolloutPage,
  RolloutSummary,
  TeamCounts,
  updateRolloutRequest,
} from '../../../common/api/comp-rollout.ts';
import { dateOf } from '../../../common/dates.ts';
import { systemActor, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { isPartner } from './comp-plans.policy.ts';
import * as plans from './comp-plans.repository.ts';
import { planDocumentHtml, planDocumentPdf } from './plan-document.render.ts';
import { renderPlanDocument } from './plan-document.rules.ts';
import { canManageRollouts, canReadDocument, canReadRollouts, isSelf } from './rollout.policy.ts';
import * as repo from './rollout.repository.ts';
import { defaultDeadline, isOverdue, joinerDueOn, rolloutClock } from './rollout.rules.ts';

/** The job that tells a new rollout's recipients about their plan, one batch at a time. */
export const ROLLOUT_NOTIFY_JOB = 'comp.rollout-notify';
/** The recurring job: new joiners, reminders and escalations. */
export const ROLLOUT_TICK_JOB = 'comp.rollout-tick';
export const NOTIFY_BATCH = 500;
/** Reminders and escalations handled per tick (the rest on the next tick). */
export const TICK_BATCH = 2000;
export type RolloutNotifyPayload = { rolloutId: string; afterParticipantId: string | null };

const MY_PLAN_LINK = '/my/comp-plan';
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const today = (deps: Deps): string => dateOf(deps.clock.now());

/**
 * Partner users learn nothing of internal pay. With the application's isolation checks off (a
 * test-only switch) a partner is let through as if they could read everything, so the isolation
 * test proves that RLS alone hides every row.
 */
function hideFromPartners(deps: Deps, actor: Actor, what: string): void {
  if (isPartner(actor) && deps.isolationChecks) throw notFound(what);
}
const unchecked = (deps: Deps, actor: Actor): boolean => isPartner(actor) && !deps.isolationChecks;

function mustRead(deps: Deps, actor: Actor): void {
  hideFromPartners(deps, actor, 'Rollout');
  if (!canReadRollouts(actor) && !unchecked(deps, actor))
    throw new AppError('forbidden', 'Rollouts are for compensation administrators, finance and leadership');
}

function mustManage(deps: Deps, actor: Actor): void {
  hideFromPartners(deps, actor, 'Rollout');
  if (!canManageRollouts(actor) && !unchecked(deps, actor))
    throw new AppError('forbidden', 'Only compensation administrators and administrators manage rollouts');
}

// ---------------------------------------------------------------------------------------------
// Views

function recipientView(r: repo.RecipientRow, on: string): RecipientView {
  const dueOn = r.dueOn ?? r.deadlineOn;
  return {
    id: r.compRolloutRecipientId,
    rolloutId: r.compPlanRolloutId,
    participantId: r.compParticipantId,
    participantName: r.participantName,
    externalRef: r.externalRef,
    team: r.team,
    managerName: r.managerName,
    hasLogin: r.appUserId !== null,
    status: r.status,
    overdue: isOverdue({ status: r.status, dueOn }, on),
    dueOn,
    joinedLate: r.joinedLate,
    sentAt: new Date(r.sentAt).toISOString(),
    notifiedAt: iso(r.notifiedAt),
    openedAt: iso(r.openedAt),
    acknowledgedAt: iso(r.acknowledgedAt),
    disputedAt: iso(r.disputedAt),
    disputeComment: r.disputeComment,
    disputes: r.disputes,
    resolvedAt: iso(r.resolvedAt),
    resolvedByName: r.resolvedByName,
    resolutionComment: r.resolutionComment,
    remindersSent: r.remindersSent,
    lastRemindedAt: iso(r.lastRemindedAt),
    escalatedAt: iso(r.escalatedAt),
  };
}

const zeroCounts = (): RolloutCounts => ({ total: 0, sent: 0, opened: 0, acknowledged: 0, disputed: 0, overdue: 0, escalated: 0 });

function addCounts(a: RolloutCounts, b: RolloutCounts): RolloutCounts {
  return {
    total: a.total + b.total,
    sent: a.sent + b.sent,
    opened: a.opened + b.opened,
    acknowledged: a.acknowledged + b.acknowledged,
    disputed: a.disputed + b.disputed,
    overdue: a.overdue + b.overdue,
    escalated: a.escalated + b.escalated,
  };
}

function summaryOf(r: repo.RolloutRow, counts: RolloutCounts, on: string): RolloutSummary {
  return {
    id: r.compPlanRolloutId,
    planId: r.compPlanId,
    planKey: r.planKey,
    planName: r.planName,
    versionId: r.compPlanVersionId,
    version: r.version,
    status: r.status,
    startedAt: new Date(r.startedAt).toISOString(),
    startedOn: r.startedOn,
    startedByName: r.startedByName,
    deadlineOn: r.deadlineOn,
    reminderEveryDays: r.reminderEveryDays,
    escalateAfterReminders: r.escalateAfterReminders,
    supersededAt: iso(r.supersededAt),
    clock: rolloutClock(r.startedOn, r.deadlineOn, on),
    counts,
  };
}

function auditable(r: repo.RolloutRow) {
  return {
    planKey: r.planKey,
    version: r.version,
    status: r.status,
    deadlineOn: r.deadlineOn,
    reminderEveryDays: r.reminderEveryDays,
    escalateAfterReminders: r.escalateAfterReminders,
  };
}

function recipientAuditable(r: repo.RecipientRow) {
  return { rolloutId: r.compPlanRolloutId, participantId: r.compParticipantId, status: r.status, disputeComment: r.disputeComment };
}

// ---------------------------------------------------------------------------------------------
// Starting a rollout (inside the publication of a plan version)

/**
 * Starts the rollout of a version being published, in the publishing transaction: the running
 * rollout of an earlier version of the plan is superseded; every participant assigned to the plan
 * from today (or the version's start) becomes a recipient; one job tells them, in batches. The
 * publication's audit entry records it (no entry of its own: one mutation, one entry).
 */
export async function startRolloutOnPublish(
  trx: Trx,
  deps: Deps,
  actor: Actor,
  version: { id: string; planId: string; effectiveFrom: string; effectiveTo: string | null },
): Promise<{ rolloutId: string; recipients: number; supersededRolloutId: string | null }> {
  const now = deps.clock.now();
  const on = dateOf(now);
  const superseded = await repo.supersedeRunning(trx, version.planId, now);
  const rolloutId = newId();
  await repo.insertRollout(trx, {
    compPlanRolloutId: rolloutId,
    compPlanVersionId: version.id,
    compPlanId: version.planId,
    status: 'running',
    startedAt: now,
    startedOn: on,
    startedByUserId: actor.kind === 'user' ? actor.userId : null,
    deadlineOn: defaultDeadline(on),
    updatedAt: now,
  });
  const added = await repo.addRecipients(trx, {
    rolloutId,
    planId: version.planId,
    from: version.effectiveFrom > on ? version.effectiveFrom : on,
    to: version.effectiveTo,
    today: on,
    now,
    joinedLate: false,
    dueOn: null,
  });
  const payload: RolloutNotifyPayload = { rolloutId, afterParticipantId: null };
  await enqueueJob(trx, { name: ROLLOUT_NOTIFY_JOB, payload, idempotencyKey: `${ROLLOUT_NOTIFY_JOB}:${rolloutId}:start` });
  return { rolloutId, recipients: added.length, supersededRolloutId: superseded ?? null };
}

// ---------------------------------------------------------------------------------------------
// Plan documents

async function buildDocument(deps: Deps, trx: Trx, actor: Actor, versionId: string, participantId: string): Promise<PlanDocumentView> {
  const participant = await plans.findParticipant(trx, participantId);
  if (!participant || !(canReadDocument(actor, participant) || unchecked(deps, actor))) throw notFound('Plan document');
  const v = await plans.findVersion(trx, versionId);
  if (!v) throw notFound('Plan document');
  const full = canReadRollouts(actor) || unchecked(deps, actor);
  // A participant reads the published (or since retired) versions of plans they are on.
  const { rows: assignments } = await plans.listAssignments(trx, { participantId, planId: v.compPlanId, limit: 100, offset: 0 });
  if (!full && ((v.status !== 'published' && v.status !== 'retired') || assignments.length === 0)) throw notFound('Plan document');
  const overlapping = assignments.filter(
    (a) => (v.effectiveTo === null || a.effectiveFrom < v.effectiveTo) && (a.effectiveTo === null || a.effectiveTo > v.effectiveFrom),
  );
  const assignment = overlapping[0] ?? assignments[0];
  const quotas = await plans.quotasOverlapping(trx, participantId, v.effectiveFrom, v.effectiveTo ?? '9999-12-31');
  return renderPlanDocument({
    plan: v.document,
    version: { id: v.compPlanVersionId, planId: v.compPlanId, version: v.version, status: v.status, publishedAt: iso(v.publishedAt) },
    participant: {
      id: participant.compParticipantId,
      displayName: participant.displayName,
      externalRef: participant.externalRef,
      team: participant.team,
      unit: participant.unit,
      territory: participant.territory,
      managerName: participant.managerName,
      activeFrom: participant.activeFrom,
      activeTo: participant.activeTo,
    },
    assignment: assignment ? { effectiveFrom: assignment.effectiveFrom, effectiveTo: assignment.effectiveTo } : null,
    quotas,
    today: today(deps),
  });
}

/** The readable plan document of a participant for a plan version (the participant: their own, published versions only). */
export async function getPlanDocument(deps: Deps, actor: Actor, versionId: string, participantId: string): Promise<PlanDocumentView> {
  hideFromPartners(deps, actor, 'Plan document');
  return inTransaction(deps, actor, (trx) => buildDocument(deps, trx, actor, versionId, participantId));
}

export type RenderedDocument = { fileName: string; contentType: string; body: string | Buffer };

function fileBase(doc: PlanDocumentView): string {
  const who = doc.participant.externalRef.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60);
  return `${doc.plan.key}-v${doc.plan.version}-${who}`;
}

export async function planDocumentAsHtml(deps: Deps, actor: Actor, versionId: string, participantId: string): Promise<RenderedDocument> {
  const doc = await getPlanDocument(deps, actor, versionId, participantId);
  return { fileName: `${fileBase(doc)}.html`, contentType: 'text/html; charset=utf-8', body: planDocumentHtml(doc) };
}

export async function planDocumentAsPdf(deps: Deps, actor: Actor, versionId: string, participantId: string): Promise<RenderedDocument> {
  const doc = await getPlanDocument(deps, actor, versionId, participantId);
  return { fileName: `${fileBase(doc)}.pdf`, contentType: 'application/pdf', body: await planDocumentPdf(doc) };
}

// ---------------------------------------------------------------------------------------------
// My comp plan: the participant's side

export async function myCompPlan(deps: Deps, actor: Actor): Promise<MyCompPlanView> {
  hideFromPartners(deps, actor, 'Plan');
  if (actor.kind !== 'user') return { participant: null, items: [] };
  const on = today(deps);
  return inTransaction(deps, actor, async (trx) => {
    const me = await plans.findParticipantByUser(trx, actor.userId);
    if (!me) return { participant: null, items: [] };
    const rows = await repo.recipientsOfParticipant(trx, me.compParticipantId);
    return {
      participant: { id: me.compParticipantId, displayName: me.displayName },
      items: rows.map((r) => ({
        recipient: recipientView(r, on),
        rollout: {
          id: r.compPlanRolloutId,
          planId: r.compPlanId,
          planName: r.planName,
          versionId: r.compPlanVersionId,
          version: r.version,
          status: r.rolloutStatus,
          startedOn: r.startedOn,
          deadlineOn: r.deadlineOn,
        },
      })),
    };
  });
}

/** The actor's own recipient row, locked; anyone else's is not found. */
async function ownRecipient(deps: Deps, trx: Trx, actor: Actor, id: string): Promise<repo.RecipientRow> {
  const row = await repo.lockRecipient(trx, id);
  if (!row || !(isSelf(actor, row) || unchecked(deps, actor))) throw notFound('Plan rollout');
  return row;
}

async function rolloutOf(trx: Trx, row: repo.RecipientRow): Promise<repo.RolloutRow> {
  const r = await repo.findRollout(trx, row.compPlanRolloutId);
  if (!r) throw notFound('Plan rollout');
  return r;
}

/** Opening the plan page marks the plan opened (once; later calls change nothing). */
export async function openPlan(deps: Deps, actor: Actor, id: string): Promise<RecipientView> {
  hideFromPartners(deps, actor, 'Plan rollout');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await ownRecipient(deps, trx, actor, id);
    if (before.openedAt !== null) return recipientView(before, dateOf(now));
    await repo.updateRecipient(trx, id, { openedAt: now, ...(before.status === 'sent' ? { status: 'opened' } : {}), updatedAt: now });
    const after = await repo.findRecipient(trx, id);
    if (!after) throw notFound('Plan rollout');
    await recordAudit(trx, deps, actor, {
      action: 'comp_rollout_recipient.open',
      entityType: 'comp_rollout_recipient',
      entityId: id,
      before: recipientAuditable(before),
      after: recipientAuditable(after),
    });
    return recipientView(after, dateOf(now));
  });
}

/** The participant confirms they have read and accept the plan (a dispute of theirs is withdrawn by it). Idempotent. */
export async function acknowledgePlan(deps: Deps, actor: Actor, id: string): Promise<RecipientView> {
  hideFromPartners(deps, actor, 'Plan rollout');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await ownRecipient(deps, trx, actor, id);
    if (before.status === 'acknowledged') return recipientView(before, dateOf(now));
    const rollout = await rolloutOf(trx, before);
    if (rollout.status !== 'running') throw new AppError('conflict', 'A newer version of this plan has been published: acknowledge that one instead');
    await repo.updateRecipient(trx, id, { status: 'acknowledged', acknowledgedAt: now, openedAt: before.openedAt ?? now, updatedAt: now });
    const after = await repo.findRecipient(trx, id);
    if (!after) throw notFound('Plan rollout');
    await recordAudit(trx, deps, actor, {
      action: 'comp_rollout_recipient.acknowledge',
      entityType: 'comp_rollout_recipient',
      entityId: id,
      before: recipientAuditable(before),
      after: { ...recipientAuditable(after), version: rollout.version, planKey: rollout.planKey },
    });
    return recipientView(after, dateOf(now));
  });
}

/** The participant disputes the plan with a comment; compensation administrators answer it. */
export async function disputePlan(deps: Deps, actor: Actor, id: string, comment: string): Promise<RecipientView> {
  hideFromPartners(deps, actor, 'Plan rollout');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await ownRecipient(deps, trx, actor, id);
    if (before.status === 'acknowledged') throw new AppError('conflict', 'You have acknowledged this plan already');
    if (before.status === 'disputed') throw new AppError('conflict', 'Your dispute is with the compensation administrators: wait for their answer');
    const rollout = await rolloutOf(trx, before);
    if (rollout.status !== 'running') throw new AppError('conflict', 'A newer version of this plan has been published: dispute that one instead');
    await repo.updateRecipient(trx, id, {
      status: 'disputed',
      disputedAt: now,
      disputeComment: comment,
      disputes: before.disputes + 1,
      openedAt: before.openedAt ?? now,
      updatedAt: now,
    });
    const after = await repo.findRecipient(trx, id);
    if (!after) throw notFound('Plan rollout');
    await recordAudit(trx, deps, actor, {
      action: 'comp_rollout_recipient.dispute',
      entityType: 'comp_rollout_recipient',
      entityId: id,
      before: recipientAuditable(before),
      after: recipientAuditable(after),
    });
    await notifyDispute(trx, actor, after, rollout, now);
    return recipientView(after, dateOf(now));
  });
}

/** How much of a dispute's comment its notice quotes (characters, not UTF-16 units). */
export const DISPUTE_EXCERPT_CHARS = 200;

function excerpt(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/**
 * Tells the compensation administrators (and administrators) of a dispute: one 'notifications.post'
 * job per person, enqueued in the dispute's transaction, keyed by recipient, dispute time and person
 * (a second dispute of the same plan, after an answer, is told again). The disputer is not told of
 * their own dispute. No audit entry of its own: the dispute's entry records the mutation.
 */
async function notifyDispute(trx: Trx, actor: Actor, r: repo.RecipientRow, rollout: repo.RolloutRow, at: Date): Promise<void> {
  const admins = await plans.activeInternalUserIds(trx, { roles: ['comp_admin', 'admin'] });
  const quoted = excerpt(r.disputeComment ?? '', DISPUTE_EXCERPT_CHARS);
  for (const userId of admins) {
    if (actor.kind === 'user' && actor.userId === userId) continue;
    await enqueueJob(trx, {
      name: 'notifications.post',
      payload: {
        userId,
        partnerId: null,
        kind: 'comp.plan_disputed',
        title: `${r.participantName} disputes their compensation plan`,
        body: `${r.participantName} disputes “${rollout.planName}”, version ${rollout.version}: “${quoted}”`,
        link: `/comp-plans/rollout/${r.compPlanRolloutId}`,
      },
      idempotencyKey: `comp.plan_disputed:${r.compRolloutRecipientId}:${at.toISOString()}:${userId}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The administrators' side

/** Answers a dispute: the comment goes to the participant, and the plan is sent to them again (status sent). */
export async function resolveDispute(deps: Deps, actor: Actor, id: string, comment: string): Promise<RecipientView> {
  mustManage(deps, actor);
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.lockRecipient(trx, id);
    if (!before) throw notFound('Plan rollout');
    if (before.status !== 'disputed') throw new AppError('conflict', `${before.participantName} has no open dispute`);
    const rollout = await rolloutOf(trx, before);
    await repo.updateRecipient(trx, id, {
      status: 'sent',
      resolvedAt: now,
      resolvedByUserId: actor.kind === 'user' ? actor.userId : null,
      resolutionComment: comment,
      sentAt: now,
      lastRemindedAt: null,
      notifiedAt: before.appUserId ? now : null,
      updatedAt: now,
    });
    if (before.appUserId)
      await notify(trx, {
        userId: before.appUserId,
        partnerId: null,
        kind: 'comp.plan_dispute_answered',
        title: `Your dispute of “${rollout.planName}” was answered`,
        body: `${comment}\n\nPlease read the plan again and acknowledge it, or dispute it again.`,
        link: MY_PLAN_LINK,
      });
    const after = await repo.findRecipient(trx, id);
    if (!after) throw notFound('Plan rollout');
    await recordAudit(trx, deps, actor, {
      action: 'comp_rollout_recipient.resolve',
      entityType: 'comp_rollout_recipient',
      entityId: id,
      before: recipientAuditable(before),
      after: { ...recipientAuditable(after), resolutionComment: comment },
    });
    return recipientView(after, dateOf(now));
  });
}

async function countsFor(trx: Trx, ids: readonly string[], on: string): Promise<Map<string, { total: RolloutCounts; byTeam: TeamCounts[] }>> {
  const rows = await repo.countsByTeam(trx, ids, on);
  const out = new Map<string, { total: RolloutCounts; byTeam: TeamCounts[] }>();
  for (const id of ids) out.set(id, { total: zeroCounts(), byTeam: [] });
  for (const r of rows) {
    const entry = out.get(r.rolloutId);
    if (!entry) continue;
    const { rolloutId: _, team, ...counts } = r;
    entry.total = addCounts(entry.total, counts);
    entry.byTeam.push({ team, ...counts });
  }
  return out;
}

export async function listRollouts(
  deps: Deps,
  actor: Actor,
  f: { planId?: string | undefined; status?: 'running' | 'superseded' | undefined; limit: number; offset: number },
): Promise<RolloutPage> {
  mustRead(deps, actor);
  const on = today(deps);
  return inTransaction(deps, actor, async (trx) => {
    const { rows, total } = await repo.listRollouts(trx, f);
    const counts = await countsFor(
      trx,
      rows.map((r) => r.compPlanRolloutId),
      on,
    );
    return { items: rows.map((r) => summaryOf(r, counts.get(r.compPlanRolloutId)?.total ?? zeroCounts(), on)), total };
  });
}

/** The rollout dashboard: the clock, counts overall and by team, and the open disputes with their comments. */
export async function getRolloutDashboard(deps: Deps, actor: Actor, id: string): Promise<RolloutDashboard> {
  mustRead(deps, actor);
  const on = today(deps);
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.findRollout(trx, id);
    if (!r) throw notFound('Rollout');
    const counts = (await countsFor(trx, [id], on)).get(id) ?? { total: zeroCounts(), byTeam: [] };
    const disputes = await repo.openDisputes(trx, id, 200);
    return { ...summaryOf(r, counts.total, on), byTeam: counts.byTeam, disputes: disputes.map((d) => recipientView(d, on)) };
  });
}

export async function listRolloutRecipients(deps: Deps, actor: Actor, id: string, f: Omit<repo.RecipientFilter, 'today'>): Promise<RecipientPage> {
  mustRead(deps, actor);
  const on = today(deps);
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.findRollout(trx, id))) throw notFound('Rollout');
    const { rows, total } = await repo.listRecipients(trx, id, { ...f, today: on });
    return { items: rows.map((r) => recipientView(r, on)), total };
  });
}

/** Changes the clock of a running rollout: its deadline, the reminder interval, the escalation threshold. */
export async function updateRollout(deps: Deps, actor: Actor, id: string, patch: z.output<typeof updateRolloutRequest>): Promise<RolloutSummary> {
  mustManage(deps, actor);
  const now = deps.clock.now();
  const on = dateOf(now);
  return inTransaction(deps, actor, async (trx) => {
    await repo.lockRollout(trx, id);
    const before = await repo.findRollout(trx, id);
    if (!before) throw notFound('Rollout');
    if (before.status !== 'running') throw new AppError('conflict', 'This rollout was superseded by a newer version: it no longer changes');
    if (patch.deadlineOn !== undefined && patch.deadlineOn <= before.startedOn)
      throw new AppError('validation_failed', 'The deadline must be after the start of the rollout', {
        issues: [{ path: 'body.deadlineOn', message: `must be after ${before.startedOn}` }],
      });
    await repo.updateRollout(trx, id, {
      ...(patch.deadlineOn !== undefined ? { deadlineOn: patch.deadlineOn } : {}),
      ...(patch.reminderEveryDays !== undefined ? { reminderEveryDays: patch.reminderEveryDays } : {}),
      ...(patch.escalateAfterReminders !== undefined ? { escalateAfterReminders: patch.escalateAfterReminders } : {}),
      updatedAt: now,
    });
    const after = await repo.findRollout(trx, id);
    if (!after) throw notFound('Rollout');
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_rollout.update',
      entityType: 'comp_plan_rollout',
      entityId: id,
      before: auditable(before),
      after: auditable(after),
    });
    const counts = (await countsFor(trx, [id], on)).get(id)?.total ?? zeroCounts();
    return summaryOf(after, counts, on);
  });
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** One batch of "your plan is published" notices, in participant order; it enqueues the next batch itself. */
export async function notifyRolloutBatch(deps: Deps, payload: RolloutNotifyPayload, batchSize = NOTIFY_BATCH): Promise<{ notified: number; done: boolean }> {
  const actor = systemActor('comp-rollout');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const rollout = await repo.findRollout(trx, payload.rolloutId);
    // Superseded before everyone heard of it: the newer rollout sends its own notices.
    if (!rollout || rollout.status !== 'running') return { notified: 0, done: true };
    const page = await repo.recipientsToNotify(trx, payload.rolloutId, payload.afterParticipantId, batchSize);
    for (const r of page) {
      if (!r.appUserId) continue;
      await notify(trx, {
        userId: r.appUserId,
        partnerId: null,
        kind: 'comp.plan_published',
        title: `Your compensation plan: ${rollout.planName}, version ${rollout.version}`,
        body: `Please read your plan and acknowledge it by ${rollout.deadlineOn}, or dispute it with a comment.`,
        link: MY_PLAN_LINK,
      });
    }
    await repo.markNotified(
      trx,
      page.map((r) => r.compRolloutRecipientId),
      now,
    );
    const last = page.at(-1);
    const done = page.length < batchSize || !last;
    if (!done) {
      const next: RolloutNotifyPayload = { rolloutId: payload.rolloutId, afterParticipantId: last.compParticipantId };
      await enqueueJob(trx, {
        name: ROLLOUT_NOTIFY_JOB,
        payload: next,
        idempotencyKey: `${ROLLOUT_NOTIFY_JOB}:${payload.rolloutId}:${last.compParticipantId}`,
      });
    }
    if (page.length > 0)
      await recordAudit(trx, deps, actor, {
        action: 'comp_plan_rollout.notify',
        entityType: 'comp_plan_rollout',
        entityId: payload.rolloutId,
        after: { notified: page.length, afterParticipantId: payload.afterParticipantId },
      });
    return { notified: page.length, done };
  });
}

export type TickReport = { joined: number; reminded: number; escalated: number };

/**
 * The rollout timer (a recurring job): participants assigned to a plan since its rollout started
 * become recipients (new joiners, however they were assigned: the sweep is what makes it robust);
 * recipients who have not answered are reminded every N days; those past their due date, or
 * reminded K times, are escalated to their manager once. One audit entry per kind of change.
 */
export async function runRolloutTick(deps: Deps): Promise<TickReport> {
  const actor = systemActor('comp-rollout');
  const now = deps.clock.now();
  const on = dateOf(now);
  return inTransaction(deps, actor, async (trx) => {
    // New joiners.
    let joined = 0;
    for (const rollout of await repo.runningRollouts(trx)) {
      const v = await plans.findVersion(trx, rollout.compPlanVersionId);
      if (!v || v.status !== 'published') continue;
      if (v.effectiveTo !== null && v.effectiveTo <= on) continue;
      const added = await repo.addRecipients(trx, {
        rolloutId: rollout.compPlanRolloutId,
        planId: rollout.compPlanId,
        from: v.effectiveFrom > on ? v.effectiveFrom : on,
        to: v.effectiveTo,
        today: on,
        now,
        joinedLate: true,
        dueOn: joinerDueOn(rollout, on),
      });
      if (added.length === 0) continue;
      joined += added.length;
      const notified: string[] = [];
      for (const a of added) {
        const p = await plans.findParticipant(trx, a.participantId);
        if (!p?.appUserId) continue;
        await notify(trx, {
          userId: p.appUserId,
          partnerId: null,
          kind: 'comp.plan_published',
          title: `Your compensation plan: ${rollout.planName}, version ${rollout.version}`,
          body: `Welcome to the plan. Please read it and acknowledge it by ${joinerDueOn(rollout, on)}, or dispute it with a comment.`,
          link: MY_PLAN_LINK,
        });
        notified.push(a.recipientId);
      }
      await repo.markNotified(trx, notified, now);
      await recordAudit(trx, deps, actor, {
        action: 'comp_plan_rollout.add_recipients',
        entityType: 'comp_plan_rollout',
        entityId: rollout.compPlanRolloutId,
        after: { added: added.length, participantIds: added.slice(0, 100).map((a) => a.participantId) },
      });
    }

    // Reminders.
    const reminders = await repo.dueReminders(trx, now, TICK_BATCH);
    for (const r of reminders) {
      if (!r.appUserId) continue;
      const due = r.dueOn ?? r.deadlineOn;
      await notify(trx, {
        userId: r.appUserId,
        partnerId: null,
        kind: 'comp.plan_reminder',
        title: `Reminder: please acknowledge your plan “${r.planName}”`,
        body: isOverdue({ status: r.status, dueOn: due }, on)
          ? `It was due on ${due}. Read it and acknowledge it, or dispute it with a comment.`
          : `It is due by ${due}. Read it and acknowledge it, or dispute it with a comment.`,
        link: MY_PLAN_LINK,
      });
      await repo.updateRecipient(trx, r.compRolloutRecipientId, { remindersSent: r.remindersSent + 1, lastRemindedAt: now, updatedAt: now });
    }
    if (reminders.length > 0)
      await recordAudit(trx, deps, actor, {
        action: 'comp_plan_rollout.remind',
        entityType: 'comp_plan_rollout',
        entityId: null,
        after: { reminded: reminders.length, rollouts: [...new Set(reminders.map((r) => r.rolloutId))] },
      });

    // Escalations to the manager.
    const escalations = await repo.dueEscalations(trx, on, TICK_BATCH);
    for (const r of escalations) {
      const due = r.dueOn ?? r.deadlineOn;
      const reason = isOverdue({ status: r.status, dueOn: due }, on) ? `it was due on ${due}` : `after ${r.remindersSent} reminders`;
      if (r.managerUserId)
        await notify(trx, {
          userId: r.managerUserId,
          partnerId: null,
          kind: 'comp.plan_escalation',
          title: `${r.participantName} has not acknowledged their plan`,
          body: `${r.participantName} has not acknowledged “${r.planName}” yet (${reason}). Please follow up with them.`,
          link: null,
        });
      await repo.updateRecipient(trx, r.compRolloutRecipientId, { escalatedAt: now, escalatedToUserId: r.managerUserId, updatedAt: now });
    }
    if (escalations.length > 0)
      await recordAudit(trx, deps, actor, {
        action: 'comp_plan_rollout.escalate',
        entityType: 'comp_plan_rollout',
        entityId: null,
        after: {
          escalated: escalations.length,
          toManagers: escalations.filter((r) => r.managerUserId !== null).length,
          rollouts: [...new Set(escalations.map((r) => r.rolloutId))],
        },
      });
    return { joined, reminded: reminders.length, escalated: escalations.length };
  });
}
