import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('the rules of the road', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'lead@vendor.test', password, displayName: 'Lee Lead', roles: ['programme_lead'] });
    const partner = await server.createPartner('Contoso Services');
    await server.createUser({ email: 'sam@contoso.test', password, displayName: 'Sam Seller', roles: ['partner_seller'], partnerId: partner.id });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a programme lead drafts and publishes a version; a partner reads it and accepts it', async () => {
    const lead = await newPage(browser, server.url);
    try {
      const page = lead.page;
      await signInThroughForm(page, 'lead@vendor.test', password);
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByRole('link', { name: 'Engagement' }).click();
      await nav.getByRole('link', { name: 'Rules of the road' }).click();
      await page.getByRole('heading', { name: 'Rules of the road', level: 1 }).waitFor();
      await page.getByText('No versions yet.').waitFor();

      await page.getByRole('button', { name: 'New draft' }).click();
      await page.getByRole('heading', { name: /Version 1: Rules of the road, version 1/ }).waitFor();
      const title = page.getByRole('textbox', { name: 'Title' });
      await title.fill('Every scenario gets an answer');
      await page.getByRole('textbox', { name: 'Release notes' }).fill('Consulting, upgrades and migrations now have owners.');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('heading', { name: 'Version 1: Every scenario gets an answer' }).waitFor();

      // A broken rule set comes back with every problem and its path.
      const editor = page.getByRole('textbox', { name: 'Rule set (JSON)' });
      const json = JSON.parse(await editor.inputValue());
      json.protection.days = 0;
      json.routes[0].tiers = ['diamond'];
      await editor.fill(JSON.stringify(json, null, 2));
      await page.getByRole('button', { name: 'Save draft' }).click();
      const problem = page.getByRole('alert').filter({ hasText: 'rules.protection.days' });
      await problem.waitFor();
      await problem.getByText('rules.routes[0].tiers').waitFor();
      await expectAccessible(page, 'rules admin (draft with errors)');
      json.protection.days = 90;
      json.routes[0].tiers = null;
      await editor.fill(JSON.stringify(json, null, 2));
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect.poll(() => page.getByRole('alert').filter({ hasText: 'rules.protection.days' }).count()).toBe(0);

      await page.getByRole('tab', { name: 'Plain language' }).click();
      await page.getByRole('heading', { name: 'Who answers you and how fast' }).waitFor();
      await page.getByText('Anything not covered above: Channel desk answers within 2 business days.').waitFor();

      await page.getByRole('button', { name: 'Publish…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Publish version 1?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Publish version 1' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('table', { name: 'Versions' }).getByText('In force').waitFor();
      await expectAccessible(page, 'rules admin');
      await maybeScreenshot(page, 'rules-admin');
    } finally {
      await lead.context.close();
    }

    const partner = await newPage(browser, server.url);
    try {
      const page = partner.page;
      await signInThroughForm(page, 'sam@contoso.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Rules of the road' }).click();
      await page.getByRole('heading', { name: 'Rules of the road', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Version 1: Every scenario gets an answer' }).waitFor();
      for (const section of [
        'Who can register what',
        'Who answers you and how fast',
        'How long you are protected',
        'When two claims meet',
        'How deals are credited',
      ])
        await page.getByRole('heading', { name: section, level: 2 }).waitFor();
      await page.getByText('This is the first version: there is nothing earlier to compare with.').waitFor();
      await expectAccessible(page, 'rules of the road (partner, before accepting)');

      await page.getByRole('button', { name: 'I have read and accept' }).click();
      await page.getByRole('status').filter({ hasText: 'You accepted version 1' }).waitFor();
      expect(await page.getByRole('button', { name: 'I have read and accept' }).count()).toBe(0);
      await expectAccessible(page, 'rules of the road (partner, accepted)');
      await maybeScreenshot(page, 'rules-partner');
    } finally {
      await partner.context.close();
    }

    const rows = await server.deps.db.selectFrom('ruleAcknowledgement').select('acknowledgedAt').execute();
    expect(rows).toHaveLength(1);
  });
});
