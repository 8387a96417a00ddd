import { sql, type Kysely } from 'kysely';

/**
 * No planner statistics on audit_entry's before and after documents. Nothing selects by them (the
 * log is read by seq, time and entity, whose statistics stay), and they were most of what ANALYZE
 * of the table cost: every sampled row's two documents detoasted and measured. Measured on an audit
 * table of 46k entries from the registration bench: 265-288 ms per ANALYZE before, 135-141 ms after.
 * Autovacuum analyzes a growing audit table every time a tenth of it is new, on the same two cores
 * the requests use (during a 200/s registration load, one such round of autovacuum coincided with
 * requests taking 230-280 ms).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_entry alter column before set statistics 0, alter column after set statistics 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_entry alter column before set statistics -1, alter column after set statistics -1`.execute(db);
}
