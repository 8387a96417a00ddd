import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import { makeApprovers, type Approvers } from './comp-plans.test-support.ts';
import { assign, makePerson, publishPlan, setQuota, type Person } from './rollout.test-support.ts';

let t: TestApp;
let who: Approvers;
let sam: Person;
let sue: Person;
let samS: Session;
let sueS: Session;
let finance: Session;
let comp: Session;
let plan: { planId: string; versionId: string; rolloutId: string };

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2027-02-01T08:00:00Z') });
  who = await makeApprovers(t.deps);
  sam = await makePerson(t.deps, { name: 'Sam Seller', team: 'North' });
  sue = await makePerson(t.deps, { name: 'Sue Seller', team: 'South' });
  plan = await publishPlan(t.deps, who, {
    beforeSubmit: async (planId) => {
      await assign(t.deps, sam.participantId, planId);
      await assign(t.deps, sue.participantId, planId);
    },
  });
  await setQuota(t.deps, sam.participantId);
  samS = await signIn(t.app, sam.email);
  sueS = await signIn(t.app, sue.email);
  finance = await signIn(t.app, who.finance.email);
  comp = await signIn(t.app, (await makeUser(t.deps, { roles: ['comp_admin'] })).email);
});
afterAll(async () => t?.close());

const get = (url: string, s: Session) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const post = (url: string, s: Session, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: s.headers, payload });
const doc = (p: Person, ext = '') => `/api/comp/documents/${plan.versionId}/participants/${p.participantId}${ext}`;

describe('plan documents over HTTP', () => {
  it('serves a participant their own document as data, a printable HTML page and a PDF', async () => {
    const json = await get(doc(sam), samS);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json().examples.cases).toHaveLength(3);

    const html = await get(doc(sam, '.html'), samS);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toContain('<h1>Field sellers 2027</h1>');
    expect(html.body).toContain('Sam Seller');

    const pdf = await get(doc(sam, '.pdf?download=1'), samS);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename=".+-v1-EMP-.+\.pdf"$/);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('answers 404 to another seller, and serves comp admins and finance every document', async () => {
    for (const ext of ['', '.html', '.pdf']) {
      expect((await get(doc(sam, ext), sueS)).statusCode).toBe(404);
      expect((await get(doc(sam, ext), finance)).statusCode).toBe(200);
      expect((await get(doc(sue, ext), comp)).statusCode).toBe(200);
    }
  });
});

describe('a participant acknowledges in the browser; the dashboard shows it', () => {
  it('lists my plan, marks it opened, acknowledges it; the comp admin sees 1 acknowledged', async () => {
    const mine = await get('/api/comp/my-plan', samS);
    expect(mine.statusCode).toBe(200);
    const item = mine.json().items[0];
    expect(item.rollout).toMatchObject({ versionId: plan.versionId, planName: 'Field sellers 2027', status: 'running', deadlineOn: '2027-03-02' });
    expect(item.recipient.status).toBe('sent');
    expect((await post(`/api/comp/rollout-recipients/${item.recipient.id}/open`, samS)).json().status).toBe('opened');
    // Sue cannot act on Sam's row.
    expect((await post(`/api/comp/rollout-recipients/${item.recipient.id}/acknowledge`, sueS)).statusCode).toBe(404);
    const ack = await post(`/api/comp/rollout-recipients/${item.recipient.id}/acknowledge`, samS);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().status).toBe('acknowledged');

    const d = await get(`/api/comp/rollouts/${plan.rolloutId}`, comp);
    expect(d.statusCode).toBe(200);
    expect(d.json().counts).toMatchObject({ total: 2, acknowledged: 1, sent: 1 });
    expect(d.json().byTeam.find((x: { team: string }) => x.team === 'North')).toMatchObject({ acknowledged: 1 });
    const acked = await get(`/api/comp/rollouts/${plan.rolloutId}/recipients?status=acknowledged`, comp);
    expect(acked.json().items.map((r: { participantName: string }) => r.participantName)).toEqual(['Sam Seller']);
  });

  it('takes a dispute with a comment and refuses an empty one; sellers may not read dashboards', async () => {
    const item = (await get('/api/comp/my-plan', sueS)).json().items[0];
    expect((await post(`/api/comp/rollout-recipients/${item.recipient.id}/dispute`, sueS, { comment: '  ' })).statusCode).toBe(400);
    const r = await post(`/api/comp/rollout-recipients/${item.recipient.id}/dispute`, sueS, { comment: 'The cap is too low.' });
    expect(r.statusCode, r.body).toBe(200);
    const d = (await get(`/api/comp/rollouts/${plan.rolloutId}`, finance)).json();
    expect(d.disputes.map((x: { disputeComment: string }) => x.disputeComment)).toEqual(['The cap is too low.']);
    expect((await get(`/api/comp/rollouts/${plan.rolloutId}`, sueS)).statusCode).toBe(403);
    expect((await get('/api/comp/rollouts', sueS)).statusCode).toBe(403);
    expect((await post(`/api/comp/rollout-recipients/${item.recipient.id}/resolve`, finance, { comment: 'no' })).statusCode).toBe(403);
    const resolved = await post(`/api/comp/rollout-recipients/${item.recipient.id}/resolve`, comp, { comment: 'Raised the cap in version 2.' });
    expect(resolved.json()).toMatchObject({ status: 'sent', resolutionComment: 'Raised the cap in version 2.' });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/comp/rollouts/${plan.rolloutId}`,
      headers: comp.headers,
      payload: { deadlineOn: '2027-03-31' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json().clock).toMatchObject({ totalDays: 59, daysLeft: 58 });
    const empty = await t.app.inject({ method: 'PATCH', url: `/api/comp/rollouts/${plan.rolloutId}`, headers: comp.headers, payload: {} });
    expect(empty.statusCode).toBe(400);
  });
});
