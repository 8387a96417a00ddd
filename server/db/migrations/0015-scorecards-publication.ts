import { sql, type Kysely } from 'kysely';

/**
 * Scorecards, part two: scorecard definitions and publication snapshots.
 *
 * - `scorecard`: a definition (common/scorecards/scorecard.ts) as JSON, internal only.
 * - `scorecard_snapshot`: one computed scorecard for one period and roll-up level, frozen once
 *   published: a trigger refuses UPDATE and DELETE of a published snapshot, and any INSERT, UPDATE
 *   or DELETE of the rows of one. A draft may be discarded or published.
 * - `scorecard_snapshot_row`: one subject's figures in a snapshot. A partner's own row carries its
 *   partner_id; `partner_visible` is set when the snapshot is published to partners (before the
 *   header turns published, so the freeze never has to make an exception).
 *
 * Row-level security. Internal and system scopes see everything. The partner scope sees a row only
 * when it is its own and visible, and a snapshot header only when it is published to partners and
 * holds such a row. The header policy reads the row table; the row policy never reads the header
 * (policies that read each other recurse). Headers hold anonymised benchmarks only, never another
 * partner's figures or ids.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table scorecard (
  scorecard_id uuid primary key,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{1,59}$'),
  name text not null check (length(name) between 1 and 120),
  subject_kind text not null check (subject_kind in ('seller', 'manager', 'team', 'unit', 'partner', 'programme')),
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table scorecard_snapshot (
  scorecard_snapshot_id uuid primary key,
  scorecard_id uuid not null references scorecard on delete restrict,
  scorecard_key text not null,
  name text not null,
  subject_kind text not null check (subject_kind in ('seller', 'manager', 'team', 'unit', 'partner', 'programme')),
  level text not null check (level in ('seller', 'manager', 'team', 'unit', 'partner', 'programme')),
  grain text not null check (grain in ('month', 'quarter', 'year')),
  period_start date not null,
  period_end date not null check (period_end > period_start),
  status text not null default 'draft' check (status in ('draft', 'published')),
  trigger text not null check (trigger in ('on_demand', 'schedule')),
  audiences jsonb not null check (jsonb_typeof(audiences) = 'array'),
  partner_audience boolean generated always as (audiences @> '[{"kind": "partners"}]'::jsonb) stored,
  definition jsonb not null,
  periods jsonb not null,
  metrics jsonb not null,
  benchmarks jsonb not null,
  subject_count integer not null,
  taken_at timestamptz not null,
  taken_by text not null,
  taken_by_user_id uuid references app_user on delete set null,
  published_at timestamptz,
  published_by text,
  check ((status = 'published') = (published_at is not null))
);
create index scorecard_snapshot_scorecard_idx on scorecard_snapshot (scorecard_id, period_start desc);
create index scorecard_snapshot_published_idx on scorecard_snapshot (published_at desc) where status = 'published';
-- The scheduler publishes each scorecard's period once, however many workers run it.
create unique index scorecard_snapshot_schedule_key on scorecard_snapshot (scorecard_id, level, period_start) where trigger = 'schedule';

create table scorecard_snapshot_row (
  scorecard_snapshot_id uuid not null references scorecard_snapshot on delete cascade,
  subject_id text not null,
  label text not null,
  parent_id text,
  partner_id uuid references partner on delete restrict,
  partner_visible boolean not null default false,
  rank integer,
  score double precision,
  status text not null check (status in ('green', 'amber', 'red', 'no_data')),
  cells jsonb not null,
  trend jsonb not null,
  primary key (scorecard_snapshot_id, subject_id),
  check (not partner_visible or partner_id is not null)
);
create index scorecard_snapshot_row_partner_idx on scorecard_snapshot_row (partner_id, scorecard_snapshot_id) where partner_id is not null;

create function scorecard_snapshot_is_frozen() returns trigger language plpgsql as $f$
begin
  if old.status = 'published' then
    raise exception 'scorecard snapshot % is published and frozen: % is not allowed', old.scorecard_snapshot_id, tg_op
      using errcode = 'insufficient_privilege';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $f$;
create trigger scorecard_snapshot_frozen before update or delete on scorecard_snapshot
  for each row execute function scorecard_snapshot_is_frozen();

create function scorecard_snapshot_row_is_frozen() returns trigger language plpgsql as $f$
declare
  sid uuid := case when tg_op = 'INSERT' then new.scorecard_snapshot_id else old.scorecard_snapshot_id end;
begin
  if exists (select 1 from scorecard_snapshot s where s.scorecard_snapshot_id = sid and s.status = 'published') then
    raise exception 'scorecard snapshot % is published and frozen: % of its rows is not allowed', sid, tg_op
      using errcode = 'insufficient_privilege';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $f$;
create trigger scorecard_snapshot_row_frozen before insert or update or delete on scorecard_snapshot_row
  for each row execute function scorecard_snapshot_row_is_frozen();

alter table scorecard enable row level security;
alter table scorecard force row level security;
create policy scorecard_internal on scorecard
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table scorecard_snapshot_row enable row level security;
alter table scorecard_snapshot_row force row level security;
create policy scorecard_snapshot_row_internal on scorecard_snapshot_row
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
create policy scorecard_snapshot_row_partner on scorecard_snapshot_row for select
  using (realign_scope() = 'partner' and partner_visible and realign_sees_partner(partner_id));

alter table scorecard_snapshot enable row level security;
alter table scorecard_snapshot force row level security;
create policy scorecard_snapshot_internal on scorecard_snapshot
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
create policy scorecard_snapshot_partner on scorecard_snapshot for select
  using (realign_scope() = 'partner' and status = 'published' and partner_audience
    and exists (select 1 from scorecard_snapshot_row r
                where r.scorecard_snapshot_id = scorecard_snapshot.scorecard_snapshot_id and r.partner_id = realign_partner_id()));

grant select, insert, update, delete on scorecard, scorecard_snapshot, scorecard_snapshot_row to realign_app;
`,
    )
    .execute(db);
}
