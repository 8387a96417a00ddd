import { sql, type Kysely } from 'kysely';

/**
 * The rollout of a published plan version to its participants: one rollout per published version
 * (the clock: started, deadline, reminder cadence, escalation threshold) and one recipient row per
 * participant it goes to (sent -> opened -> acknowledged, or disputed with a comment and sent again
 * once resolved). Internal pay: the partner scope sees no row of either table.
 *
 * - Overdue is not stored: it is "not acknowledged and past the recipient's due date" (the
 *   rollout's deadline, or a later one for a participant who joined after the start).
 * - A newer published version supersedes the rollout of the one before it: no more reminders.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table comp_plan_rollout (
  comp_plan_rollout_id uuid primary key,
  comp_plan_version_id uuid not null unique references comp_plan_version on delete restrict,
  comp_plan_id uuid not null references comp_plan on delete restrict,
  status text not null default 'running' check (status in ('running', 'superseded')),
  started_at timestamptz not null,
  started_on date not null,
  started_by_user_id uuid references app_user on delete set null,
  deadline_on date not null,
  reminder_every_days integer not null default 7 check (reminder_every_days between 1 and 60),
  escalate_after_reminders integer not null default 3 check (escalate_after_reminders between 1 and 20),
  superseded_at timestamptz,
  updated_at timestamptz not null default now(),
  check (deadline_on > started_on),
  check ((status = 'superseded') = (superseded_at is not null))
);
create unique index comp_plan_rollout_one_running on comp_plan_rollout (comp_plan_id) where status = 'running';

create table comp_rollout_recipient (
  comp_rollout_recipient_id uuid primary key,
  comp_plan_rollout_id uuid not null references comp_plan_rollout on delete cascade,
  comp_participant_id uuid not null references comp_participant on delete cascade,
  status text not null default 'sent' check (status in ('sent', 'opened', 'acknowledged', 'disputed')),
  -- Added after the rollout started (a new joiner): due a rollout's length after joining.
  joined_late boolean not null default false,
  due_on date,
  sent_at timestamptz not null,
  notified_at timestamptz,
  opened_at timestamptz,
  acknowledged_at timestamptz,
  disputed_at timestamptz,
  dispute_comment text check (length(dispute_comment) between 1 and 4000),
  disputes integer not null default 0 check (disputes >= 0),
  resolved_at timestamptz,
  resolved_by_user_id uuid references app_user on delete set null,
  resolution_comment text check (length(resolution_comment) between 1 and 4000),
  reminders_sent integer not null default 0 check (reminders_sent >= 0),
  last_reminded_at timestamptz,
  escalated_at timestamptz,
  escalated_to_user_id uuid references app_user on delete set null,
  updated_at timestamptz not null default now(),
  unique (comp_plan_rollout_id, comp_participant_id),
  check ((status = 'acknowledged') = (acknowledged_at is not null)),
  check (status <> 'disputed' or dispute_comment is not null)
);
create index comp_rollout_recipient_status_idx on comp_rollout_recipient (comp_plan_rollout_id, status);
create index comp_rollout_recipient_participant_idx on comp_rollout_recipient (comp_participant_id);

alter table comp_plan_rollout enable row level security;
alter table comp_plan_rollout force row level security;
create policy comp_plan_rollout_internal on comp_plan_rollout
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table comp_rollout_recipient enable row level security;
alter table comp_rollout_recipient force row level security;
create policy comp_rollout_recipient_internal on comp_rollout_recipient
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update on comp_plan_rollout, comp_rollout_recipient to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the comp-rollout migration cannot be reverted; restore a backup instead');
}
