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
      subjectCount: s.subjectCount,
      takenAt: s.takenAt,
      takenBy: s.takenBy,
      takenByUserId: s.takenByUserId,
      publishedAt: null,
      publishedBy: null,
    })
    .onConflict((oc) => oc.columns(['scorecardId', 'level', 'periodStart']).where('trigger', '=', 'schedule').doNothing())
    .returning('scorecardSnapshotId')
    .executeTakeFirst();
  if (!inserted) return false;
  const m = s.metrics.length;
  await sql`insert into scorecard_snapshot_row (scorecard_snapshot_id, subject_id, label, parent_id, partner_id, rank, score, status, cells, trend)
    select ${s.id}::uuid, r.subject_id, r.label, r.parent_id, r.partner_id, r.rank, r.score, r.status,
      (select jsonb_agg(jsonb_build_object('value', u.v, 'score', u.s, 'status', u.st, 'numerator', u.n, 'denominator', u.d, 'rows', u.r) order by u.i)
        from rows from (jsonb_array_elements(f -> 'cellValues'), jsonb_array_elements(f -> 'cellScores'), jsonb_array_elements(f -> 'cellStatuses'),
          jsonb_array_elements(f -> 'cellNumerators'), jsonb_array_elements(f -> 'cellDenominators'), jsonb_array_elements(f -> 'cellRows'))
          with ordinality u(v, s, st, n, d, r, i)),
      (select jsonb_agg(jsonb_build_object('period', t.per, 'score', t.sc,
          'values', to_jsonb(x.tv[(t.i - 1) * ${m}::int + 1 : t.i * ${m}::int])) order by t.i)
        from rows from (unnest(${[...s.periods]}::text[]), jsonb_array_elements(f -> 'trendScores')) with ordinality t(per, sc, i))
    from scorecard_result_row r cross join lateral (select r.figures::jsonb as f,
      array(select e::float8 from json_array_elements_text(r.figures -> 'trendValues') e) as tv) x where r.scorecard_result_id = ${s.resultId}::uuid`.execute(
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
 * One page of a snapshot's rows in rank order (one range of scorecard_snapshot_row_page_idx), and
 * the number of rows matching the filters when there are filters (otherwise the header knows it).
 */
export async function snapshotRowsPage(trx: Trx, id: string, f: SnapshotRowFilter & { limit: number; offset: number }) {
  let q = trx.selectFrom('scorecardSnapshotRow').where('scorecardSnapshotId', '=', id);
  if (f.partnerId) q = q.where('partnerId', '=', f.partnerId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.parent) q = q.where('parentId', '=', f.parent);
  if (f.q) q = q.where('label', 'ilike', `%${escapeLike(f.q)}%`);
  // cells and trend as text: parsed once by the service, not walked key by key by the camel-case plugin first.
  const rows = await q
    .select(['scorecardSnapshotId', 'subjectId', 'label', 'parentId', 'partnerId', 'partnerVisible', 'rank', 'score', 'status'])
    .select([sql<string>`cells::text`.as('cells'), sql<string>`trend::text`.as('trend')])
    .orderBy('rank')
    .orderBy('label')
    .orderBy('subjectId')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const filtered = f.partnerId !== null || f.status !== undefined || f.q !== undefined || f.parent !== undefined;
  const total = filtered ? Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst())?.n ?? 0) : null;
  return { rows, total };
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
