import { sql, type Kysely } from 'kysely';

/**
 * Scorecards: per-subject targets and derived activity types (issue 6, items 1 and 3).
 *
 * - `scorecard_target`: a target and red flag for one metric row of one scorecard, set for one
 *   subject (a seller's own target, a team's, a partner's) or for every partner of a tier
 *   (`partner_tier`). It overrides the scorecard definition's default for that subject; a subject's
 *   own row wins over its tier's. Internal only (RLS), like the rest of the live scorecards.
 * - Two activity types that a job derives from other areas (source `derived`, keyed by the source
 *   row): partner deals won outside maintenance renewals, partner re-activation tasks done.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
-- activity_type is under forced row-level security: a migrating owner that is not a superuser (a
-- managed PostgreSQL) writes as the system scope, for this transaction only.
select set_config('realign.scope', 'system', true);
insert into activity_type (key, name, description) values
  ('partner_deal_non_renewal', 'Partner deal won outside renewals', 'Derived: a won opportunity with a partner whose scenario is not a maintenance renewal'),
  ('partner_reactivation_done', 'Partner re-activation done', 'Derived: a re-activation task for a quiet partner, closed as done')
on conflict (key) do nothing;

create table scorecard_target (
  scorecard_target_id uuid primary key,
  scorecard_id uuid not null references scorecard on delete cascade,
  metric text not null check (metric ~ '^[a-z][a-z0-9_]{1,59}$'),
  subject_kind text not null check (subject_kind in ('seller', 'manager', 'team', 'unit', 'partner', 'partner_tier', 'programme')),
  subject_id text not null check (length(subject_id) between 1 and 120),
  target double precision not null,
  red_flag double precision not null,
  note text not null default '' check (length(note) <= 500),
  updated_by text not null,
  updated_by_user_id uuid references app_user on delete set null,
  updated_at timestamptz not null default now(),
  check (target <> red_flag),
  unique (scorecard_id, metric, subject_kind, subject_id)
);
create index scorecard_target_lookup_idx on scorecard_target (scorecard_id, subject_kind);

alter table scorecard_target enable row level security;
alter table scorecard_target force row level security;
create policy scorecard_target_internal on scorecard_target
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update, delete on scorecard_target to realign_app;
`,
    )
    .execute(db);
}
