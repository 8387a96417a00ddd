import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calculatePeriod,
  carryInto,
  commissionRate,
  decimalRatio,
  formatAmount,
  formatMultiplier,
  formatPercent,
  passesFilter,
  payoutPeriodOf,
  payoutPeriods,
  proratedQuota,
  startsFiscalYear,
} from './engine.ts';
import { bucket, commission, type ComponentInput, makePlan, periodInput } from './engine-test-support.ts';
import type { CreditBucket } from './engine-types.ts';
import type { RoundingMode } from '../money.ts';

const amounts = (r: ReturnType<typeof calculatePeriod>) => r.lines.map((l) => [l.componentKey, l.kind, l.amountMinor]);

describe('formatting for explanations', () => {
  it.each([
    [123456789, 'USD', '1,234,567.89 USD'],
    [-5, 'USD', '-0.05 USD'],
    [0, 'EUR', '0.00 EUR'],
    [100, 'USD', '1.00 USD'],
    [1234, 'JPY', '1,234 JPY'],
    [1234567, 'KWD', '1,234.567 KWD'],
    [-123456, 'USD', '-1,234.56 USD'],
  ])('formatAmount(%d, %s) = %s', (n, c, text) => expect(formatAmount(n, c)).toBe(text));

  it('percentages and multipliers without trailing zeros', () => {
    expect([formatPercent(250), formatPercent(10000), formatPercent(11250), formatPercent(1)]).toEqual(['2.5%', '100%', '112.5%', '0.01%']);
    expect([formatMultiplier(12000), formatMultiplier(10000), formatMultiplier(8000), formatMultiplier(12345)]).toEqual(['1.2', '1', '0.8', '1.2345']);
  });

  it('reads metrics as the decimals written', () => {
    expect(decimalRatio(0.95)).toEqual({ n: 19n, d: 20n });
    expect(decimalRatio(1e-7)).toEqual({ n: 1n, d: 10_000_000n });
    expect(decimalRatio(-2.5)).toEqual({ n: -5n, d: 2n });
    expect(decimalRatio(3)).toEqual({ n: 3n, d: 1n });
  });
});

describe('payout periods and the fiscal year', () => {
  it('aligns periods to the fiscal year start', () => {
    const aprilQuarters = { payoutPeriod: 'quarter' as const, fiscalYearStartMonth: 4 };
    expect(payoutPeriods(aprilQuarters, '2026-01-15', '2026-07-01')).toEqual([
      { start: '2026-01-01', end: '2026-04-01' },
      { start: '2026-04-01', end: '2026-07-01' },
    ]);
    expect(payoutPeriods({ payoutPeriod: 'quarter', fiscalYearStartMonth: 2 }, '2026-01-15', '2026-02-01')).toEqual([
      { start: '2025-11-01', end: '2026-02-01' },
    ]);
    expect(payoutPeriodOf({ payoutPeriod: 'month', fiscalYearStartMonth: 1 }, '2026-12-31')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(payoutPeriodOf({ payoutPeriod: 'year', fiscalYearStartMonth: 7 }, '2026-03-10')).toEqual({ start: '2025-07-01', end: '2026-07-01' });
    expect(payoutPeriods({ payoutPeriod: 'month', fiscalYearStartMonth: 1 }, '2026-01-01', '2026-01-01')).toEqual([]);
  });

  it('knows where a fiscal year starts and resets year-to-date state there (draw balance kept)', () => {
    expect(startsFiscalYear({ fiscalYearStartMonth: 4 }, '2026-04-01')).toBe(true);
    expect(startsFiscalYear({ fiscalYearStartMonth: 4 }, '2026-01-01')).toBe(false);
    expect(startsFiscalYear({ fiscalYearStartMonth: 1 }, '2027-01-01')).toBe(true);
    const state = {
      ytdQuotaCreditMinor: 5,
      ytdQuotaMinor: 6,
      ytdComponentCreditMinor: { t: 1 },
      ytdComponentPayCreditMinor: { t: 1 },
      ytdPaidMinor: { t: 2 },
      drawBalanceMinor: 700,
      periodsOnPlan: 4,
    };
    expect(carryInto({ fiscalYearStartMonth: 1 }, state, '2026-10-01')).toBe(state);
    expect(carryInto({ fiscalYearStartMonth: 1 }, state, '2027-01-01')).toEqual({
      ytdQuotaCreditMinor: 0,
      ytdQuotaMinor: 0,
      ytdComponentCreditMinor: {},
      ytdComponentPayCreditMinor: {},
      ytdPaidMinor: {},
      drawBalanceMinor: 700,
      periodsOnPlan: 4,
    });
  });
});

describe('credit filters', () => {
  const any = { creditKinds: ['direct', 'split', 'rollup'] as const, products: null, scenarios: null, segments: null, sourcings: null };
  const b = { kind: 'direct' as const, sourcing: 'direct' as const, product: 'Road-150', scenario: null, segment: 'smb' };
  it.each([
    ['any', any, b, true],
    ['kind not listed', any, { ...b, kind: 'overlay' as const }, false],
    ['product listed', { ...any, products: ['Road-150'] }, b, true],
    ['product not listed', { ...any, products: ['Road-200'] }, b, false],
    ['null attribute vs a list', { ...any, scenarios: ['renewal'] }, b, false],
    ['sourcing not listed', { ...any, sourcings: ['partner_sourced' as const] }, b, false],
  ])('%s', (_name, filter, item, expected) => expect(passesFilter({ ...filter, creditKinds: [...filter.creditKinds] }, item)).toBe(expected));
});

describe('commission', () => {
  // Base 2%; the most specific entry wins; at equal counts product > scenario > segment.
  const table = commission({
    rateBps: 200,
    rateTable: [
      { product: 'Road-150', rateBps: 300 },
      { scenario: 'renewal', rateBps: 400 },
      { segment: 'smb', rateBps: 500 },
      { product: 'Road-150', scenario: 'renewal', rateBps: 600 },
      { scenario: 'renewal', segment: 'smb', rateBps: 700 },
    ],
  });
  const plan = makePlan([table]);
  const c = plan.components[0] as Parameters<typeof commissionRate>[0];
  it.each([
    ['Road-150', null, null, 300, 'one field'],
    ['Road-150', 'renewal', null, 600, 'two fields beat one'],
    ['Road-150', 'new', 'smb', 300, 'product beats segment at one field'],
    ['Mountain', 'renewal', 'smb', 700, 'scenario+segment is the only two-field match'],
    ['Mountain', 'renewal', 'ent', 400, 'scenario'],
    ['Mountain', 'new', 'smb', 500, 'segment'],
    ['Mountain', 'new', 'ent', 200, 'no entry: base rate'],
    ['Road-150', 'renewal', 'smb', 600, 'product+scenario beats scenario+segment'],
    [null, 'renewal', 'smb', 700, 'null product'],
  ] as [string | null, string | null, string | null, number, string][])('%s / %s / %s pays %d bp (%s)', (product, scenario, segment, rate) => {
    expect(commissionRate(c, { product, scenario, segment }).rateBps).toBe(rate);
    // 1,000.00 of credit x rate
    const r = calculatePeriod(plan, periodInput({ buckets: [bucket({ product, scenario, segment, creditMinor: 100_000 })] }));
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]?.amountMinor).toBe(rate * 10);
    expect(r.lines[0]?.rateBps).toBe(rate);
  });

  it('applies partner multipliers per sourcing and merges buckets paid alike', () => {
    const p = makePlan([
      commission({
        rateBps: 250,
        partnerSourcedMultiplierBps: 12_000,
        partnerInfluencedMultiplierBps: 11_000,
        rateTable: [{ product: 'Road-150', rateBps: 250 }],
      }),
    ]);
    const r = calculatePeriod(
      p,
      periodInput({
        buckets: [
          bucket({ product: 'Road-150', creditMinor: 120_000 }), // 1,200.00 x 2.5% = 30.00
          bucket({ product: 'Road-150', sourcing: 'partner_sourced', creditMinor: 120_000 }), // x 1.2 = 36.00
          bucket({ product: 'Road-200', sourcing: 'partner_influenced', creditMinor: 50_000 }), // 500.00 x 2.5% x 1.1 = 13.75
          bucket({ product: 'Road-200', creditMinor: 80_000 }), // same rate and multiplier as the first: merged, 2,000.00 x 2.5% = 50.00
        ],
      }),
    );
    expect(r.lines.map((l) => [l.amountMinor, l.multiplierBps, l.bucketIndexes])).toEqual([
      [5000, 10_000, [0, 3]],
      [3600, 12_000, [1]],
      [1375, 11_000, [2]],
    ]);
    expect(r.lines[1]?.explanation).toBe('2.5% of 1,200.00 USD partner-sourced credit (Road-150) x 1.2 partner-sourced');
    expect(r.lines[0]?.explanation).toBe('2.5% of 2,000.00 USD direct credit (Road-150, base rate)');
    expect(r.totalMinor).toBe(9975);
  });

  // Quota 10,000.00; 10% rate; 1.5x from 100% attainment.
  const stepped = makePlan([
    commission({
      attainmentMultipliers: [
        { fromBps: 0, multiplierBps: 10_000 },
        { fromBps: 10_000, multiplierBps: 15_000 },
      ],
    }),
  ]);
  it.each([
    [1_125_000, 11_250, 168_750], // 11,250.00 x 10% x 1.5
    [1_000_000, 10_000, 150_000], // exactly on the step: 1.5x
    [999_999, 9_999, 100_000], // 9,999.99 x 10% = 999.999 -> 1,000.00
  ])('attainment multiplier: credit %d -> attainment %d bp, pays %d', (credit, attainment, pay) => {
    const r = calculatePeriod(stepped, periodInput({ quotaMinor: 1_000_000, buckets: [bucket({ creditMinor: credit })] }));
    expect(r.attainmentBps).toBe(attainment);
    expect(r.totalMinor).toBe(pay);
  });

  it('explains the attainment multiplier', () => {
    const r = calculatePeriod(stepped, periodInput({ quotaMinor: 1_000_000, buckets: [bucket({ creditMinor: 1_125_000 })] }));
    expect(r.lines[0]?.explanation).toBe('10% of 11,250.00 USD direct credit (base rate) x 1.5 at 112.5% attainment');
    expect(r.lines[0]?.multiplierBps).toBe(15_000);
  });

  it('counts only the credit its filter passes', () => {
    const p = makePlan([commission({ credits: { creditKinds: ['overlay'], products: ['Road-150'] } })]);
    const r = calculatePeriod(
      p,
      periodInput({
        buckets: [
          bucket({ kind: 'overlay', product: 'Road-150', creditMinor: 10_000 }),
          bucket({ kind: 'overlay', creditMinor: 50_000 }),
          bucket({ product: 'Road-150', creditMinor: 70_000 }),
        ],
      }),
    );
    expect(amounts(r)).toEqual([['commission', 'earning', 1000]]);
  });
});

describe('quota proration and attainment', () => {
  const plan = makePlan([commission()]);
  // Q1 2026 has 90 days (31 + 28 + 31).
  it.each([
    [null, null, 'daily', 1_000_000, 1_000_000],
    ['2026-02-10', null, 'daily', 1_000_000, 555_556], // 50 of 90 days: 555,555.55... half even
    ['2026-02-15', null, 'daily', 900_000, 450_000], // 45 of 90 days
    [null, '2026-03-01', 'daily', 1_000_000, 655_556], // 59 of 90 days: 655,555.55...
    ['2026-02-01', '2026-03-01', 'daily', 900_000, 280_000], // 28 of 90 days
    ['2025-06-01', '2027-01-01', 'daily', 900_000, 900_000], // active beyond the period
    ['2026-05-01', null, 'daily', 900_000, 0], // not active in the period
    ['2026-02-10', null, 'none', 1_000_000, 1_000_000],
  ] as const)('active %s to %s, proration %s: quota %d -> %d', (from, to, proration, quota, expected) => {
    const p = makePlan([commission()], { quota: { proration } });
    expect(proratedQuota(p, { periodStart: '2026-01-01', periodEnd: '2026-04-01', activeFrom: from, activeTo: to, quotaMinor: quota })).toBe(expected);
  });

  it.each([
    ['half_even', 555_556, 8999], // 500,000 / 555,556 = 89.9999%: rounded down
    ['down', 555_555, 9000], // 500,000 / 555,555 = 90.00009%
  ] as const)('rounds the prorated quota with the plan mode (%s) and attainment down', (rounding, quota, attainment) => {
    const p = makePlan([commission()], { rounding });
    const r = calculatePeriod(p, periodInput({ quotaMinor: 1_000_000, activeFrom: '2026-02-10', buckets: [bucket({ creditMinor: 500_000 })] }));
    expect([r.quotaMinor, r.attainmentBps]).toEqual([quota, attainment]);
  });

  it('counts the quota filter: overlays out, refunds reduce attainment, never below 0', () => {
    const r = calculatePeriod(
      plan,
      periodInput({
        quotaMinor: 1_000_000,
        buckets: [bucket({ creditMinor: 600_000 }), bucket({ kind: 'overlay', creditMinor: 900_000 }), bucket({ clawback: true, creditMinor: -100_000 })],
      }),
    );
    expect([r.quotaCreditMinor, r.attainmentBps]).toEqual([500_000, 5000]);
    const negative = calculatePeriod(plan, periodInput({ quotaMinor: 1_000_000, buckets: [bucket({ clawback: true, creditMinor: -100_000 })] }));
    expect(negative.attainmentBps).toBe(0);
    expect(calculatePeriod(plan, periodInput({ buckets: [bucket({ creditMinor: 600_000 })] })).attainmentBps).toBe(0); // no quota
  });

  it('year-to-date attainment and the state carried', () => {
    const prior = { ...periodInput().prior, ytdQuotaCreditMinor: 900_000, ytdQuotaMinor: 1_000_000 };
    // (900,000 + 1,350,000) / (1,000,000 + 1,000,000) = 112.5%
    const r = calculatePeriod(plan, periodInput({ quotaMinor: 1_000_000, prior, buckets: [bucket({ creditMinor: 1_350_000 })] }));
    expect([r.attainmentBps, r.ytdAttainmentBps]).toEqual([13_500, 11_250]);
    expect(r.next).toMatchObject({ ytdQuotaCreditMinor: 2_250_000, ytdQuotaMinor: 2_000_000, ytdPaidMinor: { commission: 135_000 }, periodsOnPlan: 1 });
  });
});

describe('gates', () => {
  const gated = (gate: object): ComponentInput => commission({ gate });
  const cases: [string, object, Record<string, number>, number, string | null][] = [
    ['attainment below the minimum', { minAttainmentBps: 5000 }, {}, 400_000, 'attainment 40% is below the 50% minimum'],
    ['attainment exactly at the minimum', { minAttainmentBps: 5000 }, {}, 500_000, null],
    ['metric below its minimum', { metrics: [{ metric: 'joint_calls', min: 5 }] }, { joint_calls: 3 }, 900_000, 'joint_calls 3 is below the minimum 5'],
    ['metric not measured', { metrics: [{ metric: 'joint_calls', min: 5 }] }, {}, 900_000, 'joint_calls was not measured (minimum 5)'],
    ['metric at its minimum', { metrics: [{ metric: 'joint_calls', min: 5 }] }, { joint_calls: 5 }, 900_000, null],
  ];
  it.each(cases)('%s', (_name, gate, metrics, credit, failure) => {
    const r = calculatePeriod(makePlan([gated(gate)]), periodInput({ quotaMinor: 1_000_000, metrics, buckets: [bucket({ creditMinor: credit })] }));
    if (failure === null) {
      expect(amounts(r)).toEqual([['commission', 'earning', credit / 10]]);
    } else {
      expect(amounts(r)).toEqual([['commission', 'gate', 0]]);
      expect(r.lines[0]?.explanation).toContain(failure);
    }
  });

  it('withholds earnings but not clawbacks, and gates bonuses too', () => {
    const p = makePlan([
      commission({ gate: { minAttainmentBps: 5000 } }),
      {
        key: 'bonus',
        name: 'Bonus',
        kind: 'bonus',
        targetIncentiveMinor: 100_000,
        schedule: [{ fromBps: 0, payoutBps: 10_000 }],
        gate: { minAttainmentBps: 5000 },
      },
    ]);
    const r = calculatePeriod(
      p,
      periodInput({ quotaMinor: 1_000_000, buckets: [bucket({ creditMinor: 400_000 }), bucket({ clawback: true, creditMinor: -100_000 })] }),
    );
    expect(amounts(r)).toEqual([
      ['commission', 'clawback', -10_000],
      ['commission', 'gate', 0],
      ['bonus', 'gate', 0],
    ]);
  });
});

describe('caps', () => {
  it('caps a component at capMinor with one negative line', () => {
    const r = calculatePeriod(makePlan([commission({ capMinor: 50_000 })]), periodInput({ buckets: [bucket({ creditMinor: 800_000 })] }));
    expect(amounts(r)).toEqual([
      ['commission', 'earning', 80_000],
      ['commission', 'cap', -30_000],
    ]);
    expect(r.lines[1]?.explanation).toBe('Component capped at 500.00 USD (earned 800.00 USD)');
    expect(r.next.ytdPaidMinor).toEqual({ commission: 50_000 });
  });

  it('a total exactly at the cap is not capped', () => {
    const r = calculatePeriod(makePlan([commission({ capMinor: 80_000 })]), periodInput({ buckets: [bucket({ creditMinor: 800_000 })] }));
    expect(amounts(r)).toEqual([['commission', 'earning', 80_000]]);
  });

  it('caps the plan total per period after the component caps', () => {
    const p = makePlan(
      [
        commission({ capMinor: 30_000 }), // 40,000 capped to 30,000
        { key: 'bonus', name: 'Bonus', kind: 'bonus', targetIncentiveMinor: 40_000, schedule: [{ fromBps: 0, payoutBps: 10_000 }] },
      ],
      { periodCapMinor: 60_000 },
    );
    const r = calculatePeriod(p, periodInput({ buckets: [bucket({ creditMinor: 400_000 })] }));
    expect(amounts(r)).toEqual([
      ['commission', 'earning', 40_000],
      ['commission', 'cap', -10_000],
      ['bonus', 'earning', 40_000],
      ['_plan', 'cap', -10_000],
    ]);
    expect(r.totalMinor).toBe(60_000);
  });
});

describe('bonus', () => {
  // Target incentive 5,000.00; 0 below 80%, 50% from 80%, 100% from 100%, 150% from 120%.
  const plan = makePlan([
    {
      key: 'bonus',
      name: 'Quota bonus',
      kind: 'bonus',
      targetIncentiveMinor: 500_000,
      schedule: [
        { fromBps: 0, payoutBps: 0 },
        { fromBps: 8000, payoutBps: 5000 },
        { fromBps: 10_000, payoutBps: 10_000 },
        { fromBps: 12_000, payoutBps: 15_000 },
      ],
    },
  ]);
  it.each([
    [1_000_000, 799_999, 0],
    [1_000_000, 800_000, 250_000],
    [1_000_000, 1_000_000, 500_000],
    [1_000_000, 1_250_000, 750_000],
    [null, 1_250_000, 0], // no quota: attainment 0
  ])('quota %s, credit %d pays %d', (quota, credit, pay) => {
    const r = calculatePeriod(plan, periodInput({ quotaMinor: quota, buckets: [bucket({ creditMinor: credit })] }));
    expect(amounts(r)).toEqual([['bonus', 'earning', pay]]);
  });

  it('explains the step', () => {
    const r = calculatePeriod(plan, periodInput({ quotaMinor: 1_000_000, buckets: [bucket({ creditMinor: 850_000 })] }));
    expect(r.lines[0]?.explanation).toBe('50% of the 5,000.00 USD target incentive at 85% attainment (step from 80%)');
  });
});

describe('accountability', () => {
  const higher = makePlan([
    { key: 'sla', name: 'SLA', kind: 'accountability', metric: 'sla_pct', target: 0.95, targetIncentiveMinor: 200_000, thresholdBps: 8000, capBps: 12_000 },
  ]);
  const lower = makePlan([
    {
      key: 'response',
      name: 'Response time',
      kind: 'accountability',
      metric: 'response_days',
      direction: 'lower_is_better',
      target: 2,
      targetIncentiveMinor: 100_000,
      thresholdBps: 5000,
      capBps: 15_000,
    },
  ]);
  it.each([
    [higher, 0.95, 200_000, 'on target'],
    [higher, 0.76, 160_000, '0.76 / 0.95 = 80% exactly: at the threshold pays'],
    [higher, 0.7599, 0, 'below the threshold'],
    [higher, 1.2, 240_000, '126% capped at 120%'],
    [higher, 0.9, 189_474, '0.9 / 0.95 x 2,000.00 = 1,894.7368...'],
    [higher, undefined, 0, 'not measured'],
    [lower, 4, 50_000, '2 / 4 = 50%: at the threshold'],
    [lower, 5, 0, '2 / 5 = 40%: below the threshold'],
    [lower, 2.5, 80_000, '2 / 2.5 = 80%'],
    [lower, 1, 150_000, '2 / 1 = 200% capped at 150%'],
    [lower, 0, 150_000, 'actual 0: the cap'],
  ] as [typeof higher, number | undefined, number, string][])('%#: %s -> %d (%s)', (plan, actual, pay) => {
    const metrics = actual === undefined ? {} : { [plan.components[0]?.kind === 'accountability' ? plan.components[0].metric : '']: actual };
    const r = calculatePeriod(plan, periodInput({ metrics }));
    expect(r.lines.map((l) => l.amountMinor)).toEqual([pay]);
  });

  it('explains', () => {
    expect(calculatePeriod(higher, periodInput()).lines[0]?.explanation).toBe('sla_pct not measured: pays nothing');
    expect(calculatePeriod(higher, periodInput({ metrics: { sla_pct: 1.2 } })).lines[0]?.explanation).toBe(
      'sla_pct 1.2 against a target of 0.95: 126.31% achievement, capped at 120%; pays 120% of the 2,000.00 USD target incentive',
    );
    expect(calculatePeriod(higher, periodInput({ metrics: { sla_pct: 0.5 } })).lines[0]?.explanation).toContain('below the 80% threshold: pays nothing');
  });
});

describe('spiff', () => {
  const spiff: ComponentInput = {
    key: 'road_spiff',
    name: 'Road SPIFF',
    kind: 'spiff',
    from: '2026-02-01',
    to: '2026-03-01',
    perDealMinor: 50_000,
    rateBps: 100,
    capMinor: 120_000,
    credits: { products: ['Road-150'] },
  };
  const plan = makePlan([spiff]);
  it('pays per deal plus a rate on credit of the buckets tagged with it', () => {
    const r = calculatePeriod(
      plan,
      periodInput({
        buckets: [
          bucket({ product: 'Road-150', spiffKeys: ['road_spiff'], deals: 2, creditMinor: 1_000_000 }),
          bucket({ product: 'Road-150', deals: 5, creditMinor: 5_000_000 }), // outside the window: not tagged
          bucket({ product: 'Road-150', spiffKeys: ['road_spiff'], clawback: true, deals: 1, creditMinor: -300_000 }), // SPIFFs are not clawed back
        ],
      }),
    );
    // 2 x 500.00 + 1% of 10,000.00
    expect(amounts(r)).toEqual([
      ['road_spiff', 'earning', 100_000],
      ['road_spiff', 'earning', 10_000],
    ]);
    expect(r.lines[0]?.explanation).toBe('2 deals x 500.00 USD (SPIFF 2026-02-01 to 2026-03-01 (exclusive))');
  });

  it('is capped', () => {
    const r = calculatePeriod(plan, periodInput({ buckets: [bucket({ product: 'Road-150', spiffKeys: ['road_spiff'], deals: 3, creditMinor: 1_000_000 })] }));
    expect(amounts(r)).toEqual([
      ['road_spiff', 'earning', 150_000],
      ['road_spiff', 'earning', 10_000],
      ['road_spiff', 'cap', -40_000],
    ]);
  });
});

describe('rounding modes, once per line', () => {
  // 2.5% of 10.20 = 0.255 -> a tie; of 10.60 = 0.265; of 10.50 x 3.33% = 0.34965
  it.each([
    ['half_even', 26, 26, -26, 35],
    ['half_up', 26, 27, -27, 35],
    ['down', 25, 26, -26, 34],
    ['up', 26, 27, -27, 35],
  ] as [RoundingMode, number, number, number, number][])('%s', (rounding, a, b, c, d) => {
    const p = makePlan([commission({ rateBps: 250 })], { rounding });
    const pay = (credit: number, clawback = false) => calculatePeriod(p, periodInput({ buckets: [bucket({ creditMinor: credit, clawback })] })).totalMinor;
    expect([pay(1020), pay(1060), pay(-1060, true)]).toEqual([a, b, c]);
    const p2 = makePlan([commission({ rateBps: 333 })], { rounding });
    expect(calculatePeriod(p2, periodInput({ buckets: [bucket({ creditMinor: 1050 })] })).totalMinor).toBe(d);
  });

  it('rounds the merged credit of a line once, not bucket by bucket', () => {
    // 3 x 0.10 x 2.5% = 3 x 0.0025 (each rounds to 0 under half_even) but 0.30 x 2.5% = 0.0075 -> 0.01
    const p = makePlan([commission({ rateBps: 250 })]);
    const r = calculatePeriod(
      p,
      periodInput({
        buckets: [bucket({ creditMinor: 10, product: 'a' }), bucket({ creditMinor: 10, product: 'b' }), bucket({ creditMinor: 10, product: 'c' })],
      }),
    );
    expect(r.totalMinor).toBe(1);
  });
});

describe('properties', () => {
  const plan = makePlan(
    [
      commission({
        rateBps: 250,
        partnerSourcedMultiplierBps: 12_000,
        rateTable: [{ product: 'a', rateBps: 400 }],
        attainmentMultipliers: [
          { fromBps: 0, multiplierBps: 10_000 },
          { fromBps: 10_000, multiplierBps: 13_000 },
        ],
        capMinor: 5_000_000,
      }),
      {
        key: 'tiers',
        name: 'Tiers',
        kind: 'tiered',
        mode: 'marginal',
        tiers: [
          { fromBps: 0, toBps: 10_000, rateBps: 300 },
          { fromBps: 10_000, toBps: null, rateBps: 900 },
        ],
        partnerInfluencedMultiplierBps: 15_000,
      },
      {
        key: 'ytd',
        name: 'YTD',
        kind: 'tiered',
        mode: 'retroactive',
        window: 'year_to_date',
        baseRateBps: 500,
        tiers: [
          { fromBps: 0, toBps: 15_000, rateBps: 10_000 },
          { fromBps: 15_000, toBps: null, rateBps: 7_000 },
        ],
      },
      {
        key: 'bonus',
        name: 'Bonus',
        kind: 'bonus',
        targetIncentiveMinor: 333_333,
        schedule: [
          { fromBps: 0, payoutBps: 0 },
          { fromBps: 9_000, payoutBps: 10_000 },
        ],
      },
      { key: 'spiff', name: 'Spiff', kind: 'spiff', from: '2026-01-01', to: '2026-02-01', perDealMinor: 1_000, rateBps: 33 },
      { key: 'draw', name: 'Draw', kind: 'draw', amountMinor: 200_000, recoverable: true, recoveryBps: 5_000 },
    ],
    { periodCapMinor: 8_000_000 },
  );
  const bucketArb: fc.Arbitrary<CreditBucket> = fc
    .record({
      kind: fc.constantFrom('direct', 'split', 'overlay', 'rollup'),
      sourcing: fc.constantFrom('direct', 'partner_sourced', 'partner_influenced'),
      product: fc.constantFrom(null, 'a', 'b'),
      clawback: fc.boolean(),
      spiff: fc.boolean(),
      credit: fc.integer({ min: 0, max: 50_000_000 }),
      deals: fc.integer({ min: 1, max: 20 }),
    })
    .map((x) =>
      bucket({
        kind: x.kind,
        sourcing: x.sourcing,
        product: x.product,
        clawback: x.clawback,
        spiffKeys: x.spiff ? ['spiff'] : [],
        creditMinor: x.clawback ? -x.credit : x.credit,
        deals: x.deals,
      }),
    );

  it('is deterministic and the total is the sum of the lines', () => {
    fc.assert(
      fc.property(
        fc.array(bucketArb, { maxLength: 12 }),
        fc.option(fc.integer({ min: 1, max: 100_000_000 }), { nil: null }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 3 }),
        (buckets, quota, balance, periods) => {
          const input = periodInput({ quotaMinor: quota, buckets, prior: { ...periodInput().prior, drawBalanceMinor: balance, periodsOnPlan: periods } });
          const a = calculatePeriod(plan, input);
          const b = calculatePeriod(plan, structuredClone(input));
          expect(b).toEqual(a);
          expect(a.totalMinor).toBe(a.lines.reduce((s, l) => s + l.amountMinor, 0));
          for (const l of a.lines) expect(Number.isSafeInteger(l.amountMinor)).toBe(true);
          // the draw tops up to 2,000.00 and recovers at most half of what is above it
          expect(a.totalMinor).toBeGreaterThanOrEqual(200_000);
        },
      ),
      { numRuns: 200 },
    );
  });
});
