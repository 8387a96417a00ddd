import { z } from 'zod';
import {
  effectiveTargetsQuery,
  effectiveTargetsResponse,
  importScorecardTargetsRequest,
  scorecardTargetList,
  setScorecardTargetsRequest,
  targetImportReport,
} from '../../../common/api/scorecard-targets.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as targets from './targets.service.ts';

const tags = ['scorecards'];
const keyParams = z.strictObject({ key: z.string().min(1).max(60) });
const targetParams = z.strictObject({ key: z.string().min(1).max(60), id: z.uuid() });

export async function scorecardTargetsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/scorecards/definitions/:key/targets',
    {
      schema: {
        tags,
        summary: "A scorecard's per-subject targets (overriding the definition's default for a subject or a partner tier)",
        params: keyParams,
        response: { 200: scorecardTargetList },
      },
    },
    async (request) => ({ items: await targets.listScorecardTargets(deps, actorOf(request), request.params.key) }),
  );
  app.get(
    '/api/scorecards/definitions/:key/targets/export',
    {
      schema: {
        tags,
        summary: "A scorecard's per-subject targets as CSV, in the import's columns (subject_label is for reading; an import ignores it)",
        params: keyParams,
      },
    },
    async (request, reply) => {
      const csv = await targets.exportScorecardTargetsCsv(deps, actorOf(request), request.params.key);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.key}-targets.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
  app.get(
    '/api/scorecards/definitions/:key/targets/effective',
    {
      schema: {
        tags,
        summary:
          'Which target and red flag apply to each metric of some subjects at a roll-up level, and why (own target, partner tier, or the scorecard default); partner users: their own organisation only',
        params: keyParams,
        querystring: effectiveTargetsQuery,
        response: { 200: effectiveTargetsResponse },
      },
    },
    async (request) => targets.effectiveTargets(deps, actorOf(request), request.params.key, request.query),
  );
  app.put(
    '/api/scorecards/definitions/:key/targets',
    {
      schema: {
        tags,
        summary: 'Set per-subject targets: all saved or none; each problem names its target and field',
        params: keyParams,
        body: setScorecardTargetsRequest,
        response: { 200: scorecardTargetList },
      },
    },
    async (request) => ({ items: await targets.setScorecardTargets(deps, actorOf(request), request.params.key, request.body) }),
  );
  app.post(
    '/api/scorecards/definitions/:key/targets/import',
    {
      schema: {
        tags,
        summary: 'Import per-subject targets from CSV: good rows are saved, the others reported by line and column',
        params: keyParams,
        body: importScorecardTargetsRequest,
        response: { 200: targetImportReport },
      },
    },
    async (request) => targets.importScorecardTargetsCsv(deps, actorOf(request), request.params.key, request.body.csv, request.body.commit),
  );
  app.delete(
    '/api/scorecards/definitions/:key/targets/:id',
    { schema: { tags, summary: 'Remove a per-subject target (the definition default applies again)', params: targetParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await targets.deleteScorecardTarget(deps, actorOf(request), request.params.key, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
