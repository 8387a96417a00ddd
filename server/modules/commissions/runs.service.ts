import { createHash } from 'node:crypto';
import type { CommissionRunView, CreateCommissionRunRequest, RunPlanVersion } from '../../../common/api/commissions-runs.ts';
import { planPartnerCredit, rulesOfTheRoadPartnerCredit, type PartnerCreditRule } from '../../../common/comp/crediting.ts';
import { fiscalYearStart, payoutPeriods } from '../../../common/comp/engine.ts';
import type { CreditBucket, ParticipantPeriodResult, PayoutLine, PriorState } from '../../../common/comp/engine-types.ts';
import { creditKinds, sourcings, type PlanDocument } from '../../../common/comp/plan.ts';
import { chainPeriods, quotaForPeriod } from '../../../common/comp/simulate.ts';
import { hasRole, systemActor, type Actor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { PlanVersionInEffect } from '../comp-plans/comp-plans.service.ts';
import { rulesInForce } from '../engagement/rules.service.ts';
import * as repo from './runs.repository.ts';

/**
 * Period runs: credits, attainment and payouts of every participant with a plan assignment for the
 * payout periods of [periodStart, periodEnd).
 *
 * - Plans and quotas are resolved for the whole run in a few statements (planRun), as comp-plans
 *   planForParticipantOn and quotasOf would per participant and day.
 * - Crediting is one SQL statement per group of plan versions that credit alike (runs.repository.ts
 *   creditBuckets): the store's lines are aggregated to (participant, payout period, rate class)
 *   buckets in the database, in one pass; the plan logic (common/comp/engine.ts) runs on that small
 *   result here.
 * - Each participant's payout periods are chained from the start of the fiscal year with PriorState,
 *   with simulation's chainPeriods (common/comp/simulate.ts): earlier periods of the fiscal year are
 *   calculated to carry year-to-date windows and draws, and stored only when inside the run. A
 *   participant's plan of a payout period is the one assigned on its first day (or on the day the
 *   assignment starts inside it), in the version in force then; PriorState carries across versions
 *   of the same plan, and starts fresh on another plan.
 * - Results are written while the engine goes on (statements of 500 rows, repository insertResults).
 * - The result hash is sha256 over the sha256 of each result's canonical JSON (object keys sorted,
 *   integers only), ordered by participant id and period start: computed in TypeScript from exact
 *   integers and uuids (byte order), so it does not depend on the database's collation or version;
 *   it can be recomputed from the stored rows (resultHashOf), and each row keeps its own digest
 *   (result_sha256) so an incremental run hashes the results it reuses without reading them.
 * - Incremental runs (runPeriodRunJob, calculateIncremental): after new import batches, only the
 *   participants the new lines credit are calculated again; the same hash as a full recalculation.
 *   The run stores those participants' results only and reads the others through its base run
 *   (repository runResults; migration 0026), until the chain of runs is MAX_CHAIN long.
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

export function toRunView(r: repo.RunRow & Partial<Pick<repo.RunRowWithBasis, 'incremental' | 'baseRunId' | 'recalculated'>>): CommissionRunView {
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
    ...(r.incremental === undefined ? {} : { basis: { incremental: r.incremental, baseRunId: r.baseRunId ?? null, recalculated: r.recalculated ?? null } }),
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
      incremental: input.incremental === true,
    });
    await enqueueJob(trx, { name: PERIOD_RUN_JOB, payload: { runId: id }, idempotencyKey: `commission-run:${id}`, maxAttempts: RUN_JOB_ATTEMPTS });
    await recordAudit(trx, deps, actor, {
      action: 'commission_run.create',
      entityType: 'commission_run',
      entityId: id,
      after: { periodStart: input.periodStart, periodEnd: input.periodEnd, ...(input.incremental ? { incremental: true } : {}) },
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
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const [key, quoted] of sortedKeysOf(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    out += (first ? '' : ',') + quoted + canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}

/**
 * An object's keys in sorted order with their JSON text: results repeat a few shapes of object
 * thousands of times, so each shape is sorted once (a cached order is used only when it holds
 * exactly the object's keys).
 */
const keyOrders = new Map<string, [string, string][]>();
function sortedKeysOf(obj: Record<string, unknown>): [string, string][] {
  const keys = Object.keys(obj);
  const shape = keys.join('\u0000');
  let order = keyOrders.get(shape);
  if (!order || order.length !== keys.length || !order.every(([k]) => Object.hasOwn(obj, k))) {
    order = [...keys].sort().map((k) => [k, `${JSON.stringify(k)}:`]);
    if (keyOrders.size >= 10_000) keyOrders.clear();
    keyOrders.set(shape, order);
  }
  return order;
}

type ResultRecord = Omit<repo.NewResult, 'commissionRunId' | 'buckets' | 'lines' | 'resultSha256'> & { buckets: unknown[]; lines: unknown[] };

const byIdThenPeriod = (a: Pick<ResultRecord, 'participantId' | 'periodStart'>, b: Pick<ResultRecord, 'participantId' | 'periodStart'>) =>
  a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0;

/**
 * One result's canonical JSON (canonicalJson of the record below) with its buckets and lines given
 * as canonical JSON already: the same text, built once, also stored as the jsonb of the row.
 */
function canonicalResult(r: ResultRecord, bucketsJson: string, linesJson: string): string {
  // canonicalJson of the record, its keys written in sorted order (runs.golden.test.ts pins the hash of fixed results).
  return (
    `{"attainmentBps":${canonicalJson(r.attainmentBps)},"buckets":${bucketsJson},"compPlanVersionId":${canonicalJson(r.compPlanVersionId)},` +
    `"currency":${canonicalJson(r.currency)},"lines":${linesJson},"participantId":${canonicalJson(r.participantId)},` +
    `"periodEnd":${canonicalJson(r.periodEnd)},"periodStart":${canonicalJson(r.periodStart)},"quotaCreditMinor":${canonicalJson(r.quotaCreditMinor)},` +
    `"quotaMinor":${canonicalJson(r.quotaMinor)},"totalMinor":${canonicalJson(r.totalMinor)},"ytdAttainmentBps":${canonicalJson(r.ytdAttainmentBps)}}`
  );
}

type Canonical = { buckets: string; lines: string; digest: string };

/** A safe integer's JSON text (canonicalJson's check); anything else is not canonical. */
function intJson(n: unknown): string {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RangeError(`canonical results hold integers only, not ${String(n)}`);
  return JSON.stringify(n);
}
const textJson = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
const BUCKET_KEYS = ['clawback', 'creditMinor', 'deals', 'kind', 'product', 'scenario', 'segment', 'sourcing', 'spiffKeys'];
const LINE_KEYS = ['amountMinor', 'basisMinor', 'bucketIndexes', 'componentKey', 'componentName', 'explanation', 'kind', 'multiplierBps', 'rateBps', 'tier'];
/** Whether an object has exactly these own keys, none undefined (then its canonical JSON can be written field by field). */
function hasExactly(obj: object, keys: readonly string[]): boolean {
  if (Object.keys(obj).length !== keys.length) return false;
  for (const k of keys) if (!Object.hasOwn(obj, k) || (obj as Record<string, unknown>)[k] === undefined) return false;
  return true;
}
const isText = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * canonicalJson of a result's buckets, written field by field in sorted key order for the engine's
 * CreditBucket shape (the same text: canonicalJson is the definition, runs.canonical.test.ts checks
 * both agree); any other shape goes through canonicalJson.
 */
export function canonicalBuckets(buckets: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i] as CreditBucket;
    if (i > 0) out += ',';
    if (
      b === null ||
      typeof b !== 'object' ||
      !hasExactly(b, BUCKET_KEYS) ||
      typeof b.clawback !== 'boolean' ||
      typeof b.kind !== 'string' ||
      typeof b.sourcing !== 'string' ||
      !isText(b.product) ||
      !isText(b.scenario) ||
      !isText(b.segment) ||
      !Array.isArray(b.spiffKeys)
    ) {
      out += canonicalJson(b);
      continue;
    }
    out += `{"clawback":${b.clawback ? 'true' : 'false'},"creditMinor":${intJson(b.creditMinor)},"deals":${intJson(b.deals)},"kind":${JSON.stringify(b.kind)},"product":${textJson(b.product)},"scenario":${textJson(b.scenario)},"segment":${textJson(b.segment)},"sourcing":${JSON.stringify(b.sourcing)},"spiffKeys":${canonicalJson(b.spiffKeys)}}`;
  }
  return `${out}]`;
}

/** canonicalJson of a result's payout lines, field by field for the engine's PayoutLine shape (as canonicalBuckets). */
export function canonicalLines(lines: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as PayoutLine;
    if (i > 0) out += ',';
    const tier = l?.tier;
    if (
      l === null ||
      typeof l !== 'object' ||
      !hasExactly(l, LINE_KEYS) ||
      typeof l.componentKey !== 'string' ||
      typeof l.componentName !== 'string' ||
      typeof l.explanation !== 'string' ||
      typeof l.kind !== 'string' ||
      (l.basisMinor !== null && typeof l.basisMinor !== 'number') ||
      (l.rateBps !== null && typeof l.rateBps !== 'number') ||
      !Array.isArray(l.bucketIndexes) ||
      (tier !== null && (typeof tier !== 'object' || !hasExactly(tier, ['fromBps', 'toBps']) || (tier.toBps !== null && typeof tier.toBps !== 'number')))
    ) {
      out += canonicalJson(l);
      continue;
    }
    let indexes = '[';
    for (let k = 0; k < l.bucketIndexes.length; k++) indexes += (k === 0 ? '' : ',') + intJson(l.bucketIndexes[k]);
    indexes += ']';
    const tierJson = tier === null ? 'null' : `{"fromBps":${intJson(tier.fromBps)},"toBps":${tier.toBps === null ? 'null' : intJson(tier.toBps)}}`;
    out += `{"amountMinor":${intJson(l.amountMinor)},"basisMinor":${l.basisMinor === null ? 'null' : intJson(l.basisMinor)},"bucketIndexes":${indexes},"componentKey":${JSON.stringify(l.componentKey)},"componentName":${JSON.stringify(l.componentName)},"explanation":${JSON.stringify(l.explanation)},"kind":${JSON.stringify(l.kind)},"multiplierBps":${intJson(l.multiplierBps)},"rateBps":${l.rateBps === null ? 'null' : intJson(l.rateBps)},"tier":${tierJson}}`;
  }
  return `${out}]`;
}

function canonicalOf(r: ResultRecord): Canonical {
  const buckets = canonicalBuckets(r.buckets);
  const lines = canonicalLines(r.lines);
  return {
    buckets,
    lines,
    digest: createHash('sha256')
      .update(canonicalResult(r, buckets, lines))
      .digest('hex'),
  };
}

/** sha256 over each result's sha256 (hex) and a newline, in (participant id, period) order. */
function hashOfDigests(digests: readonly string[]): string {
  const h = createHash('sha256');
  for (const d of digests) h.update(`${d}\n`);
  return h.digest('hex');
}

/**
 * The run hash of some results: sha256 over the sha256 of each result's canonical JSON (object keys
 * sorted, integers only), in (participant id, period) order; the same from fresh results or from
 * stored rows. Two levels, so that an incremental run hashes the results it reuses from their stored
 * digests (commission_result.result_sha256) without reading them back.
 */
export function resultHashOf(results: readonly ResultRecord[]): string {
  return hashOfDigests([...results].sort(byIdThenPeriod).map((r) => canonicalOf(r).digest));
}

/** Bump when a calculation gives other results for the same inputs: an incremental run then never reuses results of the older code. */
const CALCULATION_VERSION = 1;

type Period = { start: string; end: string };
type Assignment = { effectiveFrom: string; effectiveTo: string | null; planId: string };
type Participant = { participantId: string; activeFrom: string | null; activeTo: string | null; assignments: Assignment[] };
type VersionEntry = { v: PlanVersionInEffect; partnerCredit: repo.PartnerCreditParams; participants: Set<string>; periods: Map<string, Period> };
type QuotaRow = Awaited<ReturnType<typeof repo.quotasOverlapping>>[number];
type RunPlan = {
  inRun: Participant[];
  versions: Map<string, VersionEntry>;
  chains: Map<string, { period: Period; versionId: string }[]>;
  quotas: Map<string, QuotaRow[]>;
  planVersions: StoredPlanVersion[];
};
/** versionId -> participantId -> payout period start -> buckets (sorted). */
type Buckets = Map<string, Map<string, Map<string, CreditBucket[]>>>;

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

/**
 * Every assigned participant's plan version per payout period from the start of the fiscal year,
 * and their quotas: a few statements for the whole run (assignments, the versions of their plans,
 * quotas), resolved here as comp-plans planForParticipantOn would per participant and day: the
 * assignment covering the day (assignments of a participant never overlap), then the plan's
 * highest published or retired version in effect that day. With `only`, of those participants
 * alone (each one's plan, chain and quotas are the same as in the whole run's; planVersions then
 * lists only the versions they are on).
 */
async function planRun(trx: Trx, run: Period, only?: readonly string[]): Promise<RunPlan> {
  // Sent together (the database runs the next while the last one's rows are read here): the quotas
  // of a year before the run on, narrowed below to each participant's first chained period.
  const assigned = repo.assignedParticipants(trx, addMonths(run.start, -12), run.end, only);
  const quotaRows = repo.quotasOverlapping(trx, addMonths(run.start, -12), run.end, only);
  const rulesRow = rulesInForce(trx);
  quotaRows.catch(() => undefined); // awaited below
  rulesRow.catch(() => undefined);
  const rows = await assigned;
  const all = new Map<string, Participant>();
  for (const r of rows) {
    let p = all.get(r.participantId);
    if (!p) all.set(r.participantId, (p = { participantId: r.participantId, activeFrom: r.activeFrom, activeTo: r.activeTo, assignments: [] }));
    p.assignments.push({ effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, planId: r.planId });
  }
  const inRun = [...all.values()].filter((p) => p.assignments.some((a) => a.effectiveFrom < run.end && (a.effectiveTo === null || a.effectiveTo > run.start)));

  const versionRows = await repo.versionsOfPlans(trx, [...new Set(inRun.flatMap((p) => p.assignments.map((a) => a.planId)))].sort());
  const versionsByPlan = new Map<string, { row: (typeof versionRows)[number]; inEffect: PlanVersionInEffect }[]>();
  for (const row of versionRows) {
    let list = versionsByPlan.get(row.compPlanId);
    if (!list) versionsByPlan.set(row.compPlanId, (list = []));
    list.push({
      row,
      inEffect: { versionId: row.compPlanVersionId, planId: row.compPlanId, planKey: row.planKey, version: row.version, document: row.document },
    });
  }
  const planOn = (p: Participant, day: string): PlanVersionInEffect | null => {
    const a = p.assignments.find((x) => x.effectiveFrom <= day && (x.effectiveTo === null || x.effectiveTo > day));
    if (!a) return null;
    // Highest version first (versionsOfPlans orders them so).
    const v = versionsByPlan.get(a.planId)?.find((x) => x.row.effectiveFrom <= day && (x.row.effectiveTo === null || x.row.effectiveTo > day));
    return v?.inEffect ?? null;
  };

  const rules = await rulesRow;
  const versions = new Map<string, VersionEntry>();
  const chains = new Map<string, { period: Period; versionId: string }[]>();
  // The payout periods of a version from its fiscal year start to the run end, the same for everyone on it: worked out once per version.
  const grids = new Map<string, Period[]>();
  const periodsOf = (v: PlanVersionInEffect): Period[] => {
    let grid = grids.get(v.versionId);
    if (grid) return grid;
    const inRunGrid = payoutPeriods(v.document, run.start, run.end);
    if (inRunGrid[0]?.start !== run.start || inRunGrid[inRunGrid.length - 1]?.end !== run.end)
      throw new RunError(
        `plan ${v.planKey} pays by ${v.document.payoutPeriod} (fiscal year from month ${v.document.fiscalYearStartMonth}): run whole payout periods of it, not ${run.start} to ${run.end}`,
      );
    grids.set(v.versionId, (grid = payoutPeriods(v.document, fiscalYearStart(v.document, run.start), run.end)));
    return grid;
  };
  for (const p of inRun) {
    const first = decidingDay(p.assignments, run);
    const v0 = first === null ? null : planOn(p, first);
    if (!v0) continue; // assigned, but no version of the plan is in force: nothing to pay
    const chain: { period: Period; versionId: string }[] = [];
    for (const period of periodsOf(v0)) {
      const day = decidingDay(p.assignments, period);
      const v = day === null ? null : day === first ? v0 : planOn(p, day);
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
    chains.set(p.participantId, chain);
  }

  // Quotas overlapping each participant's [first chained period, run end), as comp-plans quotasOf.
  const quotas = new Map<string, QuotaRow[]>();
  for (const q of await quotaRows) {
    const from = chains.get(q.compParticipantId)?.[0]?.period.start;
    if (from === undefined || !(q.periodStart < run.end && q.periodEnd > from)) continue;
    let list = quotas.get(q.compParticipantId);
    if (!list) quotas.set(q.compParticipantId, (list = []));
    list.push(q);
  }

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
  return { inRun, versions, chains, quotas, planVersions };
}

const sortedPeriods = (e: VersionEntry) => [...e.periods.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
const sortedVersions = (plan: RunPlan) => [...plan.versions.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

type CreditingGroup = { versionIds: string[]; doc: PlanDocument; params: repo.CreditingParams };

/**
 * Plan versions that credit a line alike (currency, rounding, clawback, partner credit, SPIFFs and
 * payout grid; roll-up levels may differ) are credited by one statement, one pass over the lines:
 * in a company whose plans follow one rule set, every plan. A participant on two versions of one
 * group with different roll-up levels splits the group.
 */
function creditingGroups(plan: RunPlan): CreditingGroup[] {
  const groups: { key: string; versionIds: string[]; doc: PlanDocument; e: VersionEntry; levels: Map<string, number>; periods: Map<string, Period> }[] = [];
  for (const [versionId, e] of sortedVersions(plan)) {
    const d = e.v.document;
    const key = canonicalJson({
      currency: d.currency,
      rounding: d.rounding,
      clawback: d.clawback,
      partnerCredit: { fallback: e.partnerCredit.fallback, byScenario: e.partnerCredit.byScenario },
      spiffs: creditingParams(d, e.partnerCredit, [], []).spiffs,
      grid: [d.payoutPeriod, d.fiscalYearStartMonth],
    });
    const fits = (g: (typeof groups)[number]) =>
      g.key === key && [...e.participants].every((id) => !g.levels.has(id) || g.levels.get(id) === d.crediting.rollupLevels);
    let g = groups.find(fits);
    if (!g) groups.push((g = { key, versionIds: [], doc: d, e, levels: new Map(), periods: new Map() }));
    g.versionIds.push(versionId);
    for (const id of e.participants) g.levels.set(id, d.crediting.rollupLevels);
    for (const x of e.periods.values()) g.periods.set(x.start, x);
  }
  return groups.map((g) => {
    const ids = [...g.levels.keys()].sort();
    const periods = [...g.periods.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
    const params = creditingParams(g.doc, g.e.partnerCredit, periods, ids);
    return { versionIds: g.versionIds, doc: g.doc, params: { ...params, rollupLevelsOf: ids.map((id) => g.levels.get(id) ?? 0) } };
  });
}

/** The results of one participant's payout periods inside the run, chained through the engine from the fiscal year start. */
function participantResults(plan: RunPlan, run: Period, p: Participant, buckets: Buckets): ResultRecord[] {
  const chain = plan.chains.get(p.participantId) ?? [];
  const quotaRows = plan.quotas.get(p.participantId) ?? [];
  const results: ResultRecord[] = [];
  let prior: PriorState | undefined;
  let previous: { planId: string; currency: string; end: string } | null = null;
  for (let i = 0; i < chain.length;) {
    const versionId = chain[i]?.versionId ?? '';
    let j = i;
    while (j < chain.length && chain[j]?.versionId === versionId && (j === i || chain[j - 1]?.period.end === chain[j]?.period.start)) j += 1;
    const group = chain.slice(i, j).map((c) => c.period);
    i = j;
    const e = plan.versions.get(versionId);
    const first = group[0];
    if (!e || !first) continue;
    const doc = e.v.document;
    const carries = previous !== null && previous.planId === e.v.planId && previous.currency === doc.currency && previous.end === first.start;
    for (const q of quotaRows)
      if (q.currency !== doc.currency)
        throw new RunError(`participant ${p.participantId} has a quota in ${q.currency} but plan ${e.v.planKey} pays in ${doc.currency}`);
    const entries = quotaRows.map((q) => ({ start: q.periodStart, end: q.periodEnd, value: q.amountMinor }));
    const own = buckets.get(versionId)?.get(p.participantId);
    const chained = chainPeriods(
      doc,
      group,
      p,
      (period) => ({ quotaMinor: quotaForPeriod(entries, period.start, period.end, doc.currency), metrics: {}, buckets: own?.get(period.start) ?? [] }),
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
        currency: doc.currency,
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
    previous = { planId: e.v.planId, currency: doc.currency, end: group[group.length - 1]?.end ?? first.end };
  }
  return results;
}

/** What a run stores besides its results: the fingerprint of every input but the lines, and the batches it saw. */
async function runInputsOf(trx: Trx, run: Period, planVersions: readonly StoredPlanVersion[]): Promise<{ fingerprint: string; batches: string[] }> {
  const [digests, batches] = await Promise.all([repo.inputDigests(trx), repo.committedBatches(trx)]);
  return { fingerprint: fingerprintOf(run, digests, planVersions), batches };
}

function fingerprintOf(run: Period, digests: Record<string, string>, planVersions: readonly StoredPlanVersion[]): string {
  return createHash('sha256')
    .update(canonicalJson({ calculation: CALCULATION_VERSION, run, digests, planVersions }))
    .digest('hex');
}

export type RunCalculation = { results: ResultRecord[]; planVersions: StoredPlanVersion[]; hash: string };

/**
 * Wall milliseconds per stage of a period run (benches pass one in to see where the time goes):
 * reuse (the run's setup and, incremental, finding the base run and the new batches), delta (the new
 * transactions and whom they can credit), plan (plans and quotas), credit (crediting in SQL), stored
 * (the base run's buckets of the touched participants, plus the new credit), inputs (the input
 * fingerprint), engine (the engine, its results sent to the database as they come), write (the
 * results still being inserted after the engine), hash (the run hash), finish (the run row), commit.
 */
export type RunStages = Partial<
  Record<'reuse' | 'delta' | 'plan' | 'credit' | 'stored' | 'inputs' | 'engine' | 'write' | 'hash' | 'finish' | 'commit', number>
>;

/** A result's place in the run hash: its (participant id, period) key and its digest. */
type Digest = { participantId: string; periodStart: string; digest: string };

/**
 * Writes a run's results as the engine produces them: one insert statement per RESULTS_PER_STATEMENT
 * results, sent while the engine goes on (the database inserts on its own core), and lets the event
 * loop turn every YIELD_EVERY participants so each statement leaves the socket meanwhile. Written
 * results are not kept (a run of 50k participants would otherwise hold every result and its JSON
 * until the end, for the garbage collector to copy and scan again and again): only their digests.
 * Nor are results the database has not caught up with: when WRITES_QUEUED statements wait, the
 * engine waits for the oldest, so a database slower than the engine does not make it hold the rest.
 * Measured on the bench (10M lines, 50k participants), alternating, two full runs each way: engine
 * and write stages 3.90 and 3.94 s against 4.05 and 4.41 s unbounded; the app's CPU 4.5-4.6 s against
 * 4.8-5.1 s.
 */
function resultWriter(trx: Trx, runId: string) {
  let pending: repo.NewResult[] = [];
  let writing: Promise<void> = Promise.resolve();
  const digests: Digest[] = [];
  let participants = 0;
  const queued: Promise<void>[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = [];
    writing = writing.then(() => repo.insertResults(trx, chunk));
    writing.catch(() => undefined); // awaited (and thrown) in done()
    queued.push(writing);
  };
  return {
    digests,
    /** The results of one participant; resolves at once unless the loop is due to turn. */
    async add(results: readonly ResultRecord[]): Promise<void> {
      for (const r of results) {
        const c = canonicalOf(r);
        digests.push({ participantId: r.participantId, periodStart: r.periodStart, digest: c.digest });
        pending.push(newResult(runId, r, c));
      }
      if (pending.length >= repo.RESULTS_PER_STATEMENT) {
        flush();
        // At most WRITES_QUEUED statements wait for the database: the engine waits for the oldest.
        while (queued.length > WRITES_QUEUED) await queued.shift();
      }
      participants += 1;
      if (participants % YIELD_EVERY === 0) await nextTurn();
    },
    async done(): Promise<void> {
      flush();
      await writing;
    },
  };
}

/** The run hash of digests, in (participant id, period) order whatever order they came in. */
function hashInOrder(digests: Digest[]): string {
  return hashOfDigests(inOrder(digests).map((d) => d.digest));
}

/** Digests in (participant id, period) order: as they are when they already are (the engine's usual order), else sorted. */
function inOrder(digests: Digest[]): Digest[] {
  const ordered = digests.every((d, i) => i === 0 || byIdThenPeriod(digests[i - 1] as Digest, d) < 0);
  return ordered ? digests : [...digests].sort(byIdThenPeriod);
}

/**
 * The full calculation, over every participant of the run. With a run id the results are written as
 * they come (resultWriter) and not returned; without one (calculateRun) they are returned, in
 * (participant id, period) order.
 */
async function calculateFull(
  trx: Trx,
  run: Period,
  onProgress: (done: number, total: number) => Promise<void>,
  write?: { runId: string },
  lap: (stage: keyof RunStages) => void = () => undefined,
): Promise<RunCalculation & { plan: RunPlan; count: number }> {
  const plan = await planRun(trx, run);
  await onProgress(0, plan.inRun.length);
  lap('plan');
  // Credit buckets: one SQL statement per group of plan versions that credit alike.
  const buckets: Buckets = new Map();
  for (const g of creditingGroups(plan)) {
    const map = bucketsFromRows(g.doc, await repo.creditBuckets(trx, g.params));
    for (const versionId of g.versionIds) buckets.set(versionId, map);
  }
  lap('credit');
  // The engine, period after period.
  const writer = write ? resultWriter(trx, write.runId) : null;
  const results: ResultRecord[] = [];
  let done = 0;
  let count = 0;
  let reported = 0;
  for (const p of plan.inRun) {
    const mine = participantResults(plan, run, p, buckets);
    count += mine.length;
    if (writer) await writer.add(mine);
    else results.push(...mine);
    done += 1;
    if (count - reported >= 5000) {
      reported = count;
      await onProgress(done, plan.inRun.length);
    }
  }
  lap('engine');
  await writer?.done();
  lap('write');
  await onProgress(done, plan.inRun.length);
  if (writer) {
    const hash = hashInOrder(writer.digests);
    lap('hash');
    return { results: [], planVersions: plan.planVersions, hash, plan, count };
  }
  results.sort(byIdThenPeriod);
  return { results, planVersions: plan.planVersions, hash: hashOfDigests(results.map((r) => canonicalOf(r).digest)), plan, count };
}

/**
 * Calculates a run: resolves every assigned participant's plan per payout period, credits in SQL
 * per plan version, chains the payout periods through the engine. Throws RunError when the run
 * cannot be calculated as asked.
 */
export async function calculateRun(trx: Trx, run: Period, onProgress: (done: number, total: number) => Promise<void>): Promise<RunCalculation> {
  const { results, planVersions, hash } = await calculateFull(trx, run, onProgress);
  return { results, planVersions, hash };
}

/** Adds delta buckets (credit and deals) to stored ones; a bucket left with no deal is gone (as a full run would not have it). */
function addBuckets(stored: readonly CreditBucket[], delta: readonly CreditBucket[]): CreditBucket[] {
  const keyOf = (b: CreditBucket) => JSON.stringify([b.kind, b.sourcing, b.product, b.scenario, b.segment, b.clawback, b.spiffKeys]);
  const out = new Map<string, CreditBucket>();
  for (const b of stored) out.set(keyOf(b), { ...b, spiffKeys: [...b.spiffKeys] });
  for (const d of delta) {
    const k = keyOf(d);
    const b = out.get(k);
    if (b) out.set(k, { ...b, creditMinor: b.creditMinor + d.creditMinor, deals: b.deals + d.deals });
    else out.set(k, { ...d, spiffKeys: [...d.spiffKeys] });
  }
  return [...out.values()].filter((b) => b.deals !== 0).sort(compareBuckets);
}

/** An incremental calculation, its results written (the touched participants'), with the hash and count of the run's results (its own and those it reuses). */
type Incremental = {
  baseRunId: string;
  affected: string[];
  planVersions: StoredPlanVersion[];
  inputs: { fingerprint: string; batches: string[] };
  hash: string;
  count: number;
};

/**
 * The run hash of an incremental run: its own new results' digests merged, in (participant id,
 * period) order, with the base run's stored ones (repo.storedDigests records), a new result taking
 * the place of the base's for the same participant and period: what hashOfDigests over the run's
 * results read through its chain (repo.runResults) gives.
 */
function mergedHash(base: { records: string }, fresh: Digest[]): { hash: string; count: number } {
  const mine = inOrder(fresh);
  const w = repo.DIGEST_RECORD;
  const h = createHash('sha256');
  let count = 0;
  let k = 0;
  for (let at = 0; at < base.records.length; at += w.length) {
    const id = base.records.slice(at, at + w.id);
    const start = base.records.slice(at + w.id, at + w.id + w.period);
    let m = mine[k];
    while (m && (m.participantId < id || (m.participantId === id && m.periodStart < start))) {
      h.update(`${m.digest}\n`);
      count += 1;
      m = mine[++k];
    }
    if (m && m.participantId === id && m.periodStart === start) continue; // the new result replaces the base's
    h.update(`${base.records.slice(at + w.id + w.period, at + w.length)}\n`);
    count += 1;
  }
  for (; k < mine.length; k++) {
    h.update(`${(mine[k] as Digest).digest}\n`);
    count += 1;
  }
  return { hash: h.digest('hex'), count };
}

/**
 * The plan versions a full run would list now, from those the base run listed: the same versions
 * when every other input is unchanged (its participants, assignments, versions and quotas are in
 * the fingerprint's digests, and a run's versions follow from them), each with its plan's key and
 * the partner credit of today's rules of the road; null when one of them is gone. A change of any
 * of those inputs changes the fingerprint, and the run is calculated in full.
 */
async function planVersionsAgain(trx: Trx, base: readonly StoredPlanVersion[]): Promise<{ planVersions: StoredPlanVersion[]; rollupLevels: number } | null> {
  const rows = await repo.versionsOfPlans(trx, [...new Set(base.map((v) => v.planId))].sort());
  const byId = new Map(rows.map((r) => [r.compPlanVersionId, r]));
  const rules = await rulesInForce(trx);
  const out: StoredPlanVersion[] = [];
  let rollupLevels = 0;
  for (const v of base) {
    const row = byId.get(v.versionId);
    if (!row) return null;
    rollupLevels = Math.max(rollupLevels, row.document.crediting.rollupLevels);
    const partnerCredit = partnerCreditParams(row.document, rules);
    out.push({
      versionId: v.versionId,
      planId: row.compPlanId,
      planKey: row.planKey,
      version: row.version,
      currency: row.document.currency,
      partnerCreditRef: partnerCredit.ref,
      partnerCredit,
    });
  }
  return { planVersions: out, rollupLevels };
}

/**
 * An incremental calculation on top of the latest completed run of the same dates, or null when
 * none can be reused (then the run is calculated in full): the other inputs must be unchanged (same
 * fingerprint), the earlier run's batches all still there, and the new batches' transactions new
 * (no line of them in an earlier batch). Only the participants the new lines credit (their own and
 * their managers' roll-up, per plan version) are calculated again: their stored buckets plus the
 * buckets of the new transactions alone (buckets add up per transaction: a credit sum and a count of
 * distinct deals), the fiscal year's warm-up periods before the run credited again for them.
 * Nothing is read for the other participants: the plan versions come from the base run's (checked
 * through the fingerprint), plans and quotas are looked up for the participants the new lines can
 * credit (and their managers up the roll-up chain) only, and their results are written while the
 * engine goes on.
 */
async function calculateIncremental(
  trx: Trx,
  runId: string,
  run: Period,
  onProgress: (done: number, total: number) => Promise<void>,
  lap: (stage: keyof RunStages) => void,
): Promise<Incremental | null> {
  const base = await repo.latestReusableRun(trx, run.start, run.end, runId);
  if (!base) return null;
  const current = await planVersionsAgain(trx, base.planVersions as StoredPlanVersion[]);
  if (!current) return null;
  const { planVersions } = current;
  // The batches first; the digests of the other inputs (a few hundred ms of the database's time) are
  // read while the stored buckets are parsed here, and checked before the engine runs.
  const batches = await repo.committedBatches(trx);
  const seen = new Set(base.inputBatches);
  const now = new Set(batches);
  if (base.inputBatches.some((b) => !now.has(b))) return null;
  const delta = batches.filter((b) => !seen.has(b));
  let digests: Promise<Record<string, string>> | null = null;
  lap('reuse');

  const buckets: Buckets = new Map();
  const affected = new Set<string>();
  let touched: RunPlan | null = null;
  if (delta.length > 0) {
    const tx = await repo.transactionsOfBatches(trx, delta);
    if (tx.ids.length > 0) {
      // Whom the new lines can credit: their own participants and the managers up to the deepest
      // roll-up of the run's plans; the plan of those alone (the others' results are reused).
      const other = repo.transactionsHaveOtherLines(trx, tx, delta);
      const managers = repo.managersAbove(trx, tx.participantIds, current.rollupLevels);
      managers.catch(() => undefined); // awaited below
      if (await other) return null;
      const up = await managers;
      lap('delta');
      const plan = (touched = await planRun(trx, run, [...new Set([...tx.participantIds, ...up.map((x) => x.managerId)])].sort()));
      lap('plan');
      const deltas = new Map<string, Map<string, Map<string, CreditBucket[]>>>();
      for (const g of creditingGroups(plan)) {
        const d = bucketsFromRows(g.doc, await repo.creditBuckets(trx, { ...g.params, only: tx, sellers: tx.participantIds, sellersManagers: up }));
        for (const versionId of g.versionIds) deltas.set(versionId, d);
        for (const id of d.keys()) affected.add(id);
      }
      lap('credit');
      const ids = [...affected].sort();
      // Stored buckets of the run's periods, plus the delta.
      const storedRows = repo.storedBuckets(trx, base.commissionRunId, ids);
      digests = repo.inputDigests(trx);
      digests.catch(() => undefined); // awaited below
      await onProgress(0, ids.length);
      const stored = await storedRows;
      for (const r of stored) {
        let byP = buckets.get(r.compPlanVersionId);
        if (!byP) buckets.set(r.compPlanVersionId, (byP = new Map<string, Map<string, CreditBucket[]>>()));
        let byPeriod = byP.get(r.participantId);
        if (!byPeriod) byP.set(r.participantId, (byPeriod = new Map<string, CreditBucket[]>()));
        const add = deltas.get(r.compPlanVersionId)?.get(r.participantId)?.get(r.periodStart) ?? [];
        byPeriod.set(r.periodStart, addBuckets(JSON.parse(r.buckets) as CreditBucket[], add));
      }
      // Run periods with no stored result yet only have the delta; warm-up periods are credited again.
      for (const [versionId, e] of sortedVersions(plan)) {
        const mine = ids.filter((id) => e.participants.has(id));
        if (mine.length === 0) continue;
        let byP = buckets.get(versionId);
        if (!byP) buckets.set(versionId, (byP = new Map<string, Map<string, CreditBucket[]>>()));
        for (const id of mine) {
          let byPeriod = byP.get(id);
          if (!byPeriod) byP.set(id, (byPeriod = new Map<string, CreditBucket[]>()));
          for (const [start, list] of deltas.get(versionId)?.get(id) ?? [])
            if (start >= run.start && !byPeriod.has(start)) byPeriod.set(start, addBuckets([], list));
        }
        const warmUp = sortedPeriods(e).filter((x) => x.start < run.start);
        if (warmUp.length === 0) continue;
        const again = bucketsFromRows(e.v.document, await repo.creditBuckets(trx, creditingParams(e.v.document, e.partnerCredit, warmUp, mine)));
        for (const id of mine) {
          const byPeriod = byP.get(id);
          for (const w of warmUp) byPeriod?.set(w.start, again.get(id)?.get(w.start) ?? []);
        }
      }
    }
  }
  lap('stored');
  const fingerprint = fingerprintOf(run, await (digests ?? repo.inputDigests(trx)), planVersions);
  if (fingerprint !== base.inputFingerprint) return null;
  lap('inputs');
  // The base run's digests, read while the engine goes on (the database has the time: it only inserts
  // what the engine sends), for the run hash.
  const baseDigests = repo.storedDigests(trx, base.commissionRunId);
  baseDigests.catch(() => undefined); // awaited below
  // The engine over the touched participants; their results are written in chunks while it goes on.
  const writer = resultWriter(trx, runId);
  let done = 0;
  let count = 0;
  let reported = 0;
  for (const p of touched?.inRun ?? []) {
    if (!affected.has(p.participantId)) continue;
    const mine = participantResults(touched as RunPlan, run, p, buckets);
    count += mine.length;
    await writer.add(mine);
    done += 1;
    if (count - reported >= 2000) {
      reported = count;
      await onProgress(done, affected.size);
    }
  }
  lap('engine');
  await writer.done();
  lap('write');
  const stored = await baseDigests;
  if (stored.missing > 0) throw new Error(`run ${base.commissionRunId} has results without a digest`);
  const { hash, count: total } = mergedHash(stored, writer.digests);
  lap('hash');
  await onProgress(done, affected.size);
  return { baseRunId: base.commissionRunId, affected: [...affected].sort(), planVersions, inputs: { fingerprint, batches }, hash, count: total };
}

/**
 * Lets the event loop turn once, every YIELD_EVERY participants while results are written: an insert
 * statement (a few MB) leaves through the socket a buffer at a time, one per turn of the loop, and
 * the next statement goes out only when the last one's answer is read, so the engine lets the loop
 * turn often (a turn costs microseconds) for the database to insert while it goes on.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const YIELD_EVERY = 20;
/** Insert statements of results a run lets wait for the database before its engine waits (resultWriter). */
const WRITES_QUEUED = 2;

function newResult(runId: string, r: ResultRecord, c: Canonical): repo.NewResult {
  return { ...r, commissionRunId: runId, buckets: c.buckets, lines: c.lines, resultSha256: c.digest };
}

/**
 * The period run job: marks the run running, calculates it in one transaction (results and status
 * together), reports progress through short transactions of its own. A run that cannot be
 * calculated as asked (RunError) is marked failed with the reason at once; any other error is
 * retried (the run goes back to queued with the error) until the last attempt marks it failed.
 *
 * The calculation holds the store's import lock in share mode (a commit into the store waits for it,
 * and it for a commit), so it reads one set of batches. A run asked to be incremental (migration 0023)
 * reuses the latest completed run of the same dates when it can (calculateIncremental), else it is
 * calculated in full; either way the same inputs give the same result hash.
 */
export async function runPeriodRunJob(deps: Deps, runId: string, attempt = RUN_JOB_ATTEMPTS, stages?: RunStages): Promise<void> {
  const system = { kind: 'system' } as const;
  const run = await inScope(deps.db, system, async (trx) => {
    const row = await repo.findRun(trx, runId, true);
    if (!row || row.status === 'completed' || row.status === 'failed') return null;
    await repo.updateRun(trx, runId, { status: 'running', startedAt: deps.clock.now() });
    await repo.setRunProgress(trx, runId, { done: 0 });
    return { row, inputs: await repo.runInputs(trx, runId) };
  });
  if (!run) return;
  const period = { start: run.row.periodStart, end: run.row.periodEnd };
  const progress = async (done: number, total: number) => {
    await inScope(deps.db, system, (t) => repo.setRunProgress(t, runId, { done, total }));
  };
  try {
    let mark = performance.now();
    const lap = (stage: keyof RunStages) => {
      const t = performance.now();
      if (stages) stages[stage] = (stages[stage] ?? 0) + (t - mark);
      mark = t;
    };
    // One snapshot for the whole calculation (REPEATABLE READ): the plans, quotas and lines it reads
    // and the input fingerprint it stores are of the same moment. Nothing else updates the run row
    // meanwhile (progress has a table of its own, migration 0037), so storing the outcome cannot
    // meet a serialization failure of its own making.
    await inTransaction(
      deps,
      workerActor,
      async (trx) => {
        await repo.lockStoreShared(trx);
        await repo.runMemory(trx);
        await repo.deleteResults(trx, runId);
        lap('reuse');
        const inc = run.inputs?.incremental ? await calculateIncremental(trx, runId, period, progress, lap) : null;
        let hash: string;
        let count: number;
        let planVersions: StoredPlanVersion[];
        if (inc) {
          // The run stores the recalculated participants' results only and reads the others through its
          // base run (migration 0026), unless the chain of base runs is already long: then it copies them
          // and starts a new chain, so reading a run's results never goes through more than a few runs.
          const partial = (await repo.runChainLength(trx, inc.baseRunId)) < MAX_CHAIN;
          if (!partial) await repo.copyResults(trx, inc.baseRunId, runId, inc.affected);
          await repo.setRunInputs(trx, runId, {
            baseRunId: inc.baseRunId,
            recalculated: inc.affected.length,
            partialResults: partial,
            ...inputsOf(inc.inputs),
          });
          hash = inc.hash;
          count = inc.count;
          planVersions = inc.planVersions;
        } else {
          const calc = await calculateFull(trx, period, progress, { runId }, lap);
          hash = calc.hash;
          count = calc.count;
          planVersions = calc.planVersions;
          const inputs = await runInputsOf(trx, period, calc.planVersions);
          await repo.setRunInputs(trx, runId, { baseRunId: null, recalculated: calc.plan.inRun.length, ...inputsOf(inputs) });
          lap('inputs');
        }
        await repo.updateRun(trx, runId, {
          status: 'completed',
          planVersions: JSON.stringify(planVersions),
          resultCount: count,
          resultHash: hash,
          error: null,
          finishedAt: deps.clock.now(),
        });
        lap('finish');
      },
      { isolation: 'repeatable read' },
    );
    lap('commit');
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
    const final = e instanceof RunError || attempt >= RUN_JOB_ATTEMPTS;
    await inScope(deps.db, system, async (t) => {
      await repo.updateRun(t, runId, final ? { status: 'failed', error: message, finishedAt: deps.clock.now() } : { status: 'queued', error: message });
      if (!final) await repo.setRunProgress(t, runId, { done: 0 });
    });
    if (!final) throw e;
    if (!(e instanceof RunError)) deps.log.error({ runId, err: e }, 'commission run failed');
  }
}

/** The longest chain of runs an incremental run reads its results through (itself included). */
const MAX_CHAIN = 8;

const inputsOf = (i: { fingerprint: string; batches: string[] }) => ({ inputFingerprint: i.fingerprint, inputBatches: i.batches });
