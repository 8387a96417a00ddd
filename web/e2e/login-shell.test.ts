import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, navLabels, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

const everyInternalArea = [
  'Cockpit',
  'Governance',
  '90-day plan',
  'Voice',
  'Comms',
  'Partners',
  'Accounts',
  'Engagement',
  'Comp plans',
  'Commissions',
  'Scorecards',
  'ROI',
  'Users',
  'API tokens',
  'Audit log',
];

describe.skipIf(!hasChromium)('sign in, the shell, sign out', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'root@vendor.test', password, displayName: 'Rosa Root', roles: ['admin'] });
    const partner = await server.createPartner('Northwind Solutions');
    await server.createUser({
      email: 'pam@northwind.test',
      password,
      displayName: 'Pam Partner',
      roles: ['partner_admin'],
      partnerId: partner.id,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a wrong password shows the server’s explanation', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await page.goto('/');
      await page.waitForURL('**/login');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await page.title()).toBe('Sign in · Realign');
      await expectAccessible(page, 'login page');
      await maybeScreenshot(page, 'login');

      await page.getByLabel('E-mail').fill('root@vendor.test');
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect((await alert.innerText()).trim().length).toBeGreaterThan(0);
      await expectAccessible(page, 'login page with an error');
    } finally {
      await context.close();
    }
  });

  test('an administrator sees every area, visits them, and signs out', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'root@vendor.test', password);
      expect(await page.title()).toBe('Cockpit · Realign');
      expect(await navLabels(page)).toEqual(everyInternalArea);
      await expect.poll(() => page.getByText('Partner portal').count()).toBe(0);
      await expectAccessible(page, 'cockpit');

      // Every area answers with its own page and title; unbuilt areas say what they will hold.
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Governance' }).click();
      await page.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
      await page.getByText('This area will hold: Programme, integration team, oversight committee').waitFor();
      expect(await page.title()).toBe('Governance · Realign');
      await expectAccessible(page, 'governance (not built yet)');

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Partners' }).click();
      await page.getByRole('heading', { name: 'Partners', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Northwind Solutions' }).waitFor();
      await expectAccessible(page, 'partners');
      await maybeScreenshot(page, 'partners');

      await page.getByRole('link', { name: 'Northwind Solutions' }).click();
      await page.getByRole('heading', { name: 'Northwind Solutions', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Partner users' }).getByText('Pam Partner').waitFor();
      await expectAccessible(page, 'partner detail');

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Users' }).getByText('Rosa Root').waitFor();
      await expectAccessible(page, 'users');

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      await expectAccessible(page, 'API tokens');

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByText(/Chain intact|Chain broken/).waitFor();
      await expectAccessible(page, 'audit log');

      // The notification centre opens from the header.
      await page.getByRole('button', { name: /^Notifications/ }).click();
      await page.getByRole('dialog', { name: 'Notifications' }).waitFor();
      await expectAccessible(page, 'notification centre');
      await page.keyboard.press('Escape');

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Cockpit' }).click();
      await page.getByRole('heading', { name: 'Cockpit', level: 1 }).waitFor();
      await maybeScreenshot(page, 'shell');

      await page.getByRole('button', { name: /Account menu for Rosa Root/ }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();

      // Signed out for real: the shell is no longer reachable.
      await page.goto('/partners');
      await page.waitForURL('**/login?next=%2Fpartners');
    } finally {
      await context.close();
    }
  });
});
