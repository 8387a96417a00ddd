import { z } from 'zod';
import {
  HEATMAP_DESCRIPTION,
  RESOLVE_DESCRIPTION,
  conflictDetail,
  conflictHeatmap,
  conflictList,
  conflictListQuery,
  heatmapQuery,
  resolveConflictRequest,
} from '../../../common/api/engagement-conflicts.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as conflicts from './conflicts.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['conflicts'];
const who = 'Channel managers, the programme lead and administrators; other internal roles 403; partner users 404.';

export async function conflictsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/conflicts',
    {
      schema: {
        tags,
        summary: 'List channel conflicts with both sides side by side (open first, oldest first)',
        description: who,
        querystring: conflictListQuery,
        response: { 200: conflictList },
      },
    },
    async (request) => conflicts.listConflicts(deps, actorOf(request), request.query),
  );
  app.get(
    '/api/conflicts/heatmap',
    {
      schema: {
        tags,
        summary: 'Conflict heat map: customers where direct and partner activity overlap, by scenario x country and scenario x segment',
        description: `${HEATMAP_DESCRIPTION}\n${who}`,
        querystring: heatmapQuery,
        response: { 200: conflictHeatmap },
      },
    },
    async (request) => conflicts.getConflictHeatmap(deps, actorOf(request), request.query),
  );
  app.get(
    '/api/conflicts/:id',
    {
      schema: {
        tags,
        summary: 'One conflict: both sides, the match, and the conflict policy of the rule set the registration was submitted under',
        description: who,
        params: idParams,
        response: { 200: conflictDetail },
      },
    },
    async (request) => conflicts.getConflict(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/conflicts/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a conflict with a recorded decision',
        description: `${RESOLVE_DESCRIPTION}\n${who}`,
        params: idParams,
        body: resolveConflictRequest,
        response: { 200: conflictDetail },
      },
    },
    async (request) => conflicts.resolveConflict(deps, actorOf(request), request.params.id, request.body),
  );
}
