import { sql, type Kysely } from 'kysely';

/**
 * What a submission costs PostgreSQL outside the trigram search (issue 3, bench
 * engagement.registration-load; measured per plan node with EXPLAIN (ANALYZE, BUFFERS) over 300
 * submissions' detection statements and per statement with pg_stat_statements on a copy of the
 * bench's data at scale 1).
 *
 * - Detection reaches the claiming registrations of the keys it found through
 *   deal_registration_claim_match_key_idx (0010), by key only, and then filtered every one of them
 *   by scenario on the heap: a name whose keys are common visited ~1500 heap pages to keep 18 rows,
 *   and the average submission 46 pages (1.3 ms) for ~5 rows. The scenario is always an equality of
 *   detection (conflicts.repository.ts), so the index now carries it as its second column: the
 *   bitmap holds the rows of the submission's scenario only (5 pages on average). A lookup by key
 *   alone still uses the index (its first column).
 * - The statement trigger that adds new registrations' match keys to customer_match_key called
 *   realign_add_customer_match_keys, a second SECURITY DEFINER function (with its own search_path
 *   switch) around one insert, on every registration written. The trigger now runs that insert
 *   itself; the keys written and the rule (distinct, non-empty, not present yet) are the same.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create index deal_registration_claim_match_key_scenario_idx on deal_registration (end_customer_match_key, scenario_id)
  where status in ('submitted', 'under_review', 'more_info_requested', 'approved');
drop index if exists deal_registration_claim_match_key_idx;

create or replace function realign_registration_keys_added() returns trigger
  language plpgsql security definer set search_path = public, pg_temp as $f$
begin
  insert into customer_match_key (match_key)
    select distinct a.end_customer_match_key from added a
    where a.end_customer_match_key <> ''
      and not exists (select 1 from customer_match_key c where c.match_key = a.end_customer_match_key);
  return null;
end $f$;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the registration claim index migration cannot be reverted; restore a backup instead');
}
