import { sql } from 'kysely';
import type { TargetSubjectKind } from '../../../common/api/scorecard-targets.ts';
import type { Trx } from '../../db/scope.ts';
import { newId, uuidPattern } from '../../lib/ids.ts';

export async function listTargets(trx: Trx, scorecardId: string) {
  return trx
    .selectFrom('scorecardTarget as t')
    .leftJoin('compParticipant as s', (j) => j.on(sql<boolean>`s.comp_participant_id::text = t.subject_id and t.subject_kind in ('seller', 'manager')`))
    .leftJoin('partner as p', (j) => j.on(sql<boolean>`p.partner_id::text = t.subject_id and t.subject_kind = 'partner'`))
    .select([
      't.scorecardTargetId',
      't.metric',
      't.subjectKind',
      't.subjectId',
      't.target',
      't.redFlag',
      't.note',
      't.updatedBy',
      't.updatedAt',
      sql<string>`coalesce(s.display_name, p.name, t.subject_id)`.as('subjectLabel'),
    ])
    .where('t.scorecardId', '=', scorecardId)
    .orderBy('t.metric')
    .orderBy('t.subjectKind')
    .orderBy('t.subjectId')
    .execute();
}

export async function storedTargets(trx: Trx, scorecardId: string, kinds: readonly TargetSubjectKind[]) {
  if (kinds.length === 0) return [];
  return trx
    .selectFrom('scorecardTarget')
    .select(['metric', 'subjectKind', 'subjectId', 'target', 'redFlag'])
    .where('scorecardId', '=', scorecardId)
    .where('subjectKind', 'in', kinds)
    .execute();
}

export type TargetWrite = { metric: string; subjectKind: TargetSubjectKind; subjectId: string; target: number; redFlag: number; note: string };

/** Inserts or replaces; a row equal to the stored one is left alone. Returns how many were written. */
export async function upsertTargets(
  trx: Trx,
  scorecardId: string,
  rows: readonly TargetWrite[],
  by: { label: string; userId: string | null; now: Date },
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await trx
    .insertInto('scorecardTarget')
    .values(
      rows.map((x) => ({
        scorecardTargetId: newId(),
        scorecardId,
        ...x,
        updatedBy: by.label,
        updatedByUserId: by.userId,
        updatedAt: by.now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['scorecardId', 'metric', 'subjectKind', 'subjectId'])
        .doUpdateSet((eb) => ({
          target: eb.ref('excluded.target'),
          redFlag: eb.ref('excluded.redFlag'),
          note: eb.ref('excluded.note'),
          updatedBy: eb.ref('excluded.updatedBy'),
          updatedByUserId: eb.ref('excluded.updatedByUserId'),
          updatedAt: eb.ref('excluded.updatedAt'),
        }))
        .where(
          sql<boolean>`(scorecard_target.target, scorecard_target.red_flag, scorecard_target.note) is distinct from (excluded.target, excluded.red_flag, excluded.note)`,
        ),
    )
    .returning('scorecardTargetId')
    .execute();
  return r.length;
}

export async function findTarget(trx: Trx, scorecardId: string, id: string) {
  return trx.selectFrom('scorecardTarget').selectAll().where('scorecardId', '=', scorecardId).where('scorecardTargetId', '=', id).executeTakeFirst();
}

export async function deleteTarget(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('scorecardTarget').where('scorecardTargetId', '=', id).execute();
}

export async function partnerTiers(trx: Trx, partnerIds: readonly string[]): Promise<Map<string, string>> {
  const ids = partnerIds.filter((id) => uuidPattern.test(id));
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('partner').select(['partnerId', 'tier']).where('partnerId', 'in', ids).execute();
  return new Map(rows.map((r) => [r.partnerId, r.tier]));
}

// ---------------------------------------------------------------------------------------------
// Subjects a target may name

export async function participantsNamed(trx: Trx, names: readonly string[]) {
  if (names.length === 0) return [];
  const ids = names.filter((n) => uuidPattern.test(n));
  return trx
    .selectFrom('compParticipant')
    .select(['compParticipantId', 'externalRef', 'displayName'])
    .where((eb) => eb.or([eb('externalRef', 'in', names), ...(ids.length ? [eb('compParticipantId', 'in', ids)] : [])]))
    .execute();
}

export async function partnersNamed(trx: Trx, names: readonly string[]) {
  if (names.length === 0) return [];
  const ids = names.filter((n) => uuidPattern.test(n));
  const lower = names.map((n) => n.toLowerCase());
  return trx
    .selectFrom('partner')
    .select(['partnerId', 'name'])
    .where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'in', lower), ...(ids.length ? [eb('partnerId', 'in', ids)] : [])]))
    .execute();
}

export async function teamsAndUnits(trx: Trx): Promise<{ teams: Set<string>; units: Set<string> }> {
  const rows = await trx.selectFrom('compParticipant').select(['team', 'unit']).distinct().execute();
  return {
    teams: new Set(rows.flatMap((r) => (r.team ? [r.team] : []))),
    units: new Set(rows.flatMap((r) => (r.unit ? [r.unit] : []))),
  };
}

/** Tier keys in use: partners' tiers and the tiers of the stored tier rules. */
export async function tierKeys(trx: Trx): Promise<Set<string>> {
  const r = await sql<{ tier: string }>`select distinct tier from partner
    union select t->>'key' from partner_tier_rules, jsonb_array_elements(rules->'tiers') t where t->>'key' is not null`.execute(trx);
  return new Set(r.rows.map((x) => x.tier));
}

/** The scorecard a target belongs to (its id and stored definition). */
export async function findScorecardByKey(trx: Trx, key: string) {
  return trx.selectFrom('scorecard').select(['scorecardId', 'definition']).where('key', '=', key).executeTakeFirst();
}

/**
 * The stored targets that can apply to some subjects of one roll-up level: their own, and (partner
 * level) every tier's. The same kinds as `storedTargets` reads for the scoring, narrowed to the subjects.
 */
export async function targetsForSubjects(trx: Trx, scorecardId: string, metrics: readonly string[], level: TargetSubjectKind, subjectIds: readonly string[]) {
  if (subjectIds.length === 0 || metrics.length === 0) return [];
  // Naming the metrics (the scorecard's rows) lets the unique (scorecard, metric, kind, subject)
  // index find the subjects' rows instead of reading every target of the level.
  return trx
    .selectFrom('scorecardTarget')
    .select(['scorecardTargetId', 'metric', 'subjectKind', 'subjectId', 'target', 'redFlag', 'note'])
    .where('scorecardId', '=', scorecardId)
    .where('metric', 'in', metrics)
    .where((eb) =>
      eb.or([
        eb.and([eb('subjectKind', '=', level), eb('subjectId', 'in', subjectIds)]),
        ...(level === 'partner' ? [eb('subjectKind', '=', 'partner_tier')] : []),
      ]),
    )
    .execute();
}

/** Display names of subjects of one level: participants' and partners' names; teams, units and the programme are their own names. */
export async function subjectLabels(trx: Trx, level: TargetSubjectKind, subjectIds: readonly string[]): Promise<Map<string, string>> {
  const ids = subjectIds.filter((id) => uuidPattern.test(id));
  if (ids.length === 0) return new Map();
  if (level === 'seller' || level === 'manager') {
    const rows = await trx.selectFrom('compParticipant').select(['compParticipantId', 'displayName']).where('compParticipantId', 'in', ids).execute();
    return new Map(rows.map((r) => [r.compParticipantId, r.displayName]));
  }
  if (level === 'partner') {
    const rows = await trx.selectFrom('partner').select(['partnerId', 'name']).where('partnerId', 'in', ids).execute();
    return new Map(rows.map((r) => [r.partnerId, r.name]));
  }
  return new Map();
}
