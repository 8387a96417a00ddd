import { z } from 'zod';
import {
  activityImportReport,
  activityListQuery,
  activityPage,
  activityTypeList,
  activityView,
  createMetricRequest,
  importActivitiesRequest,
  logActivityRequest,
  metricCatalogueView,
  metricDefinitionList,
  metricDefinitionView,
  metricValuesQuery,
  metricValuesView,
  updateMetricRequest,
} from '../../../common/api/scorecards.ts';
import {
  saveScorecardRequest,
  scorecardComputationView,
  scorecardComputeQuery,
  scorecardList,
  scorecardResult,
  scorecardView,
  snapshotExportQuery,
  snapshotList,
  snapshotListQuery,
  snapshotPage,
  snapshotView,
  subjectPageQuery,
  takeSnapshotRequest,
} from '../../../common/api/scorecard-results.ts';
import { makingTheNumberQuery, makingTheNumberView, setForecastCategoryRequest } from '../../../common/api/scorecard-number.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as activities from './activities.service.ts';
import * as metrics from './metrics.service.ts';
import * as number from './number.service.ts';
import * as scorecards from './scorecards.service.ts';
import { snapshotPdf, snapshotXlsx } from './snapshot-export.ts';
import { snapshotTable, toCsv } from './snapshot-export.rules.ts';
import * as snapshots from './snapshots.service.ts';

const keyParams = z.strictObject({ key: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/) });
const idParams = z.strictObject({ id: z.uuid() });
const exportTypes = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
const tags = ['scorecards'];
/** An activity CSV may be far larger than an ordinary JSON request. */
const importBodyLimit = 6 * 1024 * 1024;

export async function scorecardsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/scorecards/metric-catalogue',
    { schema: { tags, summary: 'The building blocks of metric definitions: sources, fields, measures, grains', response: { 200: metricCatalogueView } } },
    async (request) => metrics.metricCatalogueView(actorOf(request)),
  );
  app.get(
    '/api/scorecards/metrics',
    { schema: { tags, summary: 'The metric library: built-in and stored definitions', response: { 200: metricDefinitionList } } },
    async (request) => ({ items: await metrics.listMetrics(deps, actorOf(request)) }),
  );
  app.post(
    '/api/scorecards/metrics',
    {
      schema: {
        tags,
        summary: 'Define a metric (checked in full before it is saved: fields, measure types, ratio denominators, units)',
        body: createMetricRequest,
        response: { 201: metricDefinitionView },
      },
    },
    async (request, reply) => reply.status(201).send(await metrics.createMetric(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/scorecards/metrics/:key',
    { schema: { tags, summary: 'One metric definition', params: keyParams, response: { 200: metricDefinitionView } } },
    async (request) => metrics.getMetric(deps, actorOf(request), request.params.key),
  );
  app.put(
    '/api/scorecards/metrics/:key',
    {
      schema: {
        tags,
        summary: 'Replace a stored definition (built-in ones are read-only)',
        params: keyParams,
        body: updateMetricRequest,
        response: { 200: metricDefinitionView },
      },
    },
    async (request) => metrics.updateMetric(deps, actorOf(request), request.params.key, request.body),
  );
  app.delete(
    '/api/scorecards/metrics/:key',
    { schema: { tags, summary: 'Remove a stored definition', params: keyParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await metrics.deleteMetric(deps, actorOf(request), request.params.key);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/scorecards/metrics/:key/values',
    {
      schema: {
        tags,
        summary: 'The metric for every subject of a kind and every period in [from, to) (one SQL statement)',
        params: keyParams,
        querystring: metricValuesQuery,
        response: { 200: metricValuesView },
      },
    },
    async (request) => metrics.computeMetricValues(deps, actorOf(request), request.params.key, request.query),
  );

  app.get(
    '/api/scorecards/activity-types',
    { schema: { tags, summary: 'The activity types (a data-defined list)', response: { 200: activityTypeList } } },
    async (request) => ({ items: await activities.listActivityTypes(deps, actorOf(request)) }),
  );
  app.get(
    '/api/scorecards/activities',
    { schema: { tags, summary: 'Activities (sellers: their own)', querystring: activityListQuery, response: { 200: activityPage } } },
    async (request) => activities.listActivities(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/scorecards/activities',
    {
      schema: {
        tags,
        summary: 'Log an activity (sellers: their own); with an externalRef, logging it again changes nothing (200)',
        body: logActivityRequest,
        response: { 200: activityView, 201: activityView },
      },
    },
    async (request, reply) => {
      const r = await activities.logActivity(deps, actorOf(request), request.body);
      return reply.status(r.created ? 201 : 200).send(r.activity);
    },
  );
  app.post(
    '/api/scorecards/activities/import',
    {
      bodyLimit: importBodyLimit,
      schema: {
        tags,
        summary: 'Import activities from CSV: a report of every row (imported, already there, or rejected with line and reason)',
        body: importActivitiesRequest,
        response: { 200: activityImportReport },
      },
    },
    async (request) => activities.importActivitiesCsv(deps, actorOf(request), request.body.csv),
  );
  // Scorecards: definitions, computation for a period, roll-up levels.
  app.get('/api/scorecards/definitions', { schema: { tags, summary: 'Scorecard definitions', response: { 200: scorecardList } } }, async (request) => ({
    items: await scorecards.listScorecards(deps, actorOf(request)),
  }));
  app.post(
    '/api/scorecards/definitions',
    {
      schema: {
        tags,
        summary: 'Define a scorecard (metric rows with weight, target and red flag; checked against the metric library)',
        body: saveScorecardRequest,
        response: { 201: scorecardView },
      },
    },
    async (request, reply) => reply.status(201).send(await scorecards.createScorecard(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/scorecards/definitions/:key',
    { schema: { tags, summary: 'One scorecard definition', params: keyParams, response: { 200: scorecardView } } },
    async (request) => scorecards.getScorecard(deps, actorOf(request), request.params.key),
  );
  app.put(
    '/api/scorecards/definitions/:key',
    { schema: { tags, summary: 'Replace a scorecard definition', params: keyParams, body: saveScorecardRequest, response: { 200: scorecardView } } },
    async (request) => scorecards.updateScorecard(deps, actorOf(request), request.params.key, request.body),
  );
  app.delete(
    '/api/scorecards/definitions/:key',
    { schema: { tags, summary: 'Remove a scorecard that has no snapshots', params: keyParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await scorecards.deleteScorecard(deps, actorOf(request), request.params.key);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/scorecards/definitions/:key/result',
    {
      schema: {
        tags,
        summary:
          'The scorecard computed for a period (live, not published): scores, overall score, ranking and trend, one page of subjects at a time, filtered by status, name or parent; a computation of the last minutes is paged through unless refresh=true',
        description: [
          `A scorecard of up to ${snapshots.inlineComputeMaxSubjects} subjects is computed before the answer; a larger one by a background job:`,
          'the answer is then 202 with the computation (queued or running; every reader asking meanwhile follows the same one),',
          'and asking again (or GET /api/scorecards/computations/:id) shows its progress until the figures are there (200).',
        ].join(' '),
        params: keyParams,
        querystring: scorecardComputeQuery,
        response: { 200: scorecardResult, 202: scorecardComputationView },
      },
    },
    async (request, reply) => {
      const r = await snapshots.liveScorecard(deps, actorOf(request), request.params.key, request.query);
      return 'computation' in r ? reply.status(202).send(r.computation) : r.result;
    },
  );
  app.get(
    '/api/scorecards/computations/:id',
    {
      schema: {
        tags,
        summary: 'A scorecard computed by a background job (large live figures, a snapshot): its status, stage, and the snapshot it made',
        params: idParams,
        response: { 200: scorecardComputationView },
      },
    },
    async (request) => snapshots.getComputation(deps, actorOf(request), request.params.id),
  );

  // Publication: snapshots, audiences, history, exports.
  app.get(
    '/api/scorecards/snapshots',
    {
      schema: {
        tags,
        summary: 'Snapshots this user may see, newest first (partners: published to them)',
        querystring: snapshotListQuery,
        response: { 200: snapshotList },
      },
    },
    async (request) => ({ items: await snapshots.listSnapshots(deps, actorOf(request), request.query) }),
  );
  app.post(
    '/api/scorecards/snapshots',
    {
      schema: {
        tags,
        summary: 'Take a snapshot of a scorecard for a period (a draft, or published at once)',
        description: [
          `A scorecard of up to ${snapshots.inlineComputeMaxSubjects} subjects is taken before the answer (201, the snapshot);`,
          'a larger one, or any with background=true, by a background job: 202 with the computation, which',
          'GET /api/scorecards/computations/:id follows until it names the snapshot.',
        ].join(' '),
        body: takeSnapshotRequest,
        response: { 201: snapshotView, 202: scorecardComputationView },
      },
    },
    async (request, reply) => {
      const r = await snapshots.requestSnapshot(deps, actorOf(request), request.body);
      return 'computation' in r ? reply.status(202).send(r.computation) : reply.status(201).send(r.snapshot);
    },
  );
  app.get(
    '/api/scorecards/snapshots/:id',
    {
      schema: {
        tags,
        summary: 'A snapshot and one page of its subjects in rank order, filtered by status, name or parent (a partner: its own row and anonymised benchmarks)',
        params: idParams,
        querystring: subjectPageQuery,
        response: { 200: snapshotPage },
      },
    },
    // Sent as the JSON bytes the service assembles (snapshotPage's shape, from rows serialised when the
    // snapshot was taken): a Buffer is written as is, past the response serialiser.
    async (request, reply) => {
      const bytes = await snapshots.getSnapshotPageJson(deps, actorOf(request), request.params.id, request.query);
      return reply.type('application/json; charset=utf-8').send(bytes as never);
    },
  );
  app.post(
    '/api/scorecards/snapshots/:id/publish',
    { schema: { tags, summary: 'Publish a draft snapshot: frozen from now on; its audience is notified', params: idParams, response: { 200: snapshotView } } },
    async (request) => snapshots.publishSnapshot(deps, actorOf(request), request.params.id),
  );
  app.delete(
    '/api/scorecards/snapshots/:id',
    { schema: { tags, summary: 'Discard a draft snapshot (published ones are frozen)', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await snapshots.discardSnapshot(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/scorecards/snapshots/:id/export',
    {
      schema: {
        tags,
        summary: 'A snapshot as CSV, XLSX (text cells starting with = + - @ tab or CR are neutralised) or a printable PDF',
        params: idParams,
        querystring: snapshotExportQuery,
      },
    },
    async (request, reply) => {
      const detail = await snapshots.getSnapshot(deps, actorOf(request), request.params.id);
      const format = request.query.format;
      const body = format === 'csv' ? toCsv(snapshotTable(detail)) : format === 'xlsx' ? await snapshotXlsx(detail) : await snapshotPdf(detail);
      const name = `${detail.scorecard}-${detail.level}-${detail.periodStart}.${format}`;
      return reply
        .header('content-type', exportTypes[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
  // Making the number: quota, bookings, open pipeline by source and forecast category, gap.
  app.get(
    '/api/scorecards/making-the-number',
    {
      schema: {
        tags,
        summary: 'For a period: quota against bookings and open pipeline (partner and direct, by forecast category), coverage and gap, per subject',
        querystring: makingTheNumberQuery,
        response: { 200: makingTheNumberView },
      },
    },
    async (request) => number.makingTheNumber(deps, actorOf(request), request.query),
  );
  app.patch(
    '/api/scorecards/opportunities/:id/forecast-category',
    {
      schema: {
        tags,
        summary: 'The owner sets the forecast category of an open opportunity',
        params: idParams,
        body: setForecastCategoryRequest,
        response: { 200: z.object({ id: z.uuid(), forecastCategory: z.string() }) },
      },
    },
    async (request) => number.setForecastCategory(deps, actorOf(request), request.params.id, request.body),
  );
}
