import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import { expireOffers } from './offers.service.ts';
import { publishTestRules, testRules } from './registrations.test-support.ts';

const clock = fixedClock('2026-05-04T09:00:00Z');
let t: TestApp;
let channel: Session;
let seller: Session;
let partnerId: string;

const offer = (o: Record<string, unknown> = {}) => ({
  partnerId,
  scenario: 'managed_service',
  endCustomerName: 'Inbox Industries',
  endCustomerDomain: 'inbox-industries.example',
  endCustomerCountry: 'DE',
  valueMinor: 9_000_000,
  currency: 'EUR',
  respondBy: '2026-05-15',
  ...o,
});

beforeAll(async () => {
  t = await createTestApp({ clock, env: { REALIGN_SESSION_HOURS: '2160' } });
  partnerId = (await makePartner(t.deps)).id;
  channel = await signIn(t.app, (await makeUser(t.deps, { roles: ['channel_manager'] })).email);
  seller = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_seller'], partnerId })).email);
  await publishTestRules(t.deps, testRules());
});
afterAll(async () => t?.close());

describe('the deal inbox', () => {
  it('a channel manager pushes, the partner sees it and accepts: a submitted registration from the vendor offer', async () => {
    const pushed = await t.app.inject({ method: 'POST', url: '/api/offers', headers: channel.headers, payload: offer() });
    expect(pushed.statusCode, pushed.body).toBe(201);
    expect(pushed.json()).toMatchObject({ status: 'offered', scenario: { key: 'managed_service' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/offers', headers: seller.headers, payload: offer() })).statusCode).toBe(403);
    const inbox = await t.app.inject({ method: 'GET', url: '/api/offers', headers: seller.headers, query: { status: 'offered' } });
    expect(inbox.json().items.map((o: { id: string }) => o.id)).toEqual([pushed.json().id]);
    expect(inbox.json().items[0].offeredByName).toBeNull();
    const notes = await t.app.inject({ method: 'GET', url: '/api/notifications', headers: seller.headers });
    expect(JSON.stringify(notes.json())).toContain('Inbox Industries');
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/offers/${pushed.json().id}/accept`,
      headers: seller.headers,
      payload: { note: 'Yes please' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', responseNote: 'Yes please', registrationReference: expect.stringMatching(/^REG-/) });
    const reg = await t.app.inject({ method: 'GET', url: `/api/registrations/${accepted.json().registrationId}`, headers: seller.headers });
    expect(reg.json()).toMatchObject({ status: 'submitted', source: 'vendor_offer', endCustomerName: 'Inbox Industries', valueMinor: 9_000_000 });
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/offers/${pushed.json().id}/decline`, headers: seller.headers, payload: { note: 'x' } })).statusCode,
    ).toBe(409);
  });

  it('an offer the rules would refuse cannot be accepted, and nothing is written', async () => {
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/api/offers',
      headers: channel.headers,
      payload: offer({ valueMinor: 10, endCustomerName: 'Tiny Co' }),
    });
    const res = await t.app.inject({ method: 'POST', url: `/api/offers/${pushed.json().id}/accept`, headers: seller.headers, payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: 'offer.valueMinor', message: expect.stringMatching(/at least/) }]);
    const again = await t.app.inject({ method: 'GET', url: `/api/offers/${pushed.json().id}`, headers: seller.headers });
    expect(again.json().status).toBe('offered');
  });

  it('declines need a note; unanswered offers expire after their respond-by day', async () => {
    const a = (await t.app.inject({ method: 'POST', url: '/api/offers', headers: channel.headers, payload: offer({ endCustomerName: 'Declined Co' }) })).json();
    expect((await t.app.inject({ method: 'POST', url: `/api/offers/${a.id}/decline`, headers: seller.headers, payload: {} })).statusCode).toBe(400);
    const d = await t.app.inject({ method: 'POST', url: `/api/offers/${a.id}/decline`, headers: seller.headers, payload: { note: 'Not our region' } });
    expect(d.json()).toMatchObject({ status: 'declined', responseNote: 'Not our region' });
    const b = (
      await t.app.inject({
        method: 'POST',
        url: '/api/offers',
        headers: channel.headers,
        payload: offer({ endCustomerName: 'Late Co', respondBy: '2026-05-06' }),
      })
    ).json();
    expect((await t.app.inject({ method: 'POST', url: '/api/offers', headers: channel.headers, payload: offer({ respondBy: '2026-05-01' }) })).statusCode).toBe(
      400,
    );
    clock.set('2026-05-06T20:00:00Z');
    expect(await expireOffers(t.deps)).toBe(0);
    clock.set('2026-05-07T01:00:00Z');
    const late = await t.app.inject({ method: 'POST', url: `/api/offers/${b.id}/accept`, headers: seller.headers, payload: {} });
    expect(late.statusCode).toBe(409);
    expect(await expireOffers(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject({ method: 'GET', url: `/api/offers/${b.id}`, headers: seller.headers })).json().status).toBe('expired');
    clock.set('2026-05-04T09:00:00Z');
  });
});
