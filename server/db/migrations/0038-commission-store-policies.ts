import { sql, type Kysely } from 'kysely';

/**
 * The row-level security policies of the commission store's bulk tables (sales_transaction and
 * commission_result) read the scope once per statement instead of once per row, as 0030 did for the
 * tables a scorecard reads.
 *
 * `realign_scope()` is inlined into a policy as current_setting(...): a lookup of the setting, a
 * copy of its text and two text comparisons for every row scanned or written. A full recalculation
 * scans its 10M lines, and an import writes 1.2M lines per 1M rows (the WITH CHECK runs per row).
 * As an uncorrelated sub-select it is an InitPlan, evaluated once per statement (in the leader, its
 * value handed to parallel workers). Measured on the 10M-line store of the recalculation benchmark,
 * a count over the quarter as the app's role in the system scope: 3.8-4.6 s before, 2.1-2.6 s after
 * (2.2 s as the owner, who bypasses the policy). Same rule, same scopes: the setting is
 * transaction-local and a statement sees one value of it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter policy sales_transaction_internal on sales_transaction
  using ((select realign_scope()) in ('system', 'internal')) with check ((select realign_scope()) in ('system', 'internal'));
alter policy commission_result_internal on commission_result
  using ((select realign_scope()) in ('system', 'internal')) with check ((select realign_scope()) in ('system', 'internal'));
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
alter policy sales_transaction_internal on sales_transaction
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
alter policy commission_result_internal on commission_result
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
`.execute(db);
}
