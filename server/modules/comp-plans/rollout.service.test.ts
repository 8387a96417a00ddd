import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_TEAM } from '../../../common/api/comp-rollout.ts';
import type { UserActor } from '../../actor.ts';
import { createTestDeps, fixedClock, testConfig, type TestDeps } from '../../test/test-db.ts';
import * as comp from './comp-plans.service.ts';
import { makeApprovers, type Approvers } from './comp-plans.test-support.ts';
import * as rollout from './rollout.service.ts';
import { assign, makePerson, publishPlan, setQuota, type Person } from './rollout.test-support.ts';

const clock = fixedClock('2027-02-01T08:00:00Z');
let t: TestDeps;
let who: Approvers;

beforeAll(async () => {
  t = await createTestDeps({ clock, config: testConfig() });
  who = await makeApprovers(t.deps);
});
afterAll(async () => t?.close());

type Scenario = { planId: string; versionId: string; rolloutId: string; manager: Person; sam: Person; sue: Person; nol: Person };

/** A manager (with a login), two sellers in teams North and South, and one seller without a login; all but the manager on a new plan. */
async function scenario(): Promise<Scenario> {
  clock.set('2027-02-01T08:00:00Z');
  const manager = await makePerson(t.deps, { name: 'Mia Manager', team: 'North' });
  const sam = await makePerson(t.deps, { name: 'Sam Seller', team: 'North', managerId: manager.participantId });
  const sue = await makePerson(t.deps, { name: 'Sue Seller', team: 'South', managerId: manager.participantId });
  const nol = await makePerson(t.deps, { name: 'Nol Nologin', team: null, managerId: manager.participantId, login: false });
  const published = await publishPlan(t.deps, who, {
    manager: manager.actor,
    beforeSubmit: async (planId) => {
      for (const p of [sam, sue, nol]) await assign(t.deps, p.participantId, planId);
    },
  });
  return { ...published, manager, sam, sue, nol };
}

async function recipientOf(s: Scenario, p: Person) {
  const page = await rollout.listRolloutRecipients(t.deps, who.reviewer, s.rolloutId, { limit: 200, offset: 0 });
  const r = page.items.find((x) => x.participantId === p.participantId);
  if (!r) throw new Error(`${p.participantId} is no recipient`);
  return r;
}

async function notificationsOf(userId: string, kind: string) {
  return t.deps.db.selectFrom('notification').selectAll().where('appUserId', '=', userId).where('kind', '=', kind).orderBy('createdAt').execute();
}

describe('starting a rollout when a version is published', () => {
  it('makes every assigned participant a recipient, starts the 30-day clock, and tells those with a login by job', async () => {
    const s = await scenario();
    const d = await rollout.getRolloutDashboard(t.deps, who.finance, s.rolloutId);
    expect(d).toMatchObject({ status: 'running', versionId: s.versionId, startedOn: '2027-02-01', deadlineOn: '2027-03-02' });
    expect(d.clock).toEqual({ today: '2027-02-01', day: 1, totalDays: 30, daysLeft: 29, deadlineOn: '2027-03-02', pastDeadline: false });
    expect(d.counts).toEqual({ total: 3, sent: 3, opened: 0, acknowledged: 0, disputed: 0, overdue: 0, escalated: 0 });
    expect(d.byTeam.map((x) => [x.team, x.total])).toEqual([
      ['North', 1],
      ['South', 1],
      [null, 1],
    ]);

    const job = await t.deps.db
      .selectFrom('job')
      .select(['payload'])
      .where('name', '=', rollout.ROLLOUT_NOTIFY_JOB)
      .where('idempotencyKey', '=', `${rollout.ROLLOUT_NOTIFY_JOB}:${s.rolloutId}:start`)
      .executeTakeFirst();
    expect(job?.payload).toEqual({ rolloutId: s.rolloutId, afterParticipantId: null });
    const audit = await t.deps.db
      .selectFrom('auditEntry')
      .select(['after'])
      .where('action', '=', 'comp_plan_version.publish')
      .where('entityId', '=', s.versionId)
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ rollout: { rolloutId: s.rolloutId, recipients: 3 } });

    // The job, in batches of one: two participants with a login, then an empty batch.
    let r = await rollout.notifyRolloutBatch(t.deps, { rolloutId: s.rolloutId, afterParticipantId: null }, 1);
    expect(r).toEqual({ notified: 1, done: false });
    r = await rollout.notifyRolloutBatch(t.deps, { rolloutId: s.rolloutId, afterParticipantId: null }, 1);
    expect(r).toEqual({ notified: 1, done: false });
    r = await rollout.notifyRolloutBatch(t.deps, { rolloutId: s.rolloutId, afterParticipantId: null }, 1);
    expect(r).toEqual({ notified: 0, done: true });
    for (const p of [s.sam, s.sue]) {
      const n = await notificationsOf(p.userId, 'comp.plan_published');
      expect(n).toHaveLength(1);
      expect(n[0]).toMatchObject({ link: '/my/comp-plan', title: 'Your compensation plan: Field sellers 2027, version 1' });
    }
    expect((await recipientOf(s, s.nol)).notifiedAt).toBeNull();
    expect((await recipientOf(s, s.sam)).notifiedAt).not.toBeNull();
  });

  it('supersedes the rollout of the version before when the next version is published', async () => {
    const s = await scenario();
    const v2 = await comp.createPlanVersion(t.deps, who.author, s.planId, { changeNote: 'Higher cap' });
    await comp.submitForApproval(t.deps, who.author, v2.id);
    await comp.approveStep(t.deps, who.reviewer, v2.id, { step: 'comp_admin', comment: '' });
    await comp.approveStep(t.deps, who.finance, v2.id, { step: 'finance', comment: '' });
    await comp.approveStep(t.deps, s.manager.actor, v2.id, { step: 'manager', comment: '' });
    await comp.publishVersion(t.deps, who.reviewer, v2.id);
    const { items } = await rollout.listRollouts(t.deps, who.reviewer, { planId: s.planId, limit: 10, offset: 0 });
    expect(items.map((r) => [r.version, r.status])).toEqual([
      [2, 'running'],
      [1, 'superseded'],
    ]);
    expect(items[0]?.counts.total).toBe(3);
    const old = await recipientOf(s, s.sam);
    await expect(rollout.acknowledgePlan(t.deps, s.sam.actor, old.id)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('acknowledging and disputing', () => {
  it('opens, acknowledges, disputes and resolves, one audit entry each, and a seller cannot touch another’s row', async () => {
    const s = await scenario();
    const sam = await recipientOf(s, s.sam);
    const sue = await recipientOf(s, s.sue);

    expect((await rollout.openPlan(t.deps, s.sam.actor, sam.id)).status).toBe('opened');
    expect((await rollout.openPlan(t.deps, s.sam.actor, sam.id)).status).toBe('opened');
    const acked = await rollout.acknowledgePlan(t.deps, s.sam.actor, sam.id);
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2027-02-01T08:00:00.000Z' });
    expect((await rollout.acknowledgePlan(t.deps, s.sam.actor, sam.id)).status).toBe('acknowledged');
    await expect(rollout.disputePlan(t.deps, s.sam.actor, sam.id, 'Too late')).rejects.toMatchObject({ code: 'conflict' });

    await expect(rollout.acknowledgePlan(t.deps, s.sam.actor, sue.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(rollout.openPlan(t.deps, s.manager.actor, sue.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(rollout.disputePlan(t.deps, who.reviewer, sue.id, 'not mine')).rejects.toMatchObject({ code: 'not_found' });

    const disputed = await rollout.disputePlan(t.deps, s.sue.actor, sue.id, 'My quota should exclude the Acme renewal.');
    expect(disputed).toMatchObject({ status: 'disputed', disputeComment: 'My quota should exclude the Acme renewal.', disputes: 1 });
    const d = await rollout.getRolloutDashboard(t.deps, who.reviewer, s.rolloutId);
    expect(d.counts).toMatchObject({ total: 3, sent: 1, opened: 0, acknowledged: 1, disputed: 1 });
    expect(d.disputes.map((x) => [x.participantName, x.disputeComment])).toEqual([['Sue Seller', 'My quota should exclude the Acme renewal.']]);

    await expect(rollout.resolveDispute(t.deps, s.sue.actor, sue.id, 'self-service')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rollout.resolveDispute(t.deps, who.finance, sue.id, 'finance')).rejects.toMatchObject({ code: 'forbidden' });
    clock.set('2027-02-03T09:00:00Z');
    const resolved = await rollout.resolveDispute(t.deps, who.reviewer, sue.id, 'The renewal was removed from your quota.');
    expect(resolved).toMatchObject({
      status: 'sent',
      resolutionComment: 'The renewal was removed from your quota.',
      resolvedByName: 'Rex Reviewer',
      sentAt: '2027-02-03T09:00:00.000Z',
    });
    const answered = await notificationsOf(s.sue.userId, 'comp.plan_dispute_answered');
    expect(answered[0]?.body).toContain('The renewal was removed from your quota.');
    await expect(rollout.resolveDispute(t.deps, who.reviewer, sue.id, 'again')).rejects.toMatchObject({ code: 'conflict' });
    expect((await rollout.acknowledgePlan(t.deps, s.sue.actor, sue.id)).status).toBe('acknowledged');

    const actions = await t.deps.db.selectFrom('auditEntry').select(['action']).where('entityId', 'in', [sam.id, sue.id]).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual([
      'comp_rollout_recipient.open',
      'comp_rollout_recipient.acknowledge',
      'comp_rollout_recipient.dispute',
      'comp_rollout_recipient.resolve',
      'comp_rollout_recipient.acknowledge',
    ]);
  });

  it('lists recipients by status, overdue and team, and counts by team', async () => {
    const s = await scenario();
    await rollout.acknowledgePlan(t.deps, s.sam.actor, (await recipientOf(s, s.sam)).id);
    const list = async (f: { status?: 'acknowledged' | 'sent' | 'overdue'; team?: string }) =>
      (await rollout.listRolloutRecipients(t.deps, who.finance, s.rolloutId, { ...f, limit: 50, offset: 0 })).items.map((r) => r.participantName);
    expect(await list({ status: 'acknowledged' })).toEqual(['Sam Seller']);
    expect(await list({ status: 'sent' })).toEqual(['Nol Nologin', 'Sue Seller']);
    expect(await list({ team: 'South' })).toEqual(['Sue Seller']);
    expect(await list({ team: NO_TEAM })).toEqual(['Nol Nologin']);
    expect(await list({ status: 'overdue' })).toEqual([]);
    clock.set('2027-03-03T08:00:00Z');
    expect(await list({ status: 'overdue' })).toEqual(['Nol Nologin', 'Sue Seller']);
    const d = await rollout.getRolloutDashboard(t.deps, who.finance, s.rolloutId);
    expect(d.clock).toMatchObject({ day: 31, daysLeft: -1, pastDeadline: true });
    expect(d.byTeam).toEqual([
      { team: 'North', total: 1, sent: 0, opened: 0, acknowledged: 1, disputed: 0, overdue: 0, escalated: 0 },
      { team: 'South', total: 1, sent: 1, opened: 0, acknowledged: 0, disputed: 0, overdue: 1, escalated: 0 },
      { team: null, total: 1, sent: 1, opened: 0, acknowledged: 0, disputed: 0, overdue: 1, escalated: 0 },
    ]);
    expect(d.counts).toMatchObject({ total: 3, acknowledged: 1, overdue: 2 });
  });

  it('lets only comp admins read and change the clock, and never before the start', async () => {
    const s = await scenario();
    await expect(rollout.getRolloutDashboard(t.deps, s.sam.actor, s.rolloutId)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rollout.updateRollout(t.deps, who.finance, s.rolloutId, { deadlineOn: '2027-04-01' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rollout.updateRollout(t.deps, who.reviewer, s.rolloutId, { deadlineOn: '2027-02-01' })).rejects.toMatchObject({ code: 'validation_failed' });
    const r = await rollout.updateRollout(t.deps, who.reviewer, s.rolloutId, { deadlineOn: '2027-04-01', reminderEveryDays: 3 });
    expect(r).toMatchObject({ deadlineOn: '2027-04-01', reminderEveryDays: 3, escalateAfterReminders: 3 });
    expect(r.clock.totalDays).toBe(60);
  });
});

describe('the rollout timer (a recurring job) with a fixed clock', () => {
  it('reminds every N days those who have not answered, and escalates to the manager after K reminders or past the deadline', async () => {
    const s = await scenario();
    await rollout.acknowledgePlan(t.deps, s.sam.actor, (await recipientOf(s, s.sam)).id);
    await rollout.updateRollout(t.deps, who.reviewer, s.rolloutId, { escalateAfterReminders: 2 });

    await rollout.runRolloutTick(t.deps);
    expect((await recipientOf(s, s.sue)).remindersSent).toBe(0);

    clock.set('2027-02-08T08:00:00Z');
    await rollout.runRolloutTick(t.deps);
    await rollout.runRolloutTick(t.deps);
    expect(await recipientOf(s, s.sue)).toMatchObject({ remindersSent: 1, lastRemindedAt: '2027-02-08T08:00:00.000Z', escalatedAt: null });
    expect(await notificationsOf(s.sue.userId, 'comp.plan_reminder')).toHaveLength(1);
    expect(await notificationsOf(s.sam.userId, 'comp.plan_reminder')).toHaveLength(0);
    // Nobody to remind without a login.
    expect((await recipientOf(s, s.nol)).remindersSent).toBe(0);

    clock.set('2027-02-14T08:00:00Z');
    await rollout.runRolloutTick(t.deps);
    expect((await recipientOf(s, s.sue)).remindersSent).toBe(1);

    clock.set('2027-02-15T08:00:00Z');
    await rollout.runRolloutTick(t.deps);
    expect(await recipientOf(s, s.sue)).toMatchObject({ remindersSent: 2, escalatedAt: '2027-02-15T08:00:00.000Z' });
    const toManager = await notificationsOf(s.manager.userId, 'comp.plan_escalation');
    expect(toManager.map((n) => n.title)).toEqual(['Sue Seller has not acknowledged their plan']);
    expect(toManager[0]?.body).toContain('after 2 reminders');
    expect((await recipientOf(s, s.nol)).escalatedAt).toBeNull();

    // Past the deadline (Day 30 is 2 March): the participant without a login is escalated too, once.
    clock.set('2027-03-03T08:00:00Z');
    await rollout.runRolloutTick(t.deps);
    await rollout.runRolloutTick(t.deps);
    expect((await recipientOf(s, s.nol)).escalatedAt).toBe('2027-03-03T08:00:00.000Z');
    const all = await notificationsOf(s.manager.userId, 'comp.plan_escalation');
    expect(all.map((n) => n.title)).toEqual(['Sue Seller has not acknowledged their plan', 'Nol Nologin has not acknowledged their plan']);
    expect(all[1]?.body).toContain('it was due on 2027-03-02');
    const d = await rollout.getRolloutDashboard(t.deps, who.reviewer, s.rolloutId);
    expect(d.counts).toMatchObject({ acknowledged: 1, overdue: 2, escalated: 2 });
  });

  it('makes a new joiner of a plan with a running rollout a recipient, with their own due date, once', async () => {
    const s = await scenario();
    clock.set('2027-02-20T08:00:00Z');
    const jo = await makePerson(t.deps, { name: 'Jo Joiner', team: 'North', managerId: s.manager.participantId });
    await assign(t.deps, jo.participantId, s.planId, '2027-02-20');
    await setQuota(t.deps, jo.participantId);
    // Someone on another plan is not swept in.
    const other = await makePerson(t.deps, { name: 'Olga Other', team: 'North' });
    const otherPlan = await publishPlan(t.deps, who);
    await assign(t.deps, other.participantId, otherPlan.planId, '2027-02-20');

    await rollout.runRolloutTick(t.deps);
    await rollout.runRolloutTick(t.deps);
    const r = await recipientOf(s, jo);
    expect(r).toMatchObject({ joinedLate: true, status: 'sent', dueOn: '2027-03-21', overdue: false });
    expect(await notificationsOf(jo.userId, 'comp.plan_published')).toHaveLength(1);
    const d = await rollout.getRolloutDashboard(t.deps, who.reviewer, s.rolloutId);
    expect(d.counts.total).toBe(4);
    const others = await rollout.listRolloutRecipients(t.deps, who.reviewer, s.rolloutId, { q: 'olga', limit: 10, offset: 0 });
    expect(others.total).toBe(0);
    // The joiner reads their own plan, prorated from the day they joined.
    const doc = await rollout.getPlanDocument(t.deps, jo.actor, s.versionId, jo.participantId);
    expect(doc.assignment).toEqual({ effectiveFrom: '2027-02-20', effectiveTo: null });
    expect(doc.quota.periods[0]?.proratedMinor).toBeLessThan(10_000_000);
  });
});

describe('plan documents', () => {
  it('are readable by the participant (published versions only), by comp admins and finance, and by no other seller', async () => {
    const s = await scenario();
    await setQuota(t.deps, s.sam.participantId);
    const own = await rollout.getPlanDocument(t.deps, s.sam.actor, s.versionId, s.sam.participantId);
    expect(own.participant.displayName).toBe('Sam Seller');
    expect(own.examples?.cases).toHaveLength(3);
    for (const reader of [who.reviewer, who.finance] as UserActor[])
      expect((await rollout.getPlanDocument(t.deps, reader, s.versionId, s.sam.participantId)).participant.id).toBe(s.sam.participantId);
    await expect(rollout.getPlanDocument(t.deps, s.sue.actor, s.versionId, s.sam.participantId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(rollout.getPlanDocument(t.deps, s.manager.actor, s.versionId, s.sam.participantId)).rejects.toMatchObject({ code: 'not_found' });
    const draft = await comp.createPlanVersion(t.deps, who.author, s.planId, {});
    await expect(rollout.getPlanDocument(t.deps, s.sam.actor, draft.id, s.sam.participantId)).rejects.toMatchObject({ code: 'not_found' });
    // A comp admin previews the draft's document for the participant.
    expect((await rollout.getPlanDocument(t.deps, who.reviewer, draft.id, s.sam.participantId)).plan.status).toBe('draft');
    const pdf = await rollout.planDocumentAsPdf(t.deps, s.sam.actor, s.versionId, s.sam.participantId);
    expect(pdf.contentType).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });
});
