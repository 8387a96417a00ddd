import type { PlanDocumentInput } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import { makeUser } from '../../test/harness.ts';
import * as comp from './comp-plans.service.ts';
import { internalActor, makeApprovers, planDoc, uniquePlanKey, type Approvers } from './comp-plans.test-support.ts';
import * as rollout from './rollout.service.ts';

/** A plan whose rollout examples are easy to follow: 3 % commission, a marginal accelerator above quota, a bonus. */
export function rolloutPlanDoc(overrides: Partial<PlanDocumentInput> = {}): PlanDocumentInput {
  return planDoc({
    key: uniquePlanKey('rollout'),
    name: 'Field sellers 2027',
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    components: [
      { key: 'base_commission', name: 'Base commission', kind: 'commission', rateBps: 300, partnerSourcedMultiplierBps: 12_000, capMinor: 5_000_000 },
      {
        key: 'accelerator',
        name: 'Accelerator',
        kind: 'tiered',
        mode: 'marginal',
        tiers: [
          { fromBps: 0, toBps: 10_000, rateBps: 0 },
          { fromBps: 10_000, toBps: null, rateBps: 200 },
        ],
        capMinor: 2_000_000,
      },
      {
        key: 'quota_bonus',
        name: 'Quota bonus',
        kind: 'bonus',
        targetIncentiveMinor: 500_000,
        schedule: [
          { fromBps: 0, payoutBps: 0 },
          { fromBps: 10_000, payoutBps: 10_000 },
        ],
      },
    ],
    ...overrides,
  });
}

export type Person = { userId: string; email: string; participantId: string; actor: UserActor };

let counter = 0;
const ref = (prefix: string) => `${prefix}-${process.pid}-${(counter += 1)}-${Math.random().toString(36).slice(2, 7)}`;

/** A participant, with a login (internal seller) unless `login` is false. */
export async function makePerson(
  deps: Deps,
  o: { name: string; team?: string | null; managerId?: string | null; login?: boolean; roles?: Role[]; activeFrom?: string | null },
): Promise<Person & { login: boolean }> {
  let userId = '';
  let email = '';
  let actor: UserActor | null = null;
  if (o.login !== false) {
    actor = await internalActor(deps, o.roles ?? ['internal_seller'], o.name);
    userId = actor.userId;
    email = actor.email;
  }
  const p = await comp.createParticipant(deps, systemActor('test'), {
    externalRef: ref('EMP'),
    displayName: o.name,
    email: null,
    appUserId: o.login === false ? null : userId,
    managerId: o.managerId ?? null,
    team: o.team ?? null,
    unit: null,
    territory: null,
    activeFrom: o.activeFrom ?? null,
    activeTo: null,
  });
  return { userId, email, participantId: p.id, actor: actor ?? (null as unknown as UserActor), login: o.login !== false };
}

export async function assign(deps: Deps, participantId: string, planId: string, effectiveFrom = '2027-01-01'): Promise<void> {
  await comp.createAssignment(deps, systemActor('test'), { participantId, planId, effectiveFrom, effectiveTo: null });
}

export async function setQuota(
  deps: Deps,
  participantId: string,
  amountMinor = 10_000_000,
  periodStart = '2027-01-01',
  periodEnd = '2027-04-01',
): Promise<void> {
  await comp.upsertQuotas(deps, systemActor('test'), { rows: [{ participantId, periodStart, periodEnd, amountMinor, currency: 'EUR' }] });
}

/**
 * Takes a new plan through the approval chain (the manager step too when an assigned participant's
 * manager signs in) and publishes it, after `beforeSubmit` has assigned its participants.
 */
export async function publishPlan(
  deps: Deps,
  who: Approvers,
  o: { doc?: PlanDocumentInput; manager?: UserActor | null; beforeSubmit?: (planId: string) => Promise<void> } = {},
): Promise<{ planId: string; versionId: string; rolloutId: string }> {
  const v = await comp.createPlan(deps, who.author, { document: o.doc ?? rolloutPlanDoc() });
  if (o.beforeSubmit) await o.beforeSubmit(v.planId);
  await comp.submitForApproval(deps, who.author, v.id);
  await comp.approveStep(deps, who.reviewer, v.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(deps, who.finance, v.id, { step: 'finance', comment: '' });
  if (o.manager) await comp.approveStep(deps, o.manager, v.id, { step: 'manager', comment: '' });
  await comp.publishVersion(deps, who.reviewer, v.id);
  const { items } = await rollout.listRollouts(deps, who.reviewer, { planId: v.planId, limit: 10, offset: 0 });
  const running = items.find((r) => r.status === 'running');
  if (!running) throw new Error('publishing did not start a rollout');
  return { planId: v.planId, versionId: v.id, rolloutId: running.id };
}

/** A signed-in seller (no manager) who is a recipient of a fresh rollout: for the route table's fixtures. */
export async function sellerWithPlan(deps: Deps): Promise<{ email: string; recipientId: string; rolloutId: string; versionId: string; participantId: string }> {
  const who = await makeApprovers(deps);
  const u = await makeUser(deps, { roles: ['internal_seller'], displayName: 'Rolly Seller' });
  const p = await comp.createParticipant(deps, systemActor('test'), {
    externalRef: ref('EMP'),
    displayName: 'Rolly Seller',
    email: null,
    appUserId: u.id,
    managerId: null,
    team: 'North',
    unit: null,
    territory: null,
    activeFrom: null,
    activeTo: null,
  });
  const published = await publishPlan(deps, who, { beforeSubmit: (planId) => assign(deps, p.id, planId) });
  const list = await rollout.listRolloutRecipients(deps, who.reviewer, published.rolloutId, { limit: 10, offset: 0 });
  const mine = list.items.find((r) => r.participantId === p.id);
  if (!mine) throw new Error('the seller did not become a recipient');
  return { email: u.email, recipientId: mine.id, rolloutId: published.rolloutId, versionId: published.versionId, participantId: p.id };
}
