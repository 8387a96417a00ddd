import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bucketize,
  creditTransaction,
  planPartnerCredit,
  rulesOfTheRoadPartnerCredit,
  type CreditableTransaction,
  type FxRate,
} from '../../../common/comp/crediting.ts';
import { payoutPeriods } from '../../../common/comp/engine.ts';
import { planDocument, PLAN_FORMAT, type PlanDocument, type Sourcing } from '../../../common/comp/plan.ts';
import type { TransactionKind } from '../../../common/comp/transaction-row.ts';
import { allocate, moneyOf, roundingModes, type RoundingMode } from '../../../common/money.ts';
import { systemActor } from '../../actor.ts';
import { applyScope } from '../../db/scope.ts';
import { inTransaction, type Trx } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import * as repo from './runs.repository.ts';
import { bucketsFromRows, creditingParams, partnerCreditParams } from './runs.service.ts';

/**
 * The SQL crediting of a period run gives the same buckets as crediting.ts (creditTransaction +
 * bucketize) for the same transactions, over random transactions and plan crediting settings:
 * splits, partner credit (the plan's own and rules-of-the-road hints per scenario), dated USD
 * rates, roll-up, clawback policies and SPIFF windows.
 */

let t: TestDeps;
// s0, s1 report to m0, m0 to m1, m1 to s2 (a chain of three), s3 has no manager; o0 is an overlay.
const ids: Record<string, string> = {};
const managers: Record<string, string | null> = {};

class Rollback extends Error {}

async function rolledBack<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await t.deps.db.transaction().execute(async (trx) => {
      await applyScope(trx, { kind: 'system' });
      out = await fn(trx);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return out as T;
}

// Two foreign currencies, so a rate is found among another currency's too (GBP's come first in the
// statement's (currency, day) order).
const rates: Record<string, { validOn: string; rate: string; numerator: bigint; denominator: bigint }[]> = {
  USD: [
    { validOn: '2026-12-01', rate: '0.9125', numerator: 9125n, denominator: 10000n },
    { validOn: '2027-03-15', rate: '0.87', numerator: 87n, denominator: 100n },
  ],
  GBP: [
    { validOn: '2026-11-20', rate: '1.17', numerator: 117n, denominator: 100n },
    { validOn: '2027-01-10', rate: '1.1525', numerator: 461n, denominator: 400n },
    { validOn: '2027-04-01', rate: '1.2', numerator: 6n, denominator: 5n },
  ],
};

function fxOf(from: string, on: string): FxRate | null {
  const r = [...(rates[from] ?? [])].reverse().find((x) => x.validOn <= on);
  return r ? { numerator: r.numerator, denominator: r.denominator, rate: r.rate, on: r.validOn } : null;
}

beforeAll(async () => {
  t = await createTestDeps();
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    for (const name of ['s2', 'm1', 'm0', 's0', 's1', 's3', 'o0']) ids[name] = newId();
    Object.assign(managers, { s0: 'm0', s1: 'm0', m0: 'm1', m1: 's2', s2: null, s3: null, o0: null });
    for (const name of ['s2', 'm1', 'm0', 's0', 's1', 's3', 'o0'])
      await trx
        .insertInto('compParticipant')
        .values({
          compParticipantId: ids[name] ?? '',
          externalRef: `X-${name}-${ids[name] ?? ''}`,
          displayName: name,
          managerParticipantId: managers[name] ? (ids[managers[name] ?? ''] ?? null) : null,
        })
        .execute();
    for (const [currency, list] of Object.entries(rates))
      for (const r of list) await repo.upsertFxRate(trx, { currency, toCurrency: 'EUR', validOn: r.validOn, rate: r.rate });
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const sellerNames = ['s0', 's1', 's2', 's3', 'm0'];
const scenarios = [null, 'new_business', 'renewal'];
const products = [null, 'A', 'B'];

const txArb = fc.record({
  kind: fc.constantFrom<TransactionKind>('booking', 'invoice', 'credit_note', 'cancellation'),
  amount: fc.integer({ min: 0, max: 5_000_000 }),
  currency: fc.constantFrom('EUR', 'USD', 'GBP'),
  day: fc.integer({ min: 0, max: 180 }),
  refundAfter: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
  sourcing: fc.constantFrom<Sourcing>('direct', 'partner_sourced', 'partner_influenced'),
  scenario: fc.constantFrom(...scenarios),
  product: fc.constantFrom(...products),
  segment: fc.constantFrom(null, 'smb', 'ent'),
  sellers: fc.uniqueArray(fc.constantFrom(...sellerNames), { minLength: 0, maxLength: 3 }),
  weights: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }),
  overlay: fc.boolean(),
});

const planArb: fc.Arbitrary<PlanParams> = fc.record({
  rounding: fc.constantFrom(...roundingModes),
  rollupLevels: fc.integer({ min: 0, max: 3 }),
  clawback: fc.constantFrom<PlanParams['clawback']>('full', 'within_days', 'none'),
  own: fc.boolean(),
  credit: fc.constantFrom<PlanParams['credit']>('full', 'split', 'none'),
  sourcedBps: fc.integer({ min: 0, max: 30_000 }),
  influencedBps: fc.integer({ min: 0, max: 30_000 }),
  spiffMin: fc.integer({ min: 0, max: 2_000_000 }),
});

function dateOf(day: number): string {
  return new Date(Date.UTC(2027, 0, 1 + day)).toISOString().slice(0, 10);
}

type PlanParams = {
  rounding: RoundingMode;
  rollupLevels: number;
  clawback: 'full' | 'within_days' | 'none';
  own: boolean;
  credit: 'full' | 'split' | 'none';
  sourcedBps: number;
  influencedBps: number;
  spiffMin: number;
};

function planOf(p: PlanParams): PlanDocument {
  return planDocument.parse({
    format: PLAN_FORMAT,
    key: 'prop_plan',
    name: 'Property plan',
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    rounding: p.rounding,
    clawback: { policy: p.clawback, withinDays: p.clawback === 'within_days' ? 60 : null },
    crediting: p.own
      ? {
          partnerCredit: 'plan',
          directSellerCredit: p.credit,
          partnerSourcedCreditBps: p.sourcedBps,
          partnerInfluencedCreditBps: p.influencedBps,
          rollupLevels: p.rollupLevels,
        }
      : { rollupLevels: p.rollupLevels },
    components: [
      { key: 'commission', name: 'Commission', kind: 'commission', rateBps: 500 },
      { key: 'b_spiff', name: 'SPIFF A', kind: 'spiff', from: '2027-02-01', to: '2027-05-01', perDealMinor: 1000, credits: { products: ['A'] } },
      {
        key: 'a_spiff',
        name: 'SPIFF partner',
        kind: 'spiff',
        from: '2027-01-15',
        to: '2027-03-01',
        rateBps: 100,
        minDealValueMinor: p.spiffMin,
        credits: { creditKinds: ['direct', 'split'], sourcings: ['partner_sourced', 'partner_influenced'], scenarios: ['new_business'] },
      },
    ],
  });
}

const hints = [
  { id: 'renewals', scenarios: ['renewal'], partnerSourcedMultiplierBps: 8000, partnerInfluencedMultiplierBps: 10_000, directSellerCredit: 'split' as const },
  {
    id: 'new_business',
    scenarios: ['new_business'],
    partnerSourcedMultiplierBps: 12_500,
    partnerInfluencedMultiplierBps: 11_000,
    directSellerCredit: 'full' as const,
  },
  { id: 'anything', scenarios: null, partnerSourcedMultiplierBps: 10_000, partnerInfluencedMultiplierBps: 10_000, directSellerCredit: 'none' as const },
];
const rules = { id: newId(), version: 7, rules: { crediting: hints } } as unknown as Parameters<typeof partnerCreditParams>[1];

describe('SQL crediting of a period run', () => {
  it('gives the buckets of crediting.ts for the same transactions', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        planArb,
        fc.array(txArb, { minLength: 1, maxLength: 14 }),
        fc.subarray(['s0', 's1', 's2', 's3', 'm0', 'm1', 'o0'], { minLength: 1 }),
        async (p, raw, who) => {
          const plan = planOf(p);
          const txs: (CreditableTransaction & { ref: string })[] = raw.map((r, i) => {
            const refund = r.kind === 'credit_note' || r.kind === 'cancellation';
            const sellers = [...r.sellers].map((n) => ids[n] ?? '').sort();
            const weights = sellers.map((_, k) => r.weights[k] ?? 1);
            const splits = weights.length > 0 ? allocate(moneyOf(10_000, 'EUR'), weights).map((m) => m.amountMinor) : [];
            const recognisedOn = dateOf(r.day);
            return {
              transactionId: newId(),
              kind: r.kind,
              recognisedOn,
              amountMinor: refund ? -r.amount : r.amount,
              currency: r.currency,
              product: r.product,
              scenario: r.scenario,
              segment: r.segment,
              sourcing: r.sourcing,
              partnerId: null,
              sellers: sellers.map((participantId, k) => ({ participantId, splitBps: splits[k] ?? 0 })).filter((s) => s.splitBps > 0),
              overlays: r.overlay || sellers.length === 0 ? [ids.o0 ?? ''] : [],
              originalRecognisedOn: refund && r.refundAfter !== null ? dateOf(Math.max(-300, r.day - r.refundAfter)) : null,
              ref: `T-${i}`,
            };
          });
          const byId = new Map(Object.entries(ids).map(([n, id]) => [id, n]));
          const managerOf = (id: string): string | null => {
            const m = managers[byId.get(id) ?? ''];
            return m ? (ids[m] ?? null) : null;
          };
          const lines = txs.flatMap((tx) =>
            creditTransaction(tx, {
              plan,
              partnerCredit: p.own ? planPartnerCredit(plan) : rulesOfTheRoadPartnerCredit(hints, tx.scenario, 'rules of the road v7'),
              fx: tx.currency === 'EUR' ? null : fxOf(tx.currency, tx.recognisedOn),
              managerOf,
            }),
          );
          // A run credits everyone; a drill-down one participant: the SQL for any subset gives that subset's buckets.
          const participants = who.map((n) => ids[n] ?? '').sort();
          const expected = bucketize(
            plan,
            lines.filter((l) => participants.includes(l.participantId)),
          );

          const periods = payoutPeriods(plan, '2027-01-01', '2027-07-01');
          const actual = await rolledBack(async (trx) => {
            const rows = txs.flatMap((tx) => {
              const shares =
                tx.sellers.length > 0
                  ? allocate(
                      moneyOf(tx.amountMinor, tx.currency),
                      tx.sellers.map((s) => s.splitBps),
                    )
                  : [];
              const common = {
                salesTransactionId: tx.transactionId,
                transactionImportId: newId(),
                partnerId: null,
                dealAmountMinor: tx.amountMinor,
                recognisedOn: tx.recognisedOn,
                originalRecognisedOn: tx.originalRecognisedOn,
                currency: tx.currency,
                kind: tx.kind,
                sourcing: tx.sourcing,
                transactionRef: tx.ref,
                partnerRef: null,
                product: tx.product,
                scenario: tx.scenario,
                segment: tx.segment,
                endCustomer: null,
                territory: null,
              };
              return [
                ...tx.sellers.map((s, k) => ({
                  ...common,
                  participantId: s.participantId,
                  role: 'seller' as const,
                  splitBps: s.splitBps,
                  amountMinor: shares[k]?.amountMinor ?? 0,
                })),
                ...tx.overlays.map((o) => ({ ...common, participantId: o, role: 'overlay' as const, splitBps: 10_000, amountMinor: tx.amountMinor })),
              ];
            });
            if (rows.length > 0) await trx.insertInto('salesTransaction').values(rows).execute();
            const params = creditingParams(plan, partnerCreditParams(plan, p.own ? null : rules), periods, participants);
            return bucketsFromRows(plan, await repo.creditBuckets(trx, params));
          });
          const plain = (m: Map<string, Map<string, unknown>>) => [...m.entries()].map(([k, v]) => [k, [...v.entries()]]).sort();
          expect(plain(actual)).toEqual(plain(expected));
          compared += [...expected.values()].reduce((n, m) => n + [...m.values()].reduce((k, b) => k + b.length, 0), 0);
        },
      ),
      { numRuns: 40 },
    );
    expect(compared).toBeGreaterThan(50);
  }, 120_000);

  it('finds no rate for a transaction dated before the first rate of its currency', async () => {
    const plan = planOf({
      rounding: 'half_even',
      rollupLevels: 0,
      clawback: 'full',
      own: true,
      credit: 'full',
      sourcedBps: 10_000,
      influencedBps: 10_000,
      spiffMin: 0,
    });
    const rows = await rolledBack(async (trx) => {
      await trx
        .insertInto('salesTransaction')
        .values({
          participantId: ids.s0 ?? '',
          salesTransactionId: newId(),
          transactionImportId: newId(),
          partnerId: null,
          amountMinor: 1000,
          dealAmountMinor: 1000,
          recognisedOn: '2026-11-30',
          originalRecognisedOn: null,
          splitBps: 10_000,
          currency: 'USD',
          role: 'seller',
          kind: 'booking',
          sourcing: 'direct',
          transactionRef: 'EARLY-1',
          partnerRef: null,
          product: null,
          scenario: null,
          segment: null,
          endCustomer: null,
          territory: null,
        })
        .execute();
      return repo.creditBuckets(trx, creditingParams(plan, partnerCreditParams(plan, null), [{ start: '2026-10-01', end: '2027-01-01' }], [ids.s0 ?? '']));
    });
    expect(() => bucketsFromRows(plan, rows)).toThrow(/no USD to EUR rate valid on 2026-11-30/);
  });
});
