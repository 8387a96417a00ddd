import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../actor.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { startWorker } from '../../jobs/worker.ts';
import { createTestDeps, fixedClock, testConfig, type TestDeps } from '../../test/test-db.ts';
import { listMyNotifications } from '../notifications/notifications.service.ts';
import * as comp from './comp-plans.service.ts';
import { internalActor, makeApprovers, planDoc, type Approvers } from './comp-plans.test-support.ts';
import { assign, makePerson } from './rollout.test-support.ts';

let t: TestDeps;
let who: Approvers;
let twoHats: UserActor;

beforeAll(async () => {
  t = await createTestDeps({ clock: fixedClock('2027-02-01T08:00:00Z'), config: testConfig() });
  who = await makeApprovers(t.deps);
  twoHats = await internalActor(t.deps, ['finance', 'comp_admin'], 'Two Hats');
});
afterAll(async () => t?.close());

/** Runs the queued 'notifications.post' jobs, then lists the waiting-step notices of this version per user. */
async function waitingNotices(versionId: string, users: readonly UserActor[]): Promise<Map<string, { title: string; link: string | null }[]>> {
  const worker = startWorker(
    t.deps,
    jobDefinitions.filter((d) => d.name === 'notifications.post'),
    { autoStart: false },
  );
  await worker.drain();
  await worker.stop();
  const out = new Map<string, { title: string; link: string | null }[]>();
  for (const u of users) {
    const { items } = await listMyNotifications(t.deps, u);
    out.set(
      u.userId,
      items.filter((n) => n.kind === 'comp.plan_approval_waiting' && n.link?.endsWith(`?version=${versionId}`)).map((n) => ({ title: n.title, link: n.link })),
    );
  }
  return out;
}

describe('approval chain notifications', () => {
  it('tells the next step its deciders: comp admins on submission, finance after comp admin, the manager after finance', async () => {
    const manager = await makePerson(t.deps, { name: 'Mia Manager' });
    const rep = await makePerson(t.deps, { name: 'Ray Report', managerId: manager.participantId });
    const v = await comp.createPlan(t.deps, who.author, { document: planDoc() });
    await assign(t.deps, rep.participantId, v.planId);
    const everyone = [who.author, who.reviewer, who.finance, twoHats, manager.actor, rep.actor];
    const link = `/comp-plans/${v.planId}?version=${v.id}`;

    await comp.submitForApproval(t.deps, who.author, v.id);
    let seen = await waitingNotices(v.id, everyone);
    expect(seen.get(who.reviewer.userId)).toEqual([{ title: expect.stringContaining('compensation review'), link }]);
    expect(seen.get(twoHats.userId)).toHaveLength(1);
    for (const u of [who.author, who.finance, manager.actor, rep.actor]) expect(seen.get(u.userId)).toEqual([]);

    // Two Hats decides the comp admin step, so finance is told but Two Hats (finance too) is not: one person, one step.
    await comp.approveStep(t.deps, twoHats, v.id, { step: 'comp_admin', comment: '' });
    seen = await waitingNotices(v.id, everyone);
    expect(seen.get(who.finance.userId)).toEqual([{ title: expect.stringContaining('finance'), link }]);
    expect(seen.get(twoHats.userId)).toHaveLength(1);
    expect(seen.get(manager.actor.userId)).toEqual([]);

    await comp.approveStep(t.deps, who.finance, v.id, { step: 'finance', comment: '' });
    seen = await waitingNotices(v.id, everyone);
    expect(seen.get(manager.actor.userId)).toEqual([{ title: expect.stringContaining('manager'), link }]);
    expect(seen.get(rep.actor.userId)).toEqual([]);
    expect(seen.get(who.finance.userId)).toHaveLength(1);

    // The last step tells nobody else.
    const approved = await comp.approveStep(t.deps, manager.actor, v.id, { step: 'manager', comment: '' });
    expect(approved.status).toBe('approved');
    seen = await waitingNotices(v.id, everyone);
    expect([...seen.values()].reduce((n, xs) => n + xs.length, 0)).toBe(4);
  });

  it('asks no manager when no assigned participant has a manager with a login', async () => {
    const v = await comp.createPlan(t.deps, who.author, { document: planDoc() });
    await comp.submitForApproval(t.deps, who.author, v.id);
    await comp.approveStep(t.deps, who.reviewer, v.id, { step: 'comp_admin', comment: '' });
    const approved = await comp.approveStep(t.deps, who.finance, v.id, { step: 'finance', comment: '' });
    expect(approved.status).toBe('approved');
    const seen = await waitingNotices(v.id, [who.author, who.reviewer, who.finance, twoHats]);
    expect(seen.get(who.finance.userId)).toHaveLength(1);
    expect(seen.get(who.reviewer.userId)).toHaveLength(1);
    expect(seen.get(twoHats.userId)).toHaveLength(2);
    expect(seen.get(who.author.userId)).toEqual([]);
  });
});
