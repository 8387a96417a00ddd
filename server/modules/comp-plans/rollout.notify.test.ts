import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../actor.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { startWorker } from '../../jobs/worker.ts';
import { createTestDeps, fixedClock, testConfig, type TestDeps } from '../../test/test-db.ts';
import { listMyNotifications } from '../notifications/notifications.service.ts';
import { internalActor, makeApprovers, type Approvers } from './comp-plans.test-support.ts';
import * as rollout from './rollout.service.ts';
import { assign, makePerson, publishPlan } from './rollout.test-support.ts';

const clock = fixedClock('2027-02-01T08:00:00Z');
let t: TestDeps;
let who: Approvers;
let admin: UserActor;

beforeAll(async () => {
  t = await createTestDeps({ clock, config: testConfig() });
  who = await makeApprovers(t.deps);
  admin = await internalActor(t.deps, ['admin'], 'Adam Admin');
});
afterAll(async () => t?.close());

/** Runs the queued 'notifications.post' jobs, then lists each user's dispute notices. */
async function disputeNotices(users: readonly UserActor[]): Promise<Map<string, { title: string; body: string; link: string | null }[]>> {
  const worker = startWorker(
    t.deps,
    jobDefinitions.filter((d) => d.name === 'notifications.post'),
    { autoStart: false },
  );
  await worker.drain();
  await worker.stop();
  const out = new Map<string, { title: string; body: string; link: string | null }[]>();
  for (const u of users) {
    const { items } = await listMyNotifications(t.deps, u);
    out.set(
      u.userId,
      items.filter((n) => n.kind === 'comp.plan_disputed').map((n) => ({ title: n.title, body: n.body, link: n.link })),
    );
  }
  return out;
}

describe('dispute notifications', () => {
  it('tells the comp admins and admins of a dispute, with the rollout link, the name and the first 200 characters; nobody else', async () => {
    const sue = await makePerson(t.deps, { name: 'Sue Seller' });
    const sam = await makePerson(t.deps, { name: 'Sam Seller' });
    const published = await publishPlan(t.deps, who, {
      beforeSubmit: async (planId) => {
        for (const p of [sue, sam]) await assign(t.deps, p.participantId, planId);
      },
    });
    const { items } = await rollout.listRolloutRecipients(t.deps, who.reviewer, published.rolloutId, { limit: 10, offset: 0 });
    const mine = items.find((r) => r.participantId === sue.participantId);
    if (!mine) throw new Error('Sue is no recipient');
    const everyone = [who.author, who.reviewer, who.finance, admin, sue.actor, sam.actor];
    await disputeNotices(everyone); // the publication's own notices are out of the way

    const comment = `${'Q'.repeat(199)}+ and this tail is beyond the excerpt`;
    await rollout.disputePlan(t.deps, sue.actor, mine.id, comment);
    const seen = await disputeNotices(everyone);
    const link = `/comp-plans/rollout/${published.rolloutId}`;
    for (const u of [who.author, who.reviewer, admin]) {
      const notices = seen.get(u.userId) ?? [];
      expect(notices).toEqual([{ title: expect.stringContaining('Sue Seller'), body: expect.stringContaining('Sue Seller'), link }]);
      expect(notices[0]?.body).toContain(`“${'Q'.repeat(199)}+…”`);
      expect(notices[0]?.body).not.toContain('tail');
    }
    for (const u of [who.finance, sue.actor, sam.actor]) expect(seen.get(u.userId)).toEqual([]);

    // One audit entry for the dispute; the notices add none to the recipient.
    const actions = await t.deps.db.selectFrom('auditEntry').select(['action']).where('entityId', '=', mine.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['comp_rollout_recipient.dispute']);

    // Answered and disputed again (later): the admins are told again, once.
    clock.set('2027-02-02T08:00:00Z');
    await rollout.resolveDispute(t.deps, who.reviewer, mine.id, 'Read section 2.');
    clock.set('2027-02-03T08:00:00Z');
    await rollout.disputePlan(t.deps, sue.actor, mine.id, 'Still wrong.');
    const again = await disputeNotices(everyone);
    expect(again.get(who.reviewer.userId)?.map((n) => n.body)).toEqual([expect.stringContaining('“Still wrong.”'), expect.stringContaining('…')]);
    expect(again.get(sue.actor.userId)).toEqual([]);
  });
});
