import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { inTransaction } from '../../server/deps.ts';
import { createParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { createScorecard } from '../../server/modules/scorecards/scorecards.service.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { insertOpportunities } from './opportunities.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

describe.skipIf(!hasChromium)('scorecard targets in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'root@vendor.test', password, displayName: 'Rosa Root', roles: ['admin'] });
    await server.createUser({ email: 'eve@vendor.test', password, displayName: 'Eve Executive', roles: ['executive'] });
    const acme = await server.createPartner('Acme Partners');
    const zenith = await server.createPartner('Zenith Integrators');
    const sys = systemActor('test');
    const deps = server.deps;
    await inTransaction(deps, sys, (trx) => trx.updateTable('partner').set({ tier: 'gold' }).where('partnerId', '=', acme.id).execute());
    const desk = await createParticipant(deps, sys, {
      externalRef: 'hr:desk',
      displayName: 'Desk',
      email: null,
      appUserId: null,
      managerId: null,
      team: 'Field',
      unit: 'Central',
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    // Acme wins half its deals (amber against the default 60%), Zenith all of them.
    const dates = { engageOn: '2017-04-02', closeOn: '2017-05-15' };
    await insertOpportunities(deps, desk.id, 'P', [
      { partnerId: acme.id, stage: 'won', valueMinor: 50_000, ...dates },
      { partnerId: acme.id, stage: 'lost', valueMinor: 0, ...dates },
      { partnerId: zenith.id, stage: 'won', valueMinor: 90_000, ...dates },
    ]);
    await createScorecard(deps, sys, {
      key: 'partner_card',
      name: 'Partner scorecard',
      owner: 'Channel',
      periodGrain: 'quarter',
      trendPeriods: 2,
      subjectKind: 'partner',
      rows: [{ metric: 'win_rate', weight: 1, target: 0.6, redFlag: 0.4 }],
      audiences: [{ kind: 'internal' }],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an admin sets a tier target, sees it applied with its source, and uploads a CSV with a bad row', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'root@vendor.test', password);
      await page.goto('/scorecards/partner_card?period=2017-05-20');
      await page.getByRole('heading', { name: 'Partner scorecard', level: 1 }).waitFor();
      const ranking = page.getByRole('table', { name: 'Partner scorecard ranking' });
      const acmeRow = ranking.getByRole('row', { name: /Acme Partners/ });
      await expect.poll(() => acmeRow.innerText()).toMatch(/50\.0%\s+Amber/);
      expect(await acmeRow.innerText()).not.toMatch(/tier Gold/);

      // The Targets section: the default from the definition, and the controls of a manager.
      await page.getByRole('navigation', { name: 'Scorecard sections' }).getByRole('link', { name: 'Targets' }).click();
      await page.getByRole('heading', { name: 'Partner scorecard: targets', level: 1 }).waitFor();
      const targets = page.getByRole('table', { name: 'Targets' });
      await expect.poll(() => targets.getByRole('row', { name: /Scorecard default/ }).innerText()).toMatch(/Every subject\s+60\.0%\s+40\.0%/);
      await expectAccessible(page, 'scorecard targets');

      // A per-tier target; the server's check comes back at its field.
      await page.getByRole('button', { name: 'Add target' }).click();
      const form = page.getByRole('form', { name: 'Add target' });
      await form.getByRole('combobox', { name: 'Applies to' }).selectOption({ label: 'Partner tier' });
      await form.getByRole('textbox', { name: 'Tier' }).fill('gold');
      await form.getByRole('textbox', { name: 'Target', exact: true }).fill('0.3');
      await form.getByRole('textbox', { name: 'Red flag' }).fill('0.5');
      await form.getByRole('button', { name: 'Add target' }).click();
      const redFlag = form.getByRole('textbox', { name: 'Red flag' });
      await expect.poll(() => redFlag.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await redFlag.getAttribute('aria-describedby')) ?? '';
      const errorId = describedBy.split(' ').find((id) => id.endsWith('error')) ?? '';
      expect(await page.locator(`[id="${errorId}"]`).innerText()).toMatch(/higher is better for Win rate: the red flag is below the target/);
      await expectAccessible(page, 'add target (field error)');
      await maybeScreenshot(page, 'scorecard-target-field-error');
      await form.getByRole('textbox', { name: 'Target', exact: true }).fill('0.5');
      await redFlag.fill('0.3');
      await form.getByRole('button', { name: 'Add target' }).click();
      await form.waitFor({ state: 'detached' });
      await expect.poll(() => targets.getByRole('row', { name: /Partner tier/ }).innerText()).toMatch(/gold\s+50\.0%\s+30\.0%/);

      // Back on the scorecard: the figures were computed before the target, so they are computed again.
      await page.getByRole('navigation', { name: 'Scorecard sections' }).getByRole('link', { name: 'Scorecard' }).click();
      await page.getByRole('heading', { name: 'Partner scorecard', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Recompute now' }).click();
      await expect.poll(() => acmeRow.innerText()).toMatch(/50\.0%\s+Green\s+·\s+6\.67\s+target 50\.0% \(tier Gold\)/);
      const zenithRow = ranking.getByRole('row', { name: /Zenith Integrators/ });
      expect(await zenithRow.innerText()).not.toMatch(/target/);
      // The subject detail says which target applied and why.
      await ranking.getByRole('button', { name: 'Acme Partners' }).click();
      await page.getByRole('heading', { name: 'Acme Partners', level: 2 }).waitFor();
      await page.getByText('Target 50.0% · red flag 30.0% · tier Gold').waitFor();
      await expectAccessible(page, 'scorecard with applied targets');
      await maybeScreenshot(page, 'scorecard-applied-targets');

      // A CSV with one bad row: checked first, reported by line, then the good rows saved.
      await page.getByRole('navigation', { name: 'Scorecard sections' }).getByRole('link', { name: 'Targets' }).click();
      await page.getByRole('heading', { name: 'Partner scorecard: targets', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Upload CSV' }).click();
      const csv = [
        'metric,subject_kind,subject,target,red_flag,note',
        'win_rate,partner,Zenith Integrators,0.9,0.7,stretch',
        'win_rate,partner,Nobody Ltd,0.5,0.3,',
        'win_rate,partner_tier,silver,0.55,0.35,',
      ].join('\n');
      await page.locator('input[type="file"]').setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Check file' }).click();
      const problems = page.getByRole('table', { name: 'Problems in the file' });
      await problems.waitFor();
      const bad = problems.locator('tbody tr');
      expect(await bad.count()).toBe(1);
      expect(await bad.first().getByRole('cell').allInnerTexts()).toEqual(['3', 'subject', 'no partner has the id or name "Nobody Ltd"']);
      await page.getByText('3 rows: 2 good, 1 with problems.').waitFor();
      await expectAccessible(page, 'target upload report');
      await maybeScreenshot(page, 'scorecard-targets-upload');
      // Nothing is saved before the choice.
      expect(await targets.getByRole('row', { name: /Zenith Integrators/ }).count()).toBe(0);
      await page.getByRole('button', { name: 'Save the 2 good rows' }).click();
      await page.getByText('Targets saved').waitFor();
      await page.getByText(/saved 2, unchanged 0/).waitFor();
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await expect
        .poll(() => targets.getByRole('row', { name: /Zenith Integrators/ }).innerText())
        .toMatch(/Partner\s+Zenith Integrators\s+90\.0%\s+70\.0%\s+stretch/);
      await expect.poll(() => targets.getByRole('row', { name: /silver/ }).count()).toBe(1);
      await maybeScreenshot(page, 'scorecard-targets');
      expect(await targets.getByRole('row', { name: /Nobody/ }).count()).toBe(0);

      // The download holds the current targets in the import's columns.
      const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
      const file = await page.request.get(href ?? '');
      expect(file.status()).toBe(200);
      const text = await file.text();
      expect(text.split('\r\n')[0]).toBe('metric,subject_kind,subject,subject_label,target,red_flag,note');
      expect(text).toContain('win_rate,partner_tier,gold,gold,0.5,0.3,');
      expect(text).toMatch(/win_rate,partner,[0-9a-f-]{36},Zenith Integrators,0\.9,0\.7,stretch/);
    } finally {
      await context.close();
    }
  });

  test('a reader sees targets and their sources but no edit controls', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'eve@vendor.test', password);
      await page.goto('/scorecards/partner_card/targets');
      await page.getByRole('heading', { name: 'Partner scorecard: targets', level: 1 }).waitFor();
      await page
        .getByRole('table', { name: 'Targets' })
        .getByRole('row', { name: /Scorecard default/ })
        .waitFor();
      await page.getByRole('link', { name: 'Download CSV' }).waitFor();
      expect(await page.getByRole('button', { name: 'Add target' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Upload CSV' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Edit the target|Remove the target/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
