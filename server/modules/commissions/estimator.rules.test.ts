import { describe, expect, it } from 'vitest';
import type { CreditableTransaction } from '../../../common/comp/crediting.ts';
import { makePlan } from '../../../common/comp/engine-test-support.ts';
import type { PayoutLine } from '../../../common/comp/engine-types.ts';
import {
  compareComponents,
  creditRows,
  decidingDay,
  ESTIMATE_TRANSACTION_ID,
  fxLookup,
  groupChain,
  hypotheticalTransaction,
  payChain,
  type ChainContext,
  type HypotheticalDeal,
} from './estimator.rules.ts';

const deal = (over: Partial<HypotheticalDeal> = {}): HypotheticalDeal => ({
  amountMinor: 200_000,
  currency: 'USD',
  closeOn: '2026-03-10',
  product: null,
  scenario: null,
  segment: null,
  sourcing: 'direct',
  partnerId: null,
  coSellers: [],
  overlays: [],
  ...over,
});

describe('hypotheticalTransaction', () => {
  it('gives the participant the whole deal without co-sellers', () => {
    const tx = hypotheticalTransaction(deal(), 'p1');
    expect(tx).toMatchObject({ transactionId: ESTIMATE_TRANSACTION_ID, kind: 'booking', recognisedOn: '2026-03-10', amountMinor: 200_000 });
    expect(tx.sellers).toEqual([{ participantId: 'p1', splitBps: 10_000 }]);
  });

  it('keeps the rest of the split for the participant and lists sellers by id, as the store reads them back', () => {
    const tx = hypotheticalTransaction(deal({ coSellers: [{ participantId: 'a0', splitBps: 3000 }], overlays: ['z9', 'o1', 'o1'] }), 'p1');
    expect(tx.sellers).toEqual([
      { participantId: 'a0', splitBps: 3000 },
      { participantId: 'p1', splitBps: 7000 },
    ]);
    expect(tx.overlays).toEqual(['o1', 'z9']);
  });

  it.each([
    ['co-sellers take everything', deal({ coSellers: [{ participantId: 'a', splitBps: 10_000 }] }), /leave the participant a share/],
    ['the participant as co-seller', deal({ coSellers: [{ participantId: 'p1', splitBps: 1000 }] }), /co-seller of their own deal/],
    ['the participant as overlay', deal({ overlays: ['p1'] }), /overlay of their own deal/],
  ])('refuses %s', (_name, d, message) => {
    expect(() => hypotheticalTransaction(d, 'p1')).toThrow(message);
  });
});

describe('fxLookup', () => {
  const rates = fxLookup([
    { currency: 'USD', toCurrency: 'EUR', validOn: '2026-02-01', numerator: 8, denominator: 10, rate: '0.8' },
    { currency: 'USD', toCurrency: 'EUR', validOn: '2026-01-01', numerator: 9, denominator: 10, rate: '0.9' },
  ]);
  it('takes the pair’s latest rate valid on the day', () => {
    expect(rates('USD', 'EUR', '2026-01-31')).toEqual({ numerator: 9n, denominator: 10n, rate: '0.9', on: '2026-01-01' });
    expect(rates('USD', 'EUR', '2026-02-01')?.rate).toBe('0.8');
    expect(rates('USD', 'EUR', '2027-06-30')?.rate).toBe('0.8');
  });
  it('has none before the first rate, or for another pair', () => {
    expect(rates('USD', 'EUR', '2025-12-31')).toBeNull();
    expect(rates('EUR', 'USD', '2026-03-01')).toBeNull();
  });
});

describe('decidingDay and groupChain', () => {
  const q1 = { start: '2026-01-01', end: '2026-04-01' };
  it('decides by the period’s first day, or the day an assignment starts inside it', () => {
    expect(decidingDay([{ effectiveFrom: '2025-06-01', effectiveTo: null }], q1)).toBe('2026-01-01');
    expect(decidingDay([{ effectiveFrom: '2026-02-15', effectiveTo: null }], q1)).toBe('2026-02-15');
    expect(decidingDay([{ effectiveFrom: '2026-04-01', effectiveTo: null }], q1)).toBeNull();
  });
  it('groups consecutive periods of one version', () => {
    const plan = makePlan([{ key: 'c', name: 'C', kind: 'commission', rateBps: 100 }]);
    const p = (start: string, end: string, versionId: string) => ({ period: { start, end }, versionId, planId: 'plan', plan });
    const groups = groupChain([p('2026-01-01', '2026-04-01', 'v1'), p('2026-04-01', '2026-07-01', 'v1'), p('2026-07-01', '2026-10-01', 'v2')]);
    expect(groups.map((g) => [g.versionId, g.periods.length])).toEqual([
      ['v1', 2],
      ['v2', 1],
    ]);
  });
});

const line = (over: Partial<PayoutLine>): PayoutLine => ({
  componentKey: 'tiers',
  componentName: 'Tiers',
  kind: 'earning',
  basisMinor: null,
  rateBps: null,
  multiplierBps: 10_000,
  tier: null,
  bucketIndexes: [],
  amountMinor: 0,
  explanation: '',
  ...over,
});

describe('compareComponents', () => {
  it('reports the amounts, the band crossed and the lines with the deal', () => {
    const before = [line({ tier: { fromBps: 0, toBps: 10_000 }, amountMinor: 45_000 })];
    const after = [
      line({ tier: { fromBps: 0, toBps: 10_000 }, amountMinor: 50_000 }),
      line({ tier: { fromBps: 10_000, toBps: null }, amountMinor: 8_000, explanation: '8% (band 100%–) of …' }),
    ];
    const [c] = compareComponents(before, after);
    expect(c).toMatchObject({
      componentKey: 'tiers',
      beforeMinor: 45_000,
      afterMinor: 58_000,
      deltaMinor: 13_000,
      tierCrossed: { from: { fromBps: 0, toBps: 10_000 }, to: { fromBps: 10_000, toBps: null } },
      capHit: false,
    });
    expect(c?.lines.map((l) => l.amountMinor)).toEqual([50_000, 8_000]);
  });

  it('flags a cap that bites with the deal, and no band change when the band stays', () => {
    const before = [line({ componentKey: 'c', amountMinor: 90_000 })];
    const after = [line({ componentKey: 'c', amountMinor: 120_000 }), line({ componentKey: 'c', kind: 'cap', amountMinor: -20_000 })];
    const [c] = compareComponents(before, after);
    expect(c).toMatchObject({ deltaMinor: 10_000, capHit: true, tierCrossed: null });
  });

  it('keeps components that only the baseline paid', () => {
    const out = compareComponents([line({ componentKey: 'gone', amountMinor: 5 })], []);
    expect(out).toMatchObject([{ componentKey: 'gone', beforeMinor: 5, afterMinor: 0, deltaMinor: -5 }]);
  });
});

describe('payChain', () => {
  // Marginal tiers on a quarterly quota of 10,000.00: 5% up to 100%, 8% above.
  const plan = makePlan([
    {
      key: 'tiers',
      name: 'Tiers',
      kind: 'tiered',
      mode: 'marginal',
      tiers: [
        { fromBps: 0, toBps: 10_000, rateBps: 500 },
        { fromBps: 10_000, toBps: null, rateBps: 800 },
      ],
    },
  ]);
  const ctx: ChainContext = {
    participant: { participantId: 'p1', activeFrom: null, activeTo: null },
    groups: [{ versionId: 'v1', planId: 'plan', plan, periods: [{ start: '2026-01-01', end: '2026-04-01' }] }],
    quotas: [{ start: '2026-01-01', end: '2026-04-01', value: 1_000_000 }],
    managerOf: () => null,
    partnerCredit: () => ({ directSellerCredit: 'full', sourcedBps: 10_000, influencedBps: 10_000, ruleRef: 'test' }),
    fx: () => null,
  };
  const stored: CreditableTransaction = { ...hypotheticalTransaction(deal({ amountMinor: 900_000, closeOn: '2026-02-01' }), 'p1'), transactionId: 'T1' };

  it('pays the marginal band only on the credit above the boundary', () => {
    const before = payChain(ctx, [stored]);
    const after = payChain(ctx, [stored, hypotheticalTransaction(deal(), 'p1')]);
    expect(before[0]?.result.totalMinor).toBe(45_000); // 5% of 9,000
    expect(after[0]?.result.totalMinor).toBe(58_000); // 5% of 10,000 + 8% of 1,000
    expect(after[0]?.result.attainmentBps).toBe(11_000);
  });

  it('refuses a deal in another currency without a dated rate', () => {
    expect(() => payChain(ctx, [hypotheticalTransaction(deal({ currency: 'EUR' }), 'p1')])).toThrow(/rate is needed/);
  });

  it('leaves transactions outside the groups’ periods out', () => {
    const later = { ...stored, transactionId: 'T9', recognisedOn: '2026-05-01', currency: 'EUR' };
    expect(payChain(ctx, [stored, later])[0]?.result.totalMinor).toBe(45_000);
  });
});

describe('creditRows', () => {
  it('sums per participant and credit kind', () => {
    const base = {
      transactionId: 't',
      sourcing: 'direct',
      product: null,
      scenario: null,
      segment: null,
      recognisedOn: '2026-01-01',
      clawback: false,
      dealValueMinor: 10,
      fx: null,
    } as const;
    expect(
      creditRows([
        { ...base, participantId: 'a', kind: 'rollup', creditMinor: 4, rule: 'r1' },
        { ...base, participantId: 'a', kind: 'rollup', creditMinor: 6, rule: 'r2' },
        { ...base, participantId: 'a', kind: 'overlay', creditMinor: 10, rule: 'o' },
      ]),
    ).toEqual([
      { participantId: 'a', kind: 'rollup', creditMinor: 10, rule: 'r1' },
      { participantId: 'a', kind: 'overlay', creditMinor: 10, rule: 'o' },
    ]);
  });
});
