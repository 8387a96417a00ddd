import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as comp from '../../server/modules/comp-plans/comp-plans.service.ts';
import { internalActor, makeApprovers, planDoc, publishedPlanVersion } from '../../server/modules/comp-plans/comp-plans.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { parseQuotaCsv, serverRowProblems } from '../src/features/comp-participants/quota-csv.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe('quota CSV (read in the browser)', () => {
  test('a header in any order, quoted grouped amounts, separators, and each row’s problems with its line', () => {
    const csv = parseQuotaCsv(
      [
        'currency;period start;period end;participant ref;amount',
        'eur;2027-01-01;2027-04-01;EMP-1;"250,000.50"',
        '',
        'EUR;2027-01-01;2027-04-01;EMP-2;12x',
        'EUR;2027-01-01;2026-12-01;EMP-1;5',
      ].join('\n'),
    );
    expect(csv.hasHeader).toBe(true);
    expect(csv.problems).toEqual([]);
    expect(csv.rows.map((r) => [r.line, r.externalRef, r.amountMinor, r.currency])).toEqual([
      [2, 'EMP-1', 25_000_050, 'EUR'],
      [4, 'EMP-2', null, 'EUR'],
      [5, 'EMP-1', 500, 'EUR'],
    ]);
    expect(csv.rows[1]?.problems).toEqual(['amount “12x” is not a number such as 1200.50']);
    expect(csv.rows[2]?.problems).toEqual([
      'the period end must be after the period start (it is the first day after the period)',
      'the same participant and period start as line 2',
    ]);
    // Without a header: the documented order; a wrong count of values and a too precise amount are problems.
    const plain = parseQuotaCsv('A,2027-01-01,2027-04-01,100,JPY\nB,2027-01-01,2027-04-01,1.5,JPY\nC,2027-01-01');
    expect(plain.hasHeader).toBe(false);
    expect(plain.rows[0]?.problems).toEqual([]);
    expect(plain.rows[1]?.problems).toEqual(['amount "1.5" has more than 0 decimals for JPY']);
    expect(plain.rows[2]?.problems).toContain('expected 5 values, found 2');
    // The server's problems land on their rows, in the preview's words and lines.
    const placed = serverRowProblems(
      [
        { path: 'body.rows[1].externalRef', message: 'no participant has the reference "EMP-2"' },
        { path: 'body.rows[2].periodStart', message: 'the same participant and period start as rows[0]' },
        { path: 'body', message: 'is too large' },
      ],
      csv.rows,
    );
    expect(placed.byRow.get(1)).toEqual(['participant reference: no participant has the reference "EMP-2"']);
    expect(placed.byRow.get(2)).toEqual(['period start: the same participant and period start as line 2']);
    expect(placed.general).toEqual(['is too large']);
  });
});

describe.skipIf(!hasChromium)('comp participants, assignments, quotas and the ceiling', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    // A published plan and a manager to report to, made through the service layer.
    const who = await makeApprovers(server.deps);
    await publishedPlanVersion(server.deps, who, planDoc({ name: 'Direct sellers 2027' }));
    const admin = await internalActor(server.deps, ['comp_admin']);
    await comp.createParticipant(server.deps, admin, {
      externalRef: 'MGR-1',
      displayName: 'Mara Manager',
      email: null,
      appUserId: null,
      managerId: null,
      team: 'EMEA Direct',
      unit: null,
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a comp admin adds a participant, assigns a plan, uploads quotas (a bad row first), and sets the ceiling', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'cora@vendor.test', password);
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByRole('link', { name: 'Comp plans' }).click();
      await nav.getByRole('link', { name: 'Participants' }).click();
      await page.getByRole('heading', { name: 'Participants', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Participants' }).getByRole('link', { name: 'Mara Manager' }).waitFor();
      await expectAccessible(page, 'participants');

      // A new participant reporting to Mara, chosen by searching.
      await page.getByRole('button', { name: 'New participant' }).click();
      const dialog = page.getByRole('dialog', { name: 'New participant' });
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Ada Seller');
      await dialog.getByRole('textbox', { name: 'External reference' }).fill('EMP-1001');
      await dialog.getByRole('textbox', { name: 'Team' }).fill('EMEA Direct');
      await dialog.getByLabel('Manager', { exact: true }).fill('mara');
      await page.getByRole('option', { name: 'Mara Manager · MGR-1' }).click();
      await expectAccessible(page, 'new participant dialog');
      await dialog.getByRole('button', { name: 'Create participant' }).click();
      await page.getByRole('heading', { name: 'Ada Seller', level: 1 }).waitFor();
      await page.getByRole('region', { name: 'Details' }).getByRole('link', { name: 'Mara Manager' }).waitFor();

      // On the plan from 2027; a second assignment over the same period is refused, and says why.
      await page.getByRole('button', { name: 'Assign a plan' }).click();
      const assign = page.getByRole('dialog', { name: 'Assign Ada Seller to a plan' });
      await assign.getByLabel(/^Plan/).click();
      await page.getByRole('option', { name: /Direct sellers 2027/ }).click();
      await assign.getByLabel(/^From/).fill('2027-01-01');
      await assign.getByRole('button', { name: 'Assign' }).click();
      const assignments = page.getByRole('table', { name: 'Plan assignments' });
      await assignments.getByRole('link', { name: 'Direct sellers 2027' }).waitFor();
      await assignments.getByText(/Version 1/).waitFor();
      await page.getByRole('button', { name: 'Assign a plan' }).click();
      await assign.getByLabel(/^Plan/).click();
      await page.getByRole('option', { name: /Direct sellers 2027/ }).click();
      await assign.getByLabel(/^From/).fill('2027-06-01');
      await assign.getByRole('button', { name: 'Assign' }).click();
      await assign
        .getByRole('alert')
        .getByText(/one plan at a time/)
        .waitFor();
      await assign
        .getByText(/overlaps the assignment to/)
        .first()
        .waitFor();
      await expectAccessible(page, 'assignment overlap');
      await assign.getByRole('button', { name: 'Cancel' }).click();
      await expectAccessible(page, 'participant detail');
      await maybeScreenshot(page, 'comp-participant-detail');

      // Deactivated from today: still listed, marked inactive.
      await page.getByRole('button', { name: 'Deactivate' }).click();
      const deactivate = page.getByRole('dialog', { name: 'Deactivate Ada Seller' });
      await deactivate.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('heading', { name: 'Ada Seller', level: 1 }).locator('..').getByText('Inactive').waitFor();

      // The list: search and team filter live in the URL.
      await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Participants' }).click();
      await page.getByRole('searchbox', { name: 'Search participants' }).fill('EMP-1001');
      await page.waitForURL(/q=EMP-1001/);
      await page.getByRole('textbox', { name: 'Team' }).fill('EMEA Direct');
      await page.waitForURL(/team=EMEA(\+|%20)Direct/);
      const list = page.getByRole('table', { name: 'Participants' });
      await page.getByText('1–1 of 1 participants').waitFor();
      await list.getByRole('link', { name: 'Ada Seller' }).waitFor();
      await list.getByText('Inactive').waitFor();
      await list.getByRole('link', { name: 'Mara Manager' }).waitFor(); // Ada's manager
      await page.reload();
      await page.getByText('1–1 of 1 participants').waitFor();
      expect(await page.getByRole('searchbox', { name: 'Search participants' }).inputValue()).toBe('EMP-1001');

      // Quotas: a row the browser rejects keeps Save off; a reference the server does not know saves nothing.
      await page.getByRole('tab', { name: 'Upload quotas' }).click();
      const pasted = page.getByRole('textbox', { name: 'Or paste the rows' });
      const header = 'participant ref,period start,period end,amount,currency';
      await pasted.fill([header, 'EMP-1001,2027-01-01,2027-04-01,12x,EUR'].join('\n'));
      const rows = page.getByRole('table', { name: 'Quota rows' });
      await rows.getByText('amount “12x” is not a number such as 1200.50').waitFor();
      expect(await page.getByRole('button', { name: 'Save quotas' }).isDisabled()).toBe(true);
      await pasted.fill([header, 'EMP-1001,2027-01-01,2027-04-01,250000,EUR', 'EMP-9999,2027-01-01,2027-04-01,180000.50,EUR'].join('\n'));
      await page.getByText('2 rows after the header · no problems').waitFor();
      await page.getByRole('button', { name: 'Save quotas' }).click();
      await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor();
      const bad = rows.getByRole('row').filter({ hasText: 'EMP-9999' });
      await bad.getByText('participant reference: no participant has the reference "EMP-9999"').waitFor();
      await expectAccessible(page, 'quota upload with a problem');
      await maybeScreenshot(page, 'comp-quota-upload');
      const none = await page.evaluate(async () => (await fetch('/api/comp/quotas')).json());
      expect(none.total).toBe(0);

      await pasted.fill([header, 'EMP-1001,2027-01-01,2027-04-01,250000,EUR', 'MGR-1,2027-01-01,2027-04-01,180000.50,EUR'].join('\n'));
      await page.getByRole('button', { name: 'Save quotas' }).click();
      await page.getByRole('status').filter({ hasText: 'Quotas saved' }).getByText('2 new, 0 changed, 0 unchanged.').waitFor();
      await expectAccessible(page, 'quota upload saved');
      const saved = await page.evaluate(async () => (await fetch('/api/comp/quotas')).json());
      expect(saved.items.map((q: { externalRef: string; amountMinor: number }) => [q.externalRef, q.amountMinor]).sort()).toEqual([
        ['EMP-1001', 25_000_000],
        ['MGR-1', 18_000_050],
      ]);

      // The ceiling, in major units.
      await nav.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Compensation settings', level: 1 }).waitFor();
      await page.getByText('No ceiling is set now.').waitFor();
      await page.getByRole('textbox', { name: 'Ceiling per participant and period' }).fill('50000');
      await page.getByRole('button', { name: 'Save ceiling' }).click();
      await page.getByText('The ceiling now: 50,000.00 in each plan’s currency.').waitFor();
      const settings = await page.evaluate(async () => (await fetch('/api/comp/settings')).json());
      expect(settings.payoutCeilingMinor).toBe(5_000_000);
      await expectAccessible(page, 'compensation settings');
      await maybeScreenshot(page, 'comp-settings');
    } finally {
      await context.close();
    }
  });
});
