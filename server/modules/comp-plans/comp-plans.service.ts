import type { z } from 'zod';
import type {
  approveRequest,
  AssignmentView,
  ChainStepView,
  CompSettingsView,
  createAssignmentRequest,
  createParticipantRequest,
  createPlanRequest,
  createVersionRequest,
  MyCompView,
  ParticipantPage,
  ParticipantView,
  PlanDetail,
  PlanDiffView,
  PlanExportView,
  PlanSummary,
  PlanVersionSummary,
  PlanVersionView,
  QuotaView,
  rejectRequest,
  saveDraftRequest,
  updateAssignmentRequest,
  updateParticipantRequest,
  UpsertQuotasReport,
  upsertQuotasRequest,
} from '../../../common/api/comp-plans.ts';
import { planJsonSchema, stringifyPlan } from '../../../common/comp/plan-file.ts';
import type { PlanDocument } from '../../../common/comp/plan.ts';
import { dateOf } from '../../../common/dates.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canChangeCompSettings, canManageComp, canReadAllComp, isPartner, mayDecideStep } from './comp-plans.policy.ts';
import * as repo from './comp-plans.repository.ts';
import { startRolloutOnPublish } from './rollout.service.ts';
import {
  chainState,
  checkDocument,
  checkFile,
  diffPlans,
  type Decision,
  nextStep,
  requiredSteps,
  selfApprovalProblem,
  versionIssues,
  type Checked,
} from './comp-plans.rules.ts';

/** The organisation's payout ceiling per participant and payout period, in minor units of the plan currency. */
export const PAYOUT_CEILING_SETTING = 'comp.payout_ceiling_minor';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function userIdOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/**
 * Partner users learn nothing of internal pay: every comp route answers them 404. With the
 * application's isolation checks off (a test-only switch) a partner user is let through as if they
 * could read and change everything, so the isolation test proves that RLS alone hides every row.
 */
function hideFromPartners(deps: Deps, actor: Actor, what: string): void {
  if (isPartner(actor) && deps.isolationChecks) throw notFound(what);
}

const unchecked = (deps: Deps, actor: Actor): boolean => isPartner(actor) && !deps.isolationChecks;

function readsAll(deps: Deps, actor: Actor): boolean {
  return canReadAllComp(actor) || unchecked(deps, actor);
}

function mustManage(deps: Deps, actor: Actor, what: string): void {
  hideFromPartners(deps, actor, what);
  if (!canManageComp(actor) && !unchecked(deps, actor))
    throw new AppError('forbidden', 'Only compensation administrators and administrators change compensation plans');
}

function invalid(issues: ProblemIssue[], what = 'The plan'): AppError {
  const n = issues.length;
  const shown = issues.slice(0, 1000);
  return new AppError(
    'validation_failed',
    `${what} has ${n} problem${n === 1 ? '' : 's'}${n > shown.length ? ` (the first ${shown.length} are listed)` : ''}`,
    {
      issues: shown,
    },
  );
}

async function ceilingOf(trx: Trx): Promise<number | null> {
  const raw = await repo.readSetting(trx, PAYOUT_CEILING_SETTING);
  if (raw === undefined) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** A document or a file from a request, checked in full: shape, the plan's own rules, the plan it belongs to, the ceiling. */
async function checkedPlan(
  trx: Trx,
  input: { document?: Record<string, unknown> | undefined; file?: { text: string; format: 'yaml' | 'json' | 'auto' } | undefined },
  of: { key: string; currency: string } | null,
): Promise<PlanDocument> {
  const checked: Checked = input.file ? checkFile(input.file.text, input.file.format) : checkDocument(input.document);
  if (!checked.plan) throw invalid(checked.issues);
  const issues = versionIssues(checked.plan, of, await ceilingOf(trx));
  if (issues.length > 0) throw invalid(issues);
  return checked.plan;
}

// ---------------------------------------------------------------------------------------------
// Views

function participantView(r: repo.ParticipantRow): ParticipantView {
  return {
    id: r.compParticipantId,
    externalRef: r.externalRef,
    displayName: r.displayName,
    email: r.email,
    appUserId: r.appUserId,
    managerId: r.managerParticipantId,
    managerName: r.managerName,
    team: r.team,
    unit: r.unit,
    territory: r.territory,
    activeFrom: r.activeFrom,
    activeTo: r.activeTo,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function versionSummary(r: repo.VersionRow): PlanVersionSummary {
  return {
    id: r.compPlanVersionId,
    planId: r.compPlanId,
    version: r.version,
    status: r.status,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    changeNote: r.changeNote,
    approvalRound: r.approvalRound,
    rejectionComment: r.rejectionComment,
    createdByUserId: r.createdByUserId,
    createdByName: r.createdByName,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    submittedAt: iso(r.submittedAt),
    publishedAt: iso(r.publishedAt),
    publishedByName: r.publishedByName,
    retiredAt: iso(r.retiredAt),
  };
}

function planSummary(r: repo.PlanRow, full: boolean): PlanSummary {
  return {
    id: r.compPlanId,
    key: r.key,
    name: r.name,
    currency: r.currency,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    published:
      r.pubId && r.pubVersion !== null && r.pubFrom !== null && r.pubAt !== null
        ? { id: r.pubId, version: r.pubVersion, effectiveFrom: r.pubFrom, effectiveTo: r.pubTo, publishedAt: new Date(r.pubAt).toISOString() }
        : null,
    open: full && r.openId && r.openVersion !== null && r.openStatus !== null ? { id: r.openId, version: r.openVersion, status: r.openStatus } : null,
    latestVersion: full ? Number(r.latestVersion ?? 0) : (r.pubVersion ?? 0),
    assignedNow: full ? Number(r.assignedNow ?? 0) : 0,
  };
}

function assignmentView(r: repo.AssignmentRow): AssignmentView {
  return {
    id: r.compPlanAssignmentId,
    participantId: r.compParticipantId,
    participantName: r.participantName,
    externalRef: r.externalRef,
    planId: r.compPlanId,
    planKey: r.planKey,
    planName: r.planName,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

function quotaView(r: repo.QuotaRow): QuotaView {
  return {
    id: r.compQuotaId,
    participantId: r.compParticipantId,
    externalRef: r.externalRef,
    participantName: r.participantName,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    amountMinor: r.amountMinor,
    currency: r.currency,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

async function managersOf(trx: Trx, v: repo.VersionRow): Promise<Set<string>> {
  return repo.managerApprovers(trx, v.compPlanId, v.effectiveFrom, v.effectiveTo);
}

async function versionView(trx: Trx, actor: Actor, v: repo.VersionRow): Promise<PlanVersionView> {
  const approvals = await repo.listApprovals(trx, v.compPlanVersionId);
  const round = approvals.filter((a) => a.round === v.approvalRound);
  let chain: ChainStepView[] = [];
  if (v.status === 'in_approval' || v.status === 'approved') {
    const managers = await managersOf(trx, v);
    const uid = userIdOf(actor);
    const selfProblem = uid === null ? 'system' : selfApprovalProblem(uid, v.createdByUserId, round);
    chain = chainState(requiredSteps(managers.size > 0), round).map((s) => {
      const d = round.find((a) => a.step === s.step && a.decision === 'approved');
      return {
        step: s.step,
        state: s.state,
        decidedByName: d?.decidedByName ?? null,
        decidedAt: iso(d?.decidedAt ?? null),
        comment: d?.comment ?? null,
        mayDecide: v.status === 'in_approval' && s.state === 'next' && selfProblem === null && mayDecideStep(actor, s.step, managers),
      };
    });
  } else if (v.status === 'published' || v.status === 'retired') {
    chain = round
      .filter((a) => a.decision === 'approved')
      .map((a) => ({
        step: a.step,
        state: 'done' as const,
        decidedByName: a.decidedByName,
        decidedAt: iso(a.decidedAt),
        comment: a.comment,
        mayDecide: false,
      }));
  }
  let issues: ProblemIssue[] = [];
  if (v.status === 'draft') {
    const checked = checkDocument(v.document);
    issues = checked.plan ? versionIssues(checked.plan, { key: v.planKey, currency: v.planCurrency }, await ceilingOf(trx)) : checked.issues;
  }
  return {
    ...versionSummary(v),
    planKey: v.planKey,
    planName: v.planName,
    document: v.document as unknown as Record<string, unknown>,
    chain,
    approvals: approvals.map((a) => ({
      id: a.compPlanApprovalId,
      round: a.round,
      step: a.step,
      decision: a.decision,
      decidedByUserId: a.decidedByUserId,
      decidedByName: a.decidedByName,
      comment: a.comment,
      decidedAt: new Date(a.decidedAt).toISOString(),
    })),
    issues,
  };
}

/**
 * Whether the actor may read a version. Readers of all comp data see everything; anyone else (an
 * internal seller, a manager) sees the published and retired versions of plans they are or were
 * assigned to, and the versions awaiting their manager sign-off.
 */
async function canSeeVersion(deps: Deps, trx: Trx, actor: Actor, v: repo.VersionRow): Promise<boolean> {
  if (readsAll(deps, actor)) return true;
  if (actor.kind !== 'user') return false;
  if (v.status === 'published' || v.status === 'retired') {
    const me = await repo.findParticipantByUser(trx, actor.userId);
    if (me && (await repo.planIdsOfParticipant(trx, me.compParticipantId)).includes(v.compPlanId)) return true;
  }
  if (v.status === 'in_approval' || v.status === 'approved') return (await managersOf(trx, v)).has(actor.userId);
  return false;
}

async function visibleVersion(deps: Deps, trx: Trx, actor: Actor, id: string): Promise<repo.VersionRow> {
  const v = await repo.findVersion(trx, id);
  if (!v || !(await canSeeVersion(deps, trx, actor, v))) throw notFound('Plan version');
  return v;
}

/** A version, with its plan locked for the change (versions of one plan change one at a time). */
async function lockedVersion(deps: Deps, trx: Trx, actor: Actor, id: string): Promise<repo.VersionRow> {
  const first = await visibleVersion(deps, trx, actor, id);
  await repo.lockPlan(trx, first.compPlanId);
  const v = await repo.findVersion(trx, id);
  if (!v) throw notFound('Plan version');
  return v;
}

function auditable(v: repo.VersionRow) {
  return {
    planKey: v.planKey,
    version: v.version,
    status: v.status,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: v.effectiveTo,
    approvalRound: v.approvalRound,
  };
}

// ---------------------------------------------------------------------------------------------
// Schema and settings

/** The JSON Schema of plan documents and plan files (what editors validate a YAML or JSON plan with). */
export function planSchema(actor: Actor): Record<string, unknown> {
  // Not rows under RLS: hidden from partners whatever the isolation switch says.
  if (isPartner(actor)) throw notFound('Plan schema');
  return planJsonSchema();
}

export async function getCompSettings(deps: Deps, actor: Actor): Promise<CompSettingsView> {
  // app_setting is not under RLS: hidden from partners whatever the isolation switch says.
  if (isPartner(actor)) throw notFound('Compensation settings');
  if (!canReadAllComp(actor)) throw new AppError('forbidden', 'Compensation settings are for compensation administrators, finance and leadership');
  return inTransaction(deps, actor, async (trx) => ({ payoutCeilingMinor: await ceilingOf(trx) }));
}

export async function updateCompSettings(deps: Deps, actor: Actor, input: { payoutCeilingMinor: number | null }): Promise<CompSettingsView> {
  if (isPartner(actor)) throw notFound('Compensation settings');
  if (!canChangeCompSettings(actor)) throw new AppError('forbidden', 'Only administrators, compensation administrators and finance set the payout ceiling');
  return inTransaction(deps, actor, async (trx) => {
    const before = await ceilingOf(trx);
    await repo.writeSetting(trx, PAYOUT_CEILING_SETTING, input.payoutCeilingMinor === null ? null : String(input.payoutCeilingMinor));
    await recordAudit(trx, deps, actor, {
      action: 'setting.update',
      entityType: 'app_setting',
      entityId: PAYOUT_CEILING_SETTING,
      before: { payoutCeilingMinor: before },
      after: { payoutCeilingMinor: input.payoutCeilingMinor },
    });
    return { payoutCeilingMinor: input.payoutCeilingMinor };
  });
}

// ---------------------------------------------------------------------------------------------
// Plans and versions: reading

export async function listPlans(
  deps: Deps,
  actor: Actor,
  f: { q?: string | undefined; limit: number; offset: number },
): Promise<{ items: PlanSummary[]; total: number }> {
  hideFromPartners(deps, actor, 'Plan');
  const full = readsAll(deps, actor);
  return inTransaction(deps, actor, async (trx) => {
    let onlyIds: string[] | undefined;
    if (!full) {
      const me = actor.kind === 'user' ? await repo.findParticipantByUser(trx, actor.userId) : undefined;
      onlyIds = me ? await repo.planIdsOfParticipant(trx, me.compParticipantId) : [];
    }
    const { rows, total } = await repo.listPlans(trx, { ...f, onlyIds, today: dateOf(deps.clock.now()) });
    return { items: rows.map((r) => planSummary(r, full)), total };
  });
}

export async function getPlan(deps: Deps, actor: Actor, id: string): Promise<PlanDetail> {
  hideFromPartners(deps, actor, 'Plan');
  const full = readsAll(deps, actor);
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findPlan(trx, id, dateOf(deps.clock.now()));
    if (!row) throw notFound('Plan');
    let versions: repo.VersionRow[];
    if (full) versions = await repo.listVersions(trx, id);
    else {
      // Others read the plans they are or were assigned to, and the versions awaiting their manager sign-off.
      const me = actor.kind === 'user' ? await repo.findParticipantByUser(trx, actor.userId) : undefined;
      const assigned = me !== undefined && (await repo.planIdsOfParticipant(trx, me.compParticipantId)).includes(id);
      versions = [];
      for (const v of await repo.listVersions(trx, id)) if (await canSeeVersion(deps, trx, actor, v)) versions.push(v);
      if (!assigned && versions.length === 0) throw notFound('Plan');
    }
    return { ...planSummary(row, full), versions: versions.map(versionSummary) };
  });
}

export async function getPlanVersion(deps: Deps, actor: Actor, id: string): Promise<PlanVersionView> {
  hideFromPartners(deps, actor, 'Plan version');
  return inTransaction(deps, actor, async (trx) => versionView(trx, actor, await visibleVersion(deps, trx, actor, id)));
}

export async function diffPlanVersions(deps: Deps, actor: Actor, id: string, fromId: string | undefined): Promise<PlanDiffView> {
  hideFromPartners(deps, actor, 'Plan version');
  return inTransaction(deps, actor, async (trx) => {
    const to = await visibleVersion(deps, trx, actor, id);
    let from: repo.VersionRow | undefined;
    if (fromId) from = await visibleVersion(deps, trx, actor, fromId);
    else {
      from = await repo.findPreviousVersion(trx, to.compPlanId, to.version);
      if (from && !(await canSeeVersion(deps, trx, actor, from))) from = undefined;
    }
    const ref = (v: repo.VersionRow) => ({ id: v.compPlanVersionId, version: v.version });
    if (!from) return { from: null, to: ref(to), changes: [] };
    return { from: ref(from), to: ref(to), changes: diffPlans(from.document, to.document) };
  });
}

export async function exportPlanVersion(deps: Deps, actor: Actor, id: string, format: 'json' | 'yaml'): Promise<PlanExportView> {
  hideFromPartners(deps, actor, 'Plan version');
  return inTransaction(deps, actor, async (trx) => {
    const v = await visibleVersion(deps, trx, actor, id);
    return {
      fileName: `${v.planKey}-v${v.version}.${format === 'yaml' ? 'yaml' : 'json'}`,
      format,
      contentType: format === 'yaml' ? 'application/yaml' : 'application/json',
      text: stringifyPlan(v.document, format),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Plans and versions: writing

/** A new plan and its first version (a draft) from a document or a plan file. */
export async function createPlan(deps: Deps, actor: Actor, input: z.output<typeof createPlanRequest>): Promise<PlanVersionView> {
  mustManage(deps, actor, 'Plan');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const doc = await checkedPlan(trx, input, null);
    if (await repo.findPlanByKey(trx, doc.key))
      throw new AppError('conflict', `A plan with the key "${doc.key}" exists already: add a version to it instead`, {
        issues: [{ path: 'document.key', message: 'is taken by another plan' }],
      });
    const planId = newId();
    const versionId = newId();
    await repo.insertPlan(trx, {
      compPlanId: planId,
      key: doc.key,
      name: doc.name,
      currency: doc.currency,
      createdByUserId: userIdOf(actor),
      createdAt: now,
      updatedAt: now,
    });
    await repo.insertVersion(trx, {
      compPlanVersionId: versionId,
      compPlanId: planId,
      version: 1,
      status: 'draft',
      document: JSON.stringify(doc),
      effectiveFrom: doc.effectiveFrom,
      effectiveTo: doc.effectiveTo,
      changeNote: input.changeNote ?? '',
      createdByUserId: userIdOf(actor),
      createdAt: now,
      updatedAt: now,
    });
    const v = await repo.findVersion(trx, versionId);
    if (!v) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan.create',
      entityType: 'comp_plan',
      entityId: planId,
      after: { key: doc.key, name: doc.name, currency: doc.currency, versionId, ...auditable(v) },
    });
    return versionView(trx, actor, v);
  });
}

/** The next version of a plan, as a draft: from a document or file, or a copy of the version in force (or the latest). */
export async function createPlanVersion(deps: Deps, actor: Actor, planId: string, input: z.output<typeof createVersionRequest>): Promise<PlanVersionView> {
  mustManage(deps, actor, 'Plan');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const plan = await repo.lockPlan(trx, planId);
    if (!plan) throw notFound('Plan');
    const open = await repo.findOpenVersion(trx, planId);
    if (open) throw new AppError('conflict', `Version ${open.version} of this plan is ${open.status.replace('_', ' ')}: one open version at a time`);
    const latest = await repo.latestVersion(trx, planId);
    let doc: PlanDocument;
    if (input.document || input.file) doc = await checkedPlan(trx, input, { key: plan.key, currency: plan.currency });
    else {
      const base = (await repo.findPublishedVersion(trx, planId)) ?? latest;
      if (!base) throw notFound('Plan version');
      doc = base.document;
    }
    const id = newId();
    await repo.insertVersion(trx, {
      compPlanVersionId: id,
      compPlanId: planId,
      version: (latest?.version ?? 0) + 1,
      status: 'draft',
      document: JSON.stringify(doc),
      effectiveFrom: doc.effectiveFrom,
      effectiveTo: doc.effectiveTo,
      changeNote: input.changeNote ?? '',
      createdByUserId: userIdOf(actor),
      createdAt: now,
      updatedAt: now,
    });
    const v = await repo.findVersion(trx, id);
    if (!v) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, { action: 'comp_plan_version.create', entityType: 'comp_plan_version', entityId: id, after: auditable(v) });
    return versionView(trx, actor, v);
  });
}

/** Saves a draft's document (checked in full; every problem with its path) and change note. */
export async function saveDraft(deps: Deps, actor: Actor, id: string, input: z.output<typeof saveDraftRequest>): Promise<PlanVersionView> {
  mustManage(deps, actor, 'Plan version');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await lockedVersion(deps, trx, actor, id);
    if (before.status !== 'draft') throw new AppError('conflict', `Version ${before.version} is ${before.status.replace('_', ' ')}: only a draft can change`);
    const doc = input.document || input.file ? await checkedPlan(trx, input, { key: before.planKey, currency: before.planCurrency }) : before.document;
    await repo.updateVersion(trx, id, {
      document: JSON.stringify(doc),
      effectiveFrom: doc.effectiveFrom,
      effectiveTo: doc.effectiveTo,
      ...(input.changeNote !== undefined ? { changeNote: input.changeNote } : {}),
      updatedAt: now,
    });
    const after = await repo.findVersion(trx, id);
    if (!after) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_version.update',
      entityType: 'comp_plan_version',
      entityId: id,
      before: { ...auditable(before), changeNote: before.changeNote },
      after: { ...auditable(after), changeNote: after.changeNote, changes: diffPlans(before.document, after.document).map((c) => c.text) },
    });
    return versionView(trx, actor, after);
  });
}

const STEP_LABEL = { comp_admin: 'compensation review', finance: 'finance', manager: 'manager' } as const;

/**
 * Tells the people who may decide the step now waiting in this round (if any): the roles the step
 * asks for (or the plan's eligible managers), less the author and whoever decided an earlier step.
 * One 'notifications.post' job per person, enqueued in the caller's transaction; the key makes a
 * retry of the same decision tell nobody twice.
 */
async function notifyNextStep(trx: Trx, v: repo.VersionRow, managers: ReadonlySet<string>, round: readonly Decision[]): Promise<void> {
  const step = nextStep(requiredSteps(managers.size > 0), round);
  if (step === null) return;
  const candidates = await repo.activeInternalUserIds(
    trx,
    step === 'manager' ? { ids: [...managers] } : { roles: step === 'finance' ? ['finance'] : ['comp_admin', 'admin'] },
  );
  for (const userId of candidates) {
    if (selfApprovalProblem(userId, v.createdByUserId, round) !== null) continue;
    await enqueueJob(trx, {
      name: 'notifications.post',
      payload: {
        userId,
        partnerId: null,
        kind: 'comp.plan_approval_waiting',
        title: `“${v.planName}” version ${v.version} awaits your ${STEP_LABEL[step]} approval`,
        body: `Version ${v.version} of the compensation plan “${v.planName}” is waiting for the ${STEP_LABEL[step]} step of its approval chain.`,
        link: `/comp-plans/${v.compPlanId}?version=${v.compPlanVersionId}`,
      },
      idempotencyKey: `comp.plan_approval_waiting:${v.compPlanVersionId}:${v.approvalRound}:${step}:${userId}`,
    });
  }
}

/** Starts the approval chain (a new round) for a valid draft. */
export async function submitForApproval(deps: Deps, actor: Actor, id: string): Promise<PlanVersionView> {
  mustManage(deps, actor, 'Plan version');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await lockedVersion(deps, trx, actor, id);
    if (before.status !== 'draft')
      throw new AppError('conflict', `Version ${before.version} is ${before.status.replace('_', ' ')}: only a draft can be submitted`);
    const checked = checkDocument(before.document);
    const issues = checked.plan ? versionIssues(checked.plan, { key: before.planKey, currency: before.planCurrency }, await ceilingOf(trx)) : checked.issues;
    if (issues.length > 0) throw invalid(issues);
    await repo.updateVersion(trx, id, {
      status: 'in_approval',
      approvalRound: before.approvalRound + 1,
      rejectionComment: null,
      submittedAt: now,
      submittedByUserId: userIdOf(actor),
      updatedAt: now,
    });
    const after = await repo.findVersion(trx, id);
    if (!after) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_version.submit',
      entityType: 'comp_plan_version',
      entityId: id,
      before: auditable(before),
      after: auditable(after),
    });
    await notifyNextStep(trx, after, await managersOf(trx, after), []);
    return versionView(trx, actor, after);
  });
}

/** Takes a version in approval (or approved, not yet published) back to draft; the chain starts again on the next submission. */
export async function withdrawVersion(deps: Deps, actor: Actor, id: string): Promise<PlanVersionView> {
  mustManage(deps, actor, 'Plan version');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await lockedVersion(deps, trx, actor, id);
    if (before.status !== 'in_approval' && before.status !== 'approved')
      throw new AppError(
        'conflict',
        `Version ${before.version} is ${before.status.replace('_', ' ')}: only a version in approval or approved can be withdrawn`,
      );
    await repo.updateVersion(trx, id, { status: 'draft', updatedAt: now });
    const after = await repo.findVersion(trx, id);
    if (!after) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_version.withdraw',
      entityType: 'comp_plan_version',
      entityId: id,
      before: auditable(before),
      after: auditable(after),
    });
    return versionView(trx, actor, after);
  });
}

type StepDecision = { step: z.output<typeof approveRequest>['step']; comment: string; decision: 'approved' | 'rejected' };

/**
 * One decision of the approval chain. The plan row lock orders concurrent decisions; the unique
 * (version, round, step) is the backstop: of any number of simultaneous approvals of one step,
 * exactly one is recorded and the others are told the step is decided.
 */
async function decide(deps: Deps, actor: Actor, id: string, d: StepDecision): Promise<PlanVersionView> {
  hideFromPartners(deps, actor, 'Plan version');
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Approvals are decisions of people, not of the system');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await lockedVersion(deps, trx, actor, id);
    if (before.status !== 'in_approval')
      throw new AppError('conflict', `Version ${before.version} is ${before.status.replace('_', ' ')}: it is not awaiting approval`);
    const managers = await managersOf(trx, before);
    const required = requiredSteps(managers.size > 0);
    const round = (await repo.listApprovals(trx, id)).filter((a) => a.round === before.approvalRound);
    const next = nextStep(required, round);
    if (!required.includes(d.step)) throw new AppError('conflict', `This version needs no ${d.step} sign-off`);
    if (round.some((a) => a.step === d.step)) throw new AppError('conflict', `The ${d.step} step of this round is decided already`);
    if (next !== d.step) throw new AppError('conflict', `The ${d.step} step waits for the ${next ?? 'earlier'} step`);
    if (!mayDecideStep(actor, d.step, managers))
      throw new AppError(
        'forbidden',
        d.step === 'manager'
          ? 'Only a manager of a participant on this plan signs off this step'
          : `Only ${d.step === 'finance' ? 'finance' : 'a compensation administrator'} decides this step`,
      );
    const self = selfApprovalProblem(actor.userId, before.createdByUserId, round);
    if (self) throw new AppError('forbidden', `You cannot decide this step: ${self}`);
    const recorded = await repo.insertApproval(trx, {
      compPlanApprovalId: newId(),
      compPlanVersionId: id,
      round: before.approvalRound,
      step: d.step,
      decision: d.decision,
      decidedByUserId: actor.userId,
      comment: d.comment,
      decidedAt: now,
    });
    if (!recorded) throw new AppError('conflict', `The ${d.step} step of this round is decided already`);
    const decided: Decision[] = [...round, { step: d.step, decision: d.decision, decidedByUserId: actor.userId }];
    if (d.decision === 'rejected') await repo.updateVersion(trx, id, { status: 'draft', rejectionComment: d.comment, updatedAt: now });
    else if (nextStep(required, decided) === null) await repo.updateVersion(trx, id, { status: 'approved', updatedAt: now });
    else await notifyNextStep(trx, before, managers, decided);
    const after = await repo.findVersion(trx, id);
    if (!after) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, {
      action: d.decision === 'approved' ? 'comp_plan_version.approve' : 'comp_plan_version.reject',
      entityType: 'comp_plan_version',
      entityId: id,
      before: auditable(before),
      after: { ...auditable(after), step: d.step, comment: d.comment },
    });
    return versionView(trx, actor, after);
  });
}

export async function approveStep(deps: Deps, actor: Actor, id: string, input: z.output<typeof approveRequest>): Promise<PlanVersionView> {
  return decide(deps, actor, id, { ...input, decision: 'approved' });
}

/** A rejection sends the version back to draft with the comment; the next submission starts a new round. */
export async function rejectStep(deps: Deps, actor: Actor, id: string, input: z.output<typeof rejectRequest>): Promise<PlanVersionView> {
  return decide(deps, actor, id, { ...input, decision: 'rejected' });
}

/**
 * Publishes an approved version: the chain is checked again (a manager sign-off may have become
 * necessary since), so is the document against today's ceiling; the version in force so far retires.
 */
export async function publishVersion(deps: Deps, actor: Actor, id: string): Promise<PlanVersionView> {
  mustManage(deps, actor, 'Plan version');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await lockedVersion(deps, trx, actor, id);
    if (before.status !== 'approved')
      throw new AppError('conflict', `Version ${before.version} is ${before.status.replace('_', ' ')}: only an approved version can be published`);
    const managers = await managersOf(trx, before);
    const round = (await repo.listApprovals(trx, id)).filter((a) => a.round === before.approvalRound);
    const missing = nextStep(requiredSteps(managers.size > 0), round);
    if (missing) throw new AppError('conflict', `The ${missing} step has not approved this version (withdraw and submit it again)`);
    const issues = versionIssues(before.document, { key: before.planKey, currency: before.planCurrency }, await ceilingOf(trx));
    if (issues.length > 0) throw invalid(issues);
    const previous = await repo.findPublishedVersion(trx, before.compPlanId);
    if (previous) await repo.updateVersion(trx, previous.compPlanVersionId, { status: 'retired', retiredAt: now, updatedAt: now });
    await repo.updateVersion(trx, id, { status: 'published', publishedAt: now, publishedByUserId: userIdOf(actor), updatedAt: now });
    await repo.updatePlan(trx, before.compPlanId, { name: before.document.name, updatedAt: now });
    // Publishing starts the version's rollout to its participants (rollout.service.ts), in this transaction.
    const rollout = await startRolloutOnPublish(trx, deps, actor, {
      id,
      planId: before.compPlanId,
      effectiveFrom: before.effectiveFrom,
      effectiveTo: before.effectiveTo,
    });
    const after = await repo.findVersion(trx, id);
    if (!after) throw notFound('Plan version');
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_version.publish',
      entityType: 'comp_plan_version',
      entityId: id,
      before: auditable(before),
      after: { ...auditable(after), retiredVersionId: previous?.compPlanVersionId ?? null, retiredVersion: previous?.version ?? null, rollout },
    });
    return versionView(trx, actor, after);
  });
}

// ---------------------------------------------------------------------------------------------
// Participants

async function participantIssues(
  trx: Trx,
  id: string,
  p: { appUserId?: string | null | undefined; managerId?: string | null | undefined; activeFrom: string | null; activeTo: string | null },
): Promise<ProblemIssue[]> {
  const issues: ProblemIssue[] = [];
  if (p.appUserId) {
    const u = await repo.findUser(trx, p.appUserId);
    if (!u) issues.push({ path: 'body.appUserId', message: 'no such user' });
    else if (u.partnerId !== null) issues.push({ path: 'body.appUserId', message: 'must be an internal user, not a partner user' });
  }
  if (p.managerId) {
    if (p.managerId === id) issues.push({ path: 'body.managerId', message: 'a participant cannot manage themselves' });
    else if (!(await repo.findParticipant(trx, p.managerId))) issues.push({ path: 'body.managerId', message: 'no such participant' });
    else if (await repo.wouldCycle(trx, id, p.managerId))
      issues.push({ path: 'body.managerId', message: 'reports to this participant already: that would be a loop' });
  }
  if (p.activeFrom && p.activeTo && p.activeTo <= p.activeFrom) issues.push({ path: 'body.activeTo', message: `must be after activeFrom (${p.activeFrom})` });
  return issues;
}

function uniqueClash(err: unknown): AppError | null {
  const e = err as { code?: string; constraint?: string };
  if (e.code !== '23505') return null;
  if (e.constraint?.includes('external_ref'))
    return new AppError('conflict', 'Another participant has this external reference', { issues: [{ path: 'body.externalRef', message: 'is taken' }] });
  if (e.constraint?.includes('app_user'))
    return new AppError('conflict', 'Another participant is linked to this user', {
      issues: [{ path: 'body.appUserId', message: 'is linked to another participant' }],
    });
  return null;
}

export async function createParticipant(deps: Deps, actor: Actor, input: z.output<typeof createParticipantRequest>): Promise<ParticipantView> {
  mustManage(deps, actor, 'Participant');
  const now = deps.clock.now();
  const id = newId();
  return inTransaction(deps, actor, async (trx) => {
    const issues = await participantIssues(trx, id, input);
    if (issues.length > 0) throw invalid(issues, 'The participant');
    try {
      await repo.insertParticipant(trx, {
        compParticipantId: id,
        externalRef: input.externalRef,
        displayName: input.displayName,
        email: input.email,
        appUserId: input.appUserId,
        managerParticipantId: input.managerId,
        team: input.team,
        unit: input.unit,
        territory: input.territory,
        activeFrom: input.activeFrom,
        activeTo: input.activeTo,
        createdAt: now,
        updatedAt: now,
      });
    } catch (err) {
      throw uniqueClash(err) ?? err;
    }
    const row = await repo.findParticipant(trx, id);
    if (!row) throw notFound('Participant');
    const view = participantView(row);
    await recordAudit(trx, deps, actor, { action: 'comp_participant.create', entityType: 'comp_participant', entityId: id, after: view });
    return view;
  });
}

export async function updateParticipant(deps: Deps, actor: Actor, id: string, patch: z.output<typeof updateParticipantRequest>): Promise<ParticipantView> {
  mustManage(deps, actor, 'Participant');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findParticipant(trx, id);
    if (!before) throw notFound('Participant');
    const issues = await participantIssues(trx, id, {
      appUserId: patch.appUserId,
      managerId: patch.managerId,
      activeFrom: patch.activeFrom !== undefined ? patch.activeFrom : before.activeFrom,
      activeTo: patch.activeTo !== undefined ? patch.activeTo : before.activeTo,
    });
    if (issues.length > 0) throw invalid(issues, 'The participant');
    const { managerId, ...rest } = patch;
    try {
      await repo.updateParticipant(trx, id, { ...rest, ...(managerId !== undefined ? { managerParticipantId: managerId } : {}), updatedAt: now });
    } catch (err) {
      throw uniqueClash(err) ?? err;
    }
    const after = await repo.findParticipant(trx, id);
    if (!after) throw notFound('Participant');
    const view = participantView(after);
    await recordAudit(trx, deps, actor, {
      action: 'comp_participant.update',
      entityType: 'comp_participant',
      entityId: id,
      before: participantView(before),
      after: view,
    });
    return view;
  });
}

/** Removes a participant created by mistake; one with assignments or reports is ended (activeTo) instead. */
export async function deleteParticipant(deps: Deps, actor: Actor, id: string): Promise<void> {
  mustManage(deps, actor, 'Participant');
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findParticipant(trx, id);
    if (!before) throw notFound('Participant');
    const use = await repo.countParticipantUse(trx, id);
    if (use.assignments > 0 || use.reports > 0)
      throw new AppError('conflict', `The participant has ${use.assignments} plan assignment(s) and ${use.reports} direct report(s): set activeTo instead`);
    try {
      await repo.deleteParticipant(trx, id);
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new AppError('conflict', 'The participant has pay records: set activeTo instead');
      throw err;
    }
    await recordAudit(trx, deps, actor, { action: 'comp_participant.delete', entityType: 'comp_participant', entityId: id, before: participantView(before) });
  });
}

export async function getParticipant(deps: Deps, actor: Actor, id: string): Promise<ParticipantView> {
  hideFromPartners(deps, actor, 'Participant');
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findParticipant(trx, id);
    if (!row || !(readsAll(deps, actor) || (actor.kind === 'user' && row.appUserId === actor.userId))) throw notFound('Participant');
    return participantView(row);
  });
}

/** One page of participants (readers of comp data: everyone; anyone else: their own record). */
export async function listParticipants(
  deps: Deps,
  actor: Actor,
  f: Omit<repo.ParticipantFilter, 'on' | 'onlyId'> & { on?: string | undefined },
): Promise<ParticipantPage> {
  hideFromPartners(deps, actor, 'Participant');
  return inTransaction(deps, actor, async (trx) => {
    let onlyId: string | null | undefined;
    if (!readsAll(deps, actor)) onlyId = actor.kind === 'user' ? ((await repo.findParticipantByUser(trx, actor.userId))?.compParticipantId ?? null) : null;
    const { rows, total } = await repo.listParticipants(trx, { ...f, on: f.on ?? dateOf(deps.clock.now()), onlyId });
    return { items: rows.map(participantView), total };
  });
}

// ---------------------------------------------------------------------------------------------
// Assignments

async function assignmentChecks(trx: Trx, participantId: string, from: string, to: string | null, exceptId: string | null): Promise<void> {
  if (to !== null && to <= from) throw invalid([{ path: 'body.effectiveTo', message: `must be after effectiveFrom (${from})` }], 'The assignment');
  await repo.lockParticipantAssignments(trx, participantId);
  const other = await repo.findOverlappingAssignment(trx, participantId, from, to, exceptId);
  if (other)
    throw new AppError(
      'conflict',
      `${other.participantName} is on plan "${other.planName}" from ${other.effectiveFrom} to ${other.effectiveTo ?? 'open-ended'}: one plan at a time`,
      {
        issues: [
          {
            path: 'body.effectiveFrom',
            message: `overlaps the assignment to ${other.planKey} (${other.effectiveFrom} – ${other.effectiveTo ?? 'open-ended'})`,
          },
        ],
      },
    );
}

function exclusionClash(err: unknown): AppError | null {
  if ((err as { code?: string }).code !== '23P01') return null;
  return new AppError('conflict', 'The participant is on another plan in that period: one plan at a time', {
    issues: [{ path: 'body.effectiveFrom', message: 'overlaps another assignment' }],
  });
}

export async function createAssignment(deps: Deps, actor: Actor, input: z.output<typeof createAssignmentRequest>): Promise<AssignmentView> {
  mustManage(deps, actor, 'Assignment');
  const now = deps.clock.now();
  const id = newId();
  return inTransaction(deps, actor, async (trx) => {
    const issues: ProblemIssue[] = [];
    if (!(await repo.findParticipant(trx, input.participantId))) issues.push({ path: 'body.participantId', message: 'no such participant' });
    if (!(await repo.findPlan(trx, input.planId, dateOf(now)))) issues.push({ path: 'body.planId', message: 'no such plan' });
    if (issues.length > 0) throw invalid(issues, 'The assignment');
    await assignmentChecks(trx, input.participantId, input.effectiveFrom, input.effectiveTo, null);
    try {
      await repo.insertAssignment(trx, {
        compPlanAssignmentId: id,
        compParticipantId: input.participantId,
        compPlanId: input.planId,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: input.effectiveTo,
        createdByUserId: userIdOf(actor),
        createdAt: now,
        updatedAt: now,
      });
    } catch (err) {
      throw exclusionClash(err) ?? err;
    }
    const row = await repo.findAssignment(trx, id);
    if (!row) throw notFound('Assignment');
    const view = assignmentView(row);
    await recordAudit(trx, deps, actor, { action: 'comp_plan_assignment.create', entityType: 'comp_plan_assignment', entityId: id, after: view });
    return view;
  });
}

export async function updateAssignment(deps: Deps, actor: Actor, id: string, patch: z.output<typeof updateAssignmentRequest>): Promise<AssignmentView> {
  mustManage(deps, actor, 'Assignment');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findAssignment(trx, id);
    if (!before) throw notFound('Assignment');
    const from = patch.effectiveFrom ?? before.effectiveFrom;
    const to = patch.effectiveTo !== undefined ? patch.effectiveTo : before.effectiveTo;
    await assignmentChecks(trx, before.compParticipantId, from, to, id);
    try {
      await repo.updateAssignment(trx, id, { effectiveFrom: from, effectiveTo: to, updatedAt: now });
    } catch (err) {
      throw exclusionClash(err) ?? err;
    }
    const after = await repo.findAssignment(trx, id);
    if (!after) throw notFound('Assignment');
    const view = assignmentView(after);
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_assignment.update',
      entityType: 'comp_plan_assignment',
      entityId: id,
      before: assignmentView(before),
      after: view,
    });
    return view;
  });
}

export async function deleteAssignment(deps: Deps, actor: Actor, id: string): Promise<void> {
  mustManage(deps, actor, 'Assignment');
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findAssignment(trx, id);
    if (!before) throw notFound('Assignment');
    await repo.deleteAssignment(trx, id);
    await recordAudit(trx, deps, actor, {
      action: 'comp_plan_assignment.delete',
      entityType: 'comp_plan_assignment',
      entityId: id,
      before: assignmentView(before),
    });
  });
}

export async function listAssignments(
  deps: Deps,
  actor: Actor,
  f: { planId?: string | undefined; participantId?: string | undefined; on?: string | undefined; limit: number; offset: number },
): Promise<{ items: AssignmentView[]; total: number }> {
  hideFromPartners(deps, actor, 'Assignment');
  return inTransaction(deps, actor, async (trx) => {
    let filter = f;
    if (!readsAll(deps, actor)) {
      const me = actor.kind === 'user' ? await repo.findParticipantByUser(trx, actor.userId) : undefined;
      if (!me || (f.participantId && f.participantId !== me.compParticipantId)) return { items: [], total: 0 };
      filter = { ...f, participantId: me.compParticipantId };
    }
    const { rows, total } = await repo.listAssignments(trx, filter);
    return { items: rows.map(assignmentView), total };
  });
}

// ---------------------------------------------------------------------------------------------
// Quotas

/** Quotas from a list of rows, all or nothing: every row is checked first and every problem is reported with its row. */
export async function upsertQuotas(deps: Deps, actor: Actor, input: z.output<typeof upsertQuotasRequest>): Promise<UpsertQuotasReport> {
  mustManage(deps, actor, 'Quota');
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    const refs = [...new Set(input.rows.flatMap((r) => (r.externalRef ? [r.externalRef] : [])))];
    const ids = [...new Set(input.rows.flatMap((r) => (r.participantId ? [r.participantId] : [])))];
    const [byRef, known] = await Promise.all([repo.participantIdsByRef(trx, refs), repo.existingParticipantIds(trx, ids)]);
    const issues: ProblemIssue[] = [];
    const seen = new Map<string, number>();
    const rows: repo.QuotaInput[] = [];
    input.rows.forEach((r, i) => {
      const at = `body.rows[${i}]`;
      const participantId = r.participantId ?? (r.externalRef ? byRef.get(r.externalRef) : undefined);
      if (r.externalRef && !participantId) issues.push({ path: `${at}.externalRef`, message: `no participant has the reference "${r.externalRef}"` });
      if (r.participantId && !known.has(r.participantId)) issues.push({ path: `${at}.participantId`, message: 'no such participant' });
      if (r.periodEnd <= r.periodStart) issues.push({ path: `${at}.periodEnd`, message: `must be after periodStart (${r.periodStart})` });
      if (!participantId) return;
      const k = `${participantId}|${r.periodStart}`;
      const first = seen.get(k);
      if (first !== undefined) issues.push({ path: `${at}.periodStart`, message: `the same participant and period start as rows[${first}]` });
      else seen.set(k, i);
      rows.push({ participantId, periodStart: r.periodStart, periodEnd: r.periodEnd, amountMinor: r.amountMinor, currency: r.currency });
    });
    if (issues.length > 0) throw invalid(issues, 'The quota list');
    const { inserted, updated } = await repo.upsertQuotas(
      trx,
      rows,
      rows.map(() => newId()),
      now,
    );
    const report = { inserted, updated, unchanged: rows.length - inserted - updated };
    await recordAudit(trx, deps, actor, { action: 'comp_quota.upsert', entityType: 'comp_quota', entityId: null, after: { rows: rows.length, ...report } });
    return report;
  });
}

export async function listQuotas(
  deps: Deps,
  actor: Actor,
  f: { participantId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number },
): Promise<{ items: QuotaView[]; total: number }> {
  hideFromPartners(deps, actor, 'Quota');
  return inTransaction(deps, actor, async (trx) => {
    let filter = f;
    if (!readsAll(deps, actor)) {
      const me = actor.kind === 'user' ? await repo.findParticipantByUser(trx, actor.userId) : undefined;
      if (!me || (f.participantId && f.participantId !== me.compParticipantId)) return { items: [], total: 0 };
      filter = { ...f, participantId: me.compParticipantId };
    }
    const { rows, total } = await repo.listQuotas(trx, filter);
    return { items: rows.map(quotaView), total };
  });
}

// ---------------------------------------------------------------------------------------------
// My compensation

/** The signed-in user's participant record and, for each of their assignments, the plan version that governs it today. */
export async function myComp(deps: Deps, actor: Actor): Promise<MyCompView> {
  hideFromPartners(deps, actor, 'Participant');
  if (actor.kind !== 'user') return { participant: null, plans: [] };
  const today = dateOf(deps.clock.now());
  return inTransaction(deps, actor, async (trx) => {
    const me = await repo.findParticipantByUser(trx, actor.userId);
    if (!me) return { participant: null, plans: [] };
    const { rows } = await repo.listAssignments(trx, { participantId: me.compParticipantId, limit: 100, offset: 0 });
    const plans = [];
    for (const a of rows) {
      const on = a.effectiveTo !== null && a.effectiveTo <= today ? a.effectiveFrom : today < a.effectiveFrom ? a.effectiveFrom : today;
      const v = (await repo.versionInEffect(trx, a.compPlanId, on)) ?? (await repo.findPublishedVersion(trx, a.compPlanId));
      plans.push({ assignment: assignmentView(a), version: v ? await versionView(trx, actor, v) : null });
    }
    return { participant: participantView(me), plans };
  });
}

// ---------------------------------------------------------------------------------------------
// For other modules (commissions): reads inside the caller's transaction

export type PlanVersionInEffect = { versionId: string; planId: string; planKey: string; version: number; document: PlanDocument };

/** The plan a participant is on for a day, and the plan version that governs that day; null when none. */
export async function planForParticipantOn(trx: Trx, participantId: string, on: string): Promise<PlanVersionInEffect | null> {
  const { rows } = await repo.listAssignments(trx, { participantId, on, limit: 1, offset: 0 });
  const a = rows[0];
  if (!a) return null;
  const v = await repo.versionInEffect(trx, a.compPlanId, on);
  return v ? { versionId: v.compPlanVersionId, planId: v.compPlanId, planKey: v.planKey, version: v.version, document: v.document } : null;
}

/** One plan version's document, whatever its status (simulations of drafts included). */
export async function planVersionDocument(trx: Trx, versionId: string): Promise<PlanVersionInEffect | null> {
  const v = await repo.findVersion(trx, versionId);
  return v ? { versionId: v.compPlanVersionId, planId: v.compPlanId, planKey: v.planKey, version: v.version, document: v.document } : null;
}

/** Quotas of a participant whose periods overlap [from, to). */
export async function quotasOf(trx: Trx, participantId: string, from: string, to: string) {
  return repo.quotasOverlapping(trx, participantId, from, to);
}
