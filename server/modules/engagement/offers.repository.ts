import type { Insertable, Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

function withNames(trx: Trx) {
  return trx
    .selectFrom('dealOffer as o')
    .innerJoin('scenario as s', 's.scenarioId', 'o.scenarioId')
    .leftJoin('partner as p', 'p.partnerId', 'o.partnerId')
    .leftJoin('appUser as u', 'u.appUserId', 'o.offeredByUserId')
    .leftJoin('dealRegistration as r', 'r.dealRegistrationId', 'o.dealRegistrationId')
    .selectAll('o')
    .select([
      's.key as scenarioKey',
      's.name as scenarioName',
      'p.name as partnerName',
      'u.displayName as offeredByName',
      'r.reference as registrationReference',
    ]);
}

export async function findOffer(trx: Trx, id: string) {
  return withNames(trx).where('o.dealOfferId', '=', id).executeTakeFirst();
}
export type OfferRow = NonNullable<Awaited<ReturnType<typeof findOffer>>>;

export async function lockOffer(trx: Trx, id: string) {
  return trx.selectFrom('dealOffer').selectAll().where('dealOfferId', '=', id).forUpdate().executeTakeFirst();
}

export async function searchOffers(
  trx: Trx,
  f: { onlyPartnerId?: string | undefined; partnerId?: string | undefined; status?: string | undefined; limit: number; offset: number },
) {
  let q = withNames(trx);
  let c = trx.selectFrom('dealOffer as o').select((eb) => eb.fn.countAll<string>().as('n'));
  for (const pid of [f.onlyPartnerId, f.partnerId]) {
    if (!pid) continue;
    q = q.where('o.partnerId', '=', pid);
    c = c.where('o.partnerId', '=', pid);
  }
  if (f.status) {
    const s = f.status as OfferRow['status'];
    q = q.where('o.status', '=', s);
    c = c.where('o.status', '=', s);
  }
  const [items, count] = await Promise.all([
    q.orderBy('o.respondBy').orderBy('o.createdAt', 'desc').orderBy('o.dealOfferId').limit(f.limit).offset(f.offset).execute(),
    c.executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function insertOffer(trx: Trx, row: Insertable<DB['dealOffer']>): Promise<void> {
  await trx.insertInto('dealOffer').values(row).execute();
}

export async function updateOffer(trx: Trx, id: string, patch: Updateable<DB['dealOffer']>): Promise<void> {
  await trx.updateTable('dealOffer').set(patch).where('dealOfferId', '=', id).execute();
}

export async function partnerUserIds(trx: Trx, partnerId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('appUser')
    .select('appUserId')
    .where('partnerId', '=', partnerId)
    .where('status', '=', 'active')
    .orderBy('appUserId')
    .execute();
  return rows.map((r) => r.appUserId);
}

export async function lockExpiredOffers(trx: Trx, today: string, limit: number) {
  return trx
    .selectFrom('dealOffer')
    .selectAll()
    .where('status', '=', 'offered')
    .where('respondBy', '<', today)
    .orderBy('respondBy')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
