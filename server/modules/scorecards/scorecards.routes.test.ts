import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityImportReport, ActivityView, MetricDefinitionView, MetricValuesView } from '../../../common/api/scorecards.ts';
import { systemActor } from '../../actor.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { createParticipant } from '../comp-plans/comp-plans.service.ts';
import { importMavenCrm } from './opportunities.service.ts';

let t: TestApp;
let admin: Session;
let lead: Session;
let channel: Session;
let seller: Session;
let partnerUser: Session;
let sellerParticipantId: string;
let otherParticipantId: string;
let partnerId: string;

const teams = 'sales_agent,manager,regional_office\nAnn,Mia,Central\nBob,Mia,Central\nCy,Lee,East\n';
const products = 'product,series,sales_price\nGTX Pro,GTX,4821\n';
const pipeline = [
  'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
  'A1,Ann,GTXPro,Acme,Won,2017-01-02,2017-02-01,1000',
  'A2,Ann,GTX Pro,Acme,Lost,2017-01-02,2017-02-11,0',
  'A3,Bob,GTX Pro,Acme,Lost,2017-01-02,2017-05-01,0',
  'A4,Cy,GTX Pro,,Engaging,2017-01-02,,',
  'A5,Cy,GTX Pro,Acme,Won,2017-03-02,2017-04-01,250',
].join('\n');

const lostDeals = {
  key: 'lost_deals',
  name: 'Lost deals',
  owner: 'Sales operations',
  unit: 'count',
  direction: 'lower_is_better',
  source: 'opportunities',
  measure: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'lost' }] },
  periodField: 'close_on',
  periodGrain: 'quarter',
  subjectKinds: ['seller', 'unit', 'programme'],
};

beforeAll(async () => {
  t = await createTestApp();
  const mk = async (roles: Parameters<typeof makeUser>[1]['roles'], partner: string | null = null) => {
    const u = await makeUser(t.deps, { roles, partnerId: partner });
    return { id: u.id, session: await signIn(t.app, u.email) };
  };
  admin = (await mk(['admin'])).session;
  lead = (await mk(['programme_lead'])).session;
  channel = (await mk(['channel_manager'])).session;
  const s = await mk(['internal_seller']);
  seller = s.session;
  partnerId = (await makePartner(t.deps)).id;
  partnerUser = (await mk(['partner_admin'], partnerId)).session;
  await importMavenCrm(t.deps, systemActor('test'), { salesTeams: teams, pipeline, products, accounts: null });
  const sys = systemActor('test');
  const base = { email: null, managerId: null, team: 'Field', unit: 'North', territory: null, activeFrom: null, activeTo: null };
  sellerParticipantId = (await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:1001', displayName: 'Sam Seller', appUserId: s.id })).id;
  otherParticipantId = (await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:1002', displayName: 'Olga Other', appUserId: null })).id;
});
afterAll(async () => t?.close());

describe('metric definitions', () => {
  it('lists the built-in library with its definitions', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/scorecards/metrics', headers: channel.headers });
    expect(r.statusCode, r.body).toBe(200);
    const keys = r.json<{ items: MetricDefinitionView[] }>().items.map((m) => m.key);
    expect(keys).toEqual(expect.arrayContaining(['win_rate', 'sales_cycle_days', 'won_value', 'opportunities_count', 'pipeline_value']));
  });

  it('validates a definition in full before saving it, with the path of each problem', async () => {
    const bad = {
      ...lostDeals,
      key: 'broken',
      unit: 'money',
      measure: {
        kind: 'ratio',
        numerator: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'open' }] },
        denominator: { kind: 'count', filters: [] },
      },
      periodField: 'product',
    };
    const r = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: admin.headers, payload: bad });
    expect(r.statusCode, r.body).toBe(400);
    const paths = r.json<{ issues: { path: string }[] }>().issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.measure.numerator.filters[0].value', 'body.periodField', 'body.unit']));
    const unknownProp = await t.app.inject({
      method: 'POST',
      url: '/api/scorecards/metrics',
      headers: admin.headers,
      payload: { ...lostDeals, sql: 'drop table x' },
    });
    expect(unknownProp.statusCode).toBe(400);
    const builtin = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: admin.headers, payload: { ...lostDeals, key: 'win_rate' } });
    expect(builtin.statusCode).toBe(409);
  });

  it('lets the programme lead define, change and remove a metric; channel managers read only; partners see nothing', async () => {
    const denied = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: channel.headers, payload: lostDeals });
    expect(denied.statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: lead.headers, payload: lostDeals });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<MetricDefinitionView>()).toMatchObject({ key: 'lost_deals', builtin: false });
    const again = await t.app.inject({ method: 'POST', url: '/api/scorecards/metrics', headers: lead.headers, payload: lostDeals });
    expect(again.statusCode).toBe(409);
    const changed = await t.app.inject({
      method: 'PUT',
      url: '/api/scorecards/metrics/lost_deals',
      headers: lead.headers,
      payload: { ...lostDeals, name: 'Deals lost' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<MetricDefinitionView>().definition.name).toBe('Deals lost');
    const renamed = await t.app.inject({
      method: 'PUT',
      url: '/api/scorecards/metrics/lost_deals',
      headers: lead.headers,
      payload: { ...lostDeals, key: 'other' },
    });
    expect(renamed.statusCode).toBe(400);
    for (const url of [
      '/api/scorecards/metrics',
      '/api/scorecards/metrics/lost_deals',
      '/api/scorecards/metric-catalogue',
      '/api/scorecards/activities',
      '/api/scorecards/activity-types',
    ]) {
      const r = await t.app.inject({ method: 'GET', url, headers: partnerUser.headers });
      expect(r.statusCode, url).toBe(404);
    }
    const sellerRead = await t.app.inject({ method: 'GET', url: '/api/scorecards/metrics', headers: seller.headers });
    expect(sellerRead.statusCode).toBe(403);
  });

  it('computes a metric for every subject of a kind in one call, built-in or defined', async () => {
    const url = (key: string, q: string) => `/api/scorecards/metrics/${key}/values?${q}`;
    const lost = await t.app.inject({
      method: 'GET',
      url: url('lost_deals', 'subjectKind=unit&from=2017-01-01&to=2018-01-01&grain=year'),
      headers: channel.headers,
    });
    expect(lost.statusCode, lost.body).toBe(200);
    expect(lost.json<MetricValuesView>().items.map((i) => [i.subjectLabel, i.period, i.value])).toEqual([['Central', '2017-01-01', 2]]);

    const win = await t.app.inject({ method: 'GET', url: url('win_rate', 'subjectKind=seller&from=2017-01-01&to=2017-07-01'), headers: channel.headers });
    expect(win.statusCode, win.body).toBe(200);
    expect(win.json<MetricValuesView>().items.map((i) => [i.subjectLabel, i.period, i.value, i.numerator, i.denominator])).toEqual([
      ['Ann', '2017-01-01', 0.5, 1, 2],
      ['Bob', '2017-04-01', 0, 0, 1],
      ['Cy', '2017-04-01', 1, 1, 1],
    ]);
    const won = await t.app.inject({
      method: 'GET',
      url: url('won_value', 'subjectKind=manager&from=2017-01-01&to=2018-01-01&grain=year'),
      headers: channel.headers,
    });
    expect(won.json<MetricValuesView>().items.map((i) => [i.subjectLabel, i.value])).toEqual([
      ['Lee', 25_000],
      ['Mia', 100_000],
    ]);
    const other = await t.app.inject({
      method: 'GET',
      url: url('won_value', 'subjectKind=programme&from=2017-01-01&to=2018-01-01&currency=EUR'),
      headers: channel.headers,
    });
    expect(other.json<MetricValuesView>().items).toEqual([]);

    const badKind = await t.app.inject({
      method: 'GET',
      url: url('lost_deals', 'subjectKind=partner&from=2017-01-01&to=2018-01-01'),
      headers: channel.headers,
    });
    expect(badKind.statusCode).toBe(400);
    const backwards = await t.app.inject({ method: 'GET', url: url('win_rate', 'subjectKind=seller&from=2018-01-01&to=2017-01-01'), headers: channel.headers });
    expect(backwards.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: 'GET',
      url: url('no_such_metric', 'subjectKind=seller&from=2017-01-01&to=2018-01-01'),
      headers: channel.headers,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('removes a stored metric, never a built-in one', async () => {
    const b = await t.app.inject({ method: 'DELETE', url: '/api/scorecards/metrics/win_rate', headers: admin.headers });
    expect(b.statusCode).toBe(409);
    const d = await t.app.inject({ method: 'DELETE', url: '/api/scorecards/metrics/lost_deals', headers: admin.headers });
    expect(d.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: '/api/scorecards/metrics/lost_deals', headers: admin.headers });
    expect(gone.statusCode).toBe(404);
  });
});

describe('activities', () => {
  it('lets a seller log their own activity, and only their own', async () => {
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/scorecards/activities',
      headers: seller.headers,
      payload: { kind: 'joint_partner_call', partnerId, occurredOn: '2026-02-03', note: 'Joint call with the partner' },
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json<ActivityView>()).toMatchObject({ participantId: sellerParticipantId, participantName: 'Sam Seller', source: 'manual', quantity: 1 });
    const forOther = await t.app.inject({
      method: 'POST',
      url: '/api/scorecards/activities',
      headers: seller.headers,
      payload: { kind: 'joint_partner_call', participantId: otherParticipantId, occurredOn: '2026-02-03' },
    });
    expect(forOther.statusCode).toBe(403);
    const badKind = await t.app.inject({
      method: 'POST',
      url: '/api/scorecards/activities',
      headers: seller.headers,
      payload: { kind: 'golf', occurredOn: '2026-02-03' },
    });
    expect(badKind.statusCode).toBe(400);
    const partner = await t.app.inject({
      method: 'POST',
      url: '/api/scorecards/activities',
      headers: partnerUser.headers,
      payload: { kind: 'joint_partner_call', occurredOn: '2026-02-03' },
    });
    expect(partner.statusCode).toBe(404);
  });

  it('lets a channel manager log for anyone; the same externalRef again changes nothing', async () => {
    const body = { kind: 'business_review', participantId: otherParticipantId, partnerId, occurredOn: '2026-02-10', quantity: 2, externalRef: 'crm-42' };
    const first = await t.app.inject({ method: 'POST', url: '/api/scorecards/activities', headers: channel.headers, payload: body });
    expect(first.statusCode, first.body).toBe(201);
    const second = await t.app.inject({ method: 'POST', url: '/api/scorecards/activities', headers: channel.headers, payload: body });
    expect(second.statusCode).toBe(200);
    expect(second.json<ActivityView>().id).toBe(first.json<ActivityView>().id);
  });

  it('shows sellers their own activities and the channel everyone’s', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/scorecards/activities', headers: seller.headers });
    expect(mine.json<{ items: ActivityView[] }>().items.map((a) => a.participantId)).toEqual([sellerParticipantId]);
    const all = await t.app.inject({ method: 'GET', url: '/api/scorecards/activities?from=2026-01-01&to=2027-01-01', headers: channel.headers });
    expect(all.json<{ total: number }>().total).toBe(2);
  });

  it('imports a CSV with a report of every rejected row, and a second import adds nothing', async () => {
    const csv = [
      'external_ref,kind,participant_ref,partner_id,occurred_on,quantity,note',
      `c1,joint_partner_call,hr:1001,${partnerId},2026-03-01,3,Three calls`,
      ',enablement_session,hr:1002,,2026-03-02,,Workshop',
      'c3,golf,hr:1001,,2026-03-03,1,', // unknown kind
      'c4,joint_partner_call,hr:9999,,2026-03-03,1,', // unknown participant
      'c5,joint_partner_call,hr:1001,,03/03/2026,0,', // bad date and quantity
      `c1,joint_partner_call,hr:1001,${partnerId},2026-03-01,3,Three calls`, // repeats line 2
      '=cmd,joint_partner_call,hr:1002,,2026-03-04,1,"=HYPERLINK(""x"")"',
    ].join('\n');
    const r = await t.app.inject({ method: 'POST', url: '/api/scorecards/activities/import', headers: lead.headers, payload: { csv } });
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json<ActivityImportReport>();
    expect(report).toMatchObject({ rows: 7, inserted: 3, unchanged: 0, rejected: 4 });
    expect(report.issues.map((i) => `${i.line}:${i.column}`)).toEqual(['4:kind', '5:participant_ref', '6:occurred_on', '6:quantity', '7:external_ref']);
    const again = await t.app.inject({ method: 'POST', url: '/api/scorecards/activities/import', headers: lead.headers, payload: { csv } });
    expect(again.json<ActivityImportReport>()).toMatchObject({ rows: 7, inserted: 0, unchanged: 3, rejected: 4 });
    const sellerImport = await t.app.inject({ method: 'POST', url: '/api/scorecards/activities/import', headers: seller.headers, payload: { csv } });
    expect(sellerImport.statusCode).toBe(403);
    const header = await t.app.inject({ method: 'POST', url: '/api/scorecards/activities/import', headers: lead.headers, payload: { csv: 'who,what\nx,y' } });
    expect(header.statusCode).toBe(400);
  });

  it('feeds the activity metrics (joint partner calls per seller and per partner)', async () => {
    const calls = await t.app.inject({
      method: 'GET',
      url: '/api/scorecards/metrics/joint_partner_calls/values?subjectKind=seller&from=2026-01-01&to=2027-01-01&grain=year',
      headers: lead.headers,
    });
    expect(calls.statusCode, calls.body).toBe(200);
    expect(calls.json<MetricValuesView>().items.map((i) => [i.subjectLabel, i.value])).toEqual([
      ['Olga Other', 1],
      ['Sam Seller', 4],
    ]);
    const byPartner = await t.app.inject({
      method: 'GET',
      url: '/api/scorecards/metrics/activities_logged/values?subjectKind=partner&from=2026-01-01&to=2027-01-01&grain=year',
      headers: lead.headers,
    });
    expect(byPartner.json<MetricValuesView>().items.map((i) => [i.subjectId, i.value])).toEqual([[partnerId, 6]]);
  });
});
