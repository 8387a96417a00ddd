import type { z } from 'zod';
import type {
  AcknowledgementDashboard,
  AcknowledgementPerson,
  createRuleSetVersionRequest,
  PlainRulesView,
  publishRuleSetVersionRequest,
  RuleChangesView,
  RuleSetVersionSummary,
  RuleSetVersionView,
  updateRuleSetVersionRequest,
} from '../../../common/api/engagement-rules.ts';
import type { RuleSetContent } from '../../../common/api/rules.ts';
import { dateOf } from '../../../common/dates.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import { systemActor, type Actor, type UserActor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import { acknowledgementScope, canManageRules, canSeeDraftRules, canSeeRuleStaff } from './rules.policy.ts';
import * as repo from './rules.repository.ts';
import {
  checkRuleSetShape,
  defaultRuleSet,
  describeRuleSetChanges,
  namedUserIds,
  referenceIssues,
  renderRuleSetPlain,
  type TextContext,
} from './rules-text.rules.ts';
import { allScenarioRefs } from './scenarios.repository.ts';

/** The job that tells every active user about a newly published version, one batch at a time. */
export const RULES_PUBLISHED_JOB = 'engagement.rules-published-notify';
export const NOTIFY_BATCH = 500;
export type RulesPublishedPayload = { ruleSetVersionId: string; afterUserId: string | null };

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toSummary(row: repo.VersionRow): RuleSetVersionSummary {
  return {
    id: row.ruleSetVersionId,
    version: row.version,
    status: row.status,
    title: row.title,
    acknowledgeBy: row.acknowledgeBy,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    publishedAt: iso(row.publishedAt),
    retiredAt: iso(row.retiredAt),
    myAcknowledgedAt: iso(row.myAcknowledgedAt),
  };
}

function toView(row: repo.VersionRow, actor: Actor, issues: ProblemIssue[] = []): RuleSetVersionView {
  const staff = canSeeRuleStaff(actor);
  return {
    ...toSummary(row),
    releaseNotes: row.releaseNotes,
    rules: staff ? row.rules : null,
    createdByName: staff ? row.createdByName : null,
    publishedByName: staff ? row.publishedByName : null,
    issues,
  };
}

function auditable(row: repo.VersionRow) {
  return {
    version: row.version,
    status: row.status,
    title: row.title,
    releaseNotes: row.releaseNotes,
    acknowledgeBy: row.acknowledgeBy,
    rules: row.rules,
  };
}

function userIdOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/** Drafts are hidden from everyone but their authors and channel managers; RLS hides them from partners too. */
function hidden(deps: Deps, actor: Actor, row: repo.VersionRow): boolean {
  if (row.status !== 'draft' || canSeeDraftRules(actor)) return false;
  return deps.isolationChecks || actor.kind === 'system' || actor.partnerId === null;
}

async function visibleVersion(deps: Deps, actor: Actor, trx: Trx, id: string): Promise<repo.VersionRow> {
  const row = await repo.findVersion(trx, id, userIdOf(actor));
  if (!row || hidden(deps, actor, row)) throw notFound('Rules version');
  return row;
}

function mustManage(actor: Actor): void {
  if (canManageRules(actor)) return;
  // To a partner the drafts and the controls do not exist.
  if (actor.kind === 'user' && actor.partnerId !== null) throw notFound('Rules version');
  throw new AppError('forbidden', 'Only the programme lead and administrators can change the rules of the road');
}

/** Every problem of a rule set: its shape first, then what it names (scenarios, staff) against the database. */
async function ruleSetIssues(trx: Trx, raw: unknown): Promise<{ rules: RuleSetContent | null; issues: ProblemIssue[] }> {
  const shape = checkRuleSetShape(raw);
  if (!shape.ok) return { rules: null, issues: shape.issues };
  const [scenarios, users] = await Promise.all([allScenarioRefs(trx), repo.findUsers(trx, namedUserIds(shape.rules))]);
  const issues = referenceIssues(shape.rules, {
    scenarios: new Map(scenarios.map((s) => [s.key, { active: s.active }])),
    users: new Map(users.map((u) => [u.appUserId, { internal: u.partnerId === null, active: u.status === 'active' }])),
  });
  return { rules: shape.rules, issues };
}

function invalidRules(issues: ProblemIssue[]): AppError {
  const n = issues.length;
  return new AppError('validation_failed', `The rule set has ${n} problem${n === 1 ? '' : 's'}`, { issues });
}

async function textContext(trx: Trx, actor: Actor, rulesList: RuleSetContent[]): Promise<TextContext> {
  const scenarios = await allScenarioRefs(trx);
  const ctx: TextContext = { scenarioNames: new Map(scenarios.map((s) => [s.key, s.name])) };
  if (!canSeeRuleStaff(actor)) return ctx;
  const ids = [...new Set(rulesList.flatMap(namedUserIds))];
  const users = await repo.findUsers(trx, ids);
  return { ...ctx, userNames: new Map(users.map((u) => [u.appUserId, u.displayName])) };
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function listRuleVersions(deps: Deps, actor: Actor): Promise<RuleSetVersionSummary[]> {
  const includeDrafts = canSeeDraftRules(actor) || (!deps.isolationChecks && actor.kind === 'user' && actor.partnerId !== null);
  return inTransaction(deps, actor, async (trx) => (await repo.listVersions(trx, { includeDrafts, userId: userIdOf(actor) })).map(toSummary));
}

export async function getRuleVersion(deps: Deps, actor: Actor, id: string): Promise<RuleSetVersionView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await visibleVersion(deps, actor, trx, id);
    const issues = row.status === 'draft' ? (await ruleSetIssues(trx, row.rules)).issues : [];
    return toView(row, actor, issues);
  });
}

/** The version in force, or null before the first publication. */
export async function getCurrentRules(deps: Deps, actor: Actor): Promise<RuleSetVersionView | null> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findPublishedVersion(trx, userIdOf(actor));
    return row ? toView(row, actor) : null;
  });
}

/** The rule set in force as data, for the other engagement use-cases (routing, eligibility). */
export async function rulesInForce(trx: Trx): Promise<{ id: string; version: number; rules: RuleSetContent } | null> {
  const row = await repo.findPublishedVersion(trx);
  return row ? { id: row.ruleSetVersionId, version: row.version, rules: row.rules } : null;
}

export async function describeRuleChanges(deps: Deps, actor: Actor, id: string, fromId: string | undefined): Promise<RuleChangesView> {
  return inTransaction(deps, actor, async (trx) => {
    const to = await visibleVersion(deps, actor, trx, id);
    const from = fromId
      ? await visibleVersion(deps, actor, trx, fromId)
      : await repo.findPreviousVersion(trx, to.version, canSeeDraftRules(actor) && to.status === 'draft');
    const ref = (r: repo.VersionRow) => ({ id: r.ruleSetVersionId, version: r.version });
    if (!from) return { from: null, to: ref(to), changes: [] };
    const ctx = await textContext(trx, actor, [from.rules, to.rules]);
    return { from: ref(from), to: ref(to), changes: describeRuleSetChanges(from.rules, to.rules, ctx) };
  });
}

export async function plainRules(deps: Deps, actor: Actor, id: string): Promise<PlainRulesView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await visibleVersion(deps, actor, trx, id);
    // A draft saved before a scenario was renamed still renders: the shape is checked on save.
    const ctx = await textContext(trx, actor, [row.rules]);
    return {
      id: row.ruleSetVersionId,
      version: row.version,
      status: row.status,
      title: row.title,
      publishedAt: iso(row.publishedAt),
      sections: renderRuleSetPlain(row.rules, ctx),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A new draft: a copy of the version in force, or the default rule set when asked or when none is in force. */
export async function createRuleVersion(deps: Deps, actor: Actor, input: z.output<typeof createRuleSetVersionRequest>): Promise<RuleSetVersionView> {
  mustManage(actor);
  const id = newId();
  return inTransaction(deps, actor, async (trx) => {
    await repo.lockRuleSets(trx);
    const version = await repo.nextVersionNumber(trx);
    const inForce = input.from === 'current' ? await repo.findPublishedVersion(trx) : undefined;
    const rules = inForce ? inForce.rules : defaultRuleSet(await allScenarioRefs(trx));
    await repo.insertVersion(trx, {
      ruleSetVersionId: id,
      version,
      status: 'draft',
      title: input.title ?? `Rules of the road, version ${version}`,
      releaseNotes: input.releaseNotes ?? '',
      rules: JSON.stringify(rules),
      acknowledgeBy: null,
      createdByUserId: userIdOf(actor),
      publishedAt: null,
      publishedByUserId: null,
      retiredAt: null,
    });
    const row = await visibleVersion(deps, actor, trx, id);
    await recordAudit(trx, deps, actor, {
      action: 'rule_set_version.create',
      entityType: 'rule_set_version',
      entityId: id,
      after: { ...auditable(row), copiedFrom: inForce?.ruleSetVersionId ?? null },
    });
    return toView(row, actor, (await ruleSetIssues(trx, row.rules)).issues);
  });
}

export async function updateRuleVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: z.output<typeof updateRuleSetVersionRequest>,
): Promise<RuleSetVersionView> {
  mustManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    await repo.lockRuleSets(trx);
    const before = await visibleVersion(deps, actor, trx, id);
    if (before.status !== 'draft') throw new AppError('conflict', `Version ${before.version} is ${before.status}: only drafts can change`);
    let rules: string | undefined;
    if (patch.rules !== undefined) {
      const checked = await ruleSetIssues(trx, patch.rules);
      if (checked.issues.length > 0 || !checked.rules) throw invalidRules(checked.issues);
      rules = JSON.stringify(checked.rules);
    }
    await repo.updateVersion(trx, id, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.releaseNotes !== undefined ? { releaseNotes: patch.releaseNotes } : {}),
      ...(rules !== undefined ? { rules } : {}),
      updatedAt: deps.clock.now(),
    });
    const after = await visibleVersion(deps, actor, trx, id);
    await recordAudit(trx, deps, actor, {
      action: 'rule_set_version.update',
      entityType: 'rule_set_version',
      entityId: id,
      before: auditable(before),
      after: auditable(after),
    });
    return toView(after, actor);
  });
}

/**
 * Puts a valid draft in force in one transaction: the version in force so far retires, the draft is
 * published, and one job is enqueued that tells every active user in batches, so publishing stays
 * fast however many people there are.
 */
export async function publishRuleVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  input: z.output<typeof publishRuleSetVersionRequest>,
): Promise<RuleSetVersionView> {
  mustManage(actor);
  const now = deps.clock.now();
  if (input.acknowledgeBy !== null && input.acknowledgeBy < dateOf(now))
    throw new AppError('validation_failed', 'The acknowledgement date is in the past', {
      issues: [{ path: 'body.acknowledgeBy', message: 'must be today or later' }],
    });
  return inTransaction(deps, actor, async (trx) => {
    await repo.lockRuleSets(trx);
    const draft = await visibleVersion(deps, actor, trx, id);
    if (draft.status !== 'draft') throw new AppError('conflict', `Version ${draft.version} is ${draft.status}: only a draft can be published`);
    const { issues } = await ruleSetIssues(trx, draft.rules);
    if (issues.length > 0) throw invalidRules(issues);
    const previous = await repo.findPublishedVersion(trx);
    if (previous) await repo.updateVersion(trx, previous.ruleSetVersionId, { status: 'retired', retiredAt: now, updatedAt: now });
    await repo.updateVersion(trx, id, {
      status: 'published',
      publishedAt: now,
      publishedByUserId: userIdOf(actor),
      acknowledgeBy: input.acknowledgeBy,
      updatedAt: now,
    });
    const payload: RulesPublishedPayload = { ruleSetVersionId: id, afterUserId: null };
    await enqueueJob(trx, { name: RULES_PUBLISHED_JOB, payload, idempotencyKey: `${RULES_PUBLISHED_JOB}:${id}:start` });
    const after = await visibleVersion(deps, actor, trx, id);
    await recordAudit(trx, deps, actor, {
      action: 'rule_set_version.publish',
      entityType: 'rule_set_version',
      entityId: id,
      before: { status: draft.status },
      after: { version: after.version, status: after.status, acknowledgeBy: after.acknowledgeBy, retiredVersionId: previous?.ruleSetVersionId ?? null },
    });
    return toView(after, actor);
  });
}

/** Takes the version in force out of force, leaving no version in force until the next is published. */
export async function retireRuleVersion(deps: Deps, actor: Actor, id: string): Promise<RuleSetVersionView> {
  mustManage(actor);
  const now = deps.clock.now();
  return inTransaction(deps, actor, async (trx) => {
    await repo.lockRuleSets(trx);
    const before = await visibleVersion(deps, actor, trx, id);
    if (before.status !== 'published')
      throw new AppError('conflict', `Version ${before.version} is ${before.status}: only the version in force can be retired`);
    await repo.updateVersion(trx, id, { status: 'retired', retiredAt: now, updatedAt: now });
    const after = await visibleVersion(deps, actor, trx, id);
    await recordAudit(trx, deps, actor, {
      action: 'rule_set_version.retire',
      entityType: 'rule_set_version',
      entityId: id,
      before: { status: before.status },
      after: { status: after.status, retiredAt: iso(after.retiredAt) },
    });
    return toView(after, actor);
  });
}

// ---------------------------------------------------------------------------------------------
// Acknowledgement

/** Idempotent: the first acknowledgement is recorded and audited; a repeat changes nothing. */
export async function acknowledgeRules(deps: Deps, actor: UserActor, id: string): Promise<{ versionId: string; acknowledgedAt: string; created: boolean }> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await visibleVersion(deps, actor, trx, id);
    if (row.status !== 'published') throw new AppError('conflict', `Version ${row.version} is not in force: only the version in force can be acknowledged`);
    const now = deps.clock.now();
    const created = await repo.insertAcknowledgement(trx, {
      ruleSetVersionId: id,
      appUserId: actor.userId,
      partnerId: actor.partnerId,
      acknowledgedAt: now,
    });
    if (!created) {
      const existing = await repo.findAcknowledgement(trx, id, actor.userId);
      return { versionId: id, acknowledgedAt: iso(existing?.acknowledgedAt ?? now) ?? now.toISOString(), created: false };
    }
    await recordAudit(trx, deps, actor, {
      action: 'rule_set_version.acknowledge',
      entityType: 'rule_set_version',
      entityId: id,
      partnerId: actor.partnerId,
      after: { version: row.version, userId: actor.userId, acknowledgedAt: now.toISOString() },
    });
    return { versionId: id, acknowledgedAt: now.toISOString(), created: true };
  });
}

function tierRank(rules: RuleSetContent, tier: string): number {
  const i = rules.tiers.indexOf(tier);
  return i === -1 ? rules.tiers.length : i;
}

type PersonRow = Awaited<ReturnType<typeof repo.listPending>>[number] & { acknowledgedAt?: Date | null };

function person(r: PersonRow): AcknowledgementPerson {
  return {
    userId: r.appUserId,
    displayName: r.displayName,
    email: r.email,
    partnerId: r.partnerId,
    partnerName: r.partnerName,
    partnerTier: r.partnerTier,
    acknowledgedAt: iso(r.acknowledgedAt ?? null),
  };
}

/** Who acknowledged a version and who has not yet: all of it for channel staff, their own organisation for partner admins. */
export async function acknowledgementDashboard(deps: Deps, actor: Actor, id: string, f: { limit: number }): Promise<AcknowledgementDashboard> {
  const scope = acknowledgementScope(actor);
  if (!scope) throw new AppError('forbidden', 'Only channel managers, the programme lead, administrators and partner administrators see acknowledgements');
  // The application's half of isolation; RLS alone gives the same answer (the isolation test proves it).
  const onlyPartnerId = scope === 'partner' && deps.isolationChecks && actor.kind === 'user' ? actor.partnerId : null;
  return inTransaction(deps, actor, async (trx) => {
    const row = await visibleVersion(deps, actor, trx, id);
    const [counts, byTier, acknowledged, pending] = await Promise.all([
      repo.countAudience(trx, id, onlyPartnerId),
      repo.partnersByTier(trx, id, onlyPartnerId),
      repo.listAcknowledged(trx, id, onlyPartnerId, f.limit),
      repo.listPending(trx, id, onlyPartnerId, f.limit),
    ]);
    return {
      versionId: id,
      version: row.version,
      scope,
      internalUsers: counts.internal,
      partnerUsers: counts.partner,
      partners: {
        acknowledged: byTier.reduce((n, t) => n + t.acknowledgedPartners, 0),
        total: byTier.reduce((n, t) => n + t.partners, 0),
      },
      // In the version's own tier order (lowest first); tiers it does not name come last.
      byTier: [...byTier].sort((a, b) => tierRank(row.rules, a.tier) - tierRank(row.rules, b.tier)),
      acknowledged: acknowledged.map(person),
      pending: pending.map(person),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The fan-out job

/**
 * One batch of "a new version needs your acknowledgement" notifications, in user id order; it
 * enqueues the next batch itself. Each batch is its own transaction, so a retry repeats only it.
 */
export async function notifyRulesPublishedBatch(
  deps: Deps,
  payload: RulesPublishedPayload,
  batchSize = NOTIFY_BATCH,
): Promise<{ notified: number; done: boolean }> {
  const actor = systemActor('rules-published');
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findVersion(trx, payload.ruleSetVersionId);
    // Retired (or replaced) before everyone heard of it: the newer version sends its own notices.
    if (!row || row.status !== 'published') return { notified: 0, done: true };
    const page = await repo.audiencePage(trx, payload.afterUserId, batchSize);
    const by = row.acknowledgeBy ? ` by ${row.acknowledgeBy}` : '';
    for (const u of page) {
      await notify(trx, {
        userId: u.appUserId,
        partnerId: u.partnerId,
        kind: 'rules.published',
        title: `New rules of the road: version ${row.version}`,
        body: `“${row.title}” is now in force. Please read it and confirm that you accept it${by}.`,
        link: u.partnerId ? '/rules-of-the-road' : '/engagement/rules',
      });
    }
    const last = page.at(-1);
    const done = page.length < batchSize || !last;
    if (!done) {
      const next: RulesPublishedPayload = { ruleSetVersionId: payload.ruleSetVersionId, afterUserId: last.appUserId };
      await enqueueJob(trx, {
        name: RULES_PUBLISHED_JOB,
        payload: next,
        idempotencyKey: `${RULES_PUBLISHED_JOB}:${payload.ruleSetVersionId}:${last.appUserId}`,
      });
    }
    if (page.length > 0)
      await recordAudit(trx, deps, actor, {
        action: 'rule_set_version.notify',
        entityType: 'rule_set_version',
        entityId: payload.ruleSetVersionId,
        after: { notified: page.length, afterUserId: payload.afterUserId },
      });
    return { notified: page.length, done };
  });
}
