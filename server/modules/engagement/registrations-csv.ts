import { bulkColumns, createRegistrationRequest, requiredBulkColumns, type CreateRegistrationInput } from '../../../common/api/engagement-registrations.ts';
import { parseMajorAmount } from '../../../common/money.ts';
import { csvFileProblem, readCsvTable } from '../../lib/csv-table.ts';

/**
 * The CSV format of a bulk registration upload. The first line names the columns (any order,
 * case-insensitive; see `bulkColumns`). `value` is in major units with a dot ("12500.00"); empty
 * cells are "not given". Lines are counted from 1 (the header), as a spreadsheet shows them.
 */

export const maxBulkRows = 5000;

export type CsvRow = { line: number; input: CreateRegistrationInput | null; issues: { column: string; message: string }[] };

const fieldOfColumn: Record<(typeof bulkColumns)[number], string> = {
  client_reference: 'clientReference',
  scenario: 'scenario',
  end_customer_name: 'endCustomerName',
  value: 'valueMinor',
  currency: 'currency',
  end_customer_domain: 'endCustomerDomain',
  end_customer_country: 'endCustomerCountry',
  end_customer_tax_id: 'endCustomerTaxId',
  product_line: 'productLine',
  region: 'region',
  expected_close_on: 'expectedCloseOn',
  description: 'description',
};
const columnOfField = new Map(Object.entries(fieldOfColumn).map(([c, f]) => [f, c]));

function countNewlines(cells: string[]): number {
  let n = 0;
  for (const c of cells) for (const ch of c) if (ch === '\n') n++;
  return n;
}

/** Parses and checks every row; a problem with the file itself (not a row) is thrown. */
export function parseRegistrationCsv(text: string): { rows: CsvRow[] } {
  const { names, body } = readCsvTable(text, { columns: bulkColumns, required: requiredBulkColumns, maxRows: maxBulkRows, path: 'csv', action: 'upload' });
  if (body.length === 0) throw csvFileProblem('csv', 'The file has a header but no rows');

  return {
    rows: body.map(({ record, info }) => {
      const line = info.lines - countNewlines(record);
      const issues: CsvRow['issues'] = [];
      if (record.length > names.length)
        issues.push({ column: `(column ${names.length + 1})`, message: `has more cells than the header names (${names.length})` });
      const cell = (c: string): string | null => {
        const i = names.indexOf(c);
        const v = i >= 0 ? (record[i] ?? '').trim() : '';
        return v === '' ? null : v;
      };
      const currency = cell('currency')?.toUpperCase() ?? null;
      let valueMinor: number | undefined;
      const value = cell('value');
      if (value === null) issues.push({ column: 'value', message: 'is required' });
      else if (currency !== null && /^[A-Z]{3}$/.test(currency)) {
        try {
          valueMinor = parseMajorAmount(value.replace(/[ _,](?=\d{3}\b)/g, ''), currency);
        } catch (e) {
          issues.push({ column: 'value', message: e instanceof Error ? e.message : 'is not an amount' });
        }
      }
      const candidate = {
        clientReference: cell('client_reference') ?? undefined,
        scenario: cell('scenario') ?? '',
        endCustomerName: cell('end_customer_name') ?? '',
        endCustomerDomain: cell('end_customer_domain'),
        endCustomerCountry: cell('end_customer_country'),
        endCustomerTaxId: cell('end_customer_tax_id'),
        productLine: cell('product_line'),
        region: cell('region'),
        valueMinor: valueMinor ?? 0,
        currency: currency ?? '',
        expectedCloseOn: cell('expected_close_on'),
        description: cell('description'),
        submit: true,
      };
      if (candidate.clientReference === undefined) issues.push({ column: 'client_reference', message: 'is required: it makes a repeated upload safe' });
      const parsed = createRegistrationRequest.safeParse(candidate);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '');
          const column = columnOfField.get(field) ?? field;
          const message = candidate[field as keyof typeof candidate] === '' ? 'is required' : issue.message;
          if (!(column === 'value' && valueMinor === undefined)) issues.push({ column, message });
        }
      }
      return { line, input: parsed.success && issues.length === 0 ? parsed.data : null, issues };
    }),
  };
}
