import { z } from 'zod';
import { commissionRunListQuery, commissionRunView, createCommissionRunRequest } from '../../../common/api/commissions-runs.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as runs from './runs.service.ts';

const tags = ['commissions'];

export async function runsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/runs',
    {
      schema: {
        tags,
        summary: 'Period runs, newest first',
        querystring: commissionRunListQuery,
        response: { 200: z.object({ items: z.array(commissionRunView), total: z.number().int() }) },
      },
    },
    async (request) => runs.listRuns(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/comp/runs/:id',
    {
      schema: {
        tags,
        summary: 'One period run: status, progress (participants calculated), plan versions used, result hash',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: commissionRunView },
      },
    },
    async (request) => runs.getRun(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/comp/runs',
    {
      schema: {
        tags,
        summary: 'Start a period run: credits, attainment and payouts of every participant with a plan assignment',
        description: [
          'periodStart/periodEnd must be whole payout periods of every plan involved. The run is a background job:',
          'GET /api/comp/runs/:id shows its progress until completed (with the result hash) or failed (with the reason, e.g. a missing exchange rate).',
          'Compensation administrators, finance and administrators.',
        ].join(' '),
        body: createCommissionRunRequest,
        response: { 201: commissionRunView },
      },
    },
    async (request, reply) => reply.status(201).send(await runs.createRun(deps, actorOf(request), request.body)),
  );
}
