import { sql, type Kysely } from 'kysely';

/**
 * Scorecards, the data foundation: the opportunity store (the pipeline the scorecards measure),
 * the activity type list and logged activities (accountabilities), and stored metric definitions
 * (the metric library; the built-in definitions live in common/scorecards/builtin-metrics.ts).
 *
 * - An opportunity is credited to one seller, a comp_participant (sellers need no login). It comes
 *   from a source system: (source, external_id) is unique, so a re-import updates instead of adding.
 * - An activity comes from manual entry, a CSV import or another area (derived); an external ref
 *   (unique per source) makes imports idempotent.
 * - Row-level security: internal only for now. Partner users see no opportunity, activity or metric
 *   definition, not even partner-linked ones (a partner's own scorecard comes with publication).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table opportunity (
  opportunity_id uuid primary key,
  source text not null check (source ~ '^[a-z][a-z0-9_-]{0,39}$'),
  external_id text not null check (length(external_id) between 1 and 120),
  seller_participant_id uuid not null references comp_participant on delete restrict,
  account_name text check (length(account_name) between 1 and 300),
  account_id uuid references account on delete set null,
  product text check (length(product) between 1 and 200),
  stage text not null check (stage in ('prospecting', 'engaging', 'won', 'lost')),
  engage_on date,
  close_on date,
  value_minor bigint check (value_minor >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  partner_id uuid references partner on delete restrict,
  deal_registration_id uuid references deal_registration on delete set null,
  scenario text check (length(scenario) between 1 and 60),
  forecast_category text check (forecast_category in ('pipeline', 'best_case', 'commit', 'closed', 'omitted')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (source, external_id),
  -- A decided deal has its close date and its value (0 for a lost one).
  check (stage not in ('won', 'lost') or (close_on is not null and value_minor is not null))
);
create index opportunity_seller_close_idx on opportunity (seller_participant_id, close_on);
create index opportunity_close_idx on opportunity (close_on) where close_on is not null;
create index opportunity_engage_idx on opportunity (engage_on) where engage_on is not null;
create index opportunity_partner_idx on opportunity (partner_id) where partner_id is not null;

-- The activity type list is data: administrators add kinds without a release.
create table activity_type (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{1,59}$'),
  name text not null check (length(name) between 1 and 120),
  description text not null default '' check (length(description) <= 2000),
  active boolean not null default true,
  created_at timestamptz not null default now()
);
insert into activity_type (key, name, description) values
  ('joint_partner_call', 'Joint partner call', 'A customer call held together with a partner'),
  ('enablement_session', 'Enablement session', 'Training or enablement delivered to a partner'),
  ('business_review', 'Partner business review', 'A business review (QBR) with a partner'),
  ('partner_plan_review', 'Joint plan review', 'A review of a joint business or account plan with a partner'),
  ('registration_follow_up', 'Registration follow-up', 'Follow-up of a partner deal registration with the partner'),
  ('co_marketing_event', 'Co-marketing event', 'A marketing event run with a partner');

create table activity (
  activity_id uuid primary key,
  kind text not null references activity_type (key) on delete restrict,
  participant_id uuid references comp_participant on delete restrict,
  partner_id uuid references partner on delete restrict,
  occurred_on date not null,
  quantity integer not null default 1 check (quantity between 1 and 10000),
  note text not null default '' check (length(note) <= 2000),
  source text not null check (source in ('manual', 'csv', 'derived')),
  external_ref text check (length(external_ref) between 1 and 200),
  logged_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  check (participant_id is not null or partner_id is not null)
);
create unique index activity_source_ref_key on activity (source, external_ref) where external_ref is not null;
create index activity_participant_idx on activity (participant_id, occurred_on);
create index activity_partner_idx on activity (partner_id, occurred_on) where partner_id is not null;
create index activity_occurred_idx on activity (occurred_on);

create table metric_definition (
  metric_definition_id uuid primary key,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{1,59}$'),
  name text not null check (length(name) between 1 and 120),
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

alter table opportunity enable row level security;
alter table opportunity force row level security;
create policy opportunity_internal on opportunity
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table activity_type enable row level security;
alter table activity_type force row level security;
create policy activity_type_internal on activity_type
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table activity enable row level security;
alter table activity force row level security;
create policy activity_internal on activity
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table metric_definition enable row level security;
alter table metric_definition force row level security;
create policy metric_definition_internal on metric_definition
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update, delete on opportunity, activity_type, activity, metric_definition to realign_app;
`,
    )
    .execute(db);
}
