import type { ColumnType } from 'kysely';
import type { CommitMode, ImportFormat, ImportProblem, TransactionImportStatus } from '../../../common/api/commissions-transactions.ts';
import type { Sourcing } from '../../../common/comp/plan.ts';
import type { TransactionKind } from '../../../common/comp/transaction-row.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Optional<T> = ColumnType<T, T | undefined, T>;
/** jsonb: read as the value, written as JSON text. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** One import batch (migration 0012); the check constraints mirror the API's lists. */
export interface TransactionImportTable {
  transactionImportId: string;
  sourceName: string;
  format: ImportFormat;
  contentSha256: string;
  clientBatchId: string | null;
  sizeBytes: number;
  headers: Json<string[]>;
  sample: Json<string[][]>;
  /** Pairs [canonical column, source header] (see migration 0012). */
  mapping: Json<[string, string][]>;
  status: Optional<TransactionImportStatus>;
  validatedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  rowCount: Optional<number | null>;
  goodCount: Optional<number | null>;
  badCount: Optional<number | null>;
  alreadyStoredCount: Optional<number | null>;
  problems: Json<ImportProblem[]>;
  problemsTruncated: Optional<boolean>;
  commitMode: Optional<CommitMode | null>;
  progressDone: Optional<number>;
  progressTotal: Optional<number>;
  storedLines: Optional<number>;
  /** What the validation's answers depended on besides the file, and the rows it found not to store; see migration 0012. */
  storeFingerprint: Optional<string | null>;
  skipRows: Optional<Buffer | null>;
  error: Optional<string | null>;
  createdByUserId: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
  finishedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The uploaded bytes of a batch, in order, until it is committed or rejected. */
export interface TransactionImportChunkTable {
  transactionImportId: string;
  seq: number;
  bytes: Buffer;
}

/** One transaction as credited to one participant (seller share or overlay). Insert-only. */
export interface SalesTransactionTable {
  participantId: string;
  salesTransactionId: string;
  transactionImportId: string;
  partnerId: string | null;
  amountMinor: number;
  dealAmountMinor: number;
  recognisedOn: string;
  originalRecognisedOn: string | null;
  splitBps: number;
  currency: string;
  role: 'seller' | 'overlay';
  kind: TransactionKind;
  sourcing: Sourcing;
  transactionRef: string;
  partnerRef: string | null;
  product: string | null;
  scenario: string | null;
  segment: string | null;
  endCustomer: string | null;
  territory: string | null;
}

/** A dated exchange rate (migration 0016): value x numerator / denominator, from valid_on until the pair's next rate. */
export interface FxRateTable {
  currency: string;
  toCurrency: string;
  validOn: string;
  numerator: number;
  denominator: number;
  rate: string;
  createdAt: CreatedAt;
}

/** One period run (migration 0016). */
export interface CommissionRunTable {
  commissionRunId: string;
  periodStart: string;
  periodEnd: string;
  status: Optional<'queued' | 'running' | 'completed' | 'failed'>;
  planVersions: Json<unknown[]>;
  resultCount: Optional<number | null>;
  resultHash: Optional<string | null>;
  error: Optional<string | null>;
  createdByUserId: string | null;
  createdAt: CreatedAt;
  startedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finishedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** How far a period run's job has got (migration 0037): written in short transactions of their own while the run calculates. */
export interface CommissionRunProgressTable {
  commissionRunId: string;
  done: Optional<number>;
  total: Optional<number>;
}

/** One participant's payout period in a run: the engine's buckets and lines (migration 0016). */
export interface CommissionResultTable {
  participantId: string;
  commissionRunId: string;
  periodStart: string;
  periodEnd: string;
  compPlanVersionId: string;
  currency: string;
  quotaMinor: number | null;
  quotaCreditMinor: number;
  attainmentBps: number;
  ytdAttainmentBps: number;
  totalMinor: number;
  buckets: Json<unknown[]>;
  lines: Json<unknown[]>;
}
