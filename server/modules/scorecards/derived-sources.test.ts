import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMetricDefinition, type MetricDefinition } from '../../../common/scorecards/metric.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, type TestApp } from '../../test/harness.ts';
import { createParticipant } from '../comp-plans/comp-plans.service.ts';
import { deriveActivities } from './derived-activities.service.ts';
import { computeDefinition, createMetric } from './metrics.service.ts';
import { computeScorecard, createScorecard } from './scorecards.service.ts';

let t: TestApp;
const sys = systemActor('test');
let sam = '';
let partnerA = '';
let partnerB = '';
let wonConsulting = '';

function metric(raw: Record<string, unknown>): MetricDefinition {
  const c = checkMetricDefinition({ owner: 'Channel', periodGrain: 'quarter', source: 'registrations', periodField: 'submitted_on', ...raw });
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return c.definition;
}

const submitted = { field: 'status', op: 'not_in', values: ['draft'] } as const;
const slaAdherence = metric({
  key: 'reg_sla',
  name: 'Registrations answered within SLA',
  unit: 'ratio',
  direction: 'higher_is_better',
  subjectKinds: ['seller', 'partner', 'programme'],
  measure: {
    kind: 'ratio',
    numerator: { kind: 'count', filters: [submitted, { field: 'answered_within_sla', op: 'eq', value: true }] },
    denominator: { kind: 'count', filters: [submitted] },
  },
});

describe('the registrations metric source and derived activities', () => {
  beforeAll(async () => {
    t = await createTestApp();
    const reviewer = await makeUser(t.deps, { roles: ['channel_manager'] });
    const unlinked = await makeUser(t.deps, { roles: ['channel_manager'] });
    const base = { email: null, managerId: null, unit: 'North', territory: null, activeFrom: null, activeTo: null, team: 'Channel' };
    sam = (await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:sam', displayName: 'Sam', appUserId: reviewer.id })).id;
    partnerA = (await makePartner(t.deps)).id;
    partnerB = (await makePartner(t.deps)).id;
    await inTransaction(t.deps, sys, async (trx) => {
      const scenarios = new Map((await trx.selectFrom('scenario').select(['key', 'scenarioId']).execute()).map((s) => [s.key, s.scenarioId]));
      const reg = (o: {
        partnerId: string;
        reviewer: string | null;
        status: string;
        source?: 'partner' | 'vendor_offer';
        submittedAt: string | null;
        due?: string;
        firstResponseAt?: string | null;
        scenario?: string;
      }) => ({
        dealRegistrationId: newId(),
        reference: `R-${newId().slice(0, 12)}`,
        partnerId: o.partnerId,
        status: o.status as 'submitted',
        source: o.source ?? 'partner',
        scenarioId: scenarios.get(o.scenario ?? 'consulting') ?? '',
        endCustomerName: 'Acme',
        endCustomerNormalisedName: 'acme',
        valueMinor: 10_000,
        currency: 'USD',
        reviewerUserId: o.reviewer,
        submittedAt: o.submittedAt === null ? null : new Date(o.submittedAt),
        slaDueAt: o.due ? new Date(o.due) : null,
        firstResponseAt: o.firstResponseAt ? new Date(o.firstResponseAt) : null,
        protectionEndsOn: o.status === 'approved' ? '2026-12-31' : null,
      });
      await trx
        .insertInto('dealRegistration')
        .values([
          // Sam's: answered in time, answered late, not answered yet (past due); a vendor offer answered in time.
          reg({
            partnerId: partnerA,
            reviewer: reviewer.id,
            status: 'approved',
            submittedAt: '2026-04-02T09:00Z',
            due: '2026-04-04T09:00Z',
            firstResponseAt: '2026-04-03T09:00Z',
          }),
          reg({
            partnerId: partnerA,
            reviewer: reviewer.id,
            status: 'under_review',
            submittedAt: '2026-04-10T09:00Z',
            due: '2026-04-12T09:00Z',
            firstResponseAt: '2026-04-13T21:00Z',
          }),
          reg({ partnerId: partnerB, reviewer: reviewer.id, status: 'submitted', submittedAt: '2026-05-10T09:00Z', due: '2026-05-12T09:00Z' }),
          reg({
            partnerId: partnerB,
            reviewer: reviewer.id,
            status: 'approved',
            source: 'vendor_offer',
            submittedAt: '2026-05-11T09:00Z',
            due: '2026-05-13T09:00Z',
            firstResponseAt: '2026-05-11T15:00Z',
          }),
          // A reviewer who is no participant: counted for the partner and the programme only.
          reg({
            partnerId: partnerB,
            reviewer: unlinked.id,
            status: 'approved',
            submittedAt: '2026-05-20T09:00Z',
            due: '2026-05-22T09:00Z',
            firstResponseAt: '2026-05-21T09:00Z',
          }),
          // A draft and a registration of another quarter are not counted.
          reg({ partnerId: partnerA, reviewer: reviewer.id, status: 'draft', submittedAt: null }),
          reg({
            partnerId: partnerA,
            reviewer: reviewer.id,
            status: 'approved',
            submittedAt: '2026-07-02T09:00Z',
            due: '2026-07-04T09:00Z',
            firstResponseAt: '2026-07-10T09:00Z',
          }),
        ])
        .execute();
    });
  });
  afterAll(async () => t?.close());

  const q2 = { grain: 'quarter', from: '2026-04-01', to: '2026-07-01' } as const;

  it('computes SLA adherence per reviewer (seller), partner and programme from the registrations in place', async () => {
    const bySeller = await computeDefinition(t.deps, sys, slaAdherence, { ...q2, subjectKind: 'seller' });
    expect(bySeller).toEqual([
      expect.objectContaining({ subjectId: sam, subjectLabel: 'Sam', period: '2026-04-01', numerator: 2, denominator: 4, value: 0.5 }),
    ]);
    const byPartner = await computeDefinition(t.deps, sys, slaAdherence, { ...q2, subjectKind: 'partner' });
    const values = Object.fromEntries(byPartner.map((r) => [r.subjectId, [r.numerator, r.denominator]]));
    expect(values).toEqual({ [partnerA]: [1, 2], [partnerB]: [2, 3] });
    const programme = await computeDefinition(t.deps, sys, slaAdherence, { ...q2, subjectKind: 'programme' });
    expect(programme.map((r) => [r.numerator, r.denominator])).toEqual([[3, 5]]);
  });

  it('computes counts, the partner-sourced share and the median response time', async () => {
    const share = metric({
      key: 'reg_partner_share',
      name: 'Partner-sourced share of registrations',
      unit: 'ratio',
      direction: 'higher_is_better',
      subjectKinds: ['seller', 'partner'],
      measure: {
        kind: 'ratio',
        numerator: { kind: 'count', filters: [submitted, { field: 'partner_sourced', op: 'eq', value: true }] },
        denominator: { kind: 'count', filters: [submitted] },
      },
    });
    expect((await computeDefinition(t.deps, sys, share, { ...q2, subjectKind: 'seller' })).map((r) => r.value)).toEqual([0.75]);
    const count = metric({
      key: 'reg_count',
      name: 'Registrations',
      unit: 'count',
      direction: 'higher_is_better',
      subjectKinds: ['partner'],
      periodGrain: 'month',
      measure: { kind: 'count', filters: [submitted] },
    });
    const monthly = await computeDefinition(t.deps, sys, count, { grain: 'month', from: '2026-04-01', to: '2026-07-01', subjectKind: 'partner' });
    expect(monthly.map((r) => [r.subjectId === partnerA ? 'A' : 'B', r.period, r.value])).toEqual([
      ['A', '2026-04-01', 2],
      ['B', '2026-05-01', 3],
    ]);
    const median = metric({
      key: 'reg_response',
      name: 'Median first response (hours)',
      unit: 'number',
      direction: 'lower_is_better',
      subjectKinds: ['programme'],
      measure: { kind: 'median', field: 'response_hours', filters: [] },
    });
    // Answered in the quarter: 24, 84, 6, 24 hours.
    expect((await computeDefinition(t.deps, sys, median, { ...q2, subjectKind: 'programme' })).map((r) => r.value)).toEqual([24]);
  });

  it('feeds a scorecard: the registrations metric computed per partner and per reviewer with the other rows', async () => {
    await createMetric(t.deps, sys, slaAdherence);
    for (const [key, subjectKind] of [
      ['partner_sla', 'partner'],
      ['seller_sla', 'seller'],
    ] as const)
      await createScorecard(t.deps, sys, {
        key,
        name: key,
        owner: 'Channel',
        subjectKind,
        periodGrain: 'quarter',
        trendPeriods: 2,
        rows: [
          { metric: 'reg_sla', weight: 1, target: 0.9, redFlag: 0.5 },
          { metric: 'won_value', weight: 1, target: 1000, redFlag: 0 },
        ],
      });
    const byPartner = await computeScorecard(t.deps, sys, 'partner_sla', { period: '2026-05-01', refresh: 'true', limit: 50, offset: 0 });
    const cells = Object.fromEntries(byPartner.subjects.map((x) => [x.subjectId, x.cells[0]]));
    expect(cells[partnerA]).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, status: 'amber' });
    expect(cells[partnerB]?.value).toBeCloseTo(2 / 3, 12);
    const bySeller = await computeScorecard(t.deps, sys, 'seller_sla', { period: '2026-05-01', refresh: 'true', limit: 50, offset: 0 });
    expect(bySeller.subjects.find((x) => x.subjectId === sam)?.cells[0]).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 });
    // Rolled up, the parent's figure is recomputed from its own rows (3 of 5), not averaged.
    const all = await computeScorecard(t.deps, sys, 'seller_sla', { period: '2026-05-01', level: 'programme', refresh: 'true', limit: 50, offset: 0 });
    expect(all.subjects.map((x) => [x.subjectId, x.cells[0]?.value])).toEqual([['programme', 0.6]]);
  });

  it('refuses a definition naming a field the source does not have, or a value outside an enum', () => {
    const c = checkMetricDefinition({
      key: 'bad',
      name: 'Bad',
      owner: 'x',
      unit: 'count',
      direction: 'higher_is_better',
      source: 'registrations',
      periodField: 'submitted_on',
      periodGrain: 'month',
      subjectKinds: ['partner'],
      measure: {
        kind: 'count',
        filters: [
          { field: 'stage', op: 'eq', value: 'won' },
          { field: 'status', op: 'eq', value: 'done' },
        ],
      },
    });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues.map((i) => i.path)).toEqual(['measure.filters[0].field', 'measure.filters[1].value']);
  });

  it('derives partner deals won outside renewals and re-activations done, idempotently, keyed by the source row', async () => {
    const opp = (stage: 'won' | 'lost', scenario: string | null, partnerId: string | null) => ({
      opportunityId: newId(),
      source: 'test',
      externalId: newId(),
      sellerParticipantId: sam,
      stage,
      engageOn: '2026-04-01',
      closeOn: '2026-05-05',
      valueMinor: 1000,
      currency: 'USD',
      partnerId,
      scenario,
      accountName: 'Globex',
    });
    const rows = [
      opp('won', 'consulting', partnerA),
      opp('won', 'maintenance_renewal', partnerA),
      opp('won', 'consulting', null),
      opp('lost', 'consulting', partnerA),
      opp('won', null, partnerA),
    ];
    wonConsulting = rows[0]?.opportunityId ?? '';
    const task = newId();
    await inTransaction(t.deps, sys, async (trx) => {
      await trx.insertInto('opportunity').values(rows).execute();
      await trx.insertInto('partnerReactivationTask').values({ partnerReactivationTaskId: task, partnerId: partnerB, reason: 'Quiet for 90 days' }).execute();
      await trx
        .updateTable('partnerReactivationTask')
        .set({ status: 'done', outcome: 'Joint plan agreed', closedAt: new Date('2026-05-08T10:00Z') })
        .where('partnerReactivationTaskId', '=', task)
        .execute();
    });

    const first = await deriveActivities(t.deps, sys);
    expect(first).toEqual({
      partner_deal_non_renewal: { inserted: 1, updated: 0, removed: 0 },
      partner_reactivation_done: { inserted: 1, updated: 0, removed: 0 },
    });
    const derived = await inTransaction(t.deps, sys, (trx) =>
      trx
        .selectFrom('activity')
        .select(['kind', 'participantId', 'partnerId', 'occurredOn', 'externalRef', 'note'])
        .where('source', '=', 'derived')
        .orderBy('kind')
        .execute(),
    );
    expect(derived).toEqual([
      {
        kind: 'partner_deal_non_renewal',
        participantId: sam,
        partnerId: partnerA,
        occurredOn: '2026-05-05',
        externalRef: `opportunity:${wonConsulting}`,
        note: 'Globex (Consulting)',
      },
      {
        kind: 'partner_reactivation_done',
        participantId: null,
        partnerId: partnerB,
        occurredOn: '2026-05-08',
        externalRef: `partner_reactivation_task:${task}`,
        note: 'Joint plan agreed',
      },
    ]);

    expect(await deriveActivities(t.deps, sys)).toEqual({
      partner_deal_non_renewal: { inserted: 0, updated: 0, removed: 0 },
      partner_reactivation_done: { inserted: 0, updated: 0, removed: 0 },
    });
    // One audit entry for the run that changed rows, none for the quiet one.
    const audited = await inTransaction(t.deps, sys, (trx) => trx.selectFrom('auditEntry').select('action').where('action', '=', 'activity.derive').execute());
    expect(audited).toHaveLength(1);

    await inTransaction(t.deps, sys, (trx) =>
      trx.updateTable('opportunity').set({ closeOn: '2026-05-06' }).where('opportunityId', '=', wonConsulting).execute(),
    );
    expect((await deriveActivities(t.deps, sys)).partner_deal_non_renewal).toEqual({ inserted: 0, updated: 1, removed: 0 });

    await inTransaction(t.deps, sys, (trx) =>
      trx.updateTable('opportunity').set({ stage: 'lost', valueMinor: 0 }).where('opportunityId', '=', wonConsulting).execute(),
    );
    expect((await deriveActivities(t.deps, sys)).partner_deal_non_renewal).toEqual({ inserted: 0, updated: 0, removed: 1 });
  });

  it('is written by the system only', async () => {
    const u = await makeUser(t.deps, { roles: ['admin'] });
    await expect(deriveActivities(t.deps, { kind: 'user', userId: u.id, partnerId: null, roles: ['admin'] } as never)).rejects.toThrow(/system job/);
  });
});
