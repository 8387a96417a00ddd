import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../common/roles.ts';
import type { Actor, UserActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import { createUser, listUsers } from '../identity/identity.service.ts';
import { createPartner, listPartners } from '../partners/partners.service.ts';
import {
  AW_START,
  awFiles,
  batchesOf,
  commissionPlanDocument,
  commissionPlanKey,
  defaultAdventureWorksDir,
  mapAdventureWorks,
  readAdventureWorksFiles,
  type AwDataset,
  type AwProblem,
} from './adventureworks.rules.ts';
import { createTransactions } from './transactions.service.ts';

/**
 * Loads the AdventureWorks reseller-channel data set through the other modules' services (each
 * write with its audit entry): partners, participants, one commission plan per rate (published when
 * approvers are given), assignments, quotas, and the sales lines as JSON transaction batches of at
 * most `batchSize` rows, each idempotent by a batch id made of its position and content hash.
 * Running it twice leaves the same state: what exists is found and kept.
 */

export type AdventureWorksOptions = {
  dir?: string;
  /** Rows per transaction batch (the API takes at most 5000). */
  batchSize?: number;
  /** Two people to take each new plan through the approval chain so it is published; without them plans stay drafts. */
  approvers?: { reviewer: UserActor; finance: UserActor };
  onProgress?: (message: string) => void;
};

export type AdventureWorksReport = {
  dir: string;
  counts: {
    resellers: number;
    salespeople: number;
    quotaRows: number;
    lineRows: number;
    linesMapped: number;
    orders: number;
  };
  partners: { created: number; existing: number };
  participants: { created: number; existing: number };
  plans: { key: string; rateBps: number; created: boolean; published: boolean }[];
  assignments: { created: number; existing: number };
  quotas: { inserted: number; updated: number; unchanged: number };
  transactions: { batches: number; replayed: number; stored: number; alreadyStored: number; bad: number };
  /** Every row not loaded, with its file, line and reason (the reading's and the store's). */
  problems: AwProblem[];
  notes: string[];
};

const PAGE = 500;

async function allPartnerIdsByName(deps: Deps, actor: Actor): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await listPartners(deps, actor, { limit: PAGE, offset });
    for (const p of page.items) out.set(p.name.toLowerCase(), p.id);
    if (page.items.length < PAGE) return out;
  }
}

async function awParticipantIds(deps: Deps, actor: Actor): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await comp.listParticipants(deps, actor, { q: 'adventureworks:employee:', limit: PAGE, offset });
    for (const p of page.items) out.set(p.externalRef, p.id);
    if (page.items.length < PAGE) return out;
  }
}

async function loadPartners(deps: Deps, actor: Actor, data: AwDataset, report: AdventureWorksReport): Promise<void> {
  const existing = await allPartnerIdsByName(deps, actor);
  for (const p of data.partners) {
    if (existing.has(p.name.toLowerCase())) {
      report.partners.existing += 1;
      continue;
    }
    const v = await createPartner(deps, actor, {
      name: p.name,
      legalName: null,
      tier: 'registered',
      status: 'active',
      website: null,
      country: p.country,
      regions: p.regions,
      specialisations: p.businessType ? [p.businessType] : [],
    });
    existing.set(v.name.toLowerCase(), v.id);
    report.partners.created += 1;
  }
}

async function loadParticipants(deps: Deps, actor: Actor, data: AwDataset, report: AdventureWorksReport): Promise<Map<string, string>> {
  const ids = await awParticipantIds(deps, actor);
  for (const p of data.participants) {
    if (ids.has(p.externalRef)) {
      report.participants.existing += 1;
      continue;
    }
    const managerRef = p.managerKey === null ? null : data.participants.find((m) => m.employeeKey === p.managerKey)?.externalRef;
    const v = await comp.createParticipant(deps, actor, {
      externalRef: p.externalRef,
      displayName: p.displayName,
      email: p.email,
      appUserId: null,
      managerId: managerRef ? (ids.get(managerRef) ?? null) : null,
      team: p.team,
      unit: p.title ? p.title.slice(0, 120) : null,
      territory: p.territory,
      activeFrom: null,
      activeTo: null,
    });
    ids.set(p.externalRef, v.id);
    report.participants.created += 1;
  }
  return ids;
}

async function loadPlans(deps: Deps, actor: Actor, data: AwDataset, opts: AdventureWorksOptions, report: AdventureWorksReport): Promise<Map<number, string>> {
  const rates = [...new Set(data.participants.flatMap((p) => (p.commissionBps === null ? [] : [p.commissionBps])))].sort((a, b) => a - b);
  const existing = new Map((await comp.listPlans(deps, actor, { q: 'adventureworks', limit: 100, offset: 0 })).items.map((p) => [p.key, p]));
  const planIds = new Map<number, string>();
  for (const bps of rates) {
    const key = commissionPlanKey(bps);
    let plan = existing.get(key);
    const created = !plan;
    if (!plan) {
      const v = await comp.createPlan(deps, actor, { document: commissionPlanDocument(bps), changeNote: 'AdventureWorks import' });
      plan = (await comp.listPlans(deps, actor, { q: key, limit: 10, offset: 0 })).items.find((p) => p.key === key);
      if (!plan) throw new Error(`plan ${key} not found after creating version ${v.id}`);
    }
    planIds.set(bps, plan.id);
    let published = plan.published !== null;
    if (!published && opts.approvers && plan.open) {
      // Takes the open version on from where it is (a run interrupted half-way resumes here).
      const id = plan.open.id;
      let status = plan.open.status;
      if (status === 'draft') status = (await comp.submitForApproval(deps, actor, id)).status;
      if (status === 'in_approval') {
        await comp.approveStep(deps, opts.approvers.reviewer, id, { step: 'comp_admin', comment: 'AdventureWorks import' });
        status = (await comp.approveStep(deps, opts.approvers.finance, id, { step: 'finance', comment: 'AdventureWorks import' })).status;
      }
      if (status === 'approved') published = (await comp.publishVersion(deps, opts.approvers.reviewer, id)).status === 'published';
    }
    report.plans.push({ key, rateBps: bps, created, published });
  }
  return planIds;
}

async function loadAssignments(
  deps: Deps,
  actor: Actor,
  data: AwDataset,
  ids: Map<string, string>,
  planIds: Map<number, string>,
  report: AdventureWorksReport,
): Promise<void> {
  for (const p of data.participants) {
    const participantId = ids.get(p.externalRef);
    const planId = p.commissionBps === null ? undefined : planIds.get(p.commissionBps);
    if (!participantId || !planId) continue;
    const have = await comp.listAssignments(deps, actor, { participantId, limit: 10, offset: 0 });
    if (have.items.length > 0) {
      report.assignments.existing += 1;
      continue;
    }
    await comp.createAssignment(deps, actor, { participantId, planId, effectiveFrom: AW_START, effectiveTo: null });
    report.assignments.created += 1;
  }
}

async function loadTransactions(deps: Deps, actor: Actor, data: AwDataset, opts: AdventureWorksOptions, report: AdventureWorksReport): Promise<void> {
  const batches = batchesOf(data.lines, opts.batchSize ?? 5000);
  for (const [i, batch] of batches.entries()) {
    const rows = batch.map((l) => l.row);
    const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
    const v = await createTransactions(deps, actor, { batchId: `adventureworks:${awFiles.lines}:${i + 1}:${hash}`, mode: 'good_rows', rows });
    report.transactions.batches += 1;
    if (v.replayed) report.transactions.replayed += 1;
    else report.transactions.stored += v.storedLines ?? 0;
    report.transactions.alreadyStored += v.counts?.alreadyStored ?? 0;
    report.transactions.bad += v.counts?.bad ?? 0;
    for (const p of v.problems) {
      // A JSON row's problem line is its index + 2 (as if row 1 were a header).
      const row = batch[p.line - 2];
      report.problems.push({ file: awFiles.lines, line: row?.line ?? 0, reason: `the store refused it: ${p.column ? `${p.column}: ` : ''}${p.message}` });
    }
    if (v.problemsTruncated)
      report.problems.push({
        file: awFiles.lines,
        line: 0,
        reason: `batch ${i + 1}: more rows were refused than the store's report keeps (${v.counts?.bad ?? 0} in all)`,
      });
    opts.onProgress?.(`transactions: batch ${i + 1} of ${batches.length}`);
  }
}

export async function importAdventureWorks(deps: Deps, actor: Actor, opts: AdventureWorksOptions = {}): Promise<AdventureWorksReport> {
  const dir = opts.dir ?? defaultAdventureWorksDir;
  const files = await readAdventureWorksFiles(dir);
  const data = mapAdventureWorks(files);
  const say = (m: string) => opts.onProgress?.(m);
  const report: AdventureWorksReport = {
    dir,
    counts: {
      resellers: data.partners.length,
      salespeople: data.participants.length,
      quotaRows: data.quotas.length,
      lineRows: data.lineRows,
      linesMapped: data.lines.length,
      orders: new Set(data.lines.map((l) => l.order)).size,
    },
    partners: { created: 0, existing: 0 },
    participants: { created: 0, existing: 0 },
    plans: [],
    assignments: { created: 0, existing: 0 },
    quotas: { inserted: 0, updated: 0, unchanged: 0 },
    transactions: { batches: 0, replayed: 0, stored: 0, alreadyStored: 0, bad: 0 },
    problems: [...data.problems],
    notes: data.notes,
  };
  say('partners');
  await loadPartners(deps, actor, data, report);
  say('participants');
  const ids = await loadParticipants(deps, actor, data, report);
  say('plans');
  const planIds = await loadPlans(deps, actor, data, opts, report);
  await loadAssignments(deps, actor, data, ids, planIds, report);
  say('quotas');
  if (data.quotas.length > 0)
    report.quotas = await comp.upsertQuotas(deps, actor, {
      rows: data.quotas.map((q) => ({
        externalRef: q.externalRef,
        periodStart: q.periodStart,
        periodEnd: q.periodEnd,
        amountMinor: q.amountMinor,
        currency: q.currency,
      })),
    });
  say('transactions');
  await loadTransactions(deps, actor, data, opts, report);
  return report;
}

/**
 * The two people `realign demo --dataset adventureworks` has approve the plans (approvals are
 * people's decisions, never the system's): found by e-mail, or created with a random password
 * (an administrator can reset it to sign in as them).
 */
export async function adventureWorksApprovers(deps: Deps, actor: Actor): Promise<{ reviewer: UserActor; finance: UserActor }> {
  const one = async (email: string, displayName: string, roles: Role[]): Promise<UserActor> => {
    const found = (await listUsers(deps, actor, { q: email, limit: 10, offset: 0 })).items.find((u) => u.email === email);
    const u =
      found ??
      (await createUser(deps, actor, { email, password: randomBytes(24).toString('base64url'), displayName, roles, partnerId: null, managerUserId: null }));
    return { kind: 'user', userId: u.id, email: u.email, displayName: u.displayName, partnerId: null, roles: u.roles, via: 'session', requestId: null };
  };
  return {
    reviewer: await one('plan-reviewer@adventureworks.example', 'AdventureWorks Plan Reviewer', ['comp_admin']),
    finance: await one('finance@adventureworks.example', 'AdventureWorks Finance', ['finance']),
  };
}
