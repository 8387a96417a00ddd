import { sql, type Kysely } from 'kysely';

/**
 * The platform: identity, partners, audit, jobs, notifications, and the row-level security that
 * keeps partners apart. Requests run as the role realign_app, which owns nothing and cannot bypass
 * RLS; the acting scope arrives per transaction through set_config (see server/db/scope.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'realign_app') then
    create role realign_app nologin nosuperuser nobypassrls noinherit nocreatedb nocreaterole;
  end if;
end $$;
do $$ begin
  if not pg_has_role(current_user, 'realign_app', 'member') then
    execute format('grant realign_app to %I', current_user);
  end if;
end $$;

create extension if not exists pg_trgm;

grant usage on schema public to realign_app;
alter default privileges in schema public grant select, insert, update, delete on tables to realign_app;
alter default privileges in schema public grant usage, select on sequences to realign_app;

-- Scope of the current transaction: 'system' (jobs, CLI), 'internal' (vendor staff), 'partner'
-- (a partner organisation's users), or 'none' when nothing was set: fail closed.
create function realign_scope() returns text language sql stable as
  $f$ select coalesce(nullif(current_setting('realign.scope', true), ''), 'none') $f$;
create function realign_partner_id() returns uuid language sql stable as
  $f$ select nullif(current_setting('realign.partner_id', true), '')::uuid $f$;
create function realign_user_id() returns uuid language sql stable as
  $f$ select nullif(current_setting('realign.user_id', true), '')::uuid $f$;
create function realign_sees_partner(row_partner_id uuid) returns boolean language sql stable as
  $f$ select realign_scope() in ('system', 'internal')
        or (realign_scope() = 'partner' and row_partner_id is not distinct from realign_partner_id() and row_partner_id is not null) $f$;

create table app_setting (
  key text primary key,
  value text not null
);

create table partner (
  partner_id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  legal_name text check (length(legal_name) <= 300),
  tier text not null default 'registered' check (length(tier) between 1 and 60),
  status text not null default 'active' check (status in ('prospect', 'active', 'inactive', 'suspended')),
  website text check (length(website) <= 300),
  country char(2) check (country ~ '^[A-Z]{2}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index partner_name_key on partner (lower(name));

create table partner_contact (
  partner_contact_id uuid primary key,
  partner_id uuid not null references partner on delete cascade,
  name text not null check (length(name) between 1 and 200),
  email text check (length(email) <= 320),
  phone text check (length(phone) <= 60),
  title text check (length(title) <= 200),
  is_executive boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index partner_contact_partner_idx on partner_contact (partner_id);

create table app_user (
  app_user_id uuid primary key,
  email text not null check (email = lower(email) and length(email) between 3 and 320),
  display_name text not null check (length(display_name) between 1 and 200),
  password_hash text,
  partner_id uuid references partner on delete restrict,
  roles text[] not null check (
    cardinality(roles) > 0
    and roles <@ array['admin','executive','programme_lead','channel_manager','comp_admin','finance',
                       'internal_seller','operations','delivery','auditor','partner_admin','partner_seller']::text[]),
  status text not null default 'active' check (status in ('active', 'disabled')),
  manager_user_id uuid references app_user,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- partner users hold partner roles only, internal users internal roles only
  check ((partner_id is null) = not (roles && array['partner_admin','partner_seller']::text[])),
  check (partner_id is null or roles <@ array['partner_admin','partner_seller']::text[])
);
create unique index app_user_email_key on app_user (email);
create index app_user_partner_idx on app_user (partner_id);

create table session (
  session_id text primary key,
  app_user_id uuid not null references app_user on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now(),
  ip text,
  user_agent text
);
create index session_user_idx on session (app_user_id);

create table api_token (
  api_token_id uuid primary key,
  app_user_id uuid not null references app_user on delete cascade,
  partner_id uuid references partner on delete cascade,
  name text not null check (length(name) between 1 and 200),
  token_hash text not null unique,
  token_prefix text not null,
  scopes text[] not null check (cardinality(scopes) > 0 and scopes <@ array['read', 'write']::text[]),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz not null default now()
);
create index api_token_user_idx on api_token (app_user_id);

create table login_failure (
  login_failure_id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  failed_at timestamptz not null
);
create index login_failure_email_idx on login_failure (email, failed_at);
create index login_failure_ip_idx on login_failure (ip, failed_at);

create table notification (
  notification_id uuid primary key,
  app_user_id uuid not null references app_user on delete cascade,
  partner_id uuid references partner on delete cascade,
  kind text not null check (length(kind) between 1 and 100),
  title text not null check (length(title) between 1 and 300),
  body text not null default '' check (length(body) <= 4000),
  link text check (length(link) <= 500),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notification_user_idx on notification (app_user_id, created_at desc);

-- Audit: append-only, hash-chained. The head row serialises appends (a row lock, no table lock).
create table audit_entry (
  seq bigint primary key,
  at timestamptz not null,
  actor_user_id uuid,
  actor_label text not null,
  partner_id uuid,
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  prev_hash text not null,
  hash text not null
);
create index audit_entry_entity_idx on audit_entry (entity_type, entity_id);
create index audit_entry_at_idx on audit_entry (at);

create table audit_chain_head (
  audit_chain_head_id integer primary key check (audit_chain_head_id = 1),
  seq bigint not null,
  last_hash text not null
);
insert into audit_chain_head values (1, 0, repeat('0', 64));

create function audit_entry_is_append_only() returns trigger language plpgsql as $f$
begin
  raise exception 'audit_entry is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end $f$;
create trigger audit_entry_append_only before update or delete on audit_entry
  for each row execute function audit_entry_is_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
  for each statement execute function audit_entry_is_append_only();

-- Durable jobs.
create table job (
  job_id uuid primary key,
  name text not null,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'dead')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 5 check (max_attempts >= 1),
  idempotency_key text unique,
  last_error text,
  locked_by text,
  locked_at timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index job_ready_idx on job (run_at) where status = 'queued';
create index job_running_idx on job (locked_at) where status = 'running';

-- Named locks and counters shared by every app process.
create table app_lock (
  name text primary key,
  holder text not null,
  expires_at timestamptz not null
);

-- Row-level security: partner-scoped tables.
alter table partner enable row level security;
alter table partner force row level security;
create policy partner_scope on partner using (realign_sees_partner(partner_id)) with check (realign_sees_partner(partner_id));

alter table partner_contact enable row level security;
alter table partner_contact force row level security;
create policy partner_contact_scope on partner_contact using (realign_sees_partner(partner_id)) with check (realign_sees_partner(partner_id));

alter table app_user enable row level security;
alter table app_user force row level security;
create policy app_user_scope on app_user
  using (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and partner_id = realign_partner_id()))
  with check (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and partner_id = realign_partner_id()));

alter table api_token enable row level security;
alter table api_token force row level security;
create policy api_token_scope on api_token
  using (realign_scope() = 'system' or app_user_id = realign_user_id())
  with check (realign_scope() = 'system' or app_user_id = realign_user_id());

alter table notification enable row level security;
alter table notification force row level security;
create policy notification_read on notification for select
  using (realign_scope() = 'system' or app_user_id = realign_user_id());
create policy notification_update on notification for update
  using (realign_scope() = 'system' or app_user_id = realign_user_id());
create policy notification_insert on notification for insert
  with check (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and partner_id = realign_partner_id()));
create policy notification_delete on notification for delete using (realign_scope() = 'system');

alter table audit_entry enable row level security;
alter table audit_entry force row level security;
create policy audit_entry_read on audit_entry for select using (realign_scope() in ('system', 'internal'));
create policy audit_entry_append on audit_entry for insert with check (realign_scope() in ('system', 'internal', 'partner'));

grant select, insert, update, delete on all tables in schema public to realign_app;
grant usage, select on all sequences in schema public to realign_app;
revoke update, delete, truncate on audit_entry from realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the platform migration cannot be reverted; restore a backup instead');
}
