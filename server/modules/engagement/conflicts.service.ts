import {
  NEUTRAL_REASON_EARLIER,
  NEUTRAL_REASON_PREFERRED,
  type ConflictAccount,
  type ConflictDetail,
  type ConflictHeatmap,
  type ConflictList,
  type ConflictListQuery,
  type ConflictParty,
  type ConflictResolution,
  type ConflictView,
  type HeatmapQuery,
  type ResolveConflictRequest,
} from '../../../common/api/engagement-conflicts.ts';
import { ruleSetContent, type RuleSetContent } from '../../../common/api/rules.ts';
import { addDays, dateOf } from '../../../common/dates.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as heatmapRepo from './conflicts-heatmap.repository.ts';
import { canWorkConflicts, isPartnerUser } from './conflicts.policy.ts';
import type { RegistrationStatus } from './engagement.table.ts';
import { protectionEndsOn } from './rules-engine.rules.ts';
import { renderRuleSetPlain } from './rules-text.rules.ts';

/**
 * Conflict resolution and the conflict heat map: channel managers, the programme lead and
 * administrators see both sides of a conflict and decide. Registration status changes made by a
 * decision are written here (deal_registration and registration_event belong to this module) with
 * a neutral reason: a partner reads what happened to its own registration, never who else claimed
 * the customer.
 */

const DAY_MS = 86_400_000;
const pending: readonly RegistrationStatus[] = ['submitted', 'under_review', 'more_info_requested'];

/** Partners are told nothing exists; other internal staff are refused. */
function assertAllowed(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Conflict');
  if (!canWorkConflicts(actor)) throw new AppError('forbidden', 'Conflicts are worked by channel managers, the programme lead and administrators');
}

function iso(d: Date | string | null): string | null {
  return d ? new Date(d).toISOString() : null;
}

// ---------------------------------------------------------------------------------------------
// SQL

type ConflictRow = {
  registrationConflictId: string;
  dealRegistrationId: string;
  otherRegistrationId: string | null;
  accountId: string | null;
  kind: 'partner_vs_partner' | 'partner_vs_direct';
  matchReason: 'domain' | 'tax_id' | 'name' | 'account';
  similarity: number | null;
  status: 'open' | 'resolved';
  resolution: ConflictResolution | null;
  resolutionNote: string | null;
  resolvedByUserId: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
  resolvedByName: string | null;
};

function selectConflicts(trx: Trx) {
  return trx
    .selectFrom('registrationConflict as c')
    .leftJoin('appUser as u', 'u.appUserId', 'c.resolvedByUserId')
    .selectAll('c')
    .select('u.displayName as resolvedByName');
}

async function findConflict(trx: Trx, id: string): Promise<ConflictRow | undefined> {
  return selectConflicts(trx).where('c.registrationConflictId', '=', id).executeTakeFirst();
}

function selectParties(trx: Trx) {
  return trx
    .selectFrom('dealRegistration as r')
    .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
    .innerJoin('partner as p', 'p.partnerId', 'r.partnerId')
    .select([
      'r.dealRegistrationId',
      'r.reference',
      'r.partnerId',
      'p.name as partnerName',
      's.key as scenarioKey',
      's.name as scenarioName',
      'r.status',
      'r.endCustomerName',
      'r.endCustomerDomain',
      'r.endCustomerCountry',
      'r.endCustomerTaxId',
      'r.productLine',
      'r.valueMinor',
      'r.currency',
      'r.submittedAt',
      'r.expectedCloseOn',
      'r.protectionEndsOn',
      'r.decidedAt',
      'r.inConflict',
      'r.ruleSetVersionId',
      'r.submittedByUserId',
      'r.firstResponseAt',
    ]);
}
type PartyRow = Awaited<ReturnType<ReturnType<typeof selectParties>['executeTakeFirstOrThrow']>>;

async function findParties(trx: Trx, ids: string[]): Promise<Map<string, PartyRow>> {
  if (ids.length === 0) return new Map();
  const rows = await selectParties(trx).where('r.dealRegistrationId', 'in', ids).execute();
  return new Map(rows.map((r) => [r.dealRegistrationId, r]));
}

async function findAccounts(trx: Trx, ids: string[], today: string): Promise<Map<string, ConflictAccount>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('account as a')
    .leftJoin('accountOwnership as o', (j) =>
      j
        .onRef('o.accountId', '=', 'a.accountId')
        .on('o.startsOn', '<=', today)
        .on((eb) => eb.or([eb('o.endsOn', 'is', null), eb('o.endsOn', '>', today)])),
    )
    .leftJoin('appUser as ou', 'ou.appUserId', 'o.ownerUserId')
    .leftJoin('partner as op', 'op.partnerId', 'o.partnerId')
    .select(['a.accountId', 'a.name', 'a.domain', 'a.country', 'o.kind', 'o.startsOn', 'ou.displayName as ownerUserName', 'op.name as partnerName'])
    .where('a.accountId', 'in', ids)
    .orderBy('o.startsOn', 'desc')
    .execute();
  const out = new Map<string, ConflictAccount>();
  for (const r of rows) {
    if (out.has(r.accountId)) continue;
    out.set(r.accountId, {
      accountId: r.accountId,
      name: r.name,
      domain: r.domain,
      country: r.country,
      currentOwner: r.kind && r.startsOn ? { kind: r.kind, ownerUserName: r.ownerUserName, partnerName: r.partnerName, startsOn: r.startsOn } : null,
    });
  }
  return out;
}

/** Row locks in id order, so two resolutions touching the same registrations cannot deadlock. */
async function lockRegistrations(trx: Trx, ids: string[]) {
  const sorted = [...new Set(ids)].sort();
  const rows = await trx
    .selectFrom('dealRegistration')
    .select([
      'dealRegistrationId',
      'partnerId',
      'reference',
      'status',
      'endCustomerName',
      'submittedByUserId',
      'ruleSetVersionId',
      'protectionEndsOn',
      'firstResponseAt',
      'inConflict',
    ])
    .where('dealRegistrationId', 'in', sorted)
    .orderBy('dealRegistrationId')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.dealRegistrationId, r]));
}
type LockedRegistration = NonNullable<ReturnType<Awaited<ReturnType<typeof lockRegistrations>>['get']>>;

async function hasOpenConflicts(trx: Trx, registrationId: string): Promise<boolean> {
  const r = await trx
    .selectFrom('registrationConflict')
    .select('registrationConflictId')
    .where('dealRegistrationId', '=', registrationId)
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

async function rulesOf(trx: Trx, ruleSetVersionId: string | null) {
  if (!ruleSetVersionId) return null;
  const row = await trx
    .selectFrom('ruleSetVersion')
    .select(['ruleSetVersionId', 'version', 'title', 'rules'])
    .where('ruleSetVersionId', '=', ruleSetVersionId)
    .executeTakeFirst();
  if (!row) return null;
  const parsed = ruleSetContent.safeParse(row.rules);
  return parsed.success ? { id: row.ruleSetVersionId, version: row.version, title: row.title, rules: parsed.data } : null;
}

// ---------------------------------------------------------------------------------------------
// Views

function partyView(p: PartyRow): ConflictParty {
  return {
    registrationId: p.dealRegistrationId,
    reference: p.reference,
    partnerId: p.partnerId,
    partnerName: p.partnerName,
    scenario: { key: p.scenarioKey, name: p.scenarioName },
    status: p.status,
    endCustomerName: p.endCustomerName,
    endCustomerDomain: p.endCustomerDomain,
    endCustomerCountry: p.endCustomerCountry,
    endCustomerTaxId: p.endCustomerTaxId,
    productLine: p.productLine,
    valueMinor: Number(p.valueMinor),
    currency: p.currency,
    submittedAt: iso(p.submittedAt),
    expectedCloseOn: p.expectedCloseOn,
    protectionEndsOn: p.protectionEndsOn,
    decidedAt: iso(p.decidedAt),
    inConflict: p.inConflict,
  };
}

function conflictView(c: ConflictRow, parties: Map<string, PartyRow>, accounts: Map<string, ConflictAccount>, now: Date): ConflictView {
  const reg = parties.get(c.dealRegistrationId);
  if (!reg) throw new Error(`registration ${c.dealRegistrationId} of conflict ${c.registrationConflictId} is missing`);
  const other = c.otherRegistrationId ? parties.get(c.otherRegistrationId) : undefined;
  const end = c.resolvedAt ? new Date(c.resolvedAt) : now;
  return {
    id: c.registrationConflictId,
    kind: c.kind,
    matchReason: c.matchReason,
    similarity: c.similarity,
    status: c.status,
    resolution: c.resolution,
    resolutionNote: c.resolutionNote,
    resolvedByName: c.resolvedByName,
    resolvedAt: iso(c.resolvedAt),
    createdAt: new Date(c.createdAt).toISOString(),
    ageDays: Math.max(0, Math.floor((end.getTime() - new Date(c.createdAt).getTime()) / DAY_MS)),
    registration: partyView(reg),
    other: other ? partyView(other) : null,
    account: c.accountId ? (accounts.get(c.accountId) ?? null) : null,
  };
}

async function viewsOf(trx: Trx, rows: ConflictRow[], now: Date): Promise<ConflictView[]> {
  const regIds = rows.flatMap((c) => [c.dealRegistrationId, ...(c.otherRegistrationId ? [c.otherRegistrationId] : [])]);
  const accountIds = rows.flatMap((c) => (c.accountId ? [c.accountId] : []));
  const [parties, accounts] = await Promise.all([findParties(trx, [...new Set(regIds)]), findAccounts(trx, [...new Set(accountIds)], dateOf(now))]);
  return rows.map((c) => conflictView(c, parties, accounts, now));
}

function policySentences(rules: RuleSetContent): string[] {
  const section = renderRuleSetPlain(rules, { scenarioNames: new Map() }).find((s) => s.title === 'When two claims meet');
  const items = (section?.items ?? []).filter((s) => !s.startsWith('While a claim is reviewed'));
  items.push(`Two end-customer names count as the same customer at a name similarity of ${Math.round(rules.conflicts.nameSimilarity * 100)}% or more.`);
  items.push(
    rules.protection.autoApproveWhenClear
      ? 'Once no conflict holds it, a registration is approved at once (automatic approval when clear).'
      : 'Once no conflict holds it, the registration goes on to its reviewer for a decision.',
  );
  return items;
}

function suggestionFor(view: ConflictView, rules: RuleSetContent | null): string | null {
  if (!rules) return null;
  const c = rules.conflicts;
  if (view.kind === 'partner_vs_direct') {
    if (c.directOwnedAccounts === 'excluded') return 'The direct team owns this account and the rules exclude such registrations: reject the new registration.';
    if (c.directOwnedAccounts === 'shared') return 'The rules share direct-owned accounts with the partner: share.';
    return 'The rules ask for a review of registrations on direct-owned accounts: award the new registration, share it with the direct team, or keep the account direct (award existing).';
  }
  if (!view.other) return null;
  if (c.mode === 'value_added_preferred') return 'The rules prefer the partner who adds the most value: compare both registrations and record why in the note.';
  const mine = view.registration.submittedAt ?? '';
  const theirs = view.other.submittedAt ?? '';
  return theirs !== '' && theirs <= mine
    ? `First to register: ${view.other.reference} was registered first, so the rules favour the existing registration (award existing).`
    : `First to register: ${view.registration.reference} was registered first, so the rules favour the new registration (award new).`;
}

// ---------------------------------------------------------------------------------------------
// Use-cases

/** Open conflicts first (oldest first: they have waited longest), then resolved ones, latest first. */
export async function listConflicts(deps: Deps, actor: Actor, q: ConflictListQuery): Promise<ConflictList> {
  assertAllowed(actor);
  return inTransaction(deps, actor, async (trx) => {
    let base = trx.selectFrom('registrationConflict as c');
    if (q.status !== 'all') base = base.where('c.status', '=', q.status);
    const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    let rows = selectConflicts(trx);
    if (q.status !== 'all') rows = rows.where('c.status', '=', q.status);
    const page = await rows
      .orderBy((eb) => eb.case().when('c.status', '=', 'open').then(0).else(1).end())
      .orderBy((eb) => eb.case().when('c.status', '=', 'open').then(eb.ref('c.createdAt')).end(), 'asc')
      .orderBy('c.resolvedAt', 'desc')
      .orderBy('c.registrationConflictId')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return { items: await viewsOf(trx, page, deps.clock.now()), total: Number(total.n) };
  });
}

async function loadDetail(trx: Trx, deps: Deps, id: string): Promise<ConflictDetail> {
  const row = await findConflict(trx, id);
  if (!row) throw notFound('Conflict');
  const [view] = await viewsOf(trx, [row], deps.clock.now());
  if (!view) throw notFound('Conflict');
  const regVersion = (
    await trx.selectFrom('dealRegistration').select('ruleSetVersionId').where('dealRegistrationId', '=', row.dealRegistrationId).executeTakeFirst()
  )?.ruleSetVersionId;
  const rs = await rulesOf(trx, regVersion ?? null);
  return {
    ...view,
    ruleSet: rs
      ? {
          id: rs.id,
          version: rs.version,
          title: rs.title,
          conflicts: rs.rules.conflicts,
          autoApproveWhenClear: rs.rules.protection.autoApproveWhenClear,
          plain: policySentences(rs.rules),
        }
      : null,
    suggestion: suggestionFor(view, rs?.rules ?? null),
  };
}

export async function getConflict(deps: Deps, actor: Actor, id: string): Promise<ConflictDetail> {
  assertAllowed(actor);
  return inTransaction(deps, actor, (trx) => loadDetail(trx, deps, id));
}

type StatusChange = { registration: LockedRegistration; from: RegistrationStatus; to: RegistrationStatus; reason: string };

/**
 * See RESOLVE_DESCRIPTION in common/api/engagement-conflicts.ts for the effects. The conflict row
 * is locked first, then both registrations in id order: of two managers resolving at once, the
 * second waits, then finds the conflict resolved (409).
 */
export async function resolveConflict(deps: Deps, actor: Actor, id: string, input: ResolveConflictRequest): Promise<ConflictDetail> {
  assertAllowed(actor);
  const note = input.note.trim();
  return inTransaction(deps, actor, async (trx) => {
    const conflict = await trx.selectFrom('registrationConflict').selectAll().where('registrationConflictId', '=', id).forUpdate().executeTakeFirst();
    if (!conflict) throw notFound('Conflict');
    if (conflict.status !== 'open') throw new AppError('conflict', 'This conflict was already resolved');
    const locked = await lockRegistrations(trx, [conflict.dealRegistrationId, ...(conflict.otherRegistrationId ? [conflict.otherRegistrationId] : [])]);
    const reg = locked.get(conflict.dealRegistrationId);
    if (!reg) throw notFound('Conflict');
    const other = conflict.otherRegistrationId ? (locked.get(conflict.otherRegistrationId) ?? null) : null;
    const now = deps.clock.now();
    const today = dateOf(now);
    const userId = actor.kind === 'user' ? actor.userId : null;
    const before = { registration: { status: reg.status, inConflict: reg.inConflict }, other: other ? { status: other.status } : null };

    await trx
      .updateTable('registrationConflict')
      .set({ status: 'resolved', resolution: input.resolution, resolutionNote: note, resolvedByUserId: userId, resolvedAt: now })
      .where('registrationConflictId', '=', id)
      .execute();

    const changes: StatusChange[] = [];
    /** A registration that lost: pending ones are rejected, approved ones lose their protection today. */
    const giveWay = async (r: LockedRegistration, reason: string) => {
      if (pending.includes(r.status)) {
        await trx
          .updateTable('dealRegistration')
          .set({ status: 'rejected', decidedAt: now, decisionReason: reason, firstResponseAt: r.firstResponseAt ?? now, updatedAt: now })
          .where('dealRegistrationId', '=', r.dealRegistrationId)
          .execute();
        changes.push({ registration: r, from: r.status, to: 'rejected', reason });
      } else if (r.status === 'approved') {
        await trx
          .updateTable('dealRegistration')
          .set({ status: 'expired', protectionEndsOn: today, closedAt: now, decisionReason: reason, updatedAt: now })
          .where('dealRegistrationId', '=', r.dealRegistrationId)
          .execute();
        changes.push({ registration: r, from: 'approved', to: 'expired', reason: `${reason}. Protection ended on ${today}.` });
      }
    };
    /** The new registration goes on: to its reviewer, or approved at once when its rules say so and nothing else holds it. */
    const proceed = async (r: LockedRegistration) => {
      if (r.status !== 'submitted' || (await hasOpenConflicts(trx, r.dealRegistrationId))) return;
      const rs = await rulesOf(trx, r.ruleSetVersionId);
      if (!rs?.rules.protection.autoApproveWhenClear) return;
      const endsOn = protectionEndsOn(today, rs.rules.protection.days);
      await trx
        .updateTable('dealRegistration')
        .set({ status: 'approved', decidedAt: now, firstResponseAt: r.firstResponseAt ?? now, protectionEndsOn: endsOn, updatedAt: now })
        .where('dealRegistrationId', '=', r.dealRegistrationId)
        .execute();
      changes.push({ registration: r, from: 'submitted', to: 'approved', reason: `Approved under the rules of the road. Protected until ${endsOn}.` });
    };

    if (input.resolution === 'award_new') {
      await proceed(reg);
      if (other) await giveWay(other, NEUTRAL_REASON_PREFERRED);
    } else if (input.resolution === 'award_existing' || input.resolution === 'reject_new') {
      await giveWay(reg, NEUTRAL_REASON_EARLIER);
    } else {
      await proceed(reg);
    }

    // in_conflict says "some conflict of this registration is still open".
    for (const r of [reg, ...(other ? [other] : [])]) {
      const open = await hasOpenConflicts(trx, r.dealRegistrationId);
      await trx.updateTable('dealRegistration').set({ inConflict: open }).where('dealRegistrationId', '=', r.dealRegistrationId).execute();
    }

    const label = 'Channel management';
    for (const ch of changes) {
      await trx
        .insertInto('registrationEvent')
        .values({
          registrationEventId: newId(),
          dealRegistrationId: ch.registration.dealRegistrationId,
          partnerId: ch.registration.partnerId,
          at: now,
          actorUserId: userId,
          actorLabel: label,
          kind: 'status_changed',
          fromStatus: ch.from,
          toStatus: ch.to,
          note: ch.reason,
          internalOnly: false,
        })
        .execute();
      if (ch.registration.submittedByUserId) {
        await notify(trx, {
          userId: ch.registration.submittedByUserId,
          partnerId: ch.registration.partnerId,
          kind: 'registration.status_changed',
          title: `${ch.registration.reference} (${ch.registration.endCustomerName}): ${ch.to.replaceAll('_', ' ')}`,
          body: ch.reason,
          link: `/registrations/${ch.registration.dealRegistrationId}`,
        });
      }
    }
    const parties = await findParties(trx, [...locked.keys()]);
    const describe = (rid: string) => {
      const p = parties.get(rid);
      return p ? `${p.reference} (${p.partnerName}, ${Number(p.valueMinor) / 100} ${p.currency})` : rid;
    };
    const accountName = conflict.accountId
      ? ((await trx.selectFrom('account').select('name').where('accountId', '=', conflict.accountId).executeTakeFirst())?.name ?? conflict.accountId)
      : null;
    const byName = actor.kind === 'user' ? actor.displayName : 'Realign';
    const detail = `Conflict ${conflict.kind.replaceAll('_', ' ')} (matched by ${conflict.matchReason.replace('_', ' ')}) between ${describe(reg.dealRegistrationId)} and ${
      other ? describe(other.dealRegistrationId) : `the direct-owned account ${accountName ?? ''}`
    } resolved by ${byName}: ${input.resolution.replaceAll('_', ' ')}. Note: ${note}`;
    for (const r of [reg, ...(other ? [other] : [])]) {
      await trx
        .insertInto('registrationEvent')
        .values({
          registrationEventId: newId(),
          dealRegistrationId: r.dealRegistrationId,
          partnerId: r.partnerId,
          at: now,
          actorUserId: userId,
          actorLabel: byName,
          kind: 'conflict_resolved',
          fromStatus: null,
          toStatus: null,
          note: detail.slice(0, 4000),
          internalOnly: true,
        })
        .execute();
    }

    const after = await loadDetail(trx, deps, id);
    await recordAudit(trx, deps, actor, {
      action: 'conflict.resolve',
      entityType: 'registration_conflict',
      entityId: id,
      before,
      after: {
        resolution: input.resolution,
        note,
        registration: { status: after.registration.status, inConflict: after.registration.inConflict },
        other: after.other ? { status: after.other.status } : null,
      },
    });
    return after;
  });
}

/** Defaults: the 180 days up to and including today. */
export async function getConflictHeatmap(deps: Deps, actor: Actor, q: HeatmapQuery): Promise<ConflictHeatmap> {
  assertAllowed(actor);
  const today = dateOf(deps.clock.now());
  const to = q.to ?? addDays(today, 1);
  const from = q.from ?? addDays(to, -180);
  if (from >= to) throw new AppError('validation_failed', 'query.to: must be after from', { issues: [{ path: 'query.to', message: 'must be after from' }] });
  return inTransaction(deps, actor, async (trx) => {
    const r = await heatmapRepo.conflictHeatmap(trx, { from, to, today, limit: q.limit });
    return { from, to, ...r };
  });
}
