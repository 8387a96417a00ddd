import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { publishTestRules, testRules } from '../../server/modules/engagement/registrations.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('deal registration in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    const partner = await server.createPartner('Northwind Solutions');
    await server.createUser({ email: 'pia@northwind.test', password, displayName: 'Pia Partner', roles: ['partner_seller'], partnerId: partner.id });
    await server.createUser({ email: 'cara@vendor.test', password, displayName: 'Cara Channel', roles: ['channel_manager'] });
    await publishTestRules(server.deps, testRules());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a partner registers a deal, a reviewer approves it, the partner sees the protection', async () => {
    const partner = await newPage(browser, server.url);
    const reviewer = await newPage(browser, server.url);
    try {
      const p = partner.page;
      await signInThroughForm(p, 'pia@northwind.test', password);
      await p.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Deal registration' }).click();
      await p.getByRole('heading', { name: 'My registrations', level: 1 }).waitFor();
      await expectAccessible(p, 'my registrations (empty)');
      await p.getByRole('link', { name: 'Register a deal' }).click();
      await p.getByRole('heading', { name: 'Register a deal', level: 1 }).waitFor();
      await expectAccessible(p, 'register a deal');

      // Submitting with nothing filled shows the problems by field.
      await p.getByRole('button', { name: 'Submit for review' }).click();
      await p.getByText('Enter the end customer’s name').waitFor();

      await p.getByRole('combobox', { name: 'Scenario' }).click();
      await p.getByRole('option', { name: 'Migration' }).click();
      await p.getByRole('textbox', { name: 'End customer' }).fill('Contoso Pharma');
      await p.getByRole('textbox', { name: 'Customer web domain' }).fill('contoso-pharma.example');
      await p.getByRole('textbox', { name: 'Customer country' }).fill('DE');
      await p.getByRole('textbox', { name: 'Expected value' }).fill('48000');
      await p.getByLabel('Expected close date').fill('2026-12-15');
      await p.getByRole('button', { name: 'Submit for review' }).click();

      await p.getByRole('heading', { name: /^REG-\d{6}$/, level: 1 }).waitFor();
      const reference = (await p.getByRole('heading', { level: 1 }).innerText()).trim();
      await p.getByText('Awaiting review').first().waitFor();
      await p
        .getByText(/Answer due in \d+ d \d+ h/)
        .first()
        .waitFor();
      await expectAccessible(p, 'registration detail (partner)');

      await p.getByRole('link', { name: 'My registrations' }).first().click();
      const row = p.getByRole('table', { name: 'My registrations' }).getByRole('row', { name: new RegExp(reference) });
      await row.getByText(/Answer due in/).waitFor();

      // The reviewer works the queue.
      const r = reviewer.page;
      await signInThroughForm(r, 'cara@vendor.test', password);
      await r.goto('/engagement/review-queue');
      await r.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
      await r.getByRole('table', { name: 'Review queue' }).getByRole('link', { name: reference }).waitFor();
      await expectAccessible(r, 'review queue');
      // The queue's filters live in the URL: a filtered queue survives a reload.
      // Clicked, not check()ed: the switch follows the URL, which updates a moment later.
      await r.getByRole('switch', { name: 'Overdue only' }).click();
      await expect.poll(() => new URL(r.url()).searchParams.get('overdue')).toBe('1');
      await r.reload();
      await r.getByText('Nothing waiting for an answer.').waitFor();
      expect(await r.getByRole('switch', { name: 'Overdue only' }).isChecked()).toBe(true);
      await r.getByRole('switch', { name: 'Overdue only' }).click();
      await expect.poll(() => new URL(r.url()).search).toBe('');
      await r.getByRole('table', { name: 'Review queue' }).getByRole('link', { name: reference }).click();
      await r.getByRole('heading', { name: reference, level: 1 }).waitFor();
      await r.getByRole('button', { name: 'Start review' }).click();
      await r.getByText('Answered in time').waitFor();
      await r.getByRole('button', { name: 'Approve' }).click();
      await r.getByText('Approved', { exact: true }).first().waitFor();
      await expectAccessible(r, 'registration detail (reviewer)');

      // The partner sees the outcome and until when it is protected.
      await p.reload();
      const approvedRow = p.getByRole('table', { name: 'My registrations' }).getByRole('row', { name: new RegExp(reference) });
      await approvedRow.getByText('Approved').waitFor();
      const cells = await approvedRow.getByRole('cell').allInnerTexts();
      expect(cells[cells.length - 1]).not.toBe('—');

      await p.getByRole('link', { name: 'Deal inbox' }).click();
      await p.getByRole('heading', { name: 'Deal inbox', level: 1 }).waitFor();
      await expectAccessible(p, 'deal inbox');
      await p.goto('/registrations/bulk');
      await p.getByRole('heading', { name: 'Upload registrations', level: 1 }).waitFor();
      await expectAccessible(p, 'bulk upload');
    } finally {
      await partner.context.close();
      await reviewer.context.close();
    }
  });
});
