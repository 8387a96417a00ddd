import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EstimateView } from '../../../common/api/commissions-estimator.ts';
import { PLAN_FORMAT } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import * as runsRepo from './runs.repository.ts';
import { createRuleVersion, publishRuleVersion, updateRuleVersion } from '../engagement/rules.service.ts';
import { calculateRun } from './runs.service.ts';
import { yearToDatePlanDoc } from './runs.test-support.ts';
import { MAX_TRANSACTIONS_SETTING } from './simulation.service.ts';

/**
 * The estimator against the store. Plan (EUR, quarterly, roll-up one level): a retroactive tier
 * table on a 10,000.00 quarterly quota, base 5% x1 below 100% and x1.5 from 100%, and a 1% flat
 * commission capped at 105.00 a quarter. M manages A; O has no plan link to anyone.
 *
 *   T1 2027-02-10  A direct  9,000.00 EUR
 *
 * Q1 before: tiers 5% x 9,000 = 450.00; commission 1% = 90.00.
 * A deal of 2,000.00 on 2027-03-10: credit 11,000 -> 110%: tiers 5% x1.5 x 11,000 = 825.00 (+375.00,
 * the retroactive step pays the whole quarter again); commission 110.00 capped at 105.00 (+15.00).
 */

let t: TestApp;
let admin: Session, seller: Session, manager: Session, stranger: Session, partner: Session;
const P = { a: newId(), m: newId(), o: newId(), r: newId(), y: newId() };
let partnerId: string;

const estimate = (s: Session, payload: object) => t.app.inject({ method: 'POST', url: '/api/comp/estimates', headers: s.headers, payload });

function line(
  tx: string,
  participantId: string,
  o: { ref: string; amount: number; on: string; currency?: string; sourcing?: 'direct' | 'partner_sourced'; scenario?: string; partnerId?: string },
) {
  return {
    participantId,
    salesTransactionId: tx,
    transactionImportId: newId(),
    partnerId: o.partnerId ?? null,
    amountMinor: o.amount,
    dealAmountMinor: o.amount,
    recognisedOn: o.on,
    originalRecognisedOn: null,
    splitBps: 10_000,
    currency: o.currency ?? 'EUR',
    role: 'seller' as const,
    kind: 'booking' as const,
    sourcing: o.sourcing ?? ('direct' as const),
    transactionRef: o.ref,
    partnerRef: null,
    product: null,
    scenario: o.scenario ?? null,
    segment: null,
    endCustomer: null,
    territory: null,
  };
}

async function runTotals(start: string, end: string, participantId: string) {
  return inTransaction(t.deps, systemActor('test'), async (trx) => {
    const calc = await calculateRun(trx, { start, end }, async () => {});
    return calc.results.filter((r) => r.participantId === participantId);
  });
}

beforeAll(async () => {
  t = await createTestApp();
  async function userActor(roles: Role[]): Promise<UserActor> {
    const u = await makeUser(t.deps, { roles });
    return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
  }
  const who = { author: await userActor(['comp_admin']), reviewer: await userActor(['comp_admin']), finance: await userActor(['finance']) };
  const v = await comp.createPlan(t.deps, who.author, {
    document: {
      format: PLAN_FORMAT,
      key: `estimator_${process.pid}_${Date.now().toString(36)}`,
      name: 'Estimator fixture',
      currency: 'EUR',
      effectiveFrom: '2027-01-01',
      payoutPeriod: 'quarter',
      crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000, rollupLevels: 1 },
      components: [
        {
          key: 'tiers',
          name: 'Accelerated commission',
          kind: 'tiered',
          mode: 'retroactive',
          baseRateBps: 500,
          tiers: [
            { fromBps: 0, toBps: 10_000, rateBps: 10_000 },
            { fromBps: 10_000, toBps: null, rateBps: 15_000 },
          ],
        },
        { key: 'flat', name: 'Flat commission', kind: 'commission', rateBps: 100, capMinor: 10_500 },
      ],
    },
  });
  await comp.submitForApproval(t.deps, who.author, v.id);
  await comp.approveStep(t.deps, who.reviewer, v.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(t.deps, who.finance, v.id, { step: 'finance', comment: '' });
  await comp.publishVersion(t.deps, who.reviewer, v.id);

  // A second plan that takes partner credit from the rules of the road: new support contracts sourced by a
  // partner credits the seller half the value x1.5.
  const v2 = await comp.createPlan(t.deps, who.author, {
    document: {
      format: PLAN_FORMAT,
      key: `estimator_rotr_${process.pid}_${Date.now().toString(36)}`,
      name: 'Rules of the road fixture',
      currency: 'EUR',
      effectiveFrom: '2027-01-01',
      payoutPeriod: 'quarter',
      crediting: { partnerCredit: 'rules_of_the_road', rollupLevels: 0 },
      components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
    },
  });
  await comp.submitForApproval(t.deps, who.author, v2.id);
  await comp.approveStep(t.deps, who.reviewer, v2.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(t.deps, who.finance, v2.id, { step: 'finance', comment: '' });
  await comp.publishVersion(t.deps, who.reviewer, v2.id);
  // A third plan with a year-to-date accelerator (each quarter trues up the year so far): a deal
  // changes the later quarters of the year too.
  const v3 = await comp.createPlan(t.deps, who.author, {
    document: yearToDatePlanDoc(`estimator_ytd_${process.pid}_${Date.now().toString(36)}`, 'Year-to-date fixture'),
  });
  await comp.submitForApproval(t.deps, who.author, v3.id);
  await comp.approveStep(t.deps, who.reviewer, v3.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(t.deps, who.finance, v3.id, { step: 'finance', comment: '' });
  await comp.publishVersion(t.deps, who.reviewer, v3.id);
  const lead = await userActor(['admin']);
  const draft = await createRuleVersion(t.deps, lead, { from: 'default' });
  const hint = {
    id: 'nb',
    scenarios: ['new_support_contract'],
    partnerSourcedMultiplierBps: 15_000,
    partnerInfluencedMultiplierBps: 10_000,
    directSellerCredit: 'split',
  };
  await updateRuleVersion(t.deps, lead, draft.id, { rules: { ...(draft.rules ?? {}), crediting: [hint] } });
  await publishRuleVersion(t.deps, lead, draft.id, { acknowledgeBy: null });

  const adminUser = await makeUser(t.deps, { roles: ['comp_admin'] });
  const sellerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const managerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const strangerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const p = await makePartner(t.deps);
  partnerId = p.id;
  const partnerUser = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id });
  admin = await signIn(t.app, adminUser.email);
  seller = await signIn(t.app, sellerUser.email);
  manager = await signIn(t.app, managerUser.email);
  stranger = await signIn(t.app, strangerUser.email);
  partner = await signIn(t.app, partnerUser.email);

  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await trx
      .insertInto('compParticipant')
      .values([
        { compParticipantId: P.m, externalRef: `M-${P.m}`, displayName: 'Max Manager', appUserId: managerUser.id },
        { compParticipantId: P.a, externalRef: `A-${P.a}`, displayName: 'Ada Seller', appUserId: sellerUser.id, managerParticipantId: P.m },
        { compParticipantId: P.o, externalRef: `O-${P.o}`, displayName: 'Oz Overlay', appUserId: strangerUser.id },
        { compParticipantId: P.r, externalRef: `R-${P.r}`, displayName: 'Rio Roads' },
        { compParticipantId: P.y, externalRef: `Y-${P.y}`, displayName: 'Yan Yearly' },
      ])
      .execute();
    await trx
      .insertInto('compQuota')
      .values([
        { compQuotaId: newId(), compParticipantId: P.a, periodStart: '2027-01-01', periodEnd: '2028-01-01', amountMinor: 4_000_000, currency: 'EUR' },
        { compQuotaId: newId(), compParticipantId: P.y, periodStart: '2027-01-01', periodEnd: '2028-01-01', amountMinor: 4_000_000, currency: 'EUR' },
      ])
      .execute();
    await trx
      .insertInto('salesTransaction')
      .values([
        line(newId(), P.a, { ref: 'T1', amount: 900_000, on: '2027-02-10' }),
        line(newId(), P.y, { ref: 'Y1', amount: 900_000, on: '2027-02-10' }),
        line(newId(), P.y, { ref: 'Y2', amount: 900_000, on: '2027-05-10' }),
      ])
      .execute();
    await runsRepo.upsertFxRate(trx, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0.9' });
  });
  for (const id of [P.a, P.m, P.o])
    await comp.createAssignment(t.deps, who.author, { participantId: id, planId: v.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
  await comp.createAssignment(t.deps, who.author, { participantId: P.r, planId: v2.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
  await comp.createAssignment(t.deps, who.author, { participantId: P.y, planId: v3.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
});
afterAll(async () => t?.close());

describe('estimating a deal that crosses a tier boundary', () => {
  let est: EstimateView;
  beforeAll(async () => {
    const r = await estimate(seller, { amountMinor: 200_000, currency: 'EUR', closeOn: '2027-03-10' });
    expect(r.statusCode, r.body).toBe(200);
    est = r.json<EstimateView>();
  });

  it('pays the retroactive step on the whole quarter and the capped commission up to its cap', () => {
    expect(est.participantId).toBe(P.a);
    expect(est.period).toEqual({ start: '2027-01-01', end: '2027-04-01' });
    expect([est.before.totalMinor, est.after.totalMinor, est.deltaMinor]).toEqual([54_000, 93_000, 39_000]);
    expect([est.before.attainmentBps, est.after.attainmentBps]).toEqual([9_000, 11_000]);
    const tiers = est.components.find((c) => c.componentKey === 'tiers');
    expect(tiers).toMatchObject({
      beforeMinor: 45_000,
      afterMinor: 82_500,
      deltaMinor: 37_500,
      tierCrossed: { from: { fromBps: 0, toBps: 10_000 }, to: { fromBps: 10_000, toBps: null } },
      capHit: false,
    });
    expect(tiers?.lines[0]).toMatchObject({ rateBps: 500, multiplierBps: 15_000, basisMinor: 1_100_000 });
    expect(tiers?.lines[0]?.explanation).toContain('x 1.5');
    const flat = est.components.find((c) => c.componentKey === 'flat');
    expect(flat).toMatchObject({ beforeMinor: 9_000, afterMinor: 10_500, deltaMinor: 1_500, capHit: true });
    expect(flat?.lines.some((l) => l.kind === 'cap')).toBe(true);
  });

  it('equals the difference of two real period runs, before and after the deal is booked', async () => {
    const before = await runTotals('2027-01-01', '2027-04-01', P.a);
    const txId = newId();
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('salesTransaction')
        .values([line(txId, P.a, { ref: 'DEAL', amount: 200_000, on: '2027-03-10' })])
        .execute(),
    );
    try {
      const after = await runTotals('2027-01-01', '2027-04-01', P.a);
      expect(before.map((r) => r.totalMinor)).toEqual([est.before.totalMinor]);
      expect(after.map((r) => r.totalMinor)).toEqual([est.after.totalMinor]);
      expect((after[0]?.totalMinor ?? 0) - (before[0]?.totalMinor ?? 0)).toBe(est.deltaMinor);
      expect(after[0]?.lines).toEqual(est.after.lines.map((l) => expect.objectContaining(l)));
      // The manager's roll-up credit changes too, as the estimate's "others" said.
      const mBefore = (await runTotals('2027-01-01', '2027-04-01', P.m))[0];
      expect(mBefore?.quotaCreditMinor).toBe(1_100_000);
    } finally {
      await inTransaction(t.deps, systemActor('test'), (trx) => trx.deleteFrom('salesTransaction').where('salesTransactionId', '=', txId).execute());
    }
  });

  it('lists the manager’s roll-up credit to the comp admin, and hides it from the seller', async () => {
    expect(est.ownCredit).toMatchObject([{ participantId: P.a, kind: 'direct', creditMinor: 200_000 }]);
    expect(est.others).toEqual([]);
    expect(est.hiddenOthers).toBe(1);
    const r = await estimate(admin, { participantId: P.a, amountMinor: 200_000, currency: 'EUR', closeOn: '2027-03-10', overlays: [P.o] });
    expect(r.statusCode, r.body).toBe(200);
    const byAdmin = r.json<EstimateView>();
    expect(byAdmin.deltaMinor).toBe(39_000);
    expect(byAdmin.others.map((o) => [o.name, o.kind, o.creditMinor]).sort()).toEqual([
      ['Max Manager', 'rollup', 200_000],
      ['Oz Overlay', 'overlay', 200_000],
    ]);
    expect(byAdmin.hiddenOthers).toBe(0);
  });

  it('chains the fiscal year: a deal in Q2 sees Q1 only through carried state, and pays by Q2’s own quota', async () => {
    const r = await estimate(seller, { amountMinor: 1_000_000, currency: 'EUR', closeOn: '2027-05-02' });
    expect(r.statusCode, r.body).toBe(200);
    const q2 = r.json<EstimateView>();
    expect(q2.period).toEqual({ start: '2027-04-01', end: '2027-07-01' });
    // 10,000.00 on a 10,000.00 quarter = 100%: 5% x1.5 = 750.00; flat 1% = 100.00.
    expect([q2.before.totalMinor, q2.after.totalMinor]).toEqual([0, 85_000]);
    expect(q2.notes.join(' ')).toContain('Earlier payout periods');
  });
});

describe('a deal that changes later periods of the year', () => {
  /**
   * Yan (year-to-date accelerator, 10,000.00 a quarter): Y1 9,000.00 in Q1, Y2 9,000.00 in Q2.
   * Without the deal: Q1 90% of 10,000 pays 5% x 9,000 = 450.00; Q2 90% of 20,000: 900.00 - 450.00 = 450.00.
   * A 2,000.00 deal in Q1: Q1 110% pays 5% x1.5 x 11,000 = 825.00 (+375.00); Q2 100% of 20,000
   * pays 5% x1.5 x 20,000 = 1,500.00 - 825.00 = 675.00 (+225.00); Q3 and Q4 true the year up again.
   */
  let est: EstimateView;
  beforeAll(async () => {
    const r = await estimate(admin, { participantId: P.y, amountMinor: 200_000, currency: 'EUR', closeOn: '2027-03-10' });
    expect(r.statusCode, r.body).toBe(200);
    est = r.json<EstimateView>();
  });

  it('shows the change of each later period the deal affects, and the year’s', () => {
    expect(est.period).toEqual({ start: '2027-01-01', end: '2027-04-01' });
    expect([est.before.totalMinor, est.after.totalMinor, est.deltaMinor]).toEqual([45_000, 82_500, 37_500]);
    const q2 = est.laterPeriods[0];
    expect(q2?.period).toEqual({ start: '2027-04-01', end: '2027-07-01' });
    expect([q2?.before.totalMinor, q2?.after.totalMinor, q2?.deltaMinor]).toEqual([45_000, 67_500, 22_500]);
    expect([q2?.before.ytdAttainmentBps, q2?.after.ytdAttainmentBps]).toEqual([9_000, 10_000]);
    expect(q2?.components).toMatchObject([{ componentKey: 'ytd', deltaMinor: 22_500, tierCrossed: { from: { fromBps: 0 }, to: { fromBps: 10_000 } } }]);
    for (const p of est.laterPeriods) expect(p.period.start > est.period.start && p.deltaMinor !== 0).toBe(true);
    expect(est.yearDeltaMinor).toBe(est.deltaMinor + est.laterPeriods.reduce((a, p) => a + p.deltaMinor, 0));
    expect(est.notes.join(' ')).toMatch(/also changes \d+ later payout periods? of the fiscal year/);
  });

  it('equals, period by period, the difference of two real runs over the year, before and after the deal is booked', async () => {
    const before = await runTotals('2027-01-01', '2028-01-01', P.y);
    const txId = newId();
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('salesTransaction')
        .values([line(txId, P.y, { ref: 'YDEAL', amount: 200_000, on: '2027-03-10' })])
        .execute(),
    );
    try {
      const after = await runTotals('2027-01-01', '2028-01-01', P.y);
      expect(after.map((r) => r.periodStart)).toEqual(['2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01']);
      const runDelta = after.map((r, i) => [r.periodStart, r.totalMinor - (before[i]?.totalMinor ?? 0)] as const);
      const estimated = new Map<string, number>([[est.period.start, est.deltaMinor], ...est.laterPeriods.map((p) => [p.period.start, p.deltaMinor] as const)]);
      expect(runDelta).toEqual(runDelta.map(([start]) => [start, estimated.get(start) ?? 0]));
      for (const p of est.laterPeriods) {
        const run = after.find((r) => r.periodStart === p.period.start);
        expect(run?.totalMinor).toBe(p.after.totalMinor);
        expect(run?.lines).toEqual(p.after.lines.map((l) => expect.objectContaining(l)));
      }
      expect(runDelta.reduce((a, [, d]) => a + d, 0)).toBe(est.yearDeltaMinor);
    } finally {
      await inTransaction(t.deps, systemActor('test'), (trx) => trx.deleteFrom('salesTransaction').where('salesTransactionId', '=', txId).execute());
    }
  });

  it('lists no later period when the deal changes only its own (a per-period plan)', async () => {
    const r = await estimate(seller, { amountMinor: 200_000, currency: 'EUR', closeOn: '2027-03-10' });
    const e = r.json<EstimateView>();
    expect(e.laterPeriods).toEqual([]);
    expect(e.yearDeltaMinor).toBe(e.deltaMinor);
  });

  it('changes nothing: no audit entry is written', async () => {
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('auditEntry')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    expect((await estimate(admin, { participantId: P.y, amountMinor: 100_000, currency: 'EUR', closeOn: '2027-05-10' })).statusCode).toBe(200);
    expect(await count()).toBe(before);
  });
});

describe('currencies', () => {
  it('converts a deal in another currency at the dated rate', async () => {
    const r = await estimate(seller, { amountMinor: 100_000, currency: 'USD', closeOn: '2027-03-10' });
    expect(r.statusCode, r.body).toBe(200);
    const e = r.json<EstimateView>();
    expect(e.fx).toEqual({ from: 'USD', rate: '0.9', on: '2027-01-01' });
    expect(e.ownCredit[0]?.creditMinor).toBe(90_000);
  });

  it('answers 409 naming the pair when no rate is valid', async () => {
    const r = await estimate(seller, { amountMinor: 100_000, currency: 'GBP', closeOn: '2027-03-10' });
    expect(r.statusCode).toBe(409);
    expect(r.json<{ detail: string }>().detail).toContain('GBP');
  });
});

describe('who may estimate for whom', () => {
  const body = (participantId?: string) => ({ ...(participantId ? { participantId } : {}), amountMinor: 100_000, currency: 'EUR', closeOn: '2027-03-10' });
  it('lets a manager estimate for their report, not a seller for their manager', async () => {
    expect((await estimate(manager, body(P.a))).statusCode).toBe(200);
    expect((await estimate(seller, body(P.m))).statusCode).toBe(404);
  });
  it('answers 404 to a stranger and to partner users', async () => {
    expect((await estimate(stranger, body(P.a))).statusCode).toBe(404);
    expect((await estimate(partner, body(P.a))).statusCode).toBe(404);
    expect((await estimate(partner, body())).statusCode).toBe(404);
  });
  it('refuses a deal without a value, with a clear path', async () => {
    const r = await estimate(seller, { currency: 'EUR' });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json())).toContain('amountMinor');
  });
  it('refuses a participant without a plan on the day', async () => {
    const r = await estimate(seller, { amountMinor: 100, currency: 'EUR', closeOn: '2026-06-01' });
    expect(r.statusCode).toBe(409);
  });
});

describe('prefilling from an opportunity', () => {
  it('takes value, currency, close date and seller from an open opportunity; a closed one is refused', async () => {
    const open = newId();
    const won = newId();
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('opportunity')
        .values([
          {
            opportunityId: open,
            source: 'test',
            externalId: 'OPP-1',
            sellerParticipantId: P.a,
            stage: 'engaging',
            closeOn: '2027-03-20',
            valueMinor: 200_000,
            currency: 'EUR',
          },
          {
            opportunityId: won,
            source: 'test',
            externalId: 'OPP-2',
            sellerParticipantId: P.a,
            stage: 'won',
            closeOn: '2027-03-20',
            valueMinor: 200_000,
            currency: 'EUR',
          },
        ])
        .execute(),
    );
    const r = await estimate(manager, { prefillFrom: { kind: 'opportunity', id: open } });
    expect(r.statusCode, r.body).toBe(200);
    const e = r.json<EstimateView>();
    expect(e.participantId).toBe(P.a);
    expect(e.deal).toMatchObject({ amountMinor: 200_000, currency: 'EUR', closeOn: '2027-03-20', prefilledFrom: { kind: 'opportunity', id: open } });
    expect(e.deltaMinor).toBe(39_000);
    expect((await estimate(manager, { prefillFrom: { kind: 'opportunity', id: won } })).statusCode).toBe(409);
    expect((await estimate(stranger, { prefillFrom: { kind: 'opportunity', id: open } })).statusCode).toBe(404);
  });
});

describe('a bounded read', () => {
  it('refuses a fiscal year with more transactions than the simulation limit', async () => {
    const tx = newId();
    await inTransaction(t.deps, systemActor('test'), async (trx) => {
      await trx.insertInto('appSetting').values({ key: MAX_TRANSACTIONS_SETTING, value: '1' }).execute();
      await trx
        .insertInto('salesTransaction')
        .values([line(tx, P.a, { ref: 'T2', amount: 1_000, on: '2027-01-20' })])
        .execute();
    });
    try {
      const r = await estimate(seller, { amountMinor: 100, currency: 'EUR', closeOn: '2027-03-10' });
      expect(r.statusCode).toBe(413);
      expect(r.json<{ detail: string }>().detail).toContain('2 transactions');
    } finally {
      await inTransaction(t.deps, systemActor('test'), async (trx) => {
        await trx.deleteFrom('appSetting').where('key', '=', MAX_TRANSACTIONS_SETTING).execute();
        await trx.deleteFrom('salesTransaction').where('salesTransactionId', '=', tx).execute();
      });
    }
  });
});

describe('a partner-sourced deal credited by the rules of the road', () => {
  it('credits with the hint for the scenario, as a period run does', async () => {
    const r = await estimate(admin, {
      participantId: P.r,
      amountMinor: 200_000,
      currency: 'EUR',
      closeOn: '2027-02-01',
      scenario: 'new_support_contract',
      partnerId,
    });
    expect(r.statusCode, r.body).toBe(200);
    const e = r.json<EstimateView>();
    expect(e.deal.sourcing).toBe('partner_sourced');
    // Half the value x1.5 = 1,500.00 credit; 10% = 150.00.
    expect(e.ownCredit).toMatchObject([{ kind: 'direct', creditMinor: 150_000 }]);
    expect(e.ownCredit[0]?.rule).toContain('nb');
    expect(e.deltaMinor).toBe(15_000);

    const before = await runTotals('2027-01-01', '2027-04-01', P.r);
    const txId = newId();
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('salesTransaction')
        .values([
          line(txId, P.r, { ref: 'RDEAL', amount: 200_000, on: '2027-02-01', sourcing: 'partner_sourced', scenario: 'new_support_contract', partnerId }),
        ])
        .execute(),
    );
    try {
      const after = await runTotals('2027-01-01', '2027-04-01', P.r);
      expect((after[0]?.totalMinor ?? 0) - (before[0]?.totalMinor ?? 0)).toBe(e.deltaMinor);
    } finally {
      await inTransaction(t.deps, systemActor('test'), (trx) => trx.deleteFrom('salesTransaction').where('salesTransactionId', '=', txId).execute());
    }
  });
});

describe('whom one may estimate for', () => {
  const list = (s: Session, q = '') => t.app.inject({ method: 'GET', url: `/api/comp/estimates/participants${q}`, headers: s.headers });
  const names = async (s: Session, q = '') =>
    (await list(s, q)).json<{ items: { name: string; own: boolean }[] }>().items.map((i) => `${i.name}${i.own ? ' (you)' : ''}`);
  it('is yourself, your reports, or anyone for a comp admin; nobody for partners', async () => {
    expect(await names(seller)).toEqual(['Ada Seller (you)']);
    expect(await names(manager)).toEqual(['Ada Seller', 'Max Manager (you)']);
    expect(await names(admin, '?q=oz')).toEqual(['Oz Overlay']);
    expect(await names(manager, '?q=oz')).toEqual([]);
    expect((await list(partner)).statusCode).toBe(404);
  });
});
