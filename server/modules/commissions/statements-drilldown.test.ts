import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineTransactionView, StatementView } from '../../../common/api/commissions-runs.ts';
import { PLAN_FORMAT } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { makeUser } from '../../test/harness.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import { runsFixture, type RunsFixture } from './runs.test-support.ts';

/**
 * The drill-down of roll-up lines: a manager's statement line goes back to the transactions of the
 * reports below them, and only those. Plan (EUR, quarterly, 10%, roll-up two levels): D directs M,
 * M manages S1 and S2; X is outside the team.
 *
 *   R1 2027-02-01  S1 direct            1,000.00
 *   R2 2027-02-02  S1 60% / S2 40%      2,000.00  (stored 1,200.00 / 800.00)
 *   R3 2027-02-03  S2 50% / X 50%       1,000.00  (stored 500.00 / 500.00)
 *   R4 2027-02-04  X direct             5,000.00  (nobody's report: never in M's drill-down)
 *
 * M's roll-up credit: 1,000 + 1,200 + 800 + 500 = 3,500.00 -> 350.00; D's the same two levels up.
 */

let f: RunsFixture;
let runId: string;
const Q = { m: newId(), d: newId(), s1: newId(), s2: newId(), x: newId() };

function line(ref: string, tx: string, participantId: string, amount: number, deal: number, split: number, on: string) {
  return {
    participantId,
    salesTransactionId: tx,
    transactionImportId: newId(),
    partnerId: null,
    amountMinor: amount,
    dealAmountMinor: deal,
    recognisedOn: on,
    originalRecognisedOn: null,
    splitBps: split,
    currency: 'EUR',
    role: 'seller' as const,
    kind: 'booking' as const,
    sourcing: 'direct' as const,
    transactionRef: ref,
    partnerRef: null,
    product: null,
    scenario: null,
    segment: null,
    endCustomer: null,
    territory: null,
  };
}

beforeAll(async () => {
  f = await runsFixture();
  const actor = async (roles: Role[]): Promise<UserActor> => {
    const u = await makeUser(f.t.deps, { roles });
    return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
  };
  const author = await actor(['comp_admin']);
  const reviewer = await actor(['comp_admin']);
  const finance = await actor(['finance']);
  const v = await comp.createPlan(f.t.deps, author, {
    document: {
      format: PLAN_FORMAT,
      key: `drilldown_${process.pid}_${Date.now().toString(36)}`,
      name: 'Roll-up drill-down',
      currency: 'EUR',
      effectiveFrom: '2027-01-01',
      payoutPeriod: 'quarter',
      crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000, rollupLevels: 2 },
      components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
    },
  });
  await comp.submitForApproval(f.t.deps, author, v.id);
  await comp.approveStep(f.t.deps, reviewer, v.id, { step: 'comp_admin', comment: '' });
  await comp.approveStep(f.t.deps, finance, v.id, { step: 'finance', comment: '' });
  await comp.publishVersion(f.t.deps, reviewer, v.id);
  const tx = { r1: newId(), r2: newId(), r3: newId(), r4: newId() };
  await inTransaction(f.t.deps, systemActor('test'), async (trx) => {
    await trx
      .insertInto('compParticipant')
      .values([
        { compParticipantId: Q.d, externalRef: `D-${Q.d}`, displayName: 'Dee Director' },
        { compParticipantId: Q.m, externalRef: `M-${Q.m}`, displayName: 'Mo Manager', managerParticipantId: Q.d },
        { compParticipantId: Q.s1, externalRef: `S1-${Q.s1}`, displayName: 'Sid One', managerParticipantId: Q.m },
        { compParticipantId: Q.s2, externalRef: `S2-${Q.s2}`, displayName: 'Sue Two', managerParticipantId: Q.m },
        { compParticipantId: Q.x, externalRef: `X-${Q.x}`, displayName: 'Xan Outside' },
      ])
      .execute();
    await trx
      .insertInto('salesTransaction')
      .values([
        line('R1', tx.r1, Q.s1, 100_000, 100_000, 10_000, '2027-02-01'),
        line('R2', tx.r2, Q.s1, 120_000, 200_000, 6000, '2027-02-02'),
        line('R2', tx.r2, Q.s2, 80_000, 200_000, 4000, '2027-02-02'),
        line('R3', tx.r3, Q.s2, 50_000, 100_000, 5000, '2027-02-03'),
        line('R3', tx.r3, Q.x, 50_000, 100_000, 5000, '2027-02-03'),
        line('R4', tx.r4, Q.x, 500_000, 500_000, 10_000, '2027-02-04'),
      ])
      .execute();
  });
  for (const id of Object.values(Q))
    await comp.createAssignment(f.t.deps, author, { participantId: id, planId: v.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
  runId = (await f.completedRun('2027-01-01', '2027-04-01')).id;
}, 120_000);

afterAll(async () => {
  await f?.t.close();
});

const get = (url: string) => f.t.app.inject({ method: 'GET', url, headers: f.admin.headers });

async function drill(participantId: string): Promise<{ statement: StatementView; pages: { total: number; items: LineTransactionView[] }[] }> {
  const r = await get(`/api/comp/statements?runId=${runId}&participantId=${participantId}`);
  expect(r.statusCode, r.body).toBe(200);
  const statement = r.json<StatementView>();
  const pages = [];
  for (const l of statement.periods.flatMap((p) => p.lines)) {
    const d = await get(`/api/comp/statements/${runId}/${participantId}/lines/${l.index}/transactions?limit=2`);
    expect(d.statusCode, d.body).toBe(200);
    const first = d.json<{ total: number; items: LineTransactionView[] }>();
    // The rest of the line's transactions, a page at a time.
    const items = [...first.items];
    while (items.length < first.total) {
      const next = await get(`/api/comp/statements/${runId}/${participantId}/lines/${l.index}/transactions?limit=2&offset=${items.length}`);
      items.push(...next.json<{ items: LineTransactionView[] }>().items);
    }
    expect(items.reduce((a, x) => a + x.creditMinor, 0)).toBe(l.buckets.reduce((a, b) => a + b.creditMinor, 0));
    pages.push({ total: first.total, items });
  }
  return { statement, pages };
}

describe('the drill-down of roll-up lines', () => {
  it('takes a manager’s line back to their reports’ transactions only, each with the credit it rolled up', async () => {
    const { statement, pages } = await drill(Q.m);
    expect(statement.periods[0]?.totalMinor).toBe(35_000);
    const items = pages.flatMap((p) => p.items);
    expect(items.map((x) => [x.transactionRef, x.fromParticipantId, x.creditKind, x.creditMinor]).sort()).toEqual(
      [
        ['R1', Q.s1, 'rollup', 100_000],
        ['R2', Q.s1, 'rollup', 120_000],
        ['R2', Q.s2, 'rollup', 80_000],
        ['R3', Q.s2, 'rollup', 50_000],
      ].sort(),
    );
    expect(pages.reduce((a, p) => a + p.total, 0)).toBe(4);
  });

  it('reaches two levels down for the director, and nothing of the seller outside the team', async () => {
    const { statement, pages } = await drill(Q.d);
    expect(statement.periods[0]?.totalMinor).toBe(35_000);
    const refs = pages.flatMap((p) => p.items.map((x) => x.transactionRef));
    expect(refs.sort()).toEqual(['R1', 'R2', 'R2', 'R3']);
  });

  it('gives a seller in a shared deal their own share only', async () => {
    const { pages } = await drill(Q.x);
    expect(pages.flatMap((p) => p.items.map((x) => [x.transactionRef, x.creditKind, x.creditMinor])).sort()).toEqual(
      [
        ['R3', 'split', 50_000],
        ['R4', 'direct', 500_000],
      ].sort(),
    );
  });
});
