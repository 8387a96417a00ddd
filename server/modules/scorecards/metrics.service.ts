import type { MetricCatalogueView, MetricDefinitionView, MetricValuesQuery, MetricValuesView } from '../../../common/api/scorecards.ts';
import { builtinMetric, builtinMetricKeys, builtinMetrics } from '../../../common/scorecards/builtin-metrics.ts';
import {
  checkMetricDefinition,
  metricCatalogue,
  metricSources,
  periodGrains,
  type FieldSpec,
  type MetricDefinition,
} from '../../../common/scorecards/metric.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './metrics.repository.ts';
import { canManageMetrics, canReadAllScores, isPartnerUser } from './scorecards.policy.ts';

/** The longest span one computation may cover: 12 years of months is plenty for a trend. */
const MAX_SPAN_DAYS = 366 * 12;

function hideFromPartners(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Metric');
}

function mustRead(actor: Actor): void {
  hideFromPartners(actor);
  if (!canReadAllScores(actor)) throw new AppError('forbidden', 'Scorecard metrics are read by the programme, channel, compensation and executive roles');
}

function mustManage(actor: Actor): void {
  hideFromPartners(actor);
  if (!canManageMetrics(actor)) throw new AppError('forbidden', 'Only the programme lead and administrators change the metric library');
}

function invalidDefinition(issues: ProblemIssue[]): AppError {
  const n = issues.length;
  return new AppError('validation_failed', `The metric definition has ${n} problem${n === 1 ? '' : 's'}`, {
    issues: issues.map((i) => ({ ...i, path: `body.${i.path}` })),
  });
}

type StoredRow = Awaited<ReturnType<typeof repo.listStoredDefinitions>>[number];

function storedView(row: StoredRow): MetricDefinitionView {
  const checked = checkMetricDefinition(row.definition);
  // A stored definition was valid when saved; if the model has since tightened, it is shown as saved.
  const definition = checked.ok ? checked.definition : (row.definition as MetricDefinition);
  return { key: row.key, builtin: false, definition, createdAt: row.createdAt.toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}

function builtinView(definition: MetricDefinition): MetricDefinitionView {
  return { key: definition.key, builtin: true, definition, createdAt: null, updatedAt: null };
}

/** A metric of the library (built-in or stored), inside the caller's transaction. */
export async function findDefinition(trx: Trx, key: string): Promise<MetricDefinitionView | null> {
  const b = builtinMetric(key);
  if (b) return builtinView(b);
  const row = await repo.findStoredDefinition(trx, key);
  return row ? storedView(row) : null;
}

export function metricCatalogueView(actor: Actor): MetricCatalogueView {
  hideFromPartners(actor);
  return {
    sources: metricSources.map((source) => {
      const c = metricCatalogue[source];
      const fields: Record<string, FieldSpec> = c.fields;
      return {
        source,
        description: c.description,
        fields: Object.entries(fields).map(([name, f]) => ({ name, type: f.type, description: f.description, values: f.values ? [...f.values] : null })),
        subjectKinds: [...c.subjects],
      };
    }),
    measures: [
      { kind: 'count', description: 'Rows passing the filters' },
      { kind: 'sum', description: 'Sum of a number or money field over the rows passing the filters' },
      { kind: 'ratio', description: 'numerator / denominator: a part over its whole (counts or sums of one field), or a sum over a count (an average)' },
      { kind: 'median', description: 'Median of a number or money field (e.g. cycle_days)' },
      { kind: 'percentile', description: 'Percentile p (0 < p < 1) of a number or money field' },
    ],
    periodGrains: [...periodGrains],
  };
}

export async function listMetrics(deps: Deps, actor: Actor): Promise<MetricDefinitionView[]> {
  mustRead(actor);
  const stored = await inTransaction(deps, actor, (trx) => repo.listStoredDefinitions(trx));
  return [...builtinMetrics.map(builtinView), ...stored.map(storedView)];
}

export async function getMetric(deps: Deps, actor: Actor, key: string): Promise<MetricDefinitionView> {
  mustRead(actor);
  const found = await inTransaction(deps, actor, (trx) => findDefinition(trx, key));
  if (!found) throw notFound('Metric');
  return found;
}

function checked(raw: unknown): MetricDefinition {
  const c = checkMetricDefinition(raw);
  if (!c.ok) throw invalidDefinition(c.issues);
  return c.definition;
}

export async function createMetric(deps: Deps, actor: Actor, raw: unknown): Promise<MetricDefinitionView> {
  mustManage(actor);
  const definition = checked(raw);
  if (builtinMetricKeys.has(definition.key))
    throw new AppError('conflict', `"${definition.key}" is a built-in metric`, { issues: [{ path: 'body.key', message: 'is the key of a built-in metric' }] });
  return inTransaction(deps, actor, async (trx) => {
    if (await repo.findStoredDefinition(trx, definition.key))
      throw new AppError('conflict', `A metric "${definition.key}" exists already`, { issues: [{ path: 'body.key', message: 'is taken' }] });
    const id = newId();
    await repo.insertDefinition(trx, {
      id,
      key: definition.key,
      name: definition.name,
      definition,
      userId: actor.kind === 'user' ? actor.userId : null,
      now: deps.clock.now(),
    });
    await recordAudit(trx, deps, actor, { action: 'metric_definition.create', entityType: 'metric_definition', entityId: id, after: definition });
    const row = await repo.findStoredDefinition(trx, definition.key);
    if (!row) throw notFound('Metric');
    return storedView(row);
  });
}

export async function updateMetric(deps: Deps, actor: Actor, key: string, raw: unknown): Promise<MetricDefinitionView> {
  mustManage(actor);
  if (builtinMetricKeys.has(key)) throw new AppError('conflict', `"${key}" is a built-in metric and cannot be changed: save a copy under another key`);
  const definition = checked(raw);
  if (definition.key !== key) throw invalidDefinition([{ path: 'key', message: `the key is ${key}; it cannot be changed` }]);
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findStoredDefinition(trx, key);
    if (!before) throw notFound('Metric');
    await repo.updateDefinition(trx, key, definition, deps.clock.now());
    await recordAudit(trx, deps, actor, {
      action: 'metric_definition.update',
      entityType: 'metric_definition',
      entityId: before.metricDefinitionId,
      before: before.definition,
      after: definition,
    });
    const row = await repo.findStoredDefinition(trx, key);
    if (!row) throw notFound('Metric');
    return storedView(row);
  });
}

export async function deleteMetric(deps: Deps, actor: Actor, key: string): Promise<void> {
  mustManage(actor);
  if (builtinMetricKeys.has(key)) throw new AppError('conflict', `"${key}" is a built-in metric and cannot be deleted`);
  await inTransaction(deps, actor, async (trx) => {
    const before = await repo.findStoredDefinition(trx, key);
    if (!before) throw notFound('Metric');
    await repo.deleteDefinition(trx, key);
    await recordAudit(trx, deps, actor, {
      action: 'metric_definition.delete',
      entityType: 'metric_definition',
      entityId: before.metricDefinitionId,
      before: before.definition,
    });
  });
}

function spanDays(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/**
 * A metric's value for every subject of a kind and every period in [from, to): one SQL statement,
 * however many subjects. Only subjects with rows in a period appear for it.
 */
export async function computeMetricValues(deps: Deps, actor: Actor, key: string, q: MetricValuesQuery): Promise<MetricValuesView> {
  mustRead(actor);
  if (q.to <= q.from)
    throw new AppError('validation_failed', '`to` must be after `from`', { issues: [{ path: 'query.to', message: `must be after ${q.from}` }] });
  if (spanDays(q.from, q.to) > MAX_SPAN_DAYS)
    throw new AppError('validation_failed', 'At most 12 years at a time', { issues: [{ path: 'query.to', message: 'at most 12 years after from' }] });
  return inTransaction(deps, actor, async (trx) => {
    const found = await findDefinition(trx, key);
    if (!found) throw notFound('Metric');
    const def = found.definition;
    if (!def.subjectKinds.includes(q.subjectKind))
      throw new AppError('validation_failed', `${def.name} is not computed per ${q.subjectKind}`, {
        issues: [{ path: 'query.subjectKind', message: `one of ${def.subjectKinds.join(', ')}` }],
      });
    if (q.currency !== undefined && def.currency === null)
      throw new AppError('validation_failed', `${def.name} is not a money metric`, { issues: [{ path: 'query.currency', message: 'only for money metrics' }] });
    const grain = q.grain ?? def.periodGrain;
    const subjectIds = q.subjectId === undefined ? undefined : Array.isArray(q.subjectId) ? q.subjectId : [q.subjectId];
    const items = await repo.computeMetric(trx, def, { subjectKind: q.subjectKind, grain, from: q.from, to: q.to, subjectIds, currency: q.currency ?? null });
    return { metric: def.key, unit: def.unit, currency: q.currency ?? def.currency, subjectKind: q.subjectKind, grain, from: q.from, to: q.to, items };
  });
}

/** For other modules and tests: compute a definition that is not stored (already validated by the caller). */
export async function computeDefinition(deps: Deps, actor: Actor, definition: MetricDefinition, q: repo.MetricQuery): Promise<repo.MetricValueRow[]> {
  mustRead(actor);
  return inTransaction(deps, actor, (trx) => repo.computeMetric(trx, checked(definition), q));
}
