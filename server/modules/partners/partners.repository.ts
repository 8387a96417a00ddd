import { sql, type Insertable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

/**
 * When a partner last engaged, derived and never stored: the latest of its registrations, its
 * answers to vendor offers, its users' sign-ins and its rule acknowledgements. greatest() skips nulls.
 */
export const lastEngagementAt = sql<Date | null>`greatest(
  (select max(r.created_at) from deal_registration r where r.partner_id = partner.partner_id),
  (select max(o.responded_at) from deal_offer o where o.partner_id = partner.partner_id),
  (select max(u.last_login_at) from app_user u where u.partner_id = partner.partner_id),
  (select max(a.acknowledged_at) from rule_acknowledgement a where a.partner_id = partner.partner_id))`;

const channelManagerName = sql<string | null>`(select cm.display_name from app_user cm where cm.app_user_id = partner.channel_manager_user_id)`;

export type PartnerFilter = {
  q?: string | undefined;
  onlyPartnerId?: string | undefined;
  tier?: string | undefined;
  status?: PartnerRow['status'] | undefined;
  region?: string | undefined;
  specialisation?: string | undefined;
  channelManagerUserId?: string | undefined;
  limit: number;
  offset: number;
};

function filtered<Q extends SelectQueryBuilder<DB, 'partner', object>>(query: Q, f: PartnerFilter): Q {
  let q = query;
  if (f.onlyPartnerId) q = q.where('partnerId', '=', f.onlyPartnerId) as Q;
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('legalName', 'ilike', pattern)])) as Q;
  }
  if (f.tier) q = q.where('tier', '=', f.tier) as Q;
  if (f.status) q = q.where('status', '=', f.status) as Q;
  // Case-insensitive: "emea" finds a partner tagged "EMEA".
  if (f.region) q = q.where(sql<boolean>`lower(${f.region}) = any (select lower(x) from unnest(partner.regions) x)`) as Q;
  if (f.specialisation) q = q.where(sql<boolean>`lower(${f.specialisation}) = any (select lower(x) from unnest(partner.specialisations) x)`) as Q;
  if (f.channelManagerUserId) q = q.where('channelManagerUserId', '=', f.channelManagerUserId) as Q;
  return q;
}

export async function searchPartners(trx: Trx, f: PartnerFilter) {
  const q = filtered(
    trx
      .selectFrom('partner')
      .selectAll()
      .select([lastEngagementAt.as('lastEngagementAt'), channelManagerName.as('channelManagerName')]),
    f,
  );
  const c = filtered(
    trx.selectFrom('partner').select((eb) => eb.fn.countAll<string>().as('n')),
    f,
  );
  const [items, count] = await Promise.all([q.orderBy('name').orderBy('partnerId').limit(f.limit).offset(f.offset).execute(), c.executeTakeFirstOrThrow()]);
  return { items, total: Number(count.n) };
}

export async function findPartner(trx: Trx, partnerId: string) {
  return trx
    .selectFrom('partner')
    .selectAll()
    .select([lastEngagementAt.as('lastEngagementAt'), channelManagerName.as('channelManagerName')])
    .where('partnerId', '=', partnerId)
    .executeTakeFirst();
}
export type PartnerRow = NonNullable<Awaited<ReturnType<typeof findPartner>>>;

export async function findPartnerByName(trx: Trx, name: string) {
  return trx
    .selectFrom('partner')
    .select('partnerId')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function insertPartner(trx: Trx, row: Insertable<DB['partner']>): Promise<void> {
  await trx.insertInto('partner').values(row).execute();
}

export async function updatePartner(trx: Trx, partnerId: string, patch: Updateable<DB['partner']>): Promise<number> {
  const r = await trx.updateTable('partner').set(patch).where('partnerId', '=', partnerId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listContacts(trx: Trx, partnerId: string) {
  return trx.selectFrom('partnerContact').selectAll().where('partnerId', '=', partnerId).orderBy('isExecutive', 'desc').orderBy('name').execute();
}

export async function findContact(trx: Trx, partnerId: string, contactId: string) {
  return trx.selectFrom('partnerContact').selectAll().where('partnerId', '=', partnerId).where('partnerContactId', '=', contactId).executeTakeFirst();
}
export type ContactRow = NonNullable<Awaited<ReturnType<typeof findContact>>>;

export async function insertContact(trx: Trx, row: Insertable<DB['partnerContact']>): Promise<void> {
  await trx.insertInto('partnerContact').values(row).execute();
}

export async function updateContact(trx: Trx, contactId: string, patch: Updateable<DB['partnerContact']>): Promise<number> {
  const r = await trx.updateTable('partnerContact').set(patch).where('partnerContactId', '=', contactId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** An internal, active user holding the channel manager role: the only kind a partner may be assigned to. */
export async function findChannelManager(trx: Trx, userId: string) {
  return trx
    .selectFrom('appUser')
    .select(['appUserId', 'displayName'])
    .where('appUserId', '=', userId)
    .where('partnerId', 'is', null)
    .where('status', '=', 'active')
    .where(sql<boolean>`'channel_manager' = any(roles)`)
    .executeTakeFirst();
}
