import { z } from 'zod';
import { pageOf } from '../../../common/api/paging.ts';
import {
  closeReactivationTaskRequest,
  engagementSettingsView,
  quietPartnersQuery,
  quietPartnersView,
  reactivationTaskQuery,
  reactivationTaskView,
  reengagementSummaryQuery,
  reengagementSummaryView,
  updateEngagementSettingsRequest,
} from '../../../common/api/partners-reengagement.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as reengagement from './reengagement.service.ts';

const tags = ['partners'];
const idParams = z.strictObject({ id: z.uuid() });

export async function reengagementRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/settings/engagement',
    { schema: { tags, summary: 'Engagement settings: after how many days a partner counts as quiet', response: { 200: engagementSettingsView } } },
    async (request) => reengagement.getEngagementSettings(deps, actorOf(request)),
  );
  app.put(
    '/api/settings/engagement',
    {
      schema: {
        tags,
        summary: 'Change the engagement settings (administrators)',
        body: updateEngagementSettingsRequest,
        response: { 200: engagementSettingsView },
      },
    },
    async (request) => reengagement.updateEngagementSettings(deps, actorOf(request), request.body),
  );
  app.get(
    '/api/partners/quiet',
    {
      schema: {
        tags,
        summary: 'Active partners gone quiet: no registration, offer response, sign-in or acknowledgement for the configured number of days',
        querystring: quietPartnersQuery,
        response: { 200: quietPartnersView },
      },
    },
    async (request) => reengagement.listQuietPartners(deps, actorOf(request), request.query),
  );
  app.get(
    '/api/partners/reengagement/tasks',
    { schema: { tags, summary: 'Re-activation tasks (internal only)', querystring: reactivationTaskQuery, response: { 200: pageOf(reactivationTaskView) } } },
    async (request) => reengagement.listReactivationTasks(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/partners/reengagement/tasks/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a re-activation task: done (with what came of it) or dismissed',
        params: idParams,
        body: closeReactivationTaskRequest,
        response: { 200: reactivationTaskView },
      },
    },
    async (request) => reengagement.closeReactivationTask(deps, actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/partners/reengagement/summary',
    {
      schema: {
        tags,
        summary: 'Quiet partners now, open tasks, and partners reactivated in [from, to): a registration submitted after a task was opened',
        querystring: reengagementSummaryQuery,
        response: { 200: reengagementSummaryView },
      },
    },
    async (request) => reengagement.getReengagementSummary(deps, actorOf(request), request.query),
  );
}
