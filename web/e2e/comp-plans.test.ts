import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlanVersionView } from '../../common/api/comp-plans.ts';
import type { PlanDocument } from '../../common/comp/plan.ts';
import { stringifyPlan } from '../../common/comp/plan-file.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { defaultExampleSettings, runExample } from '../src/features/comp-plans/plan-examples.ts';
import { moneyText } from '../src/features/comp-plans/plan-format.ts';
import { planTemplate } from '../src/features/comp-plans/plan-templates.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('comp plan design', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    await server.createUser({ email: 'finn@vendor.test', password, displayName: 'Finn Finance', roles: ['finance'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a comp admin creates a plan, adds a tiered component, fixes an overlap, saves, and sees what the engine pays', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Comp plans' }).click();
      await page.getByRole('heading', { name: 'Comp plans', level: 1 }).waitFor();
      await page.getByText('No plans yet.').waitFor();
      await expectAccessible(page, 'comp plans (empty)');

      // A new plan from the simple commission template.
      await page.getByRole('button', { name: 'New plan' }).click();
      const dialog = page.getByRole('dialog', { name: 'New compensation plan' });
      await dialog.getByRole('textbox', { name: 'Plan name' }).fill('EMEA sellers 2026');
      expect(await dialog.getByRole('textbox', { name: 'Plan key' }).inputValue()).toBe('emea_sellers_2026');
      await dialog.getByRole('radio', { name: 'Simple commission' }).check();
      await dialog.getByRole('button', { name: 'Create plan' }).click();
      await page.getByRole('heading', { name: 'EMEA sellers 2026', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Version 1', level: 2 }).waitFor();
      await page.getByText('No problems: this plan is complete and consistent.').waitFor();

      // A tiered component starts with two bands: 3 % up to 100 % of quota, 5 % above.
      await page.getByRole('button', { name: 'Add component' }).click();
      await page.getByRole('menuitem', { name: /Tiered rates/ }).click();
      const tiered = page.getByRole('region', { name: 'Component 2: Accelerator' });
      await tiered.getByRole('table', { name: 'Tiers' }).waitFor();
      const secondFrom = tiered.getByRole('textbox', { name: 'Tier 2 from' });
      expect(await secondFrom.inputValue()).toBe('100 %');
      const summary = page.getByRole('region', { name: 'Plain-language summary' });
      await summary.getByText('Sellers earn 3 % up to 100 % of quota and 5 % above it').waitFor();

      // Bands that overlap are flagged at the field and in the list of problems, live.
      await secondFrom.fill('80');
      await tiered.getByText(/overlaps the tier before it \(0 % to 100 %\)/).waitFor();
      await page.getByRole('list', { name: 'Problems' }).getByText('components[1].tiers[1].fromBps').waitFor();
      await page.getByRole('region', { name: 'What would I earn' }).getByText('Fix the problems in the plan to see what it pays.').waitFor();
      await expectAccessible(page, 'plan editor (with a problem)');
      await secondFrom.fill('100');
      await page.getByText('No problems: this plan is complete and consistent.').waitFor();

      await page.getByRole('textbox', { name: 'Change note' }).fill('Accelerator above quota.');
      await page.getByRole('button', { name: 'Save draft' }).click();
      const saveBar = page.getByRole('region', { name: 'Save the draft' });
      await saveBar.getByText('Saved', { exact: true }).waitFor();
      expect(await saveBar.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);

      // The examples are the engine's numbers for the saved plan.
      const versionId = new URL(page.url()).searchParams.get('version');
      expect(versionId).toBeTruthy();
      const saved = (await page.evaluate(async (id) => (await fetch(`/api/comp/versions/${id}`)).json(), versionId as string)) as PlanVersionView;
      const plan = saved.document as unknown as PlanDocument;
      expect(plan.components.map((c) => c.kind)).toEqual(['commission', 'tiered']);
      const expected = runExample(plan, defaultExampleSettings(), 15_000);
      expect(expected.totalMinor).toBeGreaterThan(0);
      const example = page.getByRole('region', { name: 'At 150 % of quota' });
      await example.getByText(moneyText(expected.totalMinor, 'EUR'), { exact: true }).waitFor();
      await example.getByRole('table').getByText('Accelerator').first().waitFor();
      await page.getByRole('figure', { name: /Payout by attainment/ }).waitFor();
      await expectAccessible(page, 'plan editor (saved draft)');
      await maybeScreenshot(page, 'comp-plan-editor');

      await page.getByRole('tab', { name: 'What changed' }).click();
      await page.getByText('This is the first version: there is nothing earlier to compare with.').waitFor();

      // Submitted, the version waits for the approval chain: the comp admin's step first.
      await page.getByRole('button', { name: 'Submit for approval' }).click();
      await page.getByRole('heading', { name: 'Version 1', level: 2 }).locator('..').getByText('In approval').waitFor();
      await page.getByRole('tab', { name: 'Approval' }).click();
      await page.getByText('Waiting for a decision').waitFor();

      await page.getByRole('link', { name: 'Comp plans' }).first().click();
      await page.getByRole('table', { name: 'Plans' }).getByRole('link', { name: 'EMEA sellers 2026' }).waitFor();
      await expectAccessible(page, 'comp plans');

      // A plan file with a mistake comes back with the path and the line; fixed, it becomes a plan.
      const file = stringifyPlan(planTemplate('commission', { key: 'apac_sellers', name: 'APAC sellers', currency: 'USD', today: new Date() }), 'yaml');
      expect(file).toContain('rateBps: 300');
      await page.getByRole('button', { name: 'Import file' }).click();
      const importer = page.getByRole('dialog', { name: 'Import a plan file' });
      await importer.getByRole('textbox', { name: 'Or paste the file' }).fill(file.replace('rateBps: 300', 'rateBps: 30000'));
      await importer.getByRole('button', { name: 'Import plan' }).click();
      const problem = importer.getByRole('alert');
      await problem.getByText('document.components[0].rateBps').waitFor();
      await problem.getByText(/line \d+/).waitFor();
      await importer.getByRole('textbox', { name: 'Or paste the file' }).fill(file);
      await importer.getByRole('button', { name: 'Import plan' }).click();
      await page.getByRole('heading', { name: 'APAC sellers', level: 1 }).waitFor();
      await page.getByRole('region', { name: 'Plain-language summary' }).getByText('Sellers earn 3 % on credited value', { exact: false }).waitFor();
    } finally {
      await context.close();
    }

    // Finance reads the plan (nothing to edit) and waits for the comp admin's step before its own.
    const finance = await newPage(browser, server.url);
    try {
      const page = finance.page;
      await signInThroughForm(page, 'finn@vendor.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Comp plans' }).click();
      await page.getByRole('table', { name: 'Plans' }).getByRole('link', { name: 'EMEA sellers 2026' }).waitFor();
      expect(await page.getByRole('button', { name: 'New plan' }).count()).toBe(0);
      await page.getByRole('table', { name: 'Plans' }).getByRole('link', { name: 'EMEA sellers 2026' }).click();
      await page.getByRole('heading', { name: 'Version 1', level: 2 }).waitFor();
      expect(await page.getByRole('textbox', { name: 'Plan name' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Approve…' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Export' }).waitFor();
    } finally {
      await finance.context.close();
    }
  });
});
