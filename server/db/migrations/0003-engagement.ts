import { sql, type Kysely } from 'kysely';

/**
 * Engagement: the scenario taxonomy, the versioned rules of the road, deal registrations with their
 * history and conflicts, vendor-pushed offers (the deal inbox), and the partner directory fields
 * behind re-engagement. Partners see their own registrations and offers; conflicts are internal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table scenario (
  scenario_id uuid primary key,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{0,59}$'),
  name text not null check (length(name) between 1 and 120),
  description text not null default '' check (length(description) <= 2000),
  is_renewal boolean not null default false,
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
insert into scenario (scenario_id, key, name, description, is_renewal, sort_order) values
  (gen_random_uuid(), 'maintenance_renewal', 'Maintenance renewal', 'Renewal of an existing support or maintenance contract.', true, 10),
  (gen_random_uuid(), 'new_support_contract', 'New support contract', 'A support contract for equipment or software not yet covered.', false, 20),
  (gen_random_uuid(), 'consulting', 'Consulting', 'Advisory, design or assessment services.', false, 30),
  (gen_random_uuid(), 'upgrade', 'Upgrade', 'Upgrading installed products to a newer generation or version.', false, 40),
  (gen_random_uuid(), 'migration', 'Migration', 'Moving workloads or data to new platforms.', false, 50),
  (gen_random_uuid(), 'managed_service', 'Managed service', 'Operating the customer''s environment as an ongoing service.', false, 60);

create table rule_set_version (
  rule_set_version_id uuid primary key,
  version integer not null unique check (version > 0),
  status text not null default 'draft' check (status in ('draft', 'published', 'retired')),
  title text not null check (length(title) between 1 and 200),
  release_notes text not null default '' check (length(release_notes) <= 10000),
  rules jsonb not null,
  acknowledge_by date,
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  published_by_user_id uuid references app_user on delete set null,
  retired_at timestamptz,
  check ((status = 'draft') = (published_at is null))
);
-- At most one version is in force.
create unique index rule_set_version_one_published on rule_set_version ((true)) where status = 'published';

create table rule_acknowledgement (
  rule_set_version_id uuid not null references rule_set_version on delete cascade,
  app_user_id uuid not null references app_user on delete cascade,
  partner_id uuid references partner on delete cascade,
  acknowledged_at timestamptz not null,
  primary key (rule_set_version_id, app_user_id)
);
create index rule_acknowledgement_partner_idx on rule_acknowledgement (partner_id) where partner_id is not null;

create sequence deal_registration_reference_seq;

create table deal_registration (
  deal_registration_id uuid primary key,
  reference text not null unique,
  partner_id uuid not null references partner on delete restrict,
  submitted_by_user_id uuid references app_user on delete set null,
  client_reference text check (length(client_reference) between 1 and 200),
  status text not null check (status in ('draft', 'submitted', 'under_review', 'more_info_requested', 'approved', 'rejected', 'expired', 'won', 'lost')),
  source text not null default 'partner' check (source in ('partner', 'vendor_offer', 'bulk_upload')),
  scenario_id uuid not null references scenario on delete restrict,
  product_line text check (length(product_line) between 1 and 120),
  region text check (length(region) between 1 and 120),
  end_customer_name text not null check (length(end_customer_name) between 1 and 300),
  end_customer_normalised_name text not null check (length(end_customer_normalised_name) <= 300),
  end_customer_domain text check (end_customer_domain = lower(end_customer_domain) and length(end_customer_domain) between 1 and 253),
  end_customer_country char(2) check (end_customer_country ~ '^[A-Z]{2}$'),
  end_customer_tax_id text check (length(end_customer_tax_id) between 1 and 60),
  account_id uuid references account on delete set null,
  value_minor bigint not null check (value_minor >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  expected_close_on date,
  description text check (length(description) <= 4000),
  rule_set_version_id uuid references rule_set_version on delete restrict,
  route_id text,
  owning_unit text,
  reviewer_user_id uuid references app_user on delete set null,
  escalation_user_id uuid references app_user on delete set null,
  submitted_at timestamptz,
  sla_due_at timestamptz,
  sla_breached_at timestamptz,
  first_response_at timestamptz,
  decided_at timestamptz,
  decision_reason text check (length(decision_reason) <= 2000),
  protection_ends_on date,
  extension_count integer not null default 0 check (extension_count >= 0),
  in_conflict boolean not null default false,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'approved' or protection_ends_on is not null),
  check (status = 'draft' or submitted_at is not null)
);
create unique index deal_registration_client_reference_key on deal_registration (partner_id, client_reference) where client_reference is not null;
create index deal_registration_partner_idx on deal_registration (partner_id, created_at desc);
create index deal_registration_status_idx on deal_registration (status, sla_due_at);
create index deal_registration_reviewer_idx on deal_registration (reviewer_user_id, status);
create index deal_registration_scenario_idx on deal_registration (scenario_id, submitted_at);
create index deal_registration_domain_idx on deal_registration (end_customer_domain) where end_customer_domain is not null;
create index deal_registration_tax_id_idx on deal_registration (end_customer_tax_id) where end_customer_tax_id is not null;
create index deal_registration_name_trgm_idx on deal_registration using gin (end_customer_normalised_name gin_trgm_ops);
create index deal_registration_account_idx on deal_registration (account_id) where account_id is not null;

create table registration_event (
  registration_event_id uuid primary key,
  deal_registration_id uuid not null references deal_registration on delete cascade,
  partner_id uuid not null references partner on delete cascade,
  at timestamptz not null,
  actor_user_id uuid references app_user on delete set null,
  actor_label text not null,
  kind text not null check (kind in ('created', 'submitted', 'status_changed', 'comment', 'info_requested', 'info_provided',
    'extension_requested', 'extension_granted', 'extension_denied', 'sla_breached', 'conflict_detected', 'conflict_resolved',
    'assigned', 'expired')),
  from_status text,
  to_status text,
  note text check (length(note) <= 4000),
  -- Events a partner must never see (conflict details name the other side).
  internal_only boolean not null default false
);
create index registration_event_registration_idx on registration_event (deal_registration_id, at);

create table registration_conflict (
  registration_conflict_id uuid primary key,
  deal_registration_id uuid not null references deal_registration on delete cascade,
  other_registration_id uuid references deal_registration on delete cascade,
  account_id uuid references account on delete cascade,
  kind text not null check (kind in ('partner_vs_partner', 'partner_vs_direct')),
  match_reason text not null check (match_reason in ('domain', 'tax_id', 'name', 'account')),
  similarity real,
  status text not null default 'open' check (status in ('open', 'resolved')),
  resolution text check (resolution in ('award_new', 'award_existing', 'share', 'reject_new', 'dismissed')),
  resolution_note text check (length(resolution_note) <= 4000),
  resolved_by_user_id uuid references app_user on delete set null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'resolved') = (resolution is not null)),
  check ((kind = 'partner_vs_partner') = (other_registration_id is not null))
);
create index registration_conflict_registration_idx on registration_conflict (deal_registration_id);
create index registration_conflict_open_idx on registration_conflict (created_at) where status = 'open';

create table deal_offer (
  deal_offer_id uuid primary key,
  partner_id uuid not null references partner on delete cascade,
  offered_by_user_id uuid references app_user on delete set null,
  scenario_id uuid not null references scenario on delete restrict,
  end_customer_name text not null check (length(end_customer_name) between 1 and 300),
  end_customer_domain text check (end_customer_domain = lower(end_customer_domain) and length(end_customer_domain) between 1 and 253),
  end_customer_country char(2) check (end_customer_country ~ '^[A-Z]{2}$'),
  account_id uuid references account on delete set null,
  value_minor bigint not null check (value_minor >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  expected_close_on date,
  description text check (length(description) <= 4000),
  status text not null default 'offered' check (status in ('offered', 'accepted', 'declined', 'withdrawn', 'expired')),
  respond_by date not null,
  responded_at timestamptz,
  response_note text check (length(response_note) <= 2000),
  deal_registration_id uuid references deal_registration on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index deal_offer_partner_idx on deal_offer (partner_id, status);

-- Partner directory: where a partner works, what it is good at, who looks after it. When it last
-- engaged is derived from its registrations, offers and sign-ins, never stored twice.
alter table partner
  add column regions text[] not null default '{}',
  add column specialisations text[] not null default '{}',
  add column channel_manager_user_id uuid references app_user on delete set null;

create table partner_reactivation_task (
  partner_reactivation_task_id uuid primary key,
  partner_id uuid not null references partner on delete cascade,
  assigned_to_user_id uuid references app_user on delete set null,
  status text not null default 'open' check (status in ('open', 'done', 'dismissed')),
  reason text not null check (length(reason) between 1 and 1000),
  outcome text check (length(outcome) <= 2000),
  quiet_since timestamptz,
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
-- One open re-activation task per partner at a time.
create unique index partner_reactivation_task_open_key on partner_reactivation_task (partner_id) where status = 'open';

-- Row-level security.
alter table scenario enable row level security;
alter table scenario force row level security;
create policy scenario_read on scenario for select using (realign_scope() in ('system', 'internal', 'partner'));
create policy scenario_write on scenario for all using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table rule_set_version enable row level security;
alter table rule_set_version force row level security;
-- Partners read the rules in force and those before them, never drafts.
create policy rule_set_version_read on rule_set_version for select
  using (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and status <> 'draft'));
create policy rule_set_version_write on rule_set_version for all
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table rule_acknowledgement enable row level security;
alter table rule_acknowledgement force row level security;
create policy rule_acknowledgement_scope on rule_acknowledgement
  using (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and partner_id = realign_partner_id()))
  with check (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and partner_id = realign_partner_id() and app_user_id = realign_user_id()));

alter table deal_registration enable row level security;
alter table deal_registration force row level security;
create policy deal_registration_scope on deal_registration using (realign_sees_partner(partner_id)) with check (realign_sees_partner(partner_id));

alter table registration_event enable row level security;
alter table registration_event force row level security;
create policy registration_event_read on registration_event for select
  using (realign_scope() in ('system', 'internal') or (realign_scope() = 'partner' and partner_id = realign_partner_id() and not internal_only));
create policy registration_event_insert on registration_event for insert with check (realign_sees_partner(partner_id));

alter table registration_conflict enable row level security;
alter table registration_conflict force row level security;
create policy registration_conflict_internal on registration_conflict
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table deal_offer enable row level security;
alter table deal_offer force row level security;
create policy deal_offer_scope on deal_offer using (realign_sees_partner(partner_id)) with check (realign_sees_partner(partner_id));

alter table partner_reactivation_task enable row level security;
alter table partner_reactivation_task force row level security;
create policy partner_reactivation_task_internal on partner_reactivation_task
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update, delete on scenario, rule_set_version, rule_acknowledgement, deal_registration, registration_event,
  registration_conflict, deal_offer, partner_reactivation_task to realign_app;
-- The event history is append-only for the app.
revoke update, delete on registration_event from realign_app;
grant usage, select on sequence deal_registration_reference_seq to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the engagement migration cannot be reverted; restore a backup instead');
}
