import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../common/roles.ts';
import type { UserActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createTestDeps, fixedClock, type TestDeps } from '../../test/test-db.ts';
import { jobDefinitions, recurringJobs } from '../../jobs/registry.ts';
import { publishTestRules, testRules } from './registrations.test-support.ts';
import { createRegistration, expireProtections, flagSlaBreaches, transitionRegistration } from './registrations.service.ts';

const clock = fixedClock('2026-03-06T15:00:00Z');
let td: TestDeps;
let deps: Deps;
let seller: UserActor;
let reviewer: UserActor;
let escalation: { id: string };
let manager: { id: string };

async function actorFor(roles: Role[], partnerId: string | null = null, managerUserId: string | null = null): Promise<UserActor> {
  const u = await makeUser(deps, { roles, partnerId });
  if (managerUserId) await deps.db.updateTable('appUser').set({ managerUserId }).where('appUserId', '=', u.id).execute();
  return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId, roles, via: 'session', requestId: null };
}

async function notificationsOf(userId: string) {
  return deps.db.selectFrom('notification').select(['kind', 'title']).where('appUserId', '=', userId).where('kind', '=', 'registration.sla_breached').execute();
}

const body = (name: string, scenario = 'consulting') => ({
  scenario,
  endCustomerName: name,
  endCustomerDomain: null,
  endCustomerCountry: 'DE',
  endCustomerTaxId: null,
  productLine: null,
  region: null,
  valueMinor: 5_000_000,
  currency: 'EUR',
  expectedCloseOn: null,
  description: null,
  submit: true,
});

beforeAll(async () => {
  td = await createTestDeps({ clock });
  deps = td.deps;
  const p = await makePartner(deps);
  seller = await actorFor(['partner_seller'], p.id);
  manager = await makeUser(deps, { roles: ['operations'] });
  escalation = await makeUser(deps, { roles: ['programme_lead'] });
  reviewer = await actorFor(['delivery'], null, manager.id);
  await publishTestRules(
    deps,
    testRules({
      routes: [
        {
          id: 'catch_all',
          scenarios: null,
          regions: null,
          productLines: null,
          tiers: null,
          owningUnit: 'Delivery',
          reviewerUserId: reviewer.userId,
          escalationUserId: null,
          responseBusinessDays: 2,
        },
        {
          id: 'migrations',
          scenarios: ['migration'],
          regions: null,
          productLines: null,
          tiers: null,
          owningUnit: 'Migrations',
          reviewerUserId: reviewer.userId,
          escalationUserId: escalation.id,
          responseBusinessDays: 1,
        },
      ],
    }),
  );
});
afterAll(async () => td?.close());

describe('the SLA timer', () => {
  it('is registered: every five minutes, and daily for expiries', () => {
    expect(recurringJobs).toContainEqual({ name: 'engagement.sla-breach-check', everySeconds: 300 });
    expect(recurringJobs).toContainEqual({ name: 'engagement.daily-expiry', everySeconds: 86_400 });
    expect(jobDefinitions.map((j) => j.name)).toEqual(expect.arrayContaining(['engagement.sla-breach-check', 'engagement.daily-expiry']));
  });

  it("flags a breach once, notifies the route's escalation user and the reviewer exactly once", async () => {
    clock.set('2026-03-06T15:00:00Z');
    const { registration } = await createRegistration(deps, seller, body('Slow Migration Co', 'migration'));
    // Friday + 1 business day = Monday 15:00: not yet at Monday 14:59.
    expect(registration.sla.dueAt).toBe('2026-03-09T15:00:00.000Z');
    clock.set('2026-03-09T14:59:00Z');
    expect(await flagSlaBreaches(deps)).toBe(0);
    clock.set('2026-03-09T15:05:00Z');
    expect(await flagSlaBreaches(deps)).toBe(1);
    clock.set('2026-03-09T15:10:00Z');
    expect(await flagSlaBreaches(deps)).toBe(0);
    expect(await notificationsOf(escalation.id)).toHaveLength(1);
    expect(await notificationsOf(reviewer.userId)).toHaveLength(1);
    expect(await notificationsOf(manager.id)).toHaveLength(0);
    const row = await deps.db.selectFrom('dealRegistration').selectAll().where('dealRegistrationId', '=', registration.id).executeTakeFirstOrThrow();
    expect(row.slaBreachedAt?.toISOString()).toBe('2026-03-09T15:05:00.000Z');
    const events = await deps.db.selectFrom('registrationEvent').select(['kind', 'internalOnly']).where('dealRegistrationId', '=', registration.id).execute();
    expect(events.filter((e) => e.kind === 'sla_breached')).toEqual([{ kind: 'sla_breached', internalOnly: false }]);
  });

  it("without a route escalation user, the reviewer's manager hears; answered registrations are never flagged", async () => {
    clock.set('2026-03-10T09:00:00Z');
    const late = await createRegistration(deps, seller, body('Late Consulting'));
    const answered = await createRegistration(deps, seller, body('Answered Consulting'));
    await transitionRegistration(deps, reviewer, answered.registration.id, { action: 'start_review' });
    clock.set('2026-03-13T09:00:00Z');
    expect(await flagSlaBreaches(deps)).toBe(1);
    expect(await notificationsOf(manager.id)).toHaveLength(1);
    const ids = (await deps.db.selectFrom('dealRegistration').select('dealRegistrationId').where('slaBreachedAt', 'is not', null).execute()).map(
      (r) => r.dealRegistrationId,
    );
    expect(ids).toContain(late.registration.id);
    expect(ids).not.toContain(answered.registration.id);
  });
});

describe('protection expiry', () => {
  it('approved registrations past their protection end become expired, with an event, once', async () => {
    clock.set('2026-04-01T10:00:00Z');
    const { registration } = await createRegistration(deps, seller, body('Protected Co'));
    const approved = await transitionRegistration(deps, reviewer, registration.id, { action: 'approve' });
    expect(approved.protectionEndsOn).toBe('2026-06-30');
    clock.set('2026-06-30T23:00:00Z');
    expect(await expireProtections(deps)).toBe(0);
    clock.set('2026-07-01T00:30:00Z');
    expect(await expireProtections(deps)).toBe(1);
    expect(await expireProtections(deps)).toBe(0);
    const row = await deps.db
      .selectFrom('dealRegistration')
      .select(['status', 'closedAt'])
      .where('dealRegistrationId', '=', registration.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    const events = await deps.db
      .selectFrom('registrationEvent')
      .select(['kind', 'fromStatus', 'toStatus'])
      .where('dealRegistrationId', '=', registration.id)
      .execute();
    expect(events).toContainEqual({ kind: 'expired', fromStatus: 'approved', toStatus: 'expired' });
  });
});
