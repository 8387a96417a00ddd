import type { z } from 'zod';
import { emptyPriorState, type CreditBucket, type ParticipantPeriodInput } from './engine-types.ts';
import { PLAN_FORMAT, planDocument, type planComponent, type PlanDocument, type PlanDocumentInput } from './plan.ts';

/** Test fixtures for the engine and crediting tests. */
export type ComponentInput = z.input<typeof planComponent>;

export function makePlan(components: ComponentInput[], over: Partial<PlanDocumentInput> = {}): PlanDocument {
  return planDocument.parse({
    format: PLAN_FORMAT,
    key: 'test_plan',
    name: 'Test plan',
    currency: 'USD',
    effectiveFrom: '2026-01-01',
    payoutPeriod: 'quarter',
    components,
    ...over,
  });
}

export function bucket(over: Partial<CreditBucket> = {}): CreditBucket {
  return {
    kind: 'direct',
    sourcing: 'direct',
    product: null,
    scenario: null,
    segment: null,
    clawback: false,
    spiffKeys: [],
    creditMinor: 0,
    deals: 1,
    ...over,
  };
}

/** Q1 2026 (90 days), no quota, nothing measured, fresh state. */
export function periodInput(over: Partial<ParticipantPeriodInput> = {}): ParticipantPeriodInput {
  return {
    participantId: 'p1',
    periodStart: '2026-01-01',
    periodEnd: '2026-04-01',
    quotaMinor: null,
    activeFrom: null,
    activeTo: null,
    metrics: {},
    buckets: [],
    prior: emptyPriorState(),
    ...over,
  };
}

export const commission = (over: Partial<Extract<ComponentInput, { kind: 'commission' }>> = {}): ComponentInput => ({
  key: 'commission',
  name: 'Commission',
  kind: 'commission',
  rateBps: 1000,
  ...over,
});
