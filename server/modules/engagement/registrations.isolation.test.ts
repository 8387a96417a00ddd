import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { publishTestRules, registrationBody, testRules } from './registrations.test-support.ts';

/**
 * Partner isolation for registrations and offers, with the application's checks on and then off
 * (row-level security alone): partner B's users get 404 for A's rows on every route and see none
 * of them in lists.
 */
for (const isolationChecks of [true, false]) {
  describe(`registrations and offers between partners (application checks ${isolationChecks ? 'on' : 'off'})`, () => {
    let t: TestApp;
    let a: Session;
    let b: Session;
    let regId: string;
    let offerId: string;
    let approvedId: string;

    beforeAll(async () => {
      t = await createTestApp({ isolationChecks });
      const pa = await makePartner(t.deps);
      const pb = await makePartner(t.deps);
      a = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: pa.id })).email);
      b = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: pb.id })).email);
      const channel = await signIn(t.app, (await makeUser(t.deps, { roles: ['channel_manager'] })).email);
      await publishTestRules(t.deps, testRules());
      const draft = await t.app.inject({
        method: 'POST',
        url: '/api/registrations',
        headers: a.headers,
        payload: registrationBody({ clientReference: 'SHARED-REF' }),
      });
      regId = draft.json().id;
      const sub = await t.app.inject({ method: 'POST', url: '/api/registrations', headers: a.headers, payload: registrationBody({ submit: true }) });
      approvedId = sub.json().id;
      await t.app.inject({ method: 'POST', url: `/api/registrations/${approvedId}/transition`, headers: channel.headers, payload: { action: 'approve' } });
      const offer = await t.app.inject({
        method: 'POST',
        url: '/api/offers',
        headers: channel.headers,
        payload: { partnerId: pa.id, scenario: 'consulting', endCustomerName: 'Only For A', valueMinor: 5_000_000, currency: 'EUR', respondBy: '2099-01-01' },
      });
      offerId = offer.json().id;
      expect([draft.statusCode, sub.statusCode, offer.statusCode]).toEqual([201, 201, 201]);
    });
    afterAll(async () => t?.close());

    it('every route answers 404 for the other partner, and nothing changes', async () => {
      const calls: [string, string, object | undefined][] = [
        ['GET', `/api/registrations/${regId}`, undefined],
        ['PATCH', `/api/registrations/${regId}`, { valueMinor: 1 }],
        ['POST', `/api/registrations/${regId}/submit`, undefined],
        ['POST', `/api/registrations/${approvedId}/transition`, { action: 'mark_won' }],
        ['POST', `/api/registrations/${approvedId}/transition`, { action: 'withdraw' }],
        ['POST', `/api/registrations/${approvedId}/extension`, {}],
        ['POST', `/api/registrations/${approvedId}/extension/decision`, { decision: 'grant' }],
        ['GET', `/api/offers/${offerId}`, undefined],
        ['POST', `/api/offers/${offerId}/accept`, {}],
        ['POST', `/api/offers/${offerId}/decline`, { note: 'no' }],
      ];
      for (const [method, url, payload] of calls) {
        const res = await t.app.inject({ method: method as 'GET', url, headers: b.headers, ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
      }
      const mine = await t.app.inject({ method: 'GET', url: `/api/registrations/${approvedId}`, headers: a.headers });
      expect(mine.json().status).toBe('approved');
      expect((await t.app.inject({ method: 'GET', url: `/api/offers/${offerId}`, headers: a.headers })).json().status).toBe('offered');
    });

    it('lists and counts show none of the other partner', async () => {
      const queries: Record<string, string>[] = [{}, { status: 'approved' }, { q: 'Customer' }, { partnerId: regId }];
      for (const query of queries) {
        const list = await t.app.inject({ method: 'GET', url: '/api/registrations', headers: b.headers, query });
        expect(list.json(), JSON.stringify(query)).toEqual({ items: [], total: 0 });
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/offers', headers: b.headers })).json()).toEqual({ items: [], total: 0 });
      expect((await t.app.inject({ method: 'GET', url: '/api/registrations', headers: a.headers })).json().total).toBe(2);
    });

    it('a client reference of another partner is not a replay: it creates a new registration of its own', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/registrations',
        headers: b.headers,
        payload: registrationBody({ clientReference: 'SHARED-REF' }),
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().id).not.toBe(regId);
    });
  });
}
