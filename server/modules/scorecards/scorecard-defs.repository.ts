import { sql } from 'kysely';
import type { ScorecardDefinition } from '../../../common/scorecards/scorecard.ts';
import type { SubjectKind } from '../../../common/scorecards/metric.ts';
import type { Trx } from '../../db/scope.ts';

/** Scorecard definitions (SQL only) and the roll-up parents of computed subjects. */

export async function listScorecards(trx: Trx) {
  return trx
    .selectFrom('scorecard as c')
    .selectAll('c')
    .select((eb) => [
      eb
        .selectFrom('scorecardSnapshot as s')
        .whereRef('s.scorecardId', '=', 'c.scorecardId')
        .select((e2) => e2.fn.countAll<string>().as('n'))
        .as('snapshots'),
      eb
        .selectFrom('scorecardSnapshot as s')
        .whereRef('s.scorecardId', '=', 'c.scorecardId')
        .select((e2) => e2.fn.max('s.publishedAt').as('p'))
        .as('lastPublishedAt'),
    ])
    .orderBy('c.key')
    .execute();
}

export type ScorecardRowRecord = Awaited<ReturnType<typeof listScorecards>>[number];

export async function findScorecard(trx: Trx, key: string): Promise<ScorecardRowRecord | undefined> {
  return trx
    .selectFrom('scorecard as c')
    .selectAll('c')
    .select((eb) => [
      eb
        .selectFrom('scorecardSnapshot as s')
        .whereRef('s.scorecardId', '=', 'c.scorecardId')
        .select((e2) => e2.fn.countAll<string>().as('n'))
        .as('snapshots'),
      eb
        .selectFrom('scorecardSnapshot as s')
        .whereRef('s.scorecardId', '=', 'c.scorecardId')
        .select((e2) => e2.fn.max('s.publishedAt').as('p'))
        .as('lastPublishedAt'),
    ])
    .where('c.key', '=', key)
    .executeTakeFirst();
}

export async function insertScorecard(trx: Trx, row: { id: string; definition: ScorecardDefinition; userId: string | null; now: Date }): Promise<void> {
  await trx
    .insertInto('scorecard')
    .values({
      scorecardId: row.id,
      key: row.definition.key,
      name: row.definition.name,
      subjectKind: row.definition.subjectKind,
      definition: JSON.stringify(row.definition),
      createdByUserId: row.userId,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .execute();
}

export async function updateScorecard(trx: Trx, key: string, definition: ScorecardDefinition, now: Date): Promise<void> {
  await trx
    .updateTable('scorecard')
    .set({ name: definition.name, subjectKind: definition.subjectKind, definition: JSON.stringify(definition), updatedAt: now })
    .where('key', '=', key)
    .execute();
}

export async function deleteScorecard(trx: Trx, key: string): Promise<void> {
  await trx.deleteFrom('scorecard').where('key', '=', key).execute();
}

export async function scheduledScorecards(trx: Trx) {
  return trx
    .selectFrom('scorecard')
    .selectAll()
    .where(sql<boolean>`definition ->> 'schedule' = 'period_end'`)
    .orderBy('key')
    .execute();
}

/**
 * The subject one roll-up level up, for each subject: a seller's team, a team's unit (the unit most
 * of its members belong to), a unit's programme. Other levels have no parent in the chain.
 */
export async function subjectParents(trx: Trx, level: SubjectKind, ids: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (ids.length === 0) return out;
  if (level === 'seller') {
    const rows = await trx
      .selectFrom('compParticipant')
      .select(['compParticipantId', 'team'])
      .where(sql<boolean>`comp_participant_id::text = any(${[...ids]}::text[])`)
      .execute();
    for (const r of rows) out.set(r.compParticipantId, r.team);
  } else if (level === 'team') {
    const rows = await sql<{ team: string; unit: string | null }>`select team, mode() within group (order by unit) as unit
      from comp_participant where team = any(${[...ids]}::text[]) and unit is not null group by team`.execute(trx);
    for (const r of rows.rows) out.set(r.team, r.unit);
  } else if (level === 'unit') {
    for (const id of ids) out.set(id, 'programme');
  }
  return out;
}

/** The teams a user belongs to through their comp participant record(s): for team audiences. */
export async function teamsOfUser(trx: Trx, userId: string): Promise<string[]> {
  const rows = await trx.selectFrom('compParticipant').select('team').where('appUserId', '=', userId).where('team', 'is not', null).execute();
  return rows.map((r) => r.team).filter((t): t is string => t !== null);
}
