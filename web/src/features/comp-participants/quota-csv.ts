import { parse } from 'csv-parse/browser/esm/sync';
import type { ProblemIssue } from '../../../../common/errors.ts';
import { isIsoDate } from '../../../../common/dates.ts';
import { parseMajorAmount } from '../../../../common/money.ts';

/**
 * The quota list as people keep it in a spreadsheet: one row per participant and period, with
 *
 *   participant reference, period start, period end, amount, currency
 *
 * Dates are YYYY-MM-DD and the period end is the first day after the period (2027-01-01 to
 * 2027-04-01 is Q1). The amount is in major units of the currency (120000 or 120000.50; "120,000.50"
 * in quotes works too). A header row is optional: with one, the columns may come in any order
 * (externalRef / participant ref, periodStart, periodEnd, amount, currency); without one, they come
 * in the order above. Commas, semicolons and tabs all work as separators; quoted values are CSV's.
 */

export const quotaCsvColumns = ['externalRef', 'periodStart', 'periodEnd', 'amount', 'currency'] as const;
export type QuotaCsvColumn = (typeof quotaCsvColumns)[number];

export const quotaCsvColumnLabels: Record<QuotaCsvColumn, string> = {
  externalRef: 'participant reference',
  periodStart: 'period start',
  periodEnd: 'period end',
  amount: 'amount',
  currency: 'currency',
};

export const quotaCsvExample = [
  'participant ref,period start,period end,amount,currency',
  'EMP-1001,2027-01-01,2027-04-01,250000,EUR',
  'EMP-1002,2027-01-01,2027-04-01,180000.50,EUR',
].join('\n');

export type QuotaCsvRow = {
  /** The line of the text the row starts on (1-based), as a spreadsheet numbers it. */
  line: number;
  externalRef: string;
  periodStart: string;
  periodEnd: string;
  amountText: string;
  currency: string;
  /** Minor units, or null when the amount (or the currency) is not usable. */
  amountMinor: number | null;
  problems: string[];
};

export type QuotaCsv = { rows: QuotaCsvRow[]; problems: string[]; hasHeader: boolean };

const headerNames: Record<string, QuotaCsvColumn> = {
  externalref: 'externalRef',
  participantref: 'externalRef',
  participantreference: 'externalRef',
  participant: 'externalRef',
  reference: 'externalRef',
  ref: 'externalRef',
  periodstart: 'periodStart',
  start: 'periodStart',
  from: 'periodStart',
  periodend: 'periodEnd',
  end: 'periodEnd',
  to: 'periodEnd',
  amount: 'amount',
  quota: 'amount',
  quotaamount: 'amount',
  amountmajor: 'amount',
  currency: 'currency',
  ccy: 'currency',
};

const squash = (cell: string) => cell.toLowerCase().replace(/[^a-z]/g, '');

/** "1,234,567.89" (thousands grouped with commas) -> "1234567.89"; anything else is left as typed. */
function ungroup(text: string): string {
  const t = text.replace(/[\s\u00a0_]/g, '');
  return /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replaceAll(',', '') : t;
}

type Record_ = { record: string[]; info: { lines: number } };

/** Parses the text in the browser: every row with its problems, and problems of the text as a whole. */
export function parseQuotaCsv(text: string): QuotaCsv {
  if (text.trim() === '') return { rows: [], problems: [], hasHeader: false };
  let records: Record_[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: [',', ';', '\t'],
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Record_[];
  } catch (error) {
    return { rows: [], problems: [`The text is not readable as CSV: ${(error as Error).message}`], hasHeader: false };
  }

  const problems: string[] = [];
  let order: (QuotaCsvColumn | null)[] = [...quotaCsvColumns];
  const first = records[0]?.record ?? [];
  const named = first.map((c) => headerNames[squash(c)] ?? null);
  const hasHeader = named.filter((n) => n !== null).length >= 3 || first.some((c) => /period/i.test(c));
  if (hasHeader) {
    order = named;
    const missing = quotaCsvColumns.filter((c) => !named.includes(c));
    if (missing.length > 0) problems.push(`The header has no ${missing.map((m) => `“${quotaCsvColumnLabels[m]}”`).join(', ')} column.`);
    const unknown = first.filter((_, i) => named[i] === null);
    if (unknown.length > 0) problems.push(`Columns not used: ${unknown.map((u) => `“${u}”`).join(', ')}.`);
  }
  const body = hasHeader ? records.slice(1) : records;
  const seen = new Map<string, number>();

  const rows = body.map(({ record, info }): QuotaCsvRow => {
    const cell = (column: QuotaCsvColumn) => {
      const i = order.indexOf(column);
      return i < 0 ? '' : (record[i] ?? '');
    };
    const row: QuotaCsvRow = {
      line: info.lines,
      externalRef: cell('externalRef'),
      periodStart: cell('periodStart'),
      periodEnd: cell('periodEnd'),
      amountText: cell('amount'),
      currency: cell('currency').toUpperCase(),
      amountMinor: null,
      problems: [],
    };
    const p = row.problems;
    if (!hasHeader && record.length !== quotaCsvColumns.length) p.push(`expected ${quotaCsvColumns.length} values, found ${record.length}`);
    if (row.externalRef === '') p.push('the participant reference is missing');
    else if (row.externalRef.length > 120) p.push('the participant reference is longer than 120 characters');
    const startOk = isIsoDate(row.periodStart);
    const endOk = isIsoDate(row.periodEnd);
    if (!startOk) p.push(row.periodStart ? `period start “${row.periodStart}” is not a date written YYYY-MM-DD` : 'the period start is missing');
    if (!endOk) p.push(row.periodEnd ? `period end “${row.periodEnd}” is not a date written YYYY-MM-DD` : 'the period end is missing');
    if (startOk && endOk && row.periodEnd <= row.periodStart) p.push('the period end must be after the period start (it is the first day after the period)');
    const currencyOk = /^[A-Z]{3}$/.test(row.currency);
    if (!currencyOk) p.push(row.currency ? `currency “${row.currency}” is not a three-letter code such as EUR` : 'the currency is missing');
    if (row.amountText === '') p.push('the amount is missing');
    else if (currencyOk) {
      try {
        const minor = parseMajorAmount(ungroup(row.amountText), row.currency);
        if (minor < 0) p.push('the amount must not be negative');
        else row.amountMinor = minor;
      } catch (error) {
        const message = (error as Error).message;
        const m = /^"(.*)" is not an amount$/.exec(message);
        p.push(m ? `amount “${m[1]}” is not a number such as 1200.50` : `amount ${message}`);
      }
    }
    if (row.externalRef && startOk) {
      const key = `${row.externalRef}\n${row.periodStart}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) p.push(`the same participant and period start as line ${earlier}`);
      else seen.set(key, row.line);
    }
    return row;
  });
  if (rows.length === 0 && problems.length === 0) problems.push('There are no quota rows, only a header.');
  return { rows, problems, hasHeader };
}

/** The request rows, for a list without problems. */
export function quotaRequestRows(rows: readonly QuotaCsvRow[]) {
  return rows.map((r) => ({
    externalRef: r.externalRef,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    amountMinor: r.amountMinor ?? 0,
    currency: r.currency,
  }));
}

const serverFieldLabels: Record<string, string> = {
  externalRef: 'participant reference',
  participantId: 'participant',
  periodStart: 'period start',
  periodEnd: 'period end',
  amountMinor: 'amount',
  currency: 'currency',
};

/**
 * The server's problems (body.rows[14].externalRef) placed at their rows: index -> messages, with
 * field names and row references (rows[3]) in the words and line numbers of the preview. Problems
 * not about one row are returned apart.
 */
export function serverRowProblems(issues: readonly ProblemIssue[], rows: readonly QuotaCsvRow[]): { byRow: Map<number, string[]>; general: string[] } {
  const byRow = new Map<number, string[]>();
  const general: string[] = [];
  const lineOf = (i: number) => rows[i]?.line ?? i + 1;
  for (const issue of issues) {
    const m = /^(?:body\.)?rows(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?/.exec(issue.path);
    const message = issue.message.replace(/rows\[(\d+)\]/g, (_, n: string) => `line ${lineOf(Number(n))}`);
    if (!m) {
      general.push(issue.path && issue.path !== 'body' ? `${issue.path.replace(/^body\./, '')}: ${message}` : message);
      continue;
    }
    const index = Number(m[1] ?? m[2]);
    const field = m[3] ? (serverFieldLabels[m[3]] ?? m[3]) : null;
    byRow.set(index, [...(byRow.get(index) ?? []), field ? `${field}: ${message}` : message]);
  }
  return { byRow, general };
}
