import { createHash } from 'node:crypto';
import type { CommissionRunView, CreateCommissionRunRequest, RunPlanVersion } from '../../../common/api/commissions-runs.ts';
import { planPartnerCredit, rulesOfTheRoadPartnerCredit, type PartnerCreditRule } from '../../../common/comp/crediting.ts';
import { fiscalYearStart, payoutPeriods } from '../../../common/comp/engine.ts';
import type { CreditBucket, ParticipantPeriodResult, PriorState } from '../../../common/comp/engine-types.ts';
import { creditKinds, sourcings, type PlanDocument } from '../../../common/comp/plan.ts';
import { chainPeriods, quotaForPeriod } from '../../../common/comp/simulate.ts';
import { hasRole, systemActor, type Actor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { planForParticipantOn, quotasOf, type PlanVersionInEffect } from '../comp-plans/comp-plans.service.ts';
import { rulesInForce } from '../engagement/rules.service.ts';
import * as repo from './runs.repository.ts';

/**
 * Period runs: credits, attainment and payouts of every participant with a plan assignment for the
 * payout periods of [periodStart, periodEnd).
 *
 * - Crediting is one SQL statement per plan version (runs.repository.ts creditBuckets): the store's
 *   lines are aggregated to (participant, payout period, rate class) buckets in the database; the
 *   plan logic (common/comp/engine.ts) runs on that small result here.
 * - Each participant's payout periods are chained from the start of the fiscal year with PriorState,
 *   with simulation's chainPeriods (common/comp/simulate.ts): earlier periods of the fiscal year are
 *   calculated to carry year-to-date windows and draws, and stored only when inside the run. A
 *   participant's plan of a payout period is the one assigned on its first day (or on the day the
 *   assignment starts inside it), in the version in force then (comp-plans planForParticipantOn);
 *   PriorState carries across versions of the same plan, and starts fresh on another plan.
 * - The result hash is sha256 over the canonical JSON (object keys sorted, integers only) of every
 *   result, ordered by participant id and period start: computed in TypeScript from exact integers
 *   and uuids (byte order), so it does not depend on the database's collation or version; it can be
 *   recomputed from the stored rows (resultHashOf).
 * - Accountability metrics (scorecards) are not wired into runs yet: every period runs with none.
 */

export const PERIOD_RUN_JOB = 'commissions.period-run';
export const RUN_JOB_ATTEMPTS = 3;

/** A run that cannot be calculated as asked (missing rate, misaligned period): the run fails with this message. */
export class RunError extends Error {}

const workerActor = systemActor('worker');

export function isPartner(actor: Actor): boolean {
  return actor.kind === 'user' && actor.partnerId !== null;
}

/** Compensation administrators, finance and administrators start runs and read every statement. */
export function canManageRuns(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'comp_admin', 'finance', 'admin'));
}

function guardRead(actor: Actor): void {
  if (isPartner(actor)) throw notFound('Commission run');
}

type StoredPlanVersion = RunPlanVersion & { partnerCredit: repo.PartnerCreditParams };

export function toRunView(r: repo.RunRow): CommissionRunView {
  const versions = r.planVersions as StoredPlanVersion[];
  return {
    id: r.commissionRunId,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    status: r.status,
    progress: { done: r.progressDone, total: r.progressTotal },
    planVersions: versions.map((v) => ({
      versionId: v.versionId,
      planId: v.planId,
      planKey: v.planKey,
      version: v.version,
      currency: v.currency,
      partnerCreditRef: v.partnerCreditRef,
    })),
    resultCount: r.resultCount,
    resultHash: r.resultHash,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** The partner credit a run stores for a plan version (and the drill-down re-uses). */
export function storedPlanVersion(runRow: repo.RunRow, versionId: string): StoredPlanVersion | undefined {
  return (runRow.planVersions as StoredPlanVersion[]).find((v) => v.versionId === versionId);
}

// ---------------------------------------------------------------------------------------------
// Use-cases

export async function createRun(deps: Deps, actor: Actor, input: CreateCommissionRunRequest): Promise<CommissionRunView> {
  if (isPartner(actor)) throw notFound('Commission run');
  if (!canManageRuns(actor)) throw new AppError('forbidden', 'Compensation administrators, finance and administrators start period runs');
  return inTransaction(deps, actor, async (trx) => {
    const id = newId();
    await repo.insertRun(trx, {
      commissionRunId: id,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      createdByUserId: actor.kind === 'user' ? actor.userId : null,
    });
    await enqueueJob(trx, { name: PERIOD_RUN_JOB, payload: { runId: id }, idempotencyKey: `commission-run:${id}`, maxAttempts: RUN_JOB_ATTEMPTS });
    await recordAudit(trx, deps, actor, {
      action: 'commission_run.create',
      entityType: 'commission_run',
      entityId: id,
      after: { periodStart: input.periodStart, periodEnd: input.periodEnd },
    });
    const row = await repo.findRun(trx, id);
    if (!row) throw notFound('Commission run');
    return toRunView(row);
  });
}

export async function listRuns(deps: Deps, actor: Actor, f: { limit: number; offset: number }): Promise<{ items: CommissionRunView[]; total: number }> {
  guardRead(actor);
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.listRuns(trx, f);
    return { items: r.items.map(toRunView), total: r.total };
  });
}

export async function getRun(deps: Deps, actor: Actor, id: string): Promise<CommissionRunView> {
  guardRead(actor);
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findRun(trx, id);
    if (!row) throw notFound('Commission run');
    return toRunView(row);
  });
}

// ---------------------------------------------------------------------------------------------
// Calculation

/** The partner credit rules of a plan: its own, or the rules of the road in force (per scenario). */
export function partnerCreditParams(plan: PlanDocument, rules: Awaited<ReturnType<typeof rulesInForce>>): repo.PartnerCreditParams {
  const params = (r: PartnerCreditRule): repo.PartnerCreditRuleParams => ({
    credit: r.directSellerCredit,
    sourcedBps: r.sourcedBps,
    influencedBps: r.influencedBps,
  });
  if (plan.crediting.partnerCredit === 'plan') {
    const r = planPartnerCredit(plan);
    return { ref: r.ruleRef, fallback: params(r), byScenario: [] };
  }
  const ref = rules ? `rules of the road v${rules.version}` : 'rules of the road (none in force)';
  const hints = rules?.rules.crediting ?? [];
  const scenarios = [...new Set(hints.flatMap((h) => h.scenarios ?? []))].sort();
  return {
    ref,
    fallback: params(rulesOfTheRoadPartnerCredit(hints, null, ref)),
    byScenario: scenarios.map((scenario) => ({ scenario, ...params(rulesOfTheRoadPartnerCredit(hints, scenario, ref)) })),
  };
}

/** The SQL crediting parameters of a plan for some participants and payout periods. */
export function creditingParams(
  plan: PlanDocument,
  partnerCredit: repo.PartnerCreditParams,
  periods: readonly { start: string; end: string }[],
  participantIds: readonly string[],
): repo.CreditingParams {
  return {
    currency: plan.currency,
    rounding: plan.rounding,
    rollupLevels: plan.crediting.rollupLevels,
    clawbackPolicy: plan.clawback.policy,
    withinDays: plan.clawback.withinDays,
    partnerCredit,
    spiffs: plan.components.flatMap((c) =>
      c.kind === 'spiff'
        ? [
            {
              key: c.key,
              from: c.from,
              to: c.to,
              creditKinds: c.credits.creditKinds,
              products: c.credits.products,
              scenarios: c.credits.scenarios,
              segments: c.credits.segments,
              sourcings: c.credits.sourcings,
              minDealValueMinor: c.minDealValueMinor,
            },
          ]
        : [],
    ),
    periods,
    participantIds,
  };
}

const kindOrder = new Map<string, number>(creditKinds.map((k, i) => [k, i]));
const sourcingOrder = new Map<string, number>(sourcings.map((s, i) => [s, i]));
const nullsFirst = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** The fixed bucket order of crediting.ts bucketize (kind, sourcing, attributes, clawback, SPIFF keys). */
export function compareBuckets(a: CreditBucket, b: CreditBucket): number {
  return (
    (kindOrder.get(a.kind) ?? 0) - (kindOrder.get(b.kind) ?? 0) ||
    (sourcingOrder.get(a.sourcing) ?? 0) - (sourcingOrder.get(b.sourcing) ?? 0) ||
    nullsFirst(a.product, b.product) ||
    nullsFirst(a.scenario, b.scenario) ||
    nullsFirst(a.segment, b.segment) ||
    Number(a.clawback) - Number(b.clawback) ||
    nullsFirst(a.spiffKeys.join(','), b.spiffKeys.join(','))
  );
}

/** participantId -> payout period start -> buckets (sorted), from the SQL rows; a missing rate is a RunError. */
export function bucketsFromRows(plan: PlanDocument, rows: readonly repo.BucketRow[]): Map<string, Map<string, CreditBucket[]>> {
  const out = new Map<string, Map<string, CreditBucket[]>>();
  for (const r of rows) {
    if (r.fxMissingAt !== null) {
      const [currency, on] = r.fxMissingAt.split(' on ');
      throw new RunError(
        `missing exchange rate: no ${currency ?? '?'} to ${plan.currency} rate valid on ${on ?? '?'} (plan ${plan.key}); add a dated ${currency ?? '?'}/${plan.currency} rate and run again`,
      );
    }
    let byPeriod = out.get(r.participantId);
    if (!byPeriod) out.set(r.participantId, (byPeriod = new Map<string, CreditBucket[]>()));
    let list = byPeriod.get(r.periodStart);
    if (!list) byPeriod.set(r.periodStart, (list = []));
    list.push({
      kind: r.creditKind,
      sourcing: r.sourcing,
      product: r.product,
      scenario: r.scenario,
      segment: r.segment,
      clawback: r.clawback,
      spiffKeys: [...r.spiffKeys],
      creditMinor: r.creditMinor ?? 0,
      deals: r.deals,
    });
  }
  for (const byPeriod of out.values()) for (const list of byPeriod.values()) list.sort(compareBuckets);
  return out;
}

/** JSON with object keys in sorted order: one text for one value, whatever order its keys were built or stored in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`canonical results hold integers only, not ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

type ResultRecord = Omit<repo.NewResult, 'commissionRunId' | 'buckets' | 'lines'> & { buckets: unknown[]; lines: unknown[] };

const byIdThenPeriod = (a: Pick<ResultRecord, 'participantId' | 'periodStart'>, b: Pick<ResultRecord, 'participantId' | 'periodStart'>) =>
  a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0;

/** sha256 over the canonical results in (participant id, period) order; the same from fresh results or from stored rows. */
export function resultHashOf(results: readonly ResultRecord[]): string {
  const h = createHash('sha256');
  for (const r of [...results].sort(byIdThenPeriod)) {
    h.update(
      canonicalJson({
        participantId: r.participantId,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd,
        compPlanVersionId: r.compPlanVersionId,
        currency: r.currency,
        quotaMinor: r.quotaMinor,
        quotaCreditMinor: r.quotaCreditMinor,
        attainmentBps: r.attainmentBps,
        ytdAttainmentBps: r.ytdAttainmentBps,
        totalMinor: r.totalMinor,
        buckets: r.buckets,
        lines: r.lines,
      }),
    );
    h.update('\n');
  }
  return h.digest('hex');
}

type Period = { start: string; end: string };
type Assignment = { effectiveFrom: string; effectiveTo: string | null };

function addMonths(date: string, months: number): string {
  const idx = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const y = Math.floor(idx / 12);
  return `${String(y).padStart(4, '0')}-${String(idx - y * 12 + 1).padStart(2, '0')}-01`;
}

/** The day whose assignment decides a payout period's plan: its first day, or the day an assignment starts inside it. */
function decidingDay(assignments: readonly Assignment[], period: Period): string | null {
  if (assignments.some((a) => a.effectiveFrom <= period.start && (a.effectiveTo === null || a.effectiveTo > period.start))) return period.start;
  const starts = assignments.map((a) => a.effectiveFrom).filter((d) => d > period.start && d < period.end);
  return starts.sort()[0] ?? null;
}

export type RunCalculation = { results: ResultRecord[]; planVersions: StoredPlanVersion[]; hash: string };

/**
 * Calculates a run: resolves every assigned participant's plan per payout period, credits in SQL
 * per plan version, chains the payout periods through the engine. Throws RunError when the run
 * cannot be calculated as asked.
 */
export async function calculateRun(trx: Trx, run: Period, onProgress: (done: number, total: number) => Promise<void>): Promise<RunCalculation> {
  const rows = await repo.assignedParticipants(trx, addMonths(run.start, -12), run.end);
  type P = { participantId: string; activeFrom: string | null; activeTo: string | null; assignments: Assignment[] };
  const all = new Map<string, P>();
  for (const r of rows) {
    let p = all.get(r.participantId);
    if (!p) all.set(r.participantId, (p = { participantId: r.participantId, activeFrom: r.activeFrom, activeTo: r.activeTo, assignments: [] }));
    p.assignments.push({ effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo });
  }
  const inRun = [...all.values()].filter((p) => p.assignments.some((a) => a.effectiveFrom < run.end && (a.effectiveTo === null || a.effectiveTo > run.start)));
  await onProgress(0, inRun.length);

  // 1. Each participant's plan version per payout period, from the start of the fiscal year.
  const rules = await rulesInForce(trx);
  const versions = new Map<
    string,
    { v: PlanVersionInEffect; partnerCredit: repo.PartnerCreditParams; participants: Set<string>; periods: Map<string, Period> }
  >();
  const plans = new Map<string, { period: Period; versionId: string }[]>();
  for (const p of inRun) {
    const first = decidingDay(p.assignments, run);
    const v0 = first === null ? null : await planForParticipantOn(trx, p.participantId, first);
    if (!v0) continue; // assigned, but no version of the plan is in force: nothing to pay
    const grid = payoutPeriods(v0.document, run.start, run.end);
    if (grid[0]?.start !== run.start || grid[grid.length - 1]?.end !== run.end)
      throw new RunError(
        `plan ${v0.planKey} pays by ${v0.document.payoutPeriod} (fiscal year from month ${v0.document.fiscalYearStartMonth}): run whole payout periods of it, not ${run.start} to ${run.end}`,
      );
    const chain: { period: Period; versionId: string }[] = [];
    for (const period of payoutPeriods(v0.document, fiscalYearStart(v0.document, run.start), run.end)) {
      const day = decidingDay(p.assignments, period);
      const v = day === null ? null : day === first ? v0 : await planForParticipantOn(trx, p.participantId, day);
      if (!v) continue;
      if (v.document.payoutPeriod !== v0.document.payoutPeriod || v.document.fiscalYearStartMonth !== v0.document.fiscalYearStartMonth)
        throw new RunError(`participant ${p.participantId} changes payout period or fiscal year within the run (plan ${v0.planKey} -> ${v.planKey})`);
      let entry = versions.get(v.versionId);
      if (!entry)
        versions.set(v.versionId, (entry = { v, partnerCredit: partnerCreditParams(v.document, rules), participants: new Set(), periods: new Map() }));
      entry.participants.add(p.participantId);
      entry.periods.set(period.start, period);
      chain.push({ period, versionId: v.versionId });
    }
    plans.set(p.participantId, chain);
  }

  // 2. Credit buckets: one SQL statement per plan version.
  const buckets = new Map<string, Map<string, Map<string, CreditBucket[]>>>();
  for (const [versionId, e] of [...versions.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const periods = [...e.periods.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
    const params = creditingParams(e.v.document, e.partnerCredit, periods, [...e.participants].sort());
    buckets.set(versionId, bucketsFromRows(e.v.document, await repo.creditBuckets(trx, params)));
  }

  // 3. The engine, period after period.
  const results: ResultRecord[] = [];
  let done = 0;
  for (const p of inRun) {
    const chain = plans.get(p.participantId) ?? [];
    const quotaRows = chain.length > 0 ? await quotasOf(trx, p.participantId, chain[0]?.period.start ?? run.start, run.end) : [];
    let prior: PriorState | undefined;
    let previous: { planId: string; currency: string; end: string } | null = null;
    for (let i = 0; i < chain.length;) {
      const versionId = chain[i]?.versionId ?? '';
      let j = i;
      while (j < chain.length && chain[j]?.versionId === versionId && (j === i || chain[j - 1]?.period.end === chain[j]?.period.start)) j += 1;
      const group = chain.slice(i, j).map((c) => c.period);
      i = j;
      const e = versions.get(versionId);
      const first = group[0];
      if (!e || !first) continue;
      const plan = e.v.document;
      const carries = previous !== null && previous.planId === e.v.planId && previous.currency === plan.currency && previous.end === first.start;
      for (const q of quotaRows)
        if (q.currency !== plan.currency)
          throw new RunError(`participant ${p.participantId} has a quota in ${q.currency} but plan ${e.v.planKey} pays in ${plan.currency}`);
      const entries = quotaRows.map((q) => ({ start: q.periodStart, end: q.periodEnd, value: q.amountMinor }));
      const own = buckets.get(versionId)?.get(p.participantId);
      const chained = chainPeriods(
        plan,
        group,
        p,
        (period) => ({ quotaMinor: quotaForPeriod(entries, period.start, period.end, plan.currency), metrics: {}, buckets: own?.get(period.start) ?? [] }),
        carries ? prior : undefined,
      );
      let last: ParticipantPeriodResult | undefined;
      for (const { period, result } of chained) {
        last = result;
        if (period.start < run.start) continue; // fiscal year warm-up: carried, not stored
        results.push({
          participantId: p.participantId,
          periodStart: period.start,
          periodEnd: period.end,
          compPlanVersionId: versionId,
          currency: plan.currency,
          quotaMinor: result.quotaMinor,
          quotaCreditMinor: result.quotaCreditMinor,
          attainmentBps: result.attainmentBps,
          ytdAttainmentBps: result.ytdAttainmentBps,
          totalMinor: result.totalMinor,
          buckets: own?.get(period.start) ?? [],
          lines: result.lines,
        });
      }
      prior = last?.next ?? prior;
      previous = { planId: e.v.planId, currency: plan.currency, end: group[group.length - 1]?.end ?? first.end };
    }
    done += 1;
    if (done % 200 === 0) await onProgress(done, inRun.length);
  }
  await onProgress(done, inRun.length);

  const planVersions: StoredPlanVersion[] = [...versions.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([versionId, e]) => ({
      versionId,
      planId: e.v.planId,
      planKey: e.v.planKey,
      version: e.v.version,
      currency: e.v.document.currency,
      partnerCreditRef: e.partnerCredit.ref,
      partnerCredit: e.partnerCredit,
    }));
  results.sort(byIdThenPeriod);
  return { results, planVersions, hash: resultHashOf(results) };
}

/**
 * The period run job: marks the run running, calculates it in one transaction (results and status
 * together), reports progress through short transactions of its own. A run that cannot be
 * calculated as asked (RunError) is marked failed with the reason at once; any other error is
 * retried (the run goes back to queued with the error) until the last attempt marks it failed.
 */
export async function runPeriodRunJob(deps: Deps, runId: string, attempt = RUN_JOB_ATTEMPTS): Promise<void> {
  const system = { kind: 'system' } as const;
  const run = await inScope(deps.db, system, async (trx) => {
    const row = await repo.findRun(trx, runId, true);
    if (!row || row.status === 'completed' || row.status === 'failed') return null;
    await repo.updateRun(trx, runId, { status: 'running', startedAt: deps.clock.now(), progressDone: 0 });
    return row;
  });
  if (!run) return;
  const progress = async (done: number, total: number) => {
    await inScope(deps.db, system, (t) => repo.updateRun(t, runId, { progressDone: done, progressTotal: total }));
  };
  try {
    await inTransaction(deps, workerActor, async (trx) => {
      const calc = await calculateRun(trx, { start: run.periodStart, end: run.periodEnd }, progress);
      await repo.deleteResults(trx, runId);
      await repo.insertResults(
        trx,
        calc.results.map((r) => ({ ...r, commissionRunId: runId, buckets: JSON.stringify(r.buckets), lines: JSON.stringify(r.lines) })),
      );
      await repo.updateRun(trx, runId, {
        status: 'completed',
        planVersions: JSON.stringify(calc.planVersions),
        resultCount: calc.results.length,
        resultHash: calc.hash,
        error: null,
        finishedAt: deps.clock.now(),
      });
    });
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
    const final = e instanceof RunError || attempt >= RUN_JOB_ATTEMPTS;
    await inScope(deps.db, system, (t) =>
      repo.updateRun(
        t,
        runId,
        final ? { status: 'failed', error: message, finishedAt: deps.clock.now() } : { status: 'queued', error: message, progressDone: 0 },
      ),
    );
    if (!final) throw e;
    if (!(e instanceof RunError)) deps.log.error({ runId, err: e }, 'commission run failed');
  }
}
