import { sql, type Kysely } from 'kysely';

/**
 * A period run's progress moves to a table of its own, so the run can be calculated in one
 * REPEATABLE READ transaction (runs.service.ts, runPeriodRunJob).
 *
 * The job reports progress in short transactions of its own while its long transaction calculates.
 * It ran at READ COMMITTED because, at REPEATABLE READ, its final update of the run row (status,
 * hash, input fingerprint) would fail with a serialization error against those progress updates to
 * the same row. At READ COMMITTED every statement took a new snapshot, so the plans and quotas it
 * calculated from and the input fingerprint it stored could come from different moments: a quota
 * changed in between was stored as an input of results that did not use it. With progress written
 * here, nothing else updates the run row while its job runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table commission_run_progress (
  commission_run_id uuid primary key references commission_run on delete cascade,
  done integer not null default 0 check (done >= 0),
  total integer not null default 0 check (total >= 0)
);
insert into commission_run_progress (commission_run_id, done, total)
  select commission_run_id, progress_done, progress_total from commission_run where progress_done <> 0 or progress_total <> 0;
alter table commission_run drop column progress_done, drop column progress_total;

alter table commission_run_progress enable row level security;
alter table commission_run_progress force row level security;
create policy commission_run_progress_internal on commission_run_progress
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
grant select, insert, update on commission_run_progress to realign_app;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table commission_run add column progress_done integer not null default 0 check (progress_done >= 0),
  add column progress_total integer not null default 0 check (progress_total >= 0);
update commission_run r set progress_done = p.done, progress_total = p.total
  from commission_run_progress p where p.commission_run_id = r.commission_run_id;
drop table commission_run_progress;
`.execute(db);
}
