import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../actor.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { createRegistration } from './registrations.service.ts';
import { publishTestRules, testRules } from './registrations.test-support.ts';

/**
 * Two partners register the same end customer at the same moment. With autoApproveWhenClear the
 * first to take the customer locks gets the protection; the other is detected as a conflict and
 * waits for review, looking to its partner like any other submission.
 */
let td: TestDeps;
const sellers: UserActor[] = [];

beforeAll(async () => {
  td = await createTestDeps();
  for (const name of ['Concurrent A', 'Concurrent B']) {
    const p = await makePartner(td.deps, `${name} ${process.pid}`);
    const u = await makeUser(td.deps, { roles: ['partner_seller'], partnerId: p.id });
    sellers.push({
      kind: 'user',
      userId: u.id,
      email: u.email,
      displayName: name,
      partnerId: p.id,
      roles: ['partner_seller'],
      via: 'session',
      requestId: null,
    });
  }
  await publishTestRules(td.deps, testRules({ protection: { days: 90, extensionDays: 30, maxExtensions: 1, autoApproveWhenClear: true } }));
});
afterAll(async () => td?.close());

describe('two partners, one customer, the same moment', () => {
  it('gives exactly one protection and one conflict, ten times over', async () => {
    for (let round = 0; round < 10; round++) {
      // Names unlike each other, so rounds do not conflict with earlier rounds.
      const customer = ['Quixotic', 'Zephyrine', 'Marmalade', 'Tungsten', 'Lighthouse', 'Pemberton', 'Vocaloid', 'Honeycomb', 'Fjordline', 'Kaleidoscope'][
        round
      ]!;
      const body = (suffix: string) => ({
        scenario: 'upgrade',
        // Spelled differently by each partner: the domain is what they share.
        endCustomerName: `${customer}${suffix}`,
        endCustomerDomain: `simultaneous-${round}.example`,
        endCustomerCountry: 'DE',
        endCustomerTaxId: null,
        productLine: null,
        region: null,
        valueMinor: 2_000_000,
        currency: 'EUR',
        expectedCloseOn: null,
        description: null,
        submit: true,
      });
      const [a, b] = await Promise.all([createRegistration(td.deps, sellers[0]!, body(' GmbH')), createRegistration(td.deps, sellers[1]!, body(', Inc.'))]);
      const statuses = [a.registration.status, b.registration.status].sort();
      expect(statuses, `round ${round}`).toEqual(['approved', 'submitted']);
      // Neither partner-facing answer says anything about a conflict.
      expect(a.registration).not.toHaveProperty('internal');
      expect(b.registration).not.toHaveProperty('internal');
      expect(JSON.stringify([a, b])).not.toMatch(/conflict/i);
      const rows = await td.deps.db
        .selectFrom('dealRegistration')
        .select(['dealRegistrationId', 'status', 'inConflict'])
        .where('dealRegistrationId', 'in', [a.registration.id, b.registration.id])
        .execute();
      const approved = rows.find((r) => r.status === 'approved');
      const waiting = rows.find((r) => r.status === 'submitted');
      expect(approved?.inConflict).toBe(false);
      expect(waiting?.inConflict).toBe(true);
      const conflicts = await td.deps.db.selectFrom('registrationConflict').selectAll().where('dealRegistrationId', '=', waiting!.dealRegistrationId).execute();
      expect(conflicts).toMatchObject([{ otherRegistrationId: approved!.dealRegistrationId, kind: 'partner_vs_partner', status: 'open' }]);
    }
  });
});
