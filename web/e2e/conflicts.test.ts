import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRegistrationRequest } from '../../common/api/engagement-registrations.ts';
import type { UserActor } from '../../server/actor.ts';
import { createRegistration } from '../../server/modules/engagement/registrations.service.ts';
import { publishTestRules, registrationBody, testRules } from '../../server/modules/engagement/registrations.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('conflict resolution and the conflict heat map', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'root@vendor.test', password, displayName: 'Rosa Root', roles: ['admin'] });
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Channel', roles: ['channel_manager'] });
    await publishTestRules(server.deps, testRules());
    // Two partners register the same customer through the ordinary registration use-case.
    const sellers: UserActor[] = [];
    for (const name of ['Early Bird Partners', 'Second Wave Solutions']) {
      const partner = await server.createPartner(name);
      const email = `seller@${name.split(' ')[0]?.toLowerCase()}.test`;
      const u = await server.createUser({ email, password, displayName: `${name} seller`, roles: ['partner_seller'], partnerId: partner.id });
      sellers.push({
        kind: 'user',
        userId: u.id,
        email,
        displayName: `${name} seller`,
        partnerId: partner.id,
        roles: ['partner_seller'],
        via: 'session',
        requestId: null,
      });
    }
    for (const [i, seller] of sellers.entries()) {
      await createRegistration(
        server.deps,
        seller,
        createRegistrationRequest.parse(
          registrationBody({ submit: true, endCustomerName: 'Vantablue Logistics', endCustomerDomain: 'vantablue.example', valueMinor: (i + 1) * 4_000_000 }),
        ),
      );
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a channel manager opens the queue, compares both sides and resolves the conflict', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.goto('/engagement/conflicts');
      await page.getByRole('heading', { name: 'Conflicts', level: 1 }).waitFor();
      const queue = page.getByRole('table', { name: 'Conflicts' });
      await queue.getByText('Second Wave Solutions').waitFor();
      await queue.getByText('Early Bird Partners').waitFor();
      await expectAccessible(page, 'conflict queue');

      await queue.getByRole('link', { name: 'Vantablue Logistics' }).click();
      await page.getByRole('heading', { name: 'Conflict on Vantablue Logistics', level: 1 }).waitFor();
      const sides = page.getByRole('table', { name: 'Both sides of the conflict' });
      await sides.getByText('Second Wave Solutions').waitFor();
      await sides.getByText('Early Bird Partners').waitFor();
      await page.getByText('Same web domain').waitFor();
      await page.getByText('the first to register keeps the protection', { exact: false }).waitFor();
      await expectAccessible(page, 'conflict detail');
      await maybeScreenshot(page, 'conflict-detail');

      // The note is required before any decision.
      await page.getByRole('button', { name: 'Award the existing claim…' }).click();
      await page.getByText('Write why you decide this way').waitFor();
      await page.getByLabel('Decision note').fill('Early Bird registered first and has the relationship.');
      await page.getByRole('button', { name: 'Award the existing claim…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('The new registration is rejected').waitFor();
      await expectAccessible(page, 'conflict confirmation');
      await dialog.getByRole('button', { name: 'Confirm: award the existing claim' }).click();
      await page.getByText('Early Bird registered first and has the relationship.').waitFor();
      await page.getByText('Resolved', { exact: true }).first().waitFor();

      await page.goto('/engagement/conflicts?status=resolved');
      await page.getByRole('table', { name: 'Conflicts' }).getByText('Award the existing claim').waitFor();

      await page.goto('/engagement/conflicts/heatmap');
      await page.getByRole('heading', { name: 'Conflict heat map', level: 1 }).waitFor();
      const grid = page.getByRole('table', { name: 'Overlap by scenario and country' });
      await grid.getByText('2 (1)').waitFor();
      await page.getByRole('table', { name: 'Overlapping customers' }).getByText('Vantablue Logistics').waitFor();
      expect(await page.getByRole('figure', { name: 'Top overlapping customers' }).locator('svg').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'conflict heat map');
      await maybeScreenshot(page, 'conflict-heatmap');
    } finally {
      await context.close();
    }
  });
});
