import type { BenchmarkView, ScorecardMetricColumn } from '../../../common/api/scorecard-results.ts';
import type { ScorecardAudience, ScorecardDefinition } from '../../../common/scorecards/scorecard.ts';
import { sql } from 'kysely';
import type { Trx } from '../../db/scope.ts';

/** Publication snapshots (SQL only). Published rows are frozen by the database (migration 0015). */

export type NewSnapshot = {
  id: string;
  scorecardId: string;
  definition: ScorecardDefinition;
  level: string;
  periodStart: string;
  periodEnd: string;
  trigger: 'on_demand' | 'schedule';
  audiences: readonly ScorecardAudience[];
  periods: readonly string[];
  metrics: readonly ScorecardMetricColumn[];
  benchmarks: { overall: BenchmarkView; metrics: BenchmarkView[] };
  /** The computation (scorecard_result) whose rows the snapshot freezes. */
  resultId: string;
  subjectCount: number;
  takenAt: Date;
  takenBy: string;
  takenByUserId: string | null;
};

/**
 * Inserts the header (a draft) and its rows, copied from the computation in one statement (the
 * cells and trend built as JSON by the database). With a schedule trigger, an existing snapshot of
 * the slot wins: false.
 */
export async function insertSnapshot(trx: Trx, s: NewSnapshot): Promise<boolean> {
  const inserted = await trx
    .insertInto('scorecardSnapshot')
    .values({
      scorecardSnapshotId: s.id,
      scorecardId: s.scorecardId,
      scorecardKey: s.definition.key,
      name: s.definition.name,
      subjectKind: s.definition.subjectKind,
      level: s.level,
      grain: s.definition.periodGrain,
      periodStart: s.periodStart,
      periodEnd: s.periodEnd,
      status: 'draft',
      trigger: s.trigger,
      audiences: JSON.stringify(s.audiences),
      definition: JSON.stringify(s.definition),
      periods: JSON.stringify(s.periods),
      metrics: JSON.stringify(s.metrics),
      benchmarks: JSON.stringify(s.benchmarks),
      statusCounts: sql<string>`(select coalesce(jsonb_object_agg(c.status, c.n), '{}'::jsonb) from (select status, count(*) as n from scorecard_result_row
        where scorecard_result_id = ${s.resultId}::uuid group by status) c)`,
      subjectCount: s.subjectCount,
      takenAt: s.takenAt,
      takenBy: s.takenBy,
      takenByUserId: s.takenByUserId,
      publishedAt: null,
      publishedBy: null,
    })
    // The partial index's predicate as text, not a parameter: PostgreSQL cannot infer the arbiter index
    // from a parameter once a prepared statement runs with a generic plan (the sixth run on a connection).
    .onConflict((oc) =>
      oc
        .columns(['scorecardId', 'level', 'periodStart'])
        .where(sql<boolean>`trigger = 'schedule'`)
        .doNothing(),
    )
    .returning('scorecardSnapshotId')
    .executeTakeFirst();
  if (!inserted) return false;
  const m = s.metrics.length;
  // position and subject_json (migration 0027): the rank order and the API's row, derived once here.
  await sql`insert into scorecard_snapshot_row (scorecard_snapshot_id, subject_id, label, parent_id, partner_id, rank, score, status, cells, trend,
      position, subject_json)
    select ${s.id}::uuid, b.subject_id, b.label, b.parent_id, b.partner_id, b.rank, b.score, b.status, b.cells, b.trend,
      row_number() over (order by b.rank nulls last, b.label, b.subject_id),
      json_build_object('subjectId', b.subject_id, 'label', b.label, 'parentId', b.parent_id, 'partnerId', b.partner_id, 'rank', b.rank,
        'score', b.score, 'status', b.status, 'cells', b.cells, 'trend', b.trend)::text
    from (select r.subject_id, r.label, r.parent_id, r.partner_id, r.rank, r.score, r.status,
      (select jsonb_agg(jsonb_build_object('value', u.v, 'score', u.s, 'status', u.st, 'numerator', u.n, 'denominator', u.d, 'rows', u.r) order by u.i)
        from rows from (jsonb_array_elements(f -> 'cellValues'), jsonb_array_elements(f -> 'cellScores'), jsonb_array_elements(f -> 'cellStatuses'),
          jsonb_array_elements(f -> 'cellNumerators'), jsonb_array_elements(f -> 'cellDenominators'), jsonb_array_elements(f -> 'cellRows'))
          with ordinality u(v, s, st, n, d, r, i)) as cells,
      (select jsonb_agg(jsonb_build_object('period', t.per, 'score', t.sc,
          'values', to_jsonb(x.tv[(t.i - 1) * ${m}::int + 1 : t.i * ${m}::int])) order by t.i)
        from rows from (unnest(${[...s.periods]}::text[]), jsonb_array_elements(f -> 'trendScores')) with ordinality t(per, sc, i)) as trend
    from scorecard_result_row r cross join lateral (select r.figures::jsonb as f,
      array(select e::float8 from json_array_elements_text(r.figures -> 'trendValues') e) as tv) x where r.scorecard_result_id = ${s.resultId}::uuid) b`.execute(
    trx,
  );
  return true;
}

export async function findSnapshot(trx: Trx, id: string) {
  return trx.selectFrom('scorecardSnapshot').selectAll().where('scorecardSnapshotId', '=', id).executeTakeFirst();
}
export type SnapshotRecord = NonNullable<Awaited<ReturnType<typeof findSnapshot>>>;

export async function listSnapshots(trx: Trx, q: { scorecard?: string | undefined; status?: 'draft' | 'published' | undefined; limit: number }) {
  let query = trx.selectFrom('scorecardSnapshot').selectAll();
  if (q.scorecard) query = query.where('scorecardKey', '=', q.scorecard);
  if (q.status) query = query.where('status', '=', q.status);
  return query.orderBy('takenAt', 'desc').orderBy('scorecardSnapshotId').limit(q.limit).execute();
}

/** The snapshot's rows; under the partner scope RLS leaves the partner's own visible row only. */
export async function snapshotRows(trx: Trx, id: string, partnerId: string | null) {
  let q = trx.selectFrom('scorecardSnapshotRow').selectAll().where('scorecardSnapshotId', '=', id);
  if (partnerId) q = q.where('partnerId', '=', partnerId);
  return q.orderBy('rank').orderBy('label').execute();
}

export type SnapshotRowFilter = { partnerId: string | null; status?: string | undefined; q?: string | undefined; parent?: string | undefined };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page of a snapshot's rows as the API's JSON (the rows' subject_json joined by commas), and
 * the number of rows matching the filters. Without filters the page is one range of
 * scorecard_snapshot_row_position_idx (50 rows read, whatever the offset) and the header knows the
 * total; a status filter's total is in the header too (status_counts); a name or parent filter is
 * counted.
 */
export async function snapshotPageJson(
  trx: Trx,
  s: { id: string; statusCounts: Readonly<Record<string, number>>; subjectCount: number },
  f: Omit<SnapshotRowFilter, 'partnerId'> & { limit: number; offset: number },
): Promise<{ json: string; total: number }> {
  if (f.status === undefined && f.q === undefined && f.parent === undefined) {
    const r = await sql<{ json: string | null }>`select string_agg(subject_json, ',' order by position) as json from scorecard_snapshot_row
      where scorecard_snapshot_id = ${s.id}::uuid and position > ${f.offset}::int and position <= ${f.offset + f.limit}::int`.execute(trx);
    return { json: r.rows[0]?.json ?? '', total: s.subjectCount };
  }
  const where = sql`scorecard_snapshot_id = ${s.id}::uuid
    and (${f.status ?? null}::text is null or status = ${f.status ?? null}::text)
    and (${f.parent ?? null}::text is null or parent_id = ${f.parent ?? null}::text)
    and (${f.q ?? null}::text is null or label ilike ${f.q === undefined ? null : `%${escapeLike(f.q)}%`}::text)`;
  const r = await sql<{ json: string | null }>`select string_agg(subject_json, ',' order by position) as json from (
      select subject_json, position from scorecard_snapshot_row where ${where} order by position limit ${f.limit}::int offset ${f.offset}::int) p`.execute(trx);
  const total =
    f.q === undefined && f.parent === undefined && f.status !== undefined
      ? (s.statusCounts[f.status] ?? 0)
      : Number((await sql<{ n: string }>`select count(*) as n from scorecard_snapshot_row where ${where}`.execute(trx)).rows[0]?.n ?? 0);
  return { json: r.rows[0]?.json ?? '', total };
}

/** A snapshot's header as a page read needs it: no definition, and the JSON the page shows as text (spliced into the response as is). */
export async function findSnapshotHeader(trx: Trx, id: string) {
  return trx
    .selectFrom('scorecardSnapshot')
    .select([
      'scorecardSnapshotId',
      'scorecardKey',
      'name',
      'subjectKind',
      'level',
      'grain',
      'periodStart',
      'periodEnd',
      'status',
      'trigger',
      'audiences',
      'partnerAudience',
      'statusCounts',
      'subjectCount',
      'takenAt',
      'takenBy',
      'publishedAt',
      'publishedBy',
    ])
    .select([sql<string>`periods::text`.as('periodsJson'), sql<string>`metrics::text`.as('metricsJson'), sql<string>`benchmarks::text`.as('benchmarksJson')])
    .where('scorecardSnapshotId', '=', id)
    .executeTakeFirst();
}

/** Publishing: rows first (while the header is still a draft the freeze lets them change), then the header. */
export async function publishSnapshot(trx: Trx, id: string, toPartners: boolean, at: Date, by: string): Promise<void> {
  if (toPartners)
    await trx
      .updateTable('scorecardSnapshotRow')
      .set({ partnerVisible: true })
      .where('scorecardSnapshotId', '=', id)
      .where('partnerId', 'is not', null)
      .execute();
  await trx.updateTable('scorecardSnapshot').set({ status: 'published', publishedAt: at, publishedBy: by }).where('scorecardSnapshotId', '=', id).execute();
}

export async function scheduledSnapshotExists(trx: Trx, scorecardId: string, level: string, periodStart: string): Promise<boolean> {
  const r = await trx
    .selectFrom('scorecardSnapshot')
    .select('scorecardSnapshotId')
    .where('scorecardId', '=', scorecardId)
    .where('level', '=', level)
    .where('periodStart', '=', periodStart)
    .where('trigger', '=', 'schedule')
    .executeTakeFirst();
  return r !== undefined;
}

export async function deleteSnapshot(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('scorecardSnapshot').where('scorecardSnapshotId', '=', id).execute();
}

/** The users a published snapshot reaches, for its notification (system scope: reads every user). */
export async function audienceUserIds(
  trx: Trx,
  snapshotId: string,
  audiences: readonly ScorecardAudience[],
): Promise<{ userId: string; partnerId: string | null }[]> {
  const out = new Map<string, string | null>();
  for (const a of audiences) {
    let q = trx.selectFrom('appUser').select(['appUserId', 'partnerId']).where('status', '=', 'active');
    if (a.kind === 'internal') q = q.where('partnerId', 'is', null);
    else if (a.kind === 'committee') q = q.where('partnerId', 'is', null).where(sql<boolean>`roles && ${[...a.roles]}::text[]`);
    else if (a.kind === 'team')
      q = q
        .where('partnerId', 'is', null)
        .where('appUserId', 'in', (eb) =>
          eb
            .selectFrom('compParticipant')
            .select('appUserId')
            .where('team', '=', a.team)
            .where('appUserId', 'is not', null)
            .$narrowType<{ appUserId: string }>(),
        );
    else
      q = q.where('partnerId', 'in', (eb) =>
        eb
          .selectFrom('scorecardSnapshotRow')
          .select('partnerId')
          .where('scorecardSnapshotId', '=', snapshotId)
          .where('partnerVisible', '=', true)
          .$narrowType<{ partnerId: string }>(),
      );
    for (const r of await q.execute()) out.set(r.appUserId, r.partnerId);
  }
  return [...out].map(([userId, partnerId]) => ({ userId, partnerId }));
}

// ---------------------------------------------------------------------------------------------
// Computations run by the worker (migration 0029)

export type ComputationRecord = {
  scorecardComputationId: string;
  scorecardId: string;
  scorecardKey: string;
  kind: 'result' | 'snapshot';
  level: string;
  periodDay: string;
  periodStart: string;
  request: { audiences?: ScorecardAudience[]; publish?: boolean };
  status: 'queued' | 'running' | 'completed' | 'failed';
  stage: 'computing' | 'freezing' | 'publishing' | null;
  estimatedSubjects: number;
  subjectCount: number | null;
  resultId: string | null;
  snapshotId: string | null;
  error: string | null;
  requestedBy: string;
  requestedByUserId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expectedMs: number | null;
};

const computationColumns = sql`c.scorecard_computation_id, c.scorecard_id, s.key as scorecard_key, c.kind, c.level, c.period_day::text as period_day,
  c.period_start::text as period_start, c.request, c.status, c.stage, c.estimated_subjects, c.subject_count, c.result_id, c.snapshot_id, c.error,
  c.requested_by, c.requested_by_user_id, c.created_at, c.started_at, c.finished_at,
  (select round(extract(epoch from (p.finished_at - p.started_at)) * 1000)::int from scorecard_computation p
    where p.scorecard_id = c.scorecard_id and p.level = c.level and p.status = 'completed' and p.kind = c.kind
    order by p.finished_at desc limit 1) as expected_ms`;

export async function findComputation(trx: Trx, id: string): Promise<ComputationRecord | undefined> {
  const r = await sql<ComputationRecord>`select ${computationColumns} from scorecard_computation c join scorecard s on s.scorecard_id = c.scorecard_id
    where c.scorecard_computation_id = ${id}::uuid`.execute(trx);
  return r.rows[0];
}

/** The live computation of a scorecard, level and period queued or running now, else the latest one asked for since `since`. */
export async function latestResultComputation(
  trx: Trx,
  k: { scorecardId: string; level: string; periodStart: string; since: Date },
): Promise<ComputationRecord | undefined> {
  const r = await sql<ComputationRecord>`select ${computationColumns} from scorecard_computation c join scorecard s on s.scorecard_id = c.scorecard_id
    where c.scorecard_id = ${k.scorecardId}::uuid and c.level = ${k.level} and c.period_start = ${k.periodStart}::date and c.kind = 'result'
      and (c.status in ('queued', 'running') or c.created_at >= ${k.since})
    order by (c.status in ('queued', 'running')) desc, c.created_at desc limit 1`.execute(trx);
  return r.rows[0];
}

/**
 * How many subjects a computation of the scorecard at this level will have, before computing it: the
 * last computation's or snapshot's count at this level, else the subjects of the kind there are.
 */
export async function estimateSubjects(trx: Trx, scorecardId: string, level: string): Promise<number> {
  const r = await sql<{ n: number | null }>`select coalesce(
      (select subject_count from scorecard_result where scorecard_id = ${scorecardId}::uuid and level = ${level} order by computed_at desc limit 1),
      (select subject_count from scorecard_snapshot where scorecard_id = ${scorecardId}::uuid and level = ${level} order by taken_at desc limit 1),
      case ${level}::text
        when 'seller' then (select count(*) from comp_participant)
        when 'manager' then (select count(distinct manager_participant_id) from comp_participant)
        when 'team' then (select count(distinct team) from comp_participant)
        when 'unit' then (select count(distinct unit) from comp_participant)
        when 'partner' then (select count(*) from partner)
        else 1 end)::int as n`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

/** A new computation (queued). A live one already queued or running for the same slot wins: null. */
export async function insertComputation(
  trx: Trx,
  c: {
    id: string;
    scorecardId: string;
    kind: 'result' | 'snapshot';
    level: string;
    periodDay: string;
    periodStart: string;
    request: object;
    estimatedSubjects: number;
    requestedBy: string;
    requestedByUserId: string | null;
    now: Date;
  },
): Promise<boolean> {
  const r = await sql<{ id: string }>`insert into scorecard_computation (scorecard_computation_id, scorecard_id, kind, level, period_day, period_start,
      request, estimated_subjects, requested_by, requested_by_user_id, created_at)
    values (${c.id}::uuid, ${c.scorecardId}::uuid, ${c.kind}, ${c.level}, ${c.periodDay}::date, ${c.periodStart}::date, ${JSON.stringify(c.request)}::jsonb,
      ${c.estimatedSubjects}, ${c.requestedBy}, ${c.requestedByUserId}::uuid, ${c.now})
    on conflict (scorecard_id, level, period_start) where kind = 'result' and status in ('queued', 'running') do nothing
    returning scorecard_computation_id as id`.execute(trx);
  return r.rows.length > 0;
}

export type ComputationChange = {
  status?: ComputationRecord['status'];
  stage?: ComputationRecord['stage'];
  subjectCount?: number;
  resultId?: string;
  snapshotId?: string;
  error?: string | null;
  startedAt?: Date;
  finishedAt?: Date;
};

export async function updateComputation(trx: Trx, id: string, c: ComputationChange): Promise<void> {
  const has = (k: keyof ComputationChange) => k in c;
  await sql`update scorecard_computation set
      status = case when ${has('status')} then ${c.status ?? null}::text else status end,
      stage = case when ${has('stage')} then ${c.stage ?? null}::text else stage end,
      subject_count = case when ${has('subjectCount')} then ${c.subjectCount ?? null}::int else subject_count end,
      result_id = case when ${has('resultId')} then ${c.resultId ?? null}::uuid else result_id end,
      snapshot_id = case when ${has('snapshotId')} then ${c.snapshotId ?? null}::uuid else snapshot_id end,
      error = case when ${has('error')} then ${c.error ?? null}::text else error end,
      started_at = case when ${has('startedAt')} then ${c.startedAt ?? null}::timestamptz else started_at end,
      finished_at = case when ${has('finishedAt')} then ${c.finishedAt ?? null}::timestamptz else finished_at end
    where scorecard_computation_id = ${id}::uuid`.execute(trx);
}
