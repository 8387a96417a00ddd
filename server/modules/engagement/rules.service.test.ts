import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSetContent } from '../../../common/api/rules.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../lib/errors.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createTestDeps, fixedClock, type TestDeps } from '../../test/test-db.ts';
import { updatePartner } from '../partners/partners.service.ts';
import {
  acknowledgeRules,
  acknowledgementDashboard,
  createRuleVersion,
  describeRuleChanges,
  getCurrentRules,
  getRuleVersion,
  notifyRulesPublishedBatch,
  publishRuleVersion,
  retireRuleVersion,
  RULES_PUBLISHED_JOB,
  updateRuleVersion,
  type RulesPublishedPayload,
} from './rules.service.ts';

let t: TestDeps;
let deps: Deps;
const clock = fixedClock('2026-03-02T09:00:00Z');

async function person(roles: Role[], partnerId: string | null = null, displayName?: string): Promise<UserActor> {
  const u = await makeUser(deps, { roles, partnerId, ...(displayName ? { displayName } : {}) });
  return { kind: 'user', userId: u.id, email: u.email, displayName: displayName ?? u.email, partnerId, roles, via: 'session', requestId: null };
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await deps.db.selectFrom('auditEntry').select('action').where('entityId', '=', entityId).orderBy('seq').execute();
  return rows.map((r) => r.action);
}

let lead: UserActor;
let cm: UserActor;
let seller: UserActor;
let partnerA: { id: string; name: string };
let partnerB: { id: string; name: string };
let quietPartner: { id: string; name: string };
let paAdmin: UserActor;
let paSeller: UserActor;
let pbSeller: UserActor;

beforeAll(async () => {
  t = await createTestDeps({ clock });
  deps = t.deps;
  lead = await person(['programme_lead'], null, 'Lena Lead');
  cm = await person(['channel_manager'], null, 'Cora Manager');
  seller = await person(['internal_seller'], null, 'Sid Seller');
  partnerA = await makePartner(deps, 'Acme Partners');
  partnerB = await makePartner(deps, 'Bravo Partners');
  quietPartner = await makePartner(deps, 'Quiet Partners');
  paAdmin = await person(['partner_admin'], partnerA.id);
  paSeller = await person(['partner_seller'], partnerA.id);
  pbSeller = await person(['partner_seller'], partnerB.id);
  await person(['partner_seller'], quietPartner.id);
  await updatePartner(deps, systemActor('test'), quietPartner.id, { status: 'inactive' });
  await updatePartner(deps, systemActor('test'), partnerB.id, { tier: 'gold' });
});
afterAll(async () => t.close());

describe('rule set versions', () => {
  let v1: string;
  let v2: string;

  it('starts the first draft from the default rule set, numbered 1, audited', async () => {
    const d = await createRuleVersion(deps, lead, { from: 'current' });
    v1 = d.id;
    expect(d).toMatchObject({ version: 1, status: 'draft', title: 'Rules of the road, version 1', issues: [], createdByName: 'Lena Lead' });
    expect((d.rules as { routes: { owningUnit: string }[] }).routes[0]?.owningUnit).toBe('Channel desk');
    expect(await auditActions(d.id)).toEqual(['rule_set_version.create']);
    expect(await getCurrentRules(deps, lead)).toBeNull();
  });

  it('refuses rules with problems, reporting every one with its path, and keeps the draft as it was', async () => {
    const draft = await getRuleVersion(deps, lead, v1);
    const rules = structuredClone(draft.rules) as unknown as RuleSetContent;
    rules.routes.unshift({
      id: 'consulting_fast',
      scenarios: ['consulting', 'time_travel'],
      regions: null,
      productLines: null,
      tiers: null,
      owningUnit: 'Technology Services – Consulting',
      reviewerUserId: paSeller.userId,
      escalationUserId: null,
      responseBusinessDays: 1,
    });
    const e = await caught(updateRuleVersion(deps, lead, v1, { rules }));
    expect(e.code).toBe('validation_failed');
    expect(e.details?.issues).toEqual([
      { path: 'rules.routes[0].scenarios', message: '"time_travel" is not a scenario' },
      { path: 'rules.routes[0].reviewerUserId', message: `user ${paSeller.userId} is not an internal user` },
    ]);
    rules.routes[0]!.tiers = ['diamond'];
    rules.protection.days = 0;
    const shape = await caught(updateRuleVersion(deps, lead, v1, { rules }));
    expect(shape.details?.issues?.map((i) => i.path)).toEqual(['rules.protection.days', 'rules.routes[0].tiers']);
    expect(await auditActions(v1)).toEqual(['rule_set_version.create']);
  });

  it('saves valid rules with a named reviewer, and only the programme lead or an admin may', async () => {
    const draft = await getRuleVersion(deps, lead, v1);
    const rules = structuredClone(draft.rules) as unknown as RuleSetContent;
    rules.routes.unshift({
      id: 'consulting_fast',
      scenarios: ['consulting'],
      regions: null,
      productLines: null,
      tiers: null,
      owningUnit: 'Technology Services – Consulting',
      reviewerUserId: cm.userId,
      escalationUserId: null,
      responseBusinessDays: 3,
    });
    const saved = await updateRuleVersion(deps, lead, v1, { rules, title: 'First rules', releaseNotes: 'Everyone gets an answer.' });
    expect(saved.title).toBe('First rules');
    expect((saved.rules as unknown as RuleSetContent).routes[0]).toMatchObject({ id: 'consulting_fast', regions: null, escalationUserId: null });
    expect((await caught(updateRuleVersion(deps, cm, v1, { title: 'x' }))).code).toBe('forbidden');
    expect((await caught(updateRuleVersion(deps, paAdmin, v1, { title: 'x' }))).code).toBe('not_found');
    expect((await caught(getRuleVersion(deps, seller, v1))).code).toBe('not_found');
    expect((await getRuleVersion(deps, cm, v1)).status).toBe('draft');
  });

  it('publishes a valid draft in one step and enqueues one notification job', async () => {
    expect((await caught(publishRuleVersion(deps, lead, v1, { acknowledgeBy: '2026-03-01' }))).code).toBe('validation_failed');
    const p = await publishRuleVersion(deps, lead, v1, { acknowledgeBy: '2026-03-31' });
    expect(p).toMatchObject({ status: 'published', acknowledgeBy: '2026-03-31', publishedAt: '2026-03-02T09:00:00.000Z', publishedByName: 'Lena Lead' });
    expect((await getCurrentRules(deps, paSeller))?.id).toBe(v1);
    expect((await getCurrentRules(deps, paSeller))?.rules).toBeNull();
    const jobs = await deps.db.selectFrom('job').select(['payload']).where('name', '=', RULES_PUBLISHED_JOB).execute();
    expect(jobs.map((j) => j.payload)).toEqual([{ ruleSetVersionId: v1, afterUserId: null }]);
    expect((await caught(publishRuleVersion(deps, lead, v1, { acknowledgeBy: null }))).code).toBe('conflict');
    expect((await caught(updateRuleVersion(deps, lead, v1, { title: 'late' }))).code).toBe('conflict');
  });

  it('a copy of the version in force becomes v2; publishing it retires v1', async () => {
    clock.set('2026-03-05T12:00:00Z');
    const d = await createRuleVersion(deps, lead, { from: 'current', title: 'Faster consulting' });
    v2 = d.id;
    expect(d.version).toBe(2);
    const rules = structuredClone(d.rules) as unknown as RuleSetContent;
    expect(rules.routes[0]?.id).toBe('consulting_fast');
    rules.routes[0]!.responseBusinessDays = 2;
    rules.protection.days = 120;
    await updateRuleVersion(deps, lead, v2, { rules });
    const changes = await describeRuleChanges(deps, lead, v2, undefined);
    expect(changes.from?.version).toBe(1);
    expect(changes.changes).toEqual(['Route consulting_fast: SLA changed from 3 to 2 business days', 'Protection window changed from 90 to 120 days']);

    await publishRuleVersion(deps, lead, v2, { acknowledgeBy: null });
    const old = await getRuleVersion(deps, lead, v1);
    expect(old).toMatchObject({ status: 'retired', retiredAt: '2026-03-05T12:00:00.000Z' });
    const published = await deps.db.selectFrom('ruleSetVersion').select('version').where('status', '=', 'published').execute();
    expect(published).toEqual([{ version: 2 }]);
    expect(await auditActions(v2)).toEqual(['rule_set_version.create', 'rule_set_version.update', 'rule_set_version.publish']);
  });

  it('acknowledges once: a repeat is a no-op without a new audit entry; only the version in force', async () => {
    const first = await acknowledgeRules(deps, paSeller, v2);
    expect(first).toMatchObject({ versionId: v2, created: true, acknowledgedAt: '2026-03-05T12:00:00.000Z' });
    clock.advance(60_000);
    const again = await acknowledgeRules(deps, paSeller, v2);
    expect(again).toEqual({ ...first, created: false });
    expect((await auditActions(v2)).filter((a) => a === 'rule_set_version.acknowledge')).toHaveLength(1);
    expect((await caught(acknowledgeRules(deps, paSeller, v1))).code).toBe('conflict');
    await acknowledgeRules(deps, seller, v2);
    expect((await getCurrentRules(deps, paSeller))?.myAcknowledgedAt).toBe('2026-03-05T12:00:00.000Z');
    expect((await getCurrentRules(deps, pbSeller))?.myAcknowledgedAt).toBeNull();
  });

  it('counts who acknowledged: internal users, users and partners of active partners, by tier, with the pending list', async () => {
    const d = await acknowledgementDashboard(deps, cm, v2, { limit: 100 });
    // Internal: lead, cm, seller. Partner users: A's admin and seller, B's seller (Quiet is inactive).
    expect(d.internalUsers).toEqual({ acknowledged: 1, total: 3 });
    expect(d.partnerUsers).toEqual({ acknowledged: 1, total: 3 });
    expect(d.partners).toEqual({ acknowledged: 1, total: 2 });
    expect(d.byTier).toEqual([
      { tier: 'silver', partners: 1, acknowledgedPartners: 1 },
      { tier: 'gold', partners: 1, acknowledgedPartners: 0 },
    ]);
    expect(d.acknowledged.map((p) => p.userId).sort()).toEqual([paSeller.userId, seller.userId].sort());
    expect(d.pending.map((p) => p.userId).sort()).toEqual([lead.userId, cm.userId, paAdmin.userId, pbSeller.userId].sort());

    const own = await acknowledgementDashboard(deps, paAdmin, v2, { limit: 100 });
    expect(own.scope).toBe('partner');
    expect(own.internalUsers).toEqual({ acknowledged: 0, total: 0 });
    expect(own.partnerUsers).toEqual({ acknowledged: 1, total: 2 });
    expect(own.partners).toEqual({ acknowledged: 1, total: 1 });
    expect([...own.acknowledged, ...own.pending].every((p) => p.partnerId === partnerA.id)).toBe(true);
    expect((await caught(acknowledgementDashboard(deps, paSeller, v2, { limit: 10 }))).code).toBe('forbidden');
    expect((await caught(acknowledgementDashboard(deps, seller, v2, { limit: 10 }))).code).toBe('forbidden');
  });

  it('fans the notices out in batches, one per active user, each batch enqueuing the next', async () => {
    // Drive the chain the way the worker would: run every job of this version not yet run.
    const ran = new Set<string>();
    let runs = 0;
    for (;;) {
      const jobs = await deps.db
        .selectFrom('job')
        .select(['jobId', 'payload'])
        .where('name', '=', RULES_PUBLISHED_JOB)
        .where('idempotencyKey', 'like', `${RULES_PUBLISHED_JOB}:${v2}:%`)
        .execute();
      const todo = jobs.filter((j) => !ran.has(j.jobId));
      if (todo.length === 0) break;
      for (const j of todo) {
        ran.add(j.jobId);
        runs++;
        await notifyRulesPublishedBatch(deps, j.payload as RulesPublishedPayload, 2);
      }
    }
    expect(runs).toBe(4); // 6 people in batches of 2, then an empty page ends it
    const notes = await deps.db.selectFrom('notification').select(['appUserId', 'link']).where('kind', '=', 'rules.published').execute();
    const everyone = [lead, cm, seller, paAdmin, paSeller, pbSeller];
    expect(notes.map((n) => n.appUserId).sort()).toEqual(everyone.map((u) => u.userId).sort());
    expect(notes.find((n) => n.appUserId === paSeller.userId)?.link).toBe('/rules-of-the-road');
    expect(notes.find((n) => n.appUserId === cm.userId)?.link).toBe('/engagement/rules');
  });

  it('retires the version in force, leaving none in force', async () => {
    expect((await caught(retireRuleVersion(deps, lead, v1))).code).toBe('conflict');
    const r = await retireRuleVersion(deps, lead, v2);
    expect(r.status).toBe('retired');
    expect(await getCurrentRules(deps, paSeller)).toBeNull();
    expect((await caught(acknowledgeRules(deps, pbSeller, v2))).code).toBe('conflict');
  });
});
