import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDocument, PLAN_FORMAT } from '../../../common/comp/plan.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import * as repo from './runs.repository.ts';
import { createHash } from 'node:crypto';
import { calculateRun, canonicalJson } from './runs.service.ts';

/**
 * A run's result hash is a fixed value for fixed inputs: ids, plan versions and transactions here are
 * constants, so the hash below must come out the same on every PostgreSQL the app supports (the
 * embedded 18 and an external 15: DATABASE_URL=postgres://... npx vitest run this file). Crediting
 * with splits, roll-up, a partner multiplier, dated USD rates, a refund, a SPIFF and a
 * year-to-date tier table, chained over two quarters.
 */

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const PLAN = id(1);
const VERSION = id(2);
const [mgr, s1, s2, ov] = [id(10), id(11), id(12), id(13)];

/** sha256 over the canonical JSON of every result, in order: the results themselves, byte for byte. */
const GOLDEN_RESULTS = '0ef128d2f3fa256d6e23b5945fdc91b55dcce3b4b62c00d09da2b62d4a4bac36';
/** The run hash: sha256 over each result's sha256 (migration 0023: reused results are hashed from their stored digests). */
const GOLDEN = '7e4403b16e5cb66f53b411d86574bc0dcfdaf0b431f1f4298cd123f63383fefc';

let t: TestDeps;

beforeAll(async () => {
  t = await createTestDeps();
  const doc = planDocument.parse({
    format: PLAN_FORMAT,
    key: 'golden_plan',
    name: 'Golden',
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    payoutPeriod: 'quarter',
    rounding: 'half_even',
    crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 12_500, partnerInfluencedCreditBps: 10_000, rollupLevels: 1 },
    components: [
      {
        key: 'tiers',
        name: 'Year-to-date tiers',
        kind: 'tiered',
        mode: 'marginal',
        window: 'year_to_date',
        tiers: [
          { fromBps: 0, toBps: 5000, rateBps: 300 },
          { fromBps: 5000, toBps: null, rateBps: 700 },
        ],
        credits: { creditKinds: ['direct', 'split', 'rollup', 'overlay'] },
      },
      {
        key: 'spiff',
        name: 'Partner SPIFF',
        kind: 'spiff',
        from: '2027-02-01',
        to: '2027-05-01',
        perDealMinor: 2500,
        credits: { sourcings: ['partner_sourced'] },
      },
    ],
  });
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await trx.insertInto('compPlan').values({ compPlanId: PLAN, key: 'golden_plan', name: 'Golden', currency: 'EUR', createdByUserId: null }).execute();
    await trx
      .insertInto('compPlanVersion')
      .values({
        compPlanVersionId: VERSION,
        compPlanId: PLAN,
        version: 1,
        status: 'published',
        document: JSON.stringify(doc),
        effectiveFrom: '2027-01-01',
        effectiveTo: null,
        createdByUserId: null,
        publishedAt: '2026-12-01T00:00:00Z',
      })
      .execute();
    await trx
      .insertInto('compParticipant')
      .values([
        { compParticipantId: mgr, externalRef: 'G-MGR', displayName: 'Manager' },
        { compParticipantId: s1, externalRef: 'G-S1', displayName: 'Seller 1', managerParticipantId: mgr },
        { compParticipantId: s2, externalRef: 'G-S2', displayName: 'Seller 2', managerParticipantId: mgr, activeFrom: '2027-02-15' },
        { compParticipantId: ov, externalRef: 'G-OV', displayName: 'Overlay' },
      ])
      .execute();
    await trx
      .insertInto('compPlanAssignment')
      .values(
        [mgr, s1, s2, ov].map((p, i) => ({
          compPlanAssignmentId: id(20 + i),
          compParticipantId: p,
          compPlanId: PLAN,
          effectiveFrom: '2027-01-01',
          effectiveTo: null,
        })),
      )
      .execute();
    await trx
      .insertInto('compQuota')
      .values(
        [s1, s2, mgr].map((p, i) => ({
          compQuotaId: id(30 + i),
          compParticipantId: p,
          periodStart: '2027-01-01',
          periodEnd: '2028-01-01',
          amountMinor: 4_000_000 * (i + 1),
          currency: 'EUR',
        })),
      )
      .execute();
    for (const r of [
      { validOn: '2027-01-01', rate: '0.91' },
      { validOn: '2027-03-01', rate: '0.8837' },
    ])
      await repo.upsertFxRate(trx, { currency: 'USD', toCurrency: 'EUR', ...r });
    const base = {
      transactionImportId: id(99),
      partnerId: null,
      originalRecognisedOn: null,
      kind: 'booking' as const,
      partnerRef: null,
      product: 'Road-150',
      scenario: 'new_business',
      segment: null,
      endCustomer: null,
      territory: null,
    };
    await trx
      .insertInto('salesTransaction')
      .values([
        {
          ...base,
          participantId: s1,
          salesTransactionId: id(100),
          amountMinor: 700_001,
          dealAmountMinor: 1_000_001,
          recognisedOn: '2027-01-20',
          splitBps: 7000,
          currency: 'EUR',
          role: 'seller',
          sourcing: 'direct',
          transactionRef: 'G1',
        },
        {
          ...base,
          participantId: s2,
          salesTransactionId: id(100),
          amountMinor: 300_000,
          dealAmountMinor: 1_000_001,
          recognisedOn: '2027-01-20',
          splitBps: 3000,
          currency: 'EUR',
          role: 'seller',
          sourcing: 'direct',
          transactionRef: 'G1',
        },
        {
          ...base,
          participantId: s1,
          salesTransactionId: id(101),
          amountMinor: 333_333,
          dealAmountMinor: 333_333,
          recognisedOn: '2027-02-10',
          splitBps: 10_000,
          currency: 'USD',
          role: 'seller',
          sourcing: 'partner_sourced',
          transactionRef: 'G2',
        },
        {
          ...base,
          participantId: ov,
          salesTransactionId: id(101),
          amountMinor: 333_333,
          dealAmountMinor: 333_333,
          recognisedOn: '2027-02-10',
          splitBps: 10_000,
          currency: 'USD',
          role: 'overlay',
          sourcing: 'partner_sourced',
          transactionRef: 'G2',
        },
        {
          ...base,
          participantId: s2,
          salesTransactionId: id(102),
          amountMinor: 2_500_000,
          dealAmountMinor: 2_500_000,
          recognisedOn: '2027-03-31',
          splitBps: 10_000,
          currency: 'USD',
          role: 'seller',
          sourcing: 'partner_influenced',
          transactionRef: 'G3',
        },
        {
          ...base,
          participantId: s1,
          salesTransactionId: id(103),
          amountMinor: -100_000,
          dealAmountMinor: -100_000,
          recognisedOn: '2027-04-02',
          splitBps: 10_000,
          currency: 'EUR',
          role: 'seller',
          sourcing: 'direct',
          transactionRef: 'G4',
          kind: 'credit_note',
          originalRecognisedOn: '2027-01-20',
        },
        {
          ...base,
          participantId: s1,
          salesTransactionId: id(104),
          amountMinor: 1_800_000,
          dealAmountMinor: 1_800_000,
          recognisedOn: '2027-06-30',
          splitBps: 10_000,
          currency: 'EUR',
          role: 'seller',
          sourcing: 'direct',
          transactionRef: 'G5',
          product: 'Ünïcode-ß',
          segment: 'ent',
        },
      ])
      .execute();
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('run result hash', () => {
  it('is the same fixed value for fixed inputs, whichever PostgreSQL calculates it', async () => {
    const calc = await inTransaction(t.deps, systemActor('test'), (trx) => calculateRun(trx, { start: '2027-01-01', end: '2027-07-01' }, async () => {}));
    // Credit by hand: the manager's roll-up in Q1 is s1 (7,000.01 + 3,333.33 USD x 0.91 x 1.25 = 3,791.66) + s2 (3,000.00 + 25,000.00 USD x 0.8837 = 22,092.50).
    expect(calc.results.map((r) => [r.participantId, r.periodStart, r.totalMinor, r.quotaCreditMinor])).toEqual([
      [mgr, '2027-01-01', 193_689, 3_588_417],
      [mgr, '2027-04-01', 56_731, 1_700_000],
      [s1, '2027-01-01', 58_042, 1_079_167],
      [s1, '2027-04-01', 97_560, 1_700_000],
      [s2, '2027-01-01', 155_648, 2_509_250],
      [s2, '2027-04-01', -40_000, 0],
      [ov, '2027-01-01', 9_100, 0],
      [ov, '2027-04-01', 0, 0],
    ]);
    const flat = createHash('sha256');
    for (const r of calc.results) flat.update(`${canonicalJson(r)}\n`);
    expect(flat.digest('hex')).toBe(GOLDEN_RESULTS);
    expect(calc.hash).toBe(GOLDEN);
  });
});
