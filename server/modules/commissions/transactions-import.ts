import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { ColumnMapping, ImportCounts, ImportProblem } from '../../../common/api/commissions-transactions.ts';
import { isIsoDate } from '../../../common/dates.ts';
import { sourcings } from '../../../common/comp/plan.ts';
import {
  parseSellerSplits,
  requiredTransactionColumns,
  transactionColumns,
  transactionKinds,
  transactionRow,
  type TransactionColumn,
  type TransactionRow,
} from '../../../common/comp/transaction-row.ts';
import { allocate, moneyOf, parseMajorAmount } from '../../../common/money.ts';

/**
 * Reading a transactions file (CSV or XLSX) row by row, proposing a column mapping, and checking
 * each row against the canonical transaction row (common/comp/transaction-row.ts). No database
 * here: participants, partners and already-stored lines arrive as lookups. Files are never held
 * whole: records stream from the source, and the caller consumes them in chunks.
 */

/** One record of the source: its line as a spreadsheet shows it (the header is line 1) and its cells as text. */
export type SourceRecord = { line: number; cells: string[] };

export function detectFormat(head: Uint8Array): 'csv' | 'xlsx' {
  // XLSX is a ZIP archive: local file header "PK\x03\x04".
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 ? 'xlsx' : 'csv';
}

/** The delimiter of a CSV file, judged on its first line: the most frequent of , ; tab outside quotes. */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Line breaks in a cell as a text editor counts them: CRLF, LF or CR alone, each one line. */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** The same breaks as csv-parse counts them in `info.lines`: every CR and every LF inside a quoted cell. */
function breakChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) n++;
  }
  return n;
}

/** Bytes read before the delimiter is judged: the header line is expected within them. */
const headerProbeBytes = 64 * 1024;

type ParsedRecord = { record: string[]; info: { lines: number; empty_lines: number } };

/**
 * CSV records from a byte stream (csv-parse), in batches: one per chunk of input, so the per-record
 * work stays synchronous. UTF-8 with or without a byte-order mark; CRLF, LF or CR end a record
 * (mixed in one file too); blank lines are skipped; quoted cells may hold delimiters, "" and line
 * breaks; lenient like a spreadsheet about stray quotes and ragged rows. The delimiter (, ; or tab)
 * is judged on the header line. A record carries the line it starts on: csv-parse's `info.lines` is
 * the line it ends on, less the line breaks inside its cells (csv-parse counts a CRLF inside a cell
 * as two, a text editor as one: the difference is carried to later records).
 */
export async function* csvRecords(source: AsyncIterable<Uint8Array>): AsyncGenerator<SourceRecord[]> {
  const iterator = source[Symbol.asyncIterator]();
  // The header line, to judge the delimiter on.
  const head: Buffer[] = [];
  let headBytes = 0;
  let headText = '';
  let ended = false;
  while (headBytes < headerProbeBytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const b = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(b);
    headBytes += b.length;
    headText = Buffer.concat(head, headBytes).toString('utf8');
    if (/[\r\n]/.test(headText)) break;
  }
  if (headText.charCodeAt(0) === 0xfeff) headText = headText.slice(1);
  const nl = headText.search(/[\r\n]/);
  const delimiter = detectDelimiter(nl < 0 ? headText : headText.slice(0, nl));

  const parser = parse({
    bom: true,
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    columns: false,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  let batch: SourceRecord[] = [];
  let failure: unknown = null;
  // csv-parse counts a CRLF inside a quoted cell as two lines: the excess so far.
  let excess = 0;
  parser.on('data', (r: ParsedRecord) => {
    const cells = r.record;
    let inCell = 0;
    let logical = 0;
    for (const c of cells)
      if (c.length > 0 && (c.includes('\n') || c.includes('\r'))) {
        inCell += breakChars(c);
        logical += lineBreaks(c);
      }
    batch.push({ line: r.info.lines - inCell - excess, cells });
    excess += inCell - logical;
  });
  parser.on('error', (e) => {
    failure = e;
  });
  const fail = (): never => {
    const e = failure as { code?: string; message?: string };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new ImportFileError(`The file is not valid CSV: a quoted cell is never closed (${e.message ?? 'unexpected end of file'})`);
    throw new ImportFileError(`The file is not valid CSV: ${e.message ?? String(failure)}`);
  };
  const feed = (b: Uint8Array) => {
    // csv-parse works synchronously within write(): the records of this chunk are in `batch` after it.
    parser.write(b);
    if (failure) fail();
  };
  try {
    for (const b of head) feed(b);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (!ended)
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        feed(next.value);
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
      }
    const done = finished(parser);
    parser.end();
    await done.catch(() => undefined);
    if (failure) fail();
    if (batch.length > 0) yield batch;
  } finally {
    // A reader that stops early (the preview) lets go of the source too.
    if (!ended) await iterator.return?.();
  }
}

/** A problem with the file itself rather than with one row. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

function xlsxCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // 15 significant digits, as the spreadsheet shows them: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((p) => p.text).join('');
    if ('result' in v) return xlsxCellText(v.result);
    if ('text' in v) return xlsxCellText(v.text);
    if (typeof v.error === 'string') return v.error;
  }
  return '';
}

/** The rows of the first worksheet of an XLSX workbook (exceljs streaming reader). */
export async function* xlsxRecords(source: AsyncIterable<Uint8Array>): AsyncGenerator<SourceRecord[]> {
  const input = Readable.from(source);
  // Styles are read so date cells come back as dates; hyperlinks and other entries are skipped.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let batch: SourceRecord[] = [];
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCellText(values[i]).trim());
        batch.push({ line: row.number, cells });
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      return; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError(`The file is not a readable XLSX workbook: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    input.destroy();
  }
}

export function sourceRecords(format: 'csv' | 'xlsx', source: AsyncIterable<Uint8Array>): AsyncGenerator<SourceRecord[]> {
  return format === 'xlsx' ? xlsxRecords(source) : csvRecords(source);
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

/** The header of a file: the first non-blank record, with blank and repeated names made unique. */
export function headerNames(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    const base = raw.trim() === '' ? `Column ${i + 1}` : raw.trim();
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** Reads the header and the first data rows, for detection and the mapping screen. */
export async function previewRecords(records: AsyncIterable<SourceRecord[]>, sampleRows = 5): Promise<{ headers: string[]; sample: string[][] }> {
  let headers: string[] | null = null;
  const sample: string[][] = [];
  outer: for await (const batch of records)
    for (const r of batch) {
      if (isBlank(r.cells)) continue;
      if (!headers) headers = headerNames(r.cells);
      else sample.push(r.cells.slice(0, headers.length));
      if (sample.length >= sampleRows) break outer;
    }
  if (!headers) throw new ImportFileError('The file is empty: the first row must name the columns');
  return { headers, sample };
}

/** Other names source systems give the canonical columns; compared without case, spaces or punctuation. */
const synonyms: Record<TransactionColumn, readonly string[]> = {
  transaction_id: [
    'transaction',
    'transaction ref',
    'transaction reference',
    'txn id',
    'id',
    'order id',
    'order number',
    'order no',
    'invoice number',
    'invoice no',
    'invoice id',
    'line id',
    'deal id',
    'document number',
    'reference',
    'ref',
  ],
  kind: ['type', 'transaction type', 'document type', 'txn type'],
  recognised_on: [
    'recognized on',
    'date',
    'order date',
    'booking date',
    'booked on',
    'invoice date',
    'transaction date',
    'recognition date',
    'close date',
    'posting date',
  ],
  amount: ['value', 'net amount', 'amount net', 'net value', 'sales amount', 'order value', 'deal value', 'revenue', 'total', 'price'],
  currency: ['currency code', 'ccy', 'curr', 'iso currency'],
  product: ['product line', 'product name', 'item', 'sku', 'product code'],
  scenario: ['deal type', 'opportunity type', 'motion', 'scenario key'],
  segment: ['customer segment', 'market segment'],
  sourcing: ['deal sourcing', 'deal source', 'channel', 'source type'],
  partner: ['partner name', 'reseller', 'channel partner', 'distributor', 'partner ref', 'partner id'],
  sellers: [
    'seller',
    'salesperson',
    'sales person',
    'sales rep',
    'rep',
    'rep id',
    'sales rep id',
    'seller id',
    'seller ref',
    'account manager',
    'owner',
    'splits',
    'credited sellers',
    'employee id',
  ],
  overlays: ['overlay', 'overlay reps', 'specialist', 'specialists'],
  original_recognised_on: ['original recognized on', 'original date', 'original order date', 'original sale date', 'original invoice date'],
  end_customer: ['customer', 'customer name', 'end customer name', 'account', 'account name', 'client', 'sold to'],
  territory: ['region', 'sales territory', 'area'],
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * Proposes which source column feeds each canonical column: the canonical name first (any case,
 * spaces or underscores), then the synonyms in order. Each source column is used at most once.
 */
export function proposeMapping(headers: readonly string[]): ColumnMapping {
  const byKey = new Map<string, string>();
  for (const h of headers) if (!byKey.has(squash(h))) byKey.set(squash(h), h);
  const used = new Set<string>();
  const mapping: ColumnMapping = {};
  const take = (column: TransactionColumn, name: string): boolean => {
    const h = byKey.get(squash(name));
    if (h === undefined || used.has(h)) return false;
    mapping[column] = h;
    used.add(h);
    return true;
  };
  // Exact names in a first pass, so a synonym of one column never takes another column's own name.
  for (const c of transactionColumns) take(c, c);
  for (const c of transactionColumns) if (mapping[c] === undefined) for (const s of synonyms[c]) if (take(c, s)) break;
  return mapping;
}

/** Problems with a mapping itself: unknown source columns, a source column used twice, required columns unmapped. */
export function mappingProblems(mapping: ColumnMapping, headers: readonly string[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const known = new Set(headers);
  const used = new Map<string, string>();
  for (const c of transactionColumns) {
    const h = mapping[c];
    if (h === undefined) continue;
    if (!known.has(h)) problems.push({ path: `mapping.${c}`, message: `"${h}" is not a column of the file` });
    const other = used.get(h);
    if (other) problems.push({ path: `mapping.${c}`, message: `"${h}" already feeds ${other}` });
    used.set(h, c);
  }
  for (const c of requiredTransactionColumns)
    if (mapping[c] === undefined) problems.push({ path: `mapping.${c}`, message: 'is required: choose the column that holds it' });
  return problems;
}

/** Where each canonical column is in a record, from the mapping and the header. */
export function columnIndexes(mapping: ColumnMapping, headers: readonly string[]): [TransactionColumn, number][] {
  const out: [TransactionColumn, number][] = [];
  for (const c of transactionColumns) {
    const h = mapping[c];
    if (h !== undefined) out.push([c, headers.indexOf(h)]);
  }
  return out;
}

// ---- rows -------------------------------------------------------------------------------------

export type LineRole = 'seller' | 'overlay';

/** One stored line: a transaction as credited to one participant. */
export type PreparedLine = { participantId: string; role: LineRole; amountMinor: number; splitBps: number };

export type PreparedTransaction = {
  line: number;
  row: TransactionRow;
  partnerId: string | null;
  /** The partner as the source named it, kept only when it names no known partner. */
  partnerRef: string | null;
  lines: PreparedLine[];
};

export type ImportLookups = {
  participantIdByRef: ReadonlyMap<string, string>;
  /** Partners by lower-cased name. */
  partnerIdByName: ReadonlyMap<string, string>;
};

export type RowCheck = { ok: true; tx: PreparedTransaction } | { ok: false; ref: string | null; problems: { column: string | null; message: string }[] };

/** A thousands separator in an amount ("12,500.50", "12 500.50") is dropped; anything else is left to the row schema. */
function normaliseAmount(text: string): string {
  return text.replace(/[ _,'](?=\d{3}(?:\D|$))/g, '');
}

/** Checks one source record with a mapping; resolves participants and the partner. */
export function checkRecord(record: SourceRecord, indexes: readonly [TransactionColumn, number][], lookups: ImportLookups): RowCheck {
  const cells: Record<string, string> = {};
  for (const [c, i] of indexes) cells[c] = (record.cells[i] ?? '').trim();
  if (cells.amount !== undefined) cells.amount = normaliseAmount(cells.amount);
  return checkCells(record.line, cells, lookups);
}

const kinds: ReadonlySet<string> = new Set(transactionKinds);
const sourcingValues: ReadonlySet<string> = new Set(sourcings);
const canonicalColumns: ReadonlySet<string> = new Set(transactionColumns);
const currencyPattern = /^[A-Z]{3}$/;

/** isIsoDate, remembered: a file names few distinct dates (a day is checked once, not per row). */
const checkedDates = new Map<string, boolean>();
function isDate(text: string): boolean {
  let ok = checkedDates.get(text);
  if (ok === undefined) {
    ok = isIsoDate(text);
    if (checkedDates.size >= 10_000) checkedDates.clear();
    checkedDates.set(text, ok);
  }
  return ok;
}

/**
 * parseSellerSplits, remembered: a file names a seller or a pair of sellers on many rows. The answer
 * is shared between rows and never changed (rows only read their sellers).
 */
const knownSplits = new Map<string, ReturnType<typeof parseSellerSplits>>();
function sellerSplits(text: string): ReturnType<typeof parseSellerSplits> {
  let splits = knownSplits.get(text);
  if (splits === undefined) {
    splits = parseSellerSplits(text);
    if (knownSplits.size >= 100_000) knownSplits.clear();
    knownSplits.set(text, splits);
  }
  return splits;
}

/** Optional text as the row schema reads it: trimmed, at most `max` long, '' as null; undefined when the schema would refuse it. */
function quickOptional(value: string | undefined, max: number): string | null | undefined {
  if (value === undefined) return null;
  const t = value.trim();
  if (t.length > max) return undefined;
  return t === '' ? null : t;
}

/**
 * The row schema's answer for a row that passes it, computed without zod (which was most of the
 * check's time on a large file): the same rules, from the same helpers (isIsoDate, parseMajorAmount,
 * parseSellerSplits). Answers null at the first doubt, and the caller then asks the schema itself:
 * the schema stays the one definition of the rules and the only source of problem messages. A
 * property test (transactions-import.test.ts) holds both to the same answers on generated rows.
 */
export function quickTransactionRow(cells: Readonly<Record<string, string>>): TransactionRow | null {
  for (const k in cells) if (!canonicalColumns.has(k) || typeof cells[k] !== 'string') return null;
  const id = cells.transaction_id?.trim();
  if (id === undefined || id.length < 1 || id.length > 120) return null;
  const kind = cells.kind;
  if (kind === undefined || !kinds.has(kind)) return null;
  const recognisedOn = cells.recognised_on;
  if (recognisedOn === undefined || !isDate(recognisedOn)) return null;
  const amount = cells.amount?.trim();
  if (amount === undefined || amount.length < 1 || amount.length > 40) return null;
  const currency = cells.currency?.trim().toUpperCase();
  if (currency === undefined || !currencyPattern.test(currency)) return null;
  const product = quickOptional(cells.product, 120);
  const scenario = quickOptional(cells.scenario, 60);
  const segment = quickOptional(cells.segment, 60);
  const partner = quickOptional(cells.partner, 200);
  const overlays = quickOptional(cells.overlays, 2000);
  const endCustomer = quickOptional(cells.end_customer, 200);
  const territory = quickOptional(cells.territory, 120);
  if (product === undefined || scenario === undefined || segment === undefined || partner === undefined) return null;
  if (overlays === undefined || endCustomer === undefined || territory === undefined) return null;
  const sourcingText = cells.sourcing === undefined ? 'direct' : cells.sourcing.trim() || 'direct';
  if (!sourcingValues.has(sourcingText)) return null;
  const sourcing = sourcingText as TransactionRow['sourcing'];
  let originalRecognisedOn: string | null = null;
  if (cells.original_recognised_on !== undefined) {
    const o = cells.original_recognised_on.trim();
    if (o !== '') {
      if (!isDate(o)) return null;
      originalRecognisedOn = o;
    }
  }
  const sellersText = cells.sellers?.trim();
  if (sellersText === undefined || sellersText.length < 1 || sellersText.length > 2000) return null;
  let amountMinor: number;
  try {
    amountMinor = parseMajorAmount(amount, currency);
  } catch {
    return null;
  }
  const refund = kind === 'credit_note' || kind === 'cancellation';
  if (refund ? amountMinor > 0 : amountMinor < 0) return null;
  const sellers = sellerSplits(sellersText);
  if (typeof sellers === 'string') return null;
  if (sourcing !== 'direct' && partner === null) return null;
  const overlayRefs: string[] = [];
  if (overlays !== null)
    for (const part of overlays.split(';')) {
      const t = part.trim();
      if (t !== '') overlayRefs.push(t);
    }
  return {
    transactionRef: id,
    kind: kind as TransactionRow['kind'],
    recognisedOn,
    amountMinor,
    currency,
    product,
    scenario,
    segment,
    sourcing,
    partnerRef: partner,
    sellers,
    overlayRefs,
    originalRecognisedOn,
    endCustomer,
    territory,
  };
}

type CellProblem = { column: string | null; message: string };

/** The row schema's problems with a row, one per column and message. */
function schemaProblems(cells: Readonly<Record<string, string>>): { row: TransactionRow; problems: null } | { row: null; problems: CellProblem[] } {
  const parsed = transactionRow.safeParse(cells);
  if (parsed.success) return { row: parsed.data, problems: null };
  const seen = new Set<string>();
  const problems: CellProblem[] = [];
  for (const issue of parsed.error.issues) {
    const column = issue.path.length > 0 ? String(issue.path[0]) : null;
    const message = issue.code === 'invalid_type' && cells[column ?? ''] === undefined ? 'is required' : issue.message;
    const k = `${column}|${message}`;
    if (!seen.has(k)) problems.push({ column, message });
    seen.add(k);
  }
  return { row: null, problems };
}

/** Checks one row given as canonical cells (a file row after mapping, or a JSON row). */
export function checkCells(line: number, cells: Record<string, string>, lookups: ImportLookups): RowCheck {
  const ref = cells.transaction_id?.trim() || null;
  let row = quickTransactionRow(cells);
  if (row === null) {
    const r = schemaProblems(cells);
    if (r.problems) return { ok: false, ref, problems: r.problems };
    row = r.row;
  }
  const problems: CellProblem[] = [];
  const sellerIds: string[] = [];
  for (const s of row.sellers) {
    const id = lookups.participantIdByRef.get(s.ref);
    if (id === undefined) problems.push({ column: 'sellers', message: `"${s.ref}" is not a known participant` });
    else sellerIds.push(id);
  }
  const overlayIds: string[] = [];
  if (row.overlayRefs.length > 0) {
    const sellerRefs = new Set(row.sellers.map((s) => s.ref));
    const overlayRefs = new Set<string>();
    for (const ref of row.overlayRefs) {
      if (sellerRefs.has(ref)) problems.push({ column: 'overlays', message: `"${ref}" is also a seller of this transaction` });
      else if (overlayRefs.has(ref)) problems.push({ column: 'overlays', message: `"${ref}" is named twice` });
      else {
        const id = lookups.participantIdByRef.get(ref);
        if (id === undefined) problems.push({ column: 'overlays', message: `"${ref}" is not a known participant` });
        else overlayIds.push(id);
      }
      overlayRefs.add(ref);
    }
  }
  if (problems.length > 0) return { ok: false, ref, problems };
  const partnerId = row.partnerRef === null ? null : (lookups.partnerIdByName.get(row.partnerRef.toLowerCase()) ?? null);
  let lines: PreparedLine[];
  if (row.sellers.length === 1) {
    // One seller takes the whole amount (what allocate answers for a single weight).
    lines = [
      { participantId: sellerIds[0] as string, role: 'seller', amountMinor: row.amountMinor, splitBps: (row.sellers[0] as { splitBps: number }).splitBps },
    ];
  } else {
    // Largest remainder: the sellers' shares add up to the whole amount exactly.
    const shares = allocate(
      moneyOf(row.amountMinor, row.currency),
      row.sellers.map((s) => s.splitBps),
    );
    lines = row.sellers.map((s, i) => ({
      participantId: sellerIds[i] as string,
      role: 'seller',
      amountMinor: (shares[i] as { amountMinor: number }).amountMinor,
      splitBps: s.splitBps,
    }));
  }
  for (const id of overlayIds) lines.push({ participantId: id, role: 'overlay', amountMinor: row.amountMinor, splitBps: 10_000 });
  return { ok: true, tx: { line, row, partnerId, partnerRef: partnerId === null ? row.partnerRef : null, lines } };
}

/** A stored line as read back for comparison with a new row of the same reference. */
export type StoredLine = {
  transactionRef: string;
  participantId: string;
  role: string;
  kind: string;
  recognisedOn: string;
  amountMinor: number;
  dealAmountMinor: number;
  currency: string;
  splitBps: number;
  sourcing: string;
  partnerId: string | null;
  partnerRef: string | null;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  originalRecognisedOn: string | null;
  endCustomer: string | null;
  territory: string | null;
};

export function storedLinesOf(tx: PreparedTransaction): Omit<StoredLine, 'transactionRef'>[] {
  const r = tx.row;
  return tx.lines.map((l) => ({
    participantId: l.participantId,
    role: l.role,
    kind: r.kind,
    recognisedOn: r.recognisedOn,
    amountMinor: l.amountMinor,
    dealAmountMinor: r.amountMinor,
    currency: r.currency,
    splitBps: l.splitBps,
    sourcing: r.sourcing,
    partnerId: tx.partnerId,
    partnerRef: tx.partnerRef,
    product: r.product,
    scenario: r.scenario,
    segment: r.segment,
    originalRecognisedOn: r.originalRecognisedOn,
    endCustomer: r.endCustomer,
    territory: r.territory,
  }));
}

const signatureOf = (l: Omit<StoredLine, 'transactionRef'>) =>
  JSON.stringify([
    l.participantId,
    l.role,
    l.kind,
    l.recognisedOn,
    l.amountMinor,
    l.dealAmountMinor,
    l.currency,
    l.splitBps,
    l.sourcing,
    l.partnerId,
    l.partnerRef,
    l.product,
    l.scenario,
    l.segment,
    l.originalRecognisedOn,
    l.endCustomer,
    l.territory,
  ]);

/** True when the stored lines of a reference are exactly what this row would store. */
export function sameAsStored(tx: PreparedTransaction, stored: readonly StoredLine[]): boolean {
  const mine = storedLinesOf(tx).map(signatureOf).sort();
  const theirs = stored.map(signatureOf).sort();
  return mine.length === theirs.length && mine.every((s, i) => s === theirs[i]);
}

// ---- a whole source ---------------------------------------------------------------------------

export const maxReportedProblems = 1000;

export type ScanResult = { counts: ImportCounts; problems: ImportProblem[]; problemsTruncated: boolean };

/** A set of data rows (1-based), one bit each; kept on the batch between validation and commit. */
export class RowSet {
  bits: Uint8Array;
  constructor(bits: Uint8Array = new Uint8Array(1024)) {
    this.bits = bits;
  }
  add(row: number): void {
    const byte = row >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte] = (this.bits[byte] ?? 0) | (1 << (row & 7));
  }
  has(row: number): boolean {
    return (((this.bits[row >>> 3] ?? 0) >>> (row & 7)) & 1) === 1;
  }
  /** The bytes up to the last row in the set. */
  toBuffer(): Buffer {
    let end = this.bits.length;
    while (end > 0 && this.bits[end - 1] === 0) end--;
    return Buffer.from(this.bits.subarray(0, end));
  }
}

export type ScanOptions = {
  lookups: ImportLookups;
  /** Told every data row (1-based) not to store: bad, or already stored. */
  notToStore?: RowSet;
  /** Lines already stored for these references (the store's state: a replayed row is a no-op). */
  findStored: (refs: string[]) => Promise<StoredLine[]>;
  /** Called with each chunk of good transactions not yet stored, in file order. */
  onGoodChunk?: (txs: PreparedTransaction[], rowsDone: number) => Promise<void>;
  chunkRows?: number;
};

type Checked = { line: number; check: RowCheck };

/**
 * Checks every row of a source: row problems, a reference repeated within the source, a reference
 * already stored with other content. Rows come as canonical cells (`checkOne`) so files and JSON
 * share the path. Memory grows with the number of distinct references only, not with the file.
 */
export async function scanRows(rows: AsyncIterable<Checked[]>, options: ScanOptions): Promise<ScanResult> {
  const chunkRows = options.chunkRows ?? 5000;
  const counts: ImportCounts = { rows: 0, good: 0, bad: 0, alreadyStored: 0 };
  const problems: ImportProblem[] = [];
  let problemsTruncated = false;
  const firstLineOfRef = new Map<string, number>();
  const report = (line: number, ref: string | null, column: string | null, message: string) => {
    if (problems.length < maxReportedProblems) problems.push({ line, column, message, transactionRef: ref });
    else problemsTruncated = true;
  };
  let pending: PreparedTransaction[] = [];
  let pendingRows: number[] = [];

  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending;
    const chunkRowNos = pendingRows;
    pending = [];
    pendingRows = [];
    const stored = await options.findStored(chunk.map((t) => t.row.transactionRef));
    const byRef = new Map<string, StoredLine[]>();
    for (const s of stored) {
      const list = byRef.get(s.transactionRef);
      if (list) list.push(s);
      else byRef.set(s.transactionRef, [s]);
    }
    const fresh: PreparedTransaction[] = [];
    for (const [i, tx] of chunk.entries()) {
      const prior = byRef.get(tx.row.transactionRef);
      if (!prior) {
        fresh.push(tx);
        continue;
      }
      options.notToStore?.add(chunkRowNos[i] as number);
      if (sameAsStored(tx, prior)) {
        counts.good++;
        counts.alreadyStored++;
      } else {
        counts.bad++;
        report(tx.line, tx.row.transactionRef, 'transaction_id', 'was already imported with different content');
      }
    }
    counts.good += fresh.length;
    if (fresh.length > 0 && options.onGoodChunk) await options.onGoodChunk(fresh, counts.rows);
  };

  for await (const batch of rows)
    for (const { line, check } of batch) {
      counts.rows++;
      const ref = check.ok ? check.tx.row.transactionRef : check.ref;
      let repeated: number | undefined;
      if (ref !== null) {
        repeated = firstLineOfRef.get(ref);
        if (repeated === undefined) firstLineOfRef.set(ref, line);
      }
      if (!check.ok || repeated !== undefined) {
        counts.bad++;
        options.notToStore?.add(counts.rows);
        if (!check.ok) for (const p of check.problems) report(line, ref, p.column, p.message);
        if (repeated !== undefined) report(line, ref, 'transaction_id', `repeats the transaction id of line ${repeated}`);
        continue;
      }
      pending.push(check.tx);
      pendingRows.push(counts.rows);
      if (pending.length >= chunkRows) await flush();
    }
  await flush();
  return { counts, problems, problemsTruncated };
}

/** The data rows of a file checked with a mapping (blank rows and the header skipped). */
export async function* checkedFileRows(records: AsyncIterable<SourceRecord[]>, mapping: ColumnMapping, lookups: ImportLookups): AsyncGenerator<Checked[]> {
  let indexes: [TransactionColumn, number][] | null = null;
  for await (const batch of records) {
    const out: Checked[] = [];
    for (const r of batch) {
      if (isBlank(r.cells)) continue;
      if (!indexes) {
        const headers = headerNames(r.cells);
        const problems = mappingProblems(mapping, headers);
        if (problems.length > 0) throw new ImportFileError(`The mapping does not fit the file: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
        indexes = columnIndexes(mapping, headers);
        continue;
      }
      out.push({ line: r.line, check: checkRecord(r, indexes, lookups) });
    }
    if (out.length > 0) yield out;
  }
  if (!indexes) throw new ImportFileError('The file is empty: the first row must name the columns');
}

/** JSON rows checked the same way; line = index + 2, as if row 1 were a header. */
export async function* checkedJsonRows(rows: readonly Record<string, string | undefined>[], lookups: ImportLookups): AsyncGenerator<Checked[]> {
  const out: Checked[] = [];
  for (let i = 0; i < rows.length; i++) {
    const cells: Record<string, string> = {};
    for (const [k, v] of Object.entries(rows[i] ?? {})) if (v !== undefined) cells[k] = v;
    out.push({ line: i + 2, check: checkCells(i + 2, cells, lookups) });
  }
  yield out;
}
