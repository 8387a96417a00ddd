import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { inTransaction } from '../../server/deps.ts';
import { newId } from '../../server/lib/ids.ts';
import { sweepQuietPartners } from '../../server/modules/partners/reengagement.service.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';
const H = 3_600_000;

describe.skipIf(!hasChromium)('the friction dashboard and re-engagement', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    // With no administrator the app would send everyone to first-time setup.
    await server.createUser({ email: 'root@vendor.test', password, displayName: 'Rosa Root', roles: ['admin'] });
    const cm = await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Channel', roles: ['channel_manager'] });
    const partner = await server.createPartner('Slowpoke Services');
    const quiet = await server.createPartner('Dormant Data');
    const system = systemActor('test');
    // Registrations from the last two weeks: renewals answered in hours, consulting left waiting past its SLA.
    await inTransaction(server.deps, system, async (trx) => {
      await trx
        .updateTable('partner')
        .set({ channelManagerUserId: cm.id, createdAt: new Date('2024-01-01T00:00:00Z') })
        .where('partnerId', '=', quiet.id)
        .execute();
      const scenarios = new Map((await trx.selectFrom('scenario').select(['key', 'scenarioId']).execute()).map((s) => [s.key, s.scenarioId]));
      const now = Date.now();
      const rows = [
        { key: 'maintenance_renewal', unit: 'Renewals desk', ago: 10 * 24, answeredAfter: 3 },
        { key: 'maintenance_renewal', unit: 'Renewals desk', ago: 8 * 24, answeredAfter: 5 },
        { key: 'consulting', unit: 'Technology Services', ago: 9 * 24, answeredAfter: null },
        { key: 'consulting', unit: 'Technology Services', ago: 7 * 24, answeredAfter: 100 },
      ];
      for (const [i, r] of rows.entries()) {
        const submittedAt = new Date(now - r.ago * H);
        await trx
          .insertInto('dealRegistration')
          .values({
            dealRegistrationId: newId(),
            reference: `REG-E2E-${i}`,
            partnerId: partner.id,
            submittedByUserId: null,
            clientReference: null,
            status: r.answeredAfter === null ? 'submitted' : 'under_review',
            source: 'partner',
            scenarioId: scenarios.get(r.key) ?? '',
            productLine: null,
            region: null,
            endCustomerName: `Customer ${i}`,
            endCustomerNormalisedName: `customer ${i}`,
            endCustomerDomain: null,
            endCustomerCountry: null,
            endCustomerTaxId: null,
            accountId: null,
            valueMinor: 100_000 * (i + 1),
            currency: 'EUR',
            expectedCloseOn: null,
            description: null,
            ruleSetVersionId: null,
            routeId: null,
            owningUnit: r.unit,
            reviewerUserId: null,
            escalationUserId: null,
            submittedAt,
            slaDueAt: new Date(submittedAt.getTime() + 48 * H),
            slaBreachedAt: null,
            firstResponseAt: r.answeredAfter === null ? null : new Date(submittedAt.getTime() + r.answeredAfter * H),
            decidedAt: null,
            decisionReason: null,
            protectionEndsOn: null,
            closedAt: null,
          })
          .execute();
      }
    });
    await sweepQuietPartners(server.deps, system);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a channel manager sees where partner work stalls, as charts and tables, and works a quiet partner', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.goto('/engagement/friction');
      await page.getByRole('heading', { name: 'Friction', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Friction by scenario' });
      await table.getByText('Consulting').waitFor();
      await table.getByText('Maintenance renewal').waitFor();
      // The stall is named: consulting breaches its SLA and leaves work waiting.
      const stalls = page.getByRole('alert').filter({ hasText: 'Partner-brought work stalls' });
      await stalls.getByText('Consulting').waitFor();
      expect(await page.getByRole('figure', { name: 'Median and p90 hours to first response' }).locator('svg').count()).toBeGreaterThan(0);
      await page.getByRole('figure', { name: 'Renewals versus everything else over time' }).waitFor();
      await page.getByRole('table', { name: 'Renewals versus other scenarios' }).getByText('Everything else').waitFor();
      await expectAccessible(page, 'friction dashboard');
      await maybeScreenshot(page, 'friction');

      await page.getByText('Owning unit', { exact: true }).click();
      await page.getByRole('table', { name: 'Friction by owning unit' }).getByText('Technology Services').waitFor();

      await page.goto('/partners/reengagement');
      await page.getByRole('heading', { name: 'Re-engagement', level: 1 }).waitFor();
      const quietTable = page.getByRole('table', { name: 'Quiet partners' });
      await quietTable.getByText('Dormant Data').waitFor();
      const tasks = page.getByRole('table', { name: 'Re-activation tasks' });
      await tasks.getByText('Dormant Data').waitFor();
      await expectAccessible(page, 're-engagement');
      await tasks.getByRole('button', { name: 'Close task' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('What came of it').fill('Lunch with the founder; two renewals and a migration in the pipeline.');
      await dialog.getByRole('button', { name: 'Close task' }).click();
      await tasks.getByText('No re-activation tasks.').waitFor();

      await page.goto('/partners');
      await page.getByRole('table', { name: 'Partners' }).getByRole('link', { name: 'Dormant Data' }).click();
      await page.getByText('Last engagement').first().waitFor();
      // The partner's channel manager (the account menu in the header names the signed-in user too).
      await page.getByRole('main').getByText('Cora Channel').waitFor();
    } finally {
      await context.close();
    }
  });

  test('partners cannot open the friction dashboard', async () => {
    const p = await server.createPartner('Curious Partner');
    await server.createUser({ email: 'pat@curious.test', password, displayName: 'Pat Partner', roles: ['partner_admin'], partnerId: p.id });
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'pat@curious.test', password);
      for (const path of ['/engagement/friction', '/partners/reengagement']) {
        await page.goto(path);
        await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
      }
    } finally {
      await context.close();
    }
  });
});
