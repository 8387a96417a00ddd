import type {
  AssignDisputeRequest,
  CommentDisputeRequest,
  DisputeAssignee,
  DisputeDetail,
  DisputeEventView,
  DisputeList,
  DisputeListQuery,
  DisputeStatus,
  DisputeSummary,
  LinkDisputeRequest,
  OpenDisputeRequest,
  RejectDisputeRequest,
  ResolveDisputeRequest,
  TransitionDisputeRequest,
} from '../../../common/api/commissions-disputes.ts';
import type { PayoutLine } from '../../../common/comp/engine-types.ts';
import { moneyOf } from '../../../common/money.ts';
import { isPartnerActor, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './disputes.repository.ts';
import { allowedActions, dayOf, partnerFacingLabel, transitionProblem, type Capabilities } from './disputes.rules.ts';
import * as runsRepo from './runs.repository.ts';
import { canManageRuns } from './runs.service.ts';

/**
 * Commission disputes: one case for the seller's pay question and the partner's registration claim.
 *
 * Who reads a case (anything else is 404, so ids cannot be probed):
 * - compensation administrators, finance, administrators: every case;
 * - other internal users: cases they opened or are assigned, cases about a participant they may read
 *   statements of (their own and everyone below them in the manager chain: the statements rule),
 *   and, for channel managers, every case with a partner side;
 * - partner users: cases whose partner side is their own partner (opened by them, or linked to their
 *   registration). They get the partner view: no amounts, no statement line, no seller, no internal
 *   comments or events. Row-level security holds the same line (migration 0020).
 * The seller's pay (the claim and the adjustments) is shown to internal readers who may read that
 * participant's statements, to the case's opener and to its assignee; a channel manager who reads a
 * case for its partner side sees it without the pay.
 *
 * Who acts: anyone who reads a case comments (partners never internally); compensation
 * administrators, finance, administrators and channel managers assign and link; they and the
 * assignee review, resolve and reject; only compensation administrators, finance and administrators
 * book adjustments. Reopening: see disputes.rules.ts.
 *
 * Every mutation locks the case row first, so concurrent calls on one case run one after another:
 * a second resolve finds the case resolved and answers 409, having changed nothing.
 */

const ENTITY = 'commission_dispute';
const HANDLER_ROLES = ['comp_admin', 'finance', 'channel_manager', 'admin'] as const;

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);
const labelOf = (actor: Actor): string => (actor.kind === 'user' ? actor.displayName : 'Realign');
const isChannelManager = (actor: Actor): boolean => actor.kind === 'user' && actor.partnerId === null && actor.roles.includes('channel_manager');
const internalLink = (id: string) => `/commissions/disputes/${id}`;
const partnerLink = (id: string) => `/registrations/disputes/${id}`;

type Reading = { visible: boolean; pay: boolean };

/** The application's half of the visibility rule above (RLS is the other half for partners). */
async function readingOf(
  trx: Trx,
  isolationChecks: boolean,
  actor: Actor,
  row: repo.DisputeRow,
  claim: repo.ClaimRow | undefined,
  team?: Set<string>,
): Promise<Reading> {
  if (canManageRuns(actor)) return { visible: true, pay: true };
  if (actor.kind !== 'user') return { visible: false, pay: false };
  if (isPartnerActor(actor)) return { visible: !isolationChecks || row.partnerId === actor.partnerId, pay: false };
  const mine = row.openedByUserId === actor.userId || row.assigneeUserId === actor.userId;
  const seesParticipant = claim !== undefined && (team ?? (await runsRepo.visibleParticipantIds(trx, actor.userId))).has(claim.participantId);
  const pay = mine || seesParticipant;
  return { visible: pay || (isChannelManager(actor) && row.partnerId !== null), pay };
}

type Loaded = { row: repo.DisputeRow; claim: repo.ClaimRow | undefined; reading: Reading };

async function load(trx: Trx, deps: Deps, actor: Actor, id: string, lock: boolean): Promise<Loaded> {
  const row = await repo.findDispute(trx, id, lock);
  if (!row) throw notFound('Dispute');
  const claim = isPartnerActor(actor) ? undefined : (await repo.claimsOf(trx, [id]))[0];
  const reading = await readingOf(trx, deps.isolationChecks, actor, row, claim);
  if (!reading.visible) throw notFound('Dispute');
  return { row, claim, reading };
}

function capabilitiesOf(actor: Actor, row: repo.DisputeRow): Capabilities {
  const uid = userIdOf(actor);
  return {
    manage: canManageRuns(actor),
    channel: isChannelManager(actor),
    partner: isPartnerActor(actor),
    assignee: uid !== null && row.assigneeUserId === uid,
    opener: uid !== null && row.openedByUserId === uid,
  };
}

function guardHandler(actor: Actor, row: repo.DisputeRow): void {
  const c = capabilitiesOf(actor, row);
  if (!(c.manage || c.channel || c.assignee))
    throw new AppError('forbidden', 'Compensation administrators, finance, channel managers and the assignee handle a dispute');
}

function guardCoordinator(actor: Actor, row: repo.DisputeRow): void {
  const c = capabilitiesOf(actor, row);
  if (!(c.manage || c.channel)) throw new AppError('forbidden', 'Compensation administrators, finance and channel managers assign and link disputes');
}

function guardNotMerged(row: repo.DisputeRow, mergedRef: string | null): void {
  if (row.status === 'merged') throw new AppError('conflict', `${row.reference} was merged into ${mergedRef ?? 'another case'}: continue there`);
}

async function mergedRefOf(trx: Trx, row: repo.DisputeRow): Promise<string | null> {
  if (!row.mergedIntoId) return null;
  return (await repo.findDispute(trx, row.mergedIntoId))?.reference ?? null;
}

async function event(
  trx: Trx,
  deps: Deps,
  actor: Actor,
  disputeId: string,
  e: {
    kind: repo.EventRow['kind'];
    internalOnly: boolean;
    body?: string | null;
    fromStatus?: DisputeStatus | null;
    toStatus?: DisputeStatus | null;
    detail?: Record<string, unknown> | null;
  },
): Promise<void> {
  await repo.insertEvent(trx, {
    commissionDisputeEventId: newId(),
    commissionDisputeId: disputeId,
    at: deps.clock.now(),
    kind: e.kind,
    actorUserId: userIdOf(actor),
    actorPartnerId: actor.kind === 'user' ? actor.partnerId : null,
    actorLabel: labelOf(actor),
    internalOnly: e.internalOnly,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    body: e.body ?? null,
    detail: e.detail ?? null,
  });
}

// ---------------------------------------------------------------------------------------------
// The seller side: a statement line or a deal of a participant the actor may read

type ClaimTarget = Omit<repo.ClaimRow, 'commissionDisputeId' | 'subject' | 'question' | 'claimedAmountMinor' | 'claimedCurrency' | 'createdAt'>;

async function participantFor(trx: Trx, actor: Actor, given: string | undefined, path: string): Promise<string> {
  let pid = given;
  if (!pid) {
    if (actor.kind !== 'user') throw invalid(`${path}.participantId`, 'Name the participant');
    pid = await runsRepo.linkedParticipantId(trx, actor.userId);
    if (!pid) throw invalid(`${path}.participantId`, 'You are not a compensation participant: name the participant whose statement is disputed');
  }
  if (canManageRuns(actor)) return pid;
  if (actor.kind !== 'user' || !(await runsRepo.visibleParticipantIds(trx, actor.userId)).has(pid)) throw notFound('Statement');
  return pid;
}

async function claimTarget(trx: Trx, actor: Actor, about: { line?: OpenDisputeRequest['line']; deal?: OpenDisputeRequest['deal'] }): Promise<ClaimTarget> {
  if (about.line) {
    const pid = await participantFor(trx, actor, about.line.participantId, 'line');
    const run = await runsRepo.findRun(trx, about.line.runId);
    if (!run) throw notFound('Commission run');
    if (run.status !== 'completed') throw new AppError('conflict', `The run is ${run.status}: only the lines of a completed run can be disputed`);
    let index = 0;
    for (const row of await runsRepo.resultsOf(trx, run.commissionRunId, pid))
      for (const line of row.lines as PayoutLine[]) {
        if (index === about.line.lineIndex)
          return {
            participantId: pid,
            commissionRunId: run.commissionRunId,
            lineIndex: index,
            linePeriodStart: row.periodStart,
            linePeriodEnd: row.periodEnd,
            lineComponentKey: line.componentKey,
            lineComponentName: line.componentName,
            lineAmountMinor: line.amountMinor,
            lineCurrency: row.currency,
            salesTransactionId: null,
            transactionRef: null,
          };
        index += 1;
      }
    throw new AppError('not_found', `Line ${about.line.lineIndex} was not found on the statement (it has ${index} lines)`, {
      issues: [{ path: 'line.lineIndex', message: `The statement has lines 0 to ${index - 1}` }],
    });
  }
  if (about.deal) {
    const pid = await participantFor(trx, actor, about.deal.participantId, 'deal');
    const tx = await repo.creditedTransaction(trx, pid, about.deal.salesTransactionId);
    if (!tx) throw notFound('Deal');
    return {
      participantId: pid,
      commissionRunId: null,
      lineIndex: null,
      linePeriodStart: null,
      linePeriodEnd: null,
      lineComponentKey: null,
      lineComponentName: null,
      lineAmountMinor: null,
      lineCurrency: null,
      salesTransactionId: about.deal.salesTransactionId,
      transactionRef: tx.transactionRef,
    };
  }
  throw invalid('line', 'Name the statement line or the deal the question is about');
}

async function registrationFor(trx: Trx, deps: Deps, actor: Actor, id: string): Promise<repo.RegistrationRow> {
  const reg = await repo.findRegistration(trx, id);
  if (!reg || (deps.isolationChecks && isPartnerActor(actor) && reg.partnerId !== actor.partnerId)) throw notFound('Registration');
  if (reg.status === 'draft') throw new AppError('conflict', `Registration ${reg.reference} is a draft: submit it before disputing its credit`);
  return reg;
}

const partnerSubjectOf = (reg: repo.RegistrationRow) => `Credit for registration ${reg.reference}`;

// ---------------------------------------------------------------------------------------------
// Views

async function registrationView(trx: Trx, id: string | null, internal: boolean) {
  if (!id) return null;
  const reg = await repo.findRegistration(trx, id);
  if (!reg) return null;
  const history = await repo.registrationHistory(trx, id, internal);
  return {
    id: reg.dealRegistrationId,
    reference: reg.reference,
    status: reg.status,
    endCustomerName: reg.endCustomerName,
    valueMinor: reg.valueMinor,
    currency: reg.currency,
    decidedAt: reg.decidedAt ? new Date(reg.decidedAt).toISOString() : null,
    decisionReason: reg.decisionReason,
    protectionEndsOn: reg.protectionEndsOn,
    history: history.map((h) => ({ at: new Date(h.at).toISOString(), kind: h.kind, fromStatus: h.fromStatus, toStatus: h.toStatus, note: h.note })),
  };
}

async function eventViews(trx: Trx, actor: Actor, row: repo.DisputeRow, merged: readonly repo.DisputeRow[]): Promise<DisputeEventView[]> {
  const partner = isPartnerActor(actor) ? actor.partnerId : null;
  const refs = new Map([row, ...merged].map((d) => [d.commissionDisputeId, d.reference]));
  const rows = await repo.eventsOf(trx, [...refs.keys()], partner === null);
  return rows.map((e) => ({
    id: e.commissionDisputeEventId,
    disputeReference: refs.get(e.commissionDisputeId) ?? '',
    at: new Date(e.at).toISOString(),
    kind: e.kind,
    actorLabel: partner === null ? e.actorLabel : partnerFacingLabel(e, partner),
    internalOnly: e.internalOnly,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    body: e.body,
    detail: partner === null && e.detailText ? (JSON.parse(e.detailText) as Record<string, unknown>) : null,
  }));
}

function commonView(actor: Actor, row: repo.DisputeRow, mergedInto: { id: string; reference: string } | null) {
  return {
    id: row.commissionDisputeId,
    reference: row.reference,
    status: row.status,
    outcome: row.outcome,
    resolutionNote: row.resolutionNote,
    decidedAt: row.decidedAt ? new Date(row.decidedAt).toISOString() : null,
    mergedInto,
    openedByMe: actor.kind === 'user' && row.openedByUserId === actor.userId,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

async function detailOf(trx: Trx, deps: Deps, actor: Actor, id: string): Promise<DisputeDetail> {
  const { row, claim, reading } = await load(trx, deps, actor, id, false);
  const mergedTarget = row.mergedIntoId ? await repo.findDispute(trx, row.mergedIntoId) : undefined;
  const mergedInto = mergedTarget ? { id: mergedTarget.commissionDisputeId, reference: mergedTarget.reference } : null;
  const merged = await repo.mergedInto(trx, id);
  // Partners cannot read commission periods (internal); they never reopen, so they need not.
  const decidedInPeriodStatus = row.decidedInPeriodId && !isPartnerActor(actor) ? ((await repo.periodStatus(trx, row.decidedInPeriodId)) ?? null) : null;
  const actions = allowedActions(capabilitiesOf(actor, row), { status: row.status, decidedInPeriodStatus });
  const events = await eventViews(trx, actor, row, merged);
  const registration = await registrationView(trx, row.dealRegistrationId, !isPartnerActor(actor));
  if (isPartnerActor(actor))
    return {
      audience: 'partner',
      ...commonView(actor, row, mergedInto),
      subject: row.partnerSubject ?? '',
      registrationReference: registration?.reference ?? null,
      partnerStatement: row.partnerStatement,
      evidenceLinks: row.evidenceLinks,
      registration,
      events,
      allowedActions: actions,
    };
  const names = await repo.userNames(
    trx,
    [row.openedByUserId, row.assigneeUserId].filter((x): x is string => x !== null),
  );
  const participants = await repo.participantsByIds(trx, claim ? [claim.participantId] : []);
  const showPay = reading.pay && claim !== undefined;
  const participantName = claim ? (participants.get(claim.participantId)?.displayName ?? '') : null;
  return {
    audience: 'internal',
    ...commonView(actor, row, mergedInto),
    // A reader who may not see the pay reads the partner side's subject, not the seller's words.
    subject: (reading.pay ? claim?.subject : undefined) ?? row.partnerSubject ?? claim?.subject ?? '',
    partner: row.partnerId ? { id: row.partnerId, name: (await repo.partnerName(trx, row.partnerId)) ?? '' } : null,
    registrationReference: registration?.reference ?? null,
    participantName: showPay ? participantName : null,
    assignee: row.assigneeUserId ? { id: row.assigneeUserId, name: names.get(row.assigneeUserId) ?? '' } : null,
    openedBy: row.openedByUserId ? (names.get(row.openedByUserId) ?? '') : '',
    partnerStatement: row.partnerStatement,
    evidenceLinks: row.evidenceLinks,
    registration,
    claim:
      showPay && claim
        ? {
            participantId: claim.participantId,
            participantName: participantName ?? '',
            subject: claim.subject,
            question: claim.question,
            line:
              claim.commissionRunId !== null && claim.lineIndex !== null
                ? {
                    runId: claim.commissionRunId,
                    lineIndex: claim.lineIndex,
                    periodStart: claim.linePeriodStart,
                    periodEnd: claim.linePeriodEnd,
                    componentKey: claim.lineComponentKey,
                    componentName: claim.lineComponentName,
                    amountMinor: claim.lineAmountMinor ?? 0,
                    currency: claim.lineCurrency ?? '',
                  }
                : null,
            deal: claim.salesTransactionId ? { salesTransactionId: claim.salesTransactionId, transactionRef: claim.transactionRef ?? '' } : null,
            claimed:
              claim.claimedAmountMinor !== null && claim.claimedCurrency ? { amountMinor: claim.claimedAmountMinor, currency: claim.claimedCurrency } : null,
          }
        : null,
    payHidden: claim !== undefined && !reading.pay,
    adjustments: reading.pay
      ? (await repo.adjustmentsOfDispute(trx, id)).map((a) => ({
          id: a.commissionAdjustmentId,
          participantId: a.participantId,
          bookedInPeriodId: a.commissionPeriodId,
          periodStart: a.periodStart,
          periodEnd: a.periodEnd,
          amountMinor: a.amountMinor,
          currency: a.currency,
          reason: a.reason,
          createdAt: new Date(a.createdAt).toISOString(),
        }))
      : [],
    decidedInPeriodId: row.decidedInPeriodId,
    events: reading.pay ? events : events.filter((e) => e.kind !== 'adjustment_booked'),
    allowedActions: actions,
  };
}

async function summariesOf(trx: Trx, actor: Actor, rows: readonly repo.DisputeRow[]): Promise<DisputeSummary[]> {
  const regIds = rows.flatMap((r) => (r.dealRegistrationId ? [r.dealRegistrationId] : []));
  const regRefs = new Map<string, string>();
  for (const id of new Set(regIds)) {
    const reg = await repo.findRegistration(trx, id);
    if (reg) regRefs.set(id, reg.reference);
  }
  const mergedTargets = new Map(
    (
      await repo.disputesByIds(
        trx,
        rows.flatMap((r) => (r.mergedIntoId ? [r.mergedIntoId] : [])),
      )
    ).map((d) => [d.commissionDisputeId, d.reference]),
  );
  const mergedOf = (r: repo.DisputeRow) => (r.mergedIntoId ? { id: r.mergedIntoId, reference: mergedTargets.get(r.mergedIntoId) ?? '' } : null);
  if (isPartnerActor(actor))
    return rows.map((r) => ({
      audience: 'partner' as const,
      ...commonView(actor, r, mergedOf(r)),
      subject: r.partnerSubject ?? '',
      registrationReference: r.dealRegistrationId ? (regRefs.get(r.dealRegistrationId) ?? null) : null,
    }));
  const claims = new Map(
    (
      await repo.claimsOf(
        trx,
        rows.map((r) => r.commissionDisputeId),
      )
    ).map((c) => [c.commissionDisputeId, c]),
  );
  const names = await repo.userNames(
    trx,
    rows.flatMap((r) => [r.openedByUserId, r.assigneeUserId].filter((x): x is string => x !== null)),
  );
  const participants = await repo.participantsByIds(
    trx,
    [...claims.values()].map((c) => c.participantId),
  );
  const partnerNames = new Map<string, string>();
  for (const pid of new Set(rows.flatMap((r) => (r.partnerId ? [r.partnerId] : [])))) partnerNames.set(pid, (await repo.partnerName(trx, pid)) ?? '');
  const team = canManageRuns(actor) || actor.kind !== 'user' ? undefined : await runsRepo.visibleParticipantIds(trx, actor.userId);
  const out: DisputeSummary[] = [];
  for (const r of rows) {
    const claim = claims.get(r.commissionDisputeId);
    const reading = await readingOf(trx, true, actor, r, claim, team);
    out.push({
      audience: 'internal',
      ...commonView(actor, r, mergedOf(r)),
      subject: (reading.pay ? claim?.subject : undefined) ?? r.partnerSubject ?? claim?.subject ?? '',
      partner: r.partnerId ? { id: r.partnerId, name: partnerNames.get(r.partnerId) ?? '' } : null,
      registrationReference: r.dealRegistrationId ? (regRefs.get(r.dealRegistrationId) ?? null) : null,
      participantName: claim && reading.pay ? (participants.get(claim.participantId)?.displayName ?? '') : null,
      assignee: r.assigneeUserId ? { id: r.assigneeUserId, name: names.get(r.assigneeUserId) ?? '' } : null,
      openedBy: r.openedByUserId ? (names.get(r.openedByUserId) ?? '') : '',
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Notifications: the assignee and the opener(s) (of the case and of cases merged into it)

async function notifyParties(
  trx: Trx,
  actor: Actor,
  row: repo.DisputeRow,
  texts: { internal: string; partner: string; body?: string },
  include: { assignee: boolean; openers: boolean },
): Promise<void> {
  const sent = new Set<string>();
  const me = userIdOf(actor);
  const send = async (userId: string | null, partnerId: string | null) => {
    if (!userId || userId === me || sent.has(userId)) return;
    sent.add(userId);
    await notify(trx, {
      userId,
      partnerId,
      kind: 'commission_dispute',
      title: partnerId ? texts.partner : texts.internal,
      body: partnerId ? '' : (texts.body ?? ''),
      link: partnerId ? partnerLink(row.commissionDisputeId) : internalLink(row.commissionDisputeId),
    });
  };
  if (include.assignee) await send(row.assigneeUserId, null);
  if (include.openers)
    for (const d of [row, ...(await repo.mergedInto(trx, row.commissionDisputeId))]) {
      // A partner opener reads the case through its partner side, which a merge moved here.
      const partnerId = d.openedByPartnerId;
      if (partnerId && partnerId !== row.partnerId) continue;
      await send(d.openedByUserId, partnerId);
    }
}

// ---------------------------------------------------------------------------------------------
// Use-cases

export async function openDispute(deps: Deps, actor: Actor, input: OpenDisputeRequest): Promise<DisputeDetail> {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Disputes are opened by people');
  return inTransaction(deps, actor, async (trx) => {
    const id = newId();
    const reference = await repo.nextReference(trx);
    const now = deps.clock.now();
    if (isPartnerActor(actor)) {
      if (input.line || input.deal)
        throw invalid(input.line ? 'line' : 'deal', 'Partner users dispute the credit of their own registrations: name registrationId');
      if (input.claimed) throw invalid('claimed', 'Partner users do not state commission amounts');
      if (!input.registrationId) throw invalid('registrationId', 'Name the registration whose credit is disputed');
      const reg = await registrationFor(trx, deps, actor, input.registrationId);
      await repo.insertDispute(trx, {
        commissionDisputeId: id,
        reference,
        openedByUserId: actor.userId,
        openedByPartnerId: actor.partnerId,
        partnerId: reg.partnerId,
        dealRegistrationId: reg.dealRegistrationId,
        partnerSubject: input.subject,
        partnerStatement: input.description,
        evidenceLinks: input.evidenceLinks ?? [],
        createdAt: now,
        updatedAt: now,
      });
      await event(trx, deps, actor, id, { kind: 'opened', internalOnly: false, body: input.subject, toStatus: 'open' });
      await recordAudit(trx, deps, actor, {
        action: 'commission_dispute.open',
        entityType: ENTITY,
        entityId: id,
        partnerId: reg.partnerId,
        after: { reference, registrationId: reg.dealRegistrationId, side: 'partner' },
      });
      return detailOf(trx, deps, actor, id);
    }
    if (!input.line && !input.deal) throw invalid('line', 'Name the statement line or the deal the question is about (a registration can be linked as well)');
    const target = await claimTarget(trx, actor, input);
    const reg = input.registrationId ? await registrationFor(trx, deps, actor, input.registrationId) : undefined;
    await repo.insertDispute(trx, {
      commissionDisputeId: id,
      reference,
      openedByUserId: actor.userId,
      openedByPartnerId: null,
      partnerId: reg?.partnerId ?? null,
      dealRegistrationId: reg?.dealRegistrationId ?? null,
      partnerSubject: reg ? partnerSubjectOf(reg) : null,
      partnerStatement: null,
      evidenceLinks: input.evidenceLinks ?? [],
      createdAt: now,
      updatedAt: now,
    });
    await repo.insertClaim(trx, {
      ...target,
      commissionDisputeId: id,
      subject: input.subject,
      question: input.description,
      claimedAmountMinor: input.claimed ? moneyOf(input.claimed.amountMinor, input.claimed.currency).amountMinor : null,
      claimedCurrency: input.claimed?.currency ?? null,
    });
    await event(trx, deps, actor, id, { kind: 'opened', internalOnly: true, body: input.subject, toStatus: 'open' });
    if (reg) await event(trx, deps, actor, id, { kind: 'linked', internalOnly: false, body: `Registration ${reg.reference} is part of the case` });
    await recordAudit(trx, deps, actor, {
      action: 'commission_dispute.open',
      entityType: ENTITY,
      entityId: id,
      partnerId: reg?.partnerId ?? null,
      after: {
        reference,
        side: 'seller',
        participantId: target.participantId,
        runId: target.commissionRunId,
        lineIndex: target.lineIndex,
        salesTransactionId: target.salesTransactionId,
        registrationId: reg?.dealRegistrationId ?? null,
      },
    });
    return detailOf(trx, deps, actor, id);
  });
}

export async function listDisputes(deps: Deps, actor: Actor, q: DisputeListQuery): Promise<DisputeList> {
  return inTransaction(deps, actor, async (trx) => {
    let visibility: repo.ListVisibility;
    if (canManageRuns(actor)) visibility = { kind: 'all' };
    else if (actor.kind !== 'user') return { items: [], total: 0 };
    else if (isPartnerActor(actor)) visibility = { kind: 'partner', partnerId: actor.partnerId };
    else
      visibility = {
        kind: 'internal',
        userId: actor.userId,
        participantIds: [...(await runsRepo.visibleParticipantIds(trx, actor.userId))],
        partnerSides: isChannelManager(actor),
      };
    const uid = userIdOf(actor);
    const r = await repo.listDisputes(trx, visibility, {
      status: q.status,
      openedBy: q.scope === 'mine' ? (uid ?? '00000000-0000-0000-0000-000000000000') : undefined,
      assignee: q.scope === 'assigned' ? (uid ?? '00000000-0000-0000-0000-000000000000') : undefined,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: await summariesOf(trx, actor, r.items), total: r.total };
  });
}

export async function getDispute(deps: Deps, actor: Actor, id: string): Promise<DisputeDetail> {
  return inTransaction(deps, actor, (trx) => detailOf(trx, deps, actor, id));
}

export async function listAssignees(deps: Deps, actor: Actor): Promise<DisputeAssignee[]> {
  if (isPartnerActor(actor)) throw notFound('Dispute assignees');
  return inTransaction(deps, actor, async (trx) =>
    (await repo.assignableUsers(trx)).map((u) => ({ id: u.appUserId, name: u.displayName, roles: [...u.roles] })),
  );
}

export async function assignDispute(deps: Deps, actor: Actor, id: string, input: AssignDisputeRequest): Promise<DisputeDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const { row } = await load(trx, deps, actor, id, true);
    guardCoordinator(actor, row);
    guardNotMerged(row, await mergedRefOf(trx, row));
    const user = await repo.findUser(trx, input.assigneeUserId);
    if (!user || user.partnerId !== null || user.status !== 'active' || !user.roles.some((r) => (HANDLER_ROLES as readonly string[]).includes(r)))
      throw invalid('assigneeUserId', 'The assignee must be an active internal compensation administrator, finance user, channel manager or administrator');
    if (row.assigneeUserId === user.appUserId) throw new AppError('conflict', `${row.reference} is already assigned to ${user.displayName}`);
    await repo.updateDispute(trx, id, { assigneeUserId: user.appUserId, updatedAt: deps.clock.now() });
    await event(trx, deps, actor, id, {
      kind: 'assigned',
      internalOnly: true,
      body: `Assigned to ${user.displayName}`,
      detail: { assigneeUserId: user.appUserId },
    });
    await notifyParties(
      trx,
      actor,
      { ...row, assigneeUserId: user.appUserId },
      { internal: `Dispute ${row.reference} is assigned to ${user.displayName}`, partner: `Your dispute ${row.reference} is being handled` },
      { assignee: true, openers: true },
    );
    await recordAudit(trx, deps, actor, {
      action: 'commission_dispute.assign',
      entityType: ENTITY,
      entityId: id,
      partnerId: row.partnerId,
      before: { assigneeUserId: row.assigneeUserId },
      after: { assigneeUserId: user.appUserId },
    });
    return detailOf(trx, deps, actor, id);
  });
}

export async function commentOnDispute(deps: Deps, actor: Actor, id: string, input: CommentDisputeRequest): Promise<DisputeDetail> {
  if (isPartnerActor(actor) && input.internal) throw invalid('internal', 'Partner users cannot write internal comments');
  return inTransaction(deps, actor, async (trx) => {
    const { row } = await load(trx, deps, actor, id, true);
    guardNotMerged(row, await mergedRefOf(trx, row));
    await repo.updateDispute(trx, id, { updatedAt: deps.clock.now() });
    await event(trx, deps, actor, id, { kind: 'commented', internalOnly: input.internal, body: input.body });
    await recordAudit(trx, deps, actor, {
      action: 'commission_dispute.comment',
      entityType: ENTITY,
      entityId: id,
      partnerId: row.partnerId,
      after: { internal: input.internal, length: input.body.length },
    });
    return detailOf(trx, deps, actor, id);
  });
}

export async function linkToDispute(deps: Deps, actor: Actor, id: string, input: LinkDisputeRequest): Promise<DisputeDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const { row, claim } = await load(trx, deps, actor, id, true);
    guardCoordinator(actor, row);
    guardNotMerged(row, await mergedRefOf(trx, row));
    if (row.status !== 'open' && row.status !== 'in_review') throw new AppError('conflict', `${row.reference} is ${row.status}: reopen it before linking`);
    const now = deps.clock.now();
    let after: Record<string, unknown>;
    switch (input.kind) {
      case 'registration': {
        if (row.dealRegistrationId) throw new AppError('conflict', `${row.reference} already holds a registration: one registration per case`);
        const reg = await registrationFor(trx, deps, actor, input.registrationId);
        await repo.updateDispute(trx, id, {
          partnerId: reg.partnerId,
          dealRegistrationId: reg.dealRegistrationId,
          partnerSubject: partnerSubjectOf(reg),
          updatedAt: now,
        });
        await event(trx, deps, actor, id, { kind: 'linked', internalOnly: false, body: `Registration ${reg.reference} is part of the case` });
        after = { registrationId: reg.dealRegistrationId, partnerId: reg.partnerId };
        break;
      }
      case 'line':
      case 'deal': {
        if (claim) throw new AppError('conflict', `${row.reference} already holds a seller's question: one per case`);
        const target = await claimTarget(trx, actor, input.kind === 'line' ? { line: input.line } : { deal: input.deal });
        await repo.insertClaim(trx, {
          ...target,
          commissionDisputeId: id,
          subject: input.subject,
          question: input.question,
          claimedAmountMinor: null,
          claimedCurrency: null,
        });
        await repo.updateDispute(trx, id, { updatedAt: now });
        await event(trx, deps, actor, id, {
          kind: 'linked',
          internalOnly: true,
          body:
            input.kind === 'line' ? `Statement line ${target.lineIndex ?? ''} is part of the case` : `Deal ${target.transactionRef ?? ''} is part of the case`,
          detail: {
            participantId: target.participantId,
            runId: target.commissionRunId,
            lineIndex: target.lineIndex,
            salesTransactionId: target.salesTransactionId,
          },
        });
        after = {
          participantId: target.participantId,
          runId: target.commissionRunId,
          lineIndex: target.lineIndex,
          salesTransactionId: target.salesTransactionId,
        };
        break;
      }
      case 'case': {
        if (input.disputeId === id) throw invalid('disputeId', 'A case cannot be merged into itself');
        const other = await load(trx, deps, actor, input.disputeId, true);
        const o = other.row;
        if (o.status !== 'open' && o.status !== 'in_review') throw new AppError('conflict', `${o.reference} is ${o.status}: only an open case is merged`);
        if (o.dealRegistrationId && row.dealRegistrationId && o.dealRegistrationId !== row.dealRegistrationId)
          throw new AppError('conflict', `${o.reference} and ${row.reference} are about different registrations: they stay separate cases`);
        if (other.claim && claim) throw new AppError('conflict', `${o.reference} and ${row.reference} both hold a seller's question: they stay separate cases`);
        if (o.dealRegistrationId && !row.dealRegistrationId)
          await repo.updateDispute(trx, id, {
            partnerId: o.partnerId,
            dealRegistrationId: o.dealRegistrationId,
            partnerSubject: o.partnerSubject,
            partnerStatement: o.partnerStatement,
            evidenceLinks: o.evidenceLinks,
          });
        else if (o.partnerStatement && !row.partnerStatement)
          await repo.updateDispute(trx, id, {
            partnerStatement: o.partnerStatement,
            evidenceLinks: [...new Set([...row.evidenceLinks, ...o.evidenceLinks])].slice(0, 10),
          });
        if (other.claim) await repo.moveClaim(trx, o.commissionDisputeId, id);
        await repo.updateDispute(trx, o.commissionDisputeId, { status: 'merged', mergedIntoId: id, updatedAt: now });
        await repo.updateDispute(trx, id, { updatedAt: now });
        const partnerVisible = o.partnerId !== null;
        await event(trx, deps, actor, id, { kind: 'merged', internalOnly: !partnerVisible, body: `${o.reference} is merged into this case` });
        await event(trx, deps, actor, o.commissionDisputeId, {
          kind: 'merged',
          internalOnly: !partnerVisible,
          fromStatus: o.status,
          toStatus: 'merged',
          body: `Merged into ${row.reference}`,
        });
        after = { mergedDisputeId: o.commissionDisputeId, mergedReference: o.reference };
        break;
      }
    }
    const updated = await repo.findDispute(trx, id);
    await recordAudit(trx, deps, actor, {
      action: 'commission_dispute.link',
      entityType: ENTITY,
      entityId: id,
      partnerId: updated?.partnerId ?? row.partnerId,
      after: { kind: input.kind, ...after },
    });
    return detailOf(trx, deps, actor, id);
  });
}

export async function transitionDispute(deps: Deps, actor: Actor, id: string, input: TransitionDisputeRequest): Promise<DisputeDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const { row } = await load(trx, deps, actor, id, true);
    const c = capabilitiesOf(actor, row);
    const mergedRef = await mergedRefOf(trx, row);
    const now = deps.clock.now();
    if (input.action === 'start_review') {
      guardHandler(actor, row);
      const problem = transitionProblem(row.status, 'in_review', { decidedInPeriodStatus: null, reference: row.reference, mergedIntoReference: mergedRef });
      if (problem) throw new AppError('conflict', problem);
      await repo.updateDispute(trx, id, { status: 'in_review', updatedAt: now });
      await event(trx, deps, actor, id, {
        kind: 'status_changed',
        internalOnly: false,
        fromStatus: row.status,
        toStatus: 'in_review',
        body: input.note ?? null,
      });
    } else {
      if (c.partner) throw new AppError('forbidden', 'Ask for a reopening in a comment: the people handling the dispute reopen it');
      if (!(c.manage || c.channel || c.assignee || c.opener)) throw new AppError('forbidden', 'The opener and the people handling a dispute reopen it');
      const decided = row.decidedInPeriodId ? ((await repo.periodStatus(trx, row.decidedInPeriodId)) ?? null) : null;
      const problem = transitionProblem(row.status, 'reopen', { decidedInPeriodStatus: decided, reference: row.reference, mergedIntoReference: mergedRef });
      if (problem) throw new AppError('conflict', problem);
      await repo.updateDispute(trx, id, {
        status: 'open',
        outcome: null,
        resolutionNote: null,
        decidedAt: null,
        decidedByUserId: null,
        decidedInPeriodId: null,
        updatedAt: now,
      });
      await event(trx, deps, actor, id, { kind: 'reopened', internalOnly: false, fromStatus: row.status, toStatus: 'open', body: input.note ?? null });
      await notifyParties(
        trx,
        actor,
        row,
        { internal: `Dispute ${row.reference} was reopened`, partner: `Dispute ${row.reference} was reopened` },
        { assignee: true, openers: true },
      );
    }
    await recordAudit(trx, deps, actor, {
      action: `commission_dispute.${input.action}`,
      entityType: ENTITY,
      entityId: id,
      partnerId: row.partnerId,
      before: { status: row.status, outcome: row.outcome },
      after: { status: input.action === 'start_review' ? 'in_review' : 'open' },
    });
    return detailOf(trx, deps, actor, id);
  });
}

type DecisionEvent = Parameters<typeof event>[4];

/** What resolving or rejecting decided, worked out after the common checks and before it is written. */
type Decision = {
  outcome: 'adjusted' | 'no_change' | 'rejected';
  note: string;
  decidedIn: repo.PeriodRow | undefined;
  /** Events after the decision's own (a booked adjustment). */
  events: DecisionEvent[];
  /** The audit entry's `after`, besides the status. */
  audit: Record<string, unknown>;
};

const DECISION_ACTIONS = { resolved: 'resolve', rejected: 'reject' } as const;

/**
 * Resolving and rejecting, one sequence: the handler and transition checks, `decide` (which may
 * book an adjustment), then the decision written, its events, the notices to the assignee and the
 * openers, the audit entry and the detail.
 */
async function decideDispute(
  deps: Deps,
  actor: Actor,
  id: string,
  status: 'resolved' | 'rejected',
  decide: (trx: Trx, loaded: Loaded, now: Date) => Promise<Decision>,
): Promise<DisputeDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const loaded = await load(trx, deps, actor, id, true);
    const { row } = loaded;
    guardHandler(actor, row);
    const problem = transitionProblem(row.status, status, {
      decidedInPeriodStatus: null,
      reference: row.reference,
      mergedIntoReference: await mergedRefOf(trx, row),
    });
    if (problem) throw new AppError('conflict', problem);
    const now = deps.clock.now();
    const d = await decide(trx, loaded, now);
    await repo.updateDispute(trx, id, {
      status,
      outcome: d.outcome,
      resolutionNote: d.note,
      decidedAt: now,
      decidedByUserId: userIdOf(actor),
      decidedInPeriodId: d.decidedIn?.commissionPeriodId ?? null,
      updatedAt: now,
    });
    await event(trx, deps, actor, id, { kind: status, internalOnly: false, fromStatus: row.status, toStatus: status, body: d.note });
    for (const e of d.events) await event(trx, deps, actor, id, e);
    await notifyParties(
      trx,
      actor,
      row,
      { internal: `Dispute ${row.reference} is ${status}`, partner: `Your dispute ${row.reference} is ${status}`, body: d.note },
      { assignee: true, openers: true },
    );
    await recordAudit(trx, deps, actor, {
      action: `commission_dispute.${DECISION_ACTIONS[status]}`,
      entityType: ENTITY,
      entityId: id,
      partnerId: row.partnerId,
      before: { status: row.status },
      after: { status, ...d.audit },
    });
    return detailOf(trx, deps, actor, id);
  });
}

export async function resolveDispute(deps: Deps, actor: Actor, id: string, input: ResolveDisputeRequest): Promise<DisputeDetail> {
  return decideDispute(deps, actor, id, 'resolved', async (trx, { row, claim }, now) => {
    const today = dayOf(now);
    if (!input.adjustment) {
      const decidedIn = await repo.currentOpenPeriod(trx, today);
      return {
        outcome: 'no_change',
        note: input.note,
        decidedIn,
        events: [],
        audit: { outcome: 'no_change', adjustmentId: null, amountMinor: null, currency: null, periodId: decidedIn?.commissionPeriodId ?? null },
      };
    }
    const a = input.adjustment;
    if (!canManageRuns(actor)) throw new AppError('forbidden', 'Only compensation administrators, finance and administrators book adjustments');
    if (!claim)
      throw new AppError('conflict', `${row.reference} has no seller side: link the participant's statement line or deal before booking an adjustment`, {
        issues: [{ path: 'adjustment', message: 'The case names no participant to pay' }],
      });
    const period = a.periodId ? await repo.periodForBooking(trx, a.periodId) : await repo.currentOpenPeriod(trx, today);
    if (!period) {
      if (a.periodId) throw invalid('adjustment.periodId', 'No such commission period');
      throw new AppError('conflict', `No commission period is open on or after ${today}: open one to book the adjustment in`);
    }
    if (period.status !== 'open')
      throw new AppError(
        'conflict',
        `The commission period ${period.periodStart} to ${period.periodEnd} is closed: its paid amounts never change, book in an open period`,
        {
          issues: [{ path: 'adjustment.periodId', message: 'The period is closed' }],
        },
      );
    const planCurrency = await repo.planCurrency(trx, claim.participantId, period.periodStart, period.periodEnd);
    if (!planCurrency)
      throw new AppError(
        'conflict',
        `The participant has no plan assignment in the period ${period.periodStart} to ${period.periodEnd}: there is no plan currency to pay in`,
      );
    if (planCurrency !== a.currency)
      throw invalid('adjustment.currency', `The adjustment must be in the participant's plan currency ${planCurrency}, not ${a.currency}`);
    const money = moneyOf(a.amountMinor, a.currency);
    const adjustmentId = newId();
    await repo.insertDisputeAdjustment(trx, {
      id: adjustmentId,
      participantId: claim.participantId,
      periodId: period.commissionPeriodId,
      currency: money.currency,
      amountMinor: money.amountMinor,
      reason: `${row.reference}: ${a.reason}`.slice(0, 500),
      disputeId: id,
    });
    return {
      outcome: 'adjusted',
      note: input.note,
      decidedIn: period,
      events: [
        {
          kind: 'adjustment_booked',
          internalOnly: true,
          body: `Adjustment booked in ${period.periodStart} to ${period.periodEnd}`,
          detail: {
            adjustmentId,
            participantId: claim.participantId,
            amountMinor: money.amountMinor,
            currency: money.currency,
            periodId: period.commissionPeriodId,
          },
        },
      ],
      audit: {
        outcome: 'adjusted',
        adjustmentId,
        amountMinor: money.amountMinor,
        currency: money.currency,
        periodId: period.commissionPeriodId,
      },
    };
  });
}

export async function rejectDispute(deps: Deps, actor: Actor, id: string, input: RejectDisputeRequest): Promise<DisputeDetail> {
  return decideDispute(deps, actor, id, 'rejected', async (trx, _loaded, now) => {
    const decidedIn = await repo.currentOpenPeriod(trx, dayOf(now));
    return { outcome: 'rejected', note: input.reason, decidedIn, events: [], audit: { periodId: decidedIn?.commissionPeriodId ?? null } };
  });
}
