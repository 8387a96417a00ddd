import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketize,
  type CreditableTransaction,
  type CreditingContext,
  type CreditLine,
  creditTransaction,
  type PartnerCreditRule,
  planPartnerCredit,
  rulesOfTheRoadPartnerCredit,
  spiffKeysFor,
} from './crediting.ts';
import { commission, type ComponentInput, makePlan } from './engine-test-support.ts';
import type { PlanDocument } from './plan.ts';

const plan = makePlan([commission()]);
const fullRule: PartnerCreditRule = { directSellerCredit: 'full', sourcedBps: 12_000, influencedBps: 11_000, ruleRef: 'rules of the road v3 new_business' };
const managers: Record<string, string> = { s1: 'm1', m1: 'm2', m2: 'm3', s2: 'm1', a: 'b', b: 'a' };

function tx(over: Partial<CreditableTransaction> = {}): CreditableTransaction {
  return {
    transactionId: 't1',
    kind: 'booking',
    recognisedOn: '2026-02-10',
    amountMinor: 100_000,
    currency: 'USD',
    product: 'Road-150',
    scenario: 'new_business',
    segment: 'smb',
    sourcing: 'direct',
    partnerId: null,
    sellers: [{ participantId: 's1', splitBps: 10_000 }],
    overlays: [],
    originalRecognisedOn: null,
    ...over,
  };
}
function ctx(over: Partial<CreditingContext> = {}): CreditingContext {
  return { plan, partnerCredit: fullRule, fx: null, managerOf: (p) => managers[p] ?? null, ...over };
}
const brief = (lines: CreditLine[]) => lines.map((l) => [l.participantId, l.kind, l.creditMinor]);

describe('creditTransaction', () => {
  it('credits a direct deal to its one seller', () => {
    const lines = creditTransaction(tx(), ctx());
    expect(lines).toEqual([
      {
        transactionId: 't1',
        participantId: 's1',
        kind: 'direct',
        sourcing: 'direct',
        product: 'Road-150',
        scenario: 'new_business',
        segment: 'smb',
        recognisedOn: '2026-02-10',
        clawback: false,
        creditMinor: 100_000,
        dealValueMinor: 100_000,
        rule: 'direct 100%',
        fx: null,
      },
    ]);
  });

  it('splits by largest remainder: the parts add up exactly', () => {
    // 1.00 in 33.33% / 33.33% / 33.34%: 33.33, 33.33, 33.34 cents -> 33, 33, 34 (the largest remainder gets the cent)
    const lines = creditTransaction(
      tx({
        amountMinor: 100,
        sellers: [
          { participantId: 'x', splitBps: 3333 },
          { participantId: 'y', splitBps: 3333 },
          { participantId: 'z', splitBps: 3334 },
        ],
      }),
      ctx(),
    );
    expect(brief(lines)).toEqual([
      ['x', 'split', 33],
      ['y', 'split', 33],
      ['z', 'split', 34],
    ]);
  });

  const twoSellers = [
    { participantId: 'x', splitBps: 6000 },
    { participantId: 'y', splitBps: 4000 },
  ];
  it.each([
    // sourcing, rule, x, y, reason of x
    ['partner_sourced', fullRule, 72_000, 48_000, 'split 60% · rules of the road v3 new_business: partner-sourced x1.2'], // 1,000 x 1.2 = 1,200 at 60/40
    ['partner_influenced', fullRule, 66_000, 44_000, 'split 60% · rules of the road v3 new_business: partner-influenced x1.1'],
    [
      'partner_influenced',
      { ...fullRule, directSellerCredit: 'split' },
      33_000,
      22_000,
      'split 60% · rules of the road v3 new_business: partner-influenced x1.1, half the value',
    ], // 1,000 / 2 x 1.1 = 550
    ['direct', { ...fullRule, directSellerCredit: 'none' }, 60_000, 40_000, 'split 60%'], // direct deals: no multiplier, rule not applied
  ] as const)('%s with %o', (sourcing, rule, x, y, reason) => {
    const lines = creditTransaction(tx({ sourcing, sellers: twoSellers }), ctx({ partnerCredit: rule }));
    expect(brief(lines)).toEqual([
      ['x', 'split', x],
      ['y', 'split', y],
    ]);
    expect(lines[0]?.rule).toBe(reason);
    expect(lines[0]?.dealValueMinor).toBe(100_000);
  });

  it('none: partner deals credit no direct seller (nor their managers), overlays still', () => {
    const p = makePlan([commission()], { crediting: { partnerCredit: 'plan', directSellerCredit: 'none', rollupLevels: 2 } });
    const lines = creditTransaction(tx({ sourcing: 'partner_sourced', overlays: ['o1'] }), ctx({ plan: p, partnerCredit: planPartnerCredit(p) }));
    expect(brief(lines)).toEqual([['o1', 'overlay', 100_000]]);
  });

  it('overlays get the full value each and do not reduce the splits', () => {
    const lines = creditTransaction(tx({ sellers: twoSellers, overlays: ['o1', 'o2'] }), ctx());
    expect(brief(lines)).toEqual([
      ['x', 'split', 60_000],
      ['y', 'split', 40_000],
      ['o1', 'overlay', 100_000],
      ['o2', 'overlay', 100_000],
    ]);
  });

  it.each([
    [0, []],
    [
      2,
      [
        ['m1', 'rollup', 60_000],
        ['m2', 'rollup', 60_000],
        ['m1', 'rollup', 40_000],
        ['m2', 'rollup', 40_000],
      ],
    ],
  ])('rolls up %d levels', (levels, rollups) => {
    const p = makePlan([commission()], { crediting: { rollupLevels: levels } });
    const lines = creditTransaction(
      tx({
        sellers: [
          { participantId: 's1', splitBps: 6000 },
          { participantId: 's2', splitBps: 4000 },
        ],
      }),
      ctx({ plan: p }),
    );
    expect(brief(lines.filter((l) => l.kind === 'rollup'))).toEqual(rollups);
    if (levels === 2) expect(lines.find((l) => l.participantId === 'm2')?.rule).toBe('roll-up level 2 from s1 · split 60%');
  });

  it('stops a roll-up at a manager cycle', () => {
    const p = makePlan([commission()], { crediting: { rollupLevels: 3 } });
    expect(brief(creditTransaction(tx({ sellers: [{ participantId: 'a', splitBps: 10_000 }] }), ctx({ plan: p })))).toEqual([
      ['a', 'direct', 100_000],
      ['b', 'rollup', 100_000],
    ]);
  });

  it('converts at the dated rate, rounding once (multiplier folded in)', () => {
    const fx = { numerator: 3n, denominator: 2n, rate: '1.5', on: '2026-02-10' };
    // 1,000.05 EUR x 1.5 = 1,500.075 -> 1,500.08 (half even); partner-sourced x 1.2 exactly: 1,800.09.
    // Rounding twice would give 1,500.08 x 1.2 = 1,800.096 -> 1,800.10.
    const lines = creditTransaction(tx({ currency: 'EUR', amountMinor: 100_005, sourcing: 'partner_sourced' }), ctx({ fx }));
    expect(lines.map((l) => [l.creditMinor, l.dealValueMinor, l.fx])).toEqual([[180_009, 150_008, { from: 'EUR', rate: '1.5', on: '2026-02-10' }]]);
  });

  it('needs a rate for a foreign currency, never for its own', () => {
    expect(() => creditTransaction(tx({ currency: 'EUR' }), ctx())).toThrow(
      'transaction t1 is in EUR but plan test_plan pays in USD: a dated EUR/USD rate is needed',
    );
    expect(creditTransaction(tx(), ctx({ fx: { numerator: 2n, denominator: 1n, rate: '2', on: '2026-01-01' } }))[0]?.creditMinor).toBe(100_000);
  });

  it('rejects splits not adding up to 100%', () => {
    expect(() =>
      creditTransaction(
        tx({
          sellers: [
            { participantId: 'x', splitBps: 6000 },
            { participantId: 'y', splitBps: 3000 },
          ],
        }),
        ctx(),
      ),
    ).toThrow(RangeError);
    expect(() => creditTransaction(tx({ sellers: [{ participantId: 'x', splitBps: 10_000.5 }] }), ctx())).toThrow('whole number');
  });

  describe('refunds', () => {
    const refund = (over: Partial<CreditableTransaction> = {}) =>
      tx({ kind: 'credit_note', amountMinor: -50_000, originalRecognisedOn: '2026-01-01', recognisedOn: '2026-03-31', sellers: twoSellers, ...over });
    const withPolicy = (clawback: PlanDocument['clawback']) => ctx({ plan: makePlan([commission()], { clawback }) });

    it('full: negative lines marked clawback', () => {
      const lines = creditTransaction(refund(), ctx());
      expect(lines.map((l) => [l.participantId, l.creditMinor, l.clawback])).toEqual([
        ['x', -30_000, true],
        ['y', -20_000, true],
      ]);
      expect(creditTransaction(refund({ kind: 'cancellation' }), ctx()).every((l) => l.clawback)).toBe(true);
      // a negative booking is a correction, not a refund
      expect(creditTransaction(refund({ kind: 'booking' }), ctx()).some((l) => l.clawback)).toBe(false);
    });
    it('none: no lines', () => expect(creditTransaction(refund(), withPolicy({ policy: 'none', withinDays: null }))).toEqual([]));
    it.each([
      ['2026-03-31', 2], // 89 days after the sale
      ['2026-04-01', 2], // 90 days: within
      ['2026-04-02', 0], // 91 days
    ])('within 90 days: refund on %s -> %d lines', (on, n) => {
      expect(creditTransaction(refund({ recognisedOn: on }), withPolicy({ policy: 'within_days', withinDays: 90 }))).toHaveLength(n);
    });
    it('within_days with an unknown sale date claws back', () => {
      expect(
        creditTransaction(refund({ originalRecognisedOn: null, recognisedOn: '2027-01-01' }), withPolicy({ policy: 'within_days', withinDays: 90 })),
      ).toHaveLength(2);
    });
  });

  describe('properties', () => {
    const splitsArb = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 7 }).map((ws) => {
      // weights -> basis points summing to exactly 10000
      const total = ws.reduce((a, b) => a + b, 0);
      const bps = ws.map((w) => Math.floor((w * 10_000) / total));
      bps[0] = (bps[0] ?? 0) + 10_000 - bps.reduce((a, b) => a + b, 0);
      return bps.map((b, i) => ({ participantId: `s${i}`, splitBps: b }));
    });
    const fxArb = fc.option(
      fc
        .record({ numerator: fc.bigInt({ min: 1n, max: 10_000_000n }), denominator: fc.bigInt({ min: 1n, max: 10_000_000n }) })
        .map((r) => ({ ...r, rate: 'r', on: '2026-01-01' })),
      { nil: null },
    );

    it('split credit parts always sum to the converted value (allocation never loses a cent)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -100_000_000, max: 100_000_000 }),
          splitsArb,
          fxArb,
          fc.constantFrom('half_even', 'half_up', 'down', 'up'),
          (amount, sellers, fx, rounding) => {
            const p = makePlan([commission()], { rounding });
            const lines = creditTransaction(tx({ amountMinor: amount, sellers, currency: fx ? 'EUR' : 'USD' }), ctx({ plan: p, fx }));
            const value = lines[0]?.dealValueMinor ?? 0;
            expect(lines.reduce((s, l) => s + l.creditMinor, 0)).toBe(value);
            // each part within a cent of its exact share: |part x 10000 - value x share| < 10000
            for (const l of lines) {
              const share = BigInt(sellers.find((s) => s.participantId === l.participantId)?.splitBps ?? 0);
              const diff = BigInt(l.creditMinor) * 10_000n - BigInt(value) * share;
              expect(diff < 10_000n && diff > -10_000n).toBe(true);
            }
          },
        ),
        { numRuns: 300 },
      );
    });

    it('partner credit parts sum to the value x multiplier rounded once', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), splitsArb, fc.integer({ min: 0, max: 50_000 }), (amount, sellers, mult) => {
          const lines = creditTransaction(
            tx({ amountMinor: amount, sellers, sourcing: 'partner_sourced' }),
            ctx({ partnerCredit: { ...fullRule, sourcedBps: mult } }),
          );
          const exact = (BigInt(amount) * BigInt(mult)) / 10_000n;
          const sum = BigInt(lines.reduce((s, l) => s + l.creditMinor, 0));
          expect(sum - exact >= 0n && sum - exact <= 1n).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe('partner credit rules', () => {
  it('from the plan', () => {
    const p = makePlan([commission()], { crediting: { partnerCredit: 'plan', directSellerCredit: 'split', partnerSourcedCreditBps: 15_000 } });
    expect(planPartnerCredit(p)).toEqual({ directSellerCredit: 'split', sourcedBps: 15_000, influencedBps: 10_000, ruleRef: 'plan test_plan' });
  });
  it('from the rules of the road: the hint naming the scenario, else the catch-all, else full 1x', () => {
    const hints = [
      { id: 'default', scenarios: null, partnerSourcedMultiplierBps: 11_000, partnerInfluencedMultiplierBps: 10_000, directSellerCredit: 'full' as const },
      {
        id: 'renewals',
        scenarios: ['renewal'],
        partnerSourcedMultiplierBps: 10_000,
        partnerInfluencedMultiplierBps: 10_000,
        directSellerCredit: 'none' as const,
      },
    ];
    expect(rulesOfTheRoadPartnerCredit(hints, 'renewal', 'rules of the road v3')).toMatchObject({
      directSellerCredit: 'none',
      ruleRef: 'rules of the road v3 renewals',
    });
    expect(rulesOfTheRoadPartnerCredit(hints, 'upgrade', 'rules of the road v3')).toMatchObject({
      sourcedBps: 11_000,
      ruleRef: 'rules of the road v3 default',
    });
    expect(rulesOfTheRoadPartnerCredit([], null, 'rules of the road v3')).toMatchObject({ directSellerCredit: 'full', sourcedBps: 10_000 });
  });
});

describe('spiffKeysFor', () => {
  const spiff = (key: string, over: Partial<Extract<ComponentInput, { kind: 'spiff' }>> = {}): ComponentInput => ({
    key,
    name: key,
    kind: 'spiff',
    from: '2026-02-01',
    to: '2026-03-01',
    perDealMinor: 10_000,
    ...over,
  });
  const p = makePlan([commission(), spiff('road', { credits: { products: ['Road-150'] }, minDealValueMinor: 100_000 }), spiff('any')]);
  const line = (over: Partial<CreditLine> = {}): CreditLine => ({ ...(creditTransaction(tx(), ctx())[0] as CreditLine), ...over });
  it.each([
    ['2026-01-31', 100_000, 'Road-150', false, []],
    ['2026-02-01', 100_000, 'Road-150', false, ['any', 'road']], // the first day is in
    ['2026-02-28', 100_000, 'Road-150', false, ['any', 'road']],
    ['2026-03-01', 100_000, 'Road-150', false, []], // the end is out
    ['2026-02-10', 99_999, 'Road-150', false, ['any']], // below the minimum deal value
    ['2026-02-10', 100_000, 'Road-200', false, ['any']], // filtered out
    ['2026-02-10', -150_000, 'Road-150', true, []], // refunds: SPIFFs are not clawed back
  ] as const)('%s, deal %d, %s, clawback %s -> %o', (on, value, product, clawback, keys) => {
    expect(spiffKeysFor(p, line({ recognisedOn: on, dealValueMinor: value, product, clawback }))).toEqual(keys);
  });
});

describe('bucketize', () => {
  const p = makePlan([commission(), { key: 'spring', name: 'Spring', kind: 'spiff', from: '2026-03-01', to: '2026-05-01', perDealMinor: 100 }]);
  const c = ctx({ plan: p, managerOf: () => null });
  const lines = [
    ...creditTransaction(tx({ transactionId: 'a', recognisedOn: '2026-01-15', sellers: [{ participantId: 's1', splitBps: 10_000 }] }), c),
    ...creditTransaction(tx({ transactionId: 'b', recognisedOn: '2026-02-15', amountMinor: 50_000, sellers: [{ participantId: 's1', splitBps: 10_000 }] }), c),
    ...creditTransaction(
      tx({
        transactionId: 'c',
        recognisedOn: '2026-03-15',
        sellers: [
          { participantId: 's1', splitBps: 5000 },
          { participantId: 's2', splitBps: 5000 },
        ],
        overlays: ['o1'],
      }),
      c,
    ),
    ...creditTransaction(
      tx({ transactionId: 'd', recognisedOn: '2026-04-02', sourcing: 'partner_sourced', sellers: [{ participantId: 's1', splitBps: 10_000 }] }),
      c,
    ),
    ...creditTransaction(
      tx({ transactionId: 'e', kind: 'credit_note', amountMinor: -20_000, recognisedOn: '2026-03-20', sellers: [{ participantId: 's1', splitBps: 10_000 }] }),
      c,
    ),
  ];
  const attrs = { product: 'Road-150', scenario: 'new_business', segment: 'smb' };

  it('groups by participant, payout period and every attribute the plan distinguishes; deals are distinct transactions', () => {
    const out = bucketize(p, lines);
    expect([...out.keys()]).toEqual(['o1', 's1', 's2']);
    expect([...(out.get('s1')?.keys() ?? [])]).toEqual(['2026-01-01', '2026-04-01']);
    expect(out.get('s1')?.get('2026-01-01')).toEqual([
      { kind: 'direct', sourcing: 'direct', ...attrs, clawback: false, spiffKeys: [], creditMinor: 150_000, deals: 2 },
      { kind: 'direct', sourcing: 'direct', ...attrs, clawback: true, spiffKeys: [], creditMinor: -20_000, deals: 1 },
      { kind: 'split', sourcing: 'direct', ...attrs, clawback: false, spiffKeys: ['spring'], creditMinor: 50_000, deals: 1 },
    ]);
    expect(out.get('s1')?.get('2026-04-01')).toEqual([
      { kind: 'direct', sourcing: 'partner_sourced', ...attrs, clawback: false, spiffKeys: ['spring'], creditMinor: 120_000, deals: 1 },
    ]);
    // the SPIFF's default filter leaves overlays out
    expect(out.get('o1')?.get('2026-01-01')).toEqual([
      { kind: 'overlay', sourcing: 'direct', ...attrs, clawback: false, spiffKeys: [], creditMinor: 100_000, deals: 1 },
    ]);
  });

  it('does not depend on the order of the lines', () => {
    const expected = bucketize(p, lines);
    fc.assert(
      fc.property(fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }), (shuffled) => {
        expect(bucketize(p, shuffled)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});
