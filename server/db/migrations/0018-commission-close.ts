import { sql, type Kysely } from 'kysely';

/**
 * Commissions, part three: closing a period, restating it, approving its payouts. Internal pay: the
 * partner scope sees no row of any of these tables. The database itself keeps closed things closed
 * (triggers, for every role including realign_app), not only the application:
 *
 * - commission_period: a payout period [period_start, period_end) (unique, no two overlap — checked
 *   by the service under an advisory lock), open or closed. Closing names the completed run whose
 *   results become the period's official results (closed_run_id). A closed period row can no
 *   longer be updated or deleted at all.
 * - commission_period_version: the versions of a closed period's results, insert-only: version 1 is
 *   the closing run, each later completed run over the same dates that is booked as a restatement is
 *   the next version. None is ever deleted (so every version is kept, at least 12).
 * - commission_result / commission_run: the rows of a run named by any period version are frozen:
 *   no UPDATE, DELETE or INSERT of results of that run, no update or delete of the run. New results
 *   for a closed period's dates can only come from another run, which counts only once registered as
 *   a restatement version (its own results then frozen in turn).
 * - commission_adjustment: the difference a restatement makes per participant and currency (new
 *   version total - previous version total), booked in an open period; insert-only, and never into
 *   a closed period (the paid amounts of a closed period never change).
 * - commission_payout_approval: finance's approval of a closed period's payouts; one row per period,
 *   insert-only, only for a closed period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table commission_period (
  commission_period_id uuid primary key,
  period_start date not null,
  period_end date not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_run_id uuid references commission_run on delete restrict,
  closed_by_user_id uuid references app_user on delete restrict,
  closed_at timestamptz,
  created_by_user_id uuid references app_user on delete restrict,
  created_at timestamptz not null default now(),
  unique (period_start, period_end),
  check (period_end > period_start),
  check ((status = 'closed') = (closed_run_id is not null)),
  check ((status = 'closed') = (closed_at is not null))
);

create table commission_period_version (
  commission_period_id uuid not null references commission_period on delete restrict,
  version integer not null check (version >= 1),
  commission_run_id uuid not null references commission_run on delete restrict,
  result_hash text not null check (result_hash ~ '^[0-9a-f]{64}$'),
  kind text not null check (kind in ('close', 'restatement')),
  created_by_user_id uuid references app_user on delete restrict,
  created_at timestamptz not null default now(),
  primary key (commission_period_id, version),
  unique (commission_period_id, commission_run_id),
  check ((kind = 'close') = (version = 1))
);
create index commission_period_version_run_idx on commission_period_version (commission_run_id);

create table commission_adjustment (
  participant_id uuid not null references comp_participant on delete restrict,
  commission_adjustment_id uuid not null,
  commission_period_id uuid not null references commission_period on delete restrict,
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  amount_minor bigint not null,
  reason text not null check (length(reason) between 1 and 500),
  source_period_id uuid not null,
  source_version integer not null,
  created_at timestamptz not null default now(),
  primary key (participant_id, commission_adjustment_id),
  foreign key (source_period_id, source_version) references commission_period_version on delete restrict,
  check (source_period_id <> commission_period_id)
);
create index commission_adjustment_period_idx on commission_adjustment (commission_period_id, participant_id);

create table commission_payout_approval (
  commission_period_id uuid primary key references commission_period on delete restrict,
  approved_by_user_id uuid references app_user on delete restrict,
  approved_at timestamptz not null default now()
);

-- A closed period never changes; an open one may only be closed from a completed run over its dates.
create function commission_period_guard() returns trigger language plpgsql as $$
declare r record;
begin
  if old.status = 'closed' then
    raise exception 'closed commission period % (% to %) cannot be changed', old.commission_period_id, old.period_start, old.period_end
      using errcode = 'check_violation';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  if new.period_start <> old.period_start or new.period_end <> old.period_end then
    raise exception 'the dates of commission period % cannot be changed', old.commission_period_id using errcode = 'check_violation';
  end if;
  if new.status = 'closed' then
    select status, period_start, period_end into r from commission_run where commission_run_id = new.closed_run_id;
    if not found or r.status <> 'completed' or r.period_start <> new.period_start or r.period_end <> new.period_end then
      raise exception 'commission period % can only be closed from a completed run over its dates', old.commission_period_id
        using errcode = 'check_violation';
    end if;
  end if;
  return new;
end $$;
create trigger commission_period_guard before update or delete on commission_period
  for each row execute function commission_period_guard();

-- Versions: insert-only, numbered 1, 2, ... of a closed period, each a completed run over its dates.
create function commission_period_version_guard() returns trigger language plpgsql as $$
declare p record; r record; last integer;
begin
  if tg_op <> 'INSERT' then
    raise exception 'versions of a closed commission period cannot be changed or deleted' using errcode = 'check_violation';
  end if;
  select status, period_start, period_end, closed_run_id into p from commission_period
    where commission_period_id = new.commission_period_id for share;
  if not found or p.status <> 'closed' then
    raise exception 'commission period % is not closed', new.commission_period_id using errcode = 'check_violation';
  end if;
  select status, period_start, period_end, result_hash into r from commission_run where commission_run_id = new.commission_run_id;
  if not found or r.status <> 'completed' or r.period_start <> p.period_start or r.period_end <> p.period_end
     or r.result_hash <> new.result_hash then
    raise exception 'a version of commission period % must be a completed run over its dates', new.commission_period_id
      using errcode = 'check_violation';
  end if;
  select coalesce(max(version), 0) into last from commission_period_version where commission_period_id = new.commission_period_id;
  if new.version <> last + 1 or (new.version = 1 and new.commission_run_id <> p.closed_run_id) then
    raise exception 'commission period % takes version % next, from its closing run first', new.commission_period_id, last + 1
      using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger commission_period_version_guard before insert or update or delete on commission_period_version
  for each row execute function commission_period_version_guard();

-- The results and the run of any closed or restated version are frozen.
create function commission_closed_run_guard() returns trigger language plpgsql as $$
begin
  if (tg_op <> 'INSERT' and exists (select 1 from commission_period_version v where v.commission_run_id = old.commission_run_id))
     or (tg_op <> 'DELETE' and exists (select 1 from commission_period_version v where v.commission_run_id = new.commission_run_id)) then
    raise exception 'the results of a closed commission period cannot be changed (run %)', coalesce(old.commission_run_id, new.commission_run_id)
      using errcode = 'check_violation';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end $$;
create trigger commission_result_closed_guard before insert or update or delete on commission_result
  for each row execute function commission_closed_run_guard();
create trigger commission_run_closed_guard before update or delete on commission_run
  for each row execute function commission_closed_run_guard();

-- Adjustments: insert-only, booked only in an open period.
create function commission_adjustment_guard() returns trigger language plpgsql as $$
declare s text;
begin
  if tg_op <> 'INSERT' then
    raise exception 'commission adjustments cannot be changed or deleted' using errcode = 'check_violation';
  end if;
  select status into s from commission_period where commission_period_id = new.commission_period_id for share;
  if not found or s <> 'open' then
    raise exception 'adjustments cannot be booked in closed commission period %', new.commission_period_id using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger commission_adjustment_guard before insert or update or delete on commission_adjustment
  for each row execute function commission_adjustment_guard();

-- Payout approval: insert-only, only of a closed period.
create function commission_payout_approval_guard() returns trigger language plpgsql as $$
declare s text;
begin
  if tg_op <> 'INSERT' then
    raise exception 'an approval of commission payouts cannot be changed or deleted' using errcode = 'check_violation';
  end if;
  select status into s from commission_period where commission_period_id = new.commission_period_id for share;
  if not found or s <> 'closed' then
    raise exception 'only the payouts of a closed commission period can be approved' using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger commission_payout_approval_guard before insert or update or delete on commission_payout_approval
  for each row execute function commission_payout_approval_guard();

alter table commission_period enable row level security;
alter table commission_period force row level security;
create policy commission_period_internal on commission_period
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table commission_period_version enable row level security;
alter table commission_period_version force row level security;
create policy commission_period_version_internal on commission_period_version
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table commission_adjustment enable row level security;
alter table commission_adjustment force row level security;
create policy commission_adjustment_internal on commission_adjustment
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table commission_payout_approval enable row level security;
alter table commission_payout_approval force row level security;
create policy commission_payout_approval_internal on commission_payout_approval
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update on commission_period to realign_app;
grant select, insert on commission_period_version to realign_app;
grant select, insert on commission_adjustment to realign_app;
grant select, insert on commission_payout_approval to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the commission close migration cannot be reverted; restore a backup instead');
}
