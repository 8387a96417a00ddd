import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationSummary } from '../../../common/api/engagement-summary.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fixedClock } from '../../test/test-db.ts';
import { flagSlaBreaches } from './registrations.service.ts';
import { publishTestRules, registrationBody, testRules } from './registrations.test-support.ts';

// A Tuesday late in April: May starts a new month for "approved this month".
const clock = fixedClock('2026-04-28T09:00:00Z');
let t: TestApp;
let channel: Session;
let reviewer: Session;
let bystander: Session;
let partner: Session;

async function register(body: Record<string, unknown>): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/registrations', headers: partner.headers, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function act(session: Session, id: string, payload: Record<string, unknown>): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: `/api/registrations/${id}/transition`, headers: session.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
}

async function summary(session: Session): Promise<RegistrationSummary> {
  const res = await t.app.inject({ method: 'GET', url: '/api/registrations/summary', headers: session.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<RegistrationSummary>();
}

const countOf = (s: RegistrationSummary, status: string) => s.byStatus.find((x) => x.status === status)?.count;
const scenarioCount = (s: RegistrationSummary, key: string, status: string) =>
  s.byScenario.find((x) => x.scenario.key === key)?.byStatus.find((x) => x.status === status)?.count;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { REALIGN_SESSION_HOURS: '2160' } });
  const partnerId = (await makePartner(t.deps)).id;
  const cm = await makeUser(t.deps, { roles: ['channel_manager'] });
  const seller = await makeUser(t.deps, { roles: ['internal_seller'] });
  const other = await makeUser(t.deps, { roles: ['operations'] });
  channel = await signIn(t.app, cm.email);
  reviewer = await signIn(t.app, seller.email);
  bystander = await signIn(t.app, other.email);
  partner = await signIn(t.app, (await makeUser(t.deps, { roles: ['partner_admin'], partnerId })).email);
  await publishTestRules(
    t.deps,
    testRules({
      routes: [
        {
          id: 'consulting',
          scenarios: ['consulting'],
          regions: null,
          productLines: null,
          tiers: null,
          owningUnit: 'Consulting',
          reviewerUserId: seller.id,
          escalationUserId: null,
          responseBusinessDays: 2,
        },
        {
          id: 'renewals',
          scenarios: ['maintenance_renewal'],
          regions: null,
          productLines: null,
          tiers: null,
          owningUnit: 'Renewals',
          reviewerUserId: cm.id,
          escalationUserId: null,
          responseBusinessDays: 2,
        },
        {
          id: 'catch_all',
          scenarios: null,
          regions: null,
          productLines: null,
          tiers: null,
          owningUnit: 'Channel desk',
          reviewerUserId: null,
          escalationUserId: null,
          responseBusinessDays: 2,
        },
      ],
    }),
  );

  // Submitted on 28 April, due 30 April: by 4 May these wait past their SLA.
  await register(registrationBody({ scenario: 'consulting', submit: true }));
  await register(registrationBody({ scenario: 'consulting', submit: true }));
  await register(registrationBody({ scenario: 'maintenance_renewal', submit: true }));
  const approvedInApril = await register(registrationBody({ scenario: 'maintenance_renewal', submit: true }));
  await act(channel, approvedInApril, { action: 'approve' });
  await register(registrationBody({ scenario: 'upgrade' }));

  clock.set('2026-05-04T09:00:00Z');
  await flagSlaBreaches(t.deps);
  const approvedInMay = await register(registrationBody({ scenario: 'consulting', submit: true }));
  await act(reviewer, approvedInMay, { action: 'approve' });
  await act(partner, approvedInMay, { action: 'mark_won' });
  const rejected = await register(registrationBody({ scenario: 'upgrade', submit: true }));
  await act(channel, rejected, { action: 'reject', reason: 'Duplicate of an earlier registration' });
});
afterAll(async () => t?.close());

describe('GET /api/registrations/summary', () => {
  it('gives channel staff every registration by status and scenario, with the headline numbers', async () => {
    const s = await summary(channel);
    expect(s.scope).toBe('all');
    expect(s.total).toBe(7);
    expect(s.byStatus.map((x) => x.status)).toEqual([
      'draft',
      'submitted',
      'under_review',
      'more_info_requested',
      'approved',
      'rejected',
      'expired',
      'won',
      'lost',
      'withdrawn',
    ]);
    expect(countOf(s, 'draft')).toBe(1);
    expect(countOf(s, 'submitted')).toBe(3);
    expect(countOf(s, 'approved')).toBe(1);
    expect(countOf(s, 'won')).toBe(1);
    expect(countOf(s, 'rejected')).toBe(1);
    expect(s.byStatus.reduce((a, x) => a + x.count, 0)).toBe(s.total);
    expect(scenarioCount(s, 'consulting', 'submitted')).toBe(2);
    expect(scenarioCount(s, 'consulting', 'won')).toBe(1);
    expect(scenarioCount(s, 'upgrade', 'draft')).toBe(1);
    // Every active scenario is listed, with or without registrations.
    expect(s.byScenario.find((x) => x.scenario.key === 'managed_service')?.total).toBe(0);
    expect(s.byScenario.find((x) => x.scenario.key === 'maintenance_renewal')?.scenario.isRenewal).toBe(true);
    expect(s.awaitingFirstResponse).toBe(3);
    // The three submitted on 28 April are past their due time on 4 May.
    expect(s.overdue).toBe(3);
    // The channel manager reviews renewals: one open renewal waits.
    expect(s.myQueue).toBe(1);
    // Approved in May: the one now won; the April approval is last month.
    expect(s.approvedThisMonth).toBe(1);
    expect(s.monthStartsOn).toBe('2026-05-01');
    expect(s.asOf).toBe('2026-05-04T09:00:00.000Z');
  });

  it('agrees with the list endpoint on overdue and awaiting', async () => {
    const overdue = await t.app.inject({ method: 'GET', url: '/api/registrations', headers: channel.headers, query: { overdue: 'true', limit: '1' } });
    expect(overdue.json().total).toBe((await summary(channel)).overdue);
  });

  it('counts only what is routed to a reviewer who is not channel staff', async () => {
    const s = await summary(reviewer);
    expect(s.scope).toBe('routed');
    expect(s.total).toBe(3);
    expect(countOf(s, 'submitted')).toBe(2);
    expect(s.myQueue).toBe(2);
    expect(s.overdue).toBe(2);
    expect(s.approvedThisMonth).toBe(1);
    const none = await summary(bystander);
    expect(none.total).toBe(0);
    expect(none.byScenario.every((x) => x.total === 0)).toBe(true);
  });

  it('is refused to partner users and to anonymous callers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/registrations/summary', headers: partner.headers });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/registrations/summary' })).statusCode).toBe(401);
  });
});
