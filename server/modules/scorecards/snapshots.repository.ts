import type { BenchmarkView, ScorecardMetricColumn, ScorecardSubjectRow } from '../../../common/api/scorecard-results.ts';
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
  subjects: readonly ScorecardSubjectRow[];
  takenAt: Date;
  takenBy: string;
  takenByUserId: string | null;
};

const ROW_BATCH = 1000;

/** Inserts the header (a draft) and its rows. With a schedule trigger, an existing snapshot of the slot wins: false. */
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
      subjectCount: s.subjects.length,
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
  for (let i = 0; i < s.subjects.length; i += ROW_BATCH) {
    const batch = s.subjects.slice(i, i + ROW_BATCH);
    await trx
      .insertInto('scorecardSnapshotRow')
      .values(
        batch.map((r) => ({
          scorecardSnapshotId: s.id,
          subjectId: r.subjectId,
          label: r.label,
          parentId: r.parentId,
          partnerId: r.partnerId,
          rank: r.rank,
          score: r.score,
          status: r.status,
          cells: JSON.stringify(r.cells),
          trend: JSON.stringify(r.trend),
        })),
      )
      .execute();
  }
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
