import { sql, type Kysely } from 'kysely';

/**
 * Plan simulations against the transaction store, kept so they can be reopened. A row is written
 * once (insert only): the plan versions, the period and the whole result as the API returned it.
 * Internal pay: the partner scope sees no row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table comp_simulation (
  comp_simulation_id uuid primary key,
  period_label text not null check (length(period_label) between 4 and 7),
  period_start date not null,
  period_end date not null check (period_end > period_start),
  baseline_version_id uuid not null references comp_plan_version on delete restrict,
  -- [uuid, ...] in the order the candidates were given.
  candidate_version_ids jsonb not null default '[]' check (jsonb_typeof(candidate_version_ids) = 'array'),
  participant_filter jsonb check (participant_filter is null or jsonb_typeof(participant_filter) = 'array'),
  transaction_count integer not null check (transaction_count >= 0),
  participant_count integer not null check (participant_count >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  -- The API's simulation result (common/api/comp-simulation.ts) as returned when it ran.
  result jsonb not null check (jsonb_typeof(result) = 'object'),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now()
);
create index comp_simulation_created_idx on comp_simulation (created_at desc);

alter table comp_simulation enable row level security;
alter table comp_simulation force row level security;
create policy comp_simulation_internal on comp_simulation
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert on comp_simulation to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the comp simulation migration cannot be reverted; restore a backup instead');
}
