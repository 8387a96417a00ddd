import { estimableParticipantsQuery, estimableParticipantsView, estimateRequest, estimateView } from '../../../common/api/commissions-estimator.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as estimator from './estimator.service.ts';

const tags = ['commissions'];

export async function estimatorRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.post(
    '/api/comp/estimates',
    {
      // A calculation: its transaction is read only, so it writes nothing, audit entries included.
      config: { readOnly: true },
      schema: {
        tags,
        summary: 'What an open deal would add to a participant’s pay in the payout period it would close in',
        description:
          'The participant’s fiscal year to date is credited and paid twice, with and without the deal, with the period runs’ crediting and engine; the answer is the difference per component with the engine’s explanation lines, and who else the deal would credit. Participants estimate for themselves, managers for their reports, compensation administrators, finance and administrators for anyone. An estimate changes nothing (POST only for its structured body) and is not audited.',
        body: estimateRequest,
        response: { 200: estimateView },
      },
    },
    async (request) => estimator.estimateDeal(deps, actorOf(request), request.body),
  );

  app.get(
    '/api/comp/estimates/participants',
    {
      schema: {
        tags,
        summary: 'Whom you may estimate a deal for: yourself and your reports (everyone for compensation administrators, finance and administrators)',
        querystring: estimableParticipantsQuery,
        response: { 200: estimableParticipantsView },
      },
    },
    async (request) => estimator.estimableParticipants(deps, actorOf(request), request.query),
  );
}
