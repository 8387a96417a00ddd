import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDocument, PLAN_FORMAT } from '../../../common/comp/plan.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { createHash } from 'node:crypto';
import { calculateRun, canonicalJson } from './runs.service.ts';
import { insertAssignedParticipants, insertPublishedPlan, insertQuotas, insertUsdRates, storedLine } from './runs.test-support.ts';

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
    await insertPublishedPlan(trx, { planId: PLAN, versionId: VERSION, document: doc });
    await insertAssignedParticipants(trx, '2027-01-01', [
      { id: mgr, ref: 'G-MGR', name: 'Manager', planId: PLAN, assignmentId: id(20) },
      { id: s1, ref: 'G-S1', name: 'Seller 1', managerId: mgr, planId: PLAN, assignmentId: id(21) },
      { id: s2, ref: 'G-S2', name: 'Seller 2', managerId: mgr, activeFrom: '2027-02-15', planId: PLAN, assignmentId: id(22) },
      { id: ov, ref: 'G-OV', name: 'Overlay', planId: PLAN, assignmentId: id(23) },
    ]);
    await insertQuotas(
      trx,
      { start: '2027-01-01', end: '2028-01-01' },
      [s1, s2, mgr].map((p, i) => ({ participantId: p, amountMinor: 4_000_000 * (i + 1), id: id(30 + i) })),
    );
    await insertUsdRates(trx, [
      { validOn: '2027-01-01', rate: '0.91' },
      { validOn: '2027-03-01', rate: '0.8837' },
    ]);
    const base = { transactionImportId: id(99), product: 'Road-150', scenario: 'new_business' };
    await trx
      .insertInto('salesTransaction')
      .values([
        storedLine({
          ...base,
          participantId: s1,
          salesTransactionId: id(100),
          amountMinor: 700_001,
          dealAmountMinor: 1_000_001,
          recognisedOn: '2027-01-20',
          splitBps: 7000,
          transactionRef: 'G1',
        }),
        storedLine({
          ...base,
          participantId: s2,
          salesTransactionId: id(100),
          amountMinor: 300_000,
          dealAmountMinor: 1_000_001,
          recognisedOn: '2027-01-20',
          splitBps: 3000,
          transactionRef: 'G1',
        }),
        storedLine({
          ...base,
          participantId: s1,
          salesTransactionId: id(101),
          amountMinor: 333_333,
          dealAmountMinor: 333_333,
          recognisedOn: '2027-02-10',
          currency: 'USD',
          sourcing: 'partner_sourced',
          transactionRef: 'G2',
        }),
        storedLine({
          ...base,
          participantId: ov,
          salesTransactionId: id(101),
          amountMinor: 333_333,
          dealAmountMinor: 333_333,
          recognisedOn: '2027-02-10',
          currency: 'USD',
          role: 'overlay',
          sourcing: 'partner_sourced',
          transactionRef: 'G2',
        }),
        storedLine({
          ...base,
          participantId: s2,
          salesTransactionId: id(102),
          amountMinor: 2_500_000,
          dealAmountMinor: 2_500_000,
          recognisedOn: '2027-03-31',
          currency: 'USD',
          sourcing: 'partner_influenced',
          transactionRef: 'G3',
        }),
        storedLine({
          ...base,
          participantId: s1,
          salesTransactionId: id(103),
          amountMinor: -100_000,
          dealAmountMinor: -100_000,
          recognisedOn: '2027-04-02',
          transactionRef: 'G4',
          kind: 'credit_note',
          originalRecognisedOn: '2027-01-20',
        }),
        storedLine({
          ...base,
          participantId: s1,
          salesTransactionId: id(104),
          amountMinor: 1_800_000,
          dealAmountMinor: 1_800_000,
          recognisedOn: '2027-06-30',
          transactionRef: 'G5',
          product: 'Ünïcode-ß',
          segment: 'ent',
        }),
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
