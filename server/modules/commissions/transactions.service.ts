import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type {
  ColumnMapping,
  CommitMode,
  CreateTransactionsRequest,
  SalesTransactionView,
  TransactionImportStatus,
  TransactionImportView,
} from '../../../common/api/commissions-transactions.ts';
import { transactionColumns } from '../../../common/comp/transaction-row.ts';
import { systemActor, type Actor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canImportTransactions, isPartnerActor } from './transactions.policy.ts';
import * as repo from './transactions.repository.ts';
import {
  checkedFileRows,
  checkedJsonRows,
  detectFormat,
  ImportFileError,
  mappingProblems,
  previewRecords,
  proposeMapping,
  RowSet,
  scanRows,
  sourceRecords,
  type ImportLookups,
  type ScanResult,
} from './transactions-import.ts';

/** The largest file an upload takes. */
export const maxUploadBytes = 200 * 1024 * 1024;
/** Bytes per stored chunk of an upload: large enough for few round trips, small enough to hold. */
const chunkBytes = 4 * 1024 * 1024;
/** Batches with at most this many rows are committed within the request; larger ones by a job. */
export const inlineCommitMaxRows = 5000;
export const COMMIT_IMPORT_JOB = 'commissions.commit-transaction-import';

const workerActor = systemActor('worker');

function guard(actor: Actor, what = 'The transaction store'): void {
  if (isPartnerActor(actor)) throw notFound(what);
  if (!canImportTransactions(actor))
    throw new AppError('forbidden', 'Compensation administrators, administrators and finance import and read sales transactions');
}

function fileProblem(e: unknown): AppError {
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('validation_failed', message, { issues: [{ path: 'file', message }] });
}

function toView(r: repo.ImportRow, replayed = false): TransactionImportView {
  return {
    id: r.transactionImportId,
    sourceName: r.sourceName,
    format: r.format,
    contentSha256: r.contentSha256,
    clientBatchId: r.clientBatchId,
    sizeBytes: r.sizeBytes,
    status: r.status,
    headers: r.headers,
    sample: r.sample,
    mapping: repo.mappingOf(r),
    validatedAt: r.validatedAt?.toISOString() ?? null,
    counts: r.rowCount === null ? null : { rows: r.rowCount, good: r.goodCount ?? 0, bad: r.badCount ?? 0, alreadyStored: r.alreadyStoredCount ?? 0 },
    problems: r.problems,
    problemsTruncated: r.problemsTruncated,
    commitMode: r.commitMode,
    progress: { done: r.progressDone, total: r.progressTotal },
    storedLines: r.storedLines,
    error: r.error,
    createdByUserId: r.createdByUserId,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    replayed,
  };
}

async function viewOf(trx: Trx, id: string, replayed = false): Promise<TransactionImportView> {
  const r = await repo.findImport(trx, id);
  if (!r) throw notFound('Transaction import');
  return toView(r, replayed);
}

/** The stored bytes of a batch, chunk by chunk, read within the caller's transaction. */
async function* storedFile(trx: Trx, id: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const bytes = await repo.readChunk(trx, id, seq);
    if (!bytes) return;
    yield bytes;
  }
}

async function lookupsOf(trx: Trx): Promise<ImportLookups> {
  const [participantIdByRef, partnerIdByName] = await Promise.all([repo.participantIdsByRef(trx), repo.partnerIdsByName(trx)]);
  return { participantIdByRef, partnerIdByName };
}

/**
 * What a row check depends on besides the row: the store (its committed batch count changes with
 * every write) and the lookups (participants by reference, partners by name; read in a fixed order).
 * Equal fingerprints at validation and at commit mean the validation's answers still hold.
 */
async function fingerprintOf(trx: Trx, lookups: ImportLookups): Promise<string> {
  const hash = createHash('sha256');
  // The form of what the validation leaves for the commit: a batch validated by an older version
  // (without staged lines) never matches, and is checked again at its commit.
  hash.update('validation:staged-lines-1\n');
  hash.update(`store:${await repo.committedBatchCount(trx)}\n`);
  for (const [ref, id] of lookups.participantIdByRef) hash.update(`p:${ref}\t${id}\n`);
  for (const [name, id] of lookups.partnerIdByName) hash.update(`o:${name}\t${id}\n`);
  return hash.digest('hex');
}

/** Thrown inside the upload's transaction to roll it back when the content was sent before. */
class Replay extends Error {
  readonly importId: string;
  constructor(importId: string) {
    super('replay');
    this.importId = importId;
  }
}

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

/**
 * Step 1: stores an uploaded file (CSV or XLSX) as it streams in, reads its header and proposes a
 * column mapping. The same file again answers the first batch (replayed, nothing written); the same
 * client batch id with another file is a conflict.
 */
export async function uploadTransactionFile(
  deps: Deps,
  actor: Actor,
  input: { sourceName?: string | undefined; clientBatchId?: string | undefined },
  body: AsyncIterable<Uint8Array>,
): Promise<TransactionImportView> {
  guard(actor);
  const id = newId();
  try {
    return await inTransaction(deps, actor, async (trx) => {
      const hash = createHash('sha256');
      let size = 0;
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        await repo.insertChunk(trx, id, seq++, Buffer.concat(pending, pendingBytes));
        pending = [];
        pendingBytes = 0;
      };
      let head: Buffer | null = null;
      for await (const piece of body) {
        const b = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
        size += b.length;
        if (size > maxUploadBytes) throw new AppError('payload_too_large', `The file is larger than ${maxUploadBytes / 1024 / 1024} MB`);
        head ??= b;
        hash.update(b);
        pending.push(b);
        pendingBytes += b.length;
        if (pendingBytes >= chunkBytes) await flush();
      }
      await flush();
      if (size === 0 || !head) throw fileProblem('The file is empty');
      const sha = hash.digest('hex');
      const prior = await repo.findImportByContent(trx, sha);
      if (prior) throw new Replay(prior.transactionImportId);
      if (input.clientBatchId) {
        const other = await repo.findImportByClientBatchId(trx, input.clientBatchId);
        if (other) throw new AppError('conflict', `The batch id "${input.clientBatchId}" was used for another file`);
      }
      const format = detectFormat(head);
      let preview: { headers: string[]; sample: string[][] };
      try {
        preview = await previewRecords(sourceRecords(format, storedFile(trx, id)));
      } catch (e) {
        if (e instanceof ImportFileError) throw fileProblem(e);
        throw e;
      }
      const sourceName = input.sourceName ?? 'upload';
      const inserted = await repo.insertImport(trx, {
        transactionImportId: id,
        sourceName,
        format,
        contentSha256: sha,
        clientBatchId: input.clientBatchId ?? null,
        sizeBytes: size,
        headers: preview.headers,
        sample: preview.sample,
        mapping: proposeMapping(preview.headers),
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
      });
      if (!inserted) {
        // A concurrent upload of the same file (or batch id) committed first.
        const winner =
          (await repo.findImportByContent(trx, sha)) ?? (input.clientBatchId ? await repo.findImportByClientBatchId(trx, input.clientBatchId) : undefined);
        if (winner?.contentSha256 === sha) throw new Replay(winner.transactionImportId);
        throw new AppError('conflict', `The batch id "${input.clientBatchId}" was used for another file`);
      }
      await recordAudit(trx, deps, actor, {
        action: 'transaction_import.upload',
        entityType: 'transaction_import',
        entityId: id,
        after: { sourceName, format, sizeBytes: size, contentSha256: sha, clientBatchId: input.clientBatchId ?? null, headers: preview.headers },
      });
      return viewOf(trx, id);
    });
  } catch (e) {
    if (e instanceof Replay) return inTransaction(deps, actor, (trx) => viewOf(trx, e.importId, true));
    throw e;
  }
}

export async function getTransactionImport(deps: Deps, actor: Actor, id: string): Promise<TransactionImportView> {
  guard(actor, 'Transaction import');
  return inTransaction(deps, actor, (trx) => viewOf(trx, id));
}

export async function listTransactionImports(
  deps: Deps,
  actor: Actor,
  f: { status?: TransactionImportStatus | undefined; limit: number; offset: number },
): Promise<{ items: TransactionImportView[]; total: number }> {
  guard(actor);
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.listImports(trx, f);
    return { items: r.items.map((i) => toView(i)), total: r.total };
  });
}

function countsPatch(scan: ScanResult) {
  return {
    rowCount: scan.counts.rows,
    goodCount: scan.counts.good,
    badCount: scan.counts.bad,
    alreadyStoredCount: scan.counts.alreadyStored,
    problems: JSON.stringify(scan.problems),
    problemsTruncated: scan.problemsTruncated,
  };
}

/**
 * Step 2: checks every row with the chosen mapping against the store as it is now. Writes nothing
 * to the store: only the report (counts, and each bad row's line, column and reason) and, for the
 * commit, the lines of the good rows not stored yet (staged, so the commit need not read the file
 * again), the rows not to store and the fingerprint of what the answers depended on. May be
 * repeated (a new validation replaces what the last one staged).
 */
export async function validateTransactionImport(deps: Deps, actor: Actor, id: string, mapping: ColumnMapping): Promise<TransactionImportView> {
  guard(actor, 'Transaction import');
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findImport(trx, id, true);
    if (!row) throw notFound('Transaction import');
    if (row.status !== 'validating') throw new AppError('conflict', `The batch is ${row.status}: it can no longer be validated`);
    if (row.format === 'json') throw new AppError('conflict', 'Rows sent as JSON are validated when they are sent');
    const problems = mappingProblems(mapping, row.headers);
    if (problems.length > 0)
      throw new AppError('validation_failed', 'The mapping does not fit the file', {
        issues: problems.map((p) => ({ path: `body.${p.path}`, message: p.message })),
      });
    const lookups = await lookupsOf(trx);
    // Taken before any row is checked: a commit that lands meanwhile changes it, and the commit of
    // this batch then checks every row again.
    const fingerprint = await fingerprintOf(trx, lookups);
    const notToStore = new RowSet();
    await repo.deleteStaged(trx, id);
    let scan: ScanResult;
    // A chunk's lines are staged while the next chunk is parsed and checked here: the statement is
    // sent without waiting for it; the next chunk's store lookup queues behind it (one connection).
    let staging: Promise<unknown> = Promise.resolve();
    let seq = 0;
    try {
      scan = await scanRows(checkedFileRows(sourceRecords(row.format, storedFile(trx, id)), mapping, lookups), {
        lookups,
        notToStore,
        findStored: async (refs) => {
          await staging;
          return repo.storedLinesByRefs(trx, refs);
        },
        onGoodChunk: async (txs, rowsDone) => {
          await staging;
          staging = repo.stageLines(trx, id, { seq: seq++, rowsDone, txs }, newId);
          // Kept from being an unhandled rejection until it is awaited (next chunk, or the end).
          staging.catch(() => undefined);
        },
      });
      await staging;
    } catch (e) {
      await staging.catch(() => undefined);
      if (e instanceof ImportFileError) throw fileProblem(e);
      throw e;
    }
    const now = deps.clock.now();
    await repo.updateImport(
      trx,
      id,
      {
        mapping: repo.mappingJson(mapping),
        validatedAt: now,
        progressTotal: scan.counts.rows,
        storeFingerprint: fingerprint,
        skipRows: notToStore.toBuffer(),
        ...countsPatch(scan),
      },
      now,
    );
    await recordAudit(trx, deps, actor, {
      action: 'transaction_import.validate',
      entityType: 'transaction_import',
      entityId: id,
      after: { mapping, counts: scan.counts },
    });
    return viewOf(trx, id);
  });
}

export type CommitOptions = {
  /** Batches with more rows are committed by a job; the default is inlineCommitMaxRows. */
  inlineMaxRows?: number;
  /** Told how many rows were done after each chunk (the job writes it where GET reads it). */
  onProgress?: (rowsDone: number) => Promise<void>;
};

/**
 * A commit that checks every row (rows sent as JSON; a file batch whose validation no longer holds),
 * inside the caller's transaction: every row is checked against the store as it is now (under the
 * store's import lock), the good rows are written chunk by chunk, and the batch ends committed or
 * rejected. One transaction: a crash at any point leaves nothing written.
 */
async function commitRows(
  deps: Deps,
  trx: Trx,
  actor: Actor,
  batch: { id: string; mode: CommitMode; rows: Parameters<typeof scanRows>[0]; lookups: ImportLookups },
  onProgress?: (rowsDone: number) => Promise<void>,
): Promise<void> {
  let stored = 0;
  // all_or_nothing learns only at the end whether a row is bad: lines written before then go back.
  await sql`savepoint sales_transaction_lines`.execute(trx);
  // A chunk's insert runs in the database while the next chunk is parsed and checked here: the
  // statement is sent without waiting for it; the next chunk's first query queues behind it.
  let writing: Promise<void> = Promise.resolve();
  const scan = await scanRows(batch.rows, {
    lookups: batch.lookups,
    // Behind the insert in flight anyway (one connection); waiting for it here surfaces its error.
    findStored: async (refs) => {
      await writing;
      return repo.storedLinesByRefs(trx, refs);
    },
    onGoodChunk: async (txs, rowsDone) => {
      await writing;
      const insert = repo.insertLines(trx, batch.id, txs, newId).then(async (n) => {
        stored += n;
        await onProgress?.(rowsDone);
      });
      // Kept from being an unhandled rejection until it is awaited (next chunk, or the end).
      insert.catch(() => undefined);
      writing = insert;
    },
  });
  await writing;
  const rejected = batch.mode === 'all_or_nothing' && scan.counts.bad > 0;
  if (rejected) {
    await sql`rollback to savepoint sales_transaction_lines`.execute(trx);
    stored = 0;
  }
  await sql`release savepoint sales_transaction_lines`.execute(trx);
  const now = deps.clock.now();
  const status = rejected ? 'rejected' : 'committed';
  await repo.updateImport(
    trx,
    batch.id,
    {
      status,
      commitMode: batch.mode,
      storedLines: stored,
      progressDone: scan.counts.rows,
      progressTotal: scan.counts.rows,
      finishedAt: now,
      error: null,
      ...countsPatch(scan),
    },
    now,
  );
  await repo.deleteChunks(trx, batch.id);
  await repo.deleteStaged(trx, batch.id);
  await recordAudit(trx, deps, actor, {
    action: rejected ? 'transaction_import.reject' : 'transaction_import.commit',
    entityType: 'transaction_import',
    entityId: batch.id,
    after: { mode: batch.mode, counts: scan.counts, storedLines: stored },
  });
}

/**
 * The commit of a batch whose validation still holds (same fingerprint): its counts and problems
 * stand, all_or_nothing with a bad row stores nothing, and otherwise the lines the validation staged
 * are written into the store chunk by chunk (one statement each, progress after each): the file is
 * not read again and no row is checked again.
 */
async function commitValidated(
  deps: Deps,
  trx: Trx,
  actor: Actor,
  batch: { row: repo.ImportRow; mode: CommitMode },
  onProgress?: (rowsDone: number) => Promise<void>,
) {
  const { row, mode } = batch;
  const id = row.transactionImportId;
  if (row.format === 'json') throw new AppError('conflict', 'Rows sent as JSON are committed when they are sent');
  const counts = { rows: row.rowCount ?? 0, good: row.goodCount ?? 0, bad: row.badCount ?? 0, alreadyStored: row.alreadyStoredCount ?? 0 };
  const rejected = mode === 'all_or_nothing' && counts.bad > 0;
  let stored = 0;
  if (!rejected && counts.good > counts.alreadyStored) {
    const chunks = await repo.stagedChunks(trx, id);
    const staged = chunks.reduce((n, c) => n + c.transactions, 0);
    if (staged !== counts.good - counts.alreadyStored)
      throw new Error(
        `the validation staged ${staged} transactions for ${counts.good - counts.alreadyStored} good rows not stored yet: validate the batch again`,
      );
    for (const c of chunks) {
      const n = await repo.insertStagedLines(trx, id, c.seq);
      if (n !== c.lineCount) throw new Error(`staged chunk ${c.seq} wrote ${n} lines, ${c.lineCount} expected`);
      stored += n;
      await onProgress?.(c.rowsDone);
    }
  }
  const now = deps.clock.now();
  await repo.updateImport(
    trx,
    id,
    {
      status: rejected ? 'rejected' : 'committed',
      commitMode: mode,
      storedLines: stored,
      progressDone: counts.rows,
      progressTotal: counts.rows,
      finishedAt: now,
      error: null,
    },
    now,
  );
  await repo.deleteChunks(trx, id);
  await repo.deleteStaged(trx, id);
  await recordAudit(trx, deps, actor, {
    action: rejected ? 'transaction_import.reject' : 'transaction_import.commit',
    entityType: 'transaction_import',
    entityId: id,
    after: { mode, counts, storedLines: stored },
  });
}

async function commitFileRows(deps: Deps, trx: Trx, actor: Actor, row: repo.ImportRow, mode: CommitMode, onProgress?: (rowsDone: number) => Promise<void>) {
  if (row.format === 'json') throw new AppError('conflict', 'Rows sent as JSON are committed when they are sent');
  await repo.lockStoreForImport(trx);
  const lookups = await lookupsOf(trx);
  try {
    // Validated once: when nothing the check depended on has changed, its answers hold.
    if (row.storeFingerprint !== null && row.skipRows !== null && row.storeFingerprint === (await fingerprintOf(trx, lookups))) {
      await commitValidated(deps, trx, actor, { row, mode }, onProgress);
      return;
    }
    // The store or the lookups changed since the validation: every row is checked again, against the
    // store as it is now, and the good ones written as they are checked.
    await commitRows(
      deps,
      trx,
      actor,
      {
        id: row.transactionImportId,
        mode,
        lookups,
        rows: checkedFileRows(sourceRecords(row.format, storedFile(trx, row.transactionImportId)), repo.mappingOf(row), lookups),
      },
      onProgress,
    );
  } catch (e) {
    if (e instanceof ImportFileError) throw fileProblem(e);
    throw e;
  }
}

/**
 * Step 3: the user's choice. good_rows stores the good rows and skips the bad ones; all_or_nothing
 * stores nothing when a row is bad (the batch is rejected). Small batches are committed here; larger
 * ones by a durable job whose progress GET shows. Of two concurrent commits one has the effect; a
 * repeated commit with the same mode answers the batch as it is.
 */
export async function commitTransactionImport(
  deps: Deps,
  actor: Actor,
  id: string,
  mode: CommitMode,
  options: CommitOptions = {},
): Promise<TransactionImportView> {
  guard(actor, 'Transaction import');
  const inlineMax = options.inlineMaxRows ?? inlineCommitMaxRows;
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findImport(trx, id, true);
    if (!row) throw notFound('Transaction import');
    if (row.status !== 'validating') {
      if (row.commitMode === mode) return toView(row, true);
      throw new AppError('conflict', `The batch is already ${row.status} (${row.commitMode})`);
    }
    if (!row.validatedAt) throw new AppError('conflict', 'Validate the batch with a mapping before committing it');
    const total = row.rowCount ?? 0;
    if (!(await repo.claimCommit(trx, id, mode, total, deps.clock.now()))) throw new AppError('conflict', 'The batch is being committed');
    if (total <= inlineMax) {
      await commitFileRows(deps, trx, actor, { ...row, status: 'committing', commitMode: mode }, mode, options.onProgress);
    } else {
      await enqueueJob(trx, {
        name: COMMIT_IMPORT_JOB,
        payload: { importId: id },
        idempotencyKey: `transaction-import:${id}`,
        maxAttempts: COMMIT_JOB_ATTEMPTS,
      });
      await recordAudit(trx, deps, actor, {
        action: 'transaction_import.commit_requested',
        entityType: 'transaction_import',
        entityId: id,
        after: { mode, rows: total },
      });
    }
    return viewOf(trx, id);
  });
}

export const COMMIT_JOB_ATTEMPTS = 3;

/**
 * The commit job. Progress goes to the batch row through its own short transactions (the commit's
 * transaction never locks that row before its end, so they do not wait on it). A failed attempt is
 * recorded on the batch and retried; after the last attempt the batch goes back to validating so it
 * can be committed again.
 */
export async function runCommitJob(deps: Deps, importId: string, attempt: number, options: Pick<CommitOptions, 'onProgress'> = {}): Promise<void> {
  const system = { kind: 'system' } as const;
  const progress = async (done: number) => {
    await inScope(deps.db, system, (t) => repo.updateImport(t, importId, { progressDone: done }, deps.clock.now()));
    await options.onProgress?.(done);
  };
  try {
    await inTransaction(deps, workerActor, async (trx) => {
      // Taken first: a second run of this job (a lease that ran out) waits here, then finds the batch done.
      await repo.lockStoreForImport(trx);
      const row = await repo.findImport(trx, importId);
      if (!row || row.status !== 'committing' || !row.commitMode) return;
      await commitFileRows(deps, trx, workerActor, row, row.commitMode, progress);
    });
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
    const last = attempt >= COMMIT_JOB_ATTEMPTS;
    await inScope(deps.db, system, (t) =>
      repo.updateImport(
        t,
        importId,
        last ? { error: message, status: 'validating', commitMode: null, progressDone: 0 } : { error: message, progressDone: 0 },
        deps.clock.now(),
      ),
    );
    throw e;
  }
}

/**
 * Rows sent as JSON (the canonical columns, as text): checked like a file's rows and committed at
 * once with the chosen mode. Idempotent: the batch id (or Idempotency-Key) or, without one, the same
 * rows again answer the first batch.
 */
export async function createTransactions(
  deps: Deps,
  actor: Actor,
  body: CreateTransactionsRequest,
  options: { idempotencyKey?: string | undefined } = {},
): Promise<TransactionImportView> {
  guard(actor);
  const key = body.batchId ?? options.idempotencyKey ?? null;
  const sha = createHash('sha256')
    .update(JSON.stringify({ mode: body.mode, rows: body.rows }))
    .digest('hex');
  const attempt = () =>
    inTransaction(deps, actor, async (trx) => {
      if (key) {
        const prior = await repo.findImportByClientBatchId(trx, key);
        if (prior) {
          if (prior.contentSha256 === sha) return toView(prior, true);
          throw new AppError('conflict', `The batch id "${key}" was used for other rows`);
        }
      }
      const same = await repo.findImportByContent(trx, sha);
      if (same) return toView(same, true);
      const id = newId();
      const inserted = await repo.insertImport(trx, {
        transactionImportId: id,
        sourceName: 'api',
        format: 'json',
        contentSha256: sha,
        clientBatchId: key,
        sizeBytes: 0,
        headers: [...transactionColumns],
        sample: [],
        mapping: Object.fromEntries(transactionColumns.map((c) => [c, c])),
        createdByUserId: actor.kind === 'user' ? actor.userId : null,
      });
      if (!inserted) throw Object.assign(new Error('concurrent batch'), { code: '23505' });
      const now = deps.clock.now();
      await repo.claimCommitJson(trx, id, body.mode, body.rows.length, now);
      await repo.lockStoreForImport(trx);
      const lookups = await lookupsOf(trx);
      await commitRows(deps, trx, actor, { id, mode: body.mode, lookups, rows: checkedJsonRows(body.rows, lookups) });
      return viewOf(trx, id);
    });
  try {
    return await attempt();
  } catch (e) {
    // A concurrent request with the same batch id or rows won: answer with its batch.
    if (isUniqueViolation(e)) return attempt();
    throw e;
  }
}

function toTransactionView(r: Awaited<ReturnType<typeof repo.listSalesTransactions>>['items'][number]): SalesTransactionView {
  return {
    salesTransactionId: r.salesTransactionId,
    transactionRef: r.transactionRef,
    participantId: r.participantId,
    role: r.role,
    kind: r.kind,
    recognisedOn: r.recognisedOn,
    amountMinor: r.amountMinor,
    dealAmountMinor: r.dealAmountMinor,
    currency: r.currency,
    splitBps: r.splitBps,
    sourcing: r.sourcing,
    partnerId: r.partnerId,
    partnerRef: r.partnerRef,
    product: r.product,
    scenario: r.scenario,
    segment: r.segment,
    originalRecognisedOn: r.originalRecognisedOn,
    endCustomer: r.endCustomer,
    territory: r.territory,
    importId: r.transactionImportId,
  };
}

export async function listSalesTransactions(
  deps: Deps,
  actor: Actor,
  f: repo.SalesTransactionFilter,
): Promise<{ items: SalesTransactionView[]; total: number }> {
  guard(actor);
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.listSalesTransactions(trx, f);
    return { items: r.items.map(toTransactionView), total: r.total };
  });
}
