import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotPage, type SnapshotPage, type SnapshotView } from '../../../common/api/scorecard-results.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { createTestApp, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { importMavenCrm } from './opportunities.service.ts';
import { getSnapshotPageJson } from './snapshots.service.ts';

/**
 * The cache of published snapshot pages (snapshots.service.ts): compact bytes kept once, readers
 * arriving during the first read waiting for it, and who may see a page decided on every read.
 */

let t: TestApp;
let lead: Session;
let executive: Session;
let seller: Session;

const teams = 'sales_agent,manager,regional_office\nAnn,Mia,Central\nBob,Mia,Central\nCy,Lee,East\n';
const products = 'product,series,sales_price\nGTX Pro,GTX,4821\n';
const pipeline = [
  'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
  'A1,Ann,GTX Pro,Acme,Won,2017-01-02,2017-02-01,1000',
  'A2,Ann,GTX Pro,Acme,Lost,2017-01-02,2017-02-11,0',
  'A3,Bob,GTX Pro,Acme,Won,2017-01-02,2017-02-21,400',
  'A5,Cy,GTX Pro,Acme,Won,2017-03-02,2017-03-09,250',
].join('\n');

const card = {
  key: 'cache_card',
  name: 'Cache card',
  owner: 'Sales operations',
  subjectKind: 'seller',
  periodGrain: 'quarter',
  trendPeriods: 2,
  rows: [
    { metric: 'win_rate', weight: 2, target: 0.6, redFlag: 0.4 },
    { metric: 'won_value', weight: 1, target: 100_000, redFlag: 20_000 },
  ],
  // Executives read every score; the internal seller is in no audience of these snapshots.
  audiences: [{ kind: 'committee', roles: ['finance'] }],
};

async function post(session: Session, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
}
async function get(session: Session, url: string) {
  return t.app.inject({ method: 'GET', url, headers: session.headers });
}
async function snapshot(publish: boolean): Promise<SnapshotView> {
  const r = await post(lead, '/api/scorecards/snapshots', { scorecard: card.key, period: '2017-02-15', publish });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<SnapshotView>();
}

beforeAll(async () => {
  t = await createTestApp();
  const mk = async (roles: Parameters<typeof makeUser>[1]['roles']) => signIn(t.app, (await makeUser(t.deps, { roles })).email);
  lead = await mk(['programme_lead']);
  executive = await mk(['executive']);
  seller = await mk(['internal_seller']);
  await importMavenCrm(t.deps, systemActor('test'), { salesTeams: teams, pipeline, products, accounts: null });
  const r = await post(lead, '/api/scorecards/definitions', card);
  expect(r.statusCode, r.body).toBe(201);
});
afterAll(async () => t?.close());

describe('published snapshot pages', () => {
  it('are answered as compact JSON, the same value as the draft read before publication, the same bytes every time', async () => {
    const draft = await snapshot(false);
    const before = await get(lead, `/api/scorecards/snapshots/${draft.id}?limit=2`);
    expect(before.statusCode, before.body).toBe(200);
    expect((await post(lead, `/api/scorecards/snapshots/${draft.id}/publish`, {})).statusCode).toBe(200);

    const first = await get(executive, `/api/scorecards/snapshots/${draft.id}?limit=2`);
    expect(first.statusCode, first.body).toBe(200);
    const page = snapshotPage.parse(first.json());
    expect(page.subjects).toHaveLength(2);
    // No byte to spare: what is sent is what JSON.stringify makes of its value.
    expect(first.body).toBe(JSON.stringify(JSON.parse(first.body)));
    const { status: _s, publishedAt: _a, publishedBy: _b, ...published } = first.json<SnapshotPage>();
    const { status: _t, publishedAt: _c, publishedBy: _d, ...unpublished } = before.json<SnapshotPage>();
    expect(published).toEqual(unpublished);
    expect((await get(lead, `/api/scorecards/snapshots/${draft.id}?limit=2`)).body).toBe(first.body);
  });

  it('are shown only to their audience, readers arriving while the first one reads included', async () => {
    for (const order of [
      [seller, executive, seller],
      [executive, seller, executive],
    ]) {
      // A snapshot of its own each time: nobody has read it, the page is not kept yet.
      const s = await snapshot(true);
      const answers = await Promise.all(order.map((who) => get(who, `/api/scorecards/snapshots/${s.id}`)));
      expect(answers.map((a) => a.statusCode)).toEqual(order.map((who) => (who === seller ? 404 : 200)));
      expect(new Set(answers.filter((a) => a.statusCode === 200).map((a) => a.body)).size).toBe(1);
      // And once kept.
      expect((await get(seller, `/api/scorecards/snapshots/${s.id}`)).statusCode).toBe(404);
      expect((await get(executive, `/api/scorecards/snapshots/${s.id}`)).statusCode).toBe(200);
    }
  });

  it('are shown only to their audience when read at the very same time, the first read shared', async () => {
    const actorOf = async (roles: UserActor['roles']): Promise<UserActor> => {
      const u = await makeUser(t.deps, { roles: [...roles] });
      return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
    };
    const [exec, outsider] = [await actorOf(['executive']), await actorOf(['internal_seller'])];
    const q = { limit: 50, offset: 0 };
    for (const order of [
      [outsider, exec, outsider, exec],
      [exec, outsider, exec, outsider],
    ]) {
      const s = await snapshot(true);
      // Started in one go: all but the first find the first one's read in progress.
      const answers = await Promise.allSettled(order.map((who) => getSnapshotPageJson(t.deps, who, s.id, q)));
      expect(answers.map((a) => a.status)).toEqual(order.map((who) => (who === outsider ? 'rejected' : 'fulfilled')));
      for (const a of answers) {
        if (a.status === 'rejected') expect(a.reason).toMatchObject({ code: 'not_found' });
        else expect(snapshotPage.parse(JSON.parse(a.value.toString('utf8'))).id).toBe(s.id);
      }
    }
  });

  it('are refused at once to a session that signed out', async () => {
    const s = await snapshot(true);
    const me = await signIn(t.app, (await makeUser(t.deps, { roles: ['executive'] })).email);
    expect((await get(me, `/api/scorecards/snapshots/${s.id}`)).statusCode).toBe(200);
    expect((await post(me, '/api/auth/logout', {})).statusCode).toBe(204);
    expect((await get(me, `/api/scorecards/snapshots/${s.id}`)).statusCode).toBe(401);
  });
});
