import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

/**
 * What the database is told about who is acting. Row-level security reads it; it lives only for
 * the transaction (set_config(..., true) is SET LOCAL), so a pooled connection never carries it on.
 */
export type DbScope = { kind: 'system' } | { kind: 'internal'; userId: string } | { kind: 'partner'; userId: string; partnerId: string };

export type Trx = Transaction<DB>;

export async function applyScope(trx: Trx, scope: DbScope): Promise<void> {
  const userId = scope.kind === 'system' ? '' : scope.userId;
  const partnerId = scope.kind === 'partner' ? scope.partnerId : '';
  // One round trip: drop to the restricted role, then say who acts. Works the same when the
  // connection is a superuser: from here on RLS applies to this transaction.
  await sql`select set_config('role', 'realign_app', true), set_config('realign.scope', ${scope.kind}, true),
    set_config('realign.user_id', ${userId}, true), set_config('realign.partner_id', ${partnerId}, true)`.execute(trx);
}

/**
 * Runs `fn` in one transaction under `scope`. READ COMMITTED unless `isolation` says otherwise: a
 * REPEATABLE READ transaction reads every statement from the snapshot its first one took (here
 * applyScope's), so what it calculates and what it stores about its inputs agree.
 */
export async function inScope<T>(db: Kysely<DB>, scope: DbScope, fn: (trx: Trx) => Promise<T>, options: { isolation?: 'repeatable read' } = {}): Promise<T> {
  const builder = options.isolation ? db.transaction().setIsolationLevel(options.isolation) : db.transaction();
  return builder.execute(async (trx) => {
    await applyScope(trx, scope);
    return fn(trx);
  });
}
