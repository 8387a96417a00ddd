import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorecardMetricColumn } from '../../../common/api/scorecard-results.ts';
import type { EffectiveTargetsResponse, TargetImportReport } from '../../../common/api/scorecard-targets.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction, type Trx } from '../../deps.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { createParticipant } from '../comp-plans/comp-plans.service.ts';
import { effectiveTargets, subjectTargetsFor } from './targets.service.ts';
import { applySubjectTargets, parseTargetCsv, resolveSubjectTargets, targetSourceOf, type RescorableSubject } from './targets.rules.ts';

const col = (metric: string, target: number, redFlag: number, weight = 1): ScorecardMetricColumn => ({
  metric,
  name: metric,
  unit: 'ratio',
  direction: 'higher_is_better',
  currency: null,
  weight,
  target,
  redFlag,
  applicable: true,
});

function subject(id: string, values: number[]): RescorableSubject {
  return {
    subjectId: id,
    rank: null,
    score: null,
    status: 'no_data',
    cellValues: values,
    cellScores: [],
    cellStatuses: [],
    trendScores: [null],
    trendValues: values,
  };
}

describe('per-subject targets, pure', () => {
  it('prefers a subject\u2019s own target, then its tier\u2019s, else leaves the default', () => {
    const m = resolveSubjectTargets(
      [
        { metric: 'win_rate', subjectKind: 'partner_tier', subjectId: 'gold', target: 0.8, redFlag: 0.6 },
        { metric: 'win_rate', subjectKind: 'partner', subjectId: 'p1', target: 0.5, redFlag: 0.3 },
        { metric: 'win_rate', subjectKind: 'seller', subjectId: 'p2', target: 0.1, redFlag: 0.05 },
      ],
      'partner',
      ['p1', 'p2', 'p3'],
      new Map([
        ['p1', 'gold'],
        ['p2', 'gold'],
        ['p3', 'silver'],
      ]),
    );
    expect(m.get('p1')?.get('win_rate')).toMatchObject({ target: 0.5, redFlag: 0.3, from: { subjectKind: 'partner', subjectId: 'p1' } });
    expect(m.get('p2')?.get('win_rate')).toMatchObject({ target: 0.8, redFlag: 0.6, from: { subjectKind: 'partner_tier', subjectId: 'gold' } });
    expect(m.has('p3')).toBe(false);
    expect(targetSourceOf(m.get('p1')?.get('win_rate'), 'P1')).toMatchObject({ source: 'subject', tier: null });
    expect(targetSourceOf(m.get('p2')?.get('win_rate'), 'P2')).toMatchObject({ source: 'tier', tier: 'gold' });
    expect(targetSourceOf(m.get('p3')?.get('win_rate'), 'P3')).toMatchObject({ source: 'default', tier: null });
  });

  it('re-scores and re-ranks with the subject\u2019s own target', () => {
    const columns = [col('win_rate', 0.6, 0.4)];
    // Both at 0.5: amber, tied. With a target of 0.5 for b, b is green and ranks first.
    const out = applySubjectTargets(
      [subject('a', [0.5]), subject('b', [0.5])],
      columns,
      new Map([['b', new Map([['win_rate', { target: 0.5, redFlag: 0.3 }]])]]),
    );
    const b = out.find((s) => s.subjectId === 'b');
    const a = out.find((s) => s.subjectId === 'a');
    expect(b).toMatchObject({ cellStatuses: ['green'], cellScores: [6.67], score: 6.67, status: 'green', rank: 1, trendScores: [6.67] });
    expect(a).toMatchObject({ rank: 2 });
  });

  it('reports CSV rows with bad cells by line and column', () => {
    const r = parseTargetCsv('metric,subject_kind,subject,target,red_flag\nwin_rate,seller,hr:1,0.6,0.4\nWin Rate,boss,,x,0.4\nwin_rate,seller,HR:1,0.7,0.5\n');
    expect(r.rows).toHaveLength(1);
    expect(r.issues).toEqual([
      { line: 3, column: 'metric', message: '"Win Rate" is not a metric key' },
      { line: 3, column: 'subject_kind', message: expect.stringContaining('"boss" is not one of') },
      { line: 3, column: 'subject', message: 'is required' },
      { line: 3, column: 'target', message: '"x" is not a number (use . for decimals)' },
      { line: 4, column: 'subject', message: 'repeats line 2 (same metric and subject)' },
    ]);
  });
});

async function cardId(trx: Trx, key: string): Promise<string> {
  return (await trx.selectFrom('scorecard').select('scorecardId').where('key', '=', key).executeTakeFirstOrThrow()).scorecardId;
}

describe('per-subject targets through the API', () => {
  let t: TestApp;
  let admin: Session;
  let exec: Session;
  let partnerUser: Session;
  let sam = '';
  let gold = '';
  const card = 'partner_card';
  const sellerCard = 'seller_card';

  beforeAll(async () => {
    t = await createTestApp();
    const sys = systemActor('test');
    admin = await signIn(t.app, (await makeUser(t.deps, { roles: ['admin'] })).email);
    exec = await signIn(t.app, (await makeUser(t.deps, { roles: ['executive'] })).email);
    const p = await makePartner(t.deps, 'Gold Partner Ltd');
    gold = p.id;
    await inTransaction(t.deps, sys, (trx) => trx.updateTable('partner').set({ tier: 'gold' }).where('partnerId', '=', gold).execute());
    partnerUser = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: gold })).email);
    const base = { email: null, managerId: null, unit: 'North', territory: null, activeFrom: null, activeTo: null, team: 'Field', appUserId: null };
    sam = (await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:sam', displayName: 'Sam' })).id;
    for (const def of [
      { key: card, subjectKind: 'partner', rows: [{ metric: 'win_rate', target: 0.6, redFlag: 0.4 }] },
      { key: sellerCard, subjectKind: 'seller', rows: [{ metric: 'win_rate', target: 0.6, redFlag: 0.4 }] },
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/scorecards/definitions',
        headers: admin.headers,
        payload: { ...def, name: def.key, owner: 'Channel', periodGrain: 'quarter' },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  it('saves valid targets and refuses the whole set with a problem per field otherwise', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/scorecards/definitions/${card}/targets`,
      headers: admin.headers,
      payload: {
        targets: [
          { metric: 'win_rate', subjectKind: 'partner', subject: 'Gold Partner Ltd', target: 0.7, redFlag: 0.5 },
          { metric: 'win_rate', subjectKind: 'partner', subject: 'Nobody Inc', target: 0.7, redFlag: 0.5 },
          { metric: 'win_rate', subjectKind: 'partner_tier', subject: 'gold', target: 0.4, redFlag: 0.6 },
          { metric: 'won_value', subjectKind: 'seller', subject: 'hr:sam', target: 1, redFlag: 0 },
          { metric: 'win_rate', subjectKind: 'partner_tier', subject: 'silver', target: 1.5, redFlag: 0.5 },
        ],
      },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues.map((i) => i.path)).toEqual([
      'body.targets[1].subject',
      'body.targets[2].redFlag',
      'body.targets[3].subjectKind',
      'body.targets[3].metric',
      'body.targets[4].target',
    ]);

    const ok = await t.app.inject({
      method: 'PUT',
      url: `/api/scorecards/definitions/${card}/targets`,
      headers: admin.headers,
      payload: {
        targets: [
          { metric: 'win_rate', subjectKind: 'partner', subject: 'gold partner ltd', target: 0.7, redFlag: 0.5, note: 'Agreed at the QBR' },
          { metric: 'win_rate', subjectKind: 'partner_tier', subject: 'platinum', target: 0.8, redFlag: 0.6 },
        ],
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const items = ok.json<{ items: { subjectKind: string; subjectId: string; subjectLabel: string; target: number }[] }>().items;
    expect(items.map((i) => [i.subjectKind, i.subjectId, i.subjectLabel, i.target])).toEqual([
      ['partner', gold, 'Gold Partner Ltd', 0.7],
      ['partner_tier', 'platinum', 'platinum', 0.8],
    ]);
    const read = await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${card}/targets`, headers: exec.headers });
    expect(read.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('keeps targets from partners and from readers who may not change them', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${card}/targets`, headers: partnerUser.headers })).statusCode).toBe(404);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/scorecards/definitions/${card}/targets`,
      headers: exec.headers,
      payload: { targets: [{ metric: 'win_rate', subjectKind: 'partner_tier', subject: 'gold', target: 0.7, redFlag: 0.5 }] },
    });
    expect(put.statusCode).toBe(403);
  });

  it('imports a CSV: good rows saved, others reported, the same file again changes nothing', async () => {
    const csv = [
      'metric,subject_kind,subject,target,red_flag,note',
      'win_rate,seller,hr:sam,0.5,0.3,ramping up',
      'win_rate,team,Field,0.65,0.45,',
      'win_rate,seller,hr:nobody,0.5,0.3,',
      'win_rate,unit,North,0.3,0.5,',
    ].join('\n');
    const post = async () =>
      (
        await t.app.inject({ method: 'POST', url: `/api/scorecards/definitions/${sellerCard}/targets/import`, headers: admin.headers, payload: { csv } })
      ).json<TargetImportReport>();
    const first = await post();
    expect(first).toEqual({
      rows: 4,
      good: 2,
      committed: true,
      saved: 2,
      unchanged: 0,
      rejected: 2,
      issues: [
        { line: 4, column: 'subject', message: 'no participant has the id or reference "hr:nobody"' },
        { line: 5, column: 'red_flag', message: 'higher is better for Win rate: the red flag is below the target' },
      ],
    });
    expect(await post()).toMatchObject({ saved: 0, unchanged: 2, rejected: 2 });
  });

  it('gives the scoring a subject -> metric -> target map, tier targets included', async () => {
    await t.app.inject({
      method: 'PUT',
      url: `/api/scorecards/definitions/${card}/targets`,
      headers: admin.headers,
      payload: { targets: [{ metric: 'win_rate', subjectKind: 'partner_tier', subject: 'gold', target: 0.9, redFlag: 0.7 }] },
    });
    const other = await makePartner(t.deps);
    await inTransaction(t.deps, systemActor('test'), (trx) => trx.updateTable('partner').set({ tier: 'gold' }).where('partnerId', '=', other.id).execute());
    const map = await inTransaction(t.deps, systemActor('test'), async (trx) => subjectTargetsFor(trx, await cardId(trx, card), 'partner', [gold, other.id]));
    expect(map.get(gold)?.get('win_rate')).toMatchObject({ target: 0.7, redFlag: 0.5 });
    expect(map.get(other.id)?.get('win_rate')).toMatchObject({ target: 0.9, redFlag: 0.7 });
    const sellers = await inTransaction(t.deps, systemActor('test'), async (trx) => subjectTargetsFor(trx, await cardId(trx, sellerCard), 'seller', [sam]));
    expect(sellers.get(sam)?.get('win_rate')).toMatchObject({ target: 0.5, redFlag: 0.3 });
  });

  it('scores a subject against its own target when the scorecard is computed', async () => {
    const sys = systemActor('test');
    const base = { email: null, managerId: null, unit: 'North', territory: null, activeFrom: null, activeTo: null, team: 'Other', appUserId: null };
    const ola = (await createParticipant(t.deps, sys, { ...base, externalRef: 'hr:ola', displayName: 'Ola' })).id;
    const deal = (seller: string, stage: 'won' | 'lost', n: number) => ({
      opportunityId: crypto.randomUUID(),
      source: 'test',
      externalId: `T-${seller}-${n}`,
      sellerParticipantId: seller,
      stage,
      engageOn: '2026-04-02',
      closeOn: '2026-05-10',
      valueMinor: stage === 'won' ? 1000 : 0,
      currency: 'USD',
    });
    await inTransaction(t.deps, sys, (trx) =>
      trx
        .insertInto('opportunity')
        .values([deal(sam, 'won', 1), deal(sam, 'lost', 2), deal(ola, 'won', 3), deal(ola, 'lost', 4)])
        .execute(),
    );
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/scorecards/definitions/${sellerCard}/result?period=2026-05-01&refresh=true`,
      headers: admin.headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    const subjects = r.json<{
      subjects: { subjectId: string; status: string; rank: number | null; cells: { value: number; status: string; score: number }[] }[];
    }>().subjects;
    // Both won half their deals: Sam's own target is 0.5 (green), Ola has the card's 0.6 (amber).
    const s = subjects.find((x) => x.subjectId === sam);
    const o = subjects.find((x) => x.subjectId === ola);
    expect(s).toMatchObject({ status: 'green', rank: 1, cells: [{ value: 0.5, status: 'green', score: 6.67 }] });
    expect(o).toMatchObject({ status: 'amber', rank: 2, cells: [{ value: 0.5, status: 'amber', score: 5 }] });
    // The reading of which target applied agrees with what the computation applied.
    const eff = await t.app.inject({
      method: 'GET',
      url: `/api/scorecards/definitions/${sellerCard}/targets/effective?subject=${sam}&subject=${ola}`,
      headers: exec.headers,
    });
    expect(eff.statusCode, eff.body).toBe(200);
    const bySubject = new Map(eff.json<EffectiveTargetsResponse>().subjects.map((x) => [x.subjectId, x]));
    expect(bySubject.get(sam)).toMatchObject({
      subjectLabel: 'Sam',
      metrics: [{ metric: 'win_rate', target: 0.5, redFlag: 0.3, source: 'subject', note: 'ramping up' }],
    });
    expect(bySubject.get(ola)).toMatchObject({
      subjectLabel: 'Ola',
      metrics: [{ metric: 'win_rate', target: 0.6, redFlag: 0.4, source: 'default', targetId: null }],
    });
    // At the team level, the team's own target (imported for Field) applies to Field.
    const team = await t.app.inject({
      method: 'GET',
      url: `/api/scorecards/definitions/${sellerCard}/targets/effective?level=team&subject=Field&subject=Other`,
      headers: exec.headers,
    });
    expect(team.json<EffectiveTargetsResponse>().subjects.map((x) => [x.subjectId, x.metrics[0]?.source, x.metrics[0]?.target])).toEqual([
      ['Field', 'subject', 0.65],
      ['Other', 'default', 0.6],
    ]);
    const badLevel = await t.app.inject({
      method: 'GET',
      url: `/api/scorecards/definitions/${sellerCard}/targets/effective?level=partner&subject=x`,
      headers: exec.headers,
    });
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('query.level');
  });

  it('says which target applied to a partner and why: its own, its tier’s, or the default', async () => {
    const plain = await makePartner(t.deps, 'Plain Partner');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/scorecards/definitions/${card}/targets/effective?subject=${gold}&subject=${plain.id}`,
      headers: exec.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<EffectiveTargetsResponse>();
    expect(body.level).toBe('partner');
    const [g, p] = body.subjects;
    expect(g).toMatchObject({
      subjectLabel: 'Gold Partner Ltd',
      tier: 'gold',
      metrics: [{ source: 'subject', target: 0.7, redFlag: 0.5, note: 'Agreed at the QBR', defaultTarget: 0.6 }],
    });
    expect(p).toMatchObject({ subjectLabel: 'Plain Partner', tier: 'silver', metrics: [{ source: 'default', target: 0.6, redFlag: 0.4, tier: null }] });
    // Once the gold partner's own target is gone, the gold tier's applies.
    const own = g?.metrics[0]?.targetId ?? '';
    expect((await t.app.inject({ method: 'DELETE', url: `/api/scorecards/definitions/${card}/targets/${own}`, headers: admin.headers })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${card}/targets/effective?subject=${gold}`, headers: exec.headers });
    expect(after.json<EffectiveTargetsResponse>().subjects[0]?.metrics[0]).toMatchObject({ source: 'tier', tier: 'gold', target: 0.9, redFlag: 0.7 });
  });

  it('lets a partner user resolve its own targets on a scorecard published to partners, and answers 404 for anything else', async () => {
    const sys = systemActor('test');
    const pub = 'partner_pub_card';
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/scorecards/definitions',
      headers: admin.headers,
      payload: {
        key: pub,
        name: 'Published partner card',
        owner: 'Channel',
        periodGrain: 'quarter',
        subjectKind: 'partner',
        rows: [{ metric: 'win_rate', target: 0.6, redFlag: 0.4 }],
        audiences: [{ kind: 'partners' }],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const rival = await makePartner(t.deps, 'Rival Partner');
    await inTransaction(t.deps, sys, (trx) => trx.updateTable('partner').set({ tier: 'gold' }).where('partnerId', '=', rival.id).execute());
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/scorecards/definitions/${pub}/targets`,
      headers: admin.headers,
      payload: {
        targets: [
          { metric: 'win_rate', subjectKind: 'partner_tier', subject: 'gold', target: 0.55, redFlag: 0.35 },
          { metric: 'win_rate', subjectKind: 'partner', subject: rival.id, target: 0.9, redFlag: 0.8, note: 'secret' },
        ],
      },
    });
    expect(set.statusCode, set.body).toBe(200);
    const ask = (key: string, query: string) =>
      t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${key}/targets/effective?${query}`, headers: partnerUser.headers });

    const mine = await ask(pub, `subject=${gold}`);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<EffectiveTargetsResponse>().subjects).toMatchObject([
      { subjectId: gold, tier: 'gold', metrics: [{ source: 'tier', tier: 'gold', target: 0.55 }] },
    ]);

    const missing = await ask('no_such_card', `subject=${gold}`);
    expect(missing.statusCode).toBe(404);
    for (const query of [`subject=${rival.id}`, `subject=${gold}&subject=${rival.id}`, `subject=${gold}&level=seller`, 'subject=gold']) {
      const res = await ask(pub, query);
      expect(res.statusCode, query).toBe(404);
      expect(res.body).not.toContain('secret');
      expect(res.json<{ detail: string }>().detail).toBe(missing.json<{ detail: string }>().detail);
    }
    // A scorecard not published to partners is not there for them.
    expect((await ask(card, `subject=${gold}`)).statusCode).toBe(404);

    // Row-level security alone (the policy checks off) still keeps the rival's target from the partner.
    const user = await inTransaction(t.deps, sys, (trx) =>
      trx.selectFrom('appUser').select(['appUserId', 'email', 'displayName']).where('partnerId', '=', gold).executeTakeFirstOrThrow(),
    );
    const actor = {
      kind: 'user' as const,
      userId: user.appUserId,
      email: user.email,
      displayName: user.displayName,
      partnerId: gold,
      roles: ['partner_admin' as const],
      via: 'session' as const,
      requestId: null,
    };
    const rlsOnly = { ...t.deps, isolationChecks: false };
    await expect(effectiveTargets(rlsOnly, actor, pub, { subject: [rival.id] })).rejects.toMatchObject({ code: 'not_found' });
    await expect(effectiveTargets(rlsOnly, actor, pub, { level: 'seller', subject: [gold] })).resolves.toMatchObject({ level: 'partner' });
    // Internal readers of scores see any subject; other internal users are refused.
    const seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['internal_seller'] })).email);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${pub}/targets/effective?subject=${rival.id}`, headers: seller.headers }))
        .statusCode,
    ).toBe(403);
  });

  it('checks a CSV without saving, or saves all or nothing, and downloads the targets in the import format', async () => {
    const audits = async () =>
      Number(
        (
          await inTransaction(t.deps, systemActor('test'), (trx) =>
            trx
              .selectFrom('auditEntry')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow(),
          )
        ).n,
      );
    const csv = ['metric,subject_kind,subject,target,red_flag', 'win_rate,unit,North,0.62,0.42', 'win_rate,unit,Nowhere,0.6,0.4'].join('\n');
    const post = async (commit: string) => {
      const before = await audits();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/scorecards/definitions/${sellerCard}/targets/import`,
        headers: admin.headers,
        payload: { csv, commit },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await audits()).toBe(before + 1);
      return res.json<TargetImportReport>();
    };
    const unitTargets = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${sellerCard}/targets`, headers: admin.headers }))
        .json<{ items: { subjectKind: string; subjectId: string; target: number }[] }>()
        .items.filter((i) => i.subjectKind === 'unit' && i.target === 0.62);
    expect(await post('none')).toMatchObject({ rows: 2, good: 1, committed: false, saved: 0, rejected: 1, issues: [{ line: 3, column: 'subject' }] });
    expect(await unitTargets()).toHaveLength(0);
    expect(await post('all_or_nothing')).toMatchObject({ good: 1, committed: false, saved: 0, rejected: 1 });
    expect(await unitTargets()).toHaveLength(0);
    expect(await post('good_rows')).toMatchObject({ good: 1, committed: true, saved: 1, rejected: 1 });
    expect(await unitTargets()).toHaveLength(1);

    const file = await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${sellerCard}/targets/export`, headers: exec.headers });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    const lines = file.body.trim().split('\r\n');
    expect(lines[0]).toBe('metric,subject_kind,subject,subject_label,target,red_flag,note');
    expect(lines).toContain(`win_rate,seller,${sam},Sam,0.5,0.3,ramping up`);
    expect(lines).toContain('win_rate,unit,North,North,0.62,0.42,');
    // The file imports back as it is: every row good, nothing changes.
    const back = await t.app.inject({
      method: 'POST',
      url: `/api/scorecards/definitions/${sellerCard}/targets/import`,
      headers: admin.headers,
      payload: { csv: file.body, commit: 'all_or_nothing' },
    });
    expect(back.json<TargetImportReport>()).toMatchObject({
      rows: lines.length - 1,
      good: lines.length - 1,
      committed: true,
      saved: 0,
      rejected: 0,
      issues: [],
    });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${sellerCard}/targets/export`, headers: partnerUser.headers })).statusCode,
    ).toBe(404);
  });

  it('documents the target routes in the OpenAPI document', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const paths = spec.json<{ paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> }>().paths;
    const effective = paths['/api/scorecards/definitions/{key}/targets/effective'];
    expect(effective?.get?.parameters?.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(['level', 'subject']);
    expect(paths['/api/scorecards/definitions/{key}/targets/export']).toBeDefined();
  });

  it('deletes a target', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `/api/scorecards/definitions/${sellerCard}/targets`, headers: admin.headers })).json<{
      items: { id: string }[];
    }>().items;
    const id = list[0]?.id ?? '';
    expect((await t.app.inject({ method: 'DELETE', url: `/api/scorecards/definitions/${sellerCard}/targets/${id}`, headers: admin.headers })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `/api/scorecards/definitions/${card}/targets/${id}`, headers: admin.headers })).statusCode).toBe(404);
    // Every entry written here (set, import, delete) still verifies in the hash chain.
    expect(await verifyAuditChain(t.deps)).toMatchObject({ ok: true });
  });
});
