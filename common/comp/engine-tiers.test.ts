import { describe, expect, it } from 'vitest';
import { calculatePeriod } from './engine.ts';
import { bucket, type ComponentInput, makePlan, periodInput } from './engine-test-support.ts';
import { emptyPriorState, type CreditBucket, type PriorState } from './engine-types.ts';

/**
 * Quota 10,000.00 a quarter. Rate bands: 5% below 100%, 8% from 100% to 150%, 12% from 150%.
 * Retroactive: base 5% x 1 / 1.5 / 2 in the same bands (5%, 7.5%, 10%).
 */
const QUOTA = 1_000_000;
const bands = (a: number, b: number, c: number) => [
  { fromBps: 0, toBps: 10_000, rateBps: a },
  { fromBps: 10_000, toBps: 15_000, rateBps: b },
  { fromBps: 15_000, toBps: null, rateBps: c },
];
const tiered = (mode: 'flat' | 'marginal' | 'retroactive', over: Partial<Extract<ComponentInput, { kind: 'tiered' }>> = {}): ComponentInput => ({
  key: 'tiers',
  name: 'Tiered commission',
  kind: 'tiered',
  mode,
  ...(mode === 'retroactive' ? { baseRateBps: 500, tiers: bands(10_000, 15_000, 20_000) } : { tiers: bands(500, 800, 1200) }),
  ...over,
});
const run = (component: ComponentInput, buckets: CreditBucket[], quota: number | null = QUOTA, prior: PriorState = emptyPriorState(), over = {}) =>
  calculatePeriod(makePlan([component]), periodInput({ quotaMinor: quota, buckets, prior, ...over }));
const pays = (r: ReturnType<typeof run>) => r.lines.map((l) => l.amountMinor);

describe('flat vs marginal vs retroactive on the same data', () => {
  const cases: [string, number, number | null, number[], number[], number[]][] = [
    // credit, quota, flat lines, marginal lines, retroactive lines
    // 120%: flat 8% x 12,000 = 960; marginal 5% x 10,000 + 8% x 2,000 = 500 + 160; retro 7.5% x 12,000 = 900
    ['120%', 1_200_000, QUOTA, [96_000], [50_000, 16_000], [90_000]],
    // exactly 100%: the higher band. flat 8%; marginal: nothing in band 2; retro 7.5%
    ['100% exactly (boundary -> higher band)', 1_000_000, QUOTA, [80_000], [50_000], [75_000]],
    // 99.99%: 5% x 9,999.99 = 499.9995 -> 500.00 in every mode
    ['99.99%', 999_999, QUOTA, [50_000], [50_000], [50_000]],
    // 150% exactly: flat 12% x 15,000 = 1,800; marginal 500 + 8% x 5,000 = 400 (band 3 empty); retro 10% = 1,500
    ['150% exactly', 1_500_000, QUOTA, [180_000], [50_000, 40_000], [150_000]],
    // 180%: flat 12% x 18,000 = 2,160; marginal 500 + 400 + 12% x 3,000 = 360; retro 10% = 1,800
    ['180%', 1_800_000, QUOTA, [216_000], [50_000, 40_000, 36_000], [180_000]],
    // no quota: attainment 0, all credit in the first band
    ['no quota', 500_000, null, [25_000], [25_000], [25_000]],
  ];
  it.each(cases)('%s', (_name, credit, quota, flat, marginal, retro) => {
    const b = [bucket({ creditMinor: credit })];
    expect(pays(run(tiered('flat'), b, quota))).toEqual(flat);
    expect(pays(run(tiered('marginal'), b, quota))).toEqual(marginal);
    expect(pays(run(tiered('retroactive'), b, quota))).toEqual(retro);
  });

  it('marks the band and explains', () => {
    const r = run(tiered('marginal'), [bucket({ creditMinor: 1_200_000 })]);
    expect(r.lines.map((l) => [l.tier, l.rateBps, l.basisMinor])).toEqual([
      [{ fromBps: 0, toBps: 10_000 }, 500, 1_000_000],
      [{ fromBps: 10_000, toBps: 15_000 }, 800, 200_000],
    ]);
    expect(r.lines[1]?.explanation).toBe('8% (band 100%–150%) of 2,000.00 USD of 12,000.00 USD direct credit at 120% attainment');
    const retro = run(tiered('retroactive'), [bucket({ creditMinor: 1_200_000 })]);
    expect(retro.lines[0]?.explanation).toBe('5% base rate x 1.5 (band 100%–150% reached at 120% attainment) of 12,000.00 USD direct credit');
    expect([retro.lines[0]?.rateBps, retro.lines[0]?.multiplierBps]).toEqual([500, 15_000]);
  });

  it('marginal splits component credit in proportion to quota attainment when the two differ', () => {
    // Quota credit 15,000 (150%): bands hold 2/3 and 1/3 of it (band 3 empty). Component counts Road-150 only (6,000):
    // 4,000 x 5% + 2,000 x 8% = 200 + 160. Flat at 150%: 12% x 6,000 = 720.
    const buckets = [bucket({ product: 'Road-150', creditMinor: 600_000 }), bucket({ product: 'Other', creditMinor: 900_000 })];
    const only = { credits: { products: ['Road-150'] } };
    expect(pays(run(tiered('marginal', only), buckets))).toEqual([20_000, 16_000]);
    expect(pays(run(tiered('flat', only), buckets))).toEqual([72_000]);
  });

  it('partner multipliers scale the payout per bucket, not the attainment', () => {
    // 6,000 direct + 6,000 partner-sourced (x1.2) = 12,000 unmultiplied credit: 120%
    const buckets = [bucket({ creditMinor: 600_000 }), bucket({ sourcing: 'partner_sourced', creditMinor: 600_000 })];
    const pm = { partnerSourcedMultiplierBps: 12_000 };
    const flat = run(tiered('flat', pm), buckets);
    expect(flat.attainmentBps).toBe(12_000);
    // 8% x 6,000 = 480; 8% x 6,000 x 1.2 = 576
    expect(pays(flat)).toEqual([48_000, 57_600]);
    expect(flat.lines[1]?.explanation).toBe('8% (band 100%–150% reached at 120% attainment) of 6,000.00 USD partner-sourced credit x 1.2 partner-sourced');
    // marginal: 5/6 of each bucket in band 1, 1/6 in band 2: direct 250 + 80, sourced (250 + 80) x 1.2 = 300 + 96
    expect(pays(run(tiered('marginal', pm), buckets))).toEqual([25_000, 8_000, 30_000, 9_600]);
  });

  it('claws back at the rate of the band reached, with the partner multiplier', () => {
    // Quota credit 13,000 - 1,000 = 12,000: 120%. Earning 8% x 13,000 = 1,040; clawback -1,000 x 8% x 1.2 = -96
    const buckets = [bucket({ creditMinor: 1_300_000 }), bucket({ sourcing: 'partner_sourced', clawback: true, creditMinor: -100_000 })];
    const pm = { partnerSourcedMultiplierBps: 12_000 };
    const flat = run(tiered('flat', pm), buckets);
    expect(flat.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['earning', 104_000],
      ['clawback', -9_600],
    ]);
    // retroactive: 5% x 1.5 x 1.2 = 9% of -1,000
    expect(pays(run(tiered('retroactive', pm), buckets))).toEqual([97_500, -9_000]);
    // marginal: the rate of the band reached (8%); earning 500 + 8% x 2,000 over the 10,000 boundary on 13,000 x (10/12, 2/12)
    expect(pays(run(tiered('marginal', pm), buckets))).toEqual([54_167, 17_333, -9_600]);
  });

  it('caps', () => {
    const r = run(tiered('flat', { capMinor: 100_000 }), [bucket({ creditMinor: 1_500_000 })]);
    expect(r.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['earning', 180_000],
      ['cap', -80_000],
    ]);
  });
});

describe('year-to-date windows', () => {
  const q2 = { periodStart: '2026-04-01', periodEnd: '2026-07-01' }; // 91 days
  const q3 = { periodStart: '2026-07-01', periodEnd: '2026-10-01' };

  it('trues up an accelerator across two periods', () => {
    // Retroactive, base 10%: x1 below 100%, x1.2 from 100%, x0.8 from 150% (a decelerator).
    const c = tiered('retroactive', { window: 'year_to_date', baseRateBps: 1000, tiers: bands(10_000, 12_000, 8_000) });
    // Q1: 9,000 of 10,000 = 90% -> 10% x 9,000 = 900 (an earning: nothing paid before)
    const p1 = run(c, [bucket({ creditMinor: 900_000 })]);
    expect(p1.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['earning', 90_000]]);
    expect(p1.next).toMatchObject({
      ytdComponentCreditMinor: { tiers: 900_000 },
      ytdPaidMinor: { tiers: 90_000 },
      ytdQuotaMinor: QUOTA,
      ytdQuotaCreditMinor: 900_000,
    });
    // Q2: 22,000 of 20,000 = 110% -> 12% x 22,000 = 2,640 due, less 900 paid = 1,740
    const p2 = run(c, [bucket({ creditMinor: 1_300_000 })], QUOTA, p1.next, q2);
    expect(p2.ytdAttainmentBps).toBe(11_000);
    expect(p2.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['true_up', 174_000]]);
    expect(p2.lines[0]?.explanation).toBe(
      'Year to date: 10% base rate x 1.2 (band 100%–150% reached at 110% year-to-date attainment) of 22,000.00 USD credit = 2,640.00 USD due, less 900.00 USD paid earlier this year',
    );
    expect(p2.next.ytdPaidMinor).toEqual({ tiers: 264_000 });
  });

  it('pays a negative true-up when a decelerator lowers the rate on earlier credit', () => {
    const c = tiered('retroactive', { window: 'year_to_date', baseRateBps: 1000, tiers: bands(10_000, 12_000, 8_000) });
    // Q1: 14,900 of 10,000 = 149% -> 12% x 14,900 = 1,788
    const p1 = run(c, [bucket({ creditMinor: 1_490_000 })]);
    expect(pays(p1)).toEqual([178_800]);
    // Q2: the participant leaves on 2026-04-02: quota 10,000 x 1/91 = 109.89; ytd 15,200 / 10,109.89 = 150.34% -> x0.8:
    // 8% x 15,200 = 1,216 due, less 1,788 paid = -572
    const p2 = run(c, [bucket({ creditMinor: 30_000 })], QUOTA, p1.next, { ...q2, activeTo: '2026-04-02' });
    expect([p2.quotaMinor, p2.ytdAttainmentBps]).toEqual([10_989, 15_034]);
    expect(p2.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['true_up', -57_200]]);
  });

  it('marginal year to date', () => {
    const c = tiered('marginal', { window: 'year_to_date' });
    // Q1: 6,000 of 10,000: 5% = 300
    const p1 = run(c, [bucket({ creditMinor: 600_000 })]);
    expect(pays(p1)).toEqual([30_000]);
    // Q2: 24,000 of 20,000 = 120%: 5% x 20,000 + 8% x 4,000 = 1,320 due, less 300 = 1,020
    const p2 = run(c, [bucket({ creditMinor: 1_800_000 })], QUOTA, p1.next, q2);
    expect(p2.lines.map((l) => [l.kind, l.amountMinor, l.tier])).toEqual([['true_up', 102_000, { fromBps: 10_000, toBps: 15_000 }]]);
    // Q3: nothing sold, quota 10,000 more: 24,000 of 30,000 = 80%: all at 5% = 1,200 due, less 1,320 = -120
    const p3 = run(c, [], QUOTA, p2.next, q3);
    expect(pays(p3)).toEqual([-12_000]);
  });

  it('carries partner-multiplied credit into later periods', () => {
    const c = tiered('flat', { window: 'year_to_date', partnerSourcedMultiplierBps: 12_000 });
    // Q1: 5,000 direct + 5,000 partner-sourced: 100% -> 8% x (5,000 + 6,000) = 880
    const p1 = run(c, [bucket({ creditMinor: 500_000 }), bucket({ sourcing: 'partner_sourced', creditMinor: 500_000 })]);
    expect(pays(p1)).toEqual([88_000]);
    expect(p1.next.ytdComponentCreditMinor).toEqual({ tiers: 1_000_000 });
    expect(p1.next.ytdComponentPayCreditMinor).toEqual({ tiers: 1_100_000 });
    // Q2: nothing sold: 10,000 of 20,000 = 50% -> 5% x 11,000 = 550 due, less 880 = -330
    const p2 = run(c, [], QUOTA, p1.next, q2);
    expect(pays(p2)).toEqual([-33_000]);
  });

  it('a cap defers the excess to later periods of the year; clawbacks are not undone by true-ups', () => {
    const c = tiered('flat', { window: 'year_to_date', capMinor: 100_000 });
    // Q1: 15,000 of 10,000 = 150%: 12% = 1,800, capped at 1,000
    const p1 = run(c, [bucket({ creditMinor: 1_500_000 })]);
    expect(pays(p1)).toEqual([180_000, -80_000]);
    expect(p1.next.ytdPaidMinor).toEqual({ tiers: 100_000 });
    // Q2: 5,000 more and a refund of 1,000: ytd 19,000 of 20,000 = 95%: 5% x 20,000 = 1,000 due, less 1,000 = 0;
    // the refund: -1,000 x 5% = -50 (clawback, not counted as paid for the window)
    const p2 = run(c, [bucket({ creditMinor: 500_000 }), bucket({ clawback: true, creditMinor: -100_000 })], QUOTA, p1.next, q2);
    expect(p2.ytdAttainmentBps).toBe(9_500);
    expect(p2.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['true_up', 0],
      ['clawback', -5_000],
    ]);
    expect(p2.next.ytdPaidMinor).toEqual({ tiers: 100_000 });
  });

  it('a gated period pays nothing; the next period that passes catches up', () => {
    const c = tiered('flat', { window: 'year_to_date', gate: { metrics: [{ metric: 'joint_calls', min: 3 }] } });
    const p1 = run(c, [bucket({ creditMinor: 800_000 })]);
    expect(p1.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['gate', 0]]);
    expect(p1.next.ytdComponentCreditMinor).toEqual({ tiers: 800_000 });
    // Q2: ytd 16,000 of 20,000 = 80%: 5% x 16,000 = 800, nothing paid yet -> an earning
    const p2 = run(c, [bucket({ creditMinor: 800_000 })], QUOTA, p1.next, { ...q2, metrics: { joint_calls: 4 } });
    expect(p2.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['earning', 80_000]]);
  });
});
