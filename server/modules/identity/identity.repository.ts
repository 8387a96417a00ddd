import { sql } from 'kysely';
import type { Trx } from '../../db/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Role } from '../../../common/roles.ts';

const userColumns = [
  'appUser.appUserId',
  'appUser.email',
  'appUser.displayName',
  'appUser.partnerId',
  'appUser.roles',
  'appUser.status',
  'appUser.managerUserId',
  'appUser.lockedUntil',
  'appUser.lastLoginAt',
  'appUser.createdAt',
] as const;

export function selectUsers(trx: Trx) {
  return trx
    .selectFrom('appUser')
    .leftJoin('partner', 'partner.partnerId', 'appUser.partnerId')
    .select([...userColumns, 'partner.name as partnerName']);
}
export type UserRow = Awaited<ReturnType<ReturnType<typeof selectUsers>['executeTakeFirstOrThrow']>>;

export async function countUsers(trx: Trx): Promise<number> {
  const r = await trx
    .selectFrom('appUser')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findUserByEmailForLogin(trx: Trx, email: string) {
  return trx.selectFrom('appUser').select(['appUserId', 'passwordHash', 'status', 'lockedUntil']).where('email', '=', email).executeTakeFirst();
}

export async function findUser(trx: Trx, userId: string): Promise<UserRow | undefined> {
  return selectUsers(trx).where('appUser.appUserId', '=', userId).executeTakeFirst();
}

export async function searchUsers(trx: Trx, f: { q?: string | undefined; partnerId?: string | null | undefined; limit: number; offset: number }) {
  let q = selectUsers(trx);
  let c = trx.selectFrom('appUser').select((eb) => eb.fn.countAll<string>().as('n'));
  if (f.partnerId !== undefined) {
    q = f.partnerId === null ? q.where('appUser.partnerId', 'is', null) : q.where('appUser.partnerId', '=', f.partnerId);
    c = f.partnerId === null ? c.where('appUser.partnerId', 'is', null) : c.where('appUser.partnerId', '=', f.partnerId);
  }
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([eb('appUser.email', 'ilike', pattern), eb('appUser.displayName', 'ilike', pattern)]));
    c = c.where((eb) => eb.or([eb('appUser.email', 'ilike', pattern), eb('appUser.displayName', 'ilike', pattern)]));
  }
  const [items, count] = await Promise.all([
    q.orderBy('appUser.displayName').orderBy('appUser.appUserId').limit(f.limit).offset(f.offset).execute(),
    c.executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function insertUser(trx: Trx, row: Insertable<DB['appUser']>): Promise<void> {
  await trx.insertInto('appUser').values(row).execute();
}

export async function updateUser(trx: Trx, userId: string, patch: Updateable<DB['appUser']>): Promise<number> {
  const r = await trx.updateTable('appUser').set(patch).where('appUserId', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function recordLoginFailure(trx: Trx, email: string, ip: string, at: Date): Promise<void> {
  await trx.insertInto('loginFailure').values({ email, ip, failedAt: at }).execute();
}

export async function countLoginFailures(trx: Trx, f: { email?: string; ip?: string; since: Date }): Promise<number> {
  let q = trx
    .selectFrom('loginFailure')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('failedAt', '>=', f.since);
  if (f.email) q = q.where('email', '=', f.email);
  if (f.ip) q = q.where('ip', '=', f.ip);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function clearLoginFailures(trx: Trx, email: string): Promise<void> {
  await trx.deleteFrom('loginFailure').where('email', '=', email).execute();
}

export async function insertSession(trx: Trx, row: Insertable<DB['session']>): Promise<void> {
  await trx.insertInto('session').values(row).execute();
}

type SignedInUser = { appUserId: string; email: string; displayName: string; partnerId: string | null; roles: Role[]; status: 'active' | 'disabled' };

/**
 * A request's sign-in by session in one statement outside any transaction (migration 0028): the
 * live session and its user under the system scope, and last-seen brought up to date when it is
 * more than a minute old and the user is active.
 */
export async function authenticateSessionRow(db: Kysely<DB>, sessionId: string, now: Date) {
  const r = await sql<
    { sessionId: string; csrfToken: string; lastSeenAt: Date } & SignedInUser
  >`select * from realign_authenticate_session(${sessionId}, ${now})`.execute(db);
  return r.rows[0];
}

/** The same for an API token (by its hash): the token and its user, last-used brought up to date when it signs the request in. */
export async function authenticateApiTokenRow(db: Kysely<DB>, tokenHash: string, now: Date) {
  const r = await sql<
    { apiTokenId: string; scopes: ('read' | 'write')[]; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null } & SignedInUser
  >`select * from realign_authenticate_api_token(${tokenHash}, ${now})`.execute(db);
  return r.rows[0];
}

export async function deleteSession(trx: Trx, sessionId: string): Promise<number> {
  const r = await trx.deleteFrom('session').where('sessionId', '=', sessionId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteSessionsOfUser(trx: Trx, userId: string): Promise<void> {
  await trx.deleteFrom('session').where('appUserId', '=', userId).execute();
}

export async function deleteExpiredSessions(trx: Trx, now: Date): Promise<number> {
  const r = await trx.deleteFrom('session').where('expiresAt', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteOldLoginFailures(trx: Trx, before: Date): Promise<number> {
  const r = await trx.deleteFrom('loginFailure').where('failedAt', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertApiToken(trx: Trx, row: Insertable<DB['apiToken']>): Promise<void> {
  await trx.insertInto('apiToken').values(row).execute();
}

export async function listApiTokens(trx: Trx, userId: string) {
  return trx.selectFrom('apiToken').selectAll().where('appUserId', '=', userId).orderBy('createdAt', 'desc').execute();
}

export async function findApiToken(trx: Trx, tokenId: string) {
  return trx.selectFrom('apiToken').selectAll().where('apiTokenId', '=', tokenId).executeTakeFirst();
}

export async function revokeApiToken(trx: Trx, tokenId: string, at: Date): Promise<void> {
  await trx.updateTable('apiToken').set({ revokedAt: at }).where('apiTokenId', '=', tokenId).execute();
}

/** Serialises first-run setup across processes: two setups at once yield one admin. */
export async function lockSetup(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('realign.first-run-setup'))`.execute(trx);
}
