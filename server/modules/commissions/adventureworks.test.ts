import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDocument } from '../../../common/comp/plan.ts';
import { systemActor } from '../../actor.ts';
import { runCli } from '../../cli/spawn-cli.ts';
import { inScope } from '../../db/scope.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { listAssignments, listParticipants, listQuotas } from '../comp-plans/comp-plans.service.ts';
import {
  commissionPlanDocument,
  defaultAdventureWorksDir,
  fiscalYearOf,
  mapAdventureWorks,
  nearestMonthStart,
  parseCsvRecords,
  pctToBps,
  type AwFiles,
} from './adventureworks.rules.ts';
import { adventureWorksApprovers, importAdventureWorks, type AdventureWorksReport } from './adventureworks.service.ts';

const dir = defaultAdventureWorksDir;
const haveData = existsSync(path.join(dir, 'reseller_sales_lines.csv'));
if (!haveData) console.warn(`adventureworks.test.ts: ${dir} is absent: the AdventureWorks import tests are SKIPPED`);

describe('AdventureWorks mapping rules', () => {
  it('names fiscal years by the year they end in (July start)', () => {
    expect(fiscalYearOf('2017-07-01')).toBe(2018);
    expect(fiscalYearOf('2018-06-30')).toBe(2018);
    expect(fiscalYearOf('2020-05-31')).toBe(2020);
  });

  it('reads rates and quota dates exactly', () => {
    expect(pctToBps('0.012')).toBe(120);
    expect(pctToBps('0.02')).toBe(200);
    expect(pctToBps('0')).toBe(0);
    expect(pctToBps('0.00125')).toBeNull();
    expect(nearestMonthStart('2011-05-31')).toBe('2011-06-01');
    expect(nearestMonthStart('2011-12-01')).toBe('2011-12-01');
    expect(nearestMonthStart('2012-02-29')).toBe('2012-03-01');
    for (const bps of [100, 120, 150, 200]) expect(planDocument.safeParse(commissionPlanDocument(bps)).success).toBe(true);
  });

  it('reports every unusable row with its file, line and reason', () => {
    const files: AwFiles = {
      resellers: parseCsvRecords(
        'ResellerKey,BusinessType,ResellerName,City,StateProvinceName,Country_Region\n1,Ware House,A Shop,Seattle,Washington,United States\n',
      ),
      salespeople: parseCsvRecords('EmployeeKey,EmployeeID,Salesperson,Title,UPN\n281,1,Rep One,Sales Representative,rep@aw.example\n'),
      bridge: parseCsvRecords('EmployeeKey,SalesTerritoryKey\n281,1\n'),
      regions: parseCsvRecords('SalesTerritoryKey,Region,Country,Group\n1,Northwest,United States,North America\n'),
      compensation: parseCsvRecords(
        'BusinessEntityID,NationalIDNumber,JobTitle,DW_EmployeeKey,Salesperson,TerritoryID,SalesQuota,Bonus,CommissionPct\n275,1,Sales Representative,281,Rep One,1,1,0,0.012\n',
      ),
      quotas: parseCsvRecords('BusinessEntityID,QuotaDate,SalesQuota\n275,2011-05-31 00:00:00,28000\n999,2011-05-31 00:00:00,1\n'),
      products: parseCsvRecords('ProductKey,Product,StandardCost,Color,Subcategory,EnglishProductCategoryName\n7,"Bike, red",1,Red,Road,Bikes\n'),
      lines: parseCsvRecords(
        [
          'SalesOrderNumber,OrderDate,ProductKey,ResellerKey,EmployeeKey,SalesTerritoryKey,OrderQuantity,UnitPrice,TotalProductCost,SalesAmount,StandardCost',
          'SO1,2017-07-01,7,1,281,1,1,10.00,NULL,10.00,1',
          'SO1,2017-07-01,7,1,281,1,1,10.00,NULL,10.00,1',
          'SO2,2017-07-01,7,1,281,1,1,10.00,NULL,NULL,1',
          'SO3,2017-07-01,7,1,999,1,1,10.00,NULL,5.00,1',
          'SO4,2017-07-01,7,2,281,1,1,10.00,NULL,5.00,1',
          'SO5,2017-07-01,7,1,281,1,1,10.00,NULL,5.001,1',
        ].join('\n'),
      ),
    };
    const data = mapAdventureWorks(files);
    expect(data.lines.map((l) => l.row.transaction_id)).toEqual(['AW-SO1-7']);
    expect(data.lines[0]?.row).toMatchObject({
      amount: '10.00',
      sellers: 'adventureworks:employee:281:100',
      partner: 'A Shop',
      sourcing: 'partner_influenced',
    });
    expect(data.problems).toEqual([
      { file: 'oltp_salesperson_quota_history.csv', line: 3, reason: 'BusinessEntityID "999" is no known salesperson' },
      { file: 'reseller_sales_lines.csv', line: 3, reason: 'the same order and product as line 2 (transaction AW-SO1-7)' },
      { file: 'reseller_sales_lines.csv', line: 4, reason: 'SalesAmount "NULL" is not an amount in USD (at most 2 decimals, not negative)' },
      { file: 'reseller_sales_lines.csv', line: 5, reason: 'EmployeeKey "999" is no salesperson in salespeople.csv' },
      { file: 'reseller_sales_lines.csv', line: 6, reason: 'ResellerKey "2" is no reseller in resellers.csv' },
      { file: 'reseller_sales_lines.csv', line: 7, reason: 'SalesAmount "5.001" is not an amount in USD (at most 2 decimals, not negative)' },
    ]);
    expect(data.lineRows).toBe(data.lines.length + data.problems.filter((p) => p.file === 'reseller_sales_lines.csv').length);
    expect(data.partners[0]?.businessType).toBe('Warehouse');
    expect(data.quotas).toEqual([
      { externalRef: 'adventureworks:employee:281', periodStart: '2017-07-01', periodEnd: '2017-10-01', amountMinor: 2_800_000, currency: 'USD', line: 2 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The import against the store, reconciled with totals computed here straight from the file

type Row = Record<string, string>;
const readCsv = (file: string): Row[] => parseCsv<Row>(readFileSync(path.join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true });

/** "2024.99" -> 202499n, exactly. */
function cents(amount: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m?.[1]) throw new Error(`not an amount: ${amount}`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

function add(map: Map<string, bigint>, key: string, v: bigint) {
  map.set(key, (map.get(key) ?? 0n) + v);
}

describe.skipIf(!haveData)('AdventureWorks import (reconciled with the source files)', () => {
  let t: TestDeps;
  let first: AdventureWorksReport;
  let second: AdventureWorksReport;
  let approverIds: string[] = [];
  const actor = systemActor('test');

  beforeAll(async () => {
    t = await createTestDeps();
    const approvers = await adventureWorksApprovers(t.deps, actor);
    approverIds = [approvers.reviewer.userId, approvers.finance.userId];
    const started = Date.now();
    first = await importAdventureWorks(t.deps, actor, { approvers });
    console.info(`AdventureWorks import: ${Date.now() - started} ms`, JSON.stringify(first.transactions));
    // The second run through the CLI: `realign demo --dataset adventureworks` on the loaded database.
    const cli = await runCli(['demo', '--dataset', 'adventureworks', '--json'], { databaseUrl: t.database.url, timeoutMs: 120_000 });
    if (cli.code !== 0) throw new Error(`realign demo --dataset adventureworks failed (${cli.code}): ${cli.stderr}`);
    second = JSON.parse(cli.stdout) as AdventureWorksReport;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('imports every line, order, reseller and salesperson, and reports no unusable row in this data', () => {
    const lines = readCsv('reseller_sales_lines.csv');
    expect(first.problems).toEqual([]);
    expect(first.counts).toEqual({
      resellers: readCsv('resellers.csv').length,
      salespeople: readCsv('salespeople.csv').length,
      quotaRows: readCsv('oltp_salesperson_quota_history.csv').length,
      lineRows: lines.length,
      linesMapped: lines.length,
      orders: new Set(lines.map((l) => l.SalesOrderNumber)).size,
    });
    expect(first.counts).toMatchObject({ resellers: 701, salespeople: 18, lineRows: 57_851, orders: 3616 });
    expect(first.transactions).toMatchObject({ batches: 12, replayed: 0, stored: 57_851, alreadyStored: 0, bad: 0 });
    expect(first.partners).toEqual({ created: 701, existing: 0 });
    expect(first.participants).toEqual({ created: 18, existing: 0 });
    expect(first.assignments).toEqual({ created: 14, existing: 0 });
    expect(first.quotas).toEqual({ inserted: 163, updated: 0, unchanged: 0 });
    expect(first.plans.map((p) => [p.rateBps, p.created, p.published])).toEqual([100, 120, 150, 160, 180, 190, 200].map((b) => [b, true, true]));
  });

  it('is idempotent: a second run finds everything and writes nothing new', async () => {
    expect(second.problems).toEqual([]);
    expect(second.partners).toEqual({ created: 0, existing: 701 });
    expect(second.participants).toEqual({ created: 0, existing: 18 });
    expect(second.assignments).toEqual({ created: 0, existing: first.assignments.created });
    expect(second.quotas).toEqual({ inserted: 0, updated: 0, unchanged: 163 });
    expect(second.plans.every((p) => !p.created && p.published)).toBe(true);
    expect(second.transactions).toMatchObject({ batches: 12, replayed: 12, stored: 0 });
    const again = await adventureWorksApprovers(t.deps, actor);
    expect([again.reviewer.userId, again.finance.userId]).toEqual(approverIds);
    const n = await inScope(t.deps.db, { kind: 'system' }, (trx) =>
      trx
        .selectFrom('salesTransaction')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(n.n)).toBe(57_851);
  });

  it('reconciles exactly per salesperson, territory and fiscal year (and in all)', async () => {
    const lines = readCsv('reseller_sales_lines.csv');
    const regionName = new Map(readCsv('region.csv').map((r) => [r.SalesTerritoryKey ?? '', r.Region ?? '']));
    const refused = new Set(first.problems.filter((p) => p.file === 'reseller_sales_lines.csv').map((p) => p.line));
    const bySeller = new Map<string, bigint>();
    const byTerritory = new Map<string, bigint>();
    const byYear = new Map<string, bigint>();
    let total = 0n;
    lines.forEach((l, i) => {
      if (refused.has(i + 2)) return;
      const c = cents(l.SalesAmount ?? '');
      const date = l.OrderDate ?? '';
      const fy = Number(date.slice(5, 7)) >= 7 ? Number(date.slice(0, 4)) + 1 : Number(date.slice(0, 4));
      add(bySeller, `adventureworks:employee:${l.EmployeeKey ?? ''}`, c);
      add(byTerritory, regionName.get(l.SalesTerritoryKey ?? '') ?? '?', c);
      add(byYear, `FY${fy}`, c);
      total += c;
    });

    const store = await inScope(t.deps.db, { kind: 'system' }, async (trx) => {
      const base = trx.selectFrom('salesTransaction as s').where('s.role', '=', 'seller').where('s.transactionRef', 'like', 'AW-%');
      const seller = await base
        .innerJoin('compParticipant as p', 'p.compParticipantId', 's.participantId')
        .select(['p.externalRef as k', sql<string>`sum(s.amount_minor)::text`.as('v')])
        .groupBy('p.externalRef')
        .execute();
      const territory = await base
        .select(['s.territory as k', sql<string>`sum(s.amount_minor)::text`.as('v')])
        .groupBy('s.territory')
        .execute();
      const year = await base
        .select([sql<string>`'FY' || extract(year from s.recognised_on + interval '6 months')::int`.as('k'), sql<string>`sum(s.amount_minor)::text`.as('v')])
        .groupBy(sql`1`)
        .execute();
      const all = await base.select(sql<string>`sum(s.amount_minor)::text`.as('v')).executeTakeFirstOrThrow();
      const order = await base
        .select([sql<string>`split_part(s.transaction_ref, '-', 2)`.as('k'), sql<string>`sum(s.amount_minor)::text`.as('v')])
        .groupBy(sql`1`)
        .execute();
      const counts = await base
        .select([
          sql<string>`count(*)::text`.as('lines'),
          sql<string>`count(distinct split_part(s.transaction_ref, '-', 2))::text`.as('orders'),
          sql<string>`count(distinct s.partner_id)::text`.as('resellers'),
          sql<string>`count(distinct s.participant_id)::text`.as('salespeople'),
        ])
        .executeTakeFirstOrThrow();
      return { seller, territory, year, all, order, counts };
    });
    const asMap = (rows: { k: string | null; v: string }[]) => new Map(rows.map((r) => [r.k ?? '?', BigInt(r.v)]));
    expect(asMap(store.seller)).toEqual(bySeller);
    expect(asMap(store.territory)).toEqual(byTerritory);
    expect(asMap(store.year)).toEqual(byYear);
    expect(BigInt(store.all.v)).toBe(total);
    // Per order, against the derived orders file as well (its sums were made independently of this import).
    const byOrder = new Map(readCsv('reseller_orders_derived.csv').map((o) => [o.SalesOrderNumber ?? '', cents(o.SalesAmount ?? '')]));
    expect(asMap(store.order)).toEqual(byOrder);
    expect(store.counts).toEqual({
      lines: String(lines.length - refused.size),
      orders: String(new Set(lines.map((l) => l.SalesOrderNumber)).size),
      resellers: String(new Set(lines.map((l) => l.ResellerKey)).size),
      salespeople: String(new Set(lines.map((l) => l.EmployeeKey)).size),
    });
    expect(store.counts).toEqual({ lines: '57851', orders: '3616', resellers: '632', salespeople: '17' });
    expect(bySeller.size).toBe(17);
    expect(byTerritory.size).toBe(10);
    expect([...byYear.keys()].sort()).toEqual(['FY2018', 'FY2019', 'FY2020']);
    console.info(
      'AdventureWorks totals (cents):',
      JSON.stringify({ total: total.toString(), byYear: Object.fromEntries([...byYear].map(([k, v]) => [k, v.toString()])) }),
    );
  });

  it('sets managers, territories, plans and quotas from the source', async () => {
    const people = await listParticipants(t.deps, actor, { q: 'adventureworks:employee:', limit: 100, offset: 0 });
    const byRef = new Map(people.items.map((p) => [p.externalRef, p]));
    const ref = (k: number) => `adventureworks:employee:${k}`;
    expect(byRef.get(ref(277))?.managerId).toBeNull();
    expect(byRef.get(ref(272))?.managerName).toBe('Brian Welcker');
    expect(byRef.get(ref(281))?.managerName).toBe('Stephen Jiang');
    expect(byRef.get(ref(291))?.managerName).toBe('Amy Alberts');
    expect(byRef.get(ref(296))?.managerName).toBe('Syed Abbas');
    expect(byRef.get(ref(281))?.territory).toBe('Northeast, Central, Southeast');
    expect(byRef.get(ref(281))?.team).toBe('North America');
    const mb = byRef.get(ref(281))?.id ?? '';
    const a = await listAssignments(t.deps, actor, { participantId: mb, limit: 10, offset: 0 });
    expect(a.items.map((x) => [x.effectiveFrom, x.effectiveTo])).toEqual([['2017-07-01', null]]);
    // Michael Blythe (BusinessEntityID 275): 367000 quota dated 2011-05-31 -> FY2018 Q1.
    const q = await listQuotas(t.deps, actor, { participantId: mb, limit: 100, offset: 0 });
    expect(q.items.length).toBe(12);
    expect(q.items.find((x) => x.periodStart === '2017-07-01')).toMatchObject({ periodEnd: '2017-10-01', amountMinor: 36_700_000, currency: 'USD' });
  });
});
