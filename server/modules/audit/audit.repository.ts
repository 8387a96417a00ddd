import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

export async function lockChainHead(trx: Trx) {
  return trx.selectFrom('auditChainHead').select(['seq', 'lastHash']).where('auditChainHeadId', '=', 1).forUpdate().executeTakeFirstOrThrow();
}

export async function advanceChainHead(trx: Trx, seq: number, lastHash: string): Promise<void> {
  await trx.updateTable('auditChainHead').set({ seq, lastHash }).where('auditChainHeadId', '=', 1).execute();
}

export async function insertEntry(trx: Trx, row: DB['auditEntry']): Promise<void> {
  await trx
    .insertInto('auditEntry')
    .values({ ...row, before: JSON.stringify(row.before), after: JSON.stringify(row.after) })
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
