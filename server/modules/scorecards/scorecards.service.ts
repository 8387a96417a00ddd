import type { ScorecardComputeQuery, ScorecardMetricColumn, ScorecardResult, ScorecardView } from '../../../common/api/scorecard-results.ts';
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
import { computeMetric } from './metrics.repository.ts';
import { findDefinition } from './metrics.service.ts';
import { assembleScorecard, type MetricValues } from './scorecards.rules.ts';
import { canManageScorecards, canReadAllScores, isPartnerUser } from './scorecards.policy.ts';

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

export async function findScorecardDefinition(trx: Trx, key: string): Promise<{ id: string; definition: ScorecardDefinition } | null> {
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

/**
 * Computes a scorecard inside the caller's transaction (publication uses it too). `periodDay` is any
 * day of the period; `level` one of the roll-up chain of the scorecard's subject kind.
 */
export async function computeInTransaction(
  trx: Trx,
  definition: ScorecardDefinition,
  periodDay: string,
  level: SubjectKind,
  now: Date,
): Promise<ScorecardResult> {
  const levels = rollUpChains[definition.subjectKind];
  if (!levels.includes(level))
    throw new AppError('validation_failed', `${definition.name} rolls up to ${levels.join(', ')}`, {
      issues: [{ path: 'query.level', message: `one of ${levels.join(', ')}` }],
    });
  const grain = definition.periodGrain;
  const start = periodStartOf(periodDay, grain);
  const end = addPeriods(start, grain, 1);
  const periods = Array.from({ length: definition.trendPeriods }, (_, i) => addPeriods(start, grain, i - definition.trendPeriods + 1));
  const from = periods[0] ?? start;

  const metrics: MetricValues[] = [];
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
    const rows = column.applicable ? await computeMetric(trx, m, { subjectKind: level, grain, from, to: end }) : [];
    metrics.push({ column, measure: m.measure.kind, rows });
  }
  const ids = [...new Set(metrics.flatMap((m) => m.rows.map((r) => r.subjectId)))];
  const parents = await repo.subjectParents(trx, level, ids);
  const subjects = assembleScorecard({ metrics, periods, parents, partnerSubjects: level === 'partner' });
  return {
    scorecard: definition.key,
    name: definition.name,
    subjectKind: definition.subjectKind,
    level,
    levels: [...levels],
    grain,
    periodStart: start,
    periodEnd: end,
    periods,
    metrics: metrics.map((m) => m.column),
    subjects,
    computedAt: now.toISOString(),
  };
}

export async function computeScorecard(deps: Deps, actor: Actor, key: string, q: ScorecardComputeQuery): Promise<ScorecardResult> {
  mustRead(actor);
  return inTransaction(deps, actor, async (trx) => {
    const found = await findScorecardDefinition(trx, key);
    if (!found) throw notFound('Scorecard');
    const now = deps.clock.now();
    return computeInTransaction(trx, found.definition, q.period ?? dateOf(now), q.level ?? found.definition.subjectKind, now);
  });
}
