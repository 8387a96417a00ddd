import { afterAll, describe, expect, it } from 'vitest';
import type { ConflictList } from '../../../common/api/engagement-conflicts.ts';
import type { UserActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestApp, makePartner, makeUser, signIn, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import { publishTestRules, registrationBody, testRules } from './registrations.test-support.ts';

/**
 * Conflicts never leak to partners: every conflict route is 404 for partner users, and a partner's
 * own conflicting registration reads like any other registration awaiting review. Run with the
 * application's policy layer on and off (row-level security alone).
 */

const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

for (const isolationChecks of [true, false]) {
  describe(`conflicts stay internal (policy layer ${isolationChecks ? 'on' : 'off'})`, () => {
    it('hides the conflict, the other partner and the internal events from both partners, before and after resolution', async () => {
      const t = await createTestApp({ clock: fixedClock('2026-06-15T10:00:00Z'), isolationChecks });
      apps.push(t);
      await publishTestRules(t.deps, testRules());
      const first = await makePartner(t.deps, 'Firstcomer Partner Ltd');
      const second = await makePartner(t.deps, 'Latecomer Partner GmbH');
      const firstUser = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: first.id });
      const secondUser = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: second.id });
      const s1 = await signIn(t.app, firstUser.email);
      const s2 = await signIn(t.app, secondUser.email);
      const cm = await signIn(t.app, (await makeUser(t.deps, { roles: ['channel_manager'] })).email);

      const body = { endCustomerName: 'Quillon Aerospace', endCustomerDomain: 'quillon.example', submit: true };
      const r1 = await t.app.inject({
        method: 'POST',
        url: '/api/registrations',
        headers: s1.headers,
        payload: registrationBody({ ...body, valueMinor: 8_765_432, expectedCloseOn: '2026-11-27' }),
      });
      expect(r1.statusCode, r1.body).toBe(201);
      const firstReg = r1.json<{ id: string; reference: string }>();
      const r2 = await t.app.inject({ method: 'POST', url: '/api/registrations', headers: s2.headers, payload: registrationBody(body) });
      expect(r2.statusCode, r2.body).toBe(201);
      const secondReg = r2.json<{ id: string; status: string }>();
      // The same answer as a registration with no conflict.
      expect(secondReg.status).toBe('submitted');

      const list = await t.app.inject({ method: 'GET', url: '/api/conflicts', headers: cm.headers });
      const conflict = list.json<ConflictList>().items.find((c) => c.registration.registrationId === secondReg.id);
      expect(conflict?.other?.registrationId).toBe(firstReg.id);
      const conflictId = conflict?.id ?? '';

      const leaks = (text: string) => {
        const found: string[] = [];
        for (const needle of [
          'inConflict',
          'in_conflict',
          'conflict_detected',
          'conflict_resolved',
          'Firstcomer',
          '8765432',
          '87654.32',
          '2026-11-27',
          firstReg.reference,
          firstReg.id,
        ]) {
          if (text.includes(needle)) found.push(needle);
        }
        return found;
      };
      const readSecond = async () => {
        const own = await t.app.inject({ method: 'GET', url: `/api/registrations/${secondReg.id}`, headers: s2.headers });
        expect(own.statusCode, own.body).toBe(200);
        expect(leaks(own.body)).toEqual([]);
        const mine = await t.app.inject({ method: 'GET', url: '/api/registrations', headers: s2.headers });
        expect(mine.statusCode).toBe(200);
        expect(leaks(mine.body)).toEqual([]);
        return own.json<{ status: string; decisionReason: string | null }>();
      };
      expect((await readSecond()).status).toBe('submitted');

      for (const s of [s1, s2]) {
        for (const call of [
          { method: 'GET' as const, url: '/api/conflicts' },
          { method: 'GET' as const, url: '/api/conflicts?status=all' },
          { method: 'GET' as const, url: '/api/conflicts/heatmap' },
          { method: 'GET' as const, url: `/api/conflicts/${conflictId}` },
          { method: 'POST' as const, url: `/api/conflicts/${conflictId}/resolve`, payload: { resolution: 'reject_new', note: 'mine' } },
        ]) {
          const r = await t.app.inject({ ...call, headers: s.headers });
          expect(r.statusCode, `${call.method} ${call.url}`).toBe(404);
          expect(r.body).not.toContain('Latecomer');
          expect(r.body).not.toContain('Firstcomer');
        }
      }

      const resolved = await t.app.inject({
        method: 'POST',
        url: `/api/conflicts/${conflictId}/resolve`,
        headers: cm.headers,
        payload: { resolution: 'award_existing', note: 'Firstcomer registered first' },
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      const after = await readSecond();
      expect(after.status).toBe('rejected');
      expect(after.decisionReason).toBe('An earlier registration holds this opportunity under the rules of the road');
      const firstView = await t.app.inject({ method: 'GET', url: `/api/registrations/${firstReg.id}`, headers: s1.headers });
      expect(firstView.body).not.toContain('Latecomer');
      expect(firstView.body).not.toContain('conflict_resolved');

      // Row-level security alone, inside the second partner's own transaction.
      const actor: UserActor = {
        kind: 'user',
        userId: secondUser.id,
        email: secondUser.email,
        displayName: 'Latecomer',
        partnerId: second.id,
        roles: ['partner_admin'],
        via: 'session',
        requestId: null,
      };
      const seen = await inTransaction(t.deps, actor, async (trx) => ({
        conflicts: await trx.selectFrom('registrationConflict').selectAll().execute(),
        events: await trx.selectFrom('registrationEvent').select(['kind', 'internalOnly', 'dealRegistrationId']).execute(),
        registrations: await trx.selectFrom('dealRegistration').select('dealRegistrationId').execute(),
      }));
      expect(seen.conflicts).toEqual([]);
      expect(seen.events.filter((e) => e.internalOnly || e.dealRegistrationId !== secondReg.id)).toEqual([]);
      expect(seen.registrations.map((r) => r.dealRegistrationId)).toEqual([secondReg.id]);
    });
  });
}
