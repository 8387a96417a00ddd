import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, navLabels, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('the partner portal', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'root@vendor.test', password, displayName: 'Rosa Root', roles: ['admin'] });
    const mine = await server.createPartner('Contoso Services');
    await server.createPartner('Fabrikam Consulting');
    await server.createUser({
      email: 'sam@contoso.test',
      password,
      displayName: 'Sam Seller',
      roles: ['partner_seller'],
      partnerId: mine.id,
    });
    await server.createUser({
      email: 'pat@contoso.test',
      password,
      displayName: 'Pat Partneradmin',
      roles: ['partner_admin'],
      partnerId: mine.id,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a partner user sees the partner portal with only their items', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'sam@contoso.test', password);
      await page.getByRole('banner').getByText('Partner portal').waitFor();
      expect(await navLabels(page)).toEqual(['Home', 'Deal registration', 'Rules of the road', 'My organisation', 'Voice', 'Scorecards']);
      expect(await page.title()).toBe('Home · Realign');
      await page.getByText('Contoso Services').first().waitFor();
      await expectAccessible(page, 'partner home');
      await maybeScreenshot(page, 'partner-home');

      // The partner portal has its own accent colour.
      const headerColour = await page.getByRole('banner').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(headerColour).not.toBe('rgb(13, 58, 116)');

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My organisation' }).click();
      await page.getByRole('heading', { name: 'My organisation', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Partner users' }).getByText('Sam Seller').waitFor();
      await expectAccessible(page, 'my organisation');
      // A partner seller sees the users but does not manage them.
      expect(await page.getByRole('button', { name: 'Add user' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Edit Sam Seller' }).count()).toBe(0);

      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Rules of the road' }).click();
      await page.getByRole('heading', { name: 'Rules of the road', level: 1 }).waitFor();
      await expectAccessible(page, 'rules of the road (not built yet)');

      // Vendor-only areas are not there, even by URL.
      for (const path of ['/partners', '/admin/users', '/admin/audit', '/comp-plans']) {
        await page.goto(path);
        await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
      }
      expect(await page.getByText('Fabrikam Consulting').count()).toBe(0);
      await expect.poll(() => page.getByRole('button', { name: 'Help' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  test('a partner admin adds a partner seller and disables them', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'pat@contoso.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My organisation' }).click();
      await page.getByRole('heading', { name: 'My organisation', level: 1 }).waitFor();
      const users = page.getByRole('table', { name: 'Partner users' });
      await users.getByText('Sam Seller').waitFor();
      // No actions on their own row: a partner admin cannot lock themselves out here.
      expect(await page.getByRole('button', { name: 'Edit Pat Partneradmin' }).count()).toBe(0);

      await page.getByRole('button', { name: 'Add user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add user' });
      await dialog.waitFor();
      await expect.poll(() => dialog.getByRole('checkbox').count()).toBe(2);
      await expectAccessible(page, 'my organisation (add user open)');

      // The server's field errors show under the field: the e-mail is taken.
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Nia Newseller');
      await dialog.getByRole('textbox', { name: 'E-mail' }).fill('sam@contoso.test');
      await dialog.getByRole('textbox', { name: 'Initial password' }).fill('a long enough password');
      await dialog.getByRole('checkbox', { name: 'Partner seller' }).check();
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.getByText('is already taken', { exact: true }).waitFor();
      expect(await dialog.getByRole('textbox', { name: 'E-mail' }).getAttribute('aria-invalid')).toBe('true');

      await dialog.getByRole('textbox', { name: 'E-mail' }).fill('nia@contoso.test');
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const row = users.getByRole('row', { name: /Nia Newseller/ });
      await row.getByText('Partner seller').waitFor();
      await row.getByText('Active', { exact: true }).waitFor();
      await expectAccessible(page, 'my organisation (add user closed)');

      await row.getByRole('button', { name: 'Edit Nia Newseller' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Nia Newseller' });
      await edit.getByText('Disabled', { exact: true }).click();
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'hidden' });
      await row.getByText('Disabled', { exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });
});
