import { describe, expect, it } from 'vitest';
import { calculatePeriod, carryInto, payoutPeriods } from './engine.ts';
import { bucket, commission, type ComponentInput, makePlan, periodInput } from './engine-test-support.ts';
import { emptyPriorState, type PriorState } from './engine-types.ts';

const draw = (over: Partial<Extract<ComponentInput, { kind: 'draw' }>>): ComponentInput => ({
  key: 'draw',
  name: 'Draw',
  kind: 'draw',
  amountMinor: 300_000,
  recoverable: true,
  ...over,
});

/** Runs consecutive quarters from 2026 Q1 with credit per quarter at 10% commission; the state carried by carryInto. */
function runQuarters(drawComponent: ComponentInput, credits: number[], extra: ComponentInput[] = []) {
  const plan = makePlan([commission(), ...extra, drawComponent]);
  const periods = payoutPeriods(plan, '2026-01-01', '2030-01-01');
  let prior: PriorState = emptyPriorState();
  return credits.map((credit, i) => {
    const p = periods[i] as { start: string; end: string };
    prior = carryInto(plan, prior, p.start);
    const r = calculatePeriod(
      plan,
      periodInput({ periodStart: p.start, periodEnd: p.end, buckets: credit === 0 ? [] : [bucket({ creditMinor: credit })], prior }),
    );
    prior = r.next;
    return r;
  });
}
const drawLines = (r: ReturnType<typeof calculatePeriod>) => r.lines.filter((l) => l.componentKey === 'draw').map((l) => [l.kind, l.amountMinor]);

describe('draws over several periods', () => {
  it('recoverable with one guarantee period and a 50% recovery share', () => {
    // Draw 3,000.00; earnings = 10% of credit.
    const rs = runQuarters(draw({ guaranteePeriods: 1, recoveryBps: 5000 }), [1_000_000, 2_000_000, 1_500_000, 5_000_000, 8_000_000, 8_000_000]);
    expect(rs.map((r) => [drawLines(r), r.totalMinor, r.next.drawBalanceMinor])).toEqual([
      [[['draw', 200_000]], 300_000, 0], // E 1,000: guaranteed top-up of 2,000, never recovered
      [[['draw', 100_000]], 300_000, 100_000], // E 2,000: top-up 1,000 owed back
      [[['draw', 150_000]], 300_000, 250_000], // E 1,500: top-up 1,500; owed 2,500
      [[['draw_recovery', -100_000]], 400_000, 150_000], // E 5,000: 50% of the 2,000 above the draw
      [[['draw_recovery', -150_000]], 650_000, 0], // 2027 Q1, new fiscal year: E 8,000: 50% of 5,000 = 2,500, limited to the 1,500 owed
      [[], 800_000, 0], // nothing owed
    ]);
    expect(rs[4]?.periodStart).toBe('2027-01-01');
    expect(rs[4]?.lines.at(-1)?.explanation).toBe(
      'Draw recovery: 50% of earnings above the draw (5,000.00 USD), limited to the outstanding balance; 0.00 USD still owed',
    );
    expect(rs[1]?.lines.at(-1)?.explanation).toBe(
      'Draw of 3,000.00 USD tops up earnings of 2,000.00 USD: recoverable: owed back from later earnings above the draw (balance 1,000.00 USD)',
    );
  });

  it('non-recoverable: tops up, never recovered', () => {
    const rs = runQuarters(draw({ recoverable: false }), [1_000_000, 5_000_000, 0]);
    expect(rs.map((r) => [drawLines(r), r.totalMinor, r.next.drawBalanceMinor])).toEqual([
      [[['draw', 200_000]], 300_000, 0],
      [[], 500_000, 0],
      [[['draw', 300_000]], 300_000, 0],
    ]);
  });

  it('guarantee periods of a recoverable draw are not added to the balance; exactly the draw pays nothing', () => {
    const rs = runQuarters(draw({ guaranteePeriods: 2 }), [0, 1_000_000, 3_000_000, 1_000_000]);
    expect(rs.map((r) => [drawLines(r), r.next.drawBalanceMinor, r.next.periodsOnPlan])).toEqual([
      [[['draw', 300_000]], 0, 1],
      [[['draw', 200_000]], 0, 2],
      [[], 0, 3], // E = 3,000 = the draw
      [[['draw', 200_000]], 200_000, 4],
    ]);
  });

  it('tops up after the plan cap and after clawbacks', () => {
    const plan = makePlan([commission(), draw({ recoverable: false, amountMinor: 300_000 })], { periodCapMinor: 250_000 });
    // E: 10% x 30,000 = 3,000 capped at 2,500 -> draw 500
    const capped = calculatePeriod(plan, periodInput({ buckets: [bucket({ creditMinor: 3_000_000 })] }));
    expect(capped.lines.map((l) => [l.componentKey, l.kind, l.amountMinor])).toEqual([
      ['commission', 'earning', 300_000],
      ['_plan', 'cap', -50_000],
      ['draw', 'draw', 50_000],
    ]);
    // Only a refund: E = -200 -> the draw brings the period to exactly 3,000
    const refund = calculatePeriod(plan, periodInput({ buckets: [bucket({ clawback: true, creditMinor: -200_000 })] }));
    expect(refund.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['clawback', -20_000],
      ['draw', 320_000],
    ]);
    expect(refund.totalMinor).toBe(300_000);
  });
});

describe('clawbacks in the engine', () => {
  // Rate table Road-150 3%, x1.2 partner-sourced, x1.5 from 100% attainment; quota 10,000.
  const c = commission({
    rateBps: 200,
    rateTable: [{ product: 'Road-150', rateBps: 300 }],
    partnerSourcedMultiplierBps: 12_000,
    attainmentMultipliers: [
      { fromBps: 0, multiplierBps: 10_000 },
      { fromBps: 10_000, multiplierBps: 15_000 },
    ],
  });
  const buckets = [
    bucket({ product: 'Road-150', creditMinor: 1_200_000 }),
    bucket({ product: 'Road-150', sourcing: 'partner_sourced', clawback: true, creditMinor: -200_000 }),
  ];

  it('full: the refunded credit at the rate the component pays now', () => {
    // quota credit 12,000 - 2,000 = 10,000: 100% -> x1.5. Earning 3% x 12,000 x 1.5 = 540; clawback -2,000 x 3% x 1.2 x 1.5 = -108
    const r = calculatePeriod(makePlan([c]), periodInput({ quotaMinor: 1_000_000, buckets }));
    expect(r.attainmentBps).toBe(10_000);
    expect(r.lines.map((l) => [l.kind, l.amountMinor, l.bucketIndexes])).toEqual([
      ['earning', 54_000, [0]],
      ['clawback', -10_800, [1]],
    ]);
    expect(r.lines[1]?.explanation).toBe(
      'Clawback: 3% of -2,000.00 USD partner-sourced refunded credit (Road-150) x 1.2 partner-sourced x 1.5 at 100% attainment',
    );
    expect(r.next.ytdPaidMinor).toEqual({ commission: 43_200 });
  });

  it('none: no clawback lines (refund buckets still count against attainment)', () => {
    const r = calculatePeriod(makePlan([c], { clawback: { policy: 'none' } }), periodInput({ quotaMinor: 1_000_000, buckets }));
    expect(r.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['earning', 54_000]]);
  });

  it('within_days: the engine claws back what crediting let through', () => {
    const r = calculatePeriod(makePlan([c], { clawback: { policy: 'within_days', withinDays: 90 } }), periodInput({ quotaMinor: 1_000_000, buckets }));
    expect(r.totalMinor).toBe(43_200);
  });

  it('a clawback reduces a capped component net', () => {
    // 10% of 8,000 = 800 - 10% of 1,000 = 700 net, capped at 500
    const r = calculatePeriod(
      makePlan([commission({ capMinor: 50_000 })]),
      periodInput({ buckets: [bucket({ creditMinor: 800_000 }), bucket({ clawback: true, creditMinor: -100_000 })] }),
    );
    expect(r.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['earning', 80_000],
      ['clawback', -10_000],
      ['cap', -20_000],
    ]);
  });
});
