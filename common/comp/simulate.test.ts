import { describe, expect, it } from 'vitest';
import { planPartnerCredit, type CreditableTransaction } from './crediting.ts';
import type { CreditBucket, PayoutLine } from './engine-types.ts';
import { PLAN_FORMAT, planDocument, type PlanDocument } from './plan.ts';
import {
  attributeLines,
  metricForPeriod,
  parseSimulationPeriod,
  quotaForPeriod,
  ratioBps,
  SimulationError,
  simulatePlans,
  type SimParticipant,
  type SimulationInput,
} from './simulate.ts';

function plan(over: Record<string, unknown>): PlanDocument {
  return planDocument.parse({
    format: PLAN_FORMAT,
    key: 'p',
    name: 'P',
    currency: 'USD',
    effectiveFrom: '2027-01-01',
    payoutPeriod: 'quarter',
    crediting: { partnerCredit: 'plan' },
    components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
    ...over,
  });
}

let seq = 0;
function tx(on: string, amountMinor: number, sellers: string, over: Partial<CreditableTransaction> = {}): CreditableTransaction {
  seq += 1;
  return {
    transactionId: `T${seq}`,
    kind: amountMinor < 0 ? 'credit_note' : 'booking',
    recognisedOn: on,
    amountMinor,
    currency: 'USD',
    product: null,
    scenario: null,
    segment: null,
    sourcing: 'direct',
    partnerId: null,
    sellers: sellers.split(';').map((s) => {
      const [participantId = '', pct = '100'] = s.split(':');
      return { participantId, splitBps: Number(pct) * 100 };
    }),
    overlays: [],
    originalRecognisedOn: null,
    ...over,
  };
}

const person = (id: string, managerId: string | null = null): SimParticipant => ({
  participantId: id,
  name: `Name ${id}`,
  managerId,
  team: null,
  activeFrom: null,
  activeTo: null,
});

function input(over: Partial<SimulationInput>): SimulationInput {
  return {
    plans: [plan({})],
    transactions: [],
    participants: [person('A'), person('B')],
    quotas: () => null,
    metrics: () => ({}),
    period: { start: '2027-01-01', end: '2027-04-01' },
    partnerCredit: (p) => planPartnerCredit(p),
    fx: () => null,
    isRenewal: (s) => s === 'maintenance_renewal',
    ...over,
  };
}

describe('simulatePlans', () => {
  const baseline = plan({ key: 'current', crediting: { partnerCredit: 'plan', directSellerCredit: 'none' } });
  const candidate = plan({
    key: 'candidate',
    components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000, partnerSourcedMultiplierBps: 15000 }],
  });
  const deals = () => [
    tx('2027-01-10', 1_000_000, 'A', { scenario: 'maintenance_renewal' }),
    tx('2027-02-10', 2_000_000, 'A:50;B:50', { sourcing: 'partner_sourced', partnerId: 'P1', scenario: 'consulting' }),
  ];

  it('pays every participant per plan, compares with the baseline, and attributes pay to sourcing', () => {
    const r = simulatePlans(input({ plans: [baseline, candidate], transactions: deals() }));
    // Baseline: 10% of A's direct 10,000.00; partner deals credit the direct sellers nothing.
    // Candidate: partner deal credited in full, 10% x 1.5 on each half of 20,000.00.
    expect(r.participants.map((p) => [p.participantId, p.plans.map((x) => x.totalMinor)])).toEqual([
      ['A', [100_000, 250_000]],
      ['B', [0, 150_000]],
    ]);
    const [a] = r.participants;
    expect(a?.plans[1]).toMatchObject({
      changeMinor: 150_000,
      changeBps: 15_000,
      components: { commission: 250_000 },
      attribution: { directMinor: 100_000, partnerSourcedMinor: 150_000, partnerInfluencedMinor: 0, nonRenewalMinor: 150_000, unattributedMinor: 0 },
    });
    expect(r.participants[1]?.plans[1]?.changeBps).toBeNull(); // nothing under the baseline
    const [base, cand] = r.plans;
    expect(base).toMatchObject({ baseline: true, totalCostMinor: 100_000, revenueMinor: 3_000_000, costOfSalesBps: 333, winners: [], losers: [] });
    expect(cand).toMatchObject({
      baseline: false,
      totalCostMinor: 400_000,
      costOfSalesBps: 1333,
      changeMinor: 300_000,
      changeBps: 30_000,
      attribution: { partnerSourcedMinor: 300_000, directMinor: 100_000 },
      participantsPaid: 2,
    });
    expect(cand?.winners.map((w) => [w.participantId, w.changeMinor])).toEqual([
      ['A', 150_000],
      ['B', 150_000],
    ]);
    // Per 1,000.00 of the sellers' share of deal value: 100.00 on direct deals under both plans;
    // partner-sourced deals pay nothing under the baseline, 150.00 under the candidate.
    expect(base?.neutrality).toEqual({
      partnerSourcedCostMinor: 0,
      perThousand: { direct: 10_000, partner_sourced: 0, partner_influenced: null },
      registrationIncentiveMinor: -10_000,
      dealValueMinor: { direct: 1_000_000, partner_sourced: 2_000_000, partner_influenced: 0 },
    });
    expect(cand?.neutrality).toMatchObject({
      partnerSourcedCostMinor: 300_000,
      perThousand: { direct: 10_000, partner_sourced: 15_000 },
      registrationIncentiveMinor: 5_000,
    });
  });

  it('lists losers most lost first, and describes the distribution', () => {
    const r = simulatePlans(input({ plans: [candidate, baseline], transactions: deals(), participants: [person('A'), person('B'), person('C')] }));
    const worse = r.plans[1];
    expect(worse?.losers.map((l) => [l.participantId, l.changeMinor, l.changeBps])).toEqual([
      ['A', -150_000, -6000],
      ['B', -150_000, -10_000],
    ]);
    expect(worse?.winners).toEqual([]);
    expect(r.plans[0]?.distribution).toMatchObject({ minMinor: 0, p10Minor: 0, p50Minor: 150_000, p90Minor: 250_000, maxMinor: 250_000 });
    // One set of histogram edges for every plan, and every participant counted once.
    expect(r.plans[0]?.distribution.buckets.map((b) => b.fromMinor)).toEqual(r.plans[1]?.distribution.buckets.map((b) => b.fromMinor));
    for (const p of r.plans) expect(p.distribution.buckets.reduce((s, b) => s + b.count, 0)).toBe(3);
  });

  it('spreads a cap over the credit that earned what it cuts, so attributions still add up', () => {
    const capped = plan({
      key: 'capped',
      components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000, partnerSourcedMultiplierBps: 15000, capMinor: 120_000 }],
    });
    const r = simulatePlans(input({ plans: [capped], transactions: deals() }));
    const a = r.participants[0]?.plans[0];
    expect(a?.totalMinor).toBe(120_000);
    // 2,500.00 earned, 1,300.00 cut in proportion 1,000 : 1,500.
    expect(a?.attribution).toMatchObject({ directMinor: 48_000, partnerSourcedMinor: 72_000, unattributedMinor: 0 });
  });

  it('carries the state from period to period and starts at the fiscal year, reporting only the period asked for', () => {
    const draw = plan({
      key: 'draw',
      components: [
        { key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 },
        { key: 'draw', name: 'Draw', kind: 'draw', amountMinor: 100_000, recoverable: true, guaranteePeriods: 0, recoveryBps: 10_000 },
      ],
    });
    const transactions = [tx('2027-05-10', 3_000_000, 'A')];
    const year = simulatePlans(input({ plans: [draw], transactions, participants: [person('A')], period: { start: '2027-01-01', end: '2028-01-01' } }));
    const periods = year.participants[0]?.plans[0]?.periods ?? [];
    // Q1: draw 1,000.00 owed back; Q2: 3,000.00 earned less 1,000.00 recovered; Q3, Q4: the draw again.
    expect(periods.map((p) => [p.periodStart, p.totalMinor])).toEqual([
      ['2027-01-01', 100_000],
      ['2027-04-01', 200_000],
      ['2027-07-01', 100_000],
      ['2027-10-01', 100_000],
    ]);
    expect(year.participants[0]?.plans[0]?.totalMinor).toBe(500_000);
    const q2 = simulatePlans(input({ plans: [draw], transactions, participants: [person('A')], period: { start: '2027-04-01', end: '2027-07-01' } }));
    expect(q2.participants[0]?.plans[0]?.periods.map((p) => [p.periodStart, p.totalMinor])).toEqual([['2027-04-01', 200_000]]);
    expect(q2.notes.join(' ')).toMatch(/starts inside a fiscal year/);
  });

  it('starts year-to-date windows afresh at each fiscal year', () => {
    const ytd = plan({
      key: 'ytd',
      fiscalYearStartMonth: 4,
      components: [
        {
          key: 'tiers',
          name: 'Tiers',
          kind: 'tiered',
          mode: 'flat',
          window: 'year_to_date',
          tiers: [
            { fromBps: 0, toBps: 10_000, rateBps: 100 },
            { fromBps: 10_000, toBps: null, rateBps: 1000 },
          ],
        },
      ],
    });
    const r = simulatePlans(
      input({
        plans: [ytd],
        participants: [person('A')],
        quotas: () => 1_000_000,
        transactions: [tx('2027-02-15', 5_000_000, 'A'), tx('2027-05-15', 500_000, 'A')],
        period: { start: '2027-01-01', end: '2028-01-01' },
      }),
    );
    const periods = r.participants[0]?.plans[0]?.periods ?? [];
    // Jan-Mar closes fiscal 2026: 50,000.00 on a year-to-date quota of 40,000.00 -> 10%.
    // Apr-Jun opens fiscal 2027: 5,000.00 on 10,000.00 -> 1%, not a true-up on the year before.
    expect(periods.slice(0, 2).map((p) => [p.periodStart, p.totalMinor])).toEqual([
      ['2027-01-01', 500_000],
      ['2027-04-01', 5_000],
    ]);
  });

  it('refuses plans of different currencies, partial payout periods and unknown participants', () => {
    expect(() => simulatePlans(input({ plans: [plan({ key: 'a' }), plan({ key: 'b', currency: 'EUR' })] }))).toThrow(/different currencies \(a: USD, b: EUR\)/);
    expect(() => simulatePlans(input({ period: { start: '2027-03-01', end: '2027-04-01' } }))).toThrow(SimulationError);
    expect(() => simulatePlans(input({ period: { start: '2027-03-01', end: '2027-04-01' } }))).toThrow(/pays by quarter/);
    expect(() => simulatePlans(input({ transactions: [tx('2027-01-10', 100, 'Z')] }))).toThrow(/not listed: Z/);
    expect(() => simulatePlans(input({ participants: [person('A', 'M')] }))).toThrow(/not listed: M/);
    expect(() => simulatePlans(input({ plans: [plan({}), plan({})] }))).toThrow(/given twice/);
  });

  it('converts foreign-currency transactions with the dated rate, and refuses them without one', () => {
    const eur = tx('2027-01-10', 1_000_000, 'A', { currency: 'EUR' });
    const r = simulatePlans(input({ transactions: [eur], fx: () => ({ numerator: 11n, denominator: 10n, rate: '1.1', on: '2027-01-10' }) }));
    expect(r.plans[0]?.revenueMinor).toBe(1_100_000);
    expect(r.participants[0]?.plans[0]?.totalMinor).toBe(110_000);
    expect(() => simulatePlans(input({ transactions: [eur] }))).toThrow(/no EUR\/USD rate/);
  });

  it('makes every participant’s attributions add up to their total', () => {
    const mixed = plan({
      key: 'mixed',
      periodCapMinor: 300_000,
      components: [
        { key: 'commission', name: 'Commission', kind: 'commission', rateBps: 777, partnerInfluencedMultiplierBps: 13_000, capMinor: 200_000 },
        { key: 'bonus', name: 'Bonus', kind: 'bonus', targetIncentiveMinor: 50_000, schedule: [{ fromBps: 0, payoutBps: 10_000 }] },
        { key: 'draw', name: 'Draw', kind: 'draw', amountMinor: 60_000, recoverable: false },
      ],
    });
    const transactions = [
      tx('2027-01-03', 1_234_567, 'A:33;B:67', { sourcing: 'partner_influenced', partnerId: 'P' }),
      tx('2027-02-03', 2_345_678, 'A', { scenario: 'maintenance_renewal' }),
      tx('2027-03-03', -345_678, 'A', { scenario: 'maintenance_renewal', originalRecognisedOn: '2027-02-03' }),
      tx('2027-03-09', 987_654, 'B:50;A:50', { sourcing: 'partner_sourced', partnerId: 'P' }),
    ];
    const r = simulatePlans(input({ plans: [mixed], transactions }));
    for (const p of r.participants) {
      const x = p.plans[0];
      const a = x?.attribution;
      expect((a?.directMinor ?? 0) + (a?.partnerSourcedMinor ?? 0) + (a?.partnerInfluencedMinor ?? 0) + (a?.unattributedMinor ?? 0)).toBe(x?.totalMinor);
      expect(Object.values(x?.components ?? {}).reduce((s, v) => s + v, 0)).toBe(x?.totalMinor);
    }
  });
});

describe('attributeLines', () => {
  const bucket = (creditMinor: number): CreditBucket => ({
    kind: 'direct',
    sourcing: 'direct',
    product: null,
    scenario: null,
    segment: null,
    clawback: false,
    spiffKeys: [],
    creditMinor,
    deals: 1,
  });
  const line = (componentKey: string, kind: PayoutLine['kind'], amountMinor: number, bucketIndexes: number[]): PayoutLine => ({
    componentKey,
    componentName: componentKey,
    kind,
    basisMinor: null,
    rateBps: null,
    multiplierBps: 10_000,
    tier: null,
    bucketIndexes,
    amountMinor,
    explanation: '',
  });

  it('splits lines by credit with the largest remainder, and caps in proportion to what they cut', () => {
    const buckets = [bucket(100), bucket(200), bucket(-50)];
    const r = attributeLines(
      [
        line('c', 'earning', 100, [0, 1]),
        line('c', 'clawback', -7, [2]),
        line('c', 'cap', -31, []),
        line('b', 'earning', 40, []),
        line('_plan', 'cap', -10, []),
      ],
      buckets,
      'USD',
    );
    // 100 -> 33/67 by 100:200; clawback -7 on bucket 2; the component cap -31 over (33, 67, -7 -> 0) by 33:67;
    // the bonus is unattributed; the plan cap -10 over what the buckets hold then (23, 46, -7).
    expect(r.perBucket.reduce((s, v) => s + v, 0) + r.unattributedMinor).toBe(100 - 7 - 31 + 40 - 10);
    expect(r.unattributedMinor).toBe(40);
    expect(r.perBucket).toEqual([33 - 10 - 3, 67 - 21 - 7, -7]);
  });
});

describe('periods and per-period values', () => {
  it('reads 2027, 2027-Q1 and 2027-03', () => {
    expect(parseSimulationPeriod('2027')).toEqual({ start: '2027-01-01', end: '2028-01-01' });
    expect(parseSimulationPeriod('2027-Q4')).toEqual({ start: '2027-10-01', end: '2028-01-01' });
    expect(parseSimulationPeriod('2027-12')).toEqual({ start: '2027-12-01', end: '2028-01-01' });
    for (const bad of ['27', '2027-Q5', '2027-13', '2027-1', 'Q1-2027', '']) expect(parseSimulationPeriod(bad)).toBeNull();
  });

  it('finds the quota of a payout period: exact, else the sum of smaller entries, else a share of a larger one', () => {
    const year = { ...parseSimulationPeriod('2027')!, value: 1_000_001 };
    const q1 = { ...parseSimulationPeriod('2027-Q1')!, value: 300 };
    const m4 = { ...parseSimulationPeriod('2027-04')!, value: 10 };
    const m5 = { ...parseSimulationPeriod('2027-05')!, value: 20 };
    expect(quotaForPeriod([year, q1], '2027-01-01', '2027-04-01', 'USD')).toBe(300);
    expect(quotaForPeriod([year, m4, m5], '2027-04-01', '2027-07-01', 'USD')).toBe(30);
    const quarters = ['2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01'].map((s, i, all) => quotaForPeriod([year], s, all[i + 1] ?? '2028-01-01', 'USD'));
    expect(quarters).toEqual([250_001, 250_000, 250_000, 250_000]);
    expect(quotaForPeriod([year], '2027-03-01', '2027-04-01', 'USD')).toBe(83_334);
    expect(quotaForPeriod([q1], '2027-04-01', '2027-07-01', 'USD')).toBeNull();
  });

  it('finds a metric of the period, or of the shortest period containing it', () => {
    const year = { ...parseSimulationPeriod('2027')!, value: 90 };
    const q2 = { ...parseSimulationPeriod('2027-Q2')!, value: 70 };
    expect(metricForPeriod([year, q2], '2027-04-01', '2027-07-01')).toBe(70);
    expect(metricForPeriod([year, q2], '2027-01-01', '2027-04-01')).toBe(90);
    expect(metricForPeriod([q2], '2027-01-01', '2027-04-01')).toBeUndefined();
  });

  it('rounds ratios half-even and has none over zero', () => {
    expect(ratioBps(1, 3)).toBe(3333);
    expect(ratioBps(-1, 3)).toBe(-3333);
    expect(ratioBps(1, 0)).toBeNull();
  });
});
