import type { PlanDocumentInput } from '../../../common/comp/plan.ts';
import { PLAN_FORMAT } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import type { UserActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import { makeUser } from '../../test/harness.ts';
import * as comp from './comp-plans.service.ts';

let counter = 0;

/** A fresh plan key for each call: plan keys are unique. */
export function uniquePlanKey(prefix = 'plan'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 7)}`;
}

/** A small valid plan document: one commission component and a SPIFF, both capped. */
export function planDoc(overrides: Partial<PlanDocumentInput> = {}): PlanDocumentInput {
  return {
    format: PLAN_FORMAT,
    key: overrides.key ?? uniquePlanKey(),
    name: 'Direct sellers 2027',
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    components: [
      {
        key: 'partner_sourced_kicker',
        name: 'Commission with a partner kicker',
        kind: 'commission',
        rateBps: 300,
        partnerSourcedMultiplierBps: 12_000,
        capMinor: 2_000_000,
      },
      { key: 'q1_spiff', name: 'Q1 SPIFF', kind: 'spiff', from: '2027-01-01', to: '2027-04-01', perDealMinor: 50_000, capMinor: 500_000 },
    ],
    ...overrides,
  };
}

/** A signed-in-like internal user for calling the service directly. */
export async function internalActor(deps: Deps, roles: Role[], displayName?: string): Promise<UserActor> {
  const u = await makeUser(deps, { roles, ...(displayName ? { displayName } : {}) });
  return { kind: 'user', userId: u.id, email: u.email, displayName: displayName ?? u.email, partnerId: null, roles, via: 'session', requestId: null };
}

export type Approvers = { author: UserActor; reviewer: UserActor; finance: UserActor };

export async function makeApprovers(deps: Deps): Promise<Approvers> {
  return {
    author: await internalActor(deps, ['comp_admin'], 'Ada Author'),
    reviewer: await internalActor(deps, ['comp_admin'], 'Rex Reviewer'),
    finance: await internalActor(deps, ['finance'], 'Fin Ance'),
  };
}

/** A plan whose first version went through comp admin and finance approval (no assignments: no manager step). */
export async function approvedPlanVersion(deps: Deps, who: Approvers, doc: PlanDocumentInput = planDoc()): Promise<{ planId: string; versionId: string }> {
  const v = await comp.createPlan(deps, who.author, { document: doc });
  await comp.submitForApproval(deps, who.author, v.id);
  await comp.approveStep(deps, who.reviewer, v.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(deps, who.finance, v.id, { step: 'finance', comment: '' });
  return { planId: v.planId, versionId: v.id };
}

/** A plan version in approval, created by `who.author`. */
export async function submittedPlanVersion(deps: Deps, who: Approvers, doc: PlanDocumentInput = planDoc()): Promise<{ planId: string; versionId: string }> {
  const v = await comp.createPlan(deps, who.author, { document: doc });
  await comp.submitForApproval(deps, who.author, v.id);
  return { planId: v.planId, versionId: v.id };
}

/** A plan whose first version is published (in force). */
export async function publishedPlanVersion(deps: Deps, who: Approvers, doc: PlanDocumentInput = planDoc()): Promise<{ planId: string; versionId: string }> {
  const v = await approvedPlanVersion(deps, who, doc);
  await comp.publishVersion(deps, who.reviewer, v.versionId);
  return v;
}
