import { activityCsvColumns, requiredActivityCsvColumns } from '../../../common/api/scorecards.ts';
import { isIsoDate } from '../../../common/dates.ts';
import { readCsvTable } from '../../lib/csv-table.ts';
import { sha256Hex, uuidPattern } from '../../lib/ids.ts';

/**
 * The CSV format of an activity import. The first line names the columns (any order, any case):
 * external_ref, kind, participant_ref (the participant's external reference), partner_id,
 * occurred_on (YYYY-MM-DD), quantity (whole number, 1 when empty), note. Lines are counted from 1
 * (the header), as a spreadsheet shows them.
 *
 * Idempotent: a row is identified by its external_ref, or, when it has none, by a hash of the row
 * itself, so importing the same file twice adds nothing.
 */

export const maxActivityRows = 50_000;

export type ActivityCsvRow = {
  line: number;
  externalRef: string;
  kind: string;
  participantRef: string;
  partnerId: string | null;
  occurredOn: string;
  quantity: number;
  note: string;
};

export type ActivityCsvIssue = { line: number; column: string; message: string };

export type ActivityLookups = {
  kinds: ReadonlySet<string>;
  participantIdByRef: ReadonlyMap<string, string>;
  partnerIds: ReadonlySet<string>;
};

/** Reads the file into rows whose cells have the right shape; a cell of the wrong shape is an issue of its row. */
export function parseActivityCsv(text: string): { rows: ActivityCsvRow[]; issues: ActivityCsvIssue[]; total: number } {
  const { body, cell: cellOf } = readCsvTable(text, {
    columns: activityCsvColumns,
    required: requiredActivityCsvColumns,
    maxRows: maxActivityRows,
    path: 'body.csv',
    action: 'import',
  });

  const rows: ActivityCsvRow[] = [];
  const issues: ActivityCsvIssue[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (c: string): string => cellOf(record, c);
    const rowIssues: ActivityCsvIssue[] = [];
    const kind = cell('kind');
    const participantRef = cell('participant_ref');
    const partnerId = cell('partner_id') || null;
    const occurredOn = cell('occurred_on');
    const quantityText = cell('quantity');
    const note = cell('note');
    if (!kind) rowIssues.push({ line, column: 'kind', message: 'is required' });
    if (!participantRef) rowIssues.push({ line, column: 'participant_ref', message: 'is required' });
    if (partnerId !== null && !uuidPattern.test(partnerId))
      rowIssues.push({ line, column: 'partner_id', message: `"${partnerId}" is not a partner id (uuid)` });
    if (!isIsoDate(occurredOn)) rowIssues.push({ line, column: 'occurred_on', message: `"${occurredOn}" is not a date written YYYY-MM-DD` });
    const quantity = quantityText === '' ? 1 : Number(quantityText);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000)
      rowIssues.push({ line, column: 'quantity', message: `"${quantityText}" is not a whole number from 1 to 10000` });
    if (note.length > 2000) rowIssues.push({ line, column: 'note', message: 'is longer than 2000 characters' });
    const ref = cell('external_ref');
    if (ref.length > 200) rowIssues.push({ line, column: 'external_ref', message: 'is longer than 200 characters' });
    if (rowIssues.length) {
      issues.push(...rowIssues);
      continue;
    }
    const externalRef = ref || `row:${sha256Hex(JSON.stringify([kind, participantRef, partnerId, occurredOn, quantity, note]))}`;
    rows.push({ line, externalRef, kind, participantRef, partnerId, occurredOn, quantity, note });
  }
  return { rows, issues, total: body.length };
}

/** Checks what the rows name against the database's lists; the rows that pass, and an issue per row that does not. */
export function resolveActivityRows(rows: readonly ActivityCsvRow[], lookups: ActivityLookups) {
  const ok: (ActivityCsvRow & { participantId: string })[] = [];
  const issues: ActivityCsvIssue[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const rowIssues: ActivityCsvIssue[] = [];
    if (!lookups.kinds.has(r.kind)) rowIssues.push({ line: r.line, column: 'kind', message: `"${r.kind}" is not an active activity type` });
    const participantId = lookups.participantIdByRef.get(r.participantRef);
    if (!participantId) rowIssues.push({ line: r.line, column: 'participant_ref', message: `no participant has the reference "${r.participantRef}"` });
    if (r.partnerId !== null && !lookups.partnerIds.has(r.partnerId)) rowIssues.push({ line: r.line, column: 'partner_id', message: 'no such partner' });
    const first = seen.get(r.externalRef);
    if (first !== undefined) rowIssues.push({ line: r.line, column: 'external_ref', message: `repeats line ${first}` });
    if (rowIssues.length || !participantId) {
      issues.push(...rowIssues);
      continue;
    }
    seen.set(r.externalRef, r.line);
    ok.push({ ...r, participantId });
  }
  return { ok, issues };
}
