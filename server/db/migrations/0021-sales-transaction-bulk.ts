import { sql, type Kysely } from 'kysely';

/**
 * The transaction store, made cheaper to write in bulk (a 1M-row import writes 1.2M lines in one
 * transaction). Measured on the insert of 300k lines into sales_transaction (backend CPU, the three
 * indexes and the foreign key of 0012): about 5.3 s; with the two changes below about 2.6 s.
 *
 * - The foreign key sales_transaction.participant_id -> comp_participant checked and locked the
 *   participant once per line (one RI query per row: a third of the insert's cost). It becomes one
 *   check per statement, with the same guarantees:
 *   - an AFTER INSERT statement trigger (transition table) takes FOR KEY SHARE on every distinct
 *     participant the statement's lines name, as the foreign key does per row, and refuses the
 *     statement (SQLSTATE 23503, foreign_key_violation) when one does not exist. The lock keeps a
 *     concurrent delete of that participant waiting until the lines are committed or rolled back.
 *   - an AFTER DELETE row trigger on comp_participant refuses the delete of a participant that has
 *     lines (23503 as before: comp-plans answers "The participant has pay records"). AFTER, so a
 *     delete that waited on an import's lock sees that import's committed lines (a new snapshot).
 *     Both tables have the same row-level security (system and internal scopes only): whoever can
 *     see a participant to delete it sees its lines.
 *   - TRUNCATE of comp_participant (maintenance only; the app has no grant) is refused while lines
 *     exist, as the foreign key refused it.
 * - The period index (participant_id, recognised_on) becomes the leading part of the primary key:
 *   (participant_id, recognised_on, sales_transaction_id, role). Participant first still (Citus
 *   distributes by it), and a period run's range scan per participant reads the same index; one index
 *   fewer to maintain per line. A transaction's lines share one recognised_on, so the key names each
 *   line as before; (transaction_ref, participant_id, role) stays unique.
 * - transaction_import_staged: what a validation found to store, so the commit does not read, parse
 *   and check the file a second time. One row per chunk of good transactions not yet stored (about
 *   5000), its lines as one array per sales_transaction column (the commit unnests them into the store
 *   in one statement per chunk, reporting progress between chunks). Written by the validation in its
 *   transaction (a new validation replaces them), deleted with the upload's chunks when the batch is
 *   committed or rejected. Used only while the validation's fingerprint still holds; otherwise the
 *   commit checks every row of the file again, as before. Arrays are stored uncompressed (external):
 *   compressing them costs more time than the short-lived space is worth.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
alter table sales_transaction drop constraint sales_transaction_participant_id_fkey;

create function sales_transaction_participants_exist() returns trigger
language plpgsql as $$
declare
  wanted bigint;
  found bigint;
begin
  select count(distinct participant_id) into wanted from new_lines;
  if wanted = 0 then
    return null;
  end if;
  select count(*) into found from (
    select 1 from comp_participant
    where comp_participant_id in (select participant_id from new_lines)
    for key share
  ) p;
  if found <> wanted then
    raise exception 'insert or update on table "sales_transaction" violates its participant reference: % of % participants do not exist', wanted - found, wanted
      using errcode = 'foreign_key_violation', table = 'sales_transaction';
  end if;
  return null;
end $$;

create trigger sales_transaction_participants_exist
  after insert on sales_transaction
  referencing new table as new_lines
  for each statement execute function sales_transaction_participants_exist();

create function comp_participant_without_lines() returns trigger
language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    if exists (select 1 from sales_transaction) then
      raise exception 'comp_participant cannot be truncated: sales_transaction has lines'
        using errcode = 'foreign_key_violation', table = 'comp_participant';
    end if;
    return null;
  end if;
  if exists (select 1 from sales_transaction where participant_id = old.comp_participant_id) then
    raise exception 'update or delete on table "comp_participant" violates the reference from table "sales_transaction"'
      using errcode = 'foreign_key_violation', table = 'comp_participant', detail = format('Key (comp_participant_id)=(%s) is still referenced.', old.comp_participant_id);
  end if;
  return null;
end $$;

create trigger comp_participant_without_lines
  after delete on comp_participant
  for each row execute function comp_participant_without_lines();

create trigger comp_participant_without_lines_truncate
  before truncate on comp_participant
  for each statement execute function comp_participant_without_lines();

alter table sales_transaction drop constraint sales_transaction_pkey,
  add constraint sales_transaction_pkey primary key (participant_id, recognised_on, sales_transaction_id, role);
drop index sales_transaction_period_idx;

create table transaction_import_staged (
  transaction_import_id uuid not null references transaction_import on delete cascade,
  seq integer not null check (seq >= 0),
  -- Data rows of the file read when the chunk was complete: the commit's progress after it.
  rows_done integer not null check (rows_done >= 0),
  transactions integer not null check (transactions > 0),
  line_count integer not null check (line_count > 0),
  participant_id uuid[] not null,
  sales_transaction_id uuid[] not null,
  partner_id uuid[] not null,
  amount_minor bigint[] not null,
  deal_amount_minor bigint[] not null,
  recognised_on date[] not null,
  original_recognised_on date[] not null,
  split_bps integer[] not null,
  currency text[] not null,
  role text[] not null,
  kind text[] not null,
  sourcing text[] not null,
  transaction_ref text[] not null,
  partner_ref text[] not null,
  product text[] not null,
  scenario text[] not null,
  segment text[] not null,
  end_customer text[] not null,
  territory text[] not null,
  primary key (transaction_import_id, seq)
);
alter table transaction_import_staged
  alter column participant_id set storage external, alter column sales_transaction_id set storage external,
  alter column partner_id set storage external, alter column amount_minor set storage external,
  alter column deal_amount_minor set storage external, alter column recognised_on set storage external,
  alter column original_recognised_on set storage external, alter column split_bps set storage external,
  alter column currency set storage external, alter column role set storage external, alter column kind set storage external,
  alter column sourcing set storage external, alter column transaction_ref set storage external,
  alter column partner_ref set storage external, alter column product set storage external, alter column scenario set storage external,
  alter column segment set storage external, alter column end_customer set storage external, alter column territory set storage external;

alter table transaction_import_staged enable row level security;
alter table transaction_import_staged force row level security;
create policy transaction_import_staged_internal on transaction_import_staged
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
grant select, insert, delete on transaction_import_staged to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the sales_transaction bulk migration cannot be reverted; restore a backup instead');
}
