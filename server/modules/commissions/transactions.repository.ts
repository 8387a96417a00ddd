import { sql, type Selectable, type Updateable } from 'kysely';
import type { ColumnMapping } from '../../../common/api/commissions-transactions.ts';
import type { Trx } from '../../deps.ts';
import type { TransactionImportTable } from './commissions.table.ts';
import type { PreparedTransaction, StoredLine } from './transactions-import.ts';

export type ImportRow = Selectable<TransactionImportTable>;

export function mappingJson(mapping: ColumnMapping): string {
  return JSON.stringify(Object.entries(mapping).filter(([, h]) => h !== undefined));
}

export function mappingOf(row: Pick<ImportRow, 'mapping'>): ColumnMapping {
  return Object.fromEntries(row.mapping);
}

export async function insertImport(
  trx: Trx,
  row: {
    transactionImportId: string;
    sourceName: string;
    format: ImportRow['format'];
    contentSha256: string;
    clientBatchId: string | null;
    sizeBytes: number;
    headers: string[];
    sample: string[][];
    mapping: ColumnMapping;
    createdByUserId: string | null;
  },
): Promise<boolean> {
  const r = await trx
    .insertInto('transactionImport')
    .values({ ...row, headers: JSON.stringify(row.headers), sample: JSON.stringify(row.sample), mapping: mappingJson(row.mapping) })
    .onConflict((oc) => oc.doNothing())
    .returning('transactionImportId')
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertChunk(trx: Trx, importId: string, seq: number, bytes: Buffer): Promise<void> {
  await trx.insertInto('transactionImportChunk').values({ transactionImportId: importId, seq, bytes }).execute();
}

export async function readChunk(trx: Trx, importId: string, seq: number): Promise<Buffer | undefined> {
  const r = await trx
    .selectFrom('transactionImportChunk')
    .select('bytes')
    .where('transactionImportId', '=', importId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return r?.bytes;
}

export async function deleteChunks(trx: Trx, importId: string): Promise<void> {
  await trx.deleteFrom('transactionImportChunk').where('transactionImportId', '=', importId).execute();
}

export async function findImport(trx: Trx, id: string, lock = false): Promise<ImportRow | undefined> {
  let q = trx.selectFrom('transactionImport').selectAll().where('transactionImportId', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findImportByContent(trx: Trx, sha256: string): Promise<ImportRow | undefined> {
  return trx.selectFrom('transactionImport').selectAll().where('contentSha256', '=', sha256).executeTakeFirst();
}

export async function findImportByClientBatchId(trx: Trx, clientBatchId: string): Promise<ImportRow | undefined> {
  return trx.selectFrom('transactionImport').selectAll().where('clientBatchId', '=', clientBatchId).executeTakeFirst();
}

export async function listImports(trx: Trx, f: { status?: ImportRow['status'] | undefined; limit: number; offset: number }) {
  let q = trx.selectFrom('transactionImport');
  if (f.status) q = q.where('status', '=', f.status);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('createdAt', 'desc').orderBy('transactionImportId').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function updateImport(trx: Trx, id: string, patch: Updateable<TransactionImportTable>, now: Date): Promise<void> {
  await trx
    .updateTable('transactionImport')
    .set({ ...patch, updatedAt: now })
    .where('transactionImportId', '=', id)
    .execute();
}

/** validating -> committing for exactly one caller: of two concurrent commits, one claims the batch. */
export async function claimCommit(trx: Trx, id: string, mode: NonNullable<ImportRow['commitMode']>, total: number, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('transactionImport')
    .set({ status: 'committing', commitMode: mode, progressDone: 0, progressTotal: total, error: null, updatedAt: now })
    .where('transactionImportId', '=', id)
    .where('status', '=', 'validating')
    .where('validatedAt', 'is not', null)
    .returning('transactionImportId')
    .executeTakeFirst();
  return r !== undefined;
}

/** A JSON batch is validated and committed in the request that creates it. */
export async function claimCommitJson(trx: Trx, id: string, mode: NonNullable<ImportRow['commitMode']>, total: number, now: Date): Promise<void> {
  await trx
    .updateTable('transactionImport')
    .set({ status: 'committing', commitMode: mode, validatedAt: now, progressTotal: total, updatedAt: now })
    .where('transactionImportId', '=', id)
    .execute();
}

/**
 * Serialises commits into the store: two batches naming the same new transaction id must not both
 * find it absent and both write it. Imports are rare bulk operations; one at a time costs nothing.
 */
export async function lockStoreForImport(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('realign.sales_transaction.import', 0))`.execute(trx);
}

/** Participants by external reference: the sellers and overlays a transaction names. Read-only use of comp-plans' table. */
export async function participantIdsByRef(trx: Trx): Promise<Map<string, string>> {
  // Ordered, so the lookups' fingerprint does not depend on the plan's row order.
  const rows = await trx.selectFrom('compParticipant').select(['externalRef', 'compParticipantId']).orderBy('externalRef').execute();
  return new Map(rows.map((r) => [r.externalRef, r.compParticipantId]));
}

/** Partners by lower-cased name (a transaction's partner column names the partner). */
export async function partnerIdsByName(trx: Trx): Promise<Map<string, string>> {
  const rows = await trx.selectFrom('partner').select(['partnerId', 'name']).orderBy('partnerId').execute();
  return new Map(rows.map((r) => [r.name.toLowerCase(), r.partnerId]));
}

/** A PostgreSQL array literal of values that need no quoting (uuids, integers, dates). */
function plainArray(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : String(v);
  }
  return `${out}}`;
}

const needsEscape = /["\\]/;
/** A PostgreSQL array literal of text values: each quoted, " and \\ escaped, null as NULL. */
function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${needsEscape.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `${out}}`;
}

export async function storedLinesByRefs(trx: Trx, refs: readonly string[]): Promise<StoredLine[]> {
  if (refs.length === 0) return [];
  return (
    trx
      .selectFrom('salesTransaction')
      .select([
        'transactionRef',
        'participantId',
        'role',
        'kind',
        'recognisedOn',
        'amountMinor',
        'dealAmountMinor',
        'currency',
        'splitBps',
        'sourcing',
        'partnerId',
        'partnerRef',
        'product',
        'scenario',
        'segment',
        'originalRecognisedOn',
        'endCustomer',
        'territory',
      ])
      // One array literal (built like insertLines' columns), not the driver's generic array encoding.
      .where('transactionRef', '=', sql<string>`any(${textArray(refs)}::text[])`)
      .execute()
  );
}

/** The columns of a stored line, in the order the unnest below gives them. */
const lineColumns = sql`participant_id, sales_transaction_id, partner_id, amount_minor, deal_amount_minor, recognised_on, original_recognised_on,
  split_bps, currency, role, kind, sourcing, transaction_ref, partner_ref, product, scenario, segment, end_customer, territory`;

/**
 * The lines of a chunk of transactions as one array literal per column (in lineColumns' order). The
 * literals are built here: the driver's generic array encoding was a large share of the import's time.
 */
function lineArrays(txs: readonly PreparedTransaction[], newId: () => string) {
  const c = {
    participant: [] as string[],
    tx: [] as string[],
    partner: [] as (string | null)[],
    amount: [] as number[],
    deal: [] as number[],
    on: [] as string[],
    original: [] as (string | null)[],
    split: [] as number[],
    currency: [] as string[],
    role: [] as string[],
    kind: [] as string[],
    sourcing: [] as string[],
    ref: [] as string[],
    partnerRef: [] as (string | null)[],
    product: [] as (string | null)[],
    scenario: [] as (string | null)[],
    segment: [] as (string | null)[],
    customer: [] as (string | null)[],
    territory: [] as (string | null)[],
  };
  for (const t of txs) {
    const id = newId();
    const r = t.row;
    for (const l of t.lines) {
      c.participant.push(l.participantId);
      c.tx.push(id);
      c.partner.push(t.partnerId);
      c.amount.push(l.amountMinor);
      c.deal.push(r.amountMinor);
      c.on.push(r.recognisedOn);
      c.original.push(r.originalRecognisedOn);
      c.split.push(l.splitBps);
      c.currency.push(r.currency);
      c.role.push(l.role);
      c.kind.push(r.kind);
      c.sourcing.push(r.sourcing);
      c.ref.push(r.transactionRef);
      c.partnerRef.push(t.partnerRef);
      c.product.push(r.product);
      c.scenario.push(r.scenario);
      c.segment.push(r.segment);
      c.customer.push(r.endCustomer);
      c.territory.push(r.territory);
    }
  }
  const arrays = sql`${plainArray(c.participant)}::uuid[], ${plainArray(c.tx)}::uuid[], ${plainArray(c.partner)}::uuid[],
      ${plainArray(c.amount)}::bigint[], ${plainArray(c.deal)}::bigint[], ${plainArray(c.on)}::date[], ${plainArray(c.original)}::date[],
      ${plainArray(c.split)}::integer[], ${textArray(c.currency)}::text[], ${textArray(c.role)}::text[], ${textArray(c.kind)}::text[],
      ${textArray(c.sourcing)}::text[], ${textArray(c.ref)}::text[], ${textArray(c.partnerRef)}::text[], ${textArray(c.product)}::text[],
      ${textArray(c.scenario)}::text[], ${textArray(c.segment)}::text[], ${textArray(c.customer)}::text[], ${textArray(c.territory)}::text[]`;
  return { count: c.participant.length, arrays };
}

/** Writes the lines of a chunk of transactions into the store, in one statement (a multi-row insert without thousands of bound parameters). */
export async function insertLines(trx: Trx, importId: string, txs: readonly PreparedTransaction[], newId: () => string): Promise<number> {
  const u = lineArrays(txs, newId);
  if (u.count === 0) return 0;
  await sql`insert into sales_transaction (transaction_import_id, ${lineColumns})
    select ${importId}::uuid, ${lineColumns} from unnest(${u.arrays}) as u(${lineColumns})`.execute(trx);
  return u.count;
}

/**
 * Keeps the lines of a chunk of good transactions for the commit (migration 0021): the validation
 * has built them already, so the commit writes them without reading the file again.
 */
export async function stageLines(
  trx: Trx,
  importId: string,
  chunk: { seq: number; rowsDone: number; txs: readonly PreparedTransaction[] },
  newId: () => string,
): Promise<number> {
  const u = lineArrays(chunk.txs, newId);
  if (u.count === 0) return 0;
  await sql`insert into transaction_import_staged (transaction_import_id, seq, rows_done, transactions, line_count, ${lineColumns})
    values (${importId}::uuid, ${chunk.seq}::integer, ${chunk.rowsDone}::integer, ${chunk.txs.length}::integer, ${u.count}::integer, ${u.arrays})`.execute(trx);
  return u.count;
}

export type StagedChunk = { seq: number; rowsDone: number; transactions: number; lineCount: number };

/** The staged chunks of a batch, in file order (their lines are not read here). */
export async function stagedChunks(trx: Trx, importId: string): Promise<StagedChunk[]> {
  const r = await sql<StagedChunk>`select seq, rows_done, transactions, line_count from transaction_import_staged
    where transaction_import_id = ${importId}::uuid order by seq`.execute(trx);
  return r.rows;
}

/** Writes one staged chunk's lines into the store, in one statement; answers how many. */
export async function insertStagedLines(trx: Trx, importId: string, seq: number): Promise<number> {
  const r = await sql`insert into sales_transaction (transaction_import_id, ${lineColumns})
    select s.transaction_import_id, u.* from transaction_import_staged s
    cross join lateral unnest(s.participant_id, s.sales_transaction_id, s.partner_id, s.amount_minor, s.deal_amount_minor, s.recognised_on,
      s.original_recognised_on, s.split_bps, s.currency, s.role, s.kind, s.sourcing, s.transaction_ref, s.partner_ref, s.product, s.scenario,
      s.segment, s.end_customer, s.territory) as u(${lineColumns})
    where s.transaction_import_id = ${importId}::uuid and s.seq = ${seq}::integer`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export async function deleteStaged(trx: Trx, importId: string): Promise<void> {
  await sql`delete from transaction_import_staged where transaction_import_id = ${importId}::uuid`.execute(trx);
}

/**
 * Changes whenever the store changes: lines are written only by a commit, which marks its batch
 * committed in the same transaction, and batches are never deleted.
 */
export async function committedBatchCount(trx: Trx): Promise<number> {
  const r = await trx
    .selectFrom('transactionImport')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'committed')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export type SalesTransactionFilter = {
  participantId?: string | undefined;
  partnerId?: string | undefined;
  transactionRef?: string | undefined;
  importId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
};

export async function listSalesTransactions(trx: Trx, f: SalesTransactionFilter) {
  let q = trx.selectFrom('salesTransaction');
  if (f.participantId) q = q.where('participantId', '=', f.participantId);
  if (f.partnerId) q = q.where('partnerId', '=', f.partnerId);
  if (f.transactionRef) q = q.where('transactionRef', '=', f.transactionRef);
  if (f.importId) q = q.where('transactionImportId', '=', f.importId);
  if (f.from) q = q.where('recognisedOn', '>=', f.from);
  if (f.to) q = q.where('recognisedOn', '<', f.to);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('recognisedOn', 'desc').orderBy('transactionRef').orderBy('participantId').orderBy('role').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
