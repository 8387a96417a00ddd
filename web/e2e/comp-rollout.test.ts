import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeApprovers } from '../../server/modules/comp-plans/comp-plans.test-support.ts';
import { assign, makePerson, publishPlan, setQuota } from '../../server/modules/comp-plans/rollout.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('comp plan rollout', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let seller: { email: string };
  let rolloutId: string;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    const who = await makeApprovers(server.deps);
    const sam = await makePerson(server.deps, { name: 'Sam Seller', team: 'North' });
    const sue = await makePerson(server.deps, { name: 'Sue Seller', team: 'South' });
    const published = await publishPlan(server.deps, who, {
      beforeSubmit: async (planId) => {
        await assign(server.deps, sam.participantId, planId);
        await assign(server.deps, sue.participantId, planId);
      },
    });
    await setQuota(server.deps, sam.participantId);
    seller = { email: sam.email };
    rolloutId = published.rolloutId;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a seller reads and acknowledges their plan; the comp admin’s dashboard shows 1 acknowledged', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, seller.email, password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My comp plan' }).click();
      await page.getByRole('heading', { name: 'My comp plan', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Your plan', level: 2 }).waitFor();
      await page.getByRole('heading', { name: 'Base commission', level: 3 }).waitFor();
      // The examples are the engine's: 150 % of a 100,000 EUR quota pays 4,500 + 1,000 + 5,000.
      await page.getByRole('region', { name: 'At 150% of quota' }).getByText('10,500.00 EUR', { exact: true }).waitFor();
      await page.getByRole('link', { name: 'Download PDF' }).waitFor();
      // Showing the document marked it opened.
      await page.getByText('Opened', { exact: true }).waitFor();
      await expectAccessible(page, 'my comp plan');
      await maybeScreenshot(page, 'my-comp-plan');

      await page.getByRole('button', { name: 'I have read and acknowledge my plan' }).click();
      await page.getByRole('status').filter({ hasText: 'You acknowledged version 1' }).waitFor();
      await expectAccessible(page, 'my comp plan (acknowledged)');
    } finally {
      await context.close();
    }

    const admin = await newPage(browser, server.url);
    try {
      const page = admin.page;
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.goto('/comp-plans/rollout');
      await page.getByRole('heading', { name: 'Plan rollout', level: 1 }).waitFor();
      const rollouts = page.getByRole('table', { name: 'Rollouts' });
      await rollouts.getByText('1 of 2').waitFor();
      await expectAccessible(page, 'rollouts');
      await rollouts.getByRole('link', { name: /Dashboard of Field sellers 2027 version 1/ }).click();
      await page.getByRole('heading', { name: 'Rollout: Field sellers 2027, version 1', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/comp-plans/rollout/${rolloutId}`);
      const clock = page.getByRole('region', { name: 'Rollout clock' });
      await clock.getByText('Day 1 of 30').waitFor();
      const acknowledged = clock.getByText('Acknowledged', { exact: true }).locator('..');
      expect((await acknowledged.innerText()).split('\n')).toContain('1');
      const byTeam = page.getByRole('table', { name: 'Counts by team' });
      const north = byTeam.getByRole('row').filter({ hasText: 'North' });
      expect(await north.getByRole('cell').allInnerTexts()).toEqual(['North', '1', '0', '0', '1', '0', '0', '0']);
      await page.getByRole('figure', { name: 'Recipients by team and status' }).waitFor();

      // Filters live in the URL.
      await byTeam.getByRole('link', { name: 'South' }).click();
      await page.waitForURL(/team=South/);
      const recipients = page.getByRole('table', { name: 'Recipients' });
      await recipients.getByText('Sam Seller').waitFor({ state: 'detached' });
      await recipients.getByText('Sue Seller').waitFor();
      await expectAccessible(page, 'rollout dashboard');
      await maybeScreenshot(page, 'comp-rollout');
    } finally {
      await admin.context.close();
    }
  });
});
