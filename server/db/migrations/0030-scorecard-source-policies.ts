import { sql, type Kysely } from 'kysely';

/**
 * The row-level security policies of the tables a scorecard reads in bulk (opportunity, activity,
 * comp_participant) read the scope once per statement instead of once per row (issue 6).
 *
 * `realign_scope()` is inlined into the policy as current_setting(...) and was evaluated for every
 * row scanned: a 50k-seller scorecard scans about 5M rows. As an uncorrelated sub-select it is an
 * InitPlan, evaluated once per statement, and each row compares that one value. Same rule, same
 * scopes (the setting is transaction-local and a statement sees one value of it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
alter policy opportunity_internal on opportunity
  using ((select realign_scope()) in ('system', 'internal')) with check ((select realign_scope()) in ('system', 'internal'));
alter policy activity_internal on activity
  using ((select realign_scope()) in ('system', 'internal')) with check ((select realign_scope()) in ('system', 'internal'));
alter policy comp_participant_internal on comp_participant
  using ((select realign_scope()) in ('system', 'internal')) with check ((select realign_scope()) in ('system', 'internal'));
`,
    )
    .execute(db);
}
