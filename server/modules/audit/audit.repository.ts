import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

/**
 * Records the entry as pending in the caller's transaction; the chain is appended at COMMIT, by the
 * deferred trigger of migration 0032, which locks the chain head, gives the entry its seq (the
 * head's plus one) and its hash (sha256 over the previous hash, a newline and the entry's canonical
 * JSON, which the caller gives up to the seq's digits: canonicalJsonBeforeSeq), and advances the
 * head. So the head's row lock, which orders every mutation of the app, is held only from that
 * trigger to the end of the commit, not through the rest of the transaction. The entry is therefore
 * not in audit_entry before the transaction commits. No RETURNING: the application may only insert
 * pending rows, never read them.
 */
export async function appendEntry(trx: Trx, row: Omit<DB['auditEntry'], 'seq' | 'prevHash' | 'hash'>, canonicalBeforeSeq: string): Promise<void> {
  await sql`insert into audit_pending (at, actor_user_id, actor_label, partner_id, action, entity_type, entity_id, before, after, request_id,
      canonical_before_seq)
    values (${row.at}, ${row.actorUserId}, ${row.actorLabel}, ${row.partnerId}, ${row.action}, ${row.entityType}, ${row.entityId},
      ${JSON.stringify(row.before)}::jsonb, ${JSON.stringify(row.after)}::jsonb, ${row.requestId}, ${canonicalBeforeSeq})`.execute(trx);
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
