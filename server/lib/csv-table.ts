import { parse } from 'csv-parse/sync';
import type { ProblemIssue } from '../../common/errors.ts';
import { AppError } from './errors.ts';

/**
 * A CSV upload whose first line names documented columns (any order, any case): parsed by csv-parse,
 * the header checked (unknown, missing and repeated columns reported at once), the row count bounded.
 * A problem with the file itself is thrown; rows are left to the caller to check one by one.
 */
export type CsvTableSpec = {
  columns: readonly string[];
  required: readonly string[];
  maxRows: number;
  /** Where the file came from in the request, for a problem with the file as a whole ('body.csv'). */
  path: string;
  /** The verb of the too-many-rows message: "import" or "upload". */
  action: string;
};

export type CsvTable = {
  /** The header's column names, trimmed and lower-cased, in file order. */
  names: string[];
  /** Every row after the header; `lines` is the file line the record ends on (the header is line 1). */
  body: { record: string[]; info: { lines: number } }[];
  /** A row's trimmed cell under a column name, '' when the column or the cell is absent. */
  cell: (record: readonly string[], column: string) => string;
};

export function csvFileProblem(path: string, message: string, issues: ProblemIssue[] = []): AppError {
  return new AppError('validation_failed', message, { issues: issues.length ? issues : [{ path, message }] });
}

export function readCsvTable(text: string, spec: CsvTableSpec): CsvTable {
  let records: CsvTable['body'];
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as CsvTable['body'];
  } catch (e) {
    throw csvFileProblem(spec.path, `The file is not valid CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  const [header, ...body] = records;
  if (!header) throw csvFileProblem(spec.path, 'The file is empty: the first line must name the columns');
  const names = header.record.map((h) => h.trim().toLowerCase());
  const known = new Set<string>(spec.columns);
  const unknown = names.filter((n) => !known.has(n));
  const missing = spec.required.filter((c) => !names.includes(c));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length || missing.length || repeated.length)
    throw csvFileProblem(spec.path, 'The header line does not match the documented columns', [
      ...unknown.map((n) => ({ path: `line 1, column ${n}`, message: `is not a known column (known: ${spec.columns.join(', ')})` })),
      ...missing.map((n) => ({ path: `line 1, column ${n}`, message: 'is required' })),
      ...repeated.map((n) => ({ path: `line 1, column ${n}`, message: 'appears twice' })),
    ]);
  if (body.length > spec.maxRows) throw csvFileProblem(spec.path, `The file has ${body.length} rows; ${spec.action} at most ${spec.maxRows} at a time`);
  return {
    names,
    body,
    cell: (record, column) => {
      const i = names.indexOf(column);
      return i >= 0 ? (record[i] ?? '').trim() : '';
    },
  };
}
