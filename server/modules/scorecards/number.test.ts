import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MakingTheNumberView, MyOpenOpportunityList } from '../../../common/api/scorecard-number.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { createParticipant, upsertQuotas } from '../comp-plans/comp-plans.service.ts';
import { proratedQuota } from './number.rules.ts';

let t: TestApp;
let channel: Session;
let seller: Session;
let otherSeller: Session;
let partnerUser: Session;
let openDeal = '';
let othersDeal = '';

describe('prorating quotas', () => {
  it('counts the share of a quota period inside the period, rounded once per row', () => {
    const q = proratedQuota(
      [
        { subjectId: 'a', amountMinor: 120_000, periodStart: '2026-01-01', periodEnd: '2027-01-01' },
        { subjectId: 'a', amountMinor: 1_000, periodStart: '2026-04-01', periodEnd: '2026-07-01' },
        { subjectId: 'b', amountMinor: 500, periodStart: '2025-01-01', periodEnd: '2025-04-01' },
      ],
      '2026-04-01',
      '2026-07-01',
      'USD',
    );
    // 91 of 365 days of 120,000 = 29,917.8 -> 29,918; plus the quarter's own 1,000.
    expect(Object.fromEntries(q)).toEqual({ a: 29_918 + 1_000 });
  });
});

describe('making the number', () => {
  beforeAll(async () => {
    t = await createTestApp();
    const sys = systemActor('test');
    const mk = async (roles: Parameters<typeof makeUser>[1]['roles'], partnerId: string | null = null) => {
      const u = await makeUser(t.deps, { roles, partnerId });
      return { id: u.id, session: await signIn(t.app, u.email) };
    };
    channel = (await mk(['channel_manager'])).session;
    const s = await mk(['internal_seller']);
    seller = s.session;
    const o = await mk(['internal_seller']);
    otherSeller = o.session;
    const partner = await makePartner(t.deps);
    partnerUser = (await mk(['partner_admin'], partner.id)).session;
    const base = { email: null, managerId: null, unit: 'North', territory: null, activeFrom: null, activeTo: null };
    const sam = await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:sam', displayName: 'Sam', appUserId: s.id, team: 'Field' });
    const oli = await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:oli', displayName: 'Oli', appUserId: o.id, team: 'Field' });
    await upsertQuotas(t.deps, sys, {
      rows: [
        { participantId: sam.id, periodStart: '2026-04-01', periodEnd: '2026-07-01', amountMinor: 100_000, currency: 'USD' },
        { participantId: oli.id, periodStart: '2026-04-01', periodEnd: '2026-07-01', amountMinor: 50_000, currency: 'USD' },
      ],
    });
    const deal = (seller: string, stage: 'won' | 'engaging' | 'lost', value: number, extra: { partnerId?: string; forecastCategory?: string } = {}) => {
      const id = newId();
      return {
        opportunityId: id,
        source: 'test',
        externalId: id,
        sellerParticipantId: seller,
        stage,
        engageOn: '2026-04-02',
        closeOn: '2026-05-20',
        valueMinor: value,
        currency: 'USD',
        partnerId: extra.partnerId ?? null,
        forecastCategory: extra.forecastCategory ?? null,
      };
    };
    const rows = [
      deal(sam.id, 'won', 30_000),
      deal(sam.id, 'engaging', 20_000, { forecastCategory: 'commit' }),
      deal(sam.id, 'engaging', 15_000, { partnerId: partner.id, forecastCategory: 'best_case' }),
      deal(sam.id, 'engaging', 40_000, { partnerId: partner.id }),
      deal(sam.id, 'engaging', 9_000, { forecastCategory: 'omitted' }),
      deal(sam.id, 'lost', 0),
      deal(oli.id, 'engaging', 10_000),
    ];
    openDeal = rows[3]!.opportunityId;
    othersDeal = rows[6]!.opportunityId;
    await inTransaction(t.deps, sys, (trx) => trx.insertInto('opportunity').values(rows).execute());
  });
  afterAll(async () => t?.close());

  it('sets quota against bookings and open pipeline by source and forecast category, with coverage and gap', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/scorecards/making-the-number?period=2026-05-01', headers: channel.headers });
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json<MakingTheNumberView>();
    expect(v).toMatchObject({ periodStart: '2026-04-01', periodEnd: '2026-07-01', level: 'seller', ownOnly: false });
    const sam = v.rows.find((x) => x.label === 'Sam')!;
    expect(sam).toMatchObject({
      quotaMinor: 100_000,
      bookedMinor: 30_000,
      attainment: 0.3,
      direct: { commit: 20_000, bestCase: 0, pipeline: 0 },
      partner: { commit: 0, bestCase: 15_000, pipeline: 40_000 },
      openMinor: 75_000,
      gapMinor: 70_000,
      gapAfterCommit: 50_000,
    });
    expect(sam.coverage).toBeCloseTo(75 / 70, 9);
    expect(sam.partnerCoverage).toBeCloseTo(55 / 70, 9);
    // Largest gap first; the programme total adds everyone up.
    expect(v.rows.map((x) => x.label)).toEqual(['Sam', 'Oli']);
    expect(v.total).toMatchObject({ quotaMinor: 150_000, bookedMinor: 30_000, openMinor: 85_000, gapMinor: 120_000 });
    const team = (
      await t.app.inject({ method: 'GET', url: '/api/scorecards/making-the-number?period=2026-05-01&level=team', headers: channel.headers })
    ).json<MakingTheNumberView>();
    expect(team.rows).toHaveLength(1);
    expect(team.rows[0]).toMatchObject({ subjectId: 'Field', quotaMinor: 150_000, gapMinor: 120_000 });
    const byPartner = (
      await t.app.inject({ method: 'GET', url: '/api/scorecards/making-the-number?period=2026-05-01&level=partner', headers: channel.headers })
    ).json<MakingTheNumberView>();
    expect(byPartner.rows[0]).toMatchObject({ quotaMinor: null, partner: { bestCase: 15_000, pipeline: 40_000 }, gapMinor: null });
  });

  it('shows a seller their own figures only, and partners nothing', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/scorecards/making-the-number?period=2026-05-01&level=unit', headers: otherSeller.headers });
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json<MakingTheNumberView>();
    expect(v.ownOnly).toBe(true);
    expect(v.rows.map((x) => x.label)).toEqual(['Oli']);
    expect((await t.app.inject({ method: 'GET', url: '/api/scorecards/making-the-number', headers: partnerUser.headers })).statusCode).toBe(404);
  });

  it('lets the owner set the forecast category of an open deal, and nobody else but the channel', async () => {
    const set = (s: Session, id: string, forecastCategory: string) =>
      t.app.inject({ method: 'PATCH', url: `/api/scorecards/opportunities/${id}/forecast-category`, headers: s.headers, payload: { forecastCategory } });
    expect((await set(seller, openDeal, 'commit')).statusCode).toBe(200);
    expect((await set(seller, othersDeal, 'commit')).statusCode).toBe(404);
    expect((await set(partnerUser, openDeal, 'commit')).statusCode).toBe(404);
    expect((await set(seller, openDeal, 'closed')).statusCode).toBe(400);
    expect((await set(channel, othersDeal, 'best_case')).statusCode).toBe(200);
    const v = (
      await t.app.inject({ method: 'GET', url: '/api/scorecards/making-the-number?period=2026-05-01', headers: channel.headers })
    ).json<MakingTheNumberView>();
    const sam = v.rows.find((x) => x.label === 'Sam')!;
    expect(sam.partner).toEqual({ commit: 40_000, bestCase: 15_000, pipeline: 0 });
    expect(sam.gapAfterCommit).toBe(10_000);
  });

  it('lists a seller’s own open deals closing in the period, largest first, for them to set a category', async () => {
    const mine = (s: Session, period: string) =>
      t.app.inject({ method: 'GET', url: `/api/scorecards/my-open-opportunities?period=${period}`, headers: s.headers });
    const r = await mine(seller, '2026-05-01');
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json<MyOpenOpportunityList>();
    expect(v.periodStart).toBe('2026-04-01');
    expect(v.items.map((o) => [o.valueMinor, o.forecastCategory, o.partnerName !== null])).toEqual([
      [40_000, 'commit', true],
      [20_000, 'commit', false],
      [15_000, 'best_case', true],
      [9_000, 'omitted', false],
    ]);
    expect((await mine(seller, '2026-08-01')).json<MyOpenOpportunityList>().items).toEqual([]);
    expect((await mine(otherSeller, '2026-05-01')).json<MyOpenOpportunityList>().items.map((o) => o.id)).toEqual([othersDeal]);
    expect((await mine(channel, '2026-05-01')).json<MyOpenOpportunityList>().items).toEqual([]);
    expect((await mine(partnerUser, '2026-05-01')).statusCode).toBe(404);
  });
});
