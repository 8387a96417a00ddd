import { sql, type Kysely } from 'kysely';

/**
 * Scorecards at scale: computed results kept for paging, and paged reads of snapshots.
 *
 * - `scorecard_result` / `scorecard_result_row`: one live computation of a scorecard for a period
 *   and roll-up level (50k subjects x 12 metrics x 12 periods is one statement and seconds of work),
 *   kept so the board pages, filters and searches through it instead of computing again or sending
 *   every subject at once. A cache, not a record: UNLOGGED (no WAL; emptied after a crash, when the
 *   next read computes again), old computations deleted as new ones arrive. Figures are compact
 *   arrays per subject (one value per metric; the trend one per period and metric) in one json
 *   column; rank, score, status, name and parent are columns to sort, filter and search on. Internal only (RLS), like live scorecards.
 * - `scorecard_snapshot_row_page_idx`: a published snapshot's page is one index range read in rank
 *   order (rank, then label), never a sort of all its rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create unlogged table scorecard_result (
  scorecard_result_id uuid primary key,
  scorecard_id uuid not null,
  definition_updated_at timestamptz not null,
  level text not null check (level in ('seller', 'manager', 'team', 'unit', 'partner', 'programme')),
  period_start date not null,
  header jsonb not null check (jsonb_typeof(header) = 'object'),
  subject_count integer not null,
  computed_at timestamptz not null
);
create index scorecard_result_lookup_idx on scorecard_result (scorecard_id, level, period_start, computed_at desc);

create unlogged table scorecard_result_row (
  scorecard_result_id uuid not null,
  subject_id text not null,
  label text not null,
  parent_id text,
  partner_id uuid,
  rank integer,
  score double precision,
  status text not null check (status in ('green', 'amber', 'red', 'no_data')),
  -- The figures as compact arrays (cellValues, cellScores, cellStatuses, cellNumerators,
  -- cellDenominators, cellRows, trendScores, trendValues): json, not jsonb, so writing 50k of them
  -- is a syntax check, not a conversion; only a page of them is ever parsed.
  figures json not null
);
create index scorecard_result_row_page_idx on scorecard_result_row (scorecard_result_id, rank, label);

create index scorecard_snapshot_row_page_idx on scorecard_snapshot_row (scorecard_snapshot_id, rank, label);

alter table scorecard_result enable row level security;
alter table scorecard_result force row level security;
create policy scorecard_result_internal on scorecard_result
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
alter table scorecard_result_row enable row level security;
alter table scorecard_result_row force row level security;
create policy scorecard_result_row_internal on scorecard_result_row
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update, delete on scorecard_result, scorecard_result_row to realign_app;
`,
    )
    .execute(db);
}
