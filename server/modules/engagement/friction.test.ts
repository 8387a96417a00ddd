import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrictionReport, FrictionRow } from '../../../common/api/engagement-friction.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';

/**
 * The friction numbers against a fixture computed by hand. "Now" is 2026-04-10T00:00Z; the period
 * is March 2026; every SLA is 48 hours after submission. Times are hours after submission.
 */
const NOW = '2026-04-10T00:00:00Z';
const H = 3_600_000;

type Fixture = {
  ref: string;
  partner: 'A' | 'B';
  scenario: 'maintenance_renewal' | 'consulting' | 'migration' | 'upgrade';
  unit: string | null;
  status: 'draft' | 'submitted' | 'under_review' | 'approved' | 'rejected' | 'won' | 'lost';
  submitted: string | null;
  /** hours from submission to the first response; null = unanswered */
  respondedAfter: number | null;
  /** the SLA job marked it breached (at the due time) */
  markedBreached?: boolean;
  value: number;
  currency: string;
};

// Partner A: tier gold, region EMEA. Partner B: tier silver, region NA.
const fixtures: Fixture[] = [
  // Maintenance renewals, unit Renewals: answered within 2..12 hours.
  {
    ref: 'R1',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'won',
    submitted: '2026-03-02T09:00:00Z',
    respondedAfter: 2,
    value: 1000,
    currency: 'EUR',
  },
  {
    ref: 'R2',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'won',
    submitted: '2026-03-03T09:00:00Z',
    respondedAfter: 4,
    value: 2000,
    currency: 'EUR',
  },
  {
    ref: 'R3',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'lost',
    submitted: '2026-03-04T09:00:00Z',
    respondedAfter: 6,
    value: 3000,
    currency: 'EUR',
  },
  {
    ref: 'R4',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'approved',
    submitted: '2026-03-05T09:00:00Z',
    respondedAfter: 8,
    value: 4000,
    currency: 'EUR',
  },
  {
    ref: 'R5',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'rejected',
    submitted: '2026-03-06T09:00:00Z',
    respondedAfter: 10,
    value: 500,
    currency: 'EUR',
  },
  {
    ref: 'R6',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'under_review',
    submitted: '2026-03-09T09:00:00Z',
    respondedAfter: 12,
    value: 600,
    currency: 'USD',
  },
  // Consulting, unit Services: slow, breached, some never answered.
  {
    ref: 'C1',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'approved',
    submitted: '2026-03-02T09:00:00Z',
    respondedAfter: 24,
    value: 10000,
    currency: 'EUR',
  },
  {
    ref: 'C2',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'rejected',
    submitted: '2026-03-03T09:00:00Z',
    respondedAfter: 72,
    value: 20000,
    currency: 'EUR',
  },
  {
    ref: 'C3',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'won',
    submitted: '2026-03-04T09:00:00Z',
    respondedAfter: 96,
    value: 30000,
    currency: 'EUR',
  },
  {
    ref: 'C4',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'submitted',
    submitted: '2026-03-05T09:00:00Z',
    respondedAfter: null,
    markedBreached: true,
    value: 40000,
    currency: 'EUR',
  },
  // Past due, but the SLA job has not marked it yet: still a breach.
  {
    ref: 'C5',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'submitted',
    submitted: '2026-03-20T09:00:00Z',
    respondedAfter: null,
    value: 5000,
    currency: 'EUR',
  },
  // Due 2026-04-01T09:00: after the period, so not in this period's SLA population; past due now.
  {
    ref: 'C6',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'submitted',
    submitted: '2026-03-30T09:00:00Z',
    respondedAfter: null,
    value: 1000,
    currency: 'EUR',
  },
  // Migration, unit Services.
  {
    ref: 'M1',
    partner: 'B',
    scenario: 'migration',
    unit: 'Services',
    status: 'lost',
    submitted: '2026-03-10T09:00:00Z',
    respondedAfter: 30,
    value: 7000,
    currency: 'GBP',
  },
  {
    ref: 'M2',
    partner: 'B',
    scenario: 'migration',
    unit: 'Services',
    status: 'approved',
    submitted: '2026-03-11T09:00:00Z',
    respondedAfter: 50,
    value: 8000,
    currency: 'GBP',
  },
  // Upgrade, never routed to a unit.
  {
    ref: 'U1',
    partner: 'A',
    scenario: 'upgrade',
    unit: null,
    status: 'approved',
    submitted: '2026-03-12T09:00:00Z',
    respondedAfter: 1,
    value: 100,
    currency: 'EUR',
  },
  // Outside the period. X1: submitted in February, SLA due 2026-03-01T09:00 (in the period), answered late.
  {
    ref: 'X1',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'rejected',
    submitted: '2026-02-27T09:00:00Z',
    respondedAfter: 72,
    value: 999,
    currency: 'EUR',
  },
  {
    ref: 'X2',
    partner: 'A',
    scenario: 'maintenance_renewal',
    unit: 'Renewals',
    status: 'rejected',
    submitted: '2026-02-20T09:00:00Z',
    respondedAfter: 120,
    markedBreached: true,
    value: 999,
    currency: 'EUR',
  },
  {
    ref: 'X3',
    partner: 'B',
    scenario: 'consulting',
    unit: 'Services',
    status: 'under_review',
    submitted: '2026-04-02T09:00:00Z',
    respondedAfter: 5,
    value: 999,
    currency: 'EUR',
  },
  { ref: 'X4', partner: 'B', scenario: 'consulting', unit: 'Services', status: 'draft', submitted: null, respondedAfter: null, value: 999, currency: 'EUR' },
];

let t: TestApp;
let cm: Session;

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW) });
  const a = await makePartner(t.deps, 'Friction Gold');
  const b = await makePartner(t.deps, 'Friction Silver');
  const partners = { A: a.id, B: b.id };
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await trx.updateTable('partner').set({ tier: 'gold' }).where('partnerId', '=', a.id).execute();
    const scenarios = new Map((await trx.selectFrom('scenario').select(['key', 'scenarioId']).execute()).map((s) => [s.key, s.scenarioId]));
    for (const f of fixtures) {
      const submittedAt = f.submitted ? new Date(f.submitted) : null;
      const at = (hours: number) => (submittedAt ? new Date(submittedAt.getTime() + hours * H) : null);
      const respondedAt = f.respondedAfter === null ? null : at(f.respondedAfter);
      const decided = ['approved', 'rejected', 'won', 'lost'].includes(f.status);
      await trx
        .insertInto('dealRegistration')
        .values({
          dealRegistrationId: newId(),
          reference: `REG-FR-${f.ref}`,
          partnerId: partners[f.partner],
          submittedByUserId: null,
          clientReference: null,
          status: f.status,
          source: 'partner',
          scenarioId: scenarios.get(f.scenario) ?? '',
          productLine: null,
          region: f.partner === 'A' ? 'EMEA' : 'NA',
          endCustomerName: `Customer ${f.ref}`,
          endCustomerNormalisedName: `customer ${f.ref.toLowerCase()}`,
          endCustomerDomain: null,
          endCustomerCountry: null,
          endCustomerTaxId: null,
          accountId: null,
          valueMinor: f.value,
          currency: f.currency,
          expectedCloseOn: null,
          description: null,
          ruleSetVersionId: null,
          routeId: null,
          owningUnit: f.unit,
          reviewerUserId: null,
          escalationUserId: null,
          submittedAt,
          slaDueAt: at(48),
          slaBreachedAt: f.markedBreached ? at(48) : null,
          firstResponseAt: respondedAt,
          decidedAt: decided ? respondedAt : null,
          decisionReason: null,
          protectionEndsOn: f.status === 'approved' ? '2026-06-30' : null,
          closedAt: null,
        })
        .execute();
    }
  });
  cm = await signIn(t.app, (await makeUser(t.deps, { roles: ['channel_manager'] })).email);
});
afterAll(async () => t?.close());

async function report(query: Record<string, string>): Promise<FrictionReport> {
  const res = await t.app.inject({ method: 'GET', url: '/api/friction', headers: cm.headers, query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<FrictionReport>();
}

/** Interpolated percentiles are doubles: equal to 9 decimals is exact for hours. */
function expectRow(actual: FrictionRow | undefined, expected: Partial<FrictionRow>) {
  expect(actual).toBeDefined();
  for (const [k, v] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[k];
    if (typeof v === 'number' && !Number.isInteger(v)) expect(got, k).toBeCloseTo(v, 9);
    else expect(got, k).toEqual(v);
  }
}

describe('friction analytics against a hand-computed fixture', () => {
  it('by scenario', async () => {
    const r = await report({ from: '2026-03-01', to: '2026-04-01', groupBy: 'scenario' });
    expect(r.groups.map((g) => g.scenarioKey)).toEqual(['consulting', 'maintenance_renewal', 'migration', 'upgrade']);
    const by = (key: string) => r.groups.find((g) => g.scenarioKey === key);
    expectRow(by('maintenance_renewal'), {
      received: 6, // R1..R6
      answered: 6,
      medianResponseHours: 7, // [2,4,6,8,10,12]: (6 + 8) / 2
      p90ResponseHours: 11, // rank 0.9 x 5 = 4.5: 10 + 0.5 x (12 - 10)
      waiting: 0,
      waitingOldestHours: null,
      waitingMedianHours: null,
      waitingPastSla: 0,
      slaDue: 6, // all due 2026-03-04..11, inside the period and before now
      slaBreached: 0,
      breachRate: 0,
      slaHours: 48,
      decided: 5, // won, won, lost, approved, rejected (R6 is under review)
      approved: 4, // won, won, lost, approved
      approvalRate: 0.8, // 4 / 5
      won: 2,
      lost: 1,
      winRate: 2 / 3, // 2 / (2 + 1)
      values: [
        { currency: 'EUR', submittedMinor: 10500, wonMinor: 3000 }, // 1000+2000+3000+4000+500; won 1000+2000
        { currency: 'USD', submittedMinor: 600, wonMinor: 0 },
      ],
      stalled: false,
      stallReasons: [],
    });
    expectRow(by('consulting'), {
      received: 6, // C1..C6 (X1 was submitted in February, X3 in April, X4 is a draft)
      answered: 3,
      medianResponseHours: 72, // [24,72,96]
      p90ResponseHours: 91.2, // rank 0.9 x 2 = 1.8: 72 + 0.8 x (96 - 72)
      waiting: 3, // C4, C5, C6
      // ages at 2026-04-10T00:00: C4 from 03-05T09 = 31 d + 111 h = 855 h; C5 from 03-20T09 = 20 d + 15 h = 495 h; C6 = 10 d + 15 h = 255 h
      waitingOldestHours: 855,
      waitingMedianHours: 495,
      waitingPastSla: 3, // C4 due 03-07, C5 due 03-22, C6 due 04-01: all before now
      slaDue: 6, // C1..C5 due in March, plus X1 due 03-01T09 (C6 is due in April)
      slaBreached: 5, // C2 (72 h), C3 (96 h), C4 (marked), C5 (unanswered past due), X1 (72 h); C1 answered in 24 h
      breachRate: 5 / 6,
      slaHours: 48,
      decided: 3, // C1 approved, C2 rejected, C3 won
      approved: 2, // C1, C3
      approvalRate: 2 / 3,
      won: 1,
      lost: 0,
      winRate: 1,
      values: [{ currency: 'EUR', submittedMinor: 106000, wonMinor: 30000 }], // 10000+20000+30000+40000+5000+1000; won C3
      stalled: true,
      stallReasons: ['breach_rate', 'median_over_sla', 'waiting_past_sla'], // 0.83 > 0.2; 72 h > 48 h; 3 waiting past due
    });
    expectRow(by('migration'), {
      received: 2,
      medianResponseHours: 40, // [30,50]
      p90ResponseHours: 48, // rank 0.9: 30 + 0.9 x 20
      slaDue: 2,
      slaBreached: 1, // M2 answered after 50 h
      breachRate: 0.5,
      decided: 2,
      approved: 2, // lost counts as approved first
      approvalRate: 1,
      winRate: 0, // 0 / (0 + 1)
      values: [{ currency: 'GBP', submittedMinor: 15000, wonMinor: 0 }],
      stalled: true,
      stallReasons: ['breach_rate'],
    });
    expectRow(by('upgrade'), { received: 1, medianResponseHours: 1, p90ResponseHours: 1, winRate: null, approvalRate: 1, stalled: false });
  });

  it('by unit, by scenario x unit, renewal vs non-renewal, and the total', async () => {
    const byUnit = await report({ from: '2026-03-01', to: '2026-04-01', groupBy: 'unit' });
    expect(byUnit.groups.map((g) => g.unit)).toEqual(['(unrouted)', 'Renewals', 'Services']);
    expectRow(
      byUnit.groups.find((g) => g.unit === 'Services'),
      {
        received: 8, // C1..C6, M1, M2
        answered: 5,
        medianResponseHours: 50, // [24,30,50,72,96]
        p90ResponseHours: 86.4, // rank 0.9 x 4 = 3.6: 72 + 0.6 x (96 - 72)
        waiting: 3,
        waitingOldestHours: 855,
        slaDue: 8, // 6 consulting (with X1) + 2 migration
        slaBreached: 6, // 5 + 1
        breachRate: 0.75,
        decided: 5,
        approved: 4,
        approvalRate: 0.8,
        won: 1,
        lost: 1,
        winRate: 0.5,
        values: [
          { currency: 'EUR', submittedMinor: 106000, wonMinor: 30000 },
          { currency: 'GBP', submittedMinor: 15000, wonMinor: 0 },
        ],
        stallReasons: ['breach_rate', 'median_over_sla', 'waiting_past_sla'], // 50 h > 48 h
      },
    );

    const cross = await report({ from: '2026-03-01', to: '2026-04-01', groupBy: 'scenario_unit' });
    expect(cross.groups.map((g) => `${g.scenarioKey}/${g.unit}`)).toEqual([
      'consulting/Services',
      'maintenance_renewal/Renewals',
      'migration/Services',
      'upgrade/(unrouted)',
    ]);

    // The case behind Realign in one comparison: renewals answered, everything else left to stall.
    expect(byUnit.renewal.map((g) => g.isRenewal)).toEqual([false, true]);
    expectRow(byUnit.renewal[1], { received: 6, medianResponseHours: 7, breachRate: 0, stalled: false });
    expectRow(byUnit.renewal[0], {
      received: 9, // consulting 6 + migration 2 + upgrade 1
      answered: 6,
      medianResponseHours: 40, // [1,24,30,50,72,96]: (30 + 50) / 2
      p90ResponseHours: 84, // rank 0.9 x 5 = 4.5: 72 + 0.5 x 24
      slaDue: 9, // 8 + U1
      slaBreached: 6,
      breachRate: 2 / 3,
      decided: 6,
      approved: 5,
      approvalRate: 5 / 6,
      winRate: 0.5,
      values: [
        { currency: 'EUR', submittedMinor: 106100, wonMinor: 30000 },
        { currency: 'GBP', submittedMinor: 15000, wonMinor: 0 },
      ],
      stallReasons: ['breach_rate', 'waiting_past_sla'],
    });

    expectRow(byUnit.total, {
      received: 15,
      answered: 12,
      medianResponseHours: 11, // [1,2,4,6,8,10,12,24,30,50,72,96]: (10 + 12) / 2
      p90ResponseHours: 69.8, // rank 0.9 x 11 = 9.9: 50 + 0.9 x (72 - 50)
      waiting: 3,
      slaDue: 15,
      slaBreached: 6,
      breachRate: 0.4,
      decided: 11,
      approved: 9,
      approvalRate: 9 / 11,
      won: 3,
      lost: 2,
      winRate: 0.6,
      values: [
        { currency: 'EUR', submittedMinor: 116600, wonMinor: 33000 }, // 10500 + 106000 + 100; won 3000 + 30000
        { currency: 'GBP', submittedMinor: 15000, wonMinor: 0 },
        { currency: 'USD', submittedMinor: 600, wonMinor: 0 },
      ],
      stalled: true,
    });
  });

  it('filters by partner tier and by region; a higher stall threshold clears the breach-rate flag', async () => {
    const gold = await report({ from: '2026-03-01', to: '2026-04-01', tier: 'gold' });
    expect(gold.total.received).toBe(7); // R1..R6, U1
    expect(gold.groups.map((g) => g.scenarioKey)).toEqual(['maintenance_renewal', 'upgrade']);
    const na = await report({ from: '2026-03-01', to: '2026-04-01', region: 'NA' });
    expect(na.total.received).toBe(8);
    const lenient = await report({ from: '2026-03-01', to: '2026-04-01', groupBy: 'scenario', stallBreachRate: '0.9' });
    expect(lenient.groups.find((g) => g.scenarioKey === 'migration')?.stalled).toBe(false);
  });

  it('trend per month, renewal vs non-renewal, with empty buckets', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/friction/trend',
      headers: cm.headers,
      query: { from: '2026-02-01', to: '2026-05-01', grain: 'month' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().points).toEqual([
      // February: X2 (renewal, 120 h, marked breached) and X1 (consulting, 72 h, late)
      { bucket: '2026-02-01', isRenewal: true, received: 1, medianResponseHours: 120, slaDue: 1, slaBreached: 1, breachRate: 1 },
      { bucket: '2026-02-01', isRenewal: false, received: 1, medianResponseHours: 72, slaDue: 1, slaBreached: 1, breachRate: 1 },
      { bucket: '2026-03-01', isRenewal: true, received: 6, medianResponseHours: 7, slaDue: 6, slaBreached: 0, breachRate: 0 },
      // C1..C6, M1, M2, U1: all due by now; breached C2, C3, C4, C5, C6 (unanswered past due), M2
      { bucket: '2026-03-01', isRenewal: false, received: 9, medianResponseHours: 40, slaDue: 9, slaBreached: 6, breachRate: 6 / 9 },
      { bucket: '2026-04-01', isRenewal: true, received: 0, medianResponseHours: null, slaDue: 0, slaBreached: 0, breachRate: null },
      // X3: answered in 5 h, due 04-04 (before now)
      { bucket: '2026-04-01', isRenewal: false, received: 1, medianResponseHours: 5, slaDue: 1, slaBreached: 0, breachRate: 0 },
    ]);
    const weeks = await t.app.inject({
      method: 'GET',
      url: '/api/friction/trend',
      headers: cm.headers,
      query: { from: '2026-03-02', to: '2026-03-16', grain: 'week' },
    });
    // Mondays 03-02 and 03-09; renewals R1..R5 then R6
    expect(
      weeks
        .json()
        .points.filter((p: { isRenewal: boolean }) => p.isRenewal)
        .map((p: { bucket: string; received: number }) => [p.bucket, p.received]),
    ).toEqual([
      ['2026-03-02', 5],
      ['2026-03-09', 1],
    ]);
  });

  it('is for internal leadership and channel staff only; periods are validated', async () => {
    const p = await makePartner(t.deps);
    const partnerAdmin = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id })).email);
    const seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['internal_seller'] })).email);
    const exec = await signIn(t.app, (await makeUser(t.deps, { roles: ['executive'] })).email);
    const q = { from: '2026-03-01', to: '2026-04-01' };
    for (const s of [partnerAdmin, seller]) {
      for (const url of ['/api/friction', '/api/friction/trend']) {
        const res = await t.app.inject({ method: 'GET', url, headers: s.headers, query: q });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().code).toBe('forbidden');
      }
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/friction', headers: exec.headers, query: q })).statusCode).toBe(200);
    const backwards = await t.app.inject({ method: 'GET', url: '/api/friction', headers: cm.headers, query: { from: '2026-04-01', to: '2026-03-01' } });
    expect(backwards.statusCode).toBe(400);
    const badDate = await t.app.inject({ method: 'GET', url: '/api/friction', headers: cm.headers, query: { from: '2026-02-30', to: '2026-03-01' } });
    expect(badDate.statusCode).toBe(400);
    // The contract is documented, including how unanswered registrations are counted.
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const paths = spec.json().paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/api/friction', '/api/friction/trend', '/api/partners/quiet', '/api/partners/reengagement/summary', '/api/settings/engagement']),
    );
    expect(paths['/api/friction'].get.description).toContain('waiting');
  });
});
