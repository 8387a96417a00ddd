import { ruleSetContent, type RuleSetContent } from '../../../common/api/rules.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';

/**
 * Test-only: puts a rule set in force by writing the published version row directly, so the
 * registration tests do not depend on the rules versioning use-cases. Imported by tests only.
 */

export function testRules(overrides: Partial<RuleSetContent> = {}): RuleSetContent {
  return ruleSetContent.parse({
    tiers: ['registered', 'silver', 'gold', 'platinum'],
    eligibility: [
      { id: 'all', scenarios: null, minValue: null, requiredFields: [], minTier: null },
      {
        id: 'managed',
        scenarios: ['managed_service'],
        minValue: { amountMinor: 1_000_000, currency: 'EUR' },
        requiredFields: ['endCustomerCountry'],
        minTier: 'silver',
      },
    ],
    routes: [{ id: 'catch_all', scenarios: null, regions: null, productLines: null, tiers: null, owningUnit: 'Channel desk', responseBusinessDays: 2 }],
    protection: { days: 90, extensionDays: 30, maxExtensions: 1, autoApproveWhenClear: false },
    conflicts: { mode: 'first_to_register', directOwnedAccounts: 'review', nameSimilarity: 0.55 },
    crediting: [],
    ...overrides,
  });
}

let version = 1000;

/** Retires whatever is published and publishes `rules` as a new version. */
export async function publishTestRules(deps: Deps, rules: RuleSetContent): Promise<string> {
  const id = newId();
  version += 1;
  await inTransaction(deps, systemActor('test'), async (trx) => {
    const now = deps.clock.now();
    await trx.updateTable('ruleSetVersion').set({ status: 'retired', retiredAt: now }).where('status', '=', 'published').execute();
    await trx
      .insertInto('ruleSetVersion')
      .values({
        ruleSetVersionId: id,
        version,
        status: 'published',
        title: `Test rules ${version}`,
        rules: JSON.stringify(rules),
        acknowledgeBy: null,
        createdByUserId: null,
        publishedAt: now,
        publishedByUserId: null,
        retiredAt: null,
      })
      .execute();
  });
  return id;
}

/** A valid registration body for the API, with whatever the test changes. */
export function registrationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scenario: 'consulting',
    endCustomerName: `Customer ${newId().slice(0, 8)}`,
    endCustomerDomain: null,
    endCustomerCountry: 'DE',
    valueMinor: 2_500_000,
    currency: 'EUR',
    expectedCloseOn: '2026-09-30',
    ...overrides,
  };
}
