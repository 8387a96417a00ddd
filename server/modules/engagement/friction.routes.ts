import {
  FRICTION_DESCRIPTION,
  FRICTION_TREND_DESCRIPTION,
  frictionQuery,
  frictionReport,
  frictionTrend,
  frictionTrendQuery,
} from '../../../common/api/engagement-friction.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as friction from './friction.service.ts';

const tags = ['engagement'];

export async function frictionRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/friction',
    {
      schema: {
        tags,
        summary: 'Friction analytics: response times, SLA breaches, approval and win rates by scenario and owning unit (internal staff only)',
        description: FRICTION_DESCRIPTION,
        querystring: frictionQuery,
        response: { 200: frictionReport },
      },
    },
    async (request) => friction.getFrictionReport(deps, actorOf(request), request.query),
  );
  app.get(
    '/api/friction/trend',
    {
      schema: {
        tags,
        summary: 'Friction over time: renewal vs non-renewal scenarios per week or month (internal staff only)',
        description: FRICTION_TREND_DESCRIPTION,
        querystring: frictionTrendQuery,
        response: { 200: frictionTrend },
      },
    },
    async (request) => friction.getFrictionTrend(deps, actorOf(request), request.query),
  );
}
