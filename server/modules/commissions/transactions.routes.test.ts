import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransactionImportView } from '../../../common/api/commissions-transactions.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { startWorker } from '../../jobs/worker.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { deleteParticipant } from '../comp-plans/comp-plans.service.ts';
import { COMMIT_JOB_ATTEMPTS, commitTransactionImport, runCommitJob, validateTransactionImport } from './transactions.service.ts';

let t: TestApp;
let admin: Session;
let adminActor: Parameters<typeof commitTransactionImport>[1];
let partnerSession: Session;
let sellerSession: Session;
let acmeId: string;
const participantIds = new Map<string, string>();

async function makeParticipants(refs: string[]): Promise<void> {
  const rows = refs.map((ref) => ({ compParticipantId: newId(), externalRef: ref, displayName: `Seller ${ref}` }));
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('compParticipant')
        .values(rows.slice(i, i + 1000))
        .execute();
  });
  for (const r of rows) participantIds.set(r.externalRef, r.compParticipantId);
}

async function count(table: 'salesTransaction' | 'transactionImport' | 'auditEntry', where?: { importId: string }): Promise<number> {
  let q = t.deps.db.selectFrom(table as 'salesTransaction').select((eb) => eb.fn.countAll<string>().as('n'));
  if (where) q = q.where('transactionImportId', '=', where.importId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function upload(body: Buffer | string, session = admin, query = '', contentType = 'text/csv') {
  return t.app.inject({
    method: 'POST',
    url: `/api/comp/transaction-imports${query}`,
    headers: { ...session.headers, 'content-type': contentType },
    payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  });
}

async function uploaded(body: Buffer | string, query = '', contentType = 'text/csv'): Promise<TransactionImportView> {
  const r = await upload(body, admin, query, contentType);
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

async function validate(id: string, mapping: Record<string, string>, session = admin) {
  return t.app.inject({ method: 'POST', url: `/api/comp/transaction-imports/${id}/validate`, headers: session.headers, payload: { mapping } });
}

async function commit(id: string, mode: 'good_rows' | 'all_or_nothing', session = admin) {
  return t.app.inject({ method: 'POST', url: `/api/comp/transaction-imports/${id}/commit`, headers: session.headers, payload: { mode } });
}

const header = 'Order ID,Type,Order date,Amount,Currency,Salesperson,Reseller,Sourcing';
const body = (refs: string[]) => ({
  mode: 'good_rows',
  rows: refs.map((r, i) => ({
    transaction_id: r,
    kind: 'booking',
    recognised_on: '2026-09-01',
    amount: 100 + i,
    currency: 'USD',
    sellers: i === 1 ? 'S404' : 'S1',
  })),
});

let refCounter = 0;
const ref = (p = 'R') => `${p}-${++refCounter}`;

beforeAll(async () => {
  t = await createTestApp();
  const u = await makeUser(t.deps, { roles: ['comp_admin'] });
  admin = await signIn(t.app, u.email);
  adminActor = {
    kind: 'user',
    userId: u.id,
    email: u.email,
    displayName: 'Comp admin',
    partnerId: null,
    roles: ['comp_admin'],
    via: 'session',
    requestId: null,
  };
  const acme = await makePartner(t.deps, 'Acme Resellers');
  acmeId = acme.id;
  partnerSession = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: acme.id })).email);
  sellerSession = await signIn(t.app, (await makeUser(t.deps, { roles: ['internal_seller'] })).email);
  await makeParticipants(['S1', 'S2', 'S3']);
});
afterAll(async () => t?.close());

describe('a CSV import with good and bad rows', () => {
  function mixedFile(): { csv: string; refs: string[] } {
    const refs = [ref(), ref(), ref(), ref(), ref()];
    const csv = [
      header,
      `${refs[0]},invoice,2026-03-01,"1,000.01",USD,S1:60;S2:40,Acme Resellers,partner_sourced`,
      `${refs[1]},invoice,2026-03-02,abc,USD,S1,,`,
      `${refs[2]},booking,2026-03-03,250,EUR,S3,,`,
      `${refs[3]},invoice,2026-03-04,10,USD,S404,,`,
      `${refs[2]},invoice,2026-03-05,10,USD,S1,,`,
      `${refs[4]},credit_note,2026-03-06,-5.50,USD,S2,Some Other Partner,partner_influenced`,
    ].join('\n');
    return { csv, refs };
  }

  it('proposes a mapping, reports bad rows by line and reason, commits the good rows', async () => {
    const { csv, refs } = mixedFile();
    const up = await uploaded(csv, '?sourceName=march.csv');
    expect(up).toMatchObject({ status: 'validating', format: 'csv', sourceName: 'march.csv', replayed: false, counts: null });
    expect(up.headers).toEqual(header.split(','));
    expect(up.sample[0]?.[0]).toBe(refs[0]);
    expect(up.mapping).toEqual({
      transaction_id: 'Order ID',
      kind: 'Type',
      recognised_on: 'Order date',
      amount: 'Amount',
      currency: 'Currency',
      sellers: 'Salesperson',
      partner: 'Reseller',
      sourcing: 'Sourcing',
    });

    const v = await validate(up.id, up.mapping);
    expect(v.statusCode, v.body).toBe(200);
    const report = v.json<TransactionImportView>();
    expect(report.counts).toEqual({ rows: 6, good: 3, bad: 3, alreadyStored: 0 });
    expect(report.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [3, 'amount', '"abc" is not an amount'],
      [5, 'sellers', '"S404" is not a known participant'],
      [6, 'transaction_id', 'repeats the transaction id of line 4'],
    ]);
    expect(await count('salesTransaction', { importId: up.id })).toBe(0);

    const c = await commit(up.id, 'good_rows');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'committed', commitMode: 'good_rows', storedLines: 4, progress: { done: 6, total: 6 } });

    const list = await t.app.inject({ method: 'GET', url: `/api/comp/transactions?importId=${up.id}&limit=50`, headers: admin.headers });
    expect(list.statusCode, list.body).toBe(200);
    const lines = list.json<{
      items: {
        transactionRef: string;
        participantId: string;
        amountMinor: number;
        dealAmountMinor: number;
        partnerId: string | null;
        partnerRef: string | null;
      }[];
      total: number;
    }>();
    expect(lines.total).toBe(4);
    const first = lines.items.filter((l) => l.transactionRef === refs[0]).sort((a, b) => b.amountMinor - a.amountMinor);
    expect(first.map((l) => [l.participantId, l.amountMinor, l.dealAmountMinor, l.partnerId])).toEqual([
      [participantIds.get('S1'), 60_001, 100_001, acmeId],
      [participantIds.get('S2'), 40_000, 100_001, acmeId],
    ]);
    expect(lines.items.find((l) => l.transactionRef === refs[4])).toMatchObject({ amountMinor: -550, partnerId: null, partnerRef: 'Some Other Partner' });

    const byPeriod = await t.app.inject({
      method: 'GET',
      url: `/api/comp/transactions?participantId=${participantIds.get('S2')}&from=2026-03-01&to=2026-03-06`,
      headers: admin.headers,
    });
    expect(byPeriod.json().items.map((l: { transactionRef: string }) => l.transactionRef)).toEqual([refs[0]]);
    // The uploaded bytes are gone once the batch is decided; the batch and its report stay.
    expect(
      Number(
        (
          await t.deps.db
            .selectFrom('transactionImportChunk')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('transactionImportId', '=', up.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(0);
  });

  it('all_or_nothing with a bad row stores nothing and rejects the batch', async () => {
    const { csv } = mixedFile();
    const up = await uploaded(csv);
    expect((await validate(up.id, up.mapping as Record<string, string>)).statusCode).toBe(200);
    const c = await commit(up.id, 'all_or_nothing');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'rejected', storedLines: 0, counts: { bad: 3 } });
    expect(await count('salesTransaction', { importId: up.id })).toBe(0);
    // The decision is final: the other mode is refused now.
    expect((await commit(up.id, 'good_rows')).statusCode).toBe(409);
  });

  it('all_or_nothing with only good rows stores them all', async () => {
    const csv = [header, `${ref()},invoice,2026-04-01,100,USD,S1,,`, `${ref()},invoice,2026-04-02,200,USD,S2:50;S3:50,,`].join('\n');
    const up = await uploaded(csv);
    expect((await validate(up.id, up.mapping as Record<string, string>)).statusCode).toBe(200);
    const c = await commit(up.id, 'all_or_nothing');
    expect(c.json()).toMatchObject({ status: 'committed', storedLines: 3, counts: { rows: 2, good: 2, bad: 0 } });
  });

  it('refuses a mapping that leaves a required column out or names a column the file lacks', async () => {
    const up = await uploaded([header, `${ref()},invoice,2026-04-01,100,USD,S1,,`].join('\n'));
    const r = await validate(up.id, { transaction_id: 'Order ID', kind: 'Type', recognised_on: 'Nope', amount: 'Amount', currency: 'Currency' });
    expect(r.statusCode).toBe(400);
    expect(r.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.mapping.recognised_on', 'body.mapping.sellers']);
    // Committing before a validation is refused.
    expect((await commit(up.id, 'good_rows')).statusCode).toBe(409);
  });
});

describe('replays', () => {
  it('the same file twice is one batch: the second upload answers the first, nothing new is written', async () => {
    const csv = [header, `${ref()},invoice,2026-05-01,100,USD,S1,,`].join('\n');
    const first = await uploaded(csv, '?clientBatchId=may-1');
    const [batches, audits] = [await count('transactionImport'), await count('auditEntry')];
    const again = await upload(csv, admin, '?sourceName=renamed.csv');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.id, replayed: true, sourceName: 'upload', clientBatchId: 'may-1' });
    expect([await count('transactionImport'), await count('auditEntry')]).toEqual([batches, audits]);
    // The batch id names that file: another file under it is a conflict.
    expect((await upload(`${csv}\n`, admin, '?clientBatchId=may-1')).statusCode).toBe(409);
    // After the commit, replaying the file still answers the committed batch.
    await validate(first.id, first.mapping);
    await commit(first.id, 'good_rows');
    expect((await upload(csv)).json()).toMatchObject({ id: first.id, status: 'committed', replayed: true });
  });

  it('a row already stored is a no-op in a later file; the same id with other content is a row error', async () => {
    const [a, b] = [ref(), ref()];
    const row = `${a},invoice,2026-05-02,100,USD,S1:50;S2:50,,`;
    const up1 = await uploaded([header, row].join('\n'));
    await validate(up1.id, up1.mapping);
    expect((await commit(up1.id, 'good_rows')).json()).toMatchObject({ storedLines: 2 });

    const up2 = await uploaded([header, row, `${b},invoice,2026-05-02,999,USD,S1,,`, `${a},invoice,2026-05-02,100,USD,S1,,`].join('\n'));
    const v = (await validate(up2.id, up2.mapping)).json<TransactionImportView>();
    // line 2 is a replay of the stored row; line 4 reuses its id with other splits (also a repeat within the file).
    expect(v.counts).toEqual({ rows: 3, good: 2, bad: 1, alreadyStored: 1 });
    expect(v.problems.map((p) => [p.line, p.message])).toEqual([[4, 'repeats the transaction id of line 2']]);
    const c = (await commit(up2.id, 'good_rows')).json<TransactionImportView>();
    expect(c).toMatchObject({ status: 'committed', storedLines: 1 });
    expect(await count('salesTransaction', { importId: up1.id })).toBe(2);

    const up3 = await uploaded([header, `${a},invoice,2026-05-02,100,USD,S1,,`].join('\n'));
    const v3 = (await validate(up3.id, up3.mapping)).json<TransactionImportView>();
    expect(v3.problems.map((p) => [p.line, p.column, p.message])).toEqual([[2, 'transaction_id', 'was already imported with different content']]);
  });

  it('a batch validated before another batch was committed is checked again at its commit', async () => {
    const [shared, other] = [ref('V'), ref('V')];
    const a = await uploaded([header, `${shared},invoice,2026-08-01,10,USD,S1,,`].join('\n'));
    const b = await uploaded([header, `${shared},invoice,2026-08-01,99,USD,S1,,`, `${other},invoice,2026-08-02,20,USD,S2,,`].join('\n'));
    expect((await validate(a.id, a.mapping)).json<TransactionImportView>().counts).toEqual({ rows: 1, good: 1, bad: 0, alreadyStored: 0 });
    expect((await validate(b.id, b.mapping)).json<TransactionImportView>().counts).toEqual({ rows: 2, good: 2, bad: 0, alreadyStored: 0 });
    expect((await commit(a.id, 'good_rows')).json()).toMatchObject({ status: 'committed', storedLines: 1 });
    // The store changed after b's validation: its answers no longer hold, every row is checked again.
    const c = (await commit(b.id, 'good_rows')).json<TransactionImportView>();
    expect(c).toMatchObject({ status: 'committed', storedLines: 1, counts: { rows: 2, good: 1, bad: 1, alreadyStored: 0 } });
    expect(c.problems.map((p) => [p.line, p.column, p.message])).toEqual([[2, 'transaction_id', 'was already imported with different content']]);
    const lines = await t.deps.db
      .selectFrom('salesTransaction')
      .select(['transactionRef', 'amountMinor'])
      .where('transactionRef', 'in', [shared, other])
      .execute();
    expect(lines.map((l) => [l.transactionRef, l.amountMinor]).sort()).toEqual([
      [shared, 1000],
      [other, 2000],
    ]);
  });

  it('a participant added after the validation is found at the commit', async () => {
    const late = `LATE-${++refCounter}`;
    const [x, y] = [ref('W'), ref('W')];
    const up = await uploaded([header, `${x},invoice,2026-08-03,10,USD,${late},,`, `${y},invoice,2026-08-04,20,USD,S1,,`].join('\n'));
    const v = (await validate(up.id, up.mapping)).json<TransactionImportView>();
    expect(v.counts).toEqual({ rows: 2, good: 1, bad: 1, alreadyStored: 0 });
    await makeParticipants([late]);
    const c = (await commit(up.id, 'good_rows')).json<TransactionImportView>();
    expect(c).toMatchObject({ status: 'committed', storedLines: 2, counts: { rows: 2, good: 2, bad: 0, alreadyStored: 0 }, problems: [] });
  });

  it('two concurrent commits of one batch have exactly one effect', async () => {
    const csv = [
      header,
      ...Array.from({ length: 50 }, (_, i) => `${ref('C')},invoice,2026-06-${String((i % 28) + 1).padStart(2, '0')},${i + 1},USD,S1:70;S2:30,,`),
    ].join('\n');
    const up = await uploaded(csv);
    await validate(up.id, up.mapping);
    const audits = await count('auditEntry');
    const [r1, r2] = await Promise.all([commit(up.id, 'good_rows'), commit(up.id, 'good_rows')]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    expect([r1.json().replayed, r2.json().replayed].sort()).toEqual([false, true]);
    expect(await count('salesTransaction', { importId: up.id })).toBe(100);
    expect((await count('auditEntry')) - audits).toBe(1);
  });
});

describe('XLSX', () => {
  it('imports the first worksheet of a workbook: dates, numbers and text cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sales');
    ws.addRow(['Invoice Number', 'Kind', 'Invoice date', 'Net amount', 'Currency', 'Sales rep', 'Customer']);
    const [a, b] = [ref('X'), ref('X')];
    ws.addRow([a, 'invoice', new Date(Date.UTC(2026, 6, 15)), 1234.5, 'USD', 'S1', 'Globex']);
    ws.addRow([b, 'booking', '2026-07-16', 0.1 + 0.2, 'usd', 'S2:25;S3:75', 'Initech']);
    ws.addRow([]);
    ws.addRow([ref('X'), 'invoice', '16/07/2026', 'ten', 'USD', 'S1', '']);
    wb.addWorksheet('Ignored').addRow(['not', 'read']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());

    const up = await uploaded(buffer, '?sourceName=july.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(up).toMatchObject({ format: 'xlsx', headers: ['Invoice Number', 'Kind', 'Invoice date', 'Net amount', 'Currency', 'Sales rep', 'Customer'] });
    expect(up.mapping).toEqual({
      transaction_id: 'Invoice Number',
      kind: 'Kind',
      recognised_on: 'Invoice date',
      amount: 'Net amount',
      currency: 'Currency',
      sellers: 'Sales rep',
      end_customer: 'Customer',
    });
    const v = (await validate(up.id, up.mapping)).json<TransactionImportView>();
    expect(v.counts).toEqual({ rows: 3, good: 2, bad: 1, alreadyStored: 0 });
    // The row schema checks the cells' shapes before the amount, so line 5 is reported for its date.
    expect(v.problems.map((p) => [p.line, p.column])).toEqual([[5, 'recognised_on']]);
    expect((await commit(up.id, 'good_rows')).json()).toMatchObject({ status: 'committed', storedLines: 3 });
    const lines = await t.deps.db.selectFrom('salesTransaction').selectAll().where('transactionImportId', '=', up.id).orderBy('amountMinor').execute();
    expect(lines.map((l) => [l.transactionRef, l.recognisedOn, l.amountMinor, l.currency, l.endCustomer])).toEqual([
      [b, '2026-07-16', 8, 'USD', 'Initech'],
      [b, '2026-07-16', 22, 'USD', 'Initech'],
      [a, '2026-07-15', 123_450, 'USD', 'Globex'],
    ]);
  });
});

describe('large batches and failures', () => {
  it('a failure at row N of a commit leaves nothing written; the batch can be committed again', async () => {
    const rows = Array.from(
      { length: 12_000 },
      (_, i) => `${ref('F')},invoice,2026-08-${String((i % 28) + 1).padStart(2, '0')},${(i % 500) + 1}.25,USD,S${(i % 3) + 1},,`,
    );
    const up = await uploaded([header, ...rows].join('\n'));
    await validateTransactionImport(t.deps, adminActor, up.id, up.mapping);
    let calls = 0;
    await expect(
      commitTransactionImport(t.deps, adminActor, up.id, 'good_rows', {
        inlineMaxRows: 100_000,
        onProgress: async (done) => {
          calls++;
          if (done >= 10_000) throw new Error(`simulated crash after row ${done}`);
        },
      }),
    ).rejects.toThrow(/simulated crash after row 10000/);
    expect(calls).toBe(2);
    expect(await count('salesTransaction', { importId: up.id })).toBe(0);
    const after = await t.app.inject({ method: 'GET', url: `/api/comp/transaction-imports/${up.id}`, headers: admin.headers });
    expect(after.json()).toMatchObject({ status: 'validating', commitMode: null, storedLines: 0 });

    const done = await commitTransactionImport(t.deps, adminActor, up.id, 'good_rows', { inlineMaxRows: 100_000 });
    expect(done).toMatchObject({ status: 'committed', storedLines: 12_000 });
  });

  it('a commit job that fails records why, and after its last attempt gives the batch back for another commit', async () => {
    const up = await uploaded([header, `${ref('L')},invoice,2026-08-01,10,USD,S1,,`, `${ref('L')},invoice,2026-08-02,20,USD,S2,,`].join('\n'));
    await validate(up.id, up.mapping);
    expect(await commitTransactionImport(t.deps, adminActor, up.id, 'good_rows', { inlineMaxRows: 0 })).toMatchObject({ status: 'committing' });
    const failing = { onProgress: async () => Promise.reject(new Error('disk on fire')) };
    await expect(runCommitJob(t.deps, up.id, 1, failing)).rejects.toThrow('disk on fire');
    const get = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/comp/transaction-imports/${up.id}`, headers: admin.headers })).json<TransactionImportView>();
    expect(await get()).toMatchObject({ status: 'committing', error: 'disk on fire', storedLines: 0 });
    await expect(runCommitJob(t.deps, up.id, COMMIT_JOB_ATTEMPTS, failing)).rejects.toThrow('disk on fire');
    expect(await get()).toMatchObject({ status: 'validating', commitMode: null, error: 'disk on fire' });
    expect(await count('salesTransaction', { importId: up.id })).toBe(0);
    expect((await commit(up.id, 'good_rows')).json()).toMatchObject({ status: 'committed', storedLines: 2, error: null });
  });

  it('streams a 100k-row file and commits it through the job, with progress', { timeout: 120_000 }, async () => {
    await makeParticipants(Array.from({ length: 500 }, (_, i) => `P${i}`));
    const lines: string[] = [header];
    for (let i = 0; i < 100_000; i++) {
      const d = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const sellers = i % 4 === 0 ? `P${i % 500}:50;P${(i + 1) % 500}:50` : `P${i % 500}`;
      lines.push(`BIG-${i},invoice,${d},${(i % 9000) + 1}.${String(i % 100).padStart(2, '0')},USD,${sellers},,`);
    }
    const started = performance.now();
    const up = await uploaded(lines.join('\n'));
    const v = (await validate(up.id, up.mapping)).json<TransactionImportView>();
    expect(v.counts).toEqual({ rows: 100_000, good: 100_000, bad: 0, alreadyStored: 0 });
    const c = (await commit(up.id, 'all_or_nothing')).json<TransactionImportView>();
    expect(c).toMatchObject({ status: 'committing', progress: { done: 0, total: 100_000 } });

    // The job, run here so its progress can be read from outside while it runs.
    const seen: { status: string; done: number; total: number }[] = [];
    const visible: number[] = [];
    await runCommitJob(t.deps, up.id, 1, {
      onProgress: async () => {
        const r = (await t.app.inject({ method: 'GET', url: `/api/comp/transaction-imports/${up.id}`, headers: admin.headers })).json<TransactionImportView>();
        seen.push({ status: r.status, ...r.progress });
        visible.push(await count('salesTransaction', { importId: up.id }));
      },
    });
    expect(seen.length).toBe(20);
    expect(seen[0]).toEqual({ status: 'committing', done: 5000, total: 100_000 });
    expect(seen.at(-1)).toEqual({ status: 'committing', done: 100_000, total: 100_000 });
    // Nothing is visible from outside before the commit ends: one transaction.
    expect(new Set(visible)).toEqual(new Set([0]));
    expect(await count('salesTransaction', { importId: up.id })).toBe(125_000);
    // The queued job itself (the worker) then finds the batch committed and does nothing more.
    const worker = startWorker(t.deps, jobDefinitions, { autoStart: false });
    expect(await worker.drain()).toBeGreaterThanOrEqual(1);
    await worker.stop();
    const job = await t.deps.db.selectFrom('job').select(['status']).where('idempotencyKey', '=', `transaction-import:${up.id}`).executeTakeFirstOrThrow();
    expect(job.status).toBe('succeeded');
    const end = await t.app.inject({ method: 'GET', url: `/api/comp/transaction-imports/${up.id}`, headers: admin.headers });
    expect(end.json()).toMatchObject({ status: 'committed', storedLines: 125_000, progress: { done: 100_000, total: 100_000 }, error: null });
    expect(await count('salesTransaction', { importId: up.id })).toBe(125_000);
    t.deps.log.info({ ms: Math.round(performance.now() - started) }, '100k-row import: upload, validation and commit');
  });
});

describe('rows sent as JSON', () => {
  it('are checked like a file, committed at once, and idempotent by key', async () => {
    const refs = [ref('J'), ref('J'), ref('J')];
    const send = (payload: unknown, key: string) =>
      t.app.inject({ method: 'POST', url: '/api/comp/transactions', headers: { ...admin.headers, 'idempotency-key': key }, payload: payload as object });
    const r1 = await send(body(refs), 'json-1');
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json()).toMatchObject({ format: 'json', status: 'committed', storedLines: 2, counts: { rows: 3, good: 2, bad: 1 } });
    expect(r1.json().problems).toEqual([{ line: 3, column: 'sellers', message: '"S404" is not a known participant', transactionRef: refs[1] }]);
    const r2 = await send(body(refs), 'json-1');
    expect(r2.statusCode).toBe(200);
    expect(r2.json()).toMatchObject({ id: r1.json().id, replayed: true });
    expect((await send(body([ref('J')]), 'json-1')).statusCode).toBe(409);
    expect(await count('salesTransaction', { importId: r1.json().id })).toBe(2);
  });
});

describe('who may', () => {
  it('partners get 404 everywhere; internal users without a comp role 403', async () => {
    const up = await uploaded([header, `${ref()},invoice,2026-04-01,100,USD,S1,,`].join('\n'));
    for (const s of [partnerSession, sellerSession]) {
      const expected = s === partnerSession ? 404 : 403;
      expect((await upload(`${header}\n${ref()},invoice,2026-04-01,1,USD,S1,,`, s)).statusCode).toBe(expected);
      expect((await t.app.inject({ method: 'GET', url: `/api/comp/transaction-imports/${up.id}`, headers: s.headers })).statusCode).toBe(expected);
      expect((await t.app.inject({ method: 'GET', url: '/api/comp/transaction-imports', headers: s.headers })).statusCode).toBe(expected);
      expect((await validate(up.id, up.mapping as Record<string, string>, s)).statusCode).toBe(expected);
      expect((await commit(up.id, 'good_rows', s)).statusCode).toBe(expected);
      expect((await t.app.inject({ method: 'GET', url: '/api/comp/transactions', headers: s.headers })).statusCode).toBe(expected);
      expect((await t.app.inject({ method: 'POST', url: '/api/comp/transactions', headers: s.headers, payload: body([ref('J')]) })).statusCode).toBe(expected);
    }
    // Finance may.
    const finance = await signIn(t.app, (await makeUser(t.deps, { roles: ['finance'] })).email);
    expect((await t.app.inject({ method: 'GET', url: `/api/comp/transaction-imports/${up.id}`, headers: finance.headers })).statusCode).toBe(200);
  });

  it('row-level security hides every row from the partner scope', async () => {
    const seen = await inTransaction(
      t.deps,
      { kind: 'user', userId: newId(), email: 'p@x.test', displayName: 'P', partnerId: acmeId, roles: ['partner_admin'], via: 'session', requestId: null },
      async (trx) => [
        (await trx.selectFrom('salesTransaction').select('participantId').limit(1).execute()).length,
        (await trx.selectFrom('transactionImport').select('transactionImportId').limit(1).execute()).length,
        (await trx.selectFrom('transactionImportChunk').select('seq').limit(1).execute()).length,
      ],
    );
    expect(seen).toEqual([0, 0, 0]);
    expect(await count('salesTransaction')).toBeGreaterThan(0);
  });
});

describe("the store's reference to participants (one check per statement, migration 0021)", () => {
  const lineFor = (participantId: string, ref: string) => ({
    participantId,
    salesTransactionId: newId(),
    transactionImportId: newId(),
    partnerId: null,
    amountMinor: 1000,
    dealAmountMinor: 1000,
    recognisedOn: '2026-09-01',
    originalRecognisedOn: null,
    splitBps: 10_000,
    currency: 'EUR',
    role: 'seller' as const,
    kind: 'invoice' as const,
    sourcing: 'direct' as const,
    transactionRef: ref,
    partnerRef: null,
    product: null,
    scenario: null,
    segment: null,
    endCustomer: null,
    territory: null,
  });

  it('refuses a statement whose lines name a participant that does not exist, as the application role', async () => {
    await makeParticipants(['FK1']);
    const known = participantIds.get('FK1') as string;
    const err = await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('salesTransaction')
        .values([lineFor(known, ref('FK')), lineFor(newId(), ref('FK'))])
        .execute(),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '23503' });
    const lines = await t.deps.db.selectFrom('salesTransaction').select('transactionRef').where('participantId', '=', known).execute();
    expect(lines).toEqual([]);
    // The known participant alone is fine.
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('salesTransaction')
        .values(lineFor(known, ref('FK')))
        .execute(),
    );
  });

  it('reads the scope once per statement, not once per line (migration 0038), and still refuses lines written in the partner scope', async () => {
    await makeParticipants(['RLS1']);
    const id = participantIds.get('RLS1') as string;
    const plans = await inTransaction(t.deps, systemActor('test'), async (trx) => {
      const explain = async (q: string) =>
        (await sql.raw<{ 'QUERY PLAN': string }>(`explain (verbose, costs off) ${q}`).execute(trx)).rows.map((r) => r['QUERY PLAN']).join('\n');
      return [await explain('select sum(amount_minor) from sales_transaction'), await explain('select count(*) from commission_result')];
    });
    for (const plan of plans) {
      // The policy's scope check is an InitPlan, run once; each row is compared with its value
      // ("(InitPlan 1).col1" on PostgreSQL 17 and later, "$0" before), with no setting read per row.
      expect(plan).toMatch(/InitPlan/);
      const filters = plan.split('\n').filter((l) => l.trim().startsWith('Filter:'));
      expect(filters).toHaveLength(1);
      expect(filters[0]).toMatch(/= ANY \('\{system,internal\}'/);
      expect(filters[0]).not.toMatch(/current_setting/);
    }
    const partner = {
      kind: 'user' as const,
      userId: newId(),
      email: 'p@x.test',
      displayName: 'P',
      partnerId: acmeId,
      roles: ['partner_admin' as const],
      via: 'session' as const,
      requestId: null,
    };
    const err = await inTransaction(t.deps, partner, (trx) =>
      trx
        .insertInto('salesTransaction')
        .values(lineFor(id, ref('RLS')))
        .execute(),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '42501' });
    expect(await t.deps.db.selectFrom('salesTransaction').select('transactionRef').where('participantId', '=', id).execute()).toEqual([]);
  });

  it('refuses to delete a participant with lines (comp-plans answers "pay records"); one without lines can go', async () => {
    await makeParticipants(['FK2', 'FK3']);
    const withLines = participantIds.get('FK2') as string;
    await inTransaction(t.deps, systemActor('test'), (trx) =>
      trx
        .insertInto('salesTransaction')
        .values(lineFor(withLines, ref('FK')))
        .execute(),
    );
    await expect(deleteParticipant(t.deps, adminActor, withLines)).rejects.toThrow(/pay records/);
    await deleteParticipant(t.deps, adminActor, participantIds.get('FK3') as string);
    const left = await t.deps.db.selectFrom('compParticipant').select('externalRef').where('externalRef', 'in', ['FK2', 'FK3']).execute();
    expect(left).toEqual([{ externalRef: 'FK2' }]);
  });

  it('a delete that waits for an import holding the participant sees its lines once committed, and is refused', async () => {
    await makeParticipants(['FK4']);
    const id = participantIds.get('FK4') as string;
    let deleting: Promise<unknown> = Promise.resolve();
    await inTransaction(t.deps, systemActor('test'), async (trx) => {
      // The statement's check takes FOR KEY SHARE on FK4: the delete below waits for this transaction.
      await trx
        .insertInto('salesTransaction')
        .values(lineFor(id, ref('FK')))
        .execute();
      deleting = deleteParticipant(t.deps, adminActor, id).then(
        () => 'deleted',
        (e: unknown) => e,
      );
      // Until the delete is seen waiting on the lock (asked on another connection, outside this transaction).
      for (let i = 0; i < 400; i++) {
        const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query ilike 'delete from "comp_participant"%'`.execute(t.deps.db);
        if ((r.rows[0]?.n ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    expect(await deleting).toMatchObject({ message: expect.stringMatching(/pay records/) });
    expect(await t.deps.db.selectFrom('compParticipant').select('externalRef').where('compParticipantId', '=', id).execute()).toEqual([{ externalRef: 'FK4' }]);
  });
});
