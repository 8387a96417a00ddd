import { registrationSummary } from '../../../common/api/engagement-summary.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as summary from './registrations-summary.service.ts';

export async function registrationsSummaryRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/registrations/summary',
    {
      schema: {
        tags: ['registrations'],
        summary: 'Engagement overview for vendor staff: registrations by status and scenario, awaiting, overdue, my queue, approved this month',
        description: 'Channel staff count every registration; other internal users count those routed to them. Partner users are refused.',
        response: { 200: registrationSummary },
      },
    },
    async (request) => summary.registrationSummary(deps, actorOf(request)),
  );
}
