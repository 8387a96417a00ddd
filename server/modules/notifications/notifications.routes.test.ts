import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { createTestApp, makeUser, signIn, type TestApp } from '../../test/harness.ts';
import { postNotification } from './notifications.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the notification centre', () => {
  it('lists my notifications newest first with an unread count; marking read is idempotent; read-all clears the rest', async () => {
    const me = await makeUser(t.deps, { roles: ['operations'] });
    const other = await makeUser(t.deps, { roles: ['operations'] });
    const ids: string[] = [];
    for (const title of ['first', 'second', 'third']) {
      ids.push(
        await postNotification(t.deps, systemActor('test'), { userId: me.id, partnerId: null, kind: 'test', title, body: `about ${title}`, link: '/plan' }),
      );
      await new Promise((r) => setTimeout(r, 5));
    }
    const theirs = await postNotification(t.deps, systemActor('test'), { userId: other.id, partnerId: null, kind: 'test', title: 'not yours' });
    const s = await signIn(t.app, me.email);

    const list = (await t.app.inject({ method: 'GET', url: '/api/notifications', headers: s.headers })).json();
    expect(list.unread).toBe(3);
    expect(list.items.map((i: { title: string }) => i.title)).toEqual(['third', 'second', 'first']);
    expect(list.items[0]).toMatchObject({ body: 'about third', link: '/plan', readAt: null });

    const [firstId] = ids;
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${firstId}/read`, headers: s.headers })).statusCode).toBe(204);
    const readAt = (
      await t.deps.db
        .selectFrom('notification')
        .select('readAt')
        .where('notificationId', '=', firstId ?? '')
        .executeTakeFirstOrThrow()
    ).readAt;
    expect(readAt).not.toBeNull();
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${firstId}/read`, headers: s.headers })).statusCode).toBe(204);
    const again = (
      await t.deps.db
        .selectFrom('notification')
        .select('readAt')
        .where('notificationId', '=', firstId ?? '')
        .executeTakeFirstOrThrow()
    ).readAt;
    expect(again).toEqual(readAt);
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications', headers: s.headers })).json().unread).toBe(2);

    // Someone else's notification does not exist for me.
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${theirs}/read`, headers: s.headers })).statusCode).toBe(404);

    expect((await t.app.inject({ method: 'POST', url: '/api/notifications/read-all', headers: s.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications', headers: s.headers })).json().unread).toBe(0);
    const still = await t.deps.db.selectFrom('notification').select('readAt').where('notificationId', '=', theirs).executeTakeFirstOrThrow();
    expect(still.readAt).toBeNull();
  });
});
