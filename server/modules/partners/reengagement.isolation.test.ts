import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';

/**
 * The partner directory additions and re-engagement, seen by a partner user: run twice, with the
 * application's checks on and with row-level security alone.
 */
for (const isolationChecks of [true, false]) {
  describe(`partner directory and re-engagement isolation (${isolationChecks ? 'policy + RLS' : 'RLS alone'})`, () => {
    let t: TestApp;
    let mine: { id: string };
    let other: { id: string };
    let seller: Session;
    let otherTaskId: string;

    beforeAll(async () => {
      t = await createTestApp({ isolationChecks });
      mine = await makePartner(t.deps, 'Iso Mine');
      other = await makePartner(t.deps, 'Iso Other');
      const cm = await makeUser(t.deps, { roles: ['channel_manager'], displayName: 'Secret Channel Manager' });
      otherTaskId = newId();
      await inTransaction(t.deps, systemActor('test'), async (trx) => {
        await trx
          .updateTable('partner')
          .set({ regions: ['EMEA'], channelManagerUserId: cm.id })
          .where('partnerId', 'in', [mine.id, other.id])
          .execute();
        for (const [partnerId, taskId] of [
          [other.id, otherTaskId],
          [mine.id, newId()],
        ] as const) {
          await trx
            .insertInto('partnerReactivationTask')
            .values({ partnerReactivationTaskId: taskId, partnerId, assignedToUserId: cm.id, reason: 'Quiet', outcome: null, quietSince: null, closedAt: null })
            .execute();
        }
      });
      // The other partner's user signs in: that is its engagement, never ours to see.
      const otherUser = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: other.id });
      await signIn(t.app, otherUser.email);
      seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: mine.id })).email);
    });
    afterAll(async () => t?.close());

    it('filtered partner lists show only the own organisation', async () => {
      for (const query of [{ region: 'EMEA' }, { q: 'Iso' }, { status: 'active' }, { tier: 'silver' }] as Record<string, string>[]) {
        const res = await t.app.inject({ method: 'GET', url: '/api/partners', headers: seller.headers, query });
        expect(res.statusCode).toBe(200);
        expect(res.json().items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
        expect(res.json().total).toBe(1);
      }
    });

    it('another partner is 404; the own last engagement is the own sign-in; internal names stay hidden under RLS', async () => {
      expect((await t.app.inject({ method: 'GET', url: `/api/partners/${other.id}`, headers: seller.headers })).statusCode).toBe(404);
      const own = (await t.app.inject({ method: 'GET', url: `/api/partners/${mine.id}`, headers: seller.headers })).json();
      const ownUser = await t.deps.db.selectFrom('appUser').select('lastLoginAt').where('partnerId', '=', mine.id).executeTakeFirstOrThrow();
      expect(own.lastEngagementAt).toBe(ownUser.lastLoginAt?.toISOString());
      // RLS hides internal users from partner scope, so the channel manager's name does not come through.
      expect(own.channelManagerName).toBeNull();
    });

    it('re-engagement is internal: routes refuse partners and RLS hides every task', async () => {
      for (const url of [
        '/api/partners/quiet',
        '/api/partners/reengagement/tasks',
        '/api/settings/engagement',
        '/api/partners/reengagement/summary?from=2026-01-01&to=2026-02-01',
      ]) {
        expect((await t.app.inject({ method: 'GET', url, headers: seller.headers })).statusCode, url).toBe(403);
      }
      const close = await t.app.inject({
        method: 'POST',
        url: `/api/partners/reengagement/tasks/${otherTaskId}/close`,
        headers: seller.headers,
        payload: { status: 'dismissed' },
      });
      expect([403, 404]).toContain(close.statusCode);
      const still = await t.deps.db
        .selectFrom('partnerReactivationTask')
        .select('status')
        .where('partnerReactivationTaskId', '=', otherTaskId)
        .executeTakeFirstOrThrow();
      expect(still.status).toBe('open');
    });
  });
}
