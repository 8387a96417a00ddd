import { sql, type Kysely } from 'kysely';

/**
 * Submission cost that grew with the number of registrations (bench engagement.registration-load,
 * docs/benchmarks.md). Measured with EXPLAIN (ANALYZE) inside the app's scoped transactions:
 *
 * - Detection searched a trigram index over EVERY registration ever made, although only the ones
 *   still claiming their customer (pending, or approved) can conflict; with the bench's names the
 *   posting lists of the query's trigrams cover a large share of all rows, so the index scan alone
 *   cost ~40 ms at 200k rows and grew linearly. The index now holds the claiming rows only, and
 *   shrinks again as registrations close (rejected, won, lost, expired, withdrawn, draft).
 * - Each row the trigram index proposes is rechecked, and its similarity computed, by calling the
 *   match-key function (an SQL function over an array of words, ~15 µs a call) on the heap row,
 *   for hundreds to thousands of rows per detection. The key is now stored with the row (computed
 *   once, on write) and the index is built on that column.
 *
 * The old expression index served detection only; dropping it also makes every insert cheaper.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
alter table deal_registration add column end_customer_match_key text
  generated always as (realign_customer_match_key(end_customer_normalised_name)) stored;

-- The statuses of conflicts.repository.ts (pendingStatuses, plus approved): detection repeats this
-- condition at the top level of its query so the planner can prove the index applies. An approved
-- registration whose protection ran out is filtered on the heap row (the expiry job closes it daily).
-- fastupdate off for the same reason as in 0006: a pending list is searched row by row.
create index deal_registration_claim_match_key_trgm_idx on deal_registration
  using gin (end_customer_match_key gin_trgm_ops) with (fastupdate = off)
  where status in ('submitted', 'under_review', 'more_info_requested', 'approved');

drop index if exists deal_registration_match_key_trgm_idx;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the registration performance migration cannot be reverted; restore a backup instead');
}
