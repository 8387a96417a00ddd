import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';

/**
 * Rules of the road, across partners: B never learns who at A acknowledged, and no partner sees a
 * draft. Run twice: with the application's checks, and with them off, so RLS is shown to hold alone.
 */
for (const isolationChecks of [true, false]) {
  describe(`rules isolation (application checks ${isolationChecks ? 'on' : 'off'})`, () => {
    let t: TestApp;
    let lead: Session;
    let aAdmin: Session;
    let aSeller: Session;
    let bAdmin: Session;
    let aSellerId: string;
    let publishedId: string;
    let draftId: string;

    beforeAll(async () => {
      t = await createTestApp({ isolationChecks });
      const [a, b] = [await makePartner(t.deps, 'Alpha Resellers'), await makePartner(t.deps, 'Beta Integrators')];
      const l = await makeUser(t.deps, { roles: ['programme_lead'] });
      const aa = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: a.id, displayName: 'Alma Alpha' });
      const as = await makeUser(t.deps, { roles: ['partner_seller'], partnerId: a.id, displayName: 'Axel Alpha' });
      const ba = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: b.id, displayName: 'Bea Beta' });
      aSellerId = as.id;
      [lead, aAdmin, aSeller, bAdmin] = (await Promise.all([l, aa, as, ba].map((u) => signIn(t.app, u.email)))) as [Session, Session, Session, Session];
      const v1 = await t.app.inject({ method: 'POST', url: '/api/rules/versions', headers: lead.headers, payload: {} });
      publishedId = v1.json().id;
      expect((await t.app.inject({ method: 'POST', url: `/api/rules/versions/${publishedId}/publish`, headers: lead.headers, payload: {} })).statusCode).toBe(
        200,
      );
      const v2 = await t.app.inject({ method: 'POST', url: '/api/rules/versions', headers: lead.headers, payload: {} });
      draftId = v2.json().id;
      expect((await t.app.inject({ method: 'POST', url: `/api/rules/versions/${publishedId}/acknowledge`, headers: aSeller.headers })).statusCode).toBe(200);
    });
    afterAll(async () => t?.close());

    const get = (url: string, s: Session) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

    it("partner B's admin sees only B in the acknowledgements: no A names, ids or counts", async () => {
      const r = await get(`/api/rules/versions/${publishedId}/acknowledgements`, bAdmin);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.acknowledged).toEqual([]);
      expect(body.pending.map((p: { displayName: string }) => p.displayName)).toEqual(['Bea Beta']);
      expect(body.partnerUsers).toEqual({ acknowledged: 0, total: 1 });
      expect(body.partners).toEqual({ acknowledged: 0, total: 1 });
      expect(body.internalUsers).toEqual({ acknowledged: 0, total: 0 });
      expect(r.body).not.toContain('Alpha');
      expect(r.body).not.toContain(aSellerId);

      const own = (await get(`/api/rules/versions/${publishedId}/acknowledgements`, aAdmin)).json();
      expect(own.acknowledged.map((p: { userId: string }) => p.userId)).toEqual([aSellerId]);
      expect(JSON.stringify(own)).not.toContain('Beta');
    });

    it('no partner sees a draft: 404 on every read and on acknowledge, and the list leaves it out', async () => {
      for (const s of [aAdmin, bAdmin]) {
        for (const url of [
          `/api/rules/versions/${draftId}`,
          `/api/rules/versions/${draftId}/plain`,
          `/api/rules/versions/${draftId}/changes`,
          `/api/rules/versions/${publishedId}/changes?from=${draftId}`,
          `/api/rules/versions/${draftId}/acknowledgements`,
        ]) {
          const r = await get(url, s);
          expect(r.statusCode, url).toBe(404);
        }
        const ack = await t.app.inject({ method: 'POST', url: `/api/rules/versions/${draftId}/acknowledge`, headers: s.headers });
        expect(ack.statusCode).toBe(404);
        const list = (await get('/api/rules/versions', s)).json();
        expect(list.items.map((v: { id: string }) => v.id)).toEqual([publishedId]);
      }
      const rows = await t.deps.db.selectFrom('ruleAcknowledgement').select('ruleSetVersionId').execute();
      expect(rows.map((r) => r.ruleSetVersionId)).toEqual([publishedId]);
    });
  });
}
