import { sql, type Insertable, type Updateable } from 'kysely';
import type { Role } from '../../../common/roles.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

/** SQL of the comp-plans module. */

const NO_USER = '00000000-0000-0000-0000-000000000000';

// ---------------------------------------------------------------------------------------------
// Settings

export async function readSetting(trx: Trx, key: string): Promise<string | undefined> {
  return (await trx.selectFrom('appSetting').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function writeSetting(trx: Trx, key: string, value: string | null): Promise<void> {
  if (value === null) {
    await trx.deleteFrom('appSetting').where('key', '=', key).execute();
    return;
  }
  await trx
    .insertInto('appSetting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Participants

function selectParticipants(trx: Trx) {
  return trx
    .selectFrom('compParticipant as p')
    .leftJoin('compParticipant as m', 'm.compParticipantId', 'p.managerParticipantId')
    .select([
      'p.compParticipantId',
      'p.externalRef',
      'p.displayName',
      'p.email',
      'p.appUserId',
      'p.managerParticipantId',
      'p.team',
      'p.unit',
      'p.territory',
      'p.activeFrom',
      'p.activeTo',
      'p.createdAt',
      'p.updatedAt',
      'm.displayName as managerName',
    ]);
}
export type ParticipantRow = Awaited<ReturnType<ReturnType<typeof selectParticipants>['executeTakeFirstOrThrow']>>;

export async function findParticipant(trx: Trx, id: string): Promise<ParticipantRow | undefined> {
  return selectParticipants(trx).where('p.compParticipantId', '=', id).executeTakeFirst();
}

export async function findParticipantByUser(trx: Trx, userId: string): Promise<ParticipantRow | undefined> {
  return selectParticipants(trx).where('p.appUserId', '=', userId).executeTakeFirst();
}

export type ParticipantFilter = {
  q?: string | undefined;
  team?: string | undefined;
  unit?: string | undefined;
  territory?: string | undefined;
  managerId?: string | undefined;
  planId?: string | undefined;
  on: string;
  onlyId?: string | null | undefined;
  limit: number;
  offset: number;
};

/** One page, by name; the search is a substring of name, reference or e-mail (trigram index on search_key). */
export async function listParticipants(trx: Trx, f: ParticipantFilter): Promise<{ rows: ParticipantRow[]; total: number }> {
  let q = selectParticipants(trx);
  if (f.onlyId !== undefined) q = q.where('p.compParticipantId', '=', f.onlyId ?? NO_USER);
  if (f.q) {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where('p.searchKey', 'like', pattern);
  }
  if (f.team) q = q.where('p.team', '=', f.team);
  if (f.unit) q = q.where('p.unit', '=', f.unit);
  if (f.territory) q = q.where('p.territory', '=', f.territory);
  if (f.managerId) q = q.where('p.managerParticipantId', '=', f.managerId);
  if (f.planId) {
    const planId = f.planId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('compPlanAssignment as a')
          .select('a.compPlanAssignmentId')
          .whereRef('a.compParticipantId', '=', 'p.compParticipantId')
          .where('a.compPlanId', '=', planId)
          .where('a.effectiveFrom', '<=', f.on)
          .where((e) => e.or([e('a.effectiveTo', 'is', null), e('a.effectiveTo', '>', f.on)])),
      ),
    );
  }
  const [rows, total] = await Promise.all([
    q.orderBy('p.displayName').orderBy('p.compParticipantId').limit(f.limit).offset(f.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function insertParticipant(trx: Trx, row: Insertable<DB['compParticipant']>): Promise<void> {
  await trx.insertInto('compParticipant').values(row).execute();
}

export async function updateParticipant(trx: Trx, id: string, patch: Updateable<DB['compParticipant']>): Promise<void> {
  await trx.updateTable('compParticipant').set(patch).where('compParticipantId', '=', id).execute();
}

export async function deleteParticipant(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('compParticipant').where('compParticipantId', '=', id).execute();
}

export async function countParticipantUse(trx: Trx, id: string): Promise<{ assignments: number; reports: number }> {
  const r = await trx
    .selectNoFrom((eb) => [
      eb
        .selectFrom('compPlanAssignment')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('compParticipantId', '=', id)
        .as('assignments'),
      eb
        .selectFrom('compParticipant')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('managerParticipantId', '=', id)
        .as('reports'),
    ])
    .executeTakeFirstOrThrow();
  return { assignments: Number(r.assignments ?? 0), reports: Number(r.reports ?? 0) };
}

/** The ids of participants with these external references (unknown ones are absent). */
export async function participantIdsByRef(trx: Trx, refs: readonly string[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await trx
    .selectFrom('compParticipant')
    .select(['compParticipantId', 'externalRef'])
    .where(sql<boolean>`external_ref = any(${sql.val([...refs])}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.externalRef, r.compParticipantId]));
}

export async function existingParticipantIds(trx: Trx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx
    .selectFrom('compParticipant')
    .select('compParticipantId')
    .where(sql<boolean>`comp_participant_id = any(${sql.val([...ids])}::uuid[])`)
    .execute();
  return new Set(rows.map((r) => r.compParticipantId));
}

/** Whether `managerId` reports (directly or not) to `participantId`: making it the manager would close a loop. */
export async function wouldCycle(trx: Trx, participantId: string, managerId: string): Promise<boolean> {
  const r = await sql<{ found: boolean }>`
    with recursive up(id, depth) as (
      select ${managerId}::uuid, 0
      union all
      select p.manager_participant_id, up.depth + 1 from comp_participant p join up on p.comp_participant_id = up.id
      where p.manager_participant_id is not null and up.depth < 100
    )
    select exists (select 1 from up where id = ${participantId}::uuid) as found`.execute(trx);
  return r.rows[0]?.found ?? false;
}

export async function findUser(trx: Trx, id: string) {
  return trx.selectFrom('appUser').select(['appUserId', 'partnerId', 'displayName']).where('appUserId', '=', id).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Plans and versions

export async function insertPlan(trx: Trx, row: Insertable<DB['compPlan']>): Promise<void> {
  await trx.insertInto('compPlan').values(row).execute();
}

export async function findPlanByKey(trx: Trx, key: string) {
  return trx.selectFrom('compPlan').selectAll().where('key', '=', key).executeTakeFirst();
}

/** The plan row, locked: every change of a plan's versions takes it, so numbering, approval and publishing are serialised per plan. */
export async function lockPlan(trx: Trx, id: string) {
  return trx.selectFrom('compPlan').selectAll().where('compPlanId', '=', id).forUpdate().executeTakeFirst();
}

export async function updatePlan(trx: Trx, id: string, patch: Updateable<DB['compPlan']>): Promise<void> {
  await trx.updateTable('compPlan').set(patch).where('compPlanId', '=', id).execute();
}

function selectPlans(trx: Trx, today: string) {
  return trx
    .selectFrom('compPlan as p')
    .leftJoin('compPlanVersion as pub', (j) => j.onRef('pub.compPlanId', '=', 'p.compPlanId').on('pub.status', '=', 'published'))
    .leftJoin('compPlanVersion as open', (j) => j.onRef('open.compPlanId', '=', 'p.compPlanId').on('open.status', 'in', ['draft', 'in_approval', 'approved']))
    .selectAll('p')
    .select((eb) => [
      'pub.compPlanVersionId as pubId',
      'pub.version as pubVersion',
      'pub.effectiveFrom as pubFrom',
      'pub.effectiveTo as pubTo',
      'pub.publishedAt as pubAt',
      'open.compPlanVersionId as openId',
      'open.version as openVersion',
      'open.status as openStatus',
      eb
        .selectFrom('compPlanVersion as v')
        .select((e) => e.fn.max('v.version').as('m'))
        .whereRef('v.compPlanId', '=', 'p.compPlanId')
        .as('latestVersion'),
      eb
        .selectFrom('compPlanAssignment as a')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('a.compPlanId', '=', 'p.compPlanId')
        .where('a.effectiveFrom', '<=', today)
        .where((e) => e.or([e('a.effectiveTo', 'is', null), e('a.effectiveTo', '>', today)]))
        .as('assignedNow'),
    ]);
}
export type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlans>['executeTakeFirstOrThrow']>>;

export async function findPlan(trx: Trx, id: string, today: string): Promise<PlanRow | undefined> {
  return selectPlans(trx, today).where('p.compPlanId', '=', id).executeTakeFirst();
}

export async function listPlans(
  trx: Trx,
  f: { q?: string | undefined; onlyIds?: readonly string[] | undefined; today: string; limit: number; offset: number },
): Promise<{ rows: PlanRow[]; total: number }> {
  let q = selectPlans(trx, f.today);
  if (f.onlyIds !== undefined) {
    if (f.onlyIds.length === 0) return { rows: [], total: 0 };
    q = q.where('p.compPlanId', 'in', f.onlyIds);
  }
  if (f.q) {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['p.name']), 'like', pattern), eb('p.key', 'like', pattern)]));
  }
  const [rows, total] = await Promise.all([
    q.orderBy('p.name').orderBy('p.compPlanId').limit(f.limit).offset(f.offset).execute(),
    trx
      .selectFrom(q.as('x'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

function selectVersions(trx: Trx) {
  return trx
    .selectFrom('compPlanVersion as v')
    .innerJoin('compPlan as p', 'p.compPlanId', 'v.compPlanId')
    .leftJoin('appUser as cu', 'cu.appUserId', 'v.createdByUserId')
    .leftJoin('appUser as pu', 'pu.appUserId', 'v.publishedByUserId')
    .selectAll('v')
    .select(['p.key as planKey', 'p.name as planName', 'p.currency as planCurrency', 'cu.displayName as createdByName', 'pu.displayName as publishedByName']);
}
export type VersionRow = Awaited<ReturnType<ReturnType<typeof selectVersions>['executeTakeFirstOrThrow']>>;

export async function findVersion(trx: Trx, id: string): Promise<VersionRow | undefined> {
  return selectVersions(trx).where('v.compPlanVersionId', '=', id).executeTakeFirst();
}

export async function listVersions(trx: Trx, planId: string, statuses?: readonly string[]): Promise<VersionRow[]> {
  let q = selectVersions(trx).where('v.compPlanId', '=', planId);
  if (statuses) q = q.where('v.status', 'in', statuses as never);
  return q.orderBy('v.version', 'desc').execute();
}

export async function findPreviousVersion(trx: Trx, planId: string, version: number): Promise<VersionRow | undefined> {
  return selectVersions(trx).where('v.compPlanId', '=', planId).where('v.version', '<', version).orderBy('v.version', 'desc').limit(1).executeTakeFirst();
}

export async function findPublishedVersion(trx: Trx, planId: string): Promise<VersionRow | undefined> {
  return selectVersions(trx).where('v.compPlanId', '=', planId).where('v.status', '=', 'published').executeTakeFirst();
}

export async function findOpenVersion(trx: Trx, planId: string): Promise<VersionRow | undefined> {
  return selectVersions(trx).where('v.compPlanId', '=', planId).where('v.status', 'in', ['draft', 'in_approval', 'approved']).executeTakeFirst();
}

export async function latestVersion(trx: Trx, planId: string): Promise<VersionRow | undefined> {
  return selectVersions(trx).where('v.compPlanId', '=', planId).orderBy('v.version', 'desc').limit(1).executeTakeFirst();
}

/**
 * The version of a plan that governs a day: of the versions ever published (in force or retired
 * since) whose effective range covers the day, the newest.
 */
export async function versionInEffect(trx: Trx, planId: string, on: string): Promise<VersionRow | undefined> {
  return selectVersions(trx)
    .where('v.compPlanId', '=', planId)
    .where('v.status', 'in', ['published', 'retired'])
    .where('v.effectiveFrom', '<=', on)
    .where((eb) => eb.or([eb('v.effectiveTo', 'is', null), eb('v.effectiveTo', '>', on)]))
    .orderBy('v.version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertVersion(trx: Trx, row: Insertable<DB['compPlanVersion']>): Promise<void> {
  await trx.insertInto('compPlanVersion').values(row).execute();
}

export async function updateVersion(trx: Trx, id: string, patch: Updateable<DB['compPlanVersion']>): Promise<void> {
  await trx.updateTable('compPlanVersion').set(patch).where('compPlanVersionId', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Approvals

export async function listApprovals(trx: Trx, versionId: string) {
  return trx
    .selectFrom('compPlanApproval as a')
    .leftJoin('appUser as u', 'u.appUserId', 'a.decidedByUserId')
    .selectAll('a')
    .select('u.displayName as decidedByName')
    .where('a.compPlanVersionId', '=', versionId)
    .orderBy('a.decidedAt')
    .orderBy('a.round')
    .execute();
}
export type ApprovalRow = Awaited<ReturnType<typeof listApprovals>>[number];

/** Records one decision; false when the step of that round was already decided (a concurrent decision won). */
export async function insertApproval(trx: Trx, row: Insertable<DB['compPlanApproval']>): Promise<boolean> {
  const r = await trx
    .insertInto('compPlanApproval')
    .values(row)
    .onConflict((oc) => oc.columns(['compPlanVersionId', 'round', 'step']).doNothing())
    .returning('compPlanApprovalId')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * The users who may give the manager sign-off of a plan version: the managers (with a login) of the
 * participants whose assignment to the plan overlaps the version's effective range.
 */
export async function managerApprovers(trx: Trx, planId: string, from: string, to: string | null): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('compPlanAssignment as a')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'a.compParticipantId')
    .innerJoin('compParticipant as m', 'm.compParticipantId', 'p.managerParticipantId')
    .select('m.appUserId')
    .distinct()
    .where('a.compPlanId', '=', planId)
    .where('m.appUserId', 'is not', null)
    .where(sql<boolean>`daterange(a.effective_from, a.effective_to, '[)') && daterange(${from}::date, ${to}::date, '[)')`)
    .execute();
  return new Set(rows.flatMap((r) => (r.appUserId ? [r.appUserId] : [])));
}

/** Active internal users holding any of the roles or among the ids, in id order: who is told a step waits for them. */
export async function activeInternalUserIds(trx: Trx, by: { roles: readonly Role[] } | { ids: readonly string[] }): Promise<string[]> {
  if ('ids' in by && by.ids.length === 0) return [];
  let q = trx.selectFrom('appUser').select('appUserId').where('status', '=', 'active').where('partnerId', 'is', null);
  q = 'ids' in by ? q.where('appUserId', 'in', [...by.ids]) : q.where(sql<boolean>`roles && ${sql.val([...by.roles])}::text[]`);
  const rows = await q.orderBy('appUserId').execute();
  return rows.map((r) => r.appUserId);
}

// ---------------------------------------------------------------------------------------------
// Assignments

function selectAssignments(trx: Trx) {
  return trx
    .selectFrom('compPlanAssignment as a')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'a.compParticipantId')
    .innerJoin('compPlan as pl', 'pl.compPlanId', 'a.compPlanId')
    .selectAll('a')
    .select(['p.displayName as participantName', 'p.externalRef', 'pl.key as planKey', 'pl.name as planName']);
}
export type AssignmentRow = Awaited<ReturnType<ReturnType<typeof selectAssignments>['executeTakeFirstOrThrow']>>;

export async function findAssignment(trx: Trx, id: string): Promise<AssignmentRow | undefined> {
  return selectAssignments(trx).where('a.compPlanAssignmentId', '=', id).executeTakeFirst();
}

export async function listAssignments(
  trx: Trx,
  f: { planId?: string | undefined; participantId?: string | undefined; on?: string | undefined; limit: number; offset: number },
): Promise<{ rows: AssignmentRow[]; total: number }> {
  let q = selectAssignments(trx);
  if (f.planId) q = q.where('a.compPlanId', '=', f.planId);
  if (f.participantId) q = q.where('a.compParticipantId', '=', f.participantId);
  if (f.on) {
    const on = f.on;
    q = q.where('a.effectiveFrom', '<=', on).where((eb) => eb.or([eb('a.effectiveTo', 'is', null), eb('a.effectiveTo', '>', on)]));
  }
  const [rows, total] = await Promise.all([
    q.orderBy('a.effectiveFrom', 'desc').orderBy('p.displayName').orderBy('a.compPlanAssignmentId').limit(f.limit).offset(f.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Another assignment of the participant whose range overlaps [from, to). */
export async function findOverlappingAssignment(trx: Trx, participantId: string, from: string, to: string | null, exceptId: string | null) {
  let q = selectAssignments(trx)
    .where('a.compParticipantId', '=', participantId)
    .where(sql<boolean>`daterange(a.effective_from, a.effective_to, '[)') && daterange(${from}::date, ${to}::date, '[)')`);
  if (exceptId) q = q.where('a.compPlanAssignmentId', '<>', exceptId);
  return q.limit(1).executeTakeFirst();
}

/** Serialises changes of one participant's assignments (the exclusion constraint is the backstop). */
export async function lockParticipantAssignments(trx: Trx, participantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`comp_plan_assignment:${participantId}`}, 0))`.execute(trx);
}

export async function insertAssignment(trx: Trx, row: Insertable<DB['compPlanAssignment']>): Promise<void> {
  await trx.insertInto('compPlanAssignment').values(row).execute();
}

export async function updateAssignment(trx: Trx, id: string, patch: Updateable<DB['compPlanAssignment']>): Promise<void> {
  await trx.updateTable('compPlanAssignment').set(patch).where('compPlanAssignmentId', '=', id).execute();
}

export async function deleteAssignment(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('compPlanAssignment').where('compPlanAssignmentId', '=', id).execute();
}

/** The plans a participant has ever been assigned to. */
export async function planIdsOfParticipant(trx: Trx, participantId: string): Promise<string[]> {
  const rows = await trx.selectFrom('compPlanAssignment').select('compPlanId').distinct().where('compParticipantId', '=', participantId).execute();
  return rows.map((r) => r.compPlanId);
}

// ---------------------------------------------------------------------------------------------
// Quotas

function selectQuotas(trx: Trx) {
  return trx
    .selectFrom('compQuota as q')
    .innerJoin('compParticipant as p', 'p.compParticipantId', 'q.compParticipantId')
    .selectAll('q')
    .select(['p.displayName as participantName', 'p.externalRef']);
}
export type QuotaRow = Awaited<ReturnType<ReturnType<typeof selectQuotas>['executeTakeFirstOrThrow']>>;

export async function listQuotas(
  trx: Trx,
  f: { participantId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number },
): Promise<{ rows: QuotaRow[]; total: number }> {
  let q = selectQuotas(trx);
  if (f.participantId) q = q.where('q.compParticipantId', '=', f.participantId);
  if (f.from) q = q.where('q.periodEnd', '>', f.from);
  if (f.to) q = q.where('q.periodStart', '<', f.to);
  const [rows, total] = await Promise.all([
    q.orderBy('p.displayName').orderBy('q.compParticipantId').orderBy('q.periodStart').limit(f.limit).offset(f.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export type QuotaInput = { participantId: string; periodStart: string; periodEnd: string; amountMinor: number; currency: string };

/**
 * Inserts or updates quotas by (participant, period start) in one statement per chunk (arrays, so a
 * chunk is six parameters however many rows). Rows that would not change are left alone.
 */
export async function upsertQuotas(trx: Trx, rows: readonly QuotaInput[], ids: readonly string[], now: Date): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const r = await sql<{ inserted: boolean }>`
      insert into comp_quota (comp_quota_id, comp_participant_id, period_start, period_end, amount_minor, currency, created_at, updated_at)
      select u.id, u.participant_id, u.period_start, u.period_end, u.amount_minor, u.currency, ${now}, ${now}
      from unnest(${sql.val(ids.slice(i, i + CHUNK))}::uuid[], ${sql.val(part.map((x) => x.participantId))}::uuid[],
                  ${sql.val(part.map((x) => x.periodStart))}::date[], ${sql.val(part.map((x) => x.periodEnd))}::date[],
                  ${sql.val(part.map((x) => String(x.amountMinor)))}::bigint[], ${sql.val(part.map((x) => x.currency))}::text[])
        as u(id, participant_id, period_start, period_end, amount_minor, currency)
      on conflict (comp_participant_id, period_start) do update
        set period_end = excluded.period_end, amount_minor = excluded.amount_minor, currency = excluded.currency, updated_at = excluded.updated_at
        where (comp_quota.period_end, comp_quota.amount_minor, comp_quota.currency) is distinct from (excluded.period_end, excluded.amount_minor, excluded.currency)
      returning (xmax = 0) as inserted`.execute(trx);
    for (const row of r.rows) {
      if (row.inserted) inserted += 1;
      else updated += 1;
    }
  }
  return { inserted, updated };
}

/** Quotas of one participant whose period overlaps [from, to): for the commission runs. */
export async function quotasOverlapping(trx: Trx, participantId: string, from: string, to: string) {
  return trx
    .selectFrom('compQuota')
    .selectAll()
    .where('compParticipantId', '=', participantId)
    .where('periodStart', '<', to)
    .where('periodEnd', '>', from)
    .orderBy('periodStart')
    .execute();
}
