import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import type { transactionRowInput } from '../../../common/api/commissions-transactions.ts';
import { isIsoDate } from '../../../common/dates.ts';
import { PLAN_FORMAT, type PlanDocumentInput } from '../../../common/comp/plan.ts';
import { parseMajorAmount } from '../../../common/money.ts';

/**
 * The AdventureWorks reseller-channel data set (../shared/data/adventureworks-reseller-channel, see
 * its PROVENANCE.md) read and mapped onto Realign's records: resellers -> partners, salespeople ->
 * participants (manager, team, territory), CommissionPct -> one commission plan per distinct rate,
 * the OLTP quarterly quota history -> quotas, reseller order lines -> transactions. Pure: reading
 * the files is the only I/O; adventureworks.service.ts writes the result through the services.
 * Every row that cannot be used is returned as a problem (file, line, reason), never dropped quietly.
 * The mapping is documented in docs/comp-plans.md, section "AdventureWorks".
 */

/** The data folder next to the repository: <repo>/../shared/data/adventureworks-reseller-channel. */
export const defaultAdventureWorksDir = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/data/adventureworks-reseller-channel');

export const AW_CURRENCY = 'USD';
/** AdventureWorks' fiscal year starts 1 July; a fiscal year is named by the calendar year it ends in (FY2018 = 2017-07-01 … 2018-06-30). */
export const AW_FISCAL_YEAR_START_MONTH = 7;
/** The first day of the sales lines (FY2018 Q1): plans and assignments start here. */
export const AW_START = '2017-07-01';
/**
 * The OLTP quota history (2011-2014) is in another date frame than the DW2020 sales lines
 * (2017-2020). Its 12 quarterly quota dates, snapped to the nearest first of a month (2011-06-01 …
 * 2014-03-01), shifted by 73 months, are the 12 fiscal quarters the sales lines cover (2017-07-01 …
 * 2020-04-01).
 */
export const AW_QUOTA_SHIFT_MONTHS = 73;

export const awFiles = {
  resellers: 'resellers.csv',
  salespeople: 'salespeople.csv',
  bridge: 'salesperson_region.csv',
  regions: 'region.csv',
  compensation: 'oltp_salesperson_compensation.csv',
  quotas: 'oltp_salesperson_quota_history.csv',
  products: 'products.csv',
  lines: 'reseller_sales_lines.csv',
} as const;

export type AwProblem = { file: string; line: number; reason: string };
type Cells = Record<string, string>;
export type CsvRecord = { line: number; cells: Cells };

export const participantRef = (employeeKey: string) => `adventureworks:employee:${employeeKey}`;
export const transactionIdOf = (salesOrderNumber: string, productKey: string) => `AW-${salesOrderNumber}-${productKey}`;

/** The fiscal year (named by the year it ends in) of a day. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= AW_FISCAL_YEAR_START_MONTH ? year + 1 : year;
}

/** Parses CSV text (csv-parse) into records with the line each ends on (1 = the header). */
export function parseCsvRecords(text: string): CsvRecord[] {
  const out = parseCsv<{ record: Cells; info: { lines: number } }>(text, {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
    info: true,
  });
  return out.map((r) => ({ line: r.info.lines, cells: r.record }));
}

export type AwFiles = Record<keyof typeof awFiles, CsvRecord[]>;

/** Reads the eight files the import uses; a missing file is an error naming it. */
export async function readAdventureWorksFiles(dir: string): Promise<AwFiles> {
  const entries = await Promise.all(
    Object.entries(awFiles).map(async ([k, file]) => {
      const text = await fs.readFile(path.join(dir, file), 'utf8').catch((e: unknown) => {
        throw new Error(`The AdventureWorks file ${path.join(dir, file)} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
      });
      return [k, parseCsvRecords(text)] as const;
    }),
  );
  return Object.fromEntries(entries) as AwFiles;
}

// ---------------------------------------------------------------------------------------------
// Mapping

const countryCodes: Record<string, string> = {
  'United States': 'US',
  Canada: 'CA',
  France: 'FR',
  Germany: 'DE',
  Australia: 'AU',
  'United Kingdom': 'GB',
};

/** 'Ware House' (5 rows) is the same business type as 'Warehouse' (the PL-300 lab's own fix). */
export function normaliseBusinessType(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase() === 'ware house' ? 'Warehouse' : s.trim();
}

export type AwPartner = {
  resellerKey: string;
  name: string;
  businessType: string;
  country: string | null;
  regions: string[];
};

export type AwParticipant = {
  employeeKey: string;
  externalRef: string;
  displayName: string;
  email: string | null;
  title: string;
  managerKey: string | null;
  team: string | null;
  territory: string | null;
  /** CommissionPct in basis points; null when the person has none (or 0): no commission plan. */
  commissionBps: number | null;
};

export type AwQuota = { externalRef: string; periodStart: string; periodEnd: string; amountMinor: number; currency: string; line: number };

/** One transaction row as sent to the API (the canonical columns, as text). */
export type AwTransactionRow = z.output<typeof transactionRowInput>;

export type AwLine = { line: number; row: AwTransactionRow; employeeKey: string; territory: string; amountMinor: number; fiscalYear: number; order: string };

export type AwDataset = {
  partners: AwPartner[];
  participants: AwParticipant[];
  quotas: AwQuota[];
  lines: AwLine[];
  problems: AwProblem[];
  /** Rows read from reseller_sales_lines.csv (good + problems of that file). */
  lineRows: number;
  notes: string[];
};

function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-01`;
}

/** The first of the month nearest a day (2011-05-31 -> 2011-06-01, 2011-12-01 -> 2011-12-01). */
export function nearestMonthStart(date: string): string {
  const day = Number(date.slice(8, 10));
  const monthStart = `${date.slice(0, 7)}-01`;
  return day >= 16 ? addMonths(monthStart, 1) : monthStart;
}

/** "0.012" -> 120 basis points, exactly (at most 4 decimals); null for anything else. */
export function pctToBps(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!m?.[1]) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}

const plainAmount = /^\d+\.\d{2}$|^\d+$/;

/** Resellers -> partners. Names shared by several resellers get the reseller key appended (partner names are unique). */
export function mapResellers(files: Pick<AwFiles, 'resellers'>, problems: AwProblem[]): AwPartner[] {
  const file = awFiles.resellers;
  const count = new Map<string, number>();
  for (const r of files.resellers) {
    const n = (r.cells.ResellerName ?? '').toLowerCase();
    count.set(n, (count.get(n) ?? 0) + 1);
  }
  const out: AwPartner[] = [];
  for (const { line, cells } of files.resellers) {
    const key = cells.ResellerKey ?? '';
    const name = cells.ResellerName ?? '';
    if (!/^\d+$/.test(key) || name === '') {
      problems.push({ file, line, reason: 'no ResellerKey or ResellerName' });
      continue;
    }
    const country = countryCodes[cells.Country_Region ?? ''] ?? null;
    if (country === null) problems.push({ file, line, reason: `unknown country "${cells.Country_Region ?? ''}" (the partner is created without one)` });
    out.push({
      resellerKey: key,
      name: (count.get(name.toLowerCase()) ?? 0) > 1 ? `${name} (reseller ${key})` : name,
      businessType: normaliseBusinessType(cells.BusinessType ?? ''),
      country,
      regions: [cells.StateProvinceName, cells.City].filter((s): s is string => !!s).map((s) => s.slice(0, 60)),
    });
  }
  return out;
}

/**
 * Salespeople -> participants. Territories from the salesperson_region bridge; team = the group of
 * those territories (North America, Europe, Pacific). Managers, inferred from the titles: the
 * Director of Sales heads everyone; a "<Region> Sales Manager" reports to the Director; a
 * representative reports to the regional sales manager whose bridge territories cover all of theirs
 * (the Director when none does). Managers come first in the result (a participant names an existing manager).
 */
export function mapSalespeople(files: Pick<AwFiles, 'salespeople' | 'bridge' | 'regions' | 'compensation'>, problems: AwProblem[]): AwParticipant[] {
  const regions = new Map(files.regions.map((r) => [r.cells.SalesTerritoryKey ?? '', { name: r.cells.Region ?? '', group: r.cells.Group ?? '' }]));
  const territoriesOf = new Map<string, string[]>();
  for (const { line, cells } of files.bridge) {
    const e = cells.EmployeeKey ?? '';
    const t = cells.SalesTerritoryKey ?? '';
    if (!regions.has(t)) {
      problems.push({ file: awFiles.bridge, line, reason: `unknown SalesTerritoryKey "${t}"` });
      continue;
    }
    territoriesOf.set(e, [...(territoriesOf.get(e) ?? []), t]);
  }
  const rateOf = new Map<string, { bps: number | null; line: number }>();
  for (const { line, cells } of files.compensation) {
    const bps = pctToBps(cells.CommissionPct ?? '');
    if (bps === null) problems.push({ file: awFiles.compensation, line, reason: `CommissionPct "${cells.CommissionPct ?? ''}" is not a rate` });
    rateOf.set(cells.DW_EmployeeKey ?? '', { bps, line });
  }
  const people = files.salespeople.filter(({ line, cells }) => {
    if (/^\d+$/.test(cells.EmployeeKey ?? '') && cells.Salesperson) return true;
    problems.push({ file: awFiles.salespeople, line, reason: 'no EmployeeKey or Salesperson' });
    return false;
  });
  const director = people.find((p) => /director of sales/i.test(p.cells.Title ?? ''))?.cells.EmployeeKey ?? null;
  const regional = people.filter((p) => /sales manager/i.test(p.cells.Title ?? ''));
  const out: AwParticipant[] = people.map(({ cells }) => {
    const key = cells.EmployeeKey ?? '';
    const title = cells.Title ?? '';
    const own = territoriesOf.get(key) ?? [];
    let managerKey: string | null;
    if (key === director) managerKey = null;
    else if (/sales manager/i.test(title)) managerKey = director;
    else {
      const covering = regional.filter((m) => {
        const theirs = new Set(territoriesOf.get(m.cells.EmployeeKey ?? '') ?? []);
        return own.length > 0 && own.every((t) => theirs.has(t));
      });
      managerKey = covering.length === 1 ? (covering[0]?.cells.EmployeeKey ?? null) : director;
    }
    const names = own.map((t) => regions.get(t)?.name ?? t);
    const groups = [...new Set(own.map((t) => regions.get(t)?.group ?? ''))].filter((g) => g !== '');
    const bps = rateOf.get(key)?.bps ?? null;
    const email = (cells.UPN ?? '').trim().toLowerCase();
    return {
      employeeKey: key,
      externalRef: participantRef(key),
      displayName: cells.Salesperson ?? key,
      email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email : null,
      title,
      managerKey,
      team: groups.length === 1 ? (groups[0] ?? null) : groups.length > 1 ? 'All regions' : null,
      territory: names.length === 0 ? null : names.join(', ').slice(0, 120),
      commissionBps: bps === null || bps === 0 ? null : bps,
    };
  });
  // Managers before their reports.
  const depth = (p: AwParticipant): number => {
    let d = 0;
    let m = p.managerKey;
    while (m !== null && d < 10) {
      d += 1;
      m = out.find((o) => o.employeeKey === m)?.managerKey ?? null;
    }
    return d;
  };
  return out
    .map((p) => ({ p, d: depth(p) }))
    .sort((a, b) => a.d - b.d || Number(a.p.employeeKey) - Number(b.p.employeeKey))
    .map((x) => x.p);
}

/** One commission plan per distinct CommissionPct (rate 0 and "none" get no plan). */
export function commissionPlanKey(bps: number): string {
  return `adventureworks_commission_${bps}bps`;
}

export function commissionPlanDocument(bps: number): PlanDocumentInput {
  const pct = (bps / 100).toFixed(2).replace(/\.?0+$/, '');
  return {
    format: PLAN_FORMAT,
    key: commissionPlanKey(bps),
    name: `AdventureWorks reseller commission ${pct}%`,
    currency: AW_CURRENCY,
    effectiveFrom: AW_START,
    payoutPeriod: 'quarter',
    fiscalYearStartMonth: AW_FISCAL_YEAR_START_MONTH,
    components: [
      {
        key: 'commission',
        name: `Commission ${pct}% on reseller sales`,
        description: 'CommissionPct of the salesperson in the AdventureWorks sample (Sales.SalesPerson)',
        kind: 'commission',
        rateBps: bps,
      },
    ],
  };
}

/** OLTP quarterly quotas (BusinessEntityID) -> quotas of the DW participants, shifted into the sales lines' fiscal quarters. */
export function mapQuotas(files: Pick<AwFiles, 'quotas' | 'compensation'>, known: ReadonlySet<string>, problems: AwProblem[]): AwQuota[] {
  const file = awFiles.quotas;
  const dwKeyOf = new Map(files.compensation.map((r) => [r.cells.BusinessEntityID ?? '', r.cells.DW_EmployeeKey ?? '']));
  const out: AwQuota[] = [];
  for (const { line, cells } of files.quotas) {
    const employeeKey = dwKeyOf.get(cells.BusinessEntityID ?? '');
    const day = (cells.QuotaDate ?? '').slice(0, 10);
    if (!employeeKey || !known.has(employeeKey)) {
      problems.push({ file, line, reason: `BusinessEntityID "${cells.BusinessEntityID ?? ''}" is no known salesperson` });
      continue;
    }
    if (!isIsoDate(day)) {
      problems.push({ file, line, reason: `QuotaDate "${cells.QuotaDate ?? ''}" is not a date` });
      continue;
    }
    let amountMinor: number;
    try {
      if (!plainAmount.test(cells.SalesQuota ?? '')) throw new RangeError('not a plain amount');
      amountMinor = parseMajorAmount(cells.SalesQuota ?? '', AW_CURRENCY);
    } catch {
      problems.push({ file, line, reason: `SalesQuota "${cells.SalesQuota ?? ''}" is not an amount` });
      continue;
    }
    const periodStart = addMonths(nearestMonthStart(day), AW_QUOTA_SHIFT_MONTHS);
    out.push({ externalRef: participantRef(employeeKey), periodStart, periodEnd: addMonths(periodStart, 3), amountMinor, currency: AW_CURRENCY, line });
  }
  return out;
}

/**
 * Reseller order lines -> transactions, one per line: id AW-<SalesOrderNumber>-<ProductKey> (unique in
 * the file; a repeat is a problem), a booking of SalesAmount USD on OrderDate, sold by the
 * EmployeeKey's participant, partner-influenced with the reseller as the partner, territory = the
 * line's SalesTerritoryKey, product = the product's category, segment = the reseller's business type.
 */
export function mapSalesLines(
  files: Pick<AwFiles, 'lines' | 'products' | 'regions'>,
  ctx: { partnerNameByReseller: ReadonlyMap<string, AwPartner>; employees: ReadonlySet<string> },
  problems: AwProblem[],
): AwLine[] {
  const file = awFiles.lines;
  const territories = new Map(files.regions.map((r) => [r.cells.SalesTerritoryKey ?? '', r.cells.Region ?? '']));
  const categoryOf = new Map(files.products.map((r) => [r.cells.ProductKey ?? '', r.cells.EnglishProductCategoryName ?? '']));
  const seen = new Map<string, number>();
  const out: AwLine[] = [];
  for (const { line, cells } of files.lines) {
    const bad = (reason: string) => problems.push({ file, line, reason });
    const order = cells.SalesOrderNumber ?? '';
    const productKey = cells.ProductKey ?? '';
    const date = cells.OrderDate ?? '';
    const employeeKey = cells.EmployeeKey ?? '';
    const amount = cells.SalesAmount ?? '';
    if (order === '' || productKey === '') {
      bad('no SalesOrderNumber or ProductKey');
      continue;
    }
    const id = transactionIdOf(order, productKey);
    const first = seen.get(id);
    if (first !== undefined) {
      bad(`the same order and product as line ${first} (transaction ${id})`);
      continue;
    }
    seen.set(id, line);
    if (!isIsoDate(date)) {
      bad(`OrderDate "${date}" is not a date`);
      continue;
    }
    if (!plainAmount.test(amount)) {
      bad(`SalesAmount "${amount}" is not an amount in USD (at most 2 decimals, not negative)`);
      continue;
    }
    if (!ctx.employees.has(employeeKey)) {
      bad(`EmployeeKey "${employeeKey}" is no salesperson in ${awFiles.salespeople}`);
      continue;
    }
    const partner = ctx.partnerNameByReseller.get(cells.ResellerKey ?? '');
    if (!partner) {
      bad(`ResellerKey "${cells.ResellerKey ?? ''}" is no reseller in ${awFiles.resellers}`);
      continue;
    }
    const territory = territories.get(cells.SalesTerritoryKey ?? '');
    if (!territory) {
      bad(`SalesTerritoryKey "${cells.SalesTerritoryKey ?? ''}" is no territory in ${awFiles.regions}`);
      continue;
    }
    const amountMinor = parseMajorAmount(amount, AW_CURRENCY);
    out.push({
      line,
      employeeKey,
      territory,
      amountMinor,
      fiscalYear: fiscalYearOf(date),
      order,
      row: {
        transaction_id: id,
        kind: 'booking',
        recognised_on: date,
        amount,
        currency: AW_CURRENCY,
        product: categoryOf.get(productKey) ?? '',
        scenario: '',
        segment: partner.businessType,
        sourcing: 'partner_influenced',
        partner: partner.name,
        sellers: `${participantRef(employeeKey)}:100`,
        overlays: '',
        original_recognised_on: '',
        end_customer: '',
        territory,
      },
    });
  }
  return out;
}

/** The whole data set mapped; problems of every file collected. */
export function mapAdventureWorks(files: AwFiles): AwDataset {
  const problems: AwProblem[] = [];
  const partners = mapResellers(files, problems);
  const participants = mapSalespeople(files, problems);
  const employees = new Set(participants.map((p) => p.employeeKey));
  const quotas = mapQuotas(files, employees, problems);
  const lines = mapSalesLines(files, { partnerNameByReseller: new Map(partners.map((p) => [p.resellerKey, p])), employees }, problems);
  const renamed = partners.filter((p) => / \(reseller \d+\)$/.test(p.name)).map((p) => p.name);
  const notes = [
    `${files.resellers.filter((r) => normaliseBusinessType(r.cells.BusinessType ?? '') !== (r.cells.BusinessType ?? '')).length} reseller business types "Ware House" read as "Warehouse"`,
    ...(renamed.length > 0 ? [`reseller names shared by several resellers carry their key: ${renamed.join('; ')}`] : []),
  ];
  return { partners, participants, quotas, lines, problems, lineRows: files.lines.length, notes };
}

/** Splits the lines into batches of at most `size` rows, in file order (stable batch contents). */
export function batchesOf<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
