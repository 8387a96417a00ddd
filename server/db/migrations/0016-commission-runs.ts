import { sql, type Kysely } from 'kysely';

/**
 * Commissions, part two: dated exchange rates and period runs. Internal pay: the partner scope sees
 * no row of any of these tables.
 *
 * - fx_rate: a rate from one currency to another, valid from valid_on until the next rate of the pair.
 *   Exact: numerator / denominator (bigint) — "1.0825" is 10825 / 10000 — with the decimal text as
 *   given kept for statements. A transaction recognised on D is converted at the pair's latest rate
 *   with valid_on <= D; none is a run error naming the currency and date.
 * - comp_divide_rounded(n, d, mode): n / d rounded once with a plan rounding mode (common/money.ts
 *   divideRounded, d > 0), in exact numeric arithmetic, so the SQL crediting of a period run rounds
 *   exactly as common/comp/crediting.ts does.
 * - commission_run: one period run (a durable job), its progress, the plan versions it used and the
 *   sha256 of its canonical result.
 * - commission_result: one participant's payout period in a run: the engine's input buckets and its
 *   payout lines (jsonb), totals and attainment. participant_id leads the key (Citus distribution).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table fx_rate (
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  to_currency char(3) not null check (to_currency ~ '^[A-Z]{3}$'),
  valid_on date not null,
  numerator bigint not null check (numerator > 0),
  denominator bigint not null check (denominator > 0),
  rate text not null check (rate ~ '^[0-9]{1,12}(\.[0-9]{1,12})?$'),
  created_at timestamptz not null default now(),
  primary key (currency, to_currency, valid_on),
  check (currency <> to_currency)
);

create function comp_divide_rounded(n numeric, d numeric, mode text) returns numeric
language sql immutable strict parallel safe as $$
  select case
    when mod(n, d) = 0 or mode = 'down' then div(n, d)
    when mode = 'up' then div(n, d) + sign(n)
    when mode = 'half_up' then div(n, d) + case when abs(mod(n, d)) * 2 >= d then sign(n) else 0 end
    when abs(mod(n, d)) * 2 > d then div(n, d) + sign(n)
    when abs(mod(n, d)) * 2 < d then div(n, d)
    when mod(div(n, d), 2) = 0 then div(n, d)
    else div(n, d) + sign(n)
  end
$$;

create table commission_run (
  commission_run_id uuid primary key,
  period_start date not null,
  period_end date not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  progress_done integer not null default 0 check (progress_done >= 0),
  progress_total integer not null default 0 check (progress_total >= 0),
  -- [{versionId, planId, planKey, version, currency, partnerCredit}] sorted by version id.
  plan_versions jsonb not null default '[]' check (jsonb_typeof(plan_versions) = 'array'),
  result_count integer check (result_count >= 0),
  result_hash text check (result_hash ~ '^[0-9a-f]{64}$'),
  error text check (length(error) <= 2000),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  check (period_end > period_start),
  check ((status in ('completed', 'failed')) = (finished_at is not null)),
  check ((status = 'completed') = (result_hash is not null))
);
create index commission_run_created_idx on commission_run (created_at desc);

create table commission_result (
  participant_id uuid not null references comp_participant on delete restrict,
  commission_run_id uuid not null references commission_run on delete cascade,
  period_start date not null,
  period_end date not null,
  comp_plan_version_id uuid not null references comp_plan_version on delete restrict,
  currency char(3) not null,
  quota_minor bigint,
  quota_credit_minor bigint not null,
  attainment_bps integer not null,
  ytd_attainment_bps integer not null,
  total_minor bigint not null,
  buckets jsonb not null check (jsonb_typeof(buckets) = 'array'),
  lines jsonb not null check (jsonb_typeof(lines) = 'array'),
  primary key (participant_id, commission_run_id, period_start),
  check (period_end > period_start)
);
create index commission_result_run_idx on commission_result (commission_run_id, participant_id);

alter table fx_rate enable row level security;
alter table fx_rate force row level security;
create policy fx_rate_internal on fx_rate
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table commission_run enable row level security;
alter table commission_run force row level security;
create policy commission_run_internal on commission_run
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table commission_result enable row level security;
alter table commission_result force row level security;
create policy commission_result_internal on commission_result
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update on fx_rate to realign_app;
grant select, insert, update on commission_run to realign_app;
grant select, insert, delete on commission_result to realign_app;
grant execute on function comp_divide_rounded(numeric, numeric, text) to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the commission runs migration cannot be reverted; restore a backup instead');
}
