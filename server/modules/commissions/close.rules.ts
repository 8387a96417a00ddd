import { minorUnitDigits } from '../../../common/money.ts';

/** A cell a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading apostrophe. */
export function neutraliseText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Integer minor units as a plain decimal number in major units ("-12.50"), exact (no floating point). */
export function majorUnits(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amountMinor < 0;
  const abs = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const body = digits === 0 ? abs : `${abs.slice(0, abs.length - digits)}.${abs.slice(abs.length - digits)}`;
  return negative ? `-${body}` : body;
}

/** A CSV cell: text is neutralised and quoted when needed; numbers are written as they are (a negative number stays a number). */
export type CsvCell = { text: string } | { number: string };

function field(cell: CsvCell): string {
  if ('number' in cell) return cell.number;
  const text = neutraliseText(cell.text);
  return /[",\r\n]/.test(text) || text.startsWith("'") ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly CsvCell[][]): string {
  return [header.map((h) => field({ text: h })), ...rows.map((r) => r.map(field))].map((r) => r.join(',')).join('\r\n') + '\r\n';
}
