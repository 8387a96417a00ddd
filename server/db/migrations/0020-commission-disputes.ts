import { sql, type Kysely } from 'kysely';

/**
 * Commissions, part four: disputes. One case can hold both sides of a pay question:
 *
 * - commission_dispute: the case itself and its partner side. Partner users read a case when its
 *   partner side is theirs (partner_id: the partner of the linked registration, or the partner whose
 *   user opened it), through the same realign_sees_partner() policy as registrations. Nothing about
 *   internal pay lives in this table: the partner side (subject, statement, evidence links, the
 *   registration), the status, the assignee and the resolution note that is written for both sides.
 * - commission_dispute_claim: the seller side (participant, statement line or deal, the seller's
 *   question, the amount claimed). Internal pay: the partner scope sees no row of it.
 * - commission_dispute_event: the case's history, append-only (trigger, and no update/delete grant).
 *   Internal-only events (the seller's opening, internal comments, the booked adjustment) are never
 *   readable in the partner scope; only internal-only events may carry a detail document, so a
 *   partner-readable event cannot carry amounts.
 * - commission_adjustment gains commission_dispute_id: an adjustment is either a restatement's
 *   difference (source period and version) or a dispute's resolution (the dispute). The 0018 guard
 *   still books it only in an open period and refuses any change afterwards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create sequence commission_dispute_reference_seq;

create table commission_dispute (
  commission_dispute_id uuid primary key,
  reference text not null unique check (reference ~ '^DSP-[0-9]{6,}$'),
  status text not null default 'open' check (status in ('open', 'in_review', 'resolved', 'rejected', 'merged')),
  opened_by_user_id uuid references app_user on delete set null,
  opened_by_partner_id uuid references partner on delete restrict,
  partner_id uuid references partner on delete restrict,
  deal_registration_id uuid references deal_registration on delete restrict,
  partner_subject text check (length(partner_subject) between 1 and 200),
  partner_statement text check (length(partner_statement) <= 4000),
  evidence_links text[] not null default '{}' check (cardinality(evidence_links) <= 10),
  assignee_user_id uuid references app_user on delete set null,
  outcome text check (outcome in ('adjusted', 'no_change', 'rejected')),
  resolution_note text check (length(resolution_note) between 1 and 4000),
  decided_in_period_id uuid references commission_period on delete restrict,
  decided_by_user_id uuid references app_user on delete set null,
  decided_at timestamptz,
  merged_into_id uuid references commission_dispute on delete restrict,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((partner_id is null) = (deal_registration_id is null)),
  check ((partner_id is null) = (partner_subject is null)),
  check (opened_by_partner_id is null or opened_by_partner_id = partner_id),
  check ((status = 'merged') = (merged_into_id is not null)),
  check (merged_into_id is null or merged_into_id <> commission_dispute_id),
  check ((status in ('resolved', 'rejected')) = (outcome is not null)),
  check ((outcome = 'rejected') = (status = 'rejected')),
  check ((outcome is null) = (decided_at is null))
);
create index commission_dispute_partner_idx on commission_dispute (partner_id, created_at desc) where partner_id is not null;
create index commission_dispute_registration_idx on commission_dispute (deal_registration_id) where deal_registration_id is not null;
create index commission_dispute_assignee_idx on commission_dispute (assignee_user_id) where assignee_user_id is not null;
create index commission_dispute_status_idx on commission_dispute (status, created_at desc);

create table commission_dispute_claim (
  commission_dispute_id uuid primary key references commission_dispute on delete restrict,
  participant_id uuid not null references comp_participant on delete restrict,
  subject text not null check (length(subject) between 1 and 200),
  question text not null check (length(question) between 1 and 4000),
  commission_run_id uuid references commission_run on delete restrict,
  line_index integer check (line_index >= 0),
  line_period_start date,
  line_period_end date,
  line_component_key text,
  line_component_name text,
  line_amount_minor bigint,
  line_currency char(3),
  sales_transaction_id uuid,
  transaction_ref text,
  claimed_amount_minor bigint,
  claimed_currency char(3) check (claimed_currency ~ '^[A-Z]{3}$'),
  created_at timestamptz not null default now(),
  -- A claim names a statement line of a run, or a deal (a sales transaction credited to the participant).
  check ((commission_run_id is null) = (line_index is null)),
  check ((commission_run_id is not null) <> (sales_transaction_id is not null)),
  check ((commission_run_id is null) = (line_amount_minor is null)),
  check ((claimed_amount_minor is null) = (claimed_currency is null))
);
create index commission_dispute_claim_participant_idx on commission_dispute_claim (participant_id);

create table commission_dispute_event (
  commission_dispute_event_id uuid primary key,
  commission_dispute_id uuid not null references commission_dispute on delete restrict,
  seq bigint generated always as identity,
  at timestamptz not null,
  kind text not null check (kind in ('opened', 'assigned', 'commented', 'linked', 'merged', 'status_changed', 'resolved', 'rejected',
    'reopened', 'adjustment_booked')),
  actor_user_id uuid references app_user on delete set null,
  actor_partner_id uuid references partner on delete restrict,
  actor_label text not null check (length(actor_label) between 1 and 300),
  internal_only boolean not null,
  from_status text,
  to_status text,
  body text check (length(body) <= 4000),
  detail jsonb,
  check (detail is null or internal_only),
  check (kind <> 'adjustment_booked' or internal_only)
);
create index commission_dispute_event_dispute_idx on commission_dispute_event (commission_dispute_id, seq);

create function commission_dispute_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the history of a commission dispute cannot be changed or deleted' using errcode = 'check_violation';
end $$;
create trigger commission_dispute_event_append_only before update or delete on commission_dispute_event
  for each row execute function commission_dispute_event_append_only();
create trigger commission_dispute_event_no_truncate before truncate on commission_dispute_event
  for each statement execute function commission_dispute_event_append_only();

-- Adjustments: a restatement's difference or a dispute's resolution, never neither.
alter table commission_adjustment alter column source_period_id drop not null;
alter table commission_adjustment alter column source_version drop not null;
alter table commission_adjustment add column commission_dispute_id uuid references commission_dispute on delete restrict;
alter table commission_adjustment add constraint commission_adjustment_source_check
  check ((source_period_id is null) = (source_version is null)
     and ((source_period_id is not null) <> (commission_dispute_id is not null)));
create index commission_adjustment_dispute_idx on commission_adjustment (commission_dispute_id) where commission_dispute_id is not null;

alter table commission_dispute enable row level security;
alter table commission_dispute force row level security;
create policy commission_dispute_scope on commission_dispute
  using (realign_sees_partner(partner_id)) with check (realign_sees_partner(partner_id));

alter table commission_dispute_claim enable row level security;
alter table commission_dispute_claim force row level security;
create policy commission_dispute_claim_internal on commission_dispute_claim
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table commission_dispute_event enable row level security;
alter table commission_dispute_event force row level security;
create policy commission_dispute_event_read on commission_dispute_event for select
  using (realign_scope() in ('system', 'internal')
    or (realign_scope() = 'partner' and not internal_only and exists (
      select 1 from commission_dispute d
       where d.commission_dispute_id = commission_dispute_event.commission_dispute_id and d.partner_id = realign_partner_id())));
create policy commission_dispute_event_insert on commission_dispute_event for insert
  with check (realign_scope() in ('system', 'internal')
    or (realign_scope() = 'partner' and not internal_only and actor_partner_id = realign_partner_id() and exists (
      select 1 from commission_dispute d
       where d.commission_dispute_id = commission_dispute_event.commission_dispute_id and d.partner_id = realign_partner_id())));

grant select, insert, update on commission_dispute to realign_app;
grant select, insert, update on commission_dispute_claim to realign_app;
grant select, insert on commission_dispute_event to realign_app;
grant usage, select on sequence commission_dispute_reference_seq to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the commission disputes migration cannot be reverted; restore a backup instead');
}
