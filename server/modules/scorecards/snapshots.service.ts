import { z } from 'zod';
import type {
  ScorecardComputationView,
  ScorecardComputeQuery,
  ScorecardResult,
  SnapshotDetail,
  SnapshotPage,
  SnapshotView,
  SubjectPageQuery,
  TakeSnapshotRequest,
} from '../../../common/api/scorecard-results.ts';
import {
  benchmarkView,
  scorecardMetricColumn,
  scorecardSubjectRow,
  type snapshotListQuery,
  snapshotPage,
  takeSnapshotRequest,
} from '../../../common/api/scorecard-results.ts';
import { dateOf } from '../../../common/dates.ts';
import type { SubjectKind } from '../../../common/scorecards/metric.ts';
import { addPeriods, periodLabel, periodStartOf, rollUpChains, scorecardAudience, type ScorecardAudience } from '../../../common/scorecards/scorecard.ts';
import { actorLabel, isPartnerActor, systemActor, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as defs from './scorecard-defs.repository.ts';
import { computeInTransaction, computeScorecard, findScorecardDefinition, RESULT_FRESH_MS, type ScorecardRef } from './scorecards.service.ts';
import { benchmarksOf } from './scorecards.rules.ts';
import * as repo from './snapshots.repository.ts';
import { canManageScorecards, canReadAllScores, canSeeSnapshot, isPartnerUser } from './scorecards.policy.ts';

/**
 * Publication: a snapshot freezes a computed scorecard for one period and level. Taken on demand
 * (as a draft, or published at once) or by the period-end job; once published the database refuses
 * any change to it. Audiences decide who sees it; a partner sees its own row and anonymised
 * benchmarks only. Publishing enqueues one job that notifies the audience.
 */

export const SNAPSHOT_PUBLISHED_JOB = 'scorecards.notify-snapshot-published';
export const PUBLISH_DUE_JOB = 'scorecards.publish-due';
/** A scorecard computed by the worker: the live figures of a large scorecard, or a snapshot (migration 0029). */
export const COMPUTE_JOB = 'scorecards.compute';
export const COMPUTE_JOB_ATTEMPTS = 3;
/**
 * Scorecards expected to have more subjects than this are computed by the worker, never inside an
 * API request: computing 50k subjects takes seconds of the process's CPU and memory, which the
 * readers of published snapshots would wait behind.
 */
export const inlineComputeMaxSubjects = 5000;
export type ComputeOptions = { inlineMaxSubjects?: number };

const audienceList = z.array(scorecardAudience);

/** What a view of a snapshot needs (a whole record, or the header a page read selects). */
type SnapshotHeaderFields = Omit<
  repo.SnapshotRecord,
  'definition' | 'periods' | 'metrics' | 'benchmarks' | 'scorecardId' | 'takenByUserId' | 'partnerAudience' | 'statusCounts'
>;
const stored = {
  metrics: z.array(scorecardMetricColumn),
  periods: z.array(z.string()),
  benchmarks: z.object({ overall: benchmarkView, metrics: z.array(benchmarkView) }),
  cells: scorecardSubjectRow.shape.cells,
  trend: scorecardSubjectRow.shape.trend,
};

function toView(s: SnapshotHeaderFields): SnapshotView {
  return {
    id: s.scorecardSnapshotId,
    scorecard: s.scorecardKey,
    name: s.name,
    subjectKind: s.subjectKind as SnapshotView['subjectKind'],
    level: s.level as SnapshotView['level'],
    grain: s.grain as SnapshotView['grain'],
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    status: s.status,
    trigger: s.trigger,
    audiences: audienceList.parse(s.audiences),
    subjectCount: s.subjectCount,
    takenAt: s.takenAt.toISOString(),
    takenBy: s.takenBy,
    publishedAt: s.publishedAt?.toISOString() ?? null,
    publishedBy: s.publishedBy,
  };
}

function mustPublish(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Scorecard snapshot');
  if (!canManageScorecards(actor)) throw new AppError('forbidden', 'Only the programme lead and administrators take and publish scorecard snapshots');
}

/** Team audiences matter only to internal users who do not read every score. */
function needsTeams(actor: Actor): actor is Actor & { kind: 'user' } {
  return actor.kind === 'user' && actor.partnerId === null && !canReadAllScores(actor);
}

async function myTeams(trx: Trx, actor: Actor): Promise<string[]> {
  return needsTeams(actor) ? defs.teamsOfUser(trx, actor.userId) : [];
}

/** Visible to this actor? Partners: RLS already decided (the header is visible only with their own row). */
function visible(actor: Actor, s: Pick<repo.SnapshotRecord, 'status' | 'partnerAudience' | 'audiences'>, teams: readonly string[]): boolean {
  if (isPartnerUser(actor)) return s.status === 'published' && s.partnerAudience;
  return canSeeSnapshot(actor, { status: s.status, audiences: audienceList.parse(s.audiences) }, teams);
}

async function publishInTransaction(trx: Trx, deps: Deps, by: string, s: repo.SnapshotRecord): Promise<void> {
  const audiences = audienceList.parse(s.audiences);
  await repo.publishSnapshot(
    trx,
    s.scorecardSnapshotId,
    audiences.some((a) => a.kind === 'partners'),
    deps.clock.now(),
    by,
  );
  await enqueueJob(trx, {
    name: SNAPSHOT_PUBLISHED_JOB,
    payload: { snapshotId: s.scorecardSnapshotId },
    idempotencyKey: `${SNAPSHOT_PUBLISHED_JOB}:${s.scorecardSnapshotId}`,
  });
}

/** The audiences a snapshot goes to (the scorecard's by default); partners only for a partner scorecard. */
function audiencesFor(found: ScorecardRef, asked: readonly ScorecardAudience[] | undefined): ScorecardAudience[] {
  const def = found.definition;
  const audiences = [...(asked ?? def.audiences)];
  if (audiences.some((a) => a.kind === 'partners') && def.subjectKind !== 'partner')
    throw new AppError('validation_failed', 'Only a partner scorecard is published to partners', {
      issues: [{ path: 'body.audiences', message: 'partners: only for partner scorecards' }],
    });
  return audiences;
}

/** Who took a snapshot: the acting user, or the user who asked the worker for it. */
type TakenBy = { label: string; userId: string | null };
const takenByActor = (actor: Actor): TakenBy => ({ label: actorLabel(actor), userId: actor.kind === 'user' ? actor.userId : null });

async function take(
  trx: Trx,
  deps: Deps,
  by: TakenBy,
  req: { scorecard: string; period: string; level?: string | undefined; audiences?: ScorecardAudience[] | undefined; trigger: 'on_demand' | 'schedule' },
  onComputed?: () => Promise<void>,
): Promise<string | null> {
  const found = await findScorecardDefinition(trx, req.scorecard);
  if (!found) throw notFound('Scorecard');
  const def = found.definition;
  const audiences = audiencesFor(found, req.audiences);
  const now = deps.clock.now();
  const level = (req.level ?? def.subjectKind) as typeof def.subjectKind;
  const result = await computeInTransaction(trx, found, req.period, level, now);
  await onComputed?.();
  const id = newId();
  const inserted = await repo.insertSnapshot(trx, {
    id,
    scorecardId: found.id,
    definition: def,
    level,
    periodStart: result.periodStart,
    periodEnd: result.periodEnd,
    trigger: req.trigger,
    audiences,
    periods: result.periods,
    metrics: result.metrics,
    benchmarks: benchmarksOf(await defs.resultFigures(trx, result.resultId), result.metrics.length),
    resultId: result.resultId,
    subjectCount: result.subjectCount,
    takenAt: now,
    takenBy: by.label,
    takenByUserId: by.userId,
  });
  return inserted ? id : null;
}

export async function takeSnapshot(deps: Deps, actor: Actor, raw: TakeSnapshotRequest): Promise<SnapshotView> {
  mustPublish(actor);
  const req = takeSnapshotRequest.parse(raw);
  return inTransaction(deps, actor, async (trx) => {
    const id = await take(trx, deps, takenByActor(actor), { ...req, trigger: 'on_demand' });
    if (!id) throw new AppError('conflict', 'The snapshot could not be taken');
    let s = await repo.findSnapshot(trx, id);
    if (!s) throw notFound('Scorecard snapshot');
    if (req.publish) {
      await publishInTransaction(trx, deps, actorLabel(actor), s);
      s = (await repo.findSnapshot(trx, id)) ?? s;
    }
    const view = toView(s);
    await recordAudit(trx, deps, actor, {
      action: req.publish ? 'scorecard_snapshot.publish' : 'scorecard_snapshot.take',
      entityType: 'scorecard_snapshot',
      entityId: id,
      after: view,
    });
    return view;
  });
}

export async function publishSnapshot(deps: Deps, actor: Actor, id: string): Promise<SnapshotView> {
  mustPublish(actor);
  return inTransaction(deps, actor, async (trx) => {
    const s = await repo.findSnapshot(trx, id);
    if (!s) throw notFound('Scorecard snapshot');
    if (s.status === 'published') throw new AppError('conflict', 'The snapshot is published already');
    await publishInTransaction(trx, deps, actorLabel(actor), s);
    const after = await repo.findSnapshot(trx, id);
    if (!after) throw notFound('Scorecard snapshot');
    const view = toView(after);
    await recordAudit(trx, deps, actor, {
      action: 'scorecard_snapshot.publish',
      entityType: 'scorecard_snapshot',
      entityId: id,
      before: toView(s),
      after: view,
    });
    return view;
  });
}

export async function discardSnapshot(deps: Deps, actor: Actor, id: string): Promise<void> {
  mustPublish(actor);
  await inTransaction(deps, actor, async (trx) => {
    const s = await repo.findSnapshot(trx, id);
    if (!s) throw notFound('Scorecard snapshot');
    if (s.status === 'published') throw new AppError('conflict', 'A published snapshot is frozen: it stays in the history');
    await repo.deleteSnapshot(trx, id);
    await recordAudit(trx, deps, actor, { action: 'scorecard_snapshot.discard', entityType: 'scorecard_snapshot', entityId: id, before: toView(s) });
  });
}

/** The history of what was published when (and drafts, for the people who publish). */
export async function listSnapshots(deps: Deps, actor: Actor, q: z.infer<typeof snapshotListQuery>): Promise<SnapshotView[]> {
  return inTransaction(deps, actor, async (trx) => {
    const teams = await myTeams(trx, actor);
    const rows = await repo.listSnapshots(trx, { ...q, limit: 500 });
    return rows.filter((s) => visible(actor, s, teams)).map(toView);
  });
}

type RowRecord = Awaited<ReturnType<typeof repo.snapshotRows>>[number];

type Subject = SnapshotDetail['subjects'][number];

function subjectOf(r: RowRecord): SnapshotDetail['subjects'][number] {
  return {
    subjectId: r.subjectId,
    label: r.label,
    parentId: r.parentId,
    partnerId: r.partnerId,
    rank: r.rank,
    score: r.score,
    status: r.status as SnapshotDetail['subjects'][number]['status'],
    cells: stored.cells.parse(r.cells),
    trend: stored.trend.parse(r.trend),
  };
}

async function readSnapshot<T>(
  deps: Deps,
  actor: Actor,
  id: string,
  rowsOf: (trx: Trx, partnerId: string | null) => Promise<{ subjects: Subject[]; extra: T }>,
): Promise<Omit<SnapshotDetail, 'subjects'> & { subjects: SnapshotDetail['subjects']; extra: T }> {
  return inTransaction(deps, actor, async (trx) => {
    const s = await repo.findSnapshot(trx, id);
    if (!s || !visible(actor, s, await myTeams(trx, actor))) throw notFound('Scorecard snapshot');
    const partnerId = isPartnerActor(actor) ? actor.partnerId : null;
    // The application filters to the partner's own row as well as RLS: two layers.
    const { subjects, extra } = await rowsOf(trx, deps.isolationChecks ? partnerId : null);
    if (partnerId && subjects.length === 0) throw notFound('Scorecard snapshot');
    return {
      ...toView(s),
      periods: stored.periods.parse(s.periods),
      metrics: stored.metrics.parse(s.metrics),
      benchmarks: stored.benchmarks.parse(s.benchmarks),
      subjects,
      partnerView: partnerId !== null,
      // Audiences name teams and roles: internal matters, not shown to a partner.
      ...(partnerId ? { audiences: [{ kind: 'partners' as const }] } : {}),
      extra,
    };
  });
}

/** A whole snapshot, every row (exports). */
export async function getSnapshot(deps: Deps, actor: Actor, id: string): Promise<SnapshotDetail> {
  const { extra: _none, ...detail } = await readSnapshot(deps, actor, id, async (trx, partnerId) => ({
    subjects: (await repo.snapshotRows(trx, id, partnerId)).map(subjectOf),
    extra: null,
  }));
  return detail;
}

/**
 * A snapshot as readers open it, as the response's JSON (UTF-8 bytes): the header and one page of
 * rows in rank order, filtered by status, name and parent. The rows' JSON was made when the snapshot
 * was taken (a snapshot never changes) and is spliced in as is, so a read parses and serialises only
 * the header. A partner gets its own row only (total 1), whatever the filters. A published page an
 * internal reader read before is answered from the process's cache as the very bytes sent then
 * (compact JSON, without the spaces of PostgreSQL's jsonb text).
 */
export async function getSnapshotPageJson(deps: Deps, actor: Actor, id: string, q: SubjectPageQuery): Promise<Buffer> {
  if (isPartnerActor(actor)) {
    const { extra, ...detail } = await readSnapshot(deps, actor, id, async (trx, partnerId) => {
      const rows = await repo.snapshotRows(trx, id, partnerId);
      return { subjects: rows.map(subjectOf), extra: { total: rows.length } };
    });
    const page: SnapshotPage = { ...detail, total: extra.total, limit: detail.subjects.length, offset: 0 };
    return Buffer.from(JSON.stringify(snapshotPage.parse(page)));
  }
  const cache = publishedPagesOf(deps);
  const key = JSON.stringify([id, q.limit, q.offset, q.status ?? null, q.q ?? null, q.parent ?? null]);
  // A page being read from the database by another reader is waited for rather than read again (the
  // first read of a popular snapshot comes from many readers at once).
  const loading = cache.get(key) ? undefined : cache.loading(key);
  const kept = loading ? await loading : cache.get(key);
  if (kept) {
    // Who may see it is decided on every read; only what they see is kept.
    const teams = needsTeams(actor) ? await inTransaction(deps, actor, (trx) => myTeams(trx, actor)) : [];
    if (!visible(actor, kept.facts, teams)) throw notFound('Scorecard snapshot');
    cache.touch(key, kept);
    return kept.bytes;
  }
  const read = readPageJson(deps, actor, id, q);
  cache.load(key, read);
  const page = await read;
  if (page.facts.status === 'published') cache.set(key, page);
  return page.bytes;
}

/** One page from the database (the caller's visibility checked): compact when published, to be kept. */
async function readPageJson(deps: Deps, actor: Actor, id: string, q: SubjectPageQuery): Promise<CachedPage> {
  const { json, facts } = await inTransaction(deps, actor, async (trx) => {
    const s = await repo.findSnapshotHeader(trx, id);
    if (!s || !visible(actor, s, await myTeams(trx, actor))) throw notFound('Scorecard snapshot');
    const page = await repo.snapshotPageJson(
      trx,
      { id, statusCounts: s.statusCounts as Record<string, number>, subjectCount: s.subjectCount },
      { status: q.status, q: q.q, parent: q.parent, limit: q.limit, offset: q.offset },
    );
    const head = JSON.stringify({ ...toView(s), partnerView: false, total: page.total, limit: q.limit, offset: q.offset });
    return {
      json: `${head.slice(0, -1)},"periods":${s.periodsJson},"metrics":${s.metricsJson},"benchmarks":${s.benchmarksJson},"subjects":[${page.json}]}`,
      facts: { status: s.status, partnerAudience: s.partnerAudience, audiences: s.audiences },
    };
  });
  if (facts.status !== 'published') return { bytes: Buffer.from(json), facts };
  // Kept for every later read, so made compact once: the stored JSON is PostgreSQL's text of jsonb,
  // with a space after every colon and comma (a seventh of the bytes), which every reader would
  // otherwise receive and parse. The same JSON value, a parse and a serialisation once per page.
  return { bytes: Buffer.from(JSON.stringify(JSON.parse(json))), facts };
}

/**
 * Pages of published snapshots already read, per database, least recently read dropped first past
 * PAGE_CACHE_BYTES. Sound because a published snapshot never changes (the database refuses it) nor
 * goes away; drafts are never kept. Internal readers only: a partner's read always goes through
 * row-level security.
 */
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;
type CachedPage = { bytes: Buffer; facts: Pick<repo.SnapshotRecord, 'status' | 'partnerAudience' | 'audiences'> };
class PageCache {
  #pages = new Map<string, CachedPage>();
  #bytes = 0;
  /** Reads from the database in progress, by key: a published page once read, or undefined. */
  #loading = new Map<string, Promise<CachedPage | undefined>>();
  get(key: string): CachedPage | undefined {
    return this.#pages.get(key);
  }
  /** The published page another reader is reading now; undefined when none is, or it turns out a draft or failed. */
  loading(key: string): Promise<CachedPage | undefined> | undefined {
    return this.#loading.get(key);
  }
  /** A read of `key` from the database begins (the first one is waited for by the readers that follow). */
  load(key: string, read: Promise<CachedPage>): void {
    if (this.#loading.has(key)) return;
    const kept = read.then(
      (page) => (page.facts.status === 'published' ? page : undefined),
      () => undefined,
    );
    this.#loading.set(key, kept);
    void kept.then(() => this.#loading.delete(key));
  }
  delete(key: string): void {
    const old = this.#pages.get(key);
    if (old) this.#bytes -= old.bytes.length;
    this.#pages.delete(key);
  }
  /** Read again: the most recently read now (a Map keeps insertion order). */
  touch(key: string, page: CachedPage): void {
    // A page just read by another reader may not be kept yet (or no longer): nothing to move then.
    if (this.#pages.get(key) !== page) return;
    this.#pages.delete(key);
    this.#pages.set(key, page);
  }
  set(key: string, page: CachedPage): void {
    this.delete(key);
    this.#pages.set(key, page);
    this.#bytes += page.bytes.length;
    for (const [k] of this.#pages) {
      if (this.#bytes <= PAGE_CACHE_BYTES) break;
      this.delete(k);
    }
  }
}
const pageCaches = new WeakMap<Deps['db'], PageCache>();
function publishedPagesOf(deps: Deps): PageCache {
  let c = pageCaches.get(deps.db);
  if (!c) pageCaches.set(deps.db, (c = new PageCache()));
  return c;
}

/** The job: tells every user of a published snapshot's audience (system scope). */
export async function notifySnapshotAudience(deps: Deps, snapshotId: string): Promise<number> {
  return inTransaction(deps, systemActor('worker'), async (trx) => {
    const s = await repo.findSnapshot(trx, snapshotId);
    if (!s || s.status !== 'published') return 0;
    const users = await repo.audienceUserIds(trx, snapshotId, audienceList.parse(s.audiences));
    const title = `Scorecard published: ${s.name}, ${periodLabel(s.periodStart, s.grain as 'month' | 'quarter' | 'year')}`;
    for (const u of users)
      await notify(trx, { userId: u.userId, partnerId: u.partnerId, kind: 'scorecard.published', title, link: `/scorecards/snapshots/${snapshotId}` });
    return users.length;
  });
}

/**
 * The recurring job: for every scorecard on the period_end schedule, the last period that is over
 * gets one published snapshot (the unique slot index keeps it to one however often the job runs).
 */
export async function publishDueSnapshots(deps: Deps): Promise<number> {
  const actor = systemActor('scorecards-schedule');
  const today = dateOf(deps.clock.now());
  const due = await inTransaction(deps, actor, (trx) => defs.scheduledScorecards(trx));
  let published = 0;
  for (const row of due) {
    await inTransaction(deps, actor, async (trx) => {
      const found = await findScorecardDefinition(trx, row.key);
      if (!found) return;
      const grain = found.definition.periodGrain;
      const lastOver = addPeriods(periodStartOf(today, grain), grain, -1);
      if (await repo.scheduledSnapshotExists(trx, found.id, found.definition.subjectKind, lastOver)) return;
      const id = await take(trx, deps, takenByActor(actor), { scorecard: row.key, period: lastOver, trigger: 'schedule' });
      if (!id) return;
      const s = await repo.findSnapshot(trx, id);
      if (!s) return;
      await publishInTransaction(trx, deps, actorLabel(actor), s);
      await recordAudit(trx, deps, actor, { action: 'scorecard_snapshot.publish', entityType: 'scorecard_snapshot', entityId: id, after: toView(s) });
      published++;
    });
  }
  return published;
}

// ---------------------------------------------------------------------------------------------
// Large computations: the worker's, never the API's (migration 0029)

function computationView(c: repo.ComputationRecord): ScorecardComputationView {
  return {
    computationId: c.scorecardComputationId,
    kind: c.kind,
    scorecard: c.scorecardKey,
    level: c.level as SubjectKind,
    periodStart: c.periodStart,
    status: c.status,
    stage: c.stage,
    estimatedSubjects: c.estimatedSubjects,
    subjectCount: c.subjectCount,
    expectedMs: c.expectedMs === null ? null : Number(c.expectedMs),
    createdAt: new Date(c.createdAt).toISOString(),
    startedAt: c.startedAt ? new Date(c.startedAt).toISOString() : null,
    finishedAt: c.finishedAt ? new Date(c.finishedAt).toISOString() : null,
    snapshotId: c.snapshotId,
    error: c.error,
  };
}

function levelOf(found: ScorecardRef, asked: string | undefined): SubjectKind {
  const def = found.definition;
  const levels = rollUpChains[def.subjectKind];
  const level = (asked ?? def.subjectKind) as SubjectKind;
  if (!levels.includes(level))
    throw new AppError('validation_failed', `${def.name} rolls up to ${levels.join(', ')}`, {
      issues: [{ path: 'query.level', message: `one of ${levels.join(', ')}` }],
    });
  return level;
}

/** Queues a computation and its job in the caller's transaction; false when a live one of the same slot is already queued or running. */
async function queueComputation(
  trx: Trx,
  deps: Deps,
  actor: Actor,
  c: { id: string; found: ScorecardRef; kind: 'result' | 'snapshot'; level: SubjectKind; periodDay: string; request: object; estimatedSubjects: number },
): Promise<boolean> {
  const by = takenByActor(actor);
  const inserted = await repo.insertComputation(trx, {
    id: c.id,
    scorecardId: c.found.id,
    kind: c.kind,
    level: c.level,
    periodDay: c.periodDay,
    periodStart: periodStartOf(c.periodDay, c.found.definition.periodGrain),
    request: c.request,
    estimatedSubjects: c.estimatedSubjects,
    requestedBy: by.label,
    requestedByUserId: by.userId,
    now: deps.clock.now(),
  });
  if (!inserted) return false;
  await enqueueJob(trx, { name: COMPUTE_JOB, payload: { computationId: c.id }, idempotencyKey: `${COMPUTE_JOB}:${c.id}`, maxAttempts: COMPUTE_JOB_ATTEMPTS });
  return true;
}

/**
 * Taking a snapshot as the API does: a small scorecard is taken before the answer (takeSnapshot); a
 * large one (more than `inlineMaxSubjects` expected), or any asked for in the background, is taken by
 * the worker and the answer is the computation to follow (GET /api/scorecards/computations/:id).
 * Either way one audit entry: the snapshot taken or published, or the request for it (the worker's
 * snapshot then has its own).
 */
export async function requestSnapshot(
  deps: Deps,
  actor: Actor,
  raw: TakeSnapshotRequest,
  options: ComputeOptions = {},
): Promise<{ snapshot: SnapshotView } | { computation: ScorecardComputationView }> {
  mustPublish(actor);
  const req = takeSnapshotRequest.parse(raw);
  const max = options.inlineMaxSubjects ?? inlineComputeMaxSubjects;
  const queued = await inTransaction(deps, actor, async (trx) => {
    const found = await findScorecardDefinition(trx, req.scorecard);
    if (!found) throw notFound('Scorecard');
    const audiences = audiencesFor(found, req.audiences);
    const level = levelOf(found, req.level);
    const estimatedSubjects = await repo.estimateSubjects(trx, found.id, level);
    if (req.background !== true && estimatedSubjects <= max) return null;
    const id = newId();
    const request = { ...(req.audiences ? { audiences } : {}), publish: req.publish };
    await queueComputation(trx, deps, actor, { id, found, kind: 'snapshot', level, periodDay: req.period, request, estimatedSubjects });
    const c = await repo.findComputation(trx, id);
    if (!c) throw notFound('Scorecard computation');
    const view = computationView(c);
    await recordAudit(trx, deps, actor, {
      action: 'scorecard_snapshot.request',
      entityType: 'scorecard_computation',
      entityId: id,
      after: { scorecard: req.scorecard, period: req.period, level, audiences, publish: req.publish, estimatedSubjects },
    });
    return view;
  });
  if (queued) return { computation: queued };
  return { snapshot: await takeSnapshot(deps, actor, req) };
}

function mustReadLive(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Scorecard');
  if (!canReadAllScores(actor)) throw new AppError('forbidden', 'Live scorecards are read by the programme, channel, compensation and executive roles');
}

/**
 * The live scorecard as the API serves it: a computation of the last minutes is paged through; a
 * small scorecard is computed before the answer (computeScorecard); a large one is computed by the
 * worker, and until it is done the answer is that computation (queued or running, shared by every
 * reader who asks meanwhile; a failed one says why until `refresh` asks again).
 */
export async function liveScorecard(
  deps: Deps,
  actor: Actor,
  key: string,
  q: ScorecardComputeQuery,
  options: ComputeOptions = {},
): Promise<{ result: ScorecardResult } | { computation: ScorecardComputationView }> {
  mustReadLive(actor);
  const max = options.inlineMaxSubjects ?? inlineComputeMaxSubjects;
  const pending = await inTransaction(deps, actor, async (trx) => {
    const found = await findScorecardDefinition(trx, key);
    if (!found) throw notFound('Scorecard');
    const now = deps.clock.now();
    const level = levelOf(found, q.level);
    const periodDay = q.period ?? dateOf(now);
    const slot = {
      scorecardId: found.id,
      level,
      periodStart: periodStartOf(periodDay, found.definition.periodGrain),
      since: new Date(now.getTime() - RESULT_FRESH_MS),
    };
    const latest = await repo.latestResultComputation(trx, slot);
    if (latest && (latest.status === 'queued' || latest.status === 'running')) return computationView(latest);
    const refresh = q.refresh === 'true';
    if (!refresh && (await defs.findRecentResult(trx, slot))) return null;
    if (!refresh && latest?.status === 'failed') return computationView(latest);
    const estimatedSubjects = await repo.estimateSubjects(trx, found.id, level);
    if (estimatedSubjects <= max) return null;
    const id = newId();
    const queued = await queueComputation(trx, deps, actor, { id, found, kind: 'result', level, periodDay, request: {}, estimatedSubjects });
    // Another reader queued the same computation a moment ago: follow theirs.
    const c = queued ? await repo.findComputation(trx, id) : await repo.latestResultComputation(trx, slot);
    if (!c) throw notFound('Scorecard computation');
    return computationView(c);
  });
  if (pending) return { computation: pending };
  return { result: await computeScorecard(deps, actor, key, q) };
}

/** A computation's progress: live ones for the readers of live scores, snapshots for the people who take them. */
export async function getComputation(deps: Deps, actor: Actor, id: string): Promise<ScorecardComputationView> {
  if (isPartnerUser(actor)) throw notFound('Scorecard computation');
  const c = await inTransaction(deps, actor, (trx) => repo.findComputation(trx, id));
  if (!c || !(c.kind === 'snapshot' ? canManageScorecards(actor) : canReadAllScores(actor))) throw notFound('Scorecard computation');
  return computationView(c);
}

/**
 * The job: computes what was asked in one transaction (the figures, the snapshot, its publication
 * and audit entry together), the stage reported through short transactions of its own. A failed
 * attempt goes back to the queue with its error; after the last one the computation is failed.
 */
export async function runComputationJob(deps: Deps, computationId: string, attempt: number): Promise<void> {
  const worker = systemActor('worker');
  const stage = (s: repo.ComputationRecord['stage']) => inTransaction(deps, worker, (t) => repo.updateComputation(t, computationId, { stage: s }));
  const c = await inTransaction(deps, worker, async (trx) => {
    const row = await repo.findComputation(trx, computationId);
    if (!row || row.status === 'completed' || row.status === 'failed') return null;
    await repo.updateComputation(trx, computationId, { status: 'running', stage: 'computing', startedAt: deps.clock.now() });
    return row;
  });
  if (!c) return;
  try {
    await inTransaction(deps, worker, async (trx) => {
      if (c.kind === 'result') {
        const found = await findScorecardDefinition(trx, c.scorecardKey);
        if (!found) throw notFound('Scorecard');
        const result = await computeInTransaction(trx, found, c.periodDay, c.level as SubjectKind, deps.clock.now());
        await repo.updateComputation(trx, computationId, {
          status: 'completed',
          stage: null,
          resultId: result.resultId,
          subjectCount: result.subjectCount,
          error: null,
          finishedAt: deps.clock.now(),
        });
        return;
      }
      const by = { label: c.requestedBy, userId: c.requestedByUserId };
      const asked = { scorecard: c.scorecardKey, period: c.periodDay, level: c.level, audiences: c.request.audiences, trigger: 'on_demand' as const };
      const id = await take(trx, deps, by, asked, () => stage('freezing'));
      if (!id) throw new AppError('conflict', 'The snapshot could not be taken');
      let s = await repo.findSnapshot(trx, id);
      if (!s) throw notFound('Scorecard snapshot');
      if (c.request.publish) {
        await stage('publishing');
        await publishInTransaction(trx, deps, by.label, s);
        s = (await repo.findSnapshot(trx, id)) ?? s;
      }
      await recordAudit(trx, deps, worker, {
        action: c.request.publish ? 'scorecard_snapshot.publish' : 'scorecard_snapshot.take',
        entityType: 'scorecard_snapshot',
        entityId: id,
        after: { ...toView(s), computationId },
      });
      await repo.updateComputation(trx, computationId, {
        status: 'completed',
        stage: null,
        snapshotId: id,
        subjectCount: s.subjectCount,
        error: null,
        finishedAt: deps.clock.now(),
      });
    });
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
    const last = attempt >= COMPUTE_JOB_ATTEMPTS;
    await inTransaction(deps, worker, (t) =>
      repo.updateComputation(
        t,
        computationId,
        last ? { status: 'failed', stage: null, error: message, finishedAt: deps.clock.now() } : { status: 'queued', stage: null, error: message },
      ),
    );
    if (!last) throw e;
    deps.log.error({ computationId, err: e }, 'scorecard computation failed');
  }
}
