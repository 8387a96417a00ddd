import { myOpenOpportunitiesQuery, myOpenOpportunityList } from '../../../common/api/scorecard-number.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as number from './number.service.ts';

const tags = ['scorecards'];

/** Making the number, the seller's side: the open deals whose forecast category they set. */
export async function numberRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/scorecards/my-open-opportunities',
    {
      schema: {
        tags,
        summary: 'The signed-in seller\u2019s open opportunities closing in the period (to set their forecast category)',
        querystring: myOpenOpportunitiesQuery,
        response: { 200: myOpenOpportunityList },
      },
    },
    async (request) => number.myOpenOpportunities(deps, actorOf(request), request.query),
  );
}
