import { sql, type Kysely } from 'kysely';

/**
 * Large scorecard computations leave the API process (issue 6).
 *
 * `scorecard_computation`: one request to compute a scorecard for a period and level, run by the
 * worker as a durable job (scorecards.compute) when the scorecard is large (or when asked): the live
 * figures (`kind = 'result'`: the computation a page then reads) or a snapshot (`kind = 'snapshot'`:
 * taken, and published when asked). The row is what a reader polls: status, stage, when it started,
 * and what it made (result or snapshot id, subject count) or why it failed. At most one live
 * computation of a scorecard, level and period is queued or running at a time (the partial unique
 * index), however many readers ask for it. Internal and system scopes only, like the results.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
select set_config('realign.scope', 'system', true);

create table scorecard_computation (
  scorecard_computation_id uuid primary key,
  scorecard_id uuid not null references scorecard (scorecard_id) on delete cascade,
  kind text not null check (kind in ('result', 'snapshot')),
  level text not null check (level in ('seller', 'manager', 'team', 'unit', 'partner', 'programme')),
  period_day date not null,
  period_start date not null,
  -- A snapshot's request: audiences and whether to publish it.
  request jsonb not null default '{}'::jsonb check (jsonb_typeof(request) = 'object'),
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  stage text check (stage in ('computing', 'freezing', 'publishing')),
  estimated_subjects integer not null,
  subject_count integer,
  result_id uuid,
  snapshot_id uuid,
  error text,
  requested_by text not null,
  requested_by_user_id uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create unique index scorecard_computation_in_flight_idx on scorecard_computation (scorecard_id, level, period_start)
  where kind = 'result' and status in ('queued', 'running');
create index scorecard_computation_latest_idx on scorecard_computation (scorecard_id, level, created_at desc);

alter table scorecard_computation enable row level security;
alter table scorecard_computation force row level security;
create policy scorecard_computation_internal on scorecard_computation
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
grant select, insert, update, delete on scorecard_computation to realign_app;
`,
    )
    .execute(db);
}
