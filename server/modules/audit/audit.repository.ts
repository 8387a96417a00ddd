import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

export async function lockChainHead(trx: Trx) {
  return trx.selectFrom('auditChainHead').select(['seq', 'lastHash']).where('auditChainHeadId', '=', 1).forUpdate().executeTakeFirstOrThrow();
}

/**
 * Appends the entry and advances the chain head in ONE statement (a data-modifying CTE): the head's
 * row lock is held from lockChainHead until commit by every mutation in the app, so each round trip
 * inside that window is waited for by all concurrent writers (bench engagement.registration-load).
 * No RETURNING: partner scopes may append entries but not read them back (row-level security).
 */
export async function appendEntry(trx: Trx, row: DB['auditEntry']): Promise<void> {
  await trx
    .with('appended', (db) => db.insertInto('auditEntry').values({ ...row, before: JSON.stringify(row.before), after: JSON.stringify(row.after) }))
    .updateTable('auditChainHead')
    .set({ seq: row.seq, lastHash: row.hash })
    .where('auditChainHeadId', '=', 1)
    .execute();
}

export type AuditFilter = { entityType?: string; entityId?: string; action?: string; beforeSeq?: number; limit: number };

export async function findEntries(db: Kysely<DB> | Trx, f: AuditFilter) {
  let q = db.selectFrom('auditEntry').selectAll().orderBy('seq', 'desc').limit(f.limit);
  if (f.entityType) q = q.where('entityType', '=', f.entityType);
  if (f.entityId) q = q.where('entityId', '=', f.entityId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
  return q.execute();
}

export async function findEntriesAfter(trx: Trx, afterSeq: number, limit: number) {
  return trx.selectFrom('auditEntry').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export async function countEntriesSince(trx: Trx, afterSeq: number): Promise<number> {
  const r = await trx
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', '>', afterSeq)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function headSeq(trx: Trx): Promise<number> {
  const r = await trx.selectFrom('auditChainHead').select('seq').where('auditChainHeadId', '=', 1).executeTakeFirstOrThrow();
  return r.seq;
}
