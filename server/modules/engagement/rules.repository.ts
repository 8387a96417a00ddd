import { sql, type Insertable, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

/** An arbitrary fixed key: every change of versions takes this lock, so numbering and publishing are serialised. */
const RULE_SET_LOCK = 7_301_004_001;

export async function lockRuleSets(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${RULE_SET_LOCK}::bigint)`.execute(trx);
}

function selectVersions(trx: Trx, userId: string | null) {
  return trx
    .selectFrom('ruleSetVersion as v')
    .leftJoin('appUser as cu', 'cu.appUserId', 'v.createdByUserId')
    .leftJoin('appUser as pu', 'pu.appUserId', 'v.publishedByUserId')
    .leftJoin('ruleAcknowledgement as mine', (j) =>
      j.onRef('mine.ruleSetVersionId', '=', 'v.ruleSetVersionId').on('mine.appUserId', '=', userId ?? '00000000-0000-0000-0000-000000000000'),
    )
    .selectAll('v')
    .select(['cu.displayName as createdByName', 'pu.displayName as publishedByName', 'mine.acknowledgedAt as myAcknowledgedAt']);
}
export type VersionRow = Awaited<ReturnType<ReturnType<typeof selectVersions>['executeTakeFirstOrThrow']>>;

export async function listVersions(trx: Trx, f: { includeDrafts: boolean; userId: string | null }): Promise<VersionRow[]> {
  let q = selectVersions(trx, f.userId);
  if (!f.includeDrafts) q = q.where('v.status', '<>', 'draft');
  return q.orderBy('v.version', 'desc').execute();
}

export async function findVersion(trx: Trx, id: string, userId: string | null = null): Promise<VersionRow | undefined> {
  return selectVersions(trx, userId).where('v.ruleSetVersionId', '=', id).executeTakeFirst();
}

export async function findPublishedVersion(trx: Trx, userId: string | null = null): Promise<VersionRow | undefined> {
  return selectVersions(trx, userId).where('v.status', '=', 'published').executeTakeFirst();
}

/** The nearest version before `version`, skipping drafts unless asked. */
export async function findPreviousVersion(trx: Trx, version: number, includeDrafts: boolean): Promise<VersionRow | undefined> {
  let q = selectVersions(trx, null).where('v.version', '<', version);
  if (!includeDrafts) q = q.where('v.status', '<>', 'draft');
  return q.orderBy('v.version', 'desc').limit(1).executeTakeFirst();
}

export async function nextVersionNumber(trx: Trx): Promise<number> {
  const r = await trx
    .selectFrom('ruleSetVersion')
    .select((eb) => eb.fn.max('version').as('max'))
    .executeTakeFirstOrThrow();
  return Number(r.max ?? 0) + 1;
}

export async function insertVersion(trx: Trx, row: Insertable<DB['ruleSetVersion']>): Promise<void> {
  await trx.insertInto('ruleSetVersion').values(row).execute();
}

export async function updateVersion(trx: Trx, id: string, patch: Updateable<DB['ruleSetVersion']>): Promise<number> {
  const r = await trx.updateTable('ruleSetVersion').set(patch).where('ruleSetVersionId', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Users named by the rules, as the database knows them. */
export async function findUsers(trx: Trx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return trx.selectFrom('appUser').select(['appUserId', 'displayName', 'partnerId', 'status']).where('appUserId', 'in', ids).execute();
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements

/** Records the acknowledgement once; false when the user had already acknowledged the version. */
export async function insertAcknowledgement(trx: Trx, row: Insertable<DB['ruleAcknowledgement']>): Promise<boolean> {
  const r = await trx
    .insertInto('ruleAcknowledgement')
    .values(row)
    .onConflict((oc) => oc.columns(['ruleSetVersionId', 'appUserId']).doNothing())
    .returning('appUserId')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findAcknowledgement(trx: Trx, versionId: string, userId: string) {
  return trx.selectFrom('ruleAcknowledgement').selectAll().where('ruleSetVersionId', '=', versionId).where('appUserId', '=', userId).executeTakeFirst();
}

/**
 * The people a new version is for: active users who are either the vendor's own or belong to an
 * active partner. `onlyPartnerId` narrows to one organisation.
 */
function audience(trx: Trx, onlyPartnerId: string | null) {
  let q = trx
    .selectFrom('appUser as u')
    .leftJoin('partner as p', 'p.partnerId', 'u.partnerId')
    .where('u.status', '=', 'active')
    .where((eb) => eb.or([eb('u.partnerId', 'is', null), eb('p.status', '=', 'active')]));
  if (onlyPartnerId) q = q.where('u.partnerId', '=', onlyPartnerId);
  return q;
}

export async function countAudience(trx: Trx, versionId: string, onlyPartnerId: string | null) {
  const rows = await audience(trx, onlyPartnerId)
    .leftJoin('ruleAcknowledgement as a', (j) => j.onRef('a.appUserId', '=', 'u.appUserId').on('a.ruleSetVersionId', '=', versionId))
    .select((eb) => [
      eb.case().when('u.partnerId', 'is', null).then('internal').else('partner').end().as('kind'),
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('a.appUserId').as('acknowledged'),
    ])
    .groupBy('kind')
    .execute();
  const of = (kind: string) => {
    const r = rows.find((x) => x.kind === kind);
    return { acknowledged: Number(r?.acknowledged ?? 0), total: Number(r?.total ?? 0) };
  };
  return { internal: of('internal'), partner: of('partner') };
}

/** Active partners by tier, and how many of them have at least one acknowledgement of the version. */
export async function partnersByTier(trx: Trx, versionId: string, onlyPartnerId: string | null) {
  let q = trx
    .selectFrom('partner as p')
    .where('p.status', '=', 'active')
    .select((eb) => [
      'p.tier',
      eb.fn.countAll<string>().as('partners'),
      eb.fn
        .count<string>('p.partnerId')
        .filterWhere(
          eb.exists(
            eb
              .selectFrom('ruleAcknowledgement as a')
              .select('a.appUserId')
              .whereRef('a.partnerId', '=', 'p.partnerId')
              .where('a.ruleSetVersionId', '=', versionId),
          ),
        )
        .as('acknowledgedPartners'),
    ])
    .groupBy('p.tier')
    .orderBy('p.tier');
  if (onlyPartnerId) q = q.where('p.partnerId', '=', onlyPartnerId);
  return (await q.execute()).map((r) => ({ tier: r.tier, partners: Number(r.partners), acknowledgedPartners: Number(r.acknowledgedPartners) }));
}

const personColumns = ['u.appUserId', 'u.displayName', 'u.email', 'u.partnerId', 'p.name as partnerName', 'p.tier as partnerTier'] as const;

export async function listAcknowledged(trx: Trx, versionId: string, onlyPartnerId: string | null, limit: number) {
  let q = trx
    .selectFrom('ruleAcknowledgement as a')
    .innerJoin('appUser as u', 'u.appUserId', 'a.appUserId')
    .leftJoin('partner as p', 'p.partnerId', 'u.partnerId')
    .select([...personColumns, 'a.acknowledgedAt'])
    .where('a.ruleSetVersionId', '=', versionId);
  if (onlyPartnerId) q = q.where('a.partnerId', '=', onlyPartnerId);
  return q.orderBy('a.acknowledgedAt', 'desc').orderBy('u.appUserId').limit(limit).execute();
}

export async function listPending(trx: Trx, versionId: string, onlyPartnerId: string | null, limit: number) {
  return audience(trx, onlyPartnerId)
    .select([...personColumns])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('ruleAcknowledgement as a')
            .select('a.appUserId')
            .whereRef('a.appUserId', '=', 'u.appUserId')
            .where('a.ruleSetVersionId', '=', versionId),
        ),
      ),
    )
    .orderBy('p.name', (ob) => ob.nullsFirst())
    .orderBy('u.displayName')
    .orderBy('u.appUserId')
    .limit(limit)
    .execute();
}

/** One page of the audience in id order, for the notification fan-out. */
export async function audiencePage(trx: Trx, afterUserId: string | null, limit: number) {
  let q = audience(trx, null).select(['u.appUserId', 'u.partnerId']);
  if (afterUserId) q = q.where('u.appUserId', '>', afterUserId);
  return q.orderBy('u.appUserId').limit(limit).execute();
}
