import { stringify } from 'csv-stringify/sync';

/**
 * CSV that is safe to open in a spreadsheet. A spreadsheet runs a text cell that starts with =, +,
 * -, @, a tab or a carriage return as a formula: such text gets a single quote in front so it reads
 * as text. Numbers (a JavaScript number, or exact decimal digits we produced, { number: '-12.50' })
 * are written as they are, so a negative figure stays a figure.
 */

export type CsvCell = string | number | null | { number: string };

export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function cellText(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'object') return cell.number;
  return neutraliseFormula(cell);
}

/** Header and rows as CSV with CRLF line ends. */
export function safeCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header.map(cellText), ...rows.map((r) => r.map(cellText))], {
    record_delimiter: 'windows',
    // Line breaks inside a cell, and neutralised text, are always quoted.
    quoted_match: [/^'/, /[\r\n]/],
  });
}
