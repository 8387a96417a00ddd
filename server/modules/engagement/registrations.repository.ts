import { sql, type Insertable, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';
import type { RegistrationStatus } from './engagement.table.ts';

export async function findPublishedRuleSet(trx: Trx) {
  return trx.selectFrom('ruleSetVersion').select(['ruleSetVersionId', 'version', 'rules']).where('status', '=', 'published').executeTakeFirst();
}

export async function findRuleSetVersion(trx: Trx, ruleSetVersionId: string) {
  return trx.selectFrom('ruleSetVersion').select(['ruleSetVersionId', 'version', 'rules']).where('ruleSetVersionId', '=', ruleSetVersionId).executeTakeFirst();
}

export async function findScenarioByKey(trx: Trx, key: string) {
  return trx.selectFrom('scenario').select(['scenarioId', 'key', 'name', 'active']).where('key', '=', key).executeTakeFirst();
}

export async function findPartnerForRegistration(trx: Trx, partnerId: string) {
  return trx
    .selectFrom('partner')
    .select(['partnerId', 'name', 'tier', 'status', 'channelManagerUserId'])
    .where('partnerId', '=', partnerId)
    .executeTakeFirst();
}

export async function nextReference(trx: Trx): Promise<string> {
  const r = await sql<{ n: string }>`select nextval('deal_registration_reference_seq') as n`.execute(trx);
  return `REG-${String(r.rows[0]?.n ?? '0').padStart(6, '0')}`;
}

export async function insertRegistration(trx: Trx, row: Insertable<DB['dealRegistration']>): Promise<void> {
  await trx.insertInto('dealRegistration').values(row).execute();
}

export async function updateRegistration(trx: Trx, id: string, patch: Updateable<DB['dealRegistration']>): Promise<number> {
  const r = await trx.updateTable('dealRegistration').set(patch).where('dealRegistrationId', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Locks the row for the rest of the transaction: transitions on one registration are serialised. */
export async function lockRegistration(trx: Trx, id: string) {
  return trx.selectFrom('dealRegistration').selectAll().where('dealRegistrationId', '=', id).forUpdate().executeTakeFirst();
}
export type RegistrationRow = NonNullable<Awaited<ReturnType<typeof lockRegistration>>>;

function withNames(trx: Trx) {
  return trx
    .selectFrom('dealRegistration as r')
    .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
    .leftJoin('partner as p', 'p.partnerId', 'r.partnerId')
    .leftJoin('appUser as rv', 'rv.appUserId', 'r.reviewerUserId')
    .leftJoin('appUser as es', 'es.appUserId', 'r.escalationUserId')
    .leftJoin('appUser as sb', 'sb.appUserId', 'r.submittedByUserId')
    .selectAll('r')
    .select([
      's.key as scenarioKey',
      's.name as scenarioName',
      'p.name as partnerName',
      'rv.displayName as reviewerName',
      'es.displayName as escalationName',
      'sb.displayName as submittedByName',
    ])
    .select((eb) =>
      eb
        .selectFrom('registrationEvent as e')
        .select('e.kind')
        .whereRef('e.dealRegistrationId', '=', 'r.dealRegistrationId')
        .where('e.kind', 'in', ['extension_requested', 'extension_granted', 'extension_denied'])
        .orderBy('e.at', 'desc')
        .orderBy('e.seq', 'desc')
        .limit(1)
        .as('lastExtensionEvent'),
    );
}

export async function findRegistration(trx: Trx, id: string) {
  return withNames(trx).where('r.dealRegistrationId', '=', id).executeTakeFirst();
}
export type RegistrationDetailRow = NonNullable<Awaited<ReturnType<typeof findRegistration>>>;

export async function findByClientReference(trx: Trx, partnerId: string, clientReference: string) {
  return trx
    .selectFrom('dealRegistration')
    .select(['dealRegistrationId', 'requestFingerprint'])
    .where('partnerId', '=', partnerId)
    .where('clientReference', '=', clientReference)
    .executeTakeFirst();
}

export async function findByClientReferences(trx: Trx, partnerId: string, refs: string[]) {
  if (refs.length === 0) return [];
  return trx
    .selectFrom('dealRegistration')
    .select(['dealRegistrationId', 'reference', 'clientReference', 'requestFingerprint'])
    .where('partnerId', '=', partnerId)
    .where('clientReference', 'in', refs)
    .execute();
}

export const openStatuses: readonly RegistrationStatus[] = ['submitted', 'under_review', 'more_info_requested'];

export type RegistrationFilter = {
  onlyPartnerId?: string | undefined;
  /** Internal users who are not channel staff see what is routed to them. */
  onlyRoutedToUserId?: string | undefined;
  q?: string | undefined;
  status?: RegistrationStatus | undefined;
  scenarioKey?: string | undefined;
  partnerId?: string | undefined;
  reviewerUserId?: string | undefined;
  unassignedOnly?: boolean;
  owningUnit?: string | undefined;
  overdueAt?: Date | undefined;
  open?: boolean | undefined;
  sort: 'created' | 'due';
  limit: number;
  offset: number;
};

export async function searchRegistrations(trx: Trx, f: RegistrationFilter) {
  let q = withNames(trx);
  let c = trx
    .selectFrom('dealRegistration as r')
    .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
    .select((eb) => eb.fn.countAll<string>().as('n'));
  // One filter function for both the page and the count keeps them in step.
  const apply = <T extends typeof q | typeof c>(x: T): T => {
    let y = x as typeof c;
    if (f.onlyPartnerId) y = y.where('r.partnerId', '=', f.onlyPartnerId);
    if (f.onlyRoutedToUserId) {
      const u = f.onlyRoutedToUserId;
      y = y.where((eb) => eb.or([eb('r.reviewerUserId', '=', u), eb('r.escalationUserId', '=', u)]));
    }
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      y = y.where((eb) => eb.or([eb('r.reference', 'ilike', pattern), eb('r.endCustomerName', 'ilike', pattern)]));
    }
    if (f.status) y = y.where('r.status', '=', f.status);
    if (f.scenarioKey) y = y.where('s.key', '=', f.scenarioKey);
    if (f.partnerId) y = y.where('r.partnerId', '=', f.partnerId);
    if (f.reviewerUserId) y = y.where('r.reviewerUserId', '=', f.reviewerUserId);
    if (f.unassignedOnly) y = y.where('r.reviewerUserId', 'is', null);
    if (f.owningUnit) y = y.where('r.owningUnit', '=', f.owningUnit);
    if (f.open) y = y.where('r.status', 'in', openStatuses);
    if (f.overdueAt) {
      const now = f.overdueAt;
      y = y
        .where('r.status', 'in', openStatuses)
        .where('r.firstResponseAt', 'is', null)
        .where((eb) => eb.or([eb('r.slaBreachedAt', 'is not', null), eb('r.slaDueAt', '<', now)]));
    }
    return y as T;
  };
  q = apply(q);
  c = apply(c);
  const ordered =
    f.sort === 'due'
      ? q.orderBy(sql`r.sla_due_at asc nulls last`).orderBy('r.createdAt', 'desc')
      : q.orderBy('r.createdAt', 'desc').orderBy('r.dealRegistrationId');
  const [items, count] = await Promise.all([ordered.limit(f.limit).offset(f.offset).execute(), c.executeTakeFirstOrThrow()]);
  return { items, total: Number(count.n) };
}

export async function insertEvent(trx: Trx, row: Insertable<DB['registrationEvent']>): Promise<void> {
  await trx.insertInto('registrationEvent').values(row).execute();
}

export async function listEvents(trx: Trx, registrationId: string, includeInternal: boolean) {
  let q = trx.selectFrom('registrationEvent').selectAll().where('dealRegistrationId', '=', registrationId);
  if (!includeInternal) q = q.where('internalOnly', '=', false);
  return q.orderBy('at').orderBy('seq').execute();
}

export async function findManagerOf(trx: Trx, userId: string): Promise<string | null> {
  const r = await trx.selectFrom('appUser').select('managerUserId').where('appUserId', '=', userId).executeTakeFirst();
  return r?.managerUserId ?? null;
}

export async function activeChannelManagerIds(trx: Trx): Promise<string[]> {
  const rows = await trx
    .selectFrom('appUser')
    .select('appUserId')
    .where('status', '=', 'active')
    .where('partnerId', 'is', null)
    .where(sql<boolean>`'channel_manager' = any(roles)`)
    .orderBy('appUserId')
    .execute();
  return rows.map((r) => r.appUserId);
}

export async function findAccountByKeys(trx: Trx, domain: string | null, taxId: string | null): Promise<string | null> {
  if (!domain && !taxId) return null;
  const r = await trx
    .selectFrom('account')
    .select('accountId')
    // Plain equality: domains are stored in lower case (a check constraint) and `domain` comes from
    // normaliseDomain. lower() is not leakproof, so under row-level security `lower(domain) = $1`
    // could use no index and read every account; `=` uses account_domain_idx (migration 0006).
    .where((eb) => eb.or([...(domain ? [eb('domain', '=', domain.toLowerCase())] : []), ...(taxId ? [eb('taxId', '=', taxId)] : [])]))
    .orderBy('createdAt')
    .orderBy('accountId')
    .limit(1)
    .executeTakeFirst();
  return r?.accountId ?? null;
}

/** Unanswered registrations past their due instant and not yet flagged; skipped when another run holds them. */
export async function lockOverdueUnflagged(trx: Trx, now: Date, limit: number) {
  return trx
    .selectFrom('dealRegistration')
    .selectAll()
    .where('status', 'in', openStatuses)
    .where('firstResponseAt', 'is', null)
    .where('slaBreachedAt', 'is', null)
    .where('slaDueAt', '<', now)
    .orderBy('slaDueAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function lockProtectionExpired(trx: Trx, today: string, limit: number) {
  return trx
    .selectFrom('dealRegistration')
    .selectAll()
    .where('status', '=', 'approved')
    .where('protectionEndsOn', '<', today)
    .orderBy('protectionEndsOn')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
