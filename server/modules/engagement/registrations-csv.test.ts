import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { parseRegistrationCsv } from './registrations-csv.ts';
import { publishTestRules, testRules } from './registrations.test-support.ts';

let t: TestApp;
let seller: Session;
let partnerId: string;

async function regCount(): Promise<number> {
  const r = await t.deps.db
    .selectFrom('dealRegistration')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('partnerId', '=', partnerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
async function auditCount(): Promise<number> {
  const r = await t.deps.db
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const header = 'client_reference,scenario,end_customer_name,value,currency,end_customer_country,expected_close_on';
const good = [
  'R-1,consulting,Alpha Industries,25000.00,EUR,DE,2026-09-30',
  'R-2,migration,Beta Logistics,"12,500.50",EUR,FR,2026-10-15',
  'R-3,managed_service,Gamma Health,15000,EUR,NL,2026-11-01',
];

beforeAll(async () => {
  t = await createTestApp();
  const p = await makePartner(t.deps);
  partnerId = p.id;
  seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId })).email);
  await publishTestRules(t.deps, testRules());
});
afterAll(async () => t?.close());

describe('parsing', () => {
  it('reports each bad cell by line and column; multi-line cells keep the start line', () => {
    const csv = [
      header + ',description',
      'A,consulting,Acme,10.00,EUR,DE,2026-01-01,"two',
      'lines"',
      ',,Nameless,abc,EURO,Germany,2026-02-30,',
      'C,consulting,Acme,1.234,EUR,DE,,',
    ].join('\n');
    const { rows } = parseRegistrationCsv(csv);
    expect(rows.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(rows[0]?.issues).toEqual([]);
    expect(rows[0]?.input?.description).toBe('two\nlines');
    expect(rows[1]?.issues.map((i) => i.column).sort()).toEqual(['client_reference', 'currency', 'end_customer_country', 'expected_close_on', 'scenario']);
    expect(rows[2]?.issues).toEqual([{ column: 'value', message: expect.stringMatching(/more than 2 decimals/) }]);
  });

  it('refuses a file whose header is not the documented one', () => {
    expect(() => parseRegistrationCsv('name,amount\nx,1')).toThrow(/header line/);
    expect(() => parseRegistrationCsv(header)).toThrow(/no rows/);
    expect(() => parseRegistrationCsv('')).toThrow(/empty/);
  });
});

describe('POST /api/registrations/bulk', () => {
  it('all_or_nothing: one bad row commits nothing and lists the bad row with its reasons', async () => {
    const before = [await regCount(), await auditCount()];
    const csv = [header, ...good, 'R-4,consulting,Delta,,EUR,DE,2026-09-30', 'R-5,managed_service,Epsilon,5.00,USD,,'].join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/registrations/bulk',
      headers: { ...seller.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ mode: 'all_or_nothing', committed: false, counts: { total: 5, created: 0, invalid: 2 } });
    expect(report.rows.map((r: { line: number; outcome: string }) => [r.line, r.outcome])).toEqual([
      [2, 'not_committed'],
      [3, 'not_committed'],
      [4, 'not_committed'],
      [5, 'invalid'],
      [6, 'invalid'],
    ]);
    expect(report.rows[3].issues).toEqual([{ column: 'value', message: 'is required' }]);
    expect(report.rows[4].issues.map((i: { column: string }) => i.column)).toEqual(['currency', 'end_customer_country']);
    expect([await regCount(), await auditCount()]).toEqual(before);
  });

  it('valid_rows: the good rows are committed and submitted in one go, with one audit entry; a replay is recognised', async () => {
    const before = [await regCount(), await auditCount()];
    const csv = [header, ...good, 'R-9,nonsense,Zeta,1.00,EUR,DE,2026-09-30'].join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/registrations/bulk',
      headers: seller.headers,
      payload: { csv, mode: 'valid_rows' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ committed: true, counts: { total: 4, created: 3, alreadyRegistered: 0, invalid: 1 } });
    expect(await regCount()).toBe(before[0]! + 3);
    expect(await auditCount()).toBe(before[1]! + 1);
    const beta = await t.deps.db.selectFrom('dealRegistration').selectAll().where('clientReference', '=', 'R-2').executeTakeFirstOrThrow();
    expect(beta).toMatchObject({ status: 'submitted', source: 'bulk_upload', valueMinor: 1_250_050, owningUnit: 'Channel desk' });

    // The same file again: nothing new, the rows are reported as already registered.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/registrations/bulk?mode=valid_rows',
      headers: { ...seller.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(again.json()).toMatchObject({ committed: false, counts: { created: 0, alreadyRegistered: 3, invalid: 1 } });
    expect(await regCount()).toBe(before[0]! + 3);
    // A reused reference with different content is a bad row, not an overwrite.
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/registrations/bulk',
      headers: seller.headers,
      payload: { csv: [header, 'R-1,consulting,Alpha Industries,99.00,EUR,DE,2026-09-30'].join('\n') },
    });
    expect(changed.json().rows[0]).toMatchObject({ outcome: 'invalid', issues: [{ column: 'client_reference', message: expect.stringMatching(/different/) }] });
  });

  it('a repeated reference inside one file is a bad row', async () => {
    const csv = [header, 'D-1,consulting,One,10.00,EUR,DE,2026-09-30', 'D-1,consulting,Two,10.00,EUR,DE,2026-09-30'].join('\n');
    const res = await t.app.inject({ method: 'POST', url: '/api/registrations/bulk', headers: seller.headers, payload: { csv } });
    expect(res.json().rows[1].issues).toEqual([{ column: 'client_reference', message: 'repeats the client reference of line 2' }]);
    expect(res.json().committed).toBe(false);
  });

  it('a failure while writing leaves nothing behind', async () => {
    // A database failure on the last row, after the first rows were written in the same transaction.
    await sql`create function test_refuse_boom() returns trigger language plpgsql as $$
      begin if new.end_customer_name = 'Boom Ltd' then raise exception 'refused for the test'; end if; return new; end $$;
      create trigger test_refuse_boom before insert on deal_registration for each row execute function test_refuse_boom()`.execute(t.deps.db);
    try {
      const before = [await regCount(), await auditCount()];
      const events = await t.deps.db
        .selectFrom('registrationEvent')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const csv = [
        header,
        'B-1,consulting,Aaa One,10.00,EUR,DE,2026-09-30',
        'B-2,consulting,Aab Two,10.00,EUR,DE,2026-09-30',
        'B-3,consulting,Boom Ltd,10.00,EUR,DE,2026-09-30',
      ].join('\n');
      const res = await t.app.inject({ method: 'POST', url: '/api/registrations/bulk', headers: seller.headers, payload: { csv, mode: 'valid_rows' } });
      expect(res.statusCode).toBe(500);
      expect([await regCount(), await auditCount()]).toEqual(before);
      const eventsAfter = await t.deps.db
        .selectFrom('registrationEvent')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(eventsAfter.n).toBe(events.n);
    } finally {
      await sql`drop trigger test_refuse_boom on deal_registration; drop function test_refuse_boom()`.execute(t.deps.db);
    }
  });

  it('file-level problems are a 400 with the header issues', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/registrations/bulk', headers: seller.headers, payload: { csv: 'foo,bar\n1,2' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toContainEqual({ path: 'line 1, column foo', message: expect.stringMatching(/not a known column/) });
    expect(res.json().issues).toContainEqual({ path: 'line 1, column scenario', message: 'is required' });
  });
});
