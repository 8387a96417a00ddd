import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  snapshotPage,
  type ScorecardComputationView,
  type ScorecardResult,
  type ScorecardView,
  type SnapshotDetail,
  type SnapshotPage,
  type SnapshotView,
} from '../../../common/api/scorecard-results.ts';
import { scoreStatuses } from '../../../common/scorecards/scoring.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { startWorker } from '../../jobs/worker.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { createParticipant } from '../comp-plans/comp-plans.service.ts';
import { importMavenCrm } from './opportunities.service.ts';
import { snapshotRows } from './snapshots.repository.ts';
import { COMPUTE_JOB, getSnapshot, inlineComputeMaxSubjects, notifySnapshotAudience, publishDueSnapshots } from './snapshots.service.ts';

let t: TestApp;
let lead: Session;
let executive: Session;
let seller: Session;
let sellerUserId: string;
const partners: { id: string; name: string; session: Session; userId: string }[] = [];
let outsider: Session;

const teams = 'sales_agent,manager,regional_office\nAnn,Mia,Central\nBob,Mia,Central\nCy,Lee,East\n';
const products = 'product,series,sales_price\nGTX Pro,GTX,4821\n';
const pipeline = [
  'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
  'A1,Ann,GTX Pro,Acme,Won,2017-01-02,2017-02-01,1000',
  'A2,Ann,GTX Pro,Acme,Lost,2017-01-02,2017-02-11,0',
  'A3,Bob,GTX Pro,Acme,Lost,2017-01-02,2017-05-01,0',
  'A5,Cy,GTX Pro,Acme,Won,2017-03-02,2017-04-01,250',
].join('\n');

const sellerCard = {
  key: 'seller_card',
  name: 'Seller scorecard',
  owner: 'Sales operations',
  subjectKind: 'seller',
  periodGrain: 'quarter',
  trendPeriods: 2,
  rows: [
    { metric: 'win_rate', weight: 2, target: 0.6, redFlag: 0.4 },
    { metric: 'won_value', weight: 1, target: 100_000, redFlag: 20_000 },
  ],
  audiences: [{ kind: 'internal' }],
};

const yearCard = { ...sellerCard, key: 'year_card', name: 'Year card', periodGrain: 'year', trendPeriods: 1, rows: [sellerCard.rows[0]] };

const partnerCard = {
  key: 'partner_card',
  name: 'Partner scorecard',
  owner: 'Channel office',
  subjectKind: 'partner',
  periodGrain: 'quarter',
  trendPeriods: 1,
  rows: [{ metric: 'win_rate', weight: 1, target: 0.6, redFlag: 0.4 }],
  audiences: [{ kind: 'partners' }, { kind: 'committee', roles: ['executive'] }],
};

async function post(session: Session, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
}
async function get(session: Session, url: string) {
  return t.app.inject({ method: 'GET', url, headers: session.headers });
}

beforeAll(async () => {
  t = await createTestApp();
  const mk = async (roles: Parameters<typeof makeUser>[1]['roles'], partnerId: string | null = null) => {
    const u = await makeUser(t.deps, { roles, partnerId });
    return { id: u.id, session: await signIn(t.app, u.email) };
  };
  lead = (await mk(['programme_lead'])).session;
  executive = (await mk(['executive'])).session;
  const s = await mk(['internal_seller']);
  seller = s.session;
  sellerUserId = s.id;
  const sys = systemActor('test');
  await importMavenCrm(t.deps, sys, { salesTeams: teams, pipeline, products, accounts: null });
  // A seller whose name is a formula, with one won deal: the exports must neutralise it.
  const evil = await createParticipant(t.deps, sys, {
    externalRef: 'hr:evil',
    displayName: "=cmd|' /C calc'!A0",
    email: null,
    appUserId: sellerUserId,
    managerId: null,
    team: 'Mia',
    unit: 'North',
    territory: null,
    activeFrom: null,
    activeTo: null,
  });
  // The partner desk sells every partner deal (its own team and unit, so the sellers above are untouched).
  const desk = await createParticipant(t.deps, sys, {
    externalRef: 'hr:desk',
    displayName: 'Partner desk',
    email: null,
    appUserId: null,
    managerId: null,
    team: 'Channel',
    unit: 'West',
    territory: null,
    activeFrom: null,
    activeTo: null,
  });
  // Six partners with partner-linked deals in Q2 2017: partner i won i deals and lost one.
  for (let i = 1; i <= 6; i++) {
    const p = await makePartner(t.deps, `Partner ${i}`);
    const u = await mk(['partner_admin'], p.id);
    partners.push({ id: p.id, name: p.name, session: u.session, userId: u.id });
  }
  outsider = (await mk(['partner_admin'], (await makePartner(t.deps, 'Partner without deals')).id)).session;
  await inTransaction(t.deps, sys, async (trx) => {
    const rows = partners.flatMap((p, index) => {
      const won = index + 1;
      return [
        ...Array.from({ length: won }, (_, k) => ({ stage: 'won' as const, value: 10_000, ref: `P${won}-W${k}` })),
        { stage: 'lost' as const, value: 0, ref: `P${won}-L` },
      ].map((d) => ({
        opportunityId: newId(),
        source: 'test',
        externalId: d.ref,
        sellerParticipantId: desk.id,
        stage: d.stage,
        engageOn: '2017-04-02',
        closeOn: '2017-05-15',
        valueMinor: d.value,
        currency: 'USD',
        partnerId: p.id,
      }));
    });
    rows.push({
      opportunityId: newId(),
      source: 'test',
      externalId: 'EVIL-1',
      sellerParticipantId: evil.id,
      stage: 'won',
      engageOn: '2017-04-02',
      closeOn: '2017-04-20',
      valueMinor: 5_000,
      currency: 'USD',
      partnerId: null as unknown as string,
    });
    await trx.insertInto('opportunity').values(rows).execute();
  });
  for (const card of [sellerCard, yearCard, partnerCard]) {
    const r = await post(lead, '/api/scorecards/definitions', card);
    expect(r.statusCode, r.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('scorecard definitions', () => {
  it('are checked against the metric library before they are saved', async () => {
    const r = await post(lead, '/api/scorecards/definitions', {
      ...sellerCard,
      key: 'broken',
      rows: [{ metric: 'win_rate', target: 0.4, redFlag: 0.6 }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual(['body.rows[0].redFlag']);
    expect((await post(executive, '/api/scorecards/definitions', { ...sellerCard, key: 'mine' })).statusCode).toBe(403);
    expect((await post(partners[0]!.session, '/api/scorecards/definitions', { ...sellerCard, key: 'mine' })).statusCode).toBe(404);
    const list = await get(executive, '/api/scorecards/definitions');
    expect(list.json<{ items: ScorecardView[] }>().items.map((i) => i.key)).toEqual(['partner_card', 'seller_card', 'year_card']);
  });
});

describe('computing a scorecard', () => {
  it('scores every seller, weights the overall score, ranks them and keeps the trend', async () => {
    const r = await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20');
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json<ScorecardResult>();
    expect(res).toMatchObject({ periodStart: '2017-04-01', periodEnd: '2017-07-01', periods: ['2017-01-01', '2017-04-01'], level: 'seller' });
    const by = new Map(res.subjects.map((s) => [s.label, s]));
    // Cy: win rate 1/1 (score capped at 10), won 25,000 cents: 10/3 + 10/3 x 5000/80000 = 3.54.
    const cy = by.get('Cy')!;
    expect(cy.cells.map((c) => [c.value, c.score, c.status])).toEqual([
      [1, 10, 'green'],
      [25_000, 3.54, 'amber'],
    ]);
    expect(cy.score).toBeCloseTo((10 * 2 + (10 / 3 + (10 / 3) * (5000 / 80000))) / 3, 2);
    expect(cy.status).toBe('green');
    // Bob: lost his only deal (win rate 0, red), won nothing (0 counts: a sum with no rows is 0).
    expect(by.get('Bob')!.cells.map((c) => c.status)).toEqual(['red', 'red']);
    // Ann: nothing decided this quarter: no win rate; won value 0; her trend shows Q1 (win rate 1/2).
    const ann = by.get('Ann')!;
    expect(ann.cells[0]).toMatchObject({ value: null, status: 'no_data' });
    expect(ann.trend[0]).toMatchObject({ period: '2017-01-01', values: [0.5, 100_000] });
    expect(ann.parentId).toBe('Mia');
    // Ranked best first; the same overall score shares a rank.
    expect(res.subjects.slice(0, 2).map((s) => [s.label, s.rank])).toEqual([
      ['Partner desk', 1],
      ['Cy', 2],
    ]);
    expect(res.subjects.map((s) => s.rank)).toEqual([...res.subjects.map((s) => s.rank)].sort((a, b) => (a ?? 99) - (b ?? 99)));
  });

  it('rolls up by re-aggregating the metric for the parent, not by averaging the children', async () => {
    const sellers = (await get(executive, '/api/scorecards/definitions/year_card/result?period=2017-06-01')).json<ScorecardResult>();
    const annRate = sellers.subjects.find((s) => s.label === 'Ann')!.cells[0]!.value!;
    const bobRate = sellers.subjects.find((s) => s.label === 'Bob')!.cells[0]!.value!;
    const units = (await get(executive, '/api/scorecards/definitions/year_card/result?period=2017-06-01&level=unit')).json<ScorecardResult>();
    expect(units.levels).toEqual(['seller', 'team', 'unit', 'programme']);
    const central = units.subjects.find((s) => s.subjectId === 'Central')!;
    // Central in 2017: Ann won 1 of 2, Bob 0 of 1: 1 / 3 — not the mean of their rates (0.5 + 0) / 2.
    expect(central.cells[0]).toMatchObject({ value: 1 / 3, numerator: 1, denominator: 3 });
    expect((annRate + bobRate) / 2).toBe(0.25);
    const programme = (await get(executive, '/api/scorecards/definitions/year_card/result?period=2017-06-01&level=programme')).json<ScorecardResult>();
    // Everyone: Ann 1/2, Bob 0/1, Cy 1/1, the formula seller 1/1, the partner desk 21/27.
    expect(programme.subjects[0]!.cells[0]).toMatchObject({ numerator: 24, denominator: 32 });
    expect(central.parentId).toBe('programme');
    const bad = await get(executive, '/api/scorecards/definitions/year_card/result?period=2017-06-01&level=partner');
    expect(bad.statusCode).toBe(400);
  });

  it('is not computed live for sellers or partners', async () => {
    expect((await get(seller, '/api/scorecards/definitions/seller_card/result')).statusCode).toBe(403);
    expect((await get(partners[0]!.session, '/api/scorecards/definitions/seller_card/result')).statusCode).toBe(404);
  });
});

describe('paging through a computed scorecard', () => {
  it('returns one page in rank order with the total, filters by status, name and parent, and pages the same computation', async () => {
    const all = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20')).json<ScorecardResult>();
    expect(all.total).toBe(all.subjectCount);
    expect(all.subjects).toHaveLength(all.subjectCount);
    const first = await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&limit=2');
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json<ScorecardResult>();
    const page2 = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&limit=2&offset=2')).json<ScorecardResult>();
    // The same computation is paged through (not computed again), in the same order as the whole list.
    expect(page2.resultId).toBe(page1.resultId);
    expect([...page1.subjects, ...page2.subjects].map((s) => s.subjectId)).toEqual(all.subjects.slice(0, 4).map((s) => s.subjectId));
    expect(page1).toMatchObject({ total: all.subjectCount, limit: 2, offset: 0 });

    const red = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&status=red')).json<ScorecardResult>();
    expect(red.subjects.length).toBeGreaterThan(0);
    expect(red.subjects.every((s) => s.status === 'red')).toBe(true);
    expect(red.total).toBe(all.subjects.filter((s) => s.status === 'red').length);

    const byName = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&q=AN')).json<ScorecardResult>();
    expect(byName.subjects.map((s) => s.label)).toEqual(['Ann']);
    expect(byName.total).toBe(1);
    // LIKE wildcards are searched for literally.
    expect((await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&q=%25')).json<ScorecardResult>().total).toBe(0);

    const mia = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&parent=Mia')).json<ScorecardResult>();
    expect(mia.subjects.every((s) => s.parentId === 'Mia')).toBe(true);
    expect(mia.total).toBe(all.subjects.filter((s) => s.parentId === 'Mia').length);

    const again = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&refresh=true&limit=2')).json<ScorecardResult>();
    expect(again.resultId).not.toBe(page1.resultId);
    expect(again.subjects).toEqual(page1.subjects);
    expect((await get(executive, '/api/scorecards/definitions/seller_card/result?limit=0')).statusCode).toBe(400);
  });
});

describe('publication', () => {
  let internalSnap: SnapshotView;
  let partnerSnap: SnapshotView;

  it('takes a draft, publishes it, and the database refuses any change once published', async () => {
    const draft = await post(lead, '/api/scorecards/snapshots', { scorecard: 'seller_card', period: '2017-05-20' });
    expect(draft.statusCode, draft.body).toBe(201);
    internalSnap = draft.json<SnapshotView>();
    expect(internalSnap).toMatchObject({ status: 'draft', trigger: 'on_demand', periodStart: '2017-04-01', audiences: [{ kind: 'internal' }] });
    // Sellers do not see drafts.
    expect((await get(seller, `/api/scorecards/snapshots/${internalSnap.id}`)).statusCode).toBe(404);
    const pub = await post(lead, `/api/scorecards/snapshots/${internalSnap.id}/publish`, {});
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json<SnapshotView>().status).toBe('published');
    expect((await post(lead, `/api/scorecards/snapshots/${internalSnap.id}/publish`, {})).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/scorecards/snapshots/${internalSnap.id}`, headers: lead.headers })).statusCode).toBe(409);

    const sys = systemActor('test');
    const id = internalSnap.id;
    await expect(
      inTransaction(t.deps, sys, (trx) => trx.updateTable('scorecardSnapshot').set({ name: 'tampered' }).where('scorecardSnapshotId', '=', id).execute()),
    ).rejects.toThrow(/frozen/);
    await expect(inTransaction(t.deps, sys, (trx) => trx.deleteFrom('scorecardSnapshot').where('scorecardSnapshotId', '=', id).execute())).rejects.toThrow(
      /frozen/,
    );
    await expect(
      inTransaction(t.deps, sys, (trx) => trx.updateTable('scorecardSnapshotRow').set({ label: 'tampered' }).where('scorecardSnapshotId', '=', id).execute()),
    ).rejects.toThrow(/frozen/);
    await expect(inTransaction(t.deps, sys, (trx) => trx.deleteFrom('scorecardSnapshotRow').where('scorecardSnapshotId', '=', id).execute())).rejects.toThrow(
      /frozen/,
    );
  });

  it('lets a draft be discarded', async () => {
    const draft = (await post(lead, '/api/scorecards/snapshots', { scorecard: 'year_card', period: '2017-05-20' })).json<SnapshotView>();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/scorecards/snapshots/${draft.id}`, headers: lead.headers });
    expect(del.statusCode).toBe(204);
    expect((await get(lead, `/api/scorecards/snapshots/${draft.id}`)).statusCode).toBe(404);
  });

  it('shows a seller the snapshots of their audiences only', async () => {
    const committee = await post(lead, '/api/scorecards/snapshots', {
      scorecard: 'year_card',
      period: '2017-05-20',
      audiences: [{ kind: 'committee', roles: ['executive'] }],
      publish: true,
    });
    expect(committee.statusCode, committee.body).toBe(201);
    const teamOnly = await post(lead, '/api/scorecards/snapshots', {
      scorecard: 'year_card',
      period: '2017-02-20',
      audiences: [{ kind: 'team', team: 'Mia' }],
      publish: true,
    });
    const listed = (await get(seller, '/api/scorecards/snapshots')).json<{ items: SnapshotView[] }>().items.map((s) => s.id);
    // The seller is in team Mia (through their participant record) and an internal user.
    expect(listed).toEqual(expect.arrayContaining([internalSnap.id, teamOnly.json<SnapshotView>().id]));
    expect(listed).not.toContain(committee.json<SnapshotView>().id);
    expect((await get(seller, `/api/scorecards/snapshots/${committee.json<SnapshotView>().id}`)).statusCode).toBe(404);
    expect((await get(executive, `/api/scorecards/snapshots/${committee.json<SnapshotView>().id}`)).statusCode).toBe(200);
    // A page read before (and so kept) is still shown only to its audience.
    expect((await get(seller, `/api/scorecards/snapshots/${committee.json<SnapshotView>().id}`)).statusCode).toBe(404);
    expect((await get(seller, `/api/scorecards/snapshots/${teamOnly.json<SnapshotView>().id}`)).statusCode).toBe(200);
    expect((await get(seller, `/api/scorecards/snapshots/${teamOnly.json<SnapshotView>().id}`)).statusCode).toBe(200);
    expect((await get(partners[0]!.session, `/api/scorecards/snapshots/${committee.json<SnapshotView>().id}`)).statusCode).toBe(404);
  });

  it('shows a partner its own row and anonymised benchmarks, never another partner', async () => {
    const r = await post(lead, '/api/scorecards/snapshots', { scorecard: 'partner_card', period: '2017-05-20', publish: true });
    expect(r.statusCode, r.body).toBe(201);
    partnerSnap = r.json<SnapshotView>();
    expect(partnerSnap.subjectCount).toBe(6);
    const third = partners[2]!;
    const list = (await get(third.session, '/api/scorecards/snapshots')).json<{ items: SnapshotView[] }>().items;
    expect(list.map((s) => s.id)).toEqual([partnerSnap.id]);
    const d = await get(third.session, `/api/scorecards/snapshots/${partnerSnap.id}`);
    expect(d.statusCode, d.body).toBe(200);
    const detail = d.json<SnapshotDetail>();
    expect(detail.partnerView).toBe(true);
    expect(detail.subjects).toHaveLength(1);
    expect(detail.subjects[0]).toMatchObject({ partnerId: third.id, cells: [{ value: 3 / 4 }] });
    // Paging and filters change nothing for a partner: its own row, a total of one.
    for (const q of ['offset=3', 'limit=1&offset=1', 'q=Partner%201', 'status=red']) {
      const paged = (await get(third.session, `/api/scorecards/snapshots/${partnerSnap.id}?${q}`)).json<SnapshotPage>();
      expect(paged.subjects.map((s) => s.partnerId)).toEqual([third.id]);
      expect(paged.total).toBe(1);
    }
    // Internal readers page through every partner's row.
    const internal = (await get(executive, `/api/scorecards/snapshots/${partnerSnap.id}?limit=4&offset=4`)).json<SnapshotPage>();
    expect(internal).toMatchObject({ total: 6, limit: 4, offset: 4 });
    expect(internal.subjects.map((s) => s.rank)).toEqual([5, 6]);
    const named = (await get(executive, `/api/scorecards/snapshots/${partnerSnap.id}?q=partner%205`)).json<SnapshotPage>();
    expect(named.subjects.map((s) => s.label)).toEqual(['Partner 5']);
    expect(named.total).toBe(1);
    // Pages are spliced from rows serialised when the snapshot was taken: each is the contract's shape
    // and the same rows, in the same order, as the whole snapshot (the export's read), filtered or not.
    const whole = await getSnapshot(t.deps, systemActor('test'), partnerSnap.id);
    for (const [q, want] of [
      ['limit=50', whole.subjects],
      ['limit=2&offset=1', whole.subjects.slice(1, 3)],
      ['offset=6', []],
      ...scoreStatuses.map((st) => [`status=${st}&limit=2`, whole.subjects.filter((x) => x.status === st).slice(0, 2)] as const),
      ['q=partner&offset=1&limit=3', whole.subjects.filter((x) => /partner/i.test(x.label)).slice(1, 4)],
    ] as const) {
      const res = await get(executive, `/api/scorecards/snapshots/${partnerSnap.id}?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const page = snapshotPage.parse(res.json());
      expect(page.subjects, q).toEqual(want);
      expect(page.metrics).toEqual(whole.metrics);
      expect(page.benchmarks).toEqual(whole.benchmarks);
      const status = /status=(\w+)/.exec(q)?.[1];
      expect(page.total, q).toBe(
        status
          ? whole.subjects.filter((x) => x.status === status).length
          : q.startsWith('q=')
            ? whole.subjects.filter((x) => /partner/i.test(x.label)).length
            : 6,
      );
    }
    expect(detail.audiences).toEqual([{ kind: 'partners' }]);
    // Six peers: quartiles are published; no names, no other partner's figures.
    expect(detail.benchmarks.metrics[0]!.peers).toBe(6);
    expect(detail.benchmarks.metrics[0]!.median).toBeCloseTo((3 / 4 + 4 / 5) / 2, 9);
    for (const other of partners.filter((p) => p.id !== third.id)) {
      expect(d.body).not.toContain(other.id);
      expect(d.body).not.toContain(other.name);
    }
    const exported = await get(third.session, `/api/scorecards/snapshots/${partnerSnap.id}/export?format=csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.body.trimEnd().split('\r\n')).toHaveLength(2);
    expect(exported.body).not.toContain(partners[0]!.name);
    // Other snapshots, and a partner without a row, see nothing.
    expect((await get(third.session, `/api/scorecards/snapshots/${internalSnap.id}`)).statusCode).toBe(404);
    expect((await get(outsider, `/api/scorecards/snapshots/${partnerSnap.id}`)).statusCode).toBe(404);
    expect((await get(outsider, '/api/scorecards/snapshots')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('keeps partners apart with row-level security alone', async () => {
    const third = partners[2]!;
    const actor: UserActor = {
      kind: 'user',
      userId: third.userId,
      email: 'p@example.test',
      displayName: 'P',
      partnerId: third.id,
      roles: ['partner_admin'],
      via: 'session',
      requestId: null,
    };
    const rows = await inTransaction(t.deps, actor, (trx) => snapshotRows(trx, partnerSnap.id, null));
    expect(rows.map((r) => r.partnerId)).toEqual([third.id]);
    const headers = await inTransaction(t.deps, actor, (trx) => trx.selectFrom('scorecardSnapshot').select('scorecardSnapshotId').execute());
    expect(headers.map((h) => h.scorecardSnapshotId)).toEqual([partnerSnap.id]);
    const defs = await inTransaction(t.deps, actor, (trx) => trx.selectFrom('scorecard').select('key').execute());
    expect(defs).toEqual([]);
  });

  it('notifies the audience of a published snapshot', async () => {
    const n = await notifySnapshotAudience(t.deps, partnerSnap.id);
    // Six partner admins and the executive (committee of executives).
    expect(n).toBe(7);
    const mine = await get(partners[0]!.session, '/api/notifications');
    expect(mine.body).toContain('Scorecard published: Partner scorecard, Q2 2017');
    const jobs = await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx.selectFrom('job').select('name').where('name', '=', 'scorecards.notify-snapshot-published').execute(),
    );
    expect(jobs.length).toBeGreaterThanOrEqual(3);
  });

  it('exports CSV, XLSX and PDF with formula cells neutralised', async () => {
    const csv = await get(executive, `/api/scorecards/snapshots/${internalSnap.id}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="seller_card-seller-2017-04-01.csv"');
    expect(csv.body).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv.body).not.toMatch(/(^|,)=cmd/m);

    const xlsx = await get(executive, `/api/scorecards/snapshots/${internalSnap.id}/export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const texts: string[] = [];
    wb.getWorksheet('Scorecard')!.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') texts.push(cell.value);
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      }),
    );
    expect(texts).toContain("'=cmd|' /C calc'!A0");
    expect(texts.filter((x) => /^[=+\-@\t\r]/.test(x))).toEqual([]);

    const pdf = await get(executive, `/api/scorecards/snapshots/${internalSnap.id}/export?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(seller, `/api/scorecards/snapshots/${internalSnap.id}/export?format=pdf`)).statusCode).toBe(200);
  });
});

describe('the period-end schedule', () => {
  it('publishes the last period that is over once, however often it runs', async () => {
    const r = await t.app.inject({
      method: 'PUT',
      url: '/api/scorecards/definitions/seller_card',
      headers: lead.headers,
      payload: { ...sellerCard, schedule: 'period_end' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const july = { ...t.deps, clock: { now: () => new Date('2017-07-05T08:00:00Z') } };
    expect(await publishDueSnapshots(july)).toBe(1);
    expect(await publishDueSnapshots(july)).toBe(0);
    const list = (await get(lead, '/api/scorecards/snapshots?scorecard=seller_card')).json<{ items: SnapshotView[] }>().items;
    const scheduled = list.filter((s) => s.trigger === 'schedule');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ status: 'published', periodStart: '2017-04-01', publishedBy: 'system:scorecards-schedule' });
  });
});

describe('large computations, by the worker', () => {
  /** The worker, for the computation jobs only (what the worker process runs in production). */
  const runWorker = () =>
    startWorker(
      t.deps,
      jobDefinitions.filter((d) => d.name === COMPUTE_JOB),
      { autoStart: false },
    ).drain();
  const audit = async () =>
    (
      await sql<{ action: string; entityId: string; actorLabel: string }>`select action, entity_id, actor_label from audit_entry order by seq`.execute(
        t.deps.db,
      )
    ).rows;

  it('takes a snapshot asked for in the background in the worker, its progress readable, one audit entry for the request and one for the snapshot', async () => {
    const before = (await audit()).length;
    const r = await post(lead, '/api/scorecards/snapshots', { scorecard: 'seller_card', period: '2017-02-20', background: true, publish: true });
    expect(r.statusCode, r.body).toBe(202);
    const c = r.json<ScorecardComputationView>();
    expect(c).toMatchObject({ kind: 'snapshot', scorecard: 'seller_card', level: 'seller', periodStart: '2017-01-01', status: 'queued', snapshotId: null });
    const requested = (await audit()).slice(before);
    expect(requested.map((a) => [a.action, a.entityId])).toEqual([['scorecard_snapshot.request', c.computationId]]);
    // The people who take snapshots follow it; other readers and partners do not see it.
    expect((await get(lead, `/api/scorecards/computations/${c.computationId}`)).json<ScorecardComputationView>().status).toBe('queued');
    expect((await get(executive, `/api/scorecards/computations/${c.computationId}`)).statusCode).toBe(404);
    expect((await get(partners[0]!.session, `/api/scorecards/computations/${c.computationId}`)).statusCode).toBe(404);

    expect(await runWorker()).toBe(1);
    const done = (await get(lead, `/api/scorecards/computations/${c.computationId}`)).json<ScorecardComputationView>();
    expect(done).toMatchObject({ status: 'completed', stage: null, error: null });
    expect(done.snapshotId).not.toBeNull();
    expect(done.startedAt).not.toBeNull();
    const page = await get(executive, `/api/scorecards/snapshots/${done.snapshotId}`);
    expect(page.statusCode, page.body).toBe(200);
    const snap = page.json<SnapshotPage>();
    expect(snap).toMatchObject({ status: 'published', trigger: 'on_demand', periodStart: '2017-01-01', total: done.subjectCount });
    // Taken and published on behalf of the person who asked.
    const leadEmail = (await get(lead, '/api/auth/me')).json<{ user: { email: string } }>().user.email;
    expect(snap.takenBy).toBe(leadEmail);
    expect(snap.publishedBy).toBe(leadEmail);
    const taken = (await audit()).slice(before + 1);
    expect(taken.map((a) => [a.action, a.entityId, a.actorLabel])).toEqual([['scorecard_snapshot.publish', done.snapshotId, 'system:worker']]);
  });

  it('computes the live figures of a scorecard with more subjects than the API computes, once however many readers ask', async () => {
    const card = { ...sellerCard, key: 'large_card', name: 'Large card' };
    expect((await post(lead, '/api/scorecards/definitions', card)).statusCode).toBe(201);
    // More sellers than the API computes: never computed, so the estimate is the sellers there are.
    await sql`insert into comp_participant (comp_participant_id, external_ref, display_name, team, unit)
      select gen_random_uuid(), 'bulk:' || i, 'Bulk seller ' || i, 'Bulk', 'Bulk' from generate_series(1, ${inlineComputeMaxSubjects}::int) i`.execute(
      t.deps.db,
    );
    const url = '/api/scorecards/definitions/large_card/result?period=2017-05-20';
    const first = await get(executive, url);
    expect(first.statusCode, first.body).toBe(202);
    const c = first.json<ScorecardComputationView>();
    expect(c).toMatchObject({ kind: 'result', status: 'queued', level: 'seller', periodStart: '2017-04-01', expectedMs: null });
    expect(c.estimatedSubjects).toBeGreaterThan(inlineComputeMaxSubjects);
    // Another reader, and a refresh, follow the same computation.
    expect((await get(lead, url)).json<ScorecardComputationView>().computationId).toBe(c.computationId);
    expect((await get(lead, `${url}&refresh=true`)).json<ScorecardComputationView>().computationId).toBe(c.computationId);
    expect((await get(executive, `/api/scorecards/computations/${c.computationId}`)).statusCode).toBe(200);
    expect((await get(seller, `/api/scorecards/computations/${c.computationId}`)).statusCode).toBe(404);
    expect((await get(seller, url)).statusCode).toBe(403);

    expect(await runWorker()).toBe(1);
    const done = (await get(executive, `/api/scorecards/computations/${c.computationId}`)).json<ScorecardComputationView>();
    expect(done).toMatchObject({ status: 'completed', error: null });
    const result = await get(executive, url);
    expect(result.statusCode, result.body).toBe(200);
    const live = result.json<ScorecardResult>();
    // The same figures the API computes for the same scorecard.
    const inline = (await get(executive, '/api/scorecards/definitions/seller_card/result?period=2017-05-20&refresh=true')).json<ScorecardResult>();
    expect(live.subjects).toEqual(inline.subjects);
    expect(live.total).toBe(inline.total);
    expect(done.subjectCount).toBe(inline.total);
    // Now the scorecard is known to be small: computed again by the API itself.
    expect((await get(executive, `${url}&refresh=true`)).statusCode).toBe(200);
  });
});
