import { setImmediate } from 'node:timers/promises';
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

// ---------------------------------------------------------------------------------------------
// Computed results (migration 0022): kept for paging, replaced by newer computations

export type ResultFigures = {
  cellValues: (number | null)[];
  cellScores: (number | null)[];
  cellStatuses: string[];
  cellNumerators: (number | null)[];
  cellDenominators: (number | null)[];
  cellRows: number[];
  trendScores: (number | null)[];
  trendValues: (number | null)[];
};

export type ResultRowRecord = ResultFigures & {
  subjectId: string;
  label: string;
  parentId: string | null;
  partnerId: string | null;
  rank: number | null;
  score: number | null;
  status: string;
};

export type ResultHeaderRecord = {
  scorecardResultId: string;
  header: unknown;
  subjectCount: number;
  computedAt: Date;
};

export async function insertResultHeader(
  trx: Trx,
  r: { id: string; scorecardId: string; level: string; periodStart: string; header: unknown; subjectCount: number; computedAt: Date },
): Promise<void> {
  await sql`insert into scorecard_result (scorecard_result_id, scorecard_id, definition_updated_at, level, period_start, header, subject_count, computed_at)
    values (${r.id}::uuid, ${r.scorecardId}::uuid, (select updated_at from scorecard where scorecard_id = ${r.scorecardId}::uuid), ${r.level}, ${r.periodStart}::date, ${JSON.stringify(r.header)}::jsonb,
      ${r.subjectCount}, ${r.computedAt})`.execute(trx);
}

const ROW_CHUNK = 1000;

/**
 * One chunk of result rows: a JSON array of their plain columns, and their figures, one JSON
 * document a line (JSON.stringify never writes a raw line break), in the same order.
 */
function rowsText(rows: readonly ResultRowRecord[], from: number, to: number): { columns: string; figures: string } {
  let columns = '[';
  let figures = '';
  for (let k = from; k < to; k++) {
    const r = rows[k] as ResultRowRecord;
    if (k > from) {
      columns += ',';
      figures += '\n';
    }
    const f: ResultFigures = {
      cellValues: r.cellValues,
      cellScores: r.cellScores,
      cellStatuses: r.cellStatuses,
      cellNumerators: r.cellNumerators,
      cellDenominators: r.cellDenominators,
      cellRows: r.cellRows,
      trendScores: r.trendScores,
      trendValues: r.trendValues,
    };
    columns += JSON.stringify({ s: r.subjectId, l: r.label, p: r.parentId, pa: r.partnerId, r: r.rank, sc: r.score, st: r.status });
    figures += JSON.stringify(f);
  }
  return { columns: columns + ']', figures };
}

/**
 * Writes the rows 1000 subjects a statement, as two text parameters that PostgreSQL splits into
 * rows itself: the plain columns as one JSON array (json_to_recordset), the figures one JSON
 * document a line (string_to_table), zipped by ROWS FROM. The figures are parsed once, as they are
 * stored (json), where inside one document with the columns they were parsed three times (the
 * document's validation, json_to_recordset, the column's): half the database's CPU of this step.
 * One string parameter costs the driver next to nothing, where array parameters per column cost
 * seconds. The next chunk's text is built while the database inserts the last one (one statement in
 * flight, on the transaction's connection), and the event loop gets a turn between chunks.
 */
export async function insertResultRows(trx: Trx, resultId: string, rows: readonly ResultRowRecord[]): Promise<void> {
  const insert = (chunk: { columns: string; figures: string }) =>
    sql`insert into scorecard_result_row (scorecard_result_id, subject_id, label, parent_id, partner_id, rank, score, status, figures)
      select ${resultId}::uuid, j.s, j.l, j.p, j.pa::uuid, j.r, j.sc, j.st, j.f::json
      from rows from (
        json_to_recordset(${chunk.columns}::json) as (s text, l text, p text, pa text, r integer, sc double precision, st text),
        string_to_table(${chunk.figures}::text, E'\n')
      ) as j(s, l, p, pa, r, sc, st, f)`.execute(trx);
  let inFlight: Promise<unknown> | null = null;
  for (let i = 0; i < rows.length; i += ROW_CHUNK) {
    const chunk = rowsText(rows, i, Math.min(rows.length, i + ROW_CHUNK));
    if (inFlight) await inFlight;
    inFlight = insert(chunk);
    // Handled when awaited; until then a failure must not count as unhandled.
    inFlight.catch(() => undefined);
    // Let the statement go out before the next chunk is built.
    await setImmediate();
  }
  if (inFlight) await inFlight;
}

/** Drops older computations of the same scorecard, level and period (the newest two stay) and any older than a day. */
export async function pruneResults(trx: Trx, k: { scorecardId: string; level: string; periodStart: string; now: Date }): Promise<void> {
  const dayAgo = new Date(k.now.getTime() - 24 * 3600 * 1000);
  const old = await sql<{ id: string }>`select scorecard_result_id as id from (
      select scorecard_result_id, row_number() over (order by computed_at desc, scorecard_result_id) as n
      from scorecard_result where scorecard_id = ${k.scorecardId}::uuid and level = ${k.level} and period_start = ${k.periodStart}::date) x where n > 2
    union select scorecard_result_id from scorecard_result where computed_at < ${dayAgo}`.execute(trx);
  const ids = old.rows.map((r) => r.id);
  if (ids.length === 0) return;
  await sql`delete from scorecard_result_row where scorecard_result_id = any(${ids}::uuid[])`.execute(trx);
  await sql`delete from scorecard_result where scorecard_result_id = any(${ids}::uuid[])`.execute(trx);
}

/** The newest computation of the scorecard's current version (its updated_at), level and period made at or after `since`. */
export async function findRecentResult(
  trx: Trx,
  k: { scorecardId: string; level: string; periodStart: string; since: Date },
): Promise<ResultHeaderRecord | undefined> {
  const r = await sql<ResultHeaderRecord>`select scorecard_result_id, header, subject_count, computed_at from scorecard_result
    where scorecard_id = ${k.scorecardId}::uuid and level = ${k.level} and period_start = ${k.periodStart}::date
      and definition_updated_at = (select updated_at from scorecard where scorecard_id = ${k.scorecardId}::uuid) and computed_at >= ${k.since}
    order by computed_at desc limit 1`.execute(trx);
  return r.rows[0];
}

export type SubjectFilter = { status?: string | undefined; q?: string | undefined; parent?: string | undefined };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of a computation, in rank order, and how many subjects match the filters. */
export async function resultRowsPage(
  trx: Trx,
  resultId: string,
  f: SubjectFilter & { limit: number; offset: number },
): Promise<{ rows: ResultRowRecord[]; total: number | null }> {
  const filtered = f.status !== undefined || f.q !== undefined || f.parent !== undefined;
  const where = sql`scorecard_result_id = ${resultId}::uuid
    and (${f.status ?? null}::text is null or status = ${f.status ?? null}::text)
    and (${f.parent ?? null}::text is null or parent_id = ${f.parent ?? null}::text)
    and (${f.q ?? null}::text is null or label ilike ${f.q === undefined ? null : `%${escapeLike(f.q)}%`}::text)`;
  const rows = await sql<Omit<ResultRowRecord, keyof ResultFigures> & { figures: string }>`select subject_id, label, parent_id, partner_id::text, rank, score,
      status, figures::text as figures
    from scorecard_result_row where ${where}
    order by rank nulls last, label, subject_id limit ${f.limit} offset ${f.offset}`.execute(trx);
  const total = filtered
    ? Number((await sql<{ n: string }>`select count(*) as n from scorecard_result_row where ${where}`.execute(trx)).rows[0]?.n ?? 0)
    : null;
  return { rows: rows.rows.map(({ figures, ...r }) => ({ ...r, ...(JSON.parse(figures) as ResultFigures) })), total };
}

/** Overall scores and current values of every subject (for the benchmarks of a snapshot). */
export async function resultFigures(trx: Trx, resultId: string): Promise<{ score: number | null; cellValues: (number | null)[] }[]> {
  const r = await sql<{ score: number | null; cellValues: string }>`select score, (figures -> 'cellValues')::text as cell_values from scorecard_result_row
    where scorecard_result_id = ${resultId}::uuid`.execute(trx);
  return r.rows.map((x) => ({ score: x.score, cellValues: JSON.parse(x.cellValues) as (number | null)[] }));
}
