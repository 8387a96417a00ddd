import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { z } from 'zod';
import type { createApiTokenRequest, createUserRequest, updateUserRequest, UserView } from '../../../common/api/identity.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type Actor, type UserActor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId, newSecret, sha256Hex } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './identity.repository.ts';
import { canListUsers, canManageAllUsers, canManageUsersOf, rolesFit } from './identity.policy.ts';

/** Hashed once at start-up so a sign-in for an unknown e-mail costs the same as a wrong password. */
const dummyHash = argonHash('realign-timing-equaliser');

export function hashPassword(password: string): Promise<string> {
  return argonHash(password); // argon2id, the library's default algorithm and parameters
}

function toUserView(row: repo.UserRow): UserView {
  return {
    id: row.appUserId,
    email: row.email,
    displayName: row.displayName,
    partnerId: row.partnerId,
    partnerName: row.partnerName,
    roles: row.roles,
    status: row.status,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function userAudit(row: repo.UserRow) {
  const v = toUserView(row);
  return { email: v.email, displayName: v.displayName, partnerId: v.partnerId, roles: v.roles, status: v.status };
}

export type SignedIn = { user: UserView; sessionToken: string; csrfToken: string; expiresAt: Date };

async function openSession(
  deps: Deps,
  userId: string,
  client: { ip: string; userAgent: string | null; requestId: string | null },
  action: 'auth.login' | 'auth.setup',
  setupInput?: { email: string; passwordHash: string; displayName: string },
): Promise<SignedIn> {
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.auth.sessionHours * 3_600_000);
  return inScope(deps.db, { kind: 'system' }, async (trx) => {
    if (setupInput) {
      await repo.lockSetup(trx);
      if ((await repo.countUsers(trx)) > 0) throw new AppError('setup_done', 'Realign is already set up: sign in instead');
      await repo.insertUser(trx, {
        appUserId: userId,
        email: setupInput.email,
        displayName: setupInput.displayName,
        passwordHash: setupInput.passwordHash,
        partnerId: null,
        roles: ['admin'],
        status: 'active',
        managerUserId: null,
        lockedUntil: null,
        lastLoginAt: null,
      });
    }
    await repo.insertSession(trx, {
      sessionId: sha256Hex(sessionToken),
      appUserId: userId,
      csrfToken,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    });
    await repo.updateUser(trx, userId, { lastLoginAt: now });
    const row = await repo.findUser(trx, userId);
    if (!row) throw notFound('User');
    const actor = actorFromRow(row, 'session', client.requestId);
    await recordAudit(trx, deps, actor, {
      action,
      entityType: 'user',
      entityId: userId,
      partnerId: row.partnerId,
      after: action === 'auth.setup' ? userAudit(row) : { ip: client.ip },
    });
    return { user: toUserView(row), sessionToken, csrfToken, expiresAt };
  });
}

function actorFromRow(
  row: { appUserId: string; email: string; displayName: string; partnerId: string | null; roles: Role[] },
  via: 'session' | 'token',
  requestId: string | null,
): UserActor {
  return { kind: 'user', userId: row.appUserId, email: row.email, displayName: row.displayName, partnerId: row.partnerId, roles: row.roles, via, requestId };
}

export async function needsSetup(deps: Deps): Promise<boolean> {
  return inScope(deps.db, { kind: 'system' }, async (trx) => (await repo.countUsers(trx)) === 0);
}

/** First-run setup: creates the first administrator and signs them in; refused once any user exists. */
export async function setupFirstAdmin(
  deps: Deps,
  input: { email: string; password: string; displayName: string },
  client: { ip: string; userAgent: string | null; requestId: string | null },
): Promise<SignedIn> {
  const passwordHash = await hashPassword(input.password);
  return openSession(deps, newId(), client, 'auth.setup', { email: input.email, passwordHash, displayName: input.displayName });
}

export async function login(
  deps: Deps,
  input: { email: string; password: string },
  client: { ip: string; userAgent: string | null; requestId: string | null },
): Promise<SignedIn> {
  const { loginMaxFailures, loginLockMinutes } = deps.config.auth;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - loginLockMinutes * 60_000);
  const found = await inScope(deps.db, { kind: 'system' }, async (trx) => {
    const [byEmail, byIp] = await Promise.all([
      repo.countLoginFailures(trx, { email: input.email, since }),
      repo.countLoginFailures(trx, { ip: client.ip, since }),
    ]);
    if (byIp >= loginMaxFailures * 10) {
      throw new AppError('rate_limited', 'Too many sign-in attempts from this address; wait a few minutes and try again', {
        retryAfterSeconds: loginLockMinutes * 60,
      });
    }
    if (byEmail >= loginMaxFailures) {
      throw new AppError('locked', `Too many failed sign-ins for this account: it is locked for ${loginLockMinutes} minutes`, {
        retryAfterSeconds: loginLockMinutes * 60,
      });
    }
    return repo.findUserByEmailForLogin(trx, input.email);
  });
  const passwordOk = found?.passwordHash ? await argonVerify(found.passwordHash, input.password) : (await argonVerify(await dummyHash, input.password), false);
  if (!found || !passwordOk || found.status !== 'active') {
    // The failure is committed on its own: the sign-in fails, the count stays.
    await inScope(deps.db, { kind: 'system' }, (trx) => repo.recordLoginFailure(trx, input.email, client.ip, now));
    throw new AppError('unauthenticated', 'The e-mail or password is wrong, or the account is disabled');
  }
  await inScope(deps.db, { kind: 'system' }, (trx) => repo.clearLoginFailures(trx, input.email));
  return openSession(deps, found.appUserId, client, 'auth.login');
}

export async function logout(deps: Deps, actor: Actor, sessionToken: string): Promise<void> {
  await inScope(deps.db, { kind: 'system' }, async (trx) => {
    const deleted = await repo.deleteSession(trx, sha256Hex(sessionToken));
    if (deleted > 0) {
      await recordAudit(trx, deps, actor, { action: 'auth.logout', entityType: 'user', entityId: actor.kind === 'user' ? actor.userId : null });
    }
  });
}

export type Authenticated = { actor: UserActor; csrfToken: string | null; scopes: readonly ('read' | 'write')[] };

/**
 * Session cookie -> actor. Expired sessions and disabled users are unauthenticated. One statement
 * outside any transaction (it also keeps last-seen fresh, at most once a minute).
 */
export async function authenticateSession(deps: Deps, sessionToken: string, requestId: string | null): Promise<Authenticated | null> {
  const now = deps.clock.now();
  const s = await repo.authenticateSessionRow(deps.db, sha256Hex(sessionToken), now);
  if (!s || s.status !== 'active') return null;
  return { actor: actorFromRow(s, 'session', requestId), csrfToken: s.csrfToken, scopes: ['read', 'write'] as const };
}

const TOKEN_PREFIX = 'rlgn_';

export async function authenticateApiToken(deps: Deps, token: string, requestId: string | null): Promise<Authenticated | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const now = deps.clock.now();
  const t = await repo.authenticateApiTokenRow(deps.db, sha256Hex(token), now);
  if (!t || t.revokedAt || t.expiresAt <= now || t.status !== 'active') return null;
  return { actor: actorFromRow(t, 'token', requestId), csrfToken: null, scopes: t.scopes };
}

export async function currentUser(deps: Deps, actor: UserActor): Promise<UserView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findUser(trx, actor.userId);
    if (!row) throw notFound('User');
    return toUserView(row);
  });
}

export async function listUsers(
  deps: Deps,
  actor: Actor,
  f: { q?: string | undefined; limit: number; offset: number; partnerId?: string | null },
): Promise<{ items: UserView[]; total: number }> {
  if (!canListUsers(actor)) throw new AppError('forbidden', 'Only administrators can list users');
  const partnerFilter = canManageAllUsers(actor) || !deps.isolationChecks ? f.partnerId : (actor as UserActor).partnerId;
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.searchUsers(trx, { ...f, partnerId: partnerFilter });
    return { items: r.items.map(toUserView), total: r.total };
  });
}

/** The users of one partner organisation: for its own people and for the vendor's staff. */
export async function listPartnerUsers(deps: Deps, actor: Actor, partnerId: string): Promise<UserView[]> {
  if (deps.isolationChecks && actor.kind === 'user' && actor.partnerId !== null && actor.partnerId !== partnerId) throw notFound('Partner');
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.searchUsers(trx, { partnerId, limit: 1000, offset: 0 });
    return r.items.map(toUserView);
  });
}

export async function getUser(deps: Deps, actor: Actor, userId: string): Promise<UserView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findUser(trx, userId);
    const self = actor.kind === 'user' && actor.userId === userId;
    if (!row || (deps.isolationChecks && !self && !canManageUsersOf(actor, row.partnerId))) throw notFound('User');
    return toUserView(row);
  });
}

export async function createUser(deps: Deps, actor: Actor, input: z.output<typeof createUserRequest>): Promise<UserView> {
  if (deps.isolationChecks && !canManageUsersOf(actor, input.partnerId)) {
    if (input.partnerId !== null && actor.kind === 'user' && actor.partnerId !== null) throw notFound('Partner');
    throw new AppError('forbidden', 'You may not create users here');
  }
  if (!rolesFit(input.roles, input.partnerId)) {
    throw new AppError('validation_failed', 'roles: partner users take partner roles only, internal users internal roles only', {
      issues: [
        { path: 'body.roles', message: 'partner users take partner roles only (partner_admin, partner_seller); internal users take internal roles only' },
      ],
    });
  }
  const passwordHash = await hashPassword(input.password);
  const userId = newId();
  return inTransaction(deps, actor, async (trx) => {
    if (input.partnerId !== null) {
      const partner = await trx.selectFrom('partner').select('partnerId').where('partnerId', '=', input.partnerId).executeTakeFirst();
      if (!partner) throw notFound('Partner');
    }
    const existing = await trx.selectFrom('appUser').select('appUserId').where('email', '=', input.email).executeTakeFirst();
    if (existing)
      throw new AppError('conflict', `A user with e-mail ${input.email} already exists`, { issues: [{ path: 'body.email', message: 'is already taken' }] });
    await repo.insertUser(trx, {
      appUserId: userId,
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      partnerId: input.partnerId,
      roles: [...new Set(input.roles)],
      status: 'active',
      managerUserId: input.managerUserId,
      lockedUntil: null,
      lastLoginAt: null,
    });
    const row = await repo.findUser(trx, userId);
    if (!row) throw notFound('User');
    await recordAudit(trx, deps, actor, { action: 'user.create', entityType: 'user', entityId: userId, partnerId: row.partnerId, after: userAudit(row) });
    return toUserView(row);
  });
}

export async function updateUser(deps: Deps, actor: Actor, userId: string, patch: z.output<typeof updateUserRequest>): Promise<UserView> {
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findUser(trx, userId);
    if (!before || (deps.isolationChecks && !canManageUsersOf(actor, before.partnerId))) throw notFound('User');
    if (patch.roles && !rolesFit(patch.roles, before.partnerId)) {
      throw new AppError('validation_failed', 'roles: partner users take partner roles only, internal users internal roles only', {
        issues: [{ path: 'body.roles', message: 'does not fit this kind of user' }],
      });
    }
    const changed = await repo.updateUser(trx, userId, {
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.roles !== undefined ? { roles: [...new Set(patch.roles)] } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updatedAt: deps.clock.now(),
    });
    if (changed === 0) throw notFound('User');
    if (patch.status === 'disabled') await repo.deleteSessionsOfUser(trx, userId);
    const after = await repo.findUser(trx, userId);
    if (!after) throw notFound('User');
    await recordAudit(trx, deps, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: userId,
      partnerId: after.partnerId,
      before: userAudit(before),
      after: userAudit(after),
    });
    return toUserView(after);
  });
}

function tokenView(row: Awaited<ReturnType<typeof repo.listApiTokens>>[number]) {
  return {
    id: row.apiTokenId,
    name: row.name,
    prefix: row.tokenPrefix,
    scopes: row.scopes,
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export async function listApiTokens(deps: Deps, actor: UserActor) {
  return inTransaction(deps, actor, async (trx) => (await repo.listApiTokens(trx, actor.userId)).map(tokenView));
}

/** A token acts as the user who made it, limited to its scopes; only its hash is stored. */
export async function createApiToken(deps: Deps, actor: UserActor, input: z.output<typeof createApiTokenRequest>) {
  const secret = newSecret();
  const prefix = secret.slice(0, 8);
  const token = `${TOKEN_PREFIX}${secret}`;
  const now = deps.clock.now();
  const apiTokenId = newId();
  return inTransaction(deps, actor, async (trx) => {
    await repo.insertApiToken(trx, {
      apiTokenId,
      appUserId: actor.userId,
      partnerId: actor.partnerId,
      name: input.name,
      tokenHash: sha256Hex(token),
      tokenPrefix: `${TOKEN_PREFIX}${prefix}`,
      scopes: [...new Set(input.scopes)],
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
      createdAt: now,
    });
    const row = await repo.findApiToken(trx, apiTokenId);
    if (!row) throw notFound('API token');
    const view = tokenView(row);
    await recordAudit(trx, deps, actor, { action: 'api_token.create', entityType: 'api_token', entityId: apiTokenId, partnerId: actor.partnerId, after: view });
    return { ...view, token };
  });
}

export async function revokeApiToken(deps: Deps, actor: UserActor, tokenId: string): Promise<void> {
  await inTransaction(deps, actor, async (trx) => {
    const row = await repo.findApiToken(trx, tokenId);
    if (!row || row.appUserId !== actor.userId) throw notFound('API token');
    if (row.revokedAt) return;
    await repo.revokeApiToken(trx, tokenId, deps.clock.now());
    await recordAudit(trx, deps, actor, {
      action: 'api_token.revoke',
      entityType: 'api_token',
      entityId: tokenId,
      partnerId: actor.partnerId,
      before: tokenView(row),
    });
  });
}

/** Housekeeping run by a recurring job: expired sessions and old login failures go. */
export async function purgeExpiredSessions(deps: Deps): Promise<{ sessions: number; failures: number }> {
  const now = deps.clock.now();
  return inTransaction(deps, systemActor('identity.purge'), async (trx) => ({
    sessions: await repo.deleteExpiredSessions(trx, now),
    failures: await repo.deleteOldLoginFailures(trx, new Date(now.getTime() - 24 * 3_600_000)),
  }));
}

/** For the CLI: creates an internal administrator (refuses an e-mail already taken). */
export async function createAdminFromCli(deps: Deps, input: { email: string; password: string; displayName: string }): Promise<UserView> {
  return createUser(deps, systemActor('cli'), { ...input, roles: ['admin'], partnerId: null, managerUserId: null });
}
