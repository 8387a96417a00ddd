import { sql, type Kysely } from 'kysely';

/**
 * The audit chain is appended at COMMIT, not where the mutation records its entry (issue 3, bench
 * engagement.registration-load). Until now the append locked the single audit_chain_head row in
 * the middle of the transaction, and every mutation of the app then held that lock through its
 * remaining statements, the application's event loop, the commit round trip and the WAL flush:
 * concurrent writers queued on it and the whole app's write rate was capped by that window.
 *
 * Now a mutation inserts its entry into audit_pending (no lock on the head). A deferred constraint
 * trigger on audit_pending fires during COMMIT, after everything the transaction did, and then
 * locks the head, appends the entry to audit_entry with the same seq and hash rule as before
 * (seq = head + 1; hash = sha256(previous hash, a newline, the canonical JSON the application gave
 * up to the seq's digits, the seq, `}`)), advances the head, and removes the pending row. The head
 * is held from that statement to the end of the commit only. Deferred triggers fire in the order
 * their events happened, so several entries of one transaction are chained in the order they were
 * recorded. The entry exists exactly when the transaction commits (a failing append fails the
 * commit, and the whole transaction is rolled back); it is not visible inside the transaction
 * before COMMIT (nothing in the application reads it back there).
 *
 * audit_pending is an ordinary (logged) table although no row of it ever outlives its transaction
 * (the trigger deletes it before the commit record): an UNLOGGED table would save the WAL of the
 * pending row, but it cannot be read at all on a hot standby ("cannot access temporary or unlogged
 * relations during recovery"), so Realign's backup, which reads every table, would fail there; and
 * logical replication skips unlogged tables. The pending row and its delete are a small part of
 * the WAL an entry already writes to audit_entry and its indexes.
 *
 * Access: realign_app may only INSERT into audit_pending (in the system, internal or partner scope,
 * as for audit_entry; with no scope, nothing). It cannot read, change or delete pending rows, its
 * own included. The trigger function runs as the owner (SECURITY DEFINER, fixed search_path), who
 * is not subject to the table's row-level security (enabled, not forced), to delete the row; its
 * insert into audit_entry is still checked by audit_entry's policies in the transaction's scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table audit_pending (
  audit_pending_id bigint generated always as identity primary key,
  at timestamptz not null,
  actor_user_id uuid,
  actor_label text not null,
  partner_id uuid,
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  canonical_before_seq text not null
);

alter table audit_pending enable row level security;
create policy audit_pending_append on audit_pending for insert with check (realign_scope() in ('system', 'internal', 'partner'));
revoke all on audit_pending from realign_app;
grant insert on audit_pending to realign_app;

create function audit_pending_append() returns trigger language plpgsql security definer set search_path = public, pg_temp as $f$
begin
  delete from audit_pending where audit_pending_id = new.audit_pending_id;
  with head as (select seq, last_hash from audit_chain_head where audit_chain_head_id = 1 for update),
    entry as (select h.seq + 1 as seq, h.last_hash as prev_hash,
        encode(sha256(convert_to(h.last_hash || chr(10) || new.canonical_before_seq || (h.seq + 1)::text || '}', 'UTF8')), 'hex') as hash
      from head h),
    appended as (insert into audit_entry (seq, at, actor_user_id, actor_label, partner_id, action, entity_type, entity_id, before, after,
        request_id, prev_hash, hash)
      select e.seq, new.at, new.actor_user_id, new.actor_label, new.partner_id, new.action, new.entity_type, new.entity_id, new.before,
        new.after, new.request_id, e.prev_hash, e.hash
      from entry e)
  update audit_chain_head c set seq = e.seq, last_hash = e.hash from entry e where c.audit_chain_head_id = 1;
  return null;
end $f$;
revoke all on function audit_pending_append() from public;

create constraint trigger audit_pending_append after insert on audit_pending
  deferrable initially deferred for each row execute function audit_pending_append();
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the audit append at commit migration cannot be reverted; restore a backup instead');
}
