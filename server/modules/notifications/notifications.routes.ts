import { z } from 'zod';
import { notificationList } from '../../../common/api/notifications.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as notifications from './notifications.service.ts';

const tags = ['notifications'];

export async function notificationsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get('/api/notifications', { schema: { tags, summary: 'My notification centre', response: { 200: notificationList } } }, async (request) =>
    notifications.listMyNotifications(deps, actorOf(request)),
  );
  app.post(
    '/api/notifications/:id/read',
    { schema: { tags, summary: 'Mark one notification read', params: z.strictObject({ id: z.uuid() }), response: { 204: z.null() } } },
    async (request, reply) => {
      await notifications.markNotificationRead(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/notifications/read-all',
    { schema: { tags, summary: 'Mark all my notifications read', response: { 204: z.null() } } },
    async (request, reply) => {
      await notifications.markAllNotificationsRead(deps, actorOf(request));
      return reply.status(204).send(null);
    },
  );
}
