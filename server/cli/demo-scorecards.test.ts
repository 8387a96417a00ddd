import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMetricDefinition } from '../../common/scorecards/metric.ts';
import { systemActor } from '../actor.ts';
import { inTransaction } from '../deps.ts';
import { createTestApp, makePartner, type TestApp } from '../test/harness.ts';
import { fixedClock } from '../test/test-db.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import { createParticipant } from '../modules/comp-plans/comp-plans.service.ts';
import { DEMO_SEED, mulberry32 } from './demo.ts';
import { activitiesCsv, demoMetrics, loadScorecards, scorecardsDemoPlan, type ScorecardsDemoCounts } from './demo-scorecards.ts';

const today = '2026-11-27';
const sellers = [
  { id: '00000000-0000-4000-8000-000000000001', ref: 'HEL-M01', isManager: true },
  { id: '00000000-0000-4000-8000-000000000002', ref: 'HEL-S0001', isManager: false },
  { id: '00000000-0000-4000-8000-000000000003', ref: 'HEL-S0002', isManager: false },
];
const partners = [
  { id: '00000000-0000-4000-8000-0000000000a1', tier: 'platinum' },
  { id: '00000000-0000-4000-8000-0000000000a2', tier: 'silver' },
];
const scenarios = ['maintenance_renewal', 'consulting', 'upgrade', 'migration'];

describe('demo scorecards, the plan', () => {
  it('is the same for the same seed and day, and gives sellers (not managers) six months of deals and activities', () => {
    const a = scorecardsDemoPlan(sellers, partners, scenarios, mulberry32(DEMO_SEED + 5), today);
    expect(scorecardsDemoPlan(sellers, partners, scenarios, mulberry32(DEMO_SEED + 5), today)).toEqual(a);
    expect(new Set(a.opportunities.map((o) => o.sellerParticipantId))).toEqual(new Set([sellers[1]?.id, sellers[2]?.id]));
    expect(new Set(a.opportunities.map((o) => o.externalId)).size).toBe(a.opportunities.length);
    for (const o of a.opportunities) {
      expect(o.engageOn >= '2026-05-01').toBe(true);
      expect(o.closeOn > o.engageOn).toBe(true);
      if (o.stage === 'won' || o.stage === 'lost') expect(o.closeOn < today).toBe(true);
      else expect(o.closeOn >= today).toBe(true);
      if (o.stage === 'lost') expect(o.valueMinor).toBe(0);
      if (o.forecastCategory !== null) expect(['prospecting', 'engaging']).toContain(o.stage);
    }
    const stages = new Set(a.opportunities.map((o) => o.stage));
    expect(stages).toEqual(new Set(['won', 'lost', 'engaging', 'prospecting']));
    expect(a.opportunities.some((o) => o.partnerId !== null && o.stage === 'won' && o.scenario !== 'maintenance_renewal')).toBe(true);
    expect(a.activities.every((r) => r.occurredOn < today && r.occurredOn >= '2026-05-01')).toBe(true);
    expect(new Set(a.activities.map((r) => r.ref)).size).toBe(a.activities.length);
  });

  it('writes the activities as the documented CSV and defines metrics that pass validation', () => {
    const csv = activitiesCsv([
      { ref: 'r1', kind: 'business_review', participantRef: 'HEL-S0001', partnerId: null, occurredOn: '2026-06-01', quantity: 1, note: 'QBR, "Q2"' },
    ]);
    expect(csv).toBe('external_ref,kind,participant_ref,partner_id,occurred_on,quantity,note\nr1,business_review,HEL-S0001,,2026-06-01,1,"QBR, ""Q2"""\n');
    for (const m of demoMetrics) expect(checkMetricDefinition(m)).toMatchObject({ ok: true });
  });
});

describe('demo scorecards, loaded', () => {
  let t: TestApp;
  let counts: ScorecardsDemoCounts;
  beforeAll(async () => {
    t = await createTestApp({ clock: fixedClock('2026-11-27T10:00:00Z') });
    const sys = systemActor('test');
    const base = { email: null, unit: 'Technology Services', territory: null, activeFrom: null, activeTo: null, appUserId: null, team: 'Enterprise North' };
    const m = await createParticipant(t.deps, sys, { ...base, externalRef: 'HEL-M01', displayName: 'Maria', managerId: null });
    for (const [ref, name] of [
      ['HEL-S0001', 'Sam'],
      ['HEL-S0002', 'Ola'],
    ] as const)
      await createParticipant(t.deps, sys, { ...base, externalRef: ref, displayName: name, managerId: m.id });
    const p = await makePartner(t.deps);
    await inTransaction(t.deps, sys, (trx) => trx.updateTable('partner').set({ tier: 'platinum' }).where('partnerId', '=', p.id).execute());
    await makePartner(t.deps);
    counts = await loadScorecards(t.deps, mulberry32(DEMO_SEED + 5));
  });
  afterAll(async () => t?.close());

  it('fills the scorecard pages: deals, activities, scorecards, targets and two published snapshots', async () => {
    expect(counts.opportunities).toBeGreaterThan(15);
    expect(counts.activities).toBeGreaterThan(10);
    expect(counts.derivedActivities).toBeGreaterThan(0);
    expect(counts).toMatchObject({ scorecards: 3, publishedSnapshots: 2 });
    const db = t.deps;
    const rows = await inTransaction(db, systemActor('test'), async (trx) => ({
      opportunities: Number(
        (
          await trx
            .selectFrom('opportunity')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      scorecards: (await trx.selectFrom('scorecard').select('key').orderBy('key').execute()).map((r) => r.key),
      snapshots: await trx.selectFrom('scorecardSnapshot').select(['scorecardKey', 'status', 'periodStart']).orderBy('scorecardKey').execute(),
      targets: await trx.selectFrom('scorecardTarget').select(['metric', 'subjectKind']).orderBy('subjectKind').execute(),
      tierRules: await trx.selectFrom('partnerTierRules').select('key').execute(),
    }));
    expect(rows.opportunities).toBe(counts.opportunities);
    expect(rows.scorecards).toEqual(['helion_partners', 'helion_programme', 'helion_sellers']);
    expect(rows.snapshots).toEqual([
      { scorecardKey: 'helion_partners', status: 'published', periodStart: '2026-07-01' },
      { scorecardKey: 'helion_programme', status: 'published', periodStart: '2026-07-01' },
    ]);
    expect(rows.targets).toEqual([
      { metric: 'partner_deals_outside_renewals', subjectKind: 'partner_tier' },
      { metric: 'won_value', subjectKind: 'seller' },
    ]);
    expect(rows.tierRules).toEqual([{ key: 'default' }]);
    const chain = await verifyAuditChain(t.deps);
    expect(chain, JSON.stringify(chain)).toMatchObject({ ok: true });
  });
});
