import { z } from 'zod';
import { periodResultsQuery, periodResultsView } from '../../../common/api/commissions-period-results.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import { periodResults } from './period-results.service.ts';

export async function periodResultsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/periods/:id/results',
    {
      schema: {
        tags: ['commissions'],
        summary: 'Totals of every version of a period: per currency, and per participant one total per version (largest first)',
        params: z.strictObject({ id: z.uuid() }),
        querystring: periodResultsQuery,
        response: { 200: periodResultsView },
      },
    },
    async (request) => periodResults(deps, actorOf(request), request.params.id, request.query.limit),
  );
}
