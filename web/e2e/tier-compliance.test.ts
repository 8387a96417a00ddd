import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { createParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { savePartnerAttributes } from '../../server/modules/scorecards/tier-compliance.service.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { insertOpportunities } from './opportunities.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('partner tier compliance in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cm@vendor.test', password, displayName: 'Cleo Channel', roles: ['channel_manager'] });
    const acme = await server.createPartner('Acme Partners');
    const zenith = await server.createPartner('Zenith Integrators');
    await server.createUser({ email: 'pia@acme.test', password, displayName: 'Pia Partner', roles: ['partner_admin'], partnerId: acme.id });
    const sys = systemActor('test');
    const deps = server.deps;
    const desk = await createParticipant(deps, sys, {
      externalRef: 'hr:desk',
      displayName: 'Desk',
      email: null,
      appUserId: null,
      managerId: null,
      team: 'Field',
      unit: 'Central',
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    const today = new Date().toISOString().slice(0, 10);
    await insertOpportunities(deps, desk.id, 'T', [
      { partnerId: acme.id, stage: 'won', valueMinor: 30_000_000, engageOn: today, closeOn: today },
      { partnerId: zenith.id, stage: 'won', valueMinor: 77_700_000, engageOn: today, closeOn: today },
    ]);
    await savePartnerAttributes(deps, sys, acme.id, { values: [{ key: 'certified_people', value: 3, note: null }] });
    await savePartnerAttributes(deps, sys, zenith.id, { values: [{ key: 'certified_people', value: 7, note: null }] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a channel manager sees every partner in the table and opens one', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cm@vendor.test', password);
      await page.goto('/scorecards/tier-compliance');
      await page.getByRole('heading', { name: 'Tier compliance', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Partner tier compliance' });
      await table.getByRole('button', { name: 'Acme Partners' }).waitFor();
      await table.getByRole('button', { name: 'Zenith Integrators' }).waitFor();
      expect(await table.locator('tbody').getByText('At risk', { exact: true }).count()).toBe(2);
      await expectAccessible(page, 'tier compliance (channel manager)');

      await table.getByRole('button', { name: 'Zenith Integrators' }).click();
      await page.getByRole('heading', { name: 'Zenith Integrators', level: 2 }).waitFor();
      await page.getByRole('progressbar', { name: /^Won value, last 12 months for Silver: 100%/ }).waitFor();
      await page.getByRole('button', { name: 'Record figures' }).waitFor();
      await expectAccessible(page, 'tier compliance detail');
    } finally {
      await context.close();
    }
  });

  test('a partner user sees only its own tier, with a progress bar per requirement', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'pia@acme.test', password);
      await page.goto('/scorecards/tier-compliance');
      await page.getByRole('heading', { name: 'Your tier', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Current tier: Silver', level: 3 }).waitFor();
      await page.getByRole('heading', { name: 'Next tier: Gold', level: 3 }).waitFor();
      await page.getByRole('progressbar', { name: /^Certified people for Gold: 60%/ }).waitFor();
      expect(await page.getByRole('table', { name: 'Partner tier compliance' }).count()).toBe(0);
      const body = (await page.textContent('body')) ?? '';
      expect(body).not.toContain('Zenith');
      expect(body).not.toContain('777,000');
      await expectAccessible(page, 'your tier (partner)');
    } finally {
      await context.close();
    }
  });
});
