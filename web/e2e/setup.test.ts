import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, navLabels, newPage, waitForShell } from './browser.ts';

describe.skipIf(!hasChromium)('first-run setup in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('creates the first administrator and shows the shell', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      // An empty installation sends everyone from sign-in to setup.
      await page.goto('/');
      await page.waitForURL('**/setup');
      await page.getByRole('heading', { name: 'Set up Realign' }).waitFor();
      expect(await page.title()).toBe('Set up Realign · Realign');
      await expectAccessible(page, 'setup page');
      await maybeScreenshot(page, 'setup');

      await page.getByLabel('Your name').fill('Ada Admin');
      await page.getByLabel('E-mail').fill('ada@vendor.test');
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill('a long enough password');
      await page.getByLabel('Confirm password').fill('a long enough password');
      await page.getByRole('button', { name: 'Create administrator and sign in' }).click();

      await waitForShell(page);
      await page.getByRole('heading', { name: 'Cockpit', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.title()).toBe('Cockpit · Realign');
      expect(await navLabels(page)).toContain('Users');
      await expect.poll(() => page.getByRole('button', { name: /Account menu for Ada Admin/ }).count()).toBe(1);
      await expectAccessible(page, 'cockpit after setup');

      // Setup is one-off: the page now redirects to sign-in (which redirects a signed-in user home).
      await page.goto('/setup');
      await page.waitForURL((u) => u.pathname === '/');
    } finally {
      await context.close();
    }
  });
});
