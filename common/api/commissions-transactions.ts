import { z } from 'zod';
import { transactionColumns, transactionKinds } from '../comp/transaction-row.ts';
import { sourcings } from '../comp/plan.ts';
import { isoDate } from '../dates.ts';
import { pageOf } from './paging.ts';

/**
 * The transaction store's API: import batches (upload -> column mapping -> validation -> commit)
 * and the stored sales transactions. Rows use the canonical columns of common/comp/transaction-row.ts.
 */

export const transactionColumn = z.enum(transactionColumns);

/** Which source column feeds each canonical column; unmapped canonical columns are empty. */
export const columnMapping = z
  .partialRecord(transactionColumn, z.string().trim().min(1).max(200))
  .describe('Canonical column -> the header of the source column that feeds it');
export type ColumnMapping = z.infer<typeof columnMapping>;

/**
 * validating: uploaded, mapping and validation may be repeated; committing: a commit was chosen and
 * runs (a job for large files); committed: the good rows are stored; rejected: nothing was stored.
 */
export const transactionImportStatuses = ['validating', 'committing', 'committed', 'rejected'] as const;
export const transactionImportStatus = z.enum(transactionImportStatuses);
export type TransactionImportStatus = z.infer<typeof transactionImportStatus>;

export const commitModes = ['good_rows', 'all_or_nothing'] as const;
export const commitMode = z.enum(commitModes).describe('good_rows: store the good rows, skip the bad ones; all_or_nothing: store nothing when any row is bad');
export type CommitMode = z.infer<typeof commitMode>;

export const importFormat = z.enum(['csv', 'xlsx', 'json']);
export type ImportFormat = z.infer<typeof importFormat>;

export const importProblem = z.object({
  line: z.number().int().describe('Line of the file (the header is line 1); for JSON rows, the row index + 2'),
  column: z.string().nullable().describe('Canonical column, or null for the row as a whole'),
  message: z.string(),
  transactionRef: z.string().nullable(),
});
export type ImportProblem = z.infer<typeof importProblem>;

export const importCounts = z.object({
  rows: z.number().int(),
  good: z.number().int(),
  bad: z.number().int(),
  /** Good rows that were already stored with the same content: committing them is a no-op. */
  alreadyStored: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCounts>;

export const transactionImportView = z.object({
  id: z.uuid(),
  sourceName: z.string(),
  format: importFormat,
  contentSha256: z.string(),
  clientBatchId: z.string().nullable(),
  sizeBytes: z.number().int(),
  status: transactionImportStatus,
  headers: z.array(z.string()).describe('The source columns, as the file names them'),
  sample: z.array(z.array(z.string())).describe('The first data rows, for the mapping screen'),
  mapping: columnMapping.describe('The proposed mapping until a validation chose one, then the mapping used'),
  validatedAt: z.string().nullable(),
  counts: importCounts.nullable().describe('From the last validation; after a commit, what the commit found'),
  problems: z.array(importProblem),
  problemsTruncated: z.boolean().describe('More bad rows than the report keeps (the counts are complete)'),
  commitMode: commitMode.nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  storedLines: z.number().int().describe('Transaction lines written (one per credited participant)'),
  error: z.string().nullable().describe('Why the last commit attempt failed (it is retried)'),
  createdByUserId: z.uuid().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  replayed: z.boolean().describe('True when this answer is an earlier batch: the same file or batch id was sent before'),
});
export type TransactionImportView = z.infer<typeof transactionImportView>;

export const transactionImportUploadQuery = z.strictObject({
  sourceName: z.string().trim().min(1).max(200).optional().describe('The file name or source system; defaults to "upload"'),
  clientBatchId: z.string().trim().min(1).max(200).optional().describe('Your id for this batch: a second upload with it answers the first batch'),
});

export const validateImportRequest = z.strictObject({ mapping: columnMapping });
export const commitImportRequest = z.strictObject({ mode: commitMode });

export const transactionImportListQuery = z.strictObject({
  status: transactionImportStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const cell = z.string().max(2000);
/** One row sent as JSON: the canonical columns, as text (the same cells a file holds). */
export const transactionRowInput = z.strictObject({
  transaction_id: cell,
  kind: cell,
  recognised_on: cell,
  amount: z.union([cell, z.number()]).transform((v) => (typeof v === 'number' ? String(v) : v)),
  currency: cell,
  product: cell.optional(),
  scenario: cell.optional(),
  segment: cell.optional(),
  sourcing: cell.optional(),
  partner: cell.optional(),
  sellers: cell,
  overlays: cell.optional(),
  original_recognised_on: cell.optional(),
  end_customer: cell.optional(),
  territory: cell.optional(),
});

export const maxApiTransactionRows = 5000;
export const createTransactionsRequest = z.strictObject({
  batchId: z.string().trim().min(1).max(200).optional().describe('Your id for the batch (or send an Idempotency-Key header)'),
  mode: commitMode.default('all_or_nothing'),
  rows: z.array(transactionRowInput).min(1).max(maxApiTransactionRows),
});
export type CreateTransactionsRequest = z.infer<typeof createTransactionsRequest>;

export const salesTransactionView = z.object({
  salesTransactionId: z.uuid(),
  transactionRef: z.string(),
  participantId: z.uuid(),
  role: z.enum(['seller', 'overlay']),
  kind: z.enum(transactionKinds),
  recognisedOn: z.string(),
  amountMinor: z.number().int().describe('This participant’s share (sellers: split share; overlays: the whole value)'),
  dealAmountMinor: z.number().int(),
  currency: z.string(),
  splitBps: z.number().int(),
  sourcing: z.enum(sourcings),
  partnerId: z.uuid().nullable(),
  partnerRef: z.string().nullable(),
  product: z.string().nullable(),
  scenario: z.string().nullable(),
  segment: z.string().nullable(),
  originalRecognisedOn: z.string().nullable(),
  endCustomer: z.string().nullable(),
  territory: z.string().nullable(),
  importId: z.uuid(),
});
export type SalesTransactionView = z.infer<typeof salesTransactionView>;

export const salesTransactionListQuery = z
  .strictObject({
    participantId: z.uuid().optional(),
    partnerId: z.uuid().optional(),
    transactionRef: z.string().trim().min(1).max(120).optional(),
    importId: z.uuid().optional(),
    from: isoDate.optional().describe('Recognised on or after (inclusive)'),
    to: isoDate.optional().describe('Recognised before (exclusive: periods are half-open)'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });

export const salesTransactionPage = pageOf(salesTransactionView);
