import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRegistration } from '../../server/modules/engagement/registrations.service.ts';
import { publishTestRules, testRules } from '../../server/modules/engagement/registrations.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe.skipIf(!hasChromium)('the engagement overview and the deal inbox in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    const partner = await server.createPartner('Fabrikam Systems');
    const pat = await server.createUser({ email: 'pat@fabrikam.test', password, displayName: 'Pat Partner', roles: ['partner_admin'], partnerId: partner.id });
    await server.createUser({ email: 'cara@vendor.test', password, displayName: 'Cara Channel', roles: ['channel_manager'] });
    await publishTestRules(server.deps, testRules());
    // One registration waiting for its first answer, so the overview has something to count.
    await createRegistration(
      server.deps,
      {
        kind: 'user',
        userId: pat.id,
        email: 'pat@fabrikam.test',
        displayName: 'Pat Partner',
        partnerId: partner.id,
        roles: ['partner_admin'],
        via: 'session',
        requestId: null,
      },
      {
        scenario: 'upgrade',
        endCustomerName: 'Woodgrove Bank',
        endCustomerDomain: 'woodgrove.example',
        endCustomerCountry: 'DE',
        endCustomerTaxId: null,
        productLine: null,
        region: null,
        valueMinor: 4_800_000,
        currency: 'EUR',
        expectedCloseOn: null,
        description: null,
        submit: true,
      },
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a channel manager reads the overview, pushes an offer, and the partner accepts it', async () => {
    const vendor = await newPage(browser, server.url);
    const partner = await newPage(browser, server.url);
    try {
      const c = vendor.page;
      await signInThroughForm(c, 'cara@vendor.test', password);
      await c.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Engagement' }).first().click();
      await c.getByRole('heading', { name: 'Engagement', level: 1 }).waitFor();
      await c.getByRole('link', { name: 'Awaiting first response: 1' }).waitFor();
      await c.getByRole('link', { name: 'Open conflicts: 0' }).waitFor();
      const table = c.getByRole('table', { name: 'Registrations by scenario and status' });
      await expect.poll(() => table.getByRole('row', { name: /Upgrade/ }).innerText()).toMatch(/1/);
      await c.getByRole('figure', { name: /registrations by scenario/ }).waitFor();
      await expectAccessible(c, 'engagement overview');

      const sections = c.getByRole('navigation', { name: 'Engagement sections' });
      for (const name of ['Review queue', 'Offers', 'Rules of the road', 'Scenarios', 'Friction', 'Conflicts', 'Conflict heat map'])
        await sections.getByRole('link', { name, exact: true }).waitFor();
      await sections.getByRole('link', { name: 'Review queue', exact: true }).click();
      await c.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
      await c.getByRole('table', { name: 'Review queue' }).getByText('Woodgrove Bank').waitFor();
      await c.goBack();
      await c.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Offers', exact: true }).click();
      await c.getByRole('heading', { name: 'Offers', level: 1 }).waitFor();
      await c.getByText('No offer has been pushed yet.').waitFor();
      await expectAccessible(c, 'offers (empty)');

      // Push an offer: the form checks what it can, the server the rest, each under its field.
      await c.getByRole('button', { name: 'Push an offer' }).click();
      const dialog = c.getByRole('dialog', { name: 'Push an offer to a partner' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Push offer' }).click();
      await dialog.getByText('Choose the partner').waitFor();
      await dialog.getByRole('combobox', { name: 'Partner' }).fill('Fabrikam');
      await c.getByRole('option', { name: 'Fabrikam Systems' }).click();
      await dialog.getByRole('combobox', { name: 'Scenario' }).click();
      await c.getByRole('option', { name: 'Consulting' }).click();
      await dialog.getByRole('textbox', { name: 'End customer' }).fill('Tailspin Toys');
      await dialog.getByRole('textbox', { name: 'Customer web domain' }).fill('not a domain');
      await dialog.getByRole('textbox', { name: 'Customer country' }).fill('GB');
      await dialog.getByRole('textbox', { name: 'Expected value' }).fill('25000');
      await dialog.getByLabel('Respond by').fill(dayFromToday(7));
      await dialog.getByRole('button', { name: 'Push offer' }).click();
      await dialog.getByText('must be a web domain such as example.com', { exact: true }).waitFor();
      await expectAccessible(c, 'push an offer (with a server error)');
      await dialog.getByRole('textbox', { name: 'Customer web domain' }).fill('tailspin-toys.example');
      await dialog.getByRole('button', { name: 'Push offer' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const sent = c.getByRole('table', { name: 'Offers sent to partners' });
      const row = sent.getByRole('row', { name: /Tailspin Toys/ });
      await row.getByText('Offered').waitFor();
      await row.getByText('Fabrikam Systems').waitFor();
      await row.getByText(/25,000/).waitFor();
      await expectAccessible(c, 'offers (one sent)');

      // The partner finds it in the deal inbox and accepts: a registration goes to review.
      const p = partner.page;
      await signInThroughForm(p, 'pat@fabrikam.test', password);
      await p.goto('/registrations/inbox');
      await p.getByRole('heading', { name: 'Deal inbox', level: 1 }).waitFor();
      const offer = p.getByRole('article', { name: 'Offer: Tailspin Toys' });
      await offer.waitFor();
      await expectAccessible(p, 'deal inbox');
      await offer.getByRole('button', { name: 'Accept and register' }).click();
      await offer.getByText(/Registered as/).waitFor();
      await offer.getByRole('link', { name: /^REG-\d{6}$/ }).waitFor();

      // Back at the vendor: the offer shows as accepted, with the registration it became.
      await c.reload();
      const accepted = c.getByRole('table', { name: 'Offers sent to partners' }).getByRole('row', { name: /Tailspin Toys/ });
      await accepted.getByText('Accepted').waitFor();
      await accepted.getByRole('link', { name: /^REG-\d{6}$/ }).waitFor();
      await c.getByRole('combobox', { name: 'Status' }).click();
      await c.getByRole('option', { name: 'Declined' }).click();
      await c.getByText('No offer matches these filters.').waitFor();
      await c.goto('/engagement');
      await c.getByRole('link', { name: 'Awaiting first response: 2' }).waitFor();
    } finally {
      await vendor.context.close();
      await partner.context.close();
    }
  }, 120_000);
});
