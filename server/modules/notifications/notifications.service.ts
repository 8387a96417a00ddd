import type { NotificationView } from '../../../common/api/notifications.ts';
import type { Actor, UserActor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';

export type NewNotification = {
  userId: string;
  partnerId: string | null;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
};

/** Posts to a user's notification centre inside the caller's transaction (other areas call this). */
export async function notify(trx: Trx, n: NewNotification): Promise<string> {
  const notificationId = newId();
  await trx
    .insertInto('notification')
    .values({
      notificationId,
      appUserId: n.userId,
      partnerId: n.partnerId,
      kind: n.kind,
      title: n.title,
      body: n.body ?? '',
      link: n.link ?? null,
      readAt: null,
    })
    .execute();
  return notificationId;
}

export async function listMyNotifications(deps: Deps, actor: UserActor, limit = 50): Promise<{ items: NotificationView[]; unread: number }> {
  return inTransaction(deps, actor, async (trx) => {
    const [rows, unread] = await Promise.all([
      trx.selectFrom('notification').selectAll().where('appUserId', '=', actor.userId).orderBy('createdAt', 'desc').limit(limit).execute(),
      trx
        .selectFrom('notification')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('appUserId', '=', actor.userId)
        .where('readAt', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.notificationId,
        kind: r.kind,
        title: r.title,
        body: r.body,
        link: r.link,
        createdAt: new Date(r.createdAt).toISOString(),
        readAt: r.readAt?.toISOString() ?? null,
      })),
      unread: Number(unread.n),
    };
  });
}

export async function markNotificationRead(deps: Deps, actor: UserActor, notificationId: string): Promise<void> {
  await inTransaction(deps, actor, async (trx) => {
    const row = await trx
      .selectFrom('notification')
      .select(['readAt'])
      .where('notificationId', '=', notificationId)
      .where('appUserId', '=', actor.userId)
      .executeTakeFirst();
    if (!row) throw notFound('Notification');
    const readAt = row.readAt ?? deps.clock.now();
    if (!row.readAt) await trx.updateTable('notification').set({ readAt }).where('notificationId', '=', notificationId).execute();
    await recordAudit(trx, deps, actor, {
      action: 'notification.read',
      entityType: 'notification',
      entityId: notificationId,
      partnerId: actor.partnerId,
      after: { readAt },
    });
  });
}

export async function markAllNotificationsRead(deps: Deps, actor: UserActor): Promise<number> {
  return inTransaction(deps, actor, async (trx) => {
    const r = await trx
      .updateTable('notification')
      .set({ readAt: deps.clock.now() })
      .where('appUserId', '=', actor.userId)
      .where('readAt', 'is', null)
      .executeTakeFirst();
    const count = Number(r.numUpdatedRows);
    await recordAudit(trx, deps, actor, {
      action: 'notification.read_all',
      entityType: 'user',
      entityId: actor.userId,
      partnerId: actor.partnerId,
      after: { count },
    });
    return count;
  });
}

/** Used by jobs and the demo: a notification for a user, posted by the system. */
export async function postNotification(deps: Deps, actor: Actor, n: NewNotification): Promise<string> {
  return inTransaction(deps, actor, (trx) => notify(trx, n));
}
