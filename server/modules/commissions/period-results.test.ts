import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeriodResultsView } from '../../../common/api/commissions-period-results.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { closePeriod, createPeriod, restatePeriod } from './close.service.ts';
import { runsFixture, type RunsFixture } from './runs.test-support.ts';

/**
 * Per-version totals of a closed period over the runs fixture (runs.test-support.ts): Q1 pays A
 * 510.00 and C 49.00. A late 1,000.00 sale of A in Q1 restates it: A 610.00 in v2, the difference
 * booked in Q2.
 */

let f: RunsFixture;
let periodId: string;
let q2Id: string;
const system = systemActor('test');

beforeAll(async () => {
  f = await runsFixture();
  const run1 = await f.completedRun('2027-01-01', '2027-04-01');
  const q1 = await createPeriod(f.t.deps, system, { periodStart: '2027-01-01', periodEnd: '2027-04-01' });
  q2Id = (await createPeriod(f.t.deps, system, { periodStart: '2027-04-01', periodEnd: '2027-07-01' })).id;
  periodId = q1.id;
  await closePeriod(f.t.deps, system, periodId, { runId: run1.id });
  await inTransaction(f.t.deps, system, (trx) =>
    trx
      .insertInto('salesTransaction')
      .values({
        participantId: f.P.a,
        salesTransactionId: newId(),
        transactionImportId: newId(),
        partnerId: null,
        amountMinor: 100_000,
        dealAmountMinor: 100_000,
        recognisedOn: '2027-03-30',
        originalRecognisedOn: null,
        splitBps: 10_000,
        currency: 'EUR',
        role: 'seller',
        kind: 'booking',
        sourcing: 'direct',
        transactionRef: 'LATE',
        partnerRef: null,
        product: null,
        scenario: null,
        segment: null,
        endCustomer: null,
        territory: null,
      })
      .execute(),
  );
  const run2 = await f.completedRun('2027-01-01', '2027-04-01');
  await restatePeriod(f.t.deps, system, periodId, { runId: run2.id });
});
afterAll(async () => f?.t.close());

const results = (s: { headers: Record<string, string> }, id: string, q = '') =>
  f.t.app.inject({ method: 'GET', url: `/api/comp/periods/${id}/results${q}`, headers: s.headers });

describe('period results', () => {
  it('gives each version’s totals and each participant’s total per version, largest first', async () => {
    const r = await results(f.admin, periodId);
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json<PeriodResultsView>();
    expect(v.versions.map((x) => [x.version, x.kind, x.participantCount, x.totals])).toEqual([
      [1, 'close', 3, [{ currency: 'EUR', totalMinor: 55_900 }]],
      [2, 'restatement', 3, [{ currency: 'EUR', totalMinor: 65_900 }]],
    ]);
    expect(v.participants.map((p) => [p.name, p.byVersion])).toEqual([
      ['Ann Seller', [51_000, 61_000]],
      ['Cy Seller', [4_900, 4_900]],
      ['Bea Manager', [0, 0]],
    ]);
    expect(v.adjustmentsBooked).toEqual([]);
    const limited = (await results(f.admin, periodId, '?limit=1')).json<PeriodResultsView>();
    expect([limited.participants.length, limited.participantsLeftOut]).toEqual([1, 2]);
  });

  it('lists the restatement’s adjustment, with the name, in the period it was booked in', async () => {
    const v = (await results(f.admin, q2Id)).json<PeriodResultsView>();
    expect(v.versions).toEqual([]);
    expect(v.adjustmentsBooked).toMatchObject([{ name: 'Ann Seller', amountMinor: 10_000, currency: 'EUR', sourcePeriodId: periodId, sourceVersion: 2 }]);
  });

  it('is for comp admins, finance and administrators: sellers are refused, partners and unknown ids get 404', async () => {
    expect((await results(f.seller, periodId)).statusCode).toBe(403);
    expect((await results(f.partner, periodId)).statusCode).toBe(404);
    expect((await results(f.admin, newId())).statusCode).toBe(404);
  });
});
