import type {
  BulkMode,
  BulkRowReport,
  BulkUploadReport,
  CreateRegistrationInput,
  RegistrationAction,
  RegistrationDetail,
  RegistrationEventView,
  RegistrationListQuery,
  RegistrationView,
  SlaClock,
  UpdateRegistrationInput,
} from '../../../common/api/engagement-registrations.ts';
import { ruleSetContent, type RuleSetContent } from '../../../common/api/rules.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import { addDays, dateOf } from '../../../common/dates.ts';
import type { Insertable } from 'kysely';
import { systemActor, type Actor, type UserActor } from '../../actor.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId, sha256Hex } from '../../lib/ids.ts';
import { normaliseAccountName, normaliseDomain } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import {
  asSystem,
  conflictDetectedEvent,
  findAccountAndConflicts,
  recordConflictsBeforeRow,
  recordConflictsInSystemScope,
  similarityThresholdOf,
} from './conflicts.repository.ts';
import type { RegistrationStatus } from './engagement.table.ts';
import { parseRegistrationCsv, type CsvRow } from './registrations-csv.ts';
import {
  allowedActions,
  canRegisterDeals,
  canReview,
  canSeeRegistration,
  isOwnPartner,
  isPartnerUser,
  seesOnlyOwnQueue,
  transitionProblem,
  transitions,
} from './registrations.policy.ts';
import * as repo from './registrations.repository.ts';
import {
  addBusinessDays,
  eligibilityProblems,
  extensionProblem,
  protectionEndsOn,
  selectRoute,
  slaState,
  type EligibilityProblem,
  type RegistrationField,
} from './rules-engine.rules.ts';

// ---------------------------------------------------------------------------------------------
// Views

function iso(d: Date | null): string | null {
  return d ? new Date(d).toISOString() : null;
}

function slaClockOf(row: repo.RegistrationDetailRow, now: Date): SlaClock {
  const due = row.slaDueAt ? new Date(row.slaDueAt) : null;
  const first = row.firstResponseAt ? new Date(row.firstResponseAt) : null;
  return {
    state: slaState({ slaDueAt: due, firstResponseAt: first, slaBreachedAt: row.slaBreachedAt ? new Date(row.slaBreachedAt) : null }, now),
    dueAt: iso(due),
    firstResponseAt: iso(first),
    breachedAt: iso(row.slaBreachedAt),
    secondsLeft: due && !first ? Math.floor((due.getTime() - now.getTime()) / 1000) : null,
  };
}

/** Partner users never get the internal block: no conflict flag, no routing, no escalation contact. */
function toView(row: repo.RegistrationDetailRow, actor: Actor, now: Date): RegistrationView {
  const partnerFacing = actor.kind === 'user' && actor.partnerId !== null;
  const view: RegistrationView = {
    id: row.dealRegistrationId,
    reference: row.reference,
    partnerId: row.partnerId,
    partnerName: row.partnerName,
    status: row.status,
    source: row.source,
    clientReference: row.clientReference,
    scenario: { id: row.scenarioId, key: row.scenarioKey, name: row.scenarioName },
    endCustomerName: row.endCustomerName,
    endCustomerDomain: row.endCustomerDomain,
    endCustomerCountry: row.endCustomerCountry,
    endCustomerTaxId: row.endCustomerTaxId,
    productLine: row.productLine,
    region: row.region,
    valueMinor: row.valueMinor,
    currency: row.currency,
    expectedCloseOn: row.expectedCloseOn,
    description: row.description,
    owningUnit: row.owningUnit,
    reviewerName: partnerFacing ? null : row.reviewerName,
    submittedByName: row.submittedByName,
    submittedAt: iso(row.submittedAt),
    decidedAt: iso(row.decidedAt),
    decisionReason: row.decisionReason,
    protectionEndsOn: row.protectionEndsOn,
    extensionCount: row.extensionCount,
    extensionPending: row.lastExtensionEvent === 'extension_requested',
    closedAt: iso(row.closedAt),
    sla: slaClockOf(row, now),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
  if (!partnerFacing) {
    view.internal = {
      inConflict: row.inConflict,
      ruleSetVersionId: row.ruleSetVersionId,
      routeId: row.routeId,
      reviewerUserId: row.reviewerUserId,
      escalationUserId: row.escalationUserId,
      escalationName: row.escalationName,
      accountId: row.accountId,
    };
  }
  return view;
}

function eventView(e: repo.EventRow): RegistrationEventView {
  return {
    id: e.registrationEventId,
    at: new Date(e.at).toISOString(),
    kind: e.kind,
    actorLabel: e.actorLabel,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    note: e.note,
    internalOnly: e.internalOnly,
  };
}

function actorName(actor: Actor): string {
  return actor.kind === 'user' ? actor.displayName : 'Realign';
}

function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/** The application's half of isolation (RLS is the other): outside the actor's view is not found. */
function assertVisible(deps: Deps, actor: Actor, row: { partnerId: string; reviewerUserId: string | null; escalationUserId: string | null }): void {
  if (deps.isolationChecks && !canSeeRegistration(actor, row)) throw notFound('Registration');
}

async function loadDetail(trx: Trx, deps: Deps, actor: Actor, id: string, known: RulesInForce | null = null): Promise<RegistrationDetail> {
  const partnerFacing = isPartnerUser(actor);
  // One statement: the row and its events (the events are only shown once the row is visible).
  const found = await repo.findRegistrationWithEvents(trx, id, !(partnerFacing && deps.isolationChecks));
  if (!found) throw notFound('Registration');
  const { events, ...row } = found;
  assertVisible(deps, actor, row);
  const now = deps.clock.now();
  const pending = row.lastExtensionEvent === 'extension_requested';
  let canRequestExtension = false;
  if (isOwnPartner(actor, row) && row.status === 'approved' && row.ruleSetVersionId) {
    const rules = known?.ruleSetVersionId === row.ruleSetVersionId ? known.rules : await rulesOfVersion(trx, row.ruleSetVersionId);
    canRequestExtension = extensionProblem(rules.protection, { status: row.status, extensionCount: row.extensionCount, pending }) === null;
  }
  return {
    ...toView(row, actor, now),
    events: events.map(eventView),
    allowedActions: allowedActions(actor, row),
    canRequestExtension,
    canDecideExtension: canReview(actor, row) && row.status === 'approved' && pending,
  };
}

// ---------------------------------------------------------------------------------------------
// Rules in force

type RulesInForce = { ruleSetVersionId: string; rules: RuleSetContent };

async function publishedRules(trx: Trx): Promise<RulesInForce> {
  const row = await repo.findPublishedRuleSet(trx);
  if (!row) throw new AppError('conflict', 'No rules of the road are published yet: registrations open once a rule set is published');
  return { ruleSetVersionId: row.ruleSetVersionId, rules: ruleSetContent.parse(row.rules) };
}

/**
 * The published rule set's content as last parsed by this process, keyed by version id and a digest
 * of the stored JSON. Every submission reads the published version's id and digest anyway (one
 * statement with the scenario and the partner); the content crosses the wire and is parsed again
 * only when they differ, so a process never decides under a version that is no longer in force.
 * Shared between requests: the rules functions are pure and never change it.
 */
let rulesCache: { ruleSetVersionId: string; digest: string; rules: RuleSetContent } | null = null;

type SubmissionContext = {
  scenario: { scenarioId: string; key: string; name: string; active: boolean };
  partner: PartnerInfo;
  rulesInForce: RulesInForce | null;
};

/**
 * The scenario (by key, active), the actor's partner (active) and, with `withRules`, the rules in
 * force: one statement. Refuses in the order the separate reads did: scenario, partner, rules.
 */
async function submissionContext(trx: Trx, partnerId: string, scenarioKey: string, path: string, withRules: boolean): Promise<SubmissionContext> {
  const cached = rulesCache;
  const c = await repo.findSubmissionContext(trx, {
    scenarioKey,
    partnerId,
    withRules,
    cached: cached ? { ruleSetVersionId: cached.ruleSetVersionId, digest: cached.digest } : null,
  });
  if (!c.scenario || !c.scenario.active)
    throw new AppError('validation_failed', `${path}: is not an active scenario`, { issues: [{ path, message: 'is not an active scenario' }] });
  const partner = checkedPartner(c.partner);
  if (!withRules) return { scenario: c.scenario, partner, rulesInForce: null };
  const set = c.ruleSet;
  if (!set) throw new AppError('conflict', 'No rules of the road are published yet: registrations open once a rule set is published');
  let rules: RuleSetContent;
  if (set.rules !== null) {
    rules = ruleSetContent.parse(set.rules);
    rulesCache = { ruleSetVersionId: set.ruleSetVersionId, digest: set.digest, rules };
  } else if (cached && cached.ruleSetVersionId === set.ruleSetVersionId && cached.digest === set.digest) {
    rules = cached.rules;
  } else {
    rules = await rulesOfVersion(trx, set.ruleSetVersionId);
  }
  return { scenario: c.scenario, partner, rulesInForce: { ruleSetVersionId: set.ruleSetVersionId, rules } };
}

async function rulesOfVersion(trx: Trx, ruleSetVersionId: string): Promise<RuleSetContent> {
  const row = await repo.findRuleSetVersion(trx, ruleSetVersionId);
  if (!row) throw notFound('Rule set version');
  return ruleSetContent.parse(row.rules);
}

// ---------------------------------------------------------------------------------------------
// Input cleaning and idempotency

/** What a registration's customer and fields become once cleaned; `issues` name fields without prefix. */
type Cleaned = {
  fields: Omit<CreateRegistrationInput, 'submit' | 'clientReference'> & { endCustomerDomain: string | null };
  normalisedName: string;
  issues: { field: string; message: string }[];
};

function clean(input: Omit<CreateRegistrationInput, 'submit' | 'clientReference'>): Cleaned {
  const issues: Cleaned['issues'] = [];
  let domain: string | null = null;
  if (input.endCustomerDomain !== null) {
    domain = normaliseDomain(input.endCustomerDomain);
    if (domain === null) issues.push({ field: 'endCustomerDomain', message: 'must be a web domain such as example.com' });
  }
  const normalisedName = normaliseAccountName(input.endCustomerName) || input.endCustomerName.trim().toLowerCase();
  return { fields: { ...input, endCustomerDomain: domain }, normalisedName: normalisedName.slice(0, 300), issues };
}

/** A stable digest of what was asked for: a replay must ask for exactly the same. */
export function requestFingerprint(input: Omit<CreateRegistrationInput, 'clientReference'>): string {
  const entries = Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify(entries));
}

function fieldValues(f: Cleaned['fields']): Record<RegistrationField, string | null> {
  return {
    endCustomerDomain: f.endCustomerDomain,
    endCustomerTaxId: f.endCustomerTaxId,
    endCustomerCountry: f.endCustomerCountry,
    productLine: f.productLine,
    expectedCloseOn: f.expectedCloseOn,
    description: f.description,
  };
}

function ineligible(problems: { field: string; message: string }[], prefix: string): AppError {
  const issues: ProblemIssue[] = problems.map((p) => ({ path: `${prefix}${p.field}`, message: p.message }));
  return new AppError('validation_failed', 'This registration cannot be submitted under the rules of the road', { issues });
}

type PartnerInfo = NonNullable<Awaited<ReturnType<typeof repo.findPartnerForRegistration>>>;

async function partnerOf(trx: Trx, partnerId: string): Promise<PartnerInfo> {
  return checkedPartner(await repo.findPartnerForRegistration(trx, partnerId));
}

function checkedPartner(p: PartnerInfo | null | undefined): PartnerInfo {
  if (!p) throw notFound('Partner');
  if (p.status !== 'active') throw new AppError('forbidden', `Your partner organisation is ${p.status}: it cannot register deals`);
  return p;
}

function eligibilityOf(rules: RuleSetContent, partner: PartnerInfo, scenarioKey: string, f: Cleaned['fields']): EligibilityProblem[] {
  return eligibilityProblems(rules, {
    scenarioKey,
    valueMinor: f.valueMinor,
    currency: f.currency,
    partnerTier: partner.tier,
    fields: fieldValues(f),
  });
}

// ---------------------------------------------------------------------------------------------
// Submission: one path for the form, the API, the CSV upload and accepted offers

type SubmitOutcome = {
  status: RegistrationStatus;
  inConflict: boolean;
  reference: string;
  /** What the submission wrote onto the row, and the partner-visible events it appended (in order). */
  patch: SubmittedPatch;
  events: Insertable<DB['registrationEvent']>[];
};

type SubmittedPatch = repo.SubmissionPatch;

/**
 * Routes, checks for conflicts and submits a registration; the caller has checked eligibility.
 * Detection runs the same statements whatever it finds, and the partner-facing result of a conflict
 * is an ordinary 'submitted'.
 *
 * `reg` is a draft already written in this transaction, or (`unwritten`) a registration submitted
 * at once that is not written yet: it is then inserted already submitted once detection is done
 * (one write of the row and its indexes, not an insert and an update), with the reference drawn in
 * the scope widening's round trip, which `reg.reference` must then leave null.
 */
async function routeAndSubmit(
  trx: Trx,
  deps: Deps,
  actor: Actor,
  ctx: RulesInForce & { partner: PartnerInfo },
  reg: { id: string; reference: string | null; scenarioId: string; scenarioKey: string; normalisedName: string; fields: Cleaned['fields'] },
  unwritten: UnwrittenDraft | null = null,
): Promise<SubmitOutcome> {
  const now = deps.clock.now();
  const today = dateOf(now);
  const { rules } = ctx;
  const f = reg.fields;
  const route = selectRoute(rules.routes, { scenarioKey: reg.scenarioKey, region: f.region, productLine: f.productLine, tier: ctx.partner.tier });
  if (!route) throw new AppError('conflict', 'The rules of the road have no route for this registration');
  // Reviewer's manager, the vendor's accounts, other partners' registrations, the internal conflict
  // records and reviewers' notifications are outside a partner's row-level view: one widening of
  // the scope for all of them (each widening costs two round trips).
  const { accountId, escalationUserId, findings, autoApprove, reference } = await asSystem(
    trx,
    async (drawn) => {
      const reference = reg.reference ?? drawn.reference;
      if (reference === null) throw new Error('a registration submitted at once has its reference drawn when the scope is widened');
      const escalationUserId = route.escalationUserId ?? (route.reviewerUserId ? await repo.findManagerOf(trx, route.reviewerUserId) : null);
      const { accountId, findings } = await findAccountAndConflicts(
        trx,
        {
          registrationId: reg.id,
          partnerId: ctx.partner.partnerId,
          scenarioId: reg.scenarioId,
          productLine: f.productLine,
          normalisedName: reg.normalisedName,
          domain: f.endCustomerDomain,
          taxId: f.endCustomerTaxId,
        },
        rules.conflicts,
        today,
      );
      const autoApprove = rules.protection.autoApproveWhenClear && findings.length === 0;
      // Without a reviewer on the route or a channel manager on the partner, every active channel
      // manager is told: they are read in the statement that records the findings.
      const askChannelManagers = !autoApprove && !route.reviewerUserId && !ctx.partner.channelManagerUserId;
      // Dated with the submission instant the row gets below, as when it was recorded after it.
      const channelManagerIds = unwritten
        ? await recordConflictsBeforeRow(trx, reg.id, findings, now, { channelManagerIds: askChannelManagers })
        : await recordConflictsInSystemScope(trx, reg.id, findings, now, { channelManagerIds: askChannelManagers });
      if (!autoApprove) {
        const notifyIds = route.reviewerUserId
          ? [route.reviewerUserId]
          : ctx.partner.channelManagerUserId
            ? [ctx.partner.channelManagerUserId]
            : channelManagerIds;
        for (const userId of notifyIds) {
          await notify(trx, {
            userId,
            partnerId: null,
            kind: 'registration.submitted',
            title: `${reference} waits for review: ${ctx.partner.name}, ${f.endCustomerName}`,
            body: `${route.owningUnit}: first answer due within ${route.responseBusinessDays} business day(s).`,
            link: `/engagement/registrations/${reg.id}`,
          });
        }
      }
      return { accountId, escalationUserId, findings, autoApprove, reference };
    },
    // The customer's advisory locks are taken in the widening's round trip, before detection.
    {
      similarityThreshold: similarityThresholdOf(rules.conflicts),
      lockKeys: { normalisedName: reg.normalisedName, domain: f.endCustomerDomain, taxId: f.endCustomerTaxId },
      drawReference: reg.reference === null,
    },
  );
  const status: RegistrationStatus = autoApprove ? 'approved' : 'submitted';
  const base = { dealRegistrationId: reg.id, partnerId: ctx.partner.partnerId, at: now, actorUserId: actorUserId(actor), actorLabel: actorName(actor) };
  const patch: SubmittedPatch = {
    status,
    submittedAt: now,
    submittedByUserId: actorUserId(actor),
    ruleSetVersionId: ctx.ruleSetVersionId,
    routeId: route.id,
    owningUnit: route.owningUnit,
    reviewerUserId: route.reviewerUserId,
    escalationUserId,
    accountId,
    slaDueAt: addBusinessDays(now, route.responseBusinessDays),
    ...(autoApprove ? { firstResponseAt: now, decidedAt: now, protectionEndsOn: protectionEndsOn(today, rules.protection.days) } : {}),
    updatedAt: now,
  };
  const events: Insertable<DB['registrationEvent']>[] = [
    { ...base, registrationEventId: newId(), kind: 'submitted', fromStatus: 'draft', toStatus: 'submitted', note: null },
    ...(autoApprove
      ? [
          {
            ...base,
            registrationEventId: newId(),
            actorUserId: null,
            actorLabel: 'Rules of the road',
            kind: 'status_changed' as const,
            fromStatus: 'submitted' as const,
            toStatus: 'approved' as const,
            note: `Approved automatically under the rules of the road. Protected until ${protectionEndsOn(today, rules.protection.days)}.`,
          },
        ]
      : []),
  ];
  // The row and its partner-visible events in one statement, back under the partner's scope.
  if (unwritten) {
    // In the order a draft's events were written: created, conflict detected, submitted.
    const detected = conflictDetectedEvent(reg.id, ctx.partner.partnerId, now, findings);
    await repo.insertRegistrationWithEvents(trx, { ...unwritten.row, reference, ...patch, inConflict: findings.length > 0 }, [
      unwritten.event,
      ...(detected ? [detected] : []),
      ...events,
    ]);
  } else {
    await repo.submitRegistrationWithEvents(trx, reg.id, patch, events);
  }
  return { status, inConflict: findings.length > 0, patch, events, reference };
}

async function resolveScenario(trx: Trx, key: string, path: string) {
  const s = await repo.findScenarioByKey(trx, key);
  if (!s || !s.active)
    throw new AppError('validation_failed', `${path}: is not an active scenario`, { issues: [{ path, message: 'is not an active scenario' }] });
  return s;
}

/** What a new registration is written from (a draft, or one submitted at once). */
type DraftInput = {
  scenarioId: string;
  cleaned: Cleaned;
  clientReference: string | null;
  fingerprint: string | null;
  source: 'partner' | 'vendor_offer' | 'bulk_upload';
};

async function insertDraft(trx: Trx, deps: Deps, actor: Actor, partnerId: string, input: DraftInput): Promise<WrittenDraft> {
  const { id, row, event } = draftOf(deps, actor, partnerId, input);
  const reference = await repo.insertRegistrationWithEvent(trx, row, event);
  return { id, reference, row: { ...row, reference }, event };
}

/**
 * A registration submitted at once: routed, checked for conflicts and written once, already
 * submitted, after detection (routeAndSubmit); its reference is drawn with the scope widening.
 */
async function submitAtOnce(
  trx: Trx,
  deps: Deps,
  actor: Actor,
  ctx: RulesInForce & { partner: PartnerInfo },
  partnerId: string,
  input: DraftInput,
  scenarioKey: string,
): Promise<{ draft: UnwrittenDraft; outcome: SubmitOutcome }> {
  const draft = draftOf(deps, actor, partnerId, input);
  const reg = {
    id: draft.id,
    reference: null,
    scenarioId: input.scenarioId,
    scenarioKey,
    normalisedName: input.cleaned.normalisedName,
    fields: input.cleaned.fields,
  };
  return { draft, outcome: await routeAndSubmit(trx, deps, actor, ctx, reg, draft) };
}

/** A draft's row (without its reference, drawn when it is written) and its 'created' event, as insertDraft writes them. */
type UnwrittenDraft = { id: string; row: Omit<repo.RegistrationRow, 'reference'>; event: Insertable<DB['registrationEvent']> };

function draftOf(deps: Deps, actor: Actor, partnerId: string, input: DraftInput): UnwrittenDraft {
  const id = newId();
  const now = deps.clock.now();
  const { scenario: _s, ...fields } = input.cleaned.fields;
  const row: Omit<repo.RegistrationRow, 'reference'> = {
    dealRegistrationId: id,
    partnerId,
    submittedByUserId: actorUserId(actor),
    clientReference: input.clientReference,
    requestFingerprint: input.fingerprint,
    status: 'draft',
    source: input.source,
    scenarioId: input.scenarioId,
    ...fields,
    endCustomerNormalisedName: input.cleaned.normalisedName,
    accountId: null,
    ruleSetVersionId: null,
    routeId: null,
    owningUnit: null,
    reviewerUserId: null,
    escalationUserId: null,
    submittedAt: null,
    slaDueAt: null,
    slaBreachedAt: null,
    firstResponseAt: null,
    decidedAt: null,
    decisionReason: null,
    protectionEndsOn: null,
    extensionCount: 0,
    inConflict: false,
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const event: Insertable<DB['registrationEvent']> = {
    registrationEventId: newId(),
    dealRegistrationId: id,
    partnerId,
    at: now,
    actorUserId: actorUserId(actor),
    actorLabel: actorName(actor),
    kind: 'created',
    fromStatus: null,
    toStatus: 'draft',
    note: input.source === 'bulk_upload' ? 'Registered through a CSV upload' : input.source === 'vendor_offer' ? 'Accepted from the deal inbox' : null,
  };
  return { id, row, event };
}

/** A draft as insertDraft wrote it: the row (with the reference drawn for it) and its 'created' event. */
type WrittenDraft = { id: string; reference: string; row: repo.RegistrationRow; event: Insertable<DB['registrationEvent']> };

/**
 * The detail of a registration this transaction has just written, built from what it wrote rather
 * than read back: the same view loadDetail gives a partner user (whose view has no names of the
 * vendor's people and no internal events), for createRegistration. `events` are the partner-visible
 * events in the order they were inserted.
 */
function writtenDetail(
  deps: Deps,
  actor: UserActor,
  written: { row: repo.RegistrationRow; events: Insertable<DB['registrationEvent']>[] },
  names: { partnerName: string; scenarioKey: string; scenarioName: string },
  known: RulesInForce | null,
): RegistrationDetail {
  const row: repo.RegistrationDetailRow = {
    ...written.row,
    scenarioKey: names.scenarioKey,
    scenarioName: names.scenarioName,
    partnerName: names.partnerName,
    // Partner-facing views never show these two; loadDetail reads them for staff.
    reviewerName: null,
    escalationName: null,
    submittedByName: written.row.submittedByUserId === actor.userId ? actor.displayName : null,
    lastExtensionEvent: null,
  };
  const events = written.events
    .map((e, order) => ({ e, order }))
    .filter(({ e }) => e.internalOnly !== true)
    .sort((a, b) => new Date(a.e.at).getTime() - new Date(b.e.at).getTime() || a.order - b.order)
    .map(({ e }) => ({
      registrationEventId: e.registrationEventId,
      at: e.at,
      kind: e.kind,
      actorLabel: e.actorLabel,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      note: e.note ?? null,
      internalOnly: false,
    }));
  let canRequestExtension = false;
  if (isOwnPartner(actor, row) && row.status === 'approved' && row.ruleSetVersionId && known?.ruleSetVersionId === row.ruleSetVersionId) {
    canRequestExtension = extensionProblem(known.rules.protection, { status: row.status, extensionCount: row.extensionCount, pending: false }) === null;
  }
  return {
    ...toView(row, actor, deps.clock.now()),
    events: events.map(eventView),
    allowedActions: allowedActions(actor, row),
    canRequestExtension,
    canDecideExtension: false,
  };
}

function auditable(d: RegistrationDetail) {
  return {
    reference: d.reference,
    status: d.status,
    scenario: d.scenario.key,
    endCustomerName: d.endCustomerName,
    valueMinor: d.valueMinor,
    currency: d.currency,
    protectionEndsOn: d.protectionEndsOn,
  };
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

export type CreateResult = { registration: RegistrationDetail; replayed: boolean };

/**
 * A partner registers a deal: a draft, or submitted at once. Idempotent by the Idempotency-Key
 * header or the client reference: a replay returns the original and writes nothing; the same key
 * with a different request is a conflict.
 */
export async function createRegistration(
  deps: Deps,
  actor: Actor,
  input: CreateRegistrationInput,
  options: { idempotencyKey?: string | undefined; source?: 'partner' | 'vendor_offer' } = {},
): Promise<CreateResult> {
  if (!canRegisterDeals(actor) || actor.kind !== 'user' || actor.partnerId === null)
    throw new AppError('forbidden', 'Deals are registered by partner users for their own organisation');
  const partnerId = actor.partnerId;
  const header = options.idempotencyKey?.trim() || undefined;
  if (header && header.length > 200) throw new AppError('validation_failed', 'The Idempotency-Key header is longer than 200 characters');
  if (header && input.clientReference && header !== input.clientReference) {
    throw new AppError('validation_failed', 'The Idempotency-Key header and body.clientReference differ: send one key', {
      issues: [{ path: 'body.clientReference', message: 'differs from the Idempotency-Key header' }],
    });
  }
  const key = header ?? input.clientReference ?? null;
  const { submit, clientReference: _c, ...rest } = input;
  const fingerprint = key ? requestFingerprint({ ...rest, submit }) : null;
  const attempt = () =>
    inTransaction(deps, actor, async (trx): Promise<CreateResult> => {
      if (key) {
        const existing = await repo.findByClientReference(trx, partnerId, key);
        if (existing) {
          if (existing.requestFingerprint !== fingerprint)
            throw new AppError('conflict', 'This idempotency key was already used for a different registration', {
              issues: [{ path: header ? 'header.idempotency-key' : 'body.clientReference', message: 'was already used with a different request' }],
            });
          return { registration: await loadDetail(trx, deps, actor, existing.dealRegistrationId), replayed: true };
        }
      }
      const cleaned = clean(rest);
      if (cleaned.issues.length > 0) throw ineligible(cleaned.issues, 'body.');
      const { scenario, partner, rulesInForce } = await submissionContext(trx, partnerId, rest.scenario, 'body.scenario', submit);
      let ctx: (RulesInForce & { partner: PartnerInfo }) | null = null;
      if (rulesInForce) {
        ctx = { ...rulesInForce, partner };
        const problems = eligibilityOf(ctx.rules, partner, scenario.key, cleaned.fields);
        if (problems.length > 0) throw ineligible(problems, 'body.');
      }
      const draftInput = { scenarioId: scenario.scenarioId, cleaned, clientReference: key, fingerprint, source: options.source ?? 'partner' } as const;
      // What was just written is not read back: the partner's view of it is built from the values
      // written (with RLS alone, as in the isolation test, it is read back as before).
      const fromWritten = deps.isolationChecks;
      let written: { row: repo.RegistrationRow; events: Insertable<DB['registrationEvent']>[] };
      let id: string;
      if (ctx) {
        const { draft, outcome } = await submitAtOnce(trx, deps, actor, ctx, partnerId, draftInput, scenario.key);
        id = draft.id;
        written = {
          row: { ...draft.row, reference: outcome.reference, ...outcome.patch, inConflict: outcome.inConflict },
          events: [draft.event, ...outcome.events],
        };
      } else {
        const draft = await insertDraft(trx, deps, actor, partnerId, draftInput);
        id = draft.id;
        written = { row: draft.row, events: [draft.event] };
      }
      const detail = fromWritten
        ? writtenDetail(deps, actor, written, { partnerName: partner.name, scenarioKey: scenario.key, scenarioName: scenario.name }, ctx)
        : await loadDetail(trx, deps, actor, id, ctx);
      await recordAudit(trx, deps, actor, {
        action: submit ? 'registration.submit' : 'registration.create',
        entityType: 'deal_registration',
        entityId: id,
        partnerId,
        after: auditable(detail),
      });
      return { registration: detail, replayed: false };
    });
  try {
    return await attempt();
  } catch (e) {
    // Two requests with the same key at the same moment: the loser finds the winner's row.
    if (key && isUniqueViolation(e)) return attempt();
    throw e;
  }
}

/** Used by the deal inbox: the accepted offer goes through the ordinary submission path. */
export async function registerFromOffer(trx: Trx, deps: Deps, actor: Actor & { kind: 'user'; partnerId: string }, input: CreateRegistrationInput) {
  const { submit: _s, clientReference: _c, ...rest } = input;
  const cleaned = clean(rest);
  if (cleaned.issues.length > 0) throw ineligible(cleaned.issues, 'offer.');
  const { scenario, partner, rulesInForce } = await submissionContext(trx, actor.partnerId, rest.scenario, 'offer.scenario', true);
  if (!rulesInForce) throw new Error('submissionContext returned no rules');
  const ctx = { ...rulesInForce, partner };
  const problems = eligibilityOf(ctx.rules, partner, scenario.key, cleaned.fields);
  if (problems.length > 0) throw ineligible(problems, 'offer.');
  const { draft, outcome } = await submitAtOnce(
    trx,
    deps,
    actor,
    ctx,
    actor.partnerId,
    { scenarioId: scenario.scenarioId, cleaned, clientReference: null, fingerprint: null, source: 'vendor_offer' },
    scenario.key,
  );
  return { id: draft.id, reference: outcome.reference, status: outcome.status };
}

function fieldsOfRow(row: repo.RegistrationRow, scenarioKey: string): Cleaned['fields'] {
  return {
    scenario: scenarioKey,
    endCustomerName: row.endCustomerName,
    endCustomerDomain: row.endCustomerDomain,
    endCustomerCountry: row.endCustomerCountry,
    endCustomerTaxId: row.endCustomerTaxId,
    productLine: row.productLine,
    region: row.region,
    valueMinor: row.valueMinor,
    currency: row.currency,
    expectedCloseOn: row.expectedCloseOn,
    description: row.description,
  };
}

async function lockVisible(trx: Trx, deps: Deps, actor: Actor, id: string): Promise<repo.RegistrationRow> {
  const row = await repo.lockRegistration(trx, id);
  if (!row) throw notFound('Registration');
  assertVisible(deps, actor, row);
  return row;
}

async function scenarioKeyOf(trx: Trx, scenarioId: string): Promise<string> {
  const r = await trx.selectFrom('scenario').select('key').where('scenarioId', '=', scenarioId).executeTakeFirst();
  if (!r) throw notFound('Scenario');
  return r.key;
}

/** Submits a draft. */
export async function submitRegistration(deps: Deps, actor: Actor, id: string): Promise<RegistrationDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockVisible(trx, deps, actor, id);
    if (!isOwnPartner(actor, row)) throw new AppError('forbidden', 'Only the registering partner submits its registration');
    if (row.status !== 'draft') throw new AppError('conflict', `The registration is already ${row.status.replaceAll('_', ' ')}`);
    const scenarioKey = await scenarioKeyOf(trx, row.scenarioId);
    const partner = await partnerOf(trx, row.partnerId);
    const ctx = { ...(await publishedRules(trx)), partner };
    const fields = fieldsOfRow(row, scenarioKey);
    const problems = eligibilityOf(ctx.rules, partner, scenarioKey, fields);
    if (problems.length > 0) throw ineligible(problems, 'registration.');
    await routeAndSubmit(trx, deps, actor, ctx, {
      id: row.dealRegistrationId,
      reference: row.reference,
      scenarioId: row.scenarioId,
      scenarioKey,
      normalisedName: row.endCustomerNormalisedName,
      fields,
    });
    const detail = await loadDetail(trx, deps, actor, id);
    await recordAudit(trx, deps, actor, {
      action: 'registration.submit',
      entityType: 'deal_registration',
      entityId: id,
      partnerId: row.partnerId,
      before: { status: 'draft' },
      after: auditable(detail),
    });
    return detail;
  });
}

/**
 * Edits a draft, or adds what the reviewer asked for while more information is requested. The
 * customer's identity is fixed once submitted: conflict detection ran on it.
 */
export async function updateRegistration(deps: Deps, actor: Actor, id: string, patch: UpdateRegistrationInput): Promise<RegistrationDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockVisible(trx, deps, actor, id);
    if (!isOwnPartner(actor, row)) throw new AppError('forbidden', 'Only the registering partner edits its registration');
    if (row.status !== 'draft' && row.status !== 'more_info_requested')
      throw new AppError('conflict', `A registration that is ${row.status.replaceAll('_', ' ')} cannot be edited`);
    if (row.status === 'more_info_requested') {
      const fixed = (['scenario', 'endCustomerName', 'endCustomerDomain', 'endCustomerTaxId', 'currency'] as const).filter((k) => patch[k] !== undefined);
      if (fixed.length > 0)
        throw new AppError('validation_failed', 'The customer, scenario and currency are fixed once submitted', {
          issues: fixed.map((k) => ({ path: `body.${k}`, message: 'cannot change after submission' })),
        });
    }
    const scenarioKey = patch.scenario ?? (await scenarioKeyOf(trx, row.scenarioId));
    const scenario = await resolveScenario(trx, scenarioKey, 'body.scenario');
    const merged = { ...fieldsOfRow(row, scenarioKey), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    const cleaned = clean(merged);
    if (cleaned.issues.length > 0) throw ineligible(cleaned.issues, 'body.');
    const { scenario: _s, ...fields } = cleaned.fields;
    const now = deps.clock.now();
    await repo.updateRegistration(trx, id, { ...fields, scenarioId: scenario.scenarioId, endCustomerNormalisedName: cleaned.normalisedName, updatedAt: now });
    await repo.insertEvent(trx, {
      registrationEventId: newId(),
      dealRegistrationId: id,
      partnerId: row.partnerId,
      at: now,
      actorUserId: actorUserId(actor),
      actorLabel: actorName(actor),
      kind: 'comment',
      fromStatus: null,
      toStatus: null,
      note: `Changed ${Object.keys(patch).join(', ')}`,
    });
    const detail = await loadDetail(trx, deps, actor, id);
    await recordAudit(trx, deps, actor, {
      action: 'registration.update',
      entityType: 'deal_registration',
      entityId: id,
      partnerId: row.partnerId,
      before: fieldsOfRow(row, scenarioKey),
      after: auditable(detail),
    });
    return detail;
  });
}

const eventKindByAction: Record<RegistrationAction, 'status_changed' | 'info_requested' | 'info_provided'> = {
  start_review: 'status_changed',
  request_info: 'info_requested',
  provide_info: 'info_provided',
  approve: 'status_changed',
  reject: 'status_changed',
  mark_won: 'status_changed',
  mark_lost: 'status_changed',
  withdraw: 'status_changed',
};

/** Moves a registration along its lifecycle by the transition table; one event and one audit entry. */
export async function transitionRegistration(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { action: RegistrationAction; note?: string | undefined; reason?: string | undefined },
): Promise<RegistrationDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockVisible(trx, deps, actor, id);
    const problem = transitionProblem(actor, row, input.action);
    if (problem) throw new AppError(problem.code, problem.message);
    // A held registration is decided by resolving its conflict, so two claims cannot both be protected.
    // Only reviewers approve, and they are vendor staff: naming the conflict reveals nothing to a partner.
    if (input.action === 'approve' && row.inConflict) {
      throw new AppError('conflict', 'This registration meets another claim on the same customer: resolve the conflict first (Engagement > Conflicts)');
    }
    const rule = transitions[input.action];
    if (rule.needs === 'note' && !input.note)
      throw new AppError('validation_failed', 'body.note: is required', { issues: [{ path: 'body.note', message: 'is required for this action' }] });
    if (rule.needs === 'reason' && !input.reason)
      throw new AppError('validation_failed', 'body.reason: is required', { issues: [{ path: 'body.reason', message: 'is required to reject' }] });
    const now = deps.clock.now();
    const today = dateOf(now);
    const reviewerAnswer = rule.by === 'reviewer';
    const patch: Parameters<typeof repo.updateRegistration>[2] = { status: rule.to, updatedAt: now };
    if (reviewerAnswer && !row.firstResponseAt) patch.firstResponseAt = now;
    if (input.action === 'approve') {
      const rules = row.ruleSetVersionId ? await rulesOfVersion(trx, row.ruleSetVersionId) : (await publishedRules(trx)).rules;
      patch.protectionEndsOn = protectionEndsOn(today, rules.protection.days);
      patch.decidedAt = now;
      patch.decisionReason = input.reason ?? null;
    }
    if (input.action === 'reject') {
      patch.decidedAt = now;
      patch.decisionReason = input.reason ?? null;
    }
    if (['mark_won', 'mark_lost', 'withdraw'].includes(input.action)) patch.closedAt = now;
    await repo.updateRegistration(trx, id, patch);
    await repo.insertEvent(trx, {
      registrationEventId: newId(),
      dealRegistrationId: id,
      partnerId: row.partnerId,
      at: now,
      actorUserId: actorUserId(actor),
      actorLabel: actorName(actor),
      kind: eventKindByAction[input.action],
      fromStatus: row.status,
      toStatus: rule.to,
      note: [input.note, input.reason].filter(Boolean).join(' — ') || null,
    });
    // Tell the other side.
    if (reviewerAnswer && row.submittedByUserId) {
      await notify(trx, {
        userId: row.submittedByUserId,
        partnerId: row.partnerId,
        kind: `registration.${input.action}`,
        title: `${row.reference} (${row.endCustomerName}): ${rule.to.replaceAll('_', ' ')}`,
        body: input.note ?? input.reason ?? '',
        link: `/registrations/${id}`,
      });
    } else if (!reviewerAnswer && isPartnerUser(actor)) {
      await asSystem(trx, async () => {
        const to = row.reviewerUserId ? [row.reviewerUserId] : await repo.activeChannelManagerIds(trx);
        for (const userId of to)
          await notify(trx, {
            userId,
            partnerId: null,
            kind: `registration.${input.action}`,
            title: `${row.reference} (${row.endCustomerName}): ${rule.to.replaceAll('_', ' ')}`,
            body: input.note ?? '',
            link: `/engagement/registrations/${id}`,
          });
      });
    }
    const detail = await loadDetail(trx, deps, actor, id);
    await recordAudit(trx, deps, actor, {
      action: `registration.${input.action}`,
      entityType: 'deal_registration',
      entityId: id,
      partnerId: row.partnerId,
      before: { status: row.status, protectionEndsOn: row.protectionEndsOn },
      after: { status: detail.status, protectionEndsOn: detail.protectionEndsOn, note: input.note ?? null, reason: input.reason ?? null },
    });
    return detail;
  });
}

async function extensionPending(trx: Trx, id: string): Promise<boolean> {
  const row = await repo.findRegistration(trx, id);
  return row?.lastExtensionEvent === 'extension_requested';
}

/** The partner asks for more protection time; the reviewer decides. */
export async function requestExtension(deps: Deps, actor: Actor, id: string, note: string | undefined): Promise<RegistrationDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockVisible(trx, deps, actor, id);
    if (!isOwnPartner(actor, row)) throw new AppError('forbidden', 'Only the registering partner asks for an extension');
    const rules = row.ruleSetVersionId ? await rulesOfVersion(trx, row.ruleSetVersionId) : (await publishedRules(trx)).rules;
    const problem = extensionProblem(rules.protection, { status: row.status, extensionCount: row.extensionCount, pending: await extensionPending(trx, id) });
    if (problem) throw new AppError('conflict', `No extension: ${problem}`);
    const now = deps.clock.now();
    await repo.insertEvent(trx, {
      registrationEventId: newId(),
      dealRegistrationId: id,
      partnerId: row.partnerId,
      at: now,
      actorUserId: actorUserId(actor),
      actorLabel: actorName(actor),
      kind: 'extension_requested',
      fromStatus: null,
      toStatus: null,
      note: note ?? `Asks to extend the protection by ${rules.protection.extensionDays} days`,
    });
    await repo.updateRegistration(trx, id, { updatedAt: now });
    await asSystem(trx, async () => {
      const to = row.reviewerUserId ? [row.reviewerUserId] : await repo.activeChannelManagerIds(trx);
      for (const userId of to)
        await notify(trx, {
          userId,
          partnerId: null,
          kind: 'registration.extension_requested',
          title: `${row.reference} (${row.endCustomerName}): extension requested`,
          body: note ?? '',
          link: `/engagement/registrations/${id}`,
        });
    });
    const detail = await loadDetail(trx, deps, actor, id);
    await recordAudit(trx, deps, actor, {
      action: 'registration.extension_request',
      entityType: 'deal_registration',
      entityId: id,
      partnerId: row.partnerId,
      after: { note: note ?? null },
    });
    return detail;
  });
}

export async function decideExtension(deps: Deps, actor: Actor, id: string, decision: 'grant' | 'deny', note: string | undefined): Promise<RegistrationDetail> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockVisible(trx, deps, actor, id);
    if (!canReview(actor, row)) throw new AppError('forbidden', 'Only the reviewer or a channel manager decides on extensions');
    if (row.status !== 'approved' || !(await extensionPending(trx, id))) throw new AppError('conflict', 'No extension request is waiting for a decision');
    const rules = row.ruleSetVersionId ? await rulesOfVersion(trx, row.ruleSetVersionId) : (await publishedRules(trx)).rules;
    const now = deps.clock.now();
    const endsOn = row.protectionEndsOn ?? dateOf(now);
    const newEnd = decision === 'grant' ? addDays(endsOn, rules.protection.extensionDays) : endsOn;
    if (decision === 'grant') await repo.updateRegistration(trx, id, { protectionEndsOn: newEnd, extensionCount: row.extensionCount + 1, updatedAt: now });
    else await repo.updateRegistration(trx, id, { updatedAt: now });
    await repo.insertEvent(trx, {
      registrationEventId: newId(),
      dealRegistrationId: id,
      partnerId: row.partnerId,
      at: now,
      actorUserId: actorUserId(actor),
      actorLabel: actorName(actor),
      kind: decision === 'grant' ? 'extension_granted' : 'extension_denied',
      fromStatus: null,
      toStatus: null,
      note: [decision === 'grant' ? `Protected until ${newEnd}` : null, note].filter(Boolean).join(' — ') || null,
    });
    if (row.submittedByUserId)
      await notify(trx, {
        userId: row.submittedByUserId,
        partnerId: row.partnerId,
        kind: `registration.extension_${decision === 'grant' ? 'granted' : 'denied'}`,
        title: `${row.reference}: extension ${decision === 'grant' ? `granted, protected until ${newEnd}` : 'denied'}`,
        body: note ?? '',
        link: `/registrations/${id}`,
      });
    const detail = await loadDetail(trx, deps, actor, id);
    await recordAudit(trx, deps, actor, {
      action: `registration.extension_${decision}`,
      entityType: 'deal_registration',
      entityId: id,
      partnerId: row.partnerId,
      before: { protectionEndsOn: row.protectionEndsOn, extensionCount: row.extensionCount },
      after: { protectionEndsOn: detail.protectionEndsOn, extensionCount: detail.extensionCount, note: note ?? null },
    });
    return detail;
  });
}

export async function getRegistration(deps: Deps, actor: Actor, id: string): Promise<RegistrationDetail> {
  return inTransaction(deps, actor, (trx) => loadDetail(trx, deps, actor, id));
}

export async function listRegistrations(deps: Deps, actor: Actor, q: RegistrationListQuery): Promise<{ items: RegistrationView[]; total: number }> {
  const now = deps.clock.now();
  const partnerScoped = deps.isolationChecks && isPartnerUser(actor);
  const me = actor.kind === 'user' ? actor.userId : undefined;
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.searchRegistrations(trx, {
      onlyPartnerId: partnerScoped && actor.kind === 'user' ? (actor.partnerId ?? undefined) : undefined,
      onlyRoutedToUserId: deps.isolationChecks && seesOnlyOwnQueue(actor) ? me : undefined,
      q: q.q,
      status: q.status,
      scenarioKey: q.scenario,
      partnerId: isPartnerUser(actor) ? undefined : q.partnerId,
      reviewerUserId: q.queue === 'mine' ? (me ?? '00000000-0000-0000-0000-000000000000') : q.reviewerUserId,
      unassignedOnly: q.queue === 'unit',
      owningUnit: q.owningUnit,
      overdueAt: q.overdue ? now : undefined,
      open: q.open,
      sort: q.sort,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: r.items.map((row) => toView(row, actor, now)), total: r.total };
  });
}

// ---------------------------------------------------------------------------------------------
// Bulk upload

const columnOfField: Record<string, string> = {
  scenario: 'scenario',
  endCustomerName: 'end_customer_name',
  endCustomerDomain: 'end_customer_domain',
  endCustomerCountry: 'end_customer_country',
  endCustomerTaxId: 'end_customer_tax_id',
  productLine: 'product_line',
  region: 'region',
  valueMinor: 'value',
  currency: 'currency',
  expectedCloseOn: 'expected_close_on',
  description: 'description',
  partnerTier: '(partner tier)',
  clientReference: 'client_reference',
};

type PreparedRow = { row: CsvRow; report: BulkRowReport; input: CreateRegistrationInput | null; cleaned: Cleaned | null; scenarioId: string | null };

/**
 * A CSV upload: every row is checked first; bad rows are listed with their line and a reason per
 * column. In 'all_or_nothing' mode one bad row commits nothing; in 'valid_rows' mode the good rows
 * are committed. Either way the writes happen in one transaction, so a failure leaves nothing.
 */
export async function bulkRegister(deps: Deps, actor: Actor, csv: string, mode: BulkMode): Promise<BulkUploadReport> {
  if (!canRegisterDeals(actor) || actor.kind !== 'user' || actor.partnerId === null)
    throw new AppError('forbidden', 'Deals are registered by partner users for their own organisation');
  const partnerId = actor.partnerId;
  const parsed = parseRegistrationCsv(csv);
  return inTransaction(deps, actor, async (trx) => {
    const partner = await partnerOf(trx, partnerId);
    const ctx = { ...(await publishedRules(trx)), partner };
    const scenarios = new Map((await trx.selectFrom('scenario').select(['scenarioId', 'key', 'active']).execute()).map((s) => [s.key, s]));
    const existing = new Map(
      (
        await repo.findByClientReferences(
          trx,
          partnerId,
          parsed.rows.map((r) => r.input?.clientReference).filter((x): x is string => !!x),
        )
      ).map((e) => [e.clientReference, e]),
    );
    const seenRefs = new Map<string, number>();
    const prepared: PreparedRow[] = parsed.rows.map((row) => {
      const issues = [...row.issues];
      const ref = row.input?.clientReference ?? null;
      const report: BulkRowReport = { line: row.line, clientReference: ref, outcome: 'invalid', registrationId: null, reference: null, issues };
      if (ref && seenRefs.has(ref)) issues.push({ column: 'client_reference', message: `repeats the client reference of line ${seenRefs.get(ref)}` });
      if (ref && !seenRefs.has(ref)) seenRefs.set(ref, row.line);
      if (!row.input || issues.length > 0) return { row, report, input: null, cleaned: null, scenarioId: null };
      const { submit: _s, clientReference: _c, ...rest } = row.input;
      const prior = ref ? existing.get(ref) : undefined;
      if (prior) {
        if (prior.requestFingerprint === requestFingerprint({ ...rest, submit: true })) {
          return {
            row,
            report: { ...report, outcome: 'already_registered', registrationId: prior.dealRegistrationId, reference: prior.reference },
            input: null,
            cleaned: null,
            scenarioId: null,
          };
        }
        issues.push({ column: 'client_reference', message: 'was already used for a different registration' });
      }
      const cleaned = clean(rest);
      for (const i of cleaned.issues) issues.push({ column: columnOfField[i.field] ?? i.field, message: i.message });
      const scenario = scenarios.get(rest.scenario);
      if (!scenario || !scenario.active) issues.push({ column: 'scenario', message: `"${rest.scenario}" is not an active scenario` });
      else if (cleaned.issues.length === 0)
        for (const p of eligibilityOf(ctx.rules, partner, scenario.key, cleaned.fields))
          issues.push({ column: columnOfField[p.field] ?? p.field, message: p.message });
      if (issues.length > 0) return { row, report, input: null, cleaned: null, scenarioId: null };
      return { row, report: { ...report, outcome: 'not_committed' }, input: row.input, cleaned, scenarioId: scenario?.scenarioId ?? null };
    });
    const invalid = prepared.filter((p) => p.report.outcome === 'invalid').length;
    const good = prepared.filter((p) => p.input && p.cleaned && p.scenarioId);
    const commit = good.length > 0 && (mode === 'valid_rows' || invalid === 0);
    if (commit) {
      // Customer locks in one order across uploads, so two uploads cannot wait on each other.
      const order = [...good].sort((a, b) =>
        a.cleaned!.normalisedName < b.cleaned!.normalisedName ? -1 : a.cleaned!.normalisedName > b.cleaned!.normalisedName ? 1 : 0,
      );
      for (const p of order) {
        const { submit: _s, clientReference: _c, ...rest } = p.input!;
        const input: DraftInput = {
          scenarioId: p.scenarioId!,
          cleaned: p.cleaned!,
          clientReference: p.input!.clientReference ?? null,
          fingerprint: requestFingerprint({ ...rest, submit: true }),
          source: 'bulk_upload',
        };
        const { draft, outcome } = await submitAtOnce(trx, deps, actor, ctx, partnerId, input, rest.scenario);
        p.report = { ...p.report, outcome: 'created', registrationId: draft.id, reference: outcome.reference };
      }
      const created = prepared.filter((p) => p.report.outcome === 'created');
      await recordAudit(trx, deps, actor, {
        action: 'registration.bulk_upload',
        entityType: 'deal_registration',
        entityId: null,
        partnerId,
        after: {
          mode,
          rows: prepared.length,
          created: created.map((p) => p.report.reference),
          invalidLines: prepared.filter((p) => p.report.outcome === 'invalid').map((p) => p.row.line),
        },
      });
    }
    const rows = prepared.map((p) => p.report);
    return {
      mode,
      committed: commit,
      rows,
      counts: {
        total: rows.length,
        created: rows.filter((r) => r.outcome === 'created').length,
        alreadyRegistered: rows.filter((r) => r.outcome === 'already_registered').length,
        invalid,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Timers

/**
 * Flags registrations whose first answer is overdue, once each: sets sla_breached_at, writes an
 * 'sla_breached' event and tells the escalation contact and the reviewer.
 */
export async function flagSlaBreaches(deps: Deps, batch = 200): Promise<number> {
  const actor = systemActor('sla-timer');
  let total = 0;
  for (;;) {
    const n = await inTransaction(deps, actor, async (trx) => {
      const now = deps.clock.now();
      const rows = await repo.lockOverdueUnflagged(trx, now, batch);
      for (const row of rows) {
        await repo.updateRegistration(trx, row.dealRegistrationId, { slaBreachedAt: now, updatedAt: now });
        const escalation = row.escalationUserId ?? (row.reviewerUserId ? await repo.findManagerOf(trx, row.reviewerUserId) : null);
        await repo.insertEvent(trx, {
          registrationEventId: newId(),
          dealRegistrationId: row.dealRegistrationId,
          partnerId: row.partnerId,
          at: now,
          actorUserId: null,
          actorLabel: 'SLA timer',
          kind: 'sla_breached',
          fromStatus: null,
          toStatus: null,
          note: `No answer by ${row.slaDueAt?.toISOString() ?? 'the due time'}: escalated${row.owningUnit ? ` within ${row.owningUnit}` : ''}.`,
        });
        const to = new Set<string>();
        if (escalation) to.add(escalation);
        if (row.reviewerUserId) to.add(row.reviewerUserId);
        if (to.size === 0) for (const id of await repo.activeChannelManagerIds(trx)) to.add(id);
        for (const userId of to) {
          await notify(trx, {
            userId,
            partnerId: null,
            kind: 'registration.sla_breached',
            title: `${row.reference} (${row.endCustomerName}) is past its answer SLA`,
            body: `The first answer was due ${row.slaDueAt?.toISOString() ?? ''}${row.owningUnit ? ` from ${row.owningUnit}` : ''}.`,
            link: `/engagement/registrations/${row.dealRegistrationId}`,
          });
        }
        await recordAudit(trx, deps, actor, {
          action: 'registration.sla_breached',
          entityType: 'deal_registration',
          entityId: row.dealRegistrationId,
          partnerId: row.partnerId,
          after: { slaDueAt: row.slaDueAt, escalatedTo: [...to] },
        });
      }
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

/** Approved registrations whose protection ran out become expired. */
export async function expireProtections(deps: Deps, batch = 200): Promise<number> {
  const actor = systemActor('protection-expiry');
  let total = 0;
  for (;;) {
    const n = await inTransaction(deps, actor, async (trx) => {
      const now = deps.clock.now();
      const rows = await repo.lockProtectionExpired(trx, dateOf(now), batch);
      for (const row of rows) {
        await repo.updateRegistration(trx, row.dealRegistrationId, { status: 'expired', closedAt: now, updatedAt: now });
        await repo.insertEvent(trx, {
          registrationEventId: newId(),
          dealRegistrationId: row.dealRegistrationId,
          partnerId: row.partnerId,
          at: now,
          actorUserId: null,
          actorLabel: 'Protection timer',
          kind: 'expired',
          fromStatus: 'approved',
          toStatus: 'expired',
          note: `Protection ended on ${row.protectionEndsOn ?? ''}.`,
        });
        if (row.submittedByUserId)
          await notify(trx, {
            userId: row.submittedByUserId,
            partnerId: row.partnerId,
            kind: 'registration.expired',
            title: `${row.reference} (${row.endCustomerName}): protection expired`,
            link: `/registrations/${row.dealRegistrationId}`,
          });
        await recordAudit(trx, deps, actor, {
          action: 'registration.expire',
          entityType: 'deal_registration',
          entityId: row.dealRegistrationId,
          partnerId: row.partnerId,
          before: { status: 'approved', protectionEndsOn: row.protectionEndsOn },
          after: { status: 'expired' },
        });
      }
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
