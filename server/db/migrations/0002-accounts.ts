import { sql, type Kysely } from 'kysely';

/**
 * Accounts (end customers) and who owns them over time. Ownership is effective-dated with
 * half-open periods; the exclusion constraint is the last line of defence against two owners
 * on the same day, the service closes the current period before it opens the next.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
-- btree_gist lets one exclusion constraint combine equality on the account with range overlap.
create extension if not exists btree_gist;

create table account (
  account_id uuid primary key,
  name text not null check (length(name) between 1 and 300),
  normalised_name text not null check (length(normalised_name) <= 300),
  domain text check (domain = lower(domain) and length(domain) between 1 and 253),
  country char(2) check (country ~ '^[A-Z]{2}$'),
  tax_id text check (length(tax_id) between 1 and 60),
  industry text check (length(industry) between 1 and 120),
  segment text check (segment in ('enterprise', 'mid_market', 'smb', 'public_sector')),
  parent_account_id uuid references account on delete restrict check (parent_account_id <> account_id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index account_domain_key on account (lower(domain)) where domain is not null;
create index account_normalised_name_trgm_idx on account using gin (normalised_name gin_trgm_ops);
create index account_name_idx on account (name, account_id);
create index account_parent_idx on account (parent_account_id) where parent_account_id is not null;

create table account_ownership (
  account_ownership_id uuid primary key,
  account_id uuid not null references account on delete cascade,
  kind text not null check (kind in ('direct', 'channel', 'shared')),
  partner_id uuid references partner on delete restrict,
  owner_user_id uuid references app_user on delete set null,
  starts_on date not null,
  ends_on date,
  created_at timestamptz not null default now(),
  check (ends_on is null or ends_on > starts_on),
  -- a direct account has no partner; channel and shared ones always name one
  check ((kind = 'direct') = (partner_id is null)),
  constraint account_ownership_no_overlap exclude using gist (
    account_id with =,
    daterange(starts_on, ends_on, '[)') with &&
  )
);
create index account_ownership_account_idx on account_ownership (account_id, starts_on desc);
create index account_ownership_partner_idx on account_ownership (partner_id) where partner_id is not null;
create unique index account_ownership_open_key on account_ownership (account_id) where ends_on is null;

-- Accounts are the vendor's data: partners see none until registrations give them visibility.
alter table account enable row level security;
alter table account force row level security;
create policy account_scope on account
  using (realign_scope() in ('system', 'internal'))
  with check (realign_scope() in ('system', 'internal'));

-- realign_sees_partner already admits system and internal scopes, and a partner only its own rows.
alter table account_ownership enable row level security;
alter table account_ownership force row level security;
create policy account_ownership_scope on account_ownership
  using (realign_sees_partner(partner_id))
  with check (realign_sees_partner(partner_id));

-- The default privileges from 0001 cover these tables when the same role migrates; said again
-- explicitly so a different migrating role cannot leave the app role without access.
grant select, insert, update, delete on account, account_ownership to realign_app;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists account_ownership; drop table if exists account`.execute(db);
}
