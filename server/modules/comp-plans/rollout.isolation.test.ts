import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope } from '../../db/scope.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { makeApprovers } from './comp-plans.test-support.ts';
import { assign, makePerson, publishPlan, rolloutPlanDoc, setQuota } from './rollout.test-support.ts';

/** The routes of plan documents and rollouts. */
const OWN = /^\/api\/comp\/(documents|my-plan|rollouts|rollout-recipients)(\/|$)/;

/**
 * Plan documents and rollouts are internal pay: a partner user gets 404 on every route (or, with the
 * application's checks off, row-level security alone hides every row and refuses every write).
 */
for (const isolationChecks of [true, false]) {
  describe(`plan rollouts and partners (application checks ${isolationChecks ? 'on' : 'off: row-level security alone'})`, () => {
    let t: TestApp;
    let partnerAdmin: Session;
    const routes: { method: string; url: string }[] = [];
    const ids: Record<string, string> = {};
    const secrets: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({
        isolationChecks,
        app: {
          onRoute: (r) => {
            for (const m of Array.isArray(r.method) ? r.method : [r.method]) if (OWN.test(r.url) && m !== 'HEAD') routes.push({ method: m, url: r.url });
          },
        },
      });
      const partner = await makePartner(t.deps);
      partnerAdmin = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId: partner.id })).email);
      const who = await makeApprovers(t.deps);
      const seller = await makePerson(t.deps, { name: 'Secret Seller', team: 'Secret team' });
      const p = await publishPlan(t.deps, who, {
        doc: rolloutPlanDoc({ name: 'Secret plan name' }),
        beforeSubmit: (planId) => assign(t.deps, seller.participantId, planId),
      });
      await setQuota(t.deps, seller.participantId, 4_242_000);
      const sellerSession = await signIn(t.app, seller.email);
      const mine = await t.app.inject({ method: 'GET', url: '/api/comp/my-plan', headers: { cookie: sellerSession.cookie } });
      const recipientId = mine.json().items[0].recipient.id as string;
      Object.assign(ids, { version: p.versionId, participant: seller.participantId, rollout: p.rolloutId, recipient: recipientId });
      secrets.push('Secret plan name', 'Secret Seller', 'Secret team', '42,420.00', p.versionId, p.rolloutId, recipientId, seller.participantId);
    });
    afterAll(async () => t?.close());

    async function states(): Promise<string> {
      return inScope(t.deps.db, { kind: 'system' }, async (trx) => {
        const a = await trx.selectFrom('compPlanRollout').select(['status', 'deadlineOn', 'updatedAt']).orderBy('compPlanRolloutId').execute();
        const b = await trx.selectFrom('compRolloutRecipient').select(['status', 'openedAt', 'updatedAt']).orderBy('compRolloutRecipientId').execute();
        return JSON.stringify([a, b]);
      });
    }

    function call(method: string, url: string): { url: string; payload?: object } {
      const concrete = url
        .replace(':versionId', ids.version ?? '')
        .replace(':participantId', ids.participant ?? '')
        .replace(':id', url.startsWith('/api/comp/rollouts') ? (ids.rollout ?? '') : (ids.recipient ?? ''));
      const bodies: Record<string, object> = {
        'POST /api/comp/rollout-recipients/:id/dispute': { comment: 'tampered' },
        'POST /api/comp/rollout-recipients/:id/resolve': { comment: 'tampered' },
        'PATCH /api/comp/rollouts/:id': { deadlineOn: '2030-01-01' },
      };
      const body = bodies[`${method} ${url}`];
      return { url: concrete, ...(body ? { payload: body } : method === 'GET' ? {} : { payload: {} }) };
    }

    it('covers every route', () => {
      expect(routes.length).toBe(12);
    });

    it('answers a partner user 404 (or, with the checks off, an empty list) and changes nothing', async () => {
      const before = await states();
      const problems: string[] = [];
      for (const r of routes) {
        const c = call(r.method, r.url);
        const res = await t.app.inject({ method: r.method as 'GET', url: c.url, headers: partnerAdmin.headers, ...(c.payload ? { payload: c.payload } : {}) });
        const leaked = secrets.filter((s) => res.body.includes(s));
        if (leaked.length > 0) problems.push(`${r.method} ${r.url} leaked ${leaked.join(', ')}`);
        if (isolationChecks) {
          if (res.statusCode !== 404) problems.push(`${r.method} ${r.url} answered ${res.statusCode}, expected 404`);
          continue;
        }
        if (res.statusCode >= 200 && res.statusCode < 300) {
          const body = res.json();
          const empty = r.method === 'GET' && ((Array.isArray(body.items) && body.items.length === 0 && (body.total ?? 0) === 0) || body.participant === null);
          if (!empty) problems.push(`${r.method} ${r.url} answered ${res.statusCode} ${res.body.slice(0, 200)}`);
        } else if (![400, 404].includes(res.statusCode)) problems.push(`${r.method} ${r.url} answered ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
      expect(await states()).toEqual(before);
    });
  });
}
