import type { z } from 'zod';
import type {
  AccountDetail,
  AccountOwnershipView,
  AccountView,
  accountListQuery,
  createAccountRequest,
  setAccountOwnershipRequest,
  updateAccountRequest,
} from '../../../common/api/accounts.ts';
import { dateOf } from '../../../common/dates.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canEditAccounts, canReadAccounts } from './accounts.policy.ts';
import * as repo from './accounts.repository.ts';
import { normaliseAccountName, normaliseDomain, ownershipProblem, periodContains, successionProblem } from './accounts.rules.ts';
export { normaliseAccountName, normaliseDomain } from './accounts.rules.ts';

function ownershipView(row: repo.OwnershipRow): AccountOwnershipView {
  return {
    id: row.accountOwnershipId,
    kind: row.kind,
    partnerId: row.partnerId,
    partnerName: row.partnerName,
    ownerUserId: row.ownerUserId,
    ownerName: row.ownerName,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function toView(row: repo.AccountRow, current: repo.OwnershipRow | undefined): AccountView {
  return {
    id: row.accountId,
    name: row.name,
    normalisedName: row.normalisedName,
    domain: row.domain,
    country: row.country,
    taxId: row.taxId,
    industry: row.industry,
    segment: row.segment,
    parentAccountId: row.parentAccountId,
    currentOwnership: current ? ownershipView(current) : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function auditable(row: repo.AccountRow) {
  return {
    name: row.name,
    domain: row.domain,
    country: row.country,
    taxId: row.taxId,
    industry: row.industry,
    segment: row.segment,
    parentAccountId: row.parentAccountId,
  };
}

function ownershipAudit(o: { kind: string; partnerId: string | null; ownerUserId: string | null; startsOn: string; endsOn: string | null }) {
  return { kind: o.kind, partnerId: o.partnerId, ownerUserId: o.ownerUserId, startsOn: o.startsOn, endsOn: o.endsOn };
}

/** Partner users are told nothing about accounts, not even that they exist. */
function assertReadable(actor: Actor): void {
  if (!canReadAccounts(actor)) throw notFound('Account');
}

function assertEditable(actor: Actor): void {
  assertReadable(actor);
  if (!canEditAccounts(actor)) throw new AppError('forbidden', 'Only administrators, channel managers and programme leads can change accounts');
}

function cleanDomain(domain: string | null): string | null {
  if (domain === null) return null;
  const d = normaliseDomain(domain);
  if (d === null) throw invalid('body.domain', 'must be a web domain such as example.com');
  return d;
}

async function assertDomainFree(trx: Trx, domain: string | null, self: string | null): Promise<void> {
  if (domain === null) return;
  const clash = await repo.findAccountByDomain(trx, domain);
  if (clash && clash.accountId !== self) {
    throw new AppError('conflict', `The domain ${domain} already belongs to the account "${clash.name}"`, {
      issues: [{ path: 'body.domain', message: 'is already taken' }],
    });
  }
}

async function assertParentFits(trx: Trx, parentAccountId: string | null, self: string | null): Promise<void> {
  if (parentAccountId === null) return;
  if (parentAccountId === self) throw invalid('body.parentAccountId', 'an account cannot be its own parent');
  const chain = await repo.ancestorIds(trx, parentAccountId);
  if (chain.length === 0) throw invalid('body.parentAccountId', 'refers to an account that does not exist');
  if (self !== null && chain.includes(self)) throw invalid('body.parentAccountId', 'would make the account its own ancestor');
}

export async function listAccounts(deps: Deps, actor: Actor, f: z.output<typeof accountListQuery>): Promise<{ items: AccountView[]; total: number }> {
  // Partners see no accounts yet: an empty page, the same answer RLS would give.
  if (!canReadAccounts(actor)) return { items: [], total: 0 };
  const today = dateOf(deps.clock.now());
  return inTransaction(deps, actor, async (trx) => {
    const normalisedQ = f.q ? normaliseAccountName(f.q) || f.q.toLowerCase() : undefined;
    const r = await repo.searchAccounts(trx, { ...f, normalisedQ });
    const current = await repo.ownershipOn(
      trx,
      r.items.map((a) => a.accountId),
      today,
    );
    const byAccount = new Map(current.map((o) => [o.accountId, o]));
    return { items: r.items.map((a) => toView(a, byAccount.get(a.accountId))), total: r.total };
  });
}

async function detail(trx: Trx, accountId: string, today: string): Promise<AccountDetail> {
  const row = await repo.findAccount(trx, accountId);
  if (!row) throw notFound('Account');
  const history = await repo.listOwnership(trx, accountId);
  const parent = row.parentAccountId ? await repo.findAccount(trx, row.parentAccountId) : undefined;
  return {
    ...toView(
      row,
      history.find((o) => periodContains(o, today)),
    ),
    parentAccountName: parent?.name ?? null,
    ownershipHistory: history.map(ownershipView),
  };
}

export async function getAccount(deps: Deps, actor: Actor, accountId: string): Promise<AccountDetail> {
  assertReadable(actor);
  return inTransaction(deps, actor, (trx) => detail(trx, accountId, dateOf(deps.clock.now())));
}

export async function createAccount(deps: Deps, actor: Actor, input: z.output<typeof createAccountRequest>): Promise<AccountDetail> {
  assertEditable(actor);
  const domain = cleanDomain(input.domain);
  const accountId = newId();
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    await assertDomainFree(trx, domain, null);
    await assertParentFits(trx, input.parentAccountId, null);
    await repo.insertAccount(trx, { accountId, ...input, domain, normalisedName: normaliseAccountName(input.name), createdAt: now, updatedAt: now });
    const row = await repo.findAccount(trx, accountId);
    if (!row) throw notFound('Account');
    await recordAudit(trx, deps, actor, { action: 'account.create', entityType: 'account', entityId: accountId, after: auditable(row) });
    return detail(trx, accountId, dateOf(now));
  });
}

export async function updateAccount(deps: Deps, actor: Actor, accountId: string, patch: z.output<typeof updateAccountRequest>): Promise<AccountDetail> {
  assertEditable(actor);
  const domain = patch.domain === undefined ? undefined : cleanDomain(patch.domain);
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findAccount(trx, accountId);
    if (!before) throw notFound('Account');
    if (domain !== undefined) await assertDomainFree(trx, domain, accountId);
    if (patch.parentAccountId !== undefined) await assertParentFits(trx, patch.parentAccountId, accountId);
    const changed = await repo.updateAccount(trx, accountId, {
      ...patch,
      ...(domain !== undefined ? { domain } : {}),
      ...(patch.name !== undefined ? { normalisedName: normaliseAccountName(patch.name) } : {}),
      updatedAt: now,
    });
    if (changed === 0) throw notFound('Account');
    const after = await repo.findAccount(trx, accountId);
    if (!after) throw notFound('Account');
    await recordAudit(trx, deps, actor, {
      action: 'account.update',
      entityType: 'account',
      entityId: accountId,
      before: auditable(before),
      after: auditable(after),
    });
    return detail(trx, accountId, dateOf(now));
  });
}

/**
 * Hands the account to a new owner from `startsOn`: the open period ends that day and a new one
 * opens, so the history of who owned it when is never rewritten.
 */
export async function setAccountOwnership(
  deps: Deps,
  actor: Actor,
  accountId: string,
  input: z.output<typeof setAccountOwnershipRequest>,
): Promise<AccountDetail> {
  assertEditable(actor);
  const problem = ownershipProblem(input);
  if (problem) throw invalid('body.partnerId', problem);
  const accountOwnershipId = newId();
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.lockAccount(trx, accountId))) throw notFound('Account');
    if (input.partnerId !== null && !(await repo.partnerExists(trx, input.partnerId)))
      throw invalid('body.partnerId', 'refers to a partner that does not exist');
    if (input.ownerUserId !== null) {
      const owner = await repo.findUserForOwnership(trx, input.ownerUserId);
      if (!owner) throw invalid('body.ownerUserId', 'refers to a user that does not exist');
      if (owner.partnerId !== null && owner.partnerId !== input.partnerId)
        throw invalid('body.ownerUserId', "a partner's user can only own the account for that partner");
    }
    const open = await repo.findOpenOwnership(trx, accountId);
    const succession = successionProblem(open, input.startsOn);
    if (succession) throw invalid('body.startsOn', succession);
    if (open) await repo.closeOwnership(trx, open.accountOwnershipId, input.startsOn);
    await repo.insertOwnership(trx, { accountOwnershipId, accountId, ...input, endsOn: null, createdAt: now });
    await recordAudit(trx, deps, actor, {
      action: 'account.ownership.set',
      entityType: 'account',
      entityId: accountId,
      partnerId: input.partnerId,
      before: open ? ownershipAudit(open) : null,
      after: ownershipAudit({ ...input, endsOn: null }),
    });
    return detail(trx, accountId, dateOf(now));
  });
}
