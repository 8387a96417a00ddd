import { sql, type Kysely } from 'kysely';

/**
 * Conflict detection searched names in two trigram indexes, one over every claiming registration
 * and one over every account, and the cost of a trigram search is the length of the posting lists
 * of the query's trigrams: it grew with the number of ROWS, although the bench's 555k claiming
 * registrations and 200k accounts (scale 1) carry only 200k distinct names between them. Measured
 * with EXPLAIN (ANALYZE) in the app's scoped transaction (bench engagement.registration-load,
 * docs/benchmarks.md): 100 ms for the registrations' index and 30 ms for the accounts' index, per
 * submission.
 *
 * Now each distinct match key (the name without generic company words, migration 0006) is held
 * once, in customer_match_key, with the one trigram index detection searches; the keys found lead
 * to the claiming registrations and the accounts by plain equality on btree indexes. The similarity
 * test is the same (`%`, at the threshold of the rules), so findings do not change.
 *
 * The table holds names only: no partner, no registration, no account. It is still what partners
 * have registered, so partners never read it: row-level security admits the system and internal
 * scopes only (detection reads it inside asSystem), and realign_app may not write it at all. The
 * triggers that keep it (SECURITY DEFINER, as the table's owner) add the key of every account and
 * registration written, whoever writes it. Keys are never taken out: a key whose registrations
 * closed only costs a candidate that leads nowhere. There is no unique constraint on purpose: a
 * unique insert waits for a concurrent uncommitted insert of the same key, and two bulk uploads
 * adding the same new customers in different orders could deadlock on it; a duplicate left by
 * such a race is harmless (detection reads distinct keys).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table customer_match_key (
  match_key text not null check (length(match_key) between 1 and 400)
);
insert into customer_match_key (match_key)
  select end_customer_match_key from deal_registration where end_customer_match_key <> ''
  union
  select realign_customer_match_key(normalised_name) from account where realign_customer_match_key(normalised_name) <> '';
create index customer_match_key_idx on customer_match_key (match_key);
-- fastupdate off for the same reason as in 0006: a pending list is searched row by row.
create index customer_match_key_trgm_idx on customer_match_key using gin (match_key gin_trgm_ops) with (fastupdate = off);

alter table customer_match_key enable row level security;
create policy customer_match_key_read on customer_match_key for select using (realign_scope() in ('system', 'internal'));
revoke all on customer_match_key from realign_app;
grant select on customer_match_key to realign_app;

create function realign_add_customer_match_keys(keys text[]) returns void
  language sql security definer set search_path = public, pg_temp
  begin atomic
    insert into customer_match_key (match_key)
      select distinct k from unnest(keys) as k
      where k <> '' and not exists (select 1 from customer_match_key c where c.match_key = k);
  end;
revoke all on function realign_add_customer_match_keys(text[]) from public;

create function realign_registration_keys_added() returns trigger
  language plpgsql security definer set search_path = public, pg_temp as $f$
begin
  perform realign_add_customer_match_keys(array(select end_customer_match_key from added));
  return null;
end $f$;
create function realign_registration_key_changed() returns trigger
  language plpgsql security definer set search_path = public, pg_temp as $f$
begin
  perform realign_add_customer_match_keys(array[new.end_customer_match_key]);
  return null;
end $f$;
create function realign_account_keys_added() returns trigger
  language plpgsql security definer set search_path = public, pg_temp as $f$
begin
  perform realign_add_customer_match_keys(array(select realign_customer_match_key(normalised_name) from added));
  return null;
end $f$;
create function realign_account_key_changed() returns trigger
  language plpgsql security definer set search_path = public, pg_temp as $f$
begin
  perform realign_add_customer_match_keys(array[realign_customer_match_key(new.normalised_name)]);
  return null;
end $f$;

create trigger deal_registration_match_keys after insert on deal_registration
  referencing new table as added for each statement execute function realign_registration_keys_added();
create trigger deal_registration_match_key_changed after update of end_customer_normalised_name on deal_registration
  for each row when (old.end_customer_normalised_name is distinct from new.end_customer_normalised_name)
  execute function realign_registration_key_changed();
create trigger account_match_keys after insert on account
  referencing new table as added for each statement execute function realign_account_keys_added();
create trigger account_match_key_changed after update of normalised_name on account
  for each row when (old.normalised_name is distinct from new.normalised_name)
  execute function realign_account_key_changed();

-- From a key found back to its rows: plain equality. The registrations' index holds the claiming
-- rows only, as the trigram index of 0009 did (the statuses of conflicts.repository.ts).
create index deal_registration_claim_match_key_idx on deal_registration (end_customer_match_key)
  where status in ('submitted', 'under_review', 'more_info_requested', 'approved');
create index account_match_key_idx on account (realign_customer_match_key(normalised_name));

-- Nothing searches these any more, and every insert paid for them (GIN without a pending list).
drop index if exists deal_registration_claim_match_key_trgm_idx;
drop index if exists account_match_key_trgm_idx;

-- The planner needs the statistics of the new expression to join keys found to accounts by index.
analyze customer_match_key;
analyze account;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the conflict key index migration cannot be reverted; restore a backup instead');
}
