import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { inScope } from '../../db/scope.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import * as comp from './comp-plans.service.ts';
import { makeApprovers, planDoc, publishedPlanVersion } from './comp-plans.test-support.ts';

/** This module's routes (other modules live under /api/comp/ too and test their own isolation). */
const OWN = /^\/api\/comp\/(plan-schema\.json|settings|me|plans|versions|participants|assignments|quotas)(\/|$)/;

/**
 * Internal pay is invisible to partners: a partner user gets 404 on every comp route. Run twice:
 * with the application's checks, and with them off, where the partner is let through as if it could
 * read and change everything, so row-level security alone must hide every row and refuse every write.
 */
for (const isolationChecks of [true, false]) {
  describe(`comp plans and partners (application checks ${isolationChecks ? 'on' : 'off: row-level security alone'})`, () => {
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
      const doc = planDoc({ name: 'Secret plan name' });
      const v = await publishedPlanVersion(t.deps, who, doc);
      const draft = await comp.createPlanVersion(t.deps, who.author, v.planId, {});
      const sys = systemActor('test');
      const p = await comp.createParticipant(t.deps, sys, {
        externalRef: 'SECRET-REF-1',
        displayName: 'Secret Seller',
        email: null,
        appUserId: null,
        managerId: null,
        team: 'Secret team',
        unit: null,
        territory: null,
        activeFrom: null,
        activeTo: null,
      });
      const a = await comp.createAssignment(t.deps, sys, { participantId: p.id, planId: v.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
      await comp.upsertQuotas(t.deps, sys, {
        rows: [{ participantId: p.id, periodStart: '2027-01-01', periodEnd: '2027-04-01', amountMinor: 4_242_000, currency: 'EUR' }],
      });
      Object.assign(ids, { plan: v.planId, version: v.versionId, draft: draft.id, participant: p.id, assignment: a.id });
      secrets.push(doc.key, 'Secret plan name', 'Secret Seller', 'SECRET-REF-1', 'Secret team', '4242000', v.planId, v.versionId, draft.id, p.id, a.id);
    });
    afterAll(async () => t?.close());

    async function counts(): Promise<Record<string, number>> {
      return inScope(t.deps.db, { kind: 'system' }, async (trx) => {
        const out: Record<string, number> = {};
        for (const table of ['compPlan', 'compPlanVersion', 'compPlanApproval', 'compParticipant', 'compPlanAssignment', 'compQuota'] as const) {
          const r = await trx
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow();
          out[table] = Number(r.n);
        }
        const v = await trx
          .selectFrom('compPlanVersion')
          .select(['status', 'updatedAt'])
          .where('compPlanVersionId', '=', ids.draft ?? '')
          .executeTakeFirstOrThrow();
        out.draftUpdated = new Date(v.updatedAt).getTime();
        return out;
      });
    }

    /** A plausible, valid request for each route, aimed at the internal rows. */
    function call(method: string, url: string): { url: string; payload?: object } {
      const concrete = url.replace(
        ':id',
        url.startsWith('/api/comp/plans')
          ? (ids.plan ?? '')
          : url.includes('/versions/')
            ? (ids.draft ?? '')
            : url.includes('/participants/')
              ? (ids.participant ?? '')
              : (ids.assignment ?? ''),
      );
      const bodies: Record<string, object> = {
        'PUT /api/comp/settings': { payoutCeilingMinor: 1 },
        'POST /api/comp/plans': { document: planDoc() },
        'POST /api/comp/plans/:id/versions': {},
        'PUT /api/comp/versions/:id': { changeNote: 'tampered' },
        'POST /api/comp/versions/:id/approve': { step: 'comp_admin' },
        'POST /api/comp/versions/:id/reject': { step: 'comp_admin', comment: 'no' },
        'POST /api/comp/participants': { externalRef: 'PARTNER-MADE', displayName: 'Intruder' },
        'PATCH /api/comp/participants/:id': { displayName: 'Renamed' },
        'POST /api/comp/assignments': { participantId: ids.participant, planId: ids.plan, effectiveFrom: '2030-01-01' },
        'PATCH /api/comp/assignments/:id': { effectiveTo: '2027-06-01' },
        'PUT /api/comp/quotas': {
          rows: [{ participantId: ids.participant, periodStart: '2027-01-01', periodEnd: '2027-04-01', amountMinor: 1, currency: 'EUR' }],
        },
      };
      const body = bodies[`${method} ${url}`];
      return { url: concrete, ...(body ? { payload: body } : method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) };
    }

    it('covers every comp route', () => {
      expect(routes.length).toBe(28);
    });

    it('answers a partner user 404 (or, with the checks off, an empty list) and changes nothing', async () => {
      const before = await counts();
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
          const empty =
            r.method === 'GET' &&
            ((Array.isArray(body.items) && body.items.length === 0 && body.total === 0) || (body.participant === null && body.plans?.length === 0));
          if (!empty) problems.push(`${r.method} ${r.url} answered ${res.statusCode} ${res.body.slice(0, 200)}`);
        } else if (![400, 404].includes(res.statusCode)) problems.push(`${r.method} ${r.url} answered ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
      expect(await counts()).toEqual(before);
    });
  });
}
