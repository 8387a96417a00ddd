import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { simulatePlans, type SimulationResult } from '../../common/comp/simulate.ts';
import { systemActor } from '../../server/actor.ts';
import { inTransaction } from '../../server/deps.ts';
import { loadStoreSimulation } from '../../server/modules/commissions/simulation.service.ts';
import { seedDemoHistory, type DemoHistory } from '../../server/modules/commissions/simulation.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { money, percent, signedMoney } from '../src/features/comp-simulation/simulation-format.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('plan simulation against the transaction store', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let demo: DemoHistory;
  let expected: SimulationResult;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    // The demo history through the services: participants, quotas, the two example plans published, the transactions.
    demo = await seedDemoHistory(server.deps);
    // What simulatePlans itself says on the same data.
    const request = { baselineVersionId: demo.baselineVersionId, candidateVersionIds: [demo.candidateVersionId], period: '2027-Q1' };
    const loaded = await inTransaction(server.deps, systemActor('test'), (trx) => loadStoreSimulation(trx, request));
    expected = simulatePlans(loaded.input);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a comp admin simulates the candidate plan against the current one on demo history and reads the comparison', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByRole('link', { name: 'Comp plans' }).click();
      // The plans page first (a slow machine can still be rendering it), then its Simulation section.
      await page.getByRole('heading', { name: 'Comp plans', level: 1 }).waitFor();
      await nav.getByRole('link', { name: 'Simulation', exact: true }).click();
      await page.waitForURL('**/comp-plans/simulation');
      await page.getByRole('heading', { name: 'Plan simulation', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByText('No simulations yet.').waitFor();
      await expectAccessible(page, 'plan simulation (empty)');

      const [basePlan, candPlan] = expected.plans;
      if (!basePlan || !candPlan) throw new Error('two plans expected');
      await page.getByRole('combobox', { name: 'Current plan (baseline)' }).click();
      await page.getByRole('option', { name: `${basePlan.name} · v1 (published)` }).click();
      await page
        .getByLabel(/^Candidate plans/)
        .first()
        .click();
      await page.getByRole('option', { name: `${candPlan.name} · v1 (published)` }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('textbox', { name: 'Period' }).fill('2027-Q1');
      await page.getByRole('button', { name: 'Run simulation' }).click();

      const participants = page.getByRole('table', { name: 'Earnings per participant and plan' });
      await participants.waitFor();
      const cur = expected.currency;
      // Every participant's numbers are simulatePlans' numbers.
      for (const p of expected.participants) {
        const [base, cand] = p.plans;
        if (!base || !cand) throw new Error('two plan results expected');
        const row = participants.getByRole('row', { name: new RegExp(`^${p.name}\\b`) });
        const cells = row.getByRole('cell');
        await expect
          .poll(() => cells.allInnerTexts())
          .toEqual([money(base.totalMinor, cur), money(cand.totalMinor, cur), `${signedMoney(cand.changeMinor, cur)} (${percent(cand.changeBps, true)})`]);
      }
      // Totals per plan.
      const totals = page.getByRole('table', { name: 'Totals per plan' });
      for (const p of expected.plans) {
        const row = totals.getByRole('row', { name: new RegExp(p.name) });
        const text = await row.innerText();
        expect(text).toContain(money(p.totalCostMinor, cur));
        expect(text).toContain(money(p.revenueMinor, cur));
        expect(text).toContain(percent(p.costOfSalesBps));
        expect(text).toContain(money(p.attribution.partnerSourcedMinor, cur));
        expect(text).toContain(money(p.attribution.nonRenewalMinor, cur));
      }
      // Comp neutrality per plan.
      const neutrality = page.getByRole('table', { name: 'Comp neutrality per plan' });
      for (const p of expected.plans)
        expect(await neutrality.getByRole('row', { name: new RegExp(`^${p.planKey}`) }).innerText()).toContain(
          money(p.neutrality.partnerSourcedCostMinor, cur),
        );
      await page.getByRole('figure', { name: /Histogram/ }).waitFor();

      // The winners only: as many rows as simulatePlans counts winners.
      await page.getByText('Winners', { exact: true }).click();
      const winners = candPlan.winners.length;
      expect(winners).toBeGreaterThan(0);
      await expect.poll(() => participants.locator('tbody tr').count()).toBe(winners);
      await expectAccessible(page, 'plan simulation (result)');
      await maybeScreenshot(page, 'comp-simulation');

      // The simulation is stored: it is listed and reopens with the same numbers.
      await page.reload();
      await page.getByRole('table', { name: 'Recent simulations' }).getByRole('link').first().waitFor();
      await participants.waitFor();
    } finally {
      await context.close();
    }
  });
});
