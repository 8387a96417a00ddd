import { sql, type Kysely } from 'kysely';

/**
 * Compensation plans: participants (sellers, managers, overlays; most have no login), plans and their
 * versions (a version's document is one common/comp/plan.ts planDocument), the approval chain before
 * a version is published, plan assignments and quotas. Everything here is internal pay: the partner
 * scope sees no row of any of these tables.
 *
 * - A version's document is frozen once it leaves draft: a trigger refuses any change of the document
 *   or its effective dates on a non-draft row, and refuses to bring a published or retired version
 *   back (published -> retired is the only way out of published; retired is final).
 * - One open version (draft, in approval or approved) per plan, and one published version per plan.
 * - A participant is on at most one plan at a time: an exclusion constraint over the half-open date
 *   range of its assignments (btree_gist).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create extension if not exists btree_gist;

create table comp_participant (
  comp_participant_id uuid primary key,
  external_ref text not null unique check (length(external_ref) between 1 and 120),
  display_name text not null check (length(display_name) between 1 and 200),
  email text check (length(email) between 3 and 320),
  app_user_id uuid unique references app_user on delete set null,
  manager_participant_id uuid references comp_participant on delete set null,
  team text check (length(team) between 1 and 120),
  unit text check (length(unit) between 1 and 120),
  territory text check (length(territory) between 1 and 120),
  active_from date,
  active_to date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- What the participant search matches (substring, any case): name, reference and e-mail.
  search_key text generated always as (lower(display_name || ' ' || external_ref || coalesce(' ' || email, ''))) stored,
  check (active_to > active_from),
  check (manager_participant_id is distinct from comp_participant_id)
);
create index comp_participant_manager_idx on comp_participant (manager_participant_id) where manager_participant_id is not null;
create index comp_participant_name_idx on comp_participant (display_name, comp_participant_id);
create index comp_participant_search_trgm_idx on comp_participant using gin (search_key gin_trgm_ops);
create index comp_participant_team_idx on comp_participant (team) where team is not null;
create index comp_participant_unit_idx on comp_participant (unit) where unit is not null;

create table comp_plan (
  comp_plan_id uuid primary key,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{0,59}$'),
  name text not null check (length(name) between 1 and 160),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table comp_plan_version (
  comp_plan_version_id uuid primary key,
  comp_plan_id uuid not null references comp_plan on delete restrict,
  version integer not null check (version > 0),
  status text not null default 'draft' check (status in ('draft', 'in_approval', 'approved', 'published', 'retired')),
  document jsonb not null check (jsonb_typeof(document) = 'object'),
  effective_from date not null,
  effective_to date,
  change_note text not null default '' check (length(change_note) <= 4000),
  -- Each submission starts the approval chain again; approvals carry the round they belong to.
  approval_round integer not null default 0 check (approval_round >= 0),
  rejection_comment text check (length(rejection_comment) <= 4000),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  submitted_by_user_id uuid references app_user on delete set null,
  published_at timestamptz,
  published_by_user_id uuid references app_user on delete set null,
  retired_at timestamptz,
  unique (comp_plan_id, version),
  check (effective_to is null or effective_to > effective_from),
  check ((status in ('published', 'retired')) = (published_at is not null)),
  check ((status = 'retired') = (retired_at is not null))
);
create unique index comp_plan_version_one_open on comp_plan_version (comp_plan_id) where status in ('draft', 'in_approval', 'approved');
create unique index comp_plan_version_one_published on comp_plan_version (comp_plan_id) where status = 'published';
create index comp_plan_version_effective_idx on comp_plan_version (effective_from, effective_to) where status = 'published';

create function comp_plan_version_guard() returns trigger language plpgsql as $f$
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'comp plan version % is %; only drafts can be deleted', old.comp_plan_version_id, old.status using errcode = 'check_violation';
    end if;
    return old;
  end if;
  if old.status <> 'draft' and (new.document is distinct from old.document
      or new.effective_from is distinct from old.effective_from or new.effective_to is distinct from old.effective_to
      or new.comp_plan_id is distinct from old.comp_plan_id or new.version is distinct from old.version) then
    raise exception 'comp plan version % is % and cannot be changed', old.comp_plan_version_id, old.status using errcode = 'check_violation';
  end if;
  if old.status = 'published' and new.status not in ('published', 'retired') then
    raise exception 'a published comp plan version can only be retired' using errcode = 'check_violation';
  end if;
  if old.status = 'retired' and new.status <> 'retired' then
    raise exception 'a retired comp plan version stays retired' using errcode = 'check_violation';
  end if;
  return new;
end $f$;
create trigger comp_plan_version_guard before update or delete on comp_plan_version
  for each row execute function comp_plan_version_guard();

create table comp_plan_approval (
  comp_plan_approval_id uuid primary key,
  comp_plan_version_id uuid not null references comp_plan_version on delete cascade,
  round integer not null check (round > 0),
  step text not null check (step in ('comp_admin', 'finance', 'manager')),
  decision text not null check (decision in ('approved', 'rejected')),
  decided_by_user_id uuid references app_user on delete set null,
  comment text not null default '' check (length(comment) <= 4000),
  decided_at timestamptz not null,
  -- One decision per step and round: of two concurrent approvals, one wins.
  unique (comp_plan_version_id, round, step)
);

create table comp_plan_assignment (
  comp_plan_assignment_id uuid primary key,
  comp_participant_id uuid not null references comp_participant on delete cascade,
  comp_plan_id uuid not null references comp_plan on delete restrict,
  effective_from date not null,
  effective_to date,
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (effective_to is null or effective_to > effective_from),
  constraint comp_plan_assignment_no_overlap exclude using gist
    (comp_participant_id with =, daterange(effective_from, effective_to, '[)') with &&)
);
create index comp_plan_assignment_plan_idx on comp_plan_assignment (comp_plan_id, effective_from);

create table comp_quota (
  comp_quota_id uuid primary key,
  comp_participant_id uuid not null references comp_participant on delete cascade,
  period_start date not null,
  period_end date not null,
  amount_minor bigint not null check (amount_minor >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (comp_participant_id, period_start),
  check (period_end > period_start)
);

-- Under row-level security an index serves only LEAKPROOF conditions (see 0006). LIKE raises no
-- error that depends on the row it reads (only a malformed pattern fails, whatever the row), so the
-- participant search may use its trigram index; this needs a superuser, and without one the search
-- is still right, only a sequential scan (~15 ms at 50k participants).
do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function textlike(text, text) leakproof;
  end if;
end $$;

-- Row-level security: internal pay, never visible to the partner scope.
alter table comp_participant enable row level security;
alter table comp_participant force row level security;
create policy comp_participant_internal on comp_participant
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table comp_plan enable row level security;
alter table comp_plan force row level security;
create policy comp_plan_internal on comp_plan
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table comp_plan_version enable row level security;
alter table comp_plan_version force row level security;
create policy comp_plan_version_internal on comp_plan_version
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table comp_plan_approval enable row level security;
alter table comp_plan_approval force row level security;
create policy comp_plan_approval_internal on comp_plan_approval
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table comp_plan_assignment enable row level security;
alter table comp_plan_assignment force row level security;
create policy comp_plan_assignment_internal on comp_plan_assignment
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table comp_quota enable row level security;
alter table comp_quota force row level security;
create policy comp_quota_internal on comp_quota
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update, delete on comp_participant, comp_plan, comp_plan_version, comp_plan_approval,
  comp_plan_assignment, comp_quota to realign_app;
-- Decisions are a record: the app appends them, never rewrites them.
revoke update, delete on comp_plan_approval from realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the comp-plans migration cannot be reverted; restore a backup instead');
}
