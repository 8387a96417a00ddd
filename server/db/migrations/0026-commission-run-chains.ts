import { sql, type Kysely } from 'kysely';

/**
 * Commissions: faster period runs.
 *
 * - commission_run.partial_results: the run stores the results of the participants it recalculated
 *   only (an incremental run); every other participant's results are those of its base run
 *   (base_run_id), read through the chain of base runs (runs.repository.ts runChain / runResults).
 *   A run's results never change once it has completed and a base run cannot be deleted while a run
 *   names it (base_run_id is ON DELETE RESTRICT), so the results a chain resolves to stay fixed.
 * - The guard that freezes the results of a closed run checks inserts once per statement (over its
 *   new rows) instead of once per row: a run inserts tens of thousands of results, each of which
 *   paid a PL/pgSQL call and an index probe. Updates and deletes keep the per-row check.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
alter table commission_run add column partial_results boolean not null default false;

create function commission_closed_run_insert_guard() returns trigger language plpgsql as $$
declare closed uuid;
begin
  select n.commission_run_id into closed from new_results n
    where exists (select 1 from commission_period_version v where v.commission_run_id = n.commission_run_id) limit 1;
  if closed is not null then
    raise exception 'the results of a closed commission period cannot be changed (run %)', closed using errcode = 'check_violation';
  end if;
  return null;
end $$;

drop trigger commission_result_closed_guard on commission_result;
create trigger commission_result_closed_guard before update or delete on commission_result
  for each row execute function commission_closed_run_guard();
create trigger commission_result_closed_insert_guard after insert on commission_result
  referencing new table as new_results for each statement execute function commission_closed_run_insert_guard();
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the commission run chains migration cannot be reverted; restore a backup instead');
}
