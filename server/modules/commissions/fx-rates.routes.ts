import { fxRateListQuery, fxRatePage, upsertFxRateRequest, upsertFxRateResult } from '../../../common/api/commissions-fx.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as fx from './fx-rates.service.ts';

const tags = ['commissions'];

export async function fxRatesRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/fx-rates',
    {
      schema: {
        tags,
        summary: 'Dated exchange rates by pair, newest day first',
        description: 'Compensation administrators, finance and administrators.',
        querystring: fxRateListQuery,
        response: { 200: fxRatePage },
      },
    },
    async (request) => fx.listFxRates(deps, actorOf(request), request.query),
  );

  app.put(
    '/api/comp/fx-rates',
    {
      schema: {
        tags,
        summary: 'Set a pair’s rate from a day (replaces the rate of that day if there is one)',
        description:
          'A transaction recognised on a day converts at its pair’s latest rate valid on or before that day. Closed periods do not change: a later run restates them. Compensation administrators, finance and administrators.',
        body: upsertFxRateRequest,
        response: { 200: upsertFxRateResult },
      },
    },
    async (request) => fx.setFxRate(deps, actorOf(request), request.body),
  );
}
