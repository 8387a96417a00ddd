import { sql, type Kysely } from 'kysely';

/**
 * What a submission writes to PostgreSQL (issue 3, bench engagement.registration-load; measured per
 * statement with auto_explain and log_min_duration_statement on a copy of the bench's data at scale 1).
 *
 * - deal_registration_name_trgm_idx (0003), a trigram index over end_customer_normalised_name, is
 *   read by no query: detection searches customer_match_key (0010) and the registration list
 *   searches end_customer_name with ILIKE. Every insert and every non-HOT update still added a
 *   dozen trigram entries to it, into a pending list (fastupdate on) that the unlucky writer then
 *   merged into a 65 MB index once it outgrew gin_pending_list_limit.
 * - A registration submitted at once is now inserted already submitted instead of inserted as a
 *   draft and then updated (which rewrote every index of the row a second time and left a dead
 *   tuple). Detection runs before the row exists, and the conflicts it finds are recorded in the
 *   same widened scope, before the row is inserted under the partner's own scope (so row-level
 *   security still checks it). The conflict's reference to its registration is therefore checked
 *   at commit. Referential actions (on delete cascade) are never deferred; only the check is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
drop index if exists deal_registration_name_trgm_idx;
alter table registration_conflict alter constraint registration_conflict_deal_registration_id_fkey deferrable initially deferred;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the registration submit cost migration cannot be reverted; restore a backup instead');
}
