import type { Insertable, Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

export async function searchPartners(trx: Trx, f: { q?: string | undefined; onlyPartnerId?: string | undefined; limit: number; offset: number }) {
  let q = trx.selectFrom('partner').selectAll();
  let c = trx.selectFrom('partner').select((eb) => eb.fn.countAll<string>().as('n'));
  if (f.onlyPartnerId) {
    q = q.where('partnerId', '=', f.onlyPartnerId);
    c = c.where('partnerId', '=', f.onlyPartnerId);
  }
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('legalName', 'ilike', pattern)]));
    c = c.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('legalName', 'ilike', pattern)]));
  }
  const [items, count] = await Promise.all([q.orderBy('name').orderBy('partnerId').limit(f.limit).offset(f.offset).execute(), c.executeTakeFirstOrThrow()]);
  return { items, total: Number(count.n) };
}

export async function findPartner(trx: Trx, partnerId: string) {
  return trx.selectFrom('partner').selectAll().where('partnerId', '=', partnerId).executeTakeFirst();
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
