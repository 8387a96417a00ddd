import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAssignment, updateParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { createPeriod } from '../../server/modules/commissions/close.service.ts';
import { createRun, runPeriodRunJob } from '../../server/modules/commissions/runs.service.ts';
import { seedDemoHistory, type DemoHistory } from '../../server/modules/commissions/simulation.test-support.ts';
import { createTransactions } from '../../server/modules/commissions/transactions.service.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('commissions: close, approve, payroll, restate; estimating a deal; exchange rates', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let demo: DemoHistory;

  /** A completed run over Q1 2027, calculated at once (no worker needed). */
  async function completedQ1Run(): Promise<string> {
    const run = await createRun(server.deps, demo.admin, { periodStart: '2027-01-01', periodEnd: '2027-04-01' });
    await runPeriodRunJob(server.deps, run.id);
    return run.id;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    await server.createUser({ email: 'fin@vendor.test', password, displayName: 'Finn Finance', roles: ['finance'] });
    const seller = await server.createUser({ email: 'bob@vendor.test', password, displayName: 'Bob Brown', roles: ['internal_seller'] });
    demo = await seedDemoHistory(server.deps);
    for (const ref of ['S1', 'S2', 'S3', 'M1']) {
      const id = demo.participants.get(ref);
      if (!id) throw new Error(`participant ${ref}`);
      await createAssignment(server.deps, demo.admin, { participantId: id, planId: demo.candidatePlanId, effectiveFrom: '2027-01-01', effectiveTo: null });
    }
    await updateParticipant(server.deps, demo.admin, demo.participants.get('S2') ?? '', { appUserId: seller.id });
    const manager = await server.createUser({ email: 'maria@vendor.test', password, displayName: 'Maria Mendes', roles: ['internal_seller'] });
    await updateParticipant(server.deps, demo.admin, demo.participants.get('M1') ?? '', { appUserId: manager.id });
    await completedQ1Run();
    // The next quarter is open: a restatement of Q1 is booked there.
    await createPeriod(server.deps, demo.admin, { periodStart: '2027-04-01', periodEnd: '2027-07-01' });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a comp admin opens and closes Q1, finance approves and downloads payroll, a late deal restates Q1 as v2 with an adjustment in Q2', async () => {
    const admin = await newPage(browser, server.url);
    try {
      const page = admin.page;
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.goto('/commissions/periods');
      await page.getByRole('heading', { name: 'Periods and close', level: 1 }).waitFor();
      const periods = page.getByRole('table', { name: 'Commission periods' });
      await periods.getByRole('row', { name: /Q2 2027/ }).waitFor();
      await page.getByRole('textbox', { name: 'Year' }).fill('2027');
      await page.getByRole('button', { name: 'Open Q1 2027' }).click();
      const q1 = periods.getByRole('row', { name: /Q1 2027/ });
      await expect.poll(() => q1.innerText()).toMatch(/Open/);
      await expectAccessible(page, 'periods');

      await q1.getByRole('link', { name: 'Q1 2027' }).click();
      await page.getByRole('heading', { name: 'Q1 2027', level: 1 }).waitFor();
      // A comp admin closes and restates, but does not approve payouts.
      expect(await page.getByRole('button', { name: 'Approve payouts' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Close period' }).click();
      const dialog = page.getByRole('dialog', { name: 'Close Q1 2027' });
      await dialog.getByRole('combobox', { name: 'Run' }).waitFor();
      await expectAccessible(page, 'close dialog');
      await dialog.getByRole('button', { name: 'Close period' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const status = page.getByRole('region', { name: 'Status and actions' });
      await expect.poll(() => status.innerText()).toMatch(/Closed[\s\S]*Payouts not approved/);
      const versions = page.getByRole('table', { name: 'Versions of the period' });
      await expect.poll(() => versions.innerText()).toMatch(/v1\s+Close\s+[0-9a-f]{16}…/);
      await page.getByRole('figure', { name: /payout per participant/ }).waitFor();
      await expectAccessible(page, 'period closed');
    } finally {
      await admin.context.close();
    }

    const finance = await newPage(browser, server.url);
    const periodUrl = await (async () => {
      const page = finance.page;
      await signInThroughForm(page, 'fin@vendor.test', password);
      await page.goto('/commissions/periods');
      await page.getByRole('table', { name: 'Commission periods' }).getByRole('link', { name: 'Q1 2027' }).click();
      await page.getByRole('heading', { name: 'Q1 2027', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Approve payouts' }).click();
      const dialog = page.getByRole('dialog', { name: 'Approve the payouts of Q1 2027' });
      await dialog.getByRole('button', { name: 'Approve payouts' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const link = page.getByRole('link', { name: 'Download the payroll CSV of Q1 2027' });
      await link.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe('payroll-2027-01-01-2027-04-01.csv');
      const csv = await readFile(await download.path(), 'utf8');
      expect(csv.split(/\r?\n/)[0]).toBe('external_ref,name,period_start,period_end,currency,commission,adjustments,amount');
      expect(csv).toContain('Alice Archer');
      return page.url();
    })();
    await finance.context.close();

    // A deal of Q1 arrives late: a new run over Q1 differs from the closed version.
    const late = await createTransactions(server.deps, demo.admin, {
      mode: 'all_or_nothing',
      rows: [{ transaction_id: 'LATE-1', kind: 'booking', recognised_on: '2027-03-28', amount: '25000.00', currency: 'USD', sellers: 'S1' }],
    });
    expect(late.status).toBe('committed');
    await completedQ1Run();

    const again = await newPage(browser, server.url);
    try {
      const page = again.page;
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.goto(periodUrl);
      await page.getByRole('heading', { name: 'Q1 2027', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Restate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Restate Q1 2027' });
      await dialog.getByRole('combobox', { name: 'Run' }).waitFor();
      await dialog.getByRole('button', { name: 'Restate period' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const versions = page.getByRole('table', { name: 'Versions of the period' });
      await expect.poll(() => versions.innerText()).toMatch(/v2\s+Restatement/);
      await expect.poll(() => page.getByRole('table', { name: 'Payout by participant and version' }).innerText()).toMatch(/Alice Archer[\s\S]*\+\$/);
      await expectAccessible(page, 'period restated');
      await maybeScreenshot(page, 'commissions-period-restated');

      // The difference is booked in Q2, which is still open.
      await page.getByRole('link', { name: 'Periods', exact: true }).first().click();
      await page.getByRole('table', { name: 'Commission periods' }).getByRole('link', { name: 'Q2 2027' }).click();
      await page.getByRole('heading', { name: 'Q2 2027', level: 1 }).waitFor();
      const adjustments = page.getByRole('table', { name: 'Adjustments booked in the period' });
      await expect.poll(() => adjustments.innerText()).toMatch(/Alice Archer\s+restatement of 2027-01-01 to 2027-04-01 v2\s+v2\s+\+\$/);
      await expectAccessible(page, 'period with adjustments');
    } finally {
      await again.context.close();
    }
  });

  test('a comp admin sets an exchange rate; a second rate for the same day replaces it', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.goto('/commissions/settings');
      await page.getByRole('heading', { name: 'Commission settings', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Set an exchange rate' });
      await form.getByRole('textbox', { name: 'From currency' }).fill('GBP');
      await form.getByRole('textbox', { name: 'To currency' }).fill('USD');
      await form.getByLabel('Valid from').fill('2027-01-01');
      await form.getByRole('textbox', { name: /^Rate/ }).fill('abc');
      await form.getByRole('button', { name: 'Save rate' }).click();
      await form.getByRole('alert').waitFor();
      expect(await form.getByRole('alert').innerText()).toMatch(/rate/);
      await form.getByRole('textbox', { name: /^Rate/ }).fill('1.25');
      await form.getByRole('button', { name: 'Save rate' }).click();
      const table = page.getByRole('table', { name: 'Exchange rates' });
      await expect.poll(() => table.innerText()).toMatch(/GBP → USD\s+2027-01-01\s+1\.25/);
      await form.getByRole('textbox', { name: /^Rate/ }).fill('1.3');
      await form.getByRole('button', { name: 'Save rate' }).click();
      await page.getByText('(was 1.25)').waitFor();
      await expect.poll(() => table.innerText()).toMatch(/GBP → USD\s+2027-01-01\s+1\.3\b/);
      await expectAccessible(page, 'commission settings');
    } finally {
      await context.close();
    }
  });

  test('a seller estimates what a deal would add to their quarter', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'bob@vendor.test', password);
      await page.goto('/my/statements');
      await page.getByRole('heading', { name: 'My statements', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Estimate a deal' });
      await form.getByRole('textbox', { name: 'Deal value' }).fill('10000.00');
      await form.getByRole('textbox', { name: 'Currency' }).fill('USD');
      await form.getByLabel('Closes on').fill('2027-03-15');
      await form.getByRole('button', { name: 'Estimate' }).click();
      const totals = page.getByRole('group', { name: 'Estimate totals' });
      // Bob's quarter is paid by the recoverable draw (3,000.00): the deal's commission only replaces part of the draw.
      await expect.poll(() => totals.innerText()).toMatch(/Would add in Q1 2027\s+\$0\.00[\s\S]*\$3,000\.00 → \$3,000\.00/);
      const components = page.getByRole('table', { name: 'Estimate by component' });
      const commission = components.getByRole('row', { name: /Commission on attainment/ });
      const draw = components.getByRole('row', { name: /Recoverable draw/ });
      expect(await commission.innerText()).toMatch(/\+\$[\d,]+\.\d\d/);
      expect(await draw.innerText()).toMatch(/-\$[\d,]+\.\d\d/);
      expect(await page.getByRole('region', { name: 'Estimate result' }).innerText()).toContain('Bob Brown');
      await expectAccessible(page, 'estimate');
    } finally {
      await context.close();
    }
  });

  test('a manager estimates a deal for one of their reports', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'maria@vendor.test', password);
      await page.goto('/my/statements');
      const form = page.getByRole('form', { name: 'Estimate a deal' });
      await form.getByRole('combobox', { name: 'For' }).click();
      await page.getByRole('option', { name: 'Alice Archer' }).click();
      await form.getByRole('textbox', { name: 'Deal value' }).fill('50000.00');
      await form.getByRole('textbox', { name: 'Currency' }).fill('USD');
      await form.getByLabel('Closes on').fill('2027-03-15');
      await form.getByRole('button', { name: 'Estimate' }).click();
      const result = page.getByRole('region', { name: 'Estimate result' });
      await expect.poll(() => result.innerText()).toContain('Alice Archer · plan channel_friendly_2027');
      await expectAccessible(page, 'estimate for a report');
    } finally {
      await context.close();
    }
  });
});
