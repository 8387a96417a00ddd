import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { createParticipant, upsertQuotas } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { createMetric } from '../../server/modules/scorecards/metrics.service.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { insertOpportunities } from './opportunities.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('editing scorecards in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'lea@vendor.test', password, displayName: 'Lea Lead', roles: ['programme_lead'] });
    const sam = await server.createUser({ email: 'sam@vendor.test', password, displayName: 'Sam Seller', roles: ['internal_seller'] });
    const acme = await server.createPartner('Acme Partners');
    const sys = systemActor('test');
    const deps = server.deps;
    const p = await createParticipant(deps, sys, {
      externalRef: 'hr:sam',
      displayName: 'Sam Seller',
      email: null,
      appUserId: sam.id,
      managerId: null,
      team: 'Field',
      unit: 'North',
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    await upsertQuotas(deps, sys, {
      rows: [{ participantId: p.id, periodStart: '2026-04-01', periodEnd: '2026-07-01', amountMinor: 1_000_000, currency: 'USD' }],
    });
    const open = { product: 'Storage Assurance', stage: 'engaging', engageOn: '2026-04-02', closeOn: '2026-05-20' } as const;
    await insertOpportunities(deps, p.id, 'OPEN', [
      { ...open, accountName: 'Globex', partnerId: acme.id, valueMinor: 300_000 },
      { ...open, accountName: 'Initech', partnerId: null, valueMinor: 200_000 },
    ]);
    // A stored metric whose key the form will try first: only the server knows it is taken.
    await createMetric(deps, sys, {
      key: 'lost_deals',
      name: 'Lost deals',
      owner: 'Sales operations',
      unit: 'count',
      direction: 'lower_is_better',
      source: 'opportunities',
      measure: { kind: 'count', filters: [{ field: 'stage', op: 'eq', value: 'lost' }] },
      periodField: 'close_on',
      periodGrain: 'quarter',
      subjectKinds: ['seller', 'programme'],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a seller sets the forecast category of their open deals and the totals follow', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'sam@vendor.test', password);
      await page.goto('/scorecards/making-the-number?period=2026-05-01');
      const deals = page.getByRole('table', { name: 'Your open opportunities' });
      await deals.waitFor();
      expect(await deals.getByRole('row').count()).toBe(3);
      await page.getByText('commit $0.00').waitFor();
      await expectAccessible(page, 'making the number (seller)');

      await page.getByLabel('Forecast category of Globex · Storage Assurance', { exact: true }).selectOption('commit');
      await page.getByText('commit $3,000.00').waitFor();
      await page
        .getByRole('alert')
        .filter({ hasText: 'still to book' })
        .getByText(/Commit deals would leave \$7,000\.00/)
        .waitFor();
      await page.getByLabel('Forecast category of Initech · Storage Assurance', { exact: true }).selectOption('best_case');
      await page.getByRole('table', { name: 'Quota, bookings and pipeline' }).getByText('$0.00 / $2,000.00 / $0.00').waitFor();
      // Saved: a fresh page reads the categories back.
      await page.reload();
      expect(await page.getByLabel('Forecast category of Globex · Storage Assurance', { exact: true }).inputValue()).toBe('commit');
      expect(await page.getByLabel('Forecast category of Initech · Storage Assurance', { exact: true }).inputValue()).toBe('best_case');
    } finally {
      await context.close();
    }
  });

  test('the programme lead builds a metric with the form, sees problems at their fields, and uses it in a new scorecard', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'lea@vendor.test', password);
      await page.goto('/scorecards/metrics');
      await page.getByRole('button', { name: 'New metric' }).click();
      const dialog = page.getByRole('dialog', { name: 'New metric' });
      const key = dialog.getByRole('textbox', { name: 'Key' });
      // The template's key is free as far as the browser knows; the server says it is taken, at the field.
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('is taken', { exact: true }).waitFor();
      expect(await key.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'metric form');

      await key.fill('registrations_in_sla');
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Registrations answered in SLA');
      await dialog.getByLabel('Source', { exact: true }).selectOption('registrations');
      await dialog.getByLabel('Measure', { exact: true }).selectOption('ratio');
      await dialog.getByRole('button', { name: 'Add numerator filter' }).click();
      await dialog.getByLabel('Numerator filter 1: field', { exact: true }).selectOption('answered_within_sla');
      await dialog.getByText('answered_within_sla is true or false', { exact: true }).waitFor();
      await dialog.getByLabel('Numerator filter 1: value', { exact: true }).selectOption('true');
      // Still a count unit for a ratio: said at the Unit field, and Save waits.
      await dialog.getByText('a ratio of a part to its whole has the unit ratio', { exact: true }).waitFor();
      expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await dialog.getByLabel('Unit', { exact: true }).selectOption('ratio');
      await dialog.getByLabel('Direction', { exact: true }).selectOption('higher_is_better');
      expect(await dialog.getByLabel('Period date', { exact: true }).inputValue()).toBe('submitted_on');
      await dialog.getByText('No problems found.').waitFor();
      // The JSON tab shows the same definition.
      await dialog.getByRole('tab', { name: 'JSON' }).click();
      expect(JSON.parse(await dialog.getByRole('textbox', { name: 'Metric definition' }).inputValue())).toMatchObject({
        key: 'registrations_in_sla',
        source: 'registrations',
        measure: { kind: 'ratio', numerator: { kind: 'count', filters: [{ field: 'answered_within_sla', op: 'eq', value: true }] } },
        unit: 'ratio',
      });
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('table', { name: 'Metric library' }).getByText('Registrations answered in SLA', { exact: true }).waitFor();

      await page.goto('/scorecards');
      await page.getByRole('button', { name: 'New scorecard' }).click();
      const card = page.getByRole('dialog', { name: 'New scorecard' });
      await card.getByRole('textbox', { name: 'Key' }).fill('sla_card');
      await card.getByRole('textbox', { name: 'Name' }).fill('SLA card');
      await card.getByLabel('Row 1: metric', { exact: true }).selectOption('registrations_in_sla');
      await card.getByRole('textbox', { name: 'Row 1: target' }).fill('90');
      await card.getByText('Registrations answered in SLA is a ratio: targets are fractions between 0 and 1 (0.6 = 60%)', { exact: true }).waitFor();
      await card.getByRole('textbox', { name: 'Row 1: target' }).fill('0.9');
      await card.getByRole('textbox', { name: 'Row 1: red flag' }).fill('0.7');
      await card.getByRole('checkbox', { name: 'The oversight committee' }).check();
      await card.getByText('No problems found.').waitFor();
      await expectAccessible(page, 'scorecard form');
      await card.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'SLA card', level: 1 }).waitFor();
    } finally {
      await context.close();
    }
  });
});
