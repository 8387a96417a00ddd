import { setImmediate } from 'node:timers/promises';
import type { ScorecardComputeQuery, ScorecardMetricColumn, ScorecardResult, ScorecardView, SubjectPageQuery } from '../../../common/api/scorecard-results.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import { builtinMetric } from '../../../common/scorecards/builtin-metrics.ts';
import type { MetricDefinition, SubjectKind } from '../../../common/scorecards/metric.ts';
import {
  addPeriods,
  checkScorecardDefinition,
  periodStartOf,
  rollUpChains,
  scorecardDefinition,
  type ScorecardDefinition,
} from '../../../common/scorecards/scorecard.ts';
import { dateOf } from '../../../common/dates.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './scorecard-defs.repository.ts';
import { compileScorecardValues, computeScorecardValues, type ScorecardValuesPlan, type ScorecardValuesRow } from './metrics.repository.ts';
import { findDefinition } from './metrics.service.ts';
import {
  rankSubjects,
  scoreSubject,
  subjectRowOf,
  type ScoredSubject,
  type ScoringColumn,
  type SubjectFigures,
  type UnrankedSubject,
} from './scorecards.rules.ts';
import type { ScoreStatus } from '../../../common/scorecards/scoring.ts';
import { canManageScorecards, canReadAllScores, isPartnerUser } from './scorecards.policy.ts';
import { applySubjectTargets } from './targets.rules.ts';
import { subjectTargetsFor } from './targets.service.ts';

/**
 * Scorecard definitions and their computation for a period: every subject of the scorecard's kind
 * (or of a roll-up level, the metric re-aggregated for the parent), each metric value through the
 * metric compiler (one statement per metric for every subject and every trend period), scores,
 * overall score, ranking and trend.
 */

function hideFromPartners(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Scorecard');
}

function mustRead(actor: Actor): void {
  hideFromPartners(actor);
  if (!canReadAllScores(actor)) throw new AppError('forbidden', 'Live scorecards are read by the programme, channel, compensation and executive roles');
}

function mustManage(actor: Actor): void {
  hideFromPartners(actor);
  if (!canManageScorecards(actor)) throw new AppError('forbidden', 'Only the programme lead and administrators change scorecards');
}

function invalid(issues: ProblemIssue[]): AppError {
  const n = issues.length;
  return new AppError('validation_failed', `The scorecard has ${n} problem${n === 1 ? '' : 's'}`, {
    issues: issues.map((i) => ({ ...i, path: `body.${i.path}` })),
  });
}

function toView(row: repo.ScorecardRowRecord): ScorecardView {
  const parsed = scorecardDefinition.safeParse(row.definition);
  return {
    key: row.key,
    definition: parsed.success ? parsed.data : (row.definition as ScorecardDefinition),
    createdAt: row.createdAt.toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    snapshots: Number(row.snapshots ?? 0),
    lastPublishedAt: row.lastPublishedAt ? new Date(row.lastPublishedAt).toISOString() : null,
  };
}

/** The metrics a definition names, read once, so validation can look them up synchronously. */
async function metricsNamed(trx: Trx, raw: unknown): Promise<Map<string, MetricDefinition>> {
  const keys = new Set<string>();
  if (raw && typeof raw === 'object' && Array.isArray((raw as { rows?: unknown }).rows))
    for (const r of (raw as { rows: unknown[] }).rows) {
      const k = r && typeof r === 'object' ? (r as { metric?: unknown }).metric : undefined;
      if (typeof k === 'string') keys.add(k);
    }
  const out = new Map<string, MetricDefinition>();
  for (const k of keys) {
    const found = builtinMetric(k) ?? (await findDefinition(trx, k))?.definition;
    if (found) out.set(k, found);
  }
  return out;
}

async function checked(trx: Trx, raw: unknown): Promise<ScorecardDefinition> {
  const metrics = await metricsNamed(trx, raw);
  const c = checkScorecardDefinition(raw, (k) => metrics.get(k));
  if (!c.ok) throw invalid(c.issues);
  return c.definition;
}

export async function findScorecardDefinition(trx: Trx, key: string): Promise<ScorecardRef | null> {
  const row = await repo.findScorecard(trx, key);
  return row ? { id: row.scorecardId, definition: toView(row).definition } : null;
}

export async function listScorecards(deps: Deps, actor: Actor): Promise<ScorecardView[]> {
  mustRead(actor);
  return inTransaction(deps, actor, async (trx) => (await repo.listScorecards(trx)).map(toView));
}

export async function getScorecard(deps: Deps, actor: Actor, key: string): Promise<ScorecardView> {
  mustRead(actor);
  const row = await inTransaction(deps, actor, (trx) => repo.findScorecard(trx, key));
  if (!row) throw notFound('Scorecard');
  return toView(row);
}

export async function createScorecard(deps: Deps, actor: Actor, raw: unknown): Promise<ScorecardView> {
  mustManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const definition = await checked(trx, raw);
    if (await repo.findScorecard(trx, definition.key))
      throw new AppError('conflict', `A scorecard "${definition.key}" exists already`, { issues: [{ path: 'body.key', message: 'is taken' }] });
    const id = newId();
    await repo.insertScorecard(trx, { id, definition, userId: actor.kind === 'user' ? actor.userId : null, now: deps.clock.now() });
    await recordAudit(trx, deps, actor, { action: 'scorecard.create', entityType: 'scorecard', entityId: id, after: definition });
    const row = await repo.findScorecard(trx, definition.key);
    if (!row) throw notFound('Scorecard');
    return toView(row);
  });
}

export async function updateScorecard(deps: Deps, actor: Actor, key: string, raw: unknown): Promise<ScorecardView> {
  mustManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findScorecard(trx, key);
    if (!before) throw notFound('Scorecard');
    const definition = await checked(trx, raw);
    if (definition.key !== key) throw invalid([{ path: 'key', message: `the key is ${key}; it cannot be changed` }]);
    await repo.updateScorecard(trx, key, definition, deps.clock.now());
    await recordAudit(trx, deps, actor, {
      action: 'scorecard.update',
      entityType: 'scorecard',
      entityId: before.scorecardId,
      before: before.definition,
      after: definition,
    });
    const row = await repo.findScorecard(trx, key);
    if (!row) throw notFound('Scorecard');
    return toView(row);
  });
}

export async function deleteScorecard(deps: Deps, actor: Actor, key: string): Promise<void> {
  mustManage(actor);
  await inTransaction(deps, actor, async (trx) => {
    const before = await repo.findScorecard(trx, key);
    if (!before) throw notFound('Scorecard');
    if (Number(before.snapshots ?? 0) > 0) throw new AppError('conflict', 'The scorecard has snapshots: their history stays, so it cannot be deleted');
    await repo.deleteScorecard(trx, key);
    await recordAudit(trx, deps, actor, { action: 'scorecard.delete', entityType: 'scorecard', entityId: before.scorecardId, before: before.definition });
  });
}

/** A stored scorecard definition (computations are kept per version of it: its updated_at). */
export type ScorecardRef = { id: string; definition: ScorecardDefinition };

/** A computation: everything of a ScorecardResult but the subjects, which are paged from the stored rows. */
export type ComputedScorecard = Omit<ScorecardResult, 'subjects' | 'total' | 'limit' | 'offset'>;

const SCORE_SLICE = 1000;

/** Wall milliseconds per stage of a computation (benches pass one in to see where the time goes). */
export type ComputeStages = Partial<Record<'plan' | 'statement' | 'score' | 'targets' | 'applyTargets' | 'header' | 'store' | 'prune', number>>;

/** How long a computation is paged through before a read computes again (a `refresh` computes at once). */
export const RESULT_FRESH_MS = 5 * 60 * 1000;

function parseNumbers(body: string): (number | null)[] {
  return JSON.parse(`[${body}]`) as (number | null)[];
}

function figuresOf(row: ScorecardValuesRow, plan: ScorecardValuesPlan, periodByDay: ReadonlyMap<number, number>): SubjectFigures {
  const slots = plan.slots;
  const m = slots.length;
  const p = periodByDay.size;
  const values = new Float64Array(p * m).fill(Number.NaN);
  const currentRows = new Float64Array(m);
  const numerators = new Float64Array(m).fill(Number.NaN);
  const denominators = new Float64Array(m).fill(Number.NaN);
  // Per group: its periods' numbers, flat ([days after the first period, one value per metric] per
  // period, see ScorecardValuesRow), and the current period's details.
  const periodsOf: ((number | null)[] | null)[] = [];
  const currentOf: ((number | null)[] | null)[] = [];
  for (let g = 0; g < plan.groups; g++) {
    const x = row[`x${g}`];
    const c = row[`c${g}`];
    periodsOf.push(x ? parseNumbers(x) : null);
    currentOf.push(c ? parseNumbers(c) : null);
  }
  for (let mi = 0; mi < m; mi++) {
    const slot = slots[mi];
    if (!slot) continue;
    const flat = periodsOf[slot.group];
    if (flat) {
      const stride = 1 + (plan.widths[slot.group] ?? 0);
      for (let k = 0; k + stride <= flat.length; k += stride) {
        const pi = periodByDay.get(flat[k] as number);
        if (pi !== undefined) values[pi * m + mi] = flat[k + 1 + slot.value] ?? Number.NaN;
      }
    }
    const c = currentOf[slot.group];
    if (!c) continue;
    if (slot.ratio) {
      numerators[mi] = c[slot.current] ?? Number.NaN;
      denominators[mi] = c[slot.current + 1] ?? Number.NaN;
      currentRows[mi] = c[slot.current + 2] ?? 0;
    } else currentRows[mi] = c[slot.current] ?? 0;
  }
  return { subjectId: row.subjectId, label: row.label, parentId: row.parentId, values, currentRows, numerators, denominators };
}

/**
 * Computes a scorecard inside the caller's transaction (publication uses it too) and keeps the
 * result for paging. `periodDay` is any day of the period; `level` one of the roll-up chain of the
 * scorecard's subject kind. Every metric of every subject and trend period comes from ONE statement
 * (metrics.repository.ts, compileScorecardValues); scoring and ranking run over dense arrays
 * (scorecards.rules.ts); the rows are written as a JSON document of 1000 at a time. `stages`, when given, gets the
 * wall milliseconds of each step (benches).
 */
export async function computeInTransaction(
  trx: Trx,
  ref: ScorecardRef,
  periodDay: string,
  level: SubjectKind,
  now: Date,
  stages?: ComputeStages,
): Promise<ComputedScorecard> {
  let mark = performance.now();
  const lap = (stage: keyof ComputeStages) => {
    const t = performance.now();
    if (stages) stages[stage] = (stages[stage] ?? 0) + (t - mark);
    mark = t;
  };
  const definition = ref.definition;
  const levels = rollUpChains[definition.subjectKind];
  if (!levels.includes(level))
    throw new AppError('validation_failed', `${definition.name} rolls up to ${levels.join(', ')}`, {
      issues: [{ path: 'query.level', message: `one of ${levels.join(', ')}` }],
    });
  const grain = definition.periodGrain;
  const start = periodStartOf(periodDay, grain);
  const end = addPeriods(start, grain, 1);
  const periods = Array.from({ length: definition.trendPeriods }, (_, i) => addPeriods(start, grain, i - definition.trendPeriods + 1));

  const columns: ScoringColumn[] = [];
  const defs: (MetricDefinition | null)[] = [];
  for (const row of definition.rows) {
    const found = await findDefinition(trx, row.metric);
    if (!found) throw new AppError('conflict', `The metric ${row.metric} of ${definition.name} is no longer in the library`);
    const m = found.definition;
    const column: ScorecardMetricColumn = {
      metric: m.key,
      name: m.name,
      unit: m.unit,
      direction: m.direction,
      currency: m.currency,
      weight: row.weight,
      target: row.target,
      redFlag: row.redFlag,
      applicable: m.subjectKinds.includes(level),
    };
    columns.push({ column, measure: m.measure.kind });
    defs.push(column.applicable ? m : null);
  }
  const plan = compileScorecardValues(defs, { level, grain, periods, to: end });
  lap('plan');
  const valueRows = await computeScorecardValues(trx, plan);
  lap('statement');
  const first = Date.parse(`${periods[0] ?? start}T00:00:00Z`);
  const periodByDay = new Map(periods.map((p, i) => [Math.round((Date.parse(`${p}T00:00:00Z`) - first) / 86_400_000), i]));
  // Scored a slice at a time, giving the event loop back in between: a process that computes 50k
  // subjects still answers its other requests (readers of published snapshots) meanwhile.
  const input = { columns, periods, partnerSubjects: level === 'partner' };
  const unranked: UnrankedSubject[] = [];
  for (let i = 0; i < valueRows.length; i += SCORE_SLICE) {
    if (i > 0) await setImmediate();
    for (const r of valueRows.slice(i, i + SCORE_SLICE)) unranked.push(scoreSubject(input, figuresOf(r, plan, periodByDay)));
  }
  const ranked = rankSubjects(unranked);
  lap('score');
  const targets = await subjectTargetsFor(
    trx,
    ref.id,
    level,
    valueRows.map((r) => r.subjectId),
  );
  lap('targets');
  const scored = applySubjectTargets(
    ranked,
    columns.map((c) => c.column),
    targets,
  );
  lap('applyTargets');

  const header: ComputedScorecard = {
    scorecard: definition.key,
    name: definition.name,
    subjectKind: definition.subjectKind,
    level,
    levels: [...levels],
    grain,
    periodStart: start,
    periodEnd: end,
    periods,
    metrics: columns.map((c) => c.column),
    computedAt: now.toISOString(),
    resultId: newId(),
    subjectCount: scored.length,
  };
  await repo.insertResultHeader(trx, {
    id: header.resultId,
    scorecardId: ref.id,
    level,
    periodStart: start,
    header,
    subjectCount: scored.length,
    computedAt: now,
  });
  lap('header');
  await repo.insertResultRows(trx, header.resultId, scored);
  lap('store');
  await repo.pruneResults(trx, { scorecardId: ref.id, level, periodStart: start, now });
  lap('prune');
  return header;
}

export function scoredOf(r: repo.ResultRowRecord): ScoredSubject {
  return { ...r, status: r.status as ScoreStatus, cellStatuses: r.cellStatuses as ScoreStatus[] };
}

/** One page of a stored computation. */
export async function resultPage(trx: Trx, header: ComputedScorecard, q: SubjectPageQuery): Promise<ScorecardResult> {
  const page = await repo.resultRowsPage(trx, header.resultId, q);
  return {
    ...header,
    subjects: page.rows.map((r) => subjectRowOf(scoredOf(r), header.periods)),
    total: page.total ?? header.subjectCount,
    limit: q.limit,
    offset: q.offset,
  };
}

/**
 * The live scorecard for a period and level, one page at a time: a computation of the last few
 * minutes (of this version of the definition) is paged through; otherwise, or with `refresh`, it is
 * computed now.
 */
export async function computeScorecard(deps: Deps, actor: Actor, key: string, q: ScorecardComputeQuery): Promise<ScorecardResult> {
  mustRead(actor);
  return inTransaction(deps, actor, async (trx) => {
    const found = await findScorecardDefinition(trx, key);
    if (!found) throw notFound('Scorecard');
    const now = deps.clock.now();
    const level = q.level ?? found.definition.subjectKind;
    const periodStart = periodStartOf(q.period ?? dateOf(now), found.definition.periodGrain);
    const recent =
      q.refresh === 'true'
        ? undefined
        : await repo.findRecentResult(trx, {
            scorecardId: found.id,
            level,
            periodStart,
            since: new Date(now.getTime() - RESULT_FRESH_MS),
          });
    const header = recent ? (recent.header as ComputedScorecard) : await computeInTransaction(trx, found, q.period ?? dateOf(now), level, now);
    return resultPage(trx, header, q);
  });
}
