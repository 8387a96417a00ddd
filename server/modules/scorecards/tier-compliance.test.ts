import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyTierCompliance, TierComplianceList, TierRulesView } from '../../../common/api/scorecard-tiers.ts';
import { defaultTierRulesInput } from '../../../common/scorecards/tier-rules.ts';
import { systemActor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { createParticipant } from '../comp-plans/comp-plans.service.ts';
import { createPartner } from '../partners/partners.service.ts';

let t: TestApp;
let channel: Session;
let lead: Session;
let seller: Session;
let partnerA: { id: string; userId: string; session: Session };
let partnerBId: string;
const asOf = '2026-06-30';

async function auditCount(action: string): Promise<number> {
  const rows = await inTransaction(t.deps, systemActor('test'), (trx) => trx.selectFrom('auditEntry').select('seq').where('action', '=', action).execute());
  return rows.length;
}

beforeAll(async () => {
  t = await createTestApp();
  const sys = systemActor('test');
  const mk = async (roles: Parameters<typeof makeUser>[1]['roles'], partnerId: string | null = null) => {
    const u = await makeUser(t.deps, { roles, partnerId });
    return { id: u.id, session: await signIn(t.app, u.email) };
  };
  channel = (await mk(['channel_manager'])).session;
  lead = (await mk(['programme_lead'])).session;
  seller = (await mk(['internal_seller'])).session;
  const a = await makePartner(t.deps, 'Alpha Partner'); // silver
  const b = await createPartner(t.deps, sys, { name: 'Beta Partner', legalName: null, tier: 'gold', status: 'active', website: null, country: 'FR' });
  partnerBId = b.id;
  const au = await mk(['partner_admin'], a.id);
  partnerA = { id: a.id, userId: au.id, session: au.session };
  await mk(['partner_admin'], b.id);
  const sam = await createParticipant(t.deps, sys, {
    email: null,
    managerId: null,
    unit: 'North',
    territory: null,
    activeFrom: null,
    activeTo: null,
    externalRef: 'hr:tiers',
    displayName: 'Sam',
    appUserId: null,
    team: 'Field',
  });
  const deal = (partnerId: string, stage: 'won' | 'lost', value: number, closeOn: string) => {
    const id = newId();
    return {
      opportunityId: id,
      source: 'test',
      externalId: id,
      sellerParticipantId: sam.id,
      stage,
      engageOn: '2025-01-02',
      closeOn,
      valueMinor: value,
      currency: 'USD',
      partnerId,
    };
  };
  const rows = [
    // Alpha: 300,000.00 won inside the 12 months to 2026-06-30, one more outside it; 1 won of 2 decided.
    deal(a.id, 'won', 30_000_000, '2026-03-15'),
    deal(a.id, 'lost', 0, '2026-04-15'),
    deal(a.id, 'won', 99_000_000, '2025-06-30'),
    // Beta: 2,000,000.00 won, 2 of 2.
    deal(b.id, 'won', 150_000_000, '2025-07-01'),
    deal(b.id, 'won', 50_000_000, '2026-06-30'),
  ];
  await inTransaction(t.deps, sys, (trx) => trx.insertInto('opportunity').values(rows).execute());
});
afterAll(async () => t?.close());

describe('tier rules', () => {
  it('serves the built-in default until rules are saved; refuses invalid rules with paths; saves with one audit entry', async () => {
    const r0 = await t.app.inject({ method: 'GET', url: '/api/scorecards/tier-rules', headers: channel.headers });
    expect(r0.statusCode, r0.body).toBe(200);
    expect(r0.json<TierRulesView>()).toMatchObject({
      stored: false,
      rules: { tiers: [{ key: 'registered' }, { key: 'silver' }, { key: 'gold' }, { key: 'platinum' }] },
    });

    const bad = structuredClone(defaultTierRulesInput);
    bad.tiers[1]!.requirements![1] = { kind: 'metric', key: 'cycle', label: 'Cycle', metric: 'sales_cycle_days', threshold: 30 };
    const r1 = await t.app.inject({ method: 'PUT', url: '/api/scorecards/tier-rules', headers: lead.headers, payload: bad });
    expect(r1.statusCode, r1.body).toBe(400);
    expect(r1.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['body.tiers[1].requirements[1].metric']);

    const before = await auditCount('partner_tier_rules.save');
    const r2 = await t.app.inject({ method: 'PUT', url: '/api/scorecards/tier-rules', headers: channel.headers, payload: defaultTierRulesInput });
    expect(r2.statusCode, r2.body).toBe(200);
    expect(r2.json<TierRulesView>().stored).toBe(true);
    expect(await auditCount('partner_tier_rules.save')).toBe(before + 1);

    const r3 = await t.app.inject({ method: 'PUT', url: '/api/scorecards/tier-rules', headers: seller.headers, payload: defaultTierRulesInput });
    expect(r3.statusCode).toBe(403);
    const r4 = await t.app.inject({ method: 'PUT', url: '/api/scorecards/tier-rules', headers: partnerA.session.headers, payload: defaultTierRulesInput });
    expect(r4.statusCode).toBe(404);
  });
});

describe('partner attributes', () => {
  it('channel managers record declared attributes (one audit entry); undeclared keys and partner users are refused', async () => {
    const before = await auditCount('partner_attribute.record');
    const url = (id: string) => `/api/scorecards/tier-compliance/partners/${id}/attributes`;
    const ok = await t.app.inject({
      method: 'PUT',
      url: url(partnerA.id),
      headers: channel.headers,
      payload: {
        values: [
          { key: 'certified_people', value: 3 },
          { key: 'certifications', value: 4 },
          { key: 'customer_satisfaction', value: 0.85 },
        ],
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await auditCount('partner_attribute.record')).toBe(before + 1);
    const b = await t.app.inject({
      method: 'PUT',
      url: url(partnerBId),
      headers: channel.headers,
      payload: {
        values: [
          { key: 'certified_people', value: 12 },
          { key: 'customer_satisfaction', value: 0.95 },
        ],
      },
    });
    expect(b.statusCode, b.body).toBe(200);

    const bad = await t.app.inject({
      method: 'PUT',
      url: url(partnerA.id),
      headers: channel.headers,
      payload: {
        values: [
          { key: 'nope', value: 1 },
          { key: 'certified_people', value: 1.5 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['body.values[0].key', 'body.values[1].value']);
    const partner = await t.app.inject({
      method: 'PUT',
      url: url(partnerA.id),
      headers: partnerA.session.headers,
      payload: { values: [{ key: 'certified_people', value: 99 }] },
    });
    expect(partner.statusCode).toBe(404);
    const missing = await t.app.inject({
      method: 'PUT',
      url: url(newId()),
      headers: channel.headers,
      payload: { values: [{ key: 'certified_people', value: 1 }] },
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('compliance', () => {
  it('lists every partner with its tier, the next tier, actual vs required and the at-risk flag', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/scorecards/tier-compliance?asOf=${asOf}`, headers: channel.headers });
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json<TierComplianceList>();
    const alpha = v.items.find((i) => i.partnerId === partnerA.id)!;
    expect(alpha).toMatchObject({
      tier: 'silver',
      currentTier: { key: 'silver', met: 2, total: 3 },
      nextTier: { key: 'gold', met: 2, total: 4 },
      atRisk: true,
    });
    const req = (tier: typeof alpha.currentTier, key: string) => tier!.requirements.find((x) => x.key === key)!;
    // The deal closed on 2025-06-30 lies outside the 12 months to 2026-06-30.
    expect(req(alpha.currentTier, 'won_value')).toMatchObject({ actual: 30_000_000, threshold: 25_000_000, met: true, unit: 'money', currency: 'USD' });
    expect(req(alpha.currentTier, 'joint_calls')).toMatchObject({ actual: 0, met: false, progress: 0, shortfall: 4 });
    expect(req(alpha.nextTier, 'win_rate')).toMatchObject({ actual: 0.5, threshold: 0.5, met: true });
    expect(req(alpha.nextTier, 'certified_people')).toMatchObject({ actual: 3, threshold: 5, met: false, progress: 0.6, shortfall: 2 });
    expect(alpha.qualifiesFor).toBe('registered');

    const beta = v.items.find((i) => i.partnerId === partnerBId)!;
    expect(beta).toMatchObject({ tier: 'gold', currentTier: { key: 'gold', met: 4, total: 4 }, nextTier: { key: 'platinum' }, atRisk: false });
    expect(req(beta.currentTier, 'won_value').actual).toBe(200_000_000);

    const silver = await t.app.inject({ method: 'GET', url: `/api/scorecards/tier-compliance?asOf=${asOf}&tier=Silver`, headers: channel.headers });
    expect(silver.json<TierComplianceList>().items.every((i) => i.tier === 'silver')).toBe(true);
    const risky = await t.app.inject({ method: 'GET', url: `/api/scorecards/tier-compliance?asOf=${asOf}&atRisk=true`, headers: channel.headers });
    const ids = risky.json<TierComplianceList>().items.map((i) => i.partnerId);
    expect(ids).toContain(partnerA.id);
    expect(ids).not.toContain(partnerBId);
  });

  it('a partner user sees its own compliance only; the list is 404 to partners and 403 to other internal users', async () => {
    const me = await t.app.inject({ method: 'GET', url: `/api/scorecards/tier-compliance/me?asOf=${asOf}`, headers: partnerA.session.headers });
    expect(me.statusCode, me.body).toBe(200);
    const v = me.json<MyTierCompliance>();
    expect(v.compliance).toMatchObject({ partnerId: partnerA.id, tier: 'silver', atRisk: true });
    expect(v.compliance.currentTier!.requirements.find((x) => x.key === 'won_value')!.actual).toBe(30_000_000);
    // Nothing of Beta in the answer: neither its id, its name nor its figures.
    expect(me.body).not.toContain(partnerBId);
    expect(me.body).not.toContain('Beta');
    expect(me.body).not.toContain('200000000');

    expect((await t.app.inject({ method: 'GET', url: '/api/scorecards/tier-compliance', headers: partnerA.session.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/scorecards/tier-rules', headers: partnerA.session.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/scorecards/tier-compliance', headers: seller.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/scorecards/tier-compliance/me', headers: channel.headers })).statusCode).toBe(404);
  });

  it('row-level security: the partner scope reads its own recorded figures only and writes none', async () => {
    const scope = { kind: 'partner' as const, userId: partnerA.userId, partnerId: partnerA.id };
    const seen = await inScope(t.deps.db, scope, (trx) => trx.selectFrom('partnerAttribute').select(['partnerId']).execute());
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.partnerId))).toEqual(new Set([partnerA.id]));
    await expect(
      inScope(t.deps.db, scope, (trx) =>
        trx
          .insertInto('partnerAttribute')
          .values({ partnerId: partnerA.id, key: 'hacked', value: 1, note: null, recordedOn: asOf, updatedBy: 'x', updatedByUserId: null })
          .execute(),
      ),
    ).rejects.toThrow();
    const rules = await inScope(t.deps.db, scope, (trx) => trx.selectFrom('partnerTierRules').select('key').execute());
    expect(rules.map((r) => r.key)).toEqual(['default']);
  });
});
