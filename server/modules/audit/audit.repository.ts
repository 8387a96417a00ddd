import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

/**
 * Locks the chain head, appends the entry after it and advances the head, in ONE statement: the
 * head's row lock is held from here to commit by every mutation in the app, so each round trip (and
 * each wait for the application's event loop) inside that window is waited for by all concurrent
 * writers (bench engagement.registration-load). The entry's seq and hash are therefore decided here:
 * seq is the head's plus one, and the hash is sha256 over the previous hash, a newline and the
 * entry's canonical JSON, which the caller gives up to the seq's digits (canonicalJsonBeforeSeq).
 * No RETURNING from audit_entry: partner scopes may append entries but not read them back (RLS).
 */
export async function appendEntry(trx: Trx, row: Omit<DB['auditEntry'], 'seq' | 'prevHash' | 'hash'>, canonicalBeforeSeq: string): Promise<void> {
  await sql`with head as (select seq, last_hash from audit_chain_head where audit_chain_head_id = 1 for update),
    entry as (select h.seq + 1 as seq, h.last_hash as prev_hash,
        encode(sha256(convert_to(h.last_hash || chr(10) || ${canonicalBeforeSeq}::text || (h.seq + 1)::text || '}', 'UTF8')), 'hex') as hash
      from head h),
    appended as (insert into audit_entry (seq, at, actor_user_id, actor_label, partner_id, action, entity_type, entity_id, before, after,
        request_id, prev_hash, hash)
      select e.seq, ${row.at}, ${row.actorUserId}, ${row.actorLabel}, ${row.partnerId}, ${row.action}, ${row.entityType}, ${row.entityId},
        ${JSON.stringify(row.before)}::jsonb, ${JSON.stringify(row.after)}::jsonb, ${row.requestId}, e.prev_hash, e.hash
      from entry e)
    update audit_chain_head c set seq = e.seq, last_hash = e.hash from entry e where c.audit_chain_head_id = 1`.execute(trx);
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
