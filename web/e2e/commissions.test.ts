import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jobDefinitions } from '../../server/jobs/registry.ts';
import { startWorker, type Worker } from '../../server/jobs/worker.ts';
import { createAssignment, updateParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { seedDemoHistory, type DemoHistory } from '../../server/modules/commissions/simulation.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

// Two good rows and one bad (line 3: the amount is not a number).
const csv = [
  'transaction_id,kind,recognised_on,amount,currency,sellers,end_customer',
  'X1,booking,2027-02-01,10000.00,USD,S1,Acme Freight',
  'X2,booking,2027-02-02,not-a-number,USD,S2,Beta Haulage',
  'X3,booking,2027-03-03,4000.00,USD,S2,Gamma Transport',
  '',
].join('\n');
const file = { name: 'q1-extra.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') };

describe.skipIf(!hasChromium)('commissions: imports, runs and statements', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let worker: Worker;
  let demo: DemoHistory;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    const seller = await server.createUser({ email: 'bob@vendor.test', password, displayName: 'Bob Brown', roles: ['internal_seller'] });
    // Participants, quotas, the two demo plans published and the demo transactions, through the services.
    demo = await seedDemoHistory(server.deps);
    for (const ref of ['S1', 'S2', 'S3', 'M1']) {
      const id = demo.participants.get(ref);
      if (!id) throw new Error(`participant ${ref}`);
      await createAssignment(server.deps, demo.admin, { participantId: id, planId: demo.candidatePlanId, effectiveFrom: '2027-01-01', effectiveTo: null });
    }
    // Bob signs in as the seller S2.
    await updateParticipant(server.deps, demo.admin, demo.participants.get('S2') ?? '', { appUserId: seller.id });
    // Period runs are background jobs: a worker runs them as in production.
    worker = startWorker(server.deps, jobDefinitions, { pollMs: 200 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await server?.close();
  });

  test('a comp admin imports a file with a bad row, commits the good rows, runs the quarter and drills a statement line down to its transactions', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Commissions' }).click();
      await page.getByRole('heading', { name: 'Transaction imports', level: 1 }).waitFor();
      // The demo transactions were sent as JSON rows: one batch is listed already.
      await page.getByRole('table', { name: 'Past imports' }).getByRole('row').nth(1).waitFor();
      await expectAccessible(page, 'imports (upload)');

      // Upload: the proposed mapping maps every canonical header, the sample rows are shown.
      await page.locator('input[type="file"]').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByRole('heading', { name: 'Column mapping' }).waitFor();
      await expect.poll(() => page.getByRole('combobox', { name: 'amount' }).inputValue()).toBe('amount');
      await expect.poll(() => page.getByRole('combobox', { name: 'product' }).inputValue()).toBe('(not mapped)');
      const sample = page.getByRole('table', { name: 'Sample rows of the file' });
      expect(await sample.innerText()).toContain('Gamma Transport');
      await expectAccessible(page, 'imports (mapping)');

      // Validate: 3 rows, 2 good, 1 bad on line 3 in the amount column.
      await page.getByRole('button', { name: 'Validate' }).click();
      await page.getByRole('heading', { name: 'Validation report' }).waitFor();
      const counts = page.getByRole('group', { name: 'Row counts' });
      await expect.poll(() => counts.innerText()).toMatch(/Rows\s+3\s+Good rows\s+2\s+Bad rows\s+1/);
      const bad = page.getByRole('table', { name: 'Bad rows' });
      const badRow = bad.locator('tbody tr');
      await expect.poll(() => badRow.count()).toBe(1);
      const cells = await badRow.first().getByRole('cell').allInnerTexts();
      expect(cells.slice(0, 3)).toEqual(['3', 'X2', 'amount']);
      await expectAccessible(page, 'imports (report)');

      // Commit the good rows.
      await page.getByRole('radio', { name: /Commit the good rows/ }).check();
      await page.getByRole('button', { name: 'Commit' }).click();
      await page.getByText(/2 good rows stored as 2 transaction lines; 1 bad rows skipped/).waitFor();
      const past = page.getByRole('table', { name: 'Past imports' });
      await expect.poll(() => past.getByRole('row', { name: /q1-extra\.csv/ }).innerText()).toMatch(/Committed\s+3\s+2\s+1/);

      // The same file again is the same batch: nothing new.
      await page.getByRole('button', { name: 'New upload' }).click();
      await page.locator('input[type="file"]').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('Already imported').waitFor();
      await expect.poll(() => past.getByRole('row', { name: /q1-extra\.csv/ }).count()).toBe(1);

      // A run for Q1 2027.
      await page.getByRole('link', { name: 'Runs', exact: true }).click();
      await page.getByRole('heading', { name: 'Period runs', level: 1 }).waitFor();
      await page.getByText('No runs yet.').waitFor();
      await expectAccessible(page, 'runs (empty)');
      await page.getByRole('textbox', { name: 'Year' }).fill('2027');
      await page.getByRole('button', { name: 'Start run for Q1 2027' }).click();
      const runs = page.getByRole('table', { name: 'Period runs' });
      const run = runs.getByRole('row', { name: /Q1 2027/ });
      await expect.poll(() => run.innerText(), { timeout: 60_000 }).toMatch(/Completed/);
      expect(await run.innerText()).toMatch(/channel_friendly_2027 v1 \(USD\)/);
      expect(await run.innerText()).toMatch(/Hash [0-9a-f]{16}…/);
      await expectAccessible(page, 'runs (completed)');

      // Alice's statement, and the transactions behind her first payout line.
      await run.getByRole('link', { name: /statements/ }).click();
      await page.getByRole('heading', { name: 'Statements', level: 1 }).waitFor();
      await page.getByRole('combobox', { name: 'Participant' }).fill('Alice');
      await page.getByRole('option', { name: 'Alice Archer (S1)' }).click();
      await page.getByRole('heading', { name: 'Alice Archer', level: 2 }).waitFor();
      const lines = page.getByRole('table', { name: 'Payout lines for Q1 2027' });
      await lines.waitFor();
      const figures = await page.getByRole('group', { name: 'Figures for Q1 2027' }).innerText();
      expect(figures).toMatch(/Quota[\s\S]*Quota credit[\s\S]*Attainment[\s\S]*Total payout/);
      await page.getByRole('figure', { name: /payout per component/ }).waitFor();
      await lines
        .getByRole('button', { name: /^Show transactions of/ })
        .first()
        .click();
      const txs = page.getByRole('table', { name: /^Transactions of/ });
      await txs.waitFor();
      await expect.poll(() => txs.innerText()).toContain('X1');
      await expectAccessible(page, 'statement (drill-down)');
      await maybeScreenshot(page, 'commissions-statement');
    } finally {
      await context.close();
    }
  });

  test('a seller linked to a participant sees only their own statement', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'bob@vendor.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My statements' }).click();
      await page.getByRole('heading', { name: 'My statements', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Bob Brown', level: 2 }).waitFor();
      await page.getByRole('table', { name: 'Payout lines for Q1 2027' }).waitFor();
      expect(await page.locator('main').innerText()).not.toContain('Alice Archer');
      // No participant picker, and the admin pages are not theirs.
      expect(await page.getByRole('combobox', { name: 'Participant' }).count()).toBe(0);
      await expectAccessible(page, 'my statements');
      await page.goto('/commissions/statements');
      await page.getByRole('heading', { name: /not found/i }).waitFor();
    } finally {
      await context.close();
    }
  });
});
