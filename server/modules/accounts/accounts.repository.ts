import { sql, type Insertable, type Updateable } from 'kysely';
import type { AccountSegment } from '../../../common/api/accounts.ts';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';

export type AccountFilter = {
  q?: string | undefined;
  normalisedQ?: string | undefined;
  segment?: AccountSegment | undefined;
  country?: string | undefined;
  limit: number;
  offset: number;
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/**
 * Name search: trigram similarity on the normalised name finds "Acme Incorporated" for "acme inc"
 * and survives typos; ilike on the raw name and domain finds fragments too short for trigrams.
 * Best matches first when searching, alphabetical otherwise.
 */
export async function searchAccounts(trx: Trx, f: AccountFilter) {
  let q = trx.selectFrom('account').selectAll();
  let c = trx.selectFrom('account').select((eb) => eb.fn.countAll<string>().as('n'));
  if (f.segment) {
    q = q.where('segment', '=', f.segment);
    c = c.where('segment', '=', f.segment);
  }
  if (f.country) {
    q = q.where('country', '=', f.country);
    c = c.where('country', '=', f.country);
  }
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    const norm = f.normalisedQ ?? f.q;
    const match = sql<boolean>`(normalised_name % ${norm} or name ilike ${pattern} or domain ilike ${pattern})`;
    q = q.where(match).orderBy(sql`similarity(normalised_name, ${norm})`, 'desc');
    c = c.where(match);
  }
  const [items, count] = await Promise.all([q.orderBy('name').orderBy('accountId').limit(f.limit).offset(f.offset).execute(), c.executeTakeFirstOrThrow()]);
  return { items, total: Number(count.n) };
}

export async function findAccount(trx: Trx, accountId: string) {
  return trx.selectFrom('account').selectAll().where('accountId', '=', accountId).executeTakeFirst();
}
export type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

/** Serialises ownership changes of one account. */
export async function lockAccount(trx: Trx, accountId: string) {
  return trx.selectFrom('account').select('accountId').where('accountId', '=', accountId).forUpdate().executeTakeFirst();
}

export async function findAccountByDomain(trx: Trx, domain: string) {
  return trx
    .selectFrom('account')
    .select(['accountId', 'name'])
    .where(sql<string>`lower(domain)`, '=', domain.toLowerCase())
    .executeTakeFirst();
}

export async function insertAccount(trx: Trx, row: Insertable<DB['account']>): Promise<void> {
  await trx.insertInto('account').values(row).execute();
}

export async function updateAccount(trx: Trx, accountId: string, patch: Updateable<DB['account']>): Promise<number> {
  const r = await trx.updateTable('account').set(patch).where('accountId', '=', accountId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The account itself and every account above it. */
export async function ancestorIds(trx: Trx, accountId: string): Promise<string[]> {
  const r = await sql<{ accountId: string }>`
    with recursive up(account_id, parent_account_id, depth) as (
      select account_id, parent_account_id, 0 from account where account_id = ${accountId}
      union all
      select a.account_id, a.parent_account_id, up.depth + 1 from account a join up on a.account_id = up.parent_account_id where up.depth < 100
    )
    select account_id from up`.execute(trx);
  return r.rows.map((x) => x.accountId);
}

const ownershipColumns = [
  'o.accountOwnershipId',
  'o.accountId',
  'o.kind',
  'o.partnerId',
  'o.ownerUserId',
  'o.startsOn',
  'o.endsOn',
  'o.createdAt',
  'p.name as partnerName',
  'u.displayName as ownerName',
] as const;

function ownerships(trx: Trx) {
  return trx
    .selectFrom('accountOwnership as o')
    .leftJoin('partner as p', 'p.partnerId', 'o.partnerId')
    .leftJoin('appUser as u', 'u.appUserId', 'o.ownerUserId')
    .select(ownershipColumns);
}

export async function listOwnership(trx: Trx, accountId: string) {
  return ownerships(trx).where('o.accountId', '=', accountId).orderBy('o.startsOn', 'desc').execute();
}
export type OwnershipRow = Awaited<ReturnType<typeof listOwnership>>[number];

/** For a page of accounts: the period of each that contains `day`. */
export async function ownershipOn(trx: Trx, accountIds: string[], day: string): Promise<OwnershipRow[]> {
  if (accountIds.length === 0) return [];
  return ownerships(trx)
    .where('o.accountId', 'in', accountIds)
    .where('o.startsOn', '<=', day)
    .where((eb) => eb.or([eb('o.endsOn', 'is', null), eb('o.endsOn', '>', day)]))
    .execute();
}

export async function findOpenOwnership(trx: Trx, accountId: string) {
  return trx.selectFrom('accountOwnership').selectAll().where('accountId', '=', accountId).where('endsOn', 'is', null).executeTakeFirst();
}

export async function closeOwnership(trx: Trx, accountOwnershipId: string, endsOn: string): Promise<void> {
  await trx.updateTable('accountOwnership').set({ endsOn }).where('accountOwnershipId', '=', accountOwnershipId).execute();
}

export async function insertOwnership(trx: Trx, row: Insertable<DB['accountOwnership']>): Promise<void> {
  await trx.insertInto('accountOwnership').values(row).execute();
}

export async function findUserForOwnership(trx: Trx, userId: string) {
  return trx.selectFrom('appUser').select(['appUserId', 'partnerId', 'status']).where('appUserId', '=', userId).executeTakeFirst();
}

export async function partnerExists(trx: Trx, partnerId: string): Promise<boolean> {
  return (await trx.selectFrom('partner').select('partnerId').where('partnerId', '=', partnerId).executeTakeFirst()) !== undefined;
}
