import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { jobDefinitions } from '../../server/jobs/registry.ts';
import { startWorker, type Worker } from '../../server/jobs/worker.ts';
import { createParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { importMavenCrm } from '../../server/modules/scorecards/opportunities.service.ts';
import { createScorecard } from '../../server/modules/scorecards/scorecards.service.ts';
import { takeSnapshot } from '../../server/modules/scorecards/snapshots.service.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { insertOpportunities } from './opportunities.ts';
import { expectAccessible, hasChromium, launchBrowser, maybeScreenshot, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

const teams = 'sales_agent,manager,regional_office\nAnn,Mia,Central\nBob,Mia,Central\nCy,Lee,East\n';
const products = 'product,series,sales_price\nGTX Pro,GTX,4821\n';
const pipeline = [
  'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
  'A1,Ann,GTX Pro,Acme,Won,2017-01-02,2017-04-11,1000',
  'A2,Ann,GTX Pro,Acme,Lost,2017-01-02,2017-05-11,0',
  'A3,Bob,GTX Pro,Acme,Lost,2017-01-02,2017-05-01,0',
  'A4,Bob,GTX Pro,Acme,Won,2017-01-02,2017-02-01,700',
  'A5,Cy,GTX Pro,Acme,Won,2017-03-02,2017-04-01,250',
].join('\n');

const rows = [
  { metric: 'win_rate', weight: 2, target: 0.6, redFlag: 0.4 },
  { metric: 'won_value', weight: 1, target: 100_000, redFlag: 20_000 },
];

describe.skipIf(!hasChromium)('scorecards in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let worker: Worker | undefined;
  let internalSnapshot = '';
  let committeeSnapshot = '';
  let partnerSnapshot = '';

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'root@vendor.test', password, displayName: 'Rosa Root', roles: ['admin'] });
    await server.createUser({ email: 'lea@vendor.test', password, displayName: 'Lea Lead', roles: ['programme_lead'] });
    await server.createUser({ email: 'eve@vendor.test', password, displayName: 'Eve Executive', roles: ['executive'] });
    const sam = await server.createUser({ email: 'sam@vendor.test', password, displayName: 'Sam Seller', roles: ['internal_seller'] });
    const acme = await server.createPartner('Acme Partners');
    const other = await server.createPartner('Zenith Integrators');
    await server.createUser({ email: 'pia@acme.test', password, displayName: 'Pia Partner', roles: ['partner_admin'], partnerId: acme.id });
    const sys = systemActor('test');
    const deps = server.deps;
    await importMavenCrm(deps, sys, { salesTeams: teams, pipeline, products, accounts: null });
    const desk = await createParticipant(deps, sys, {
      externalRef: 'hr:sam',
      displayName: 'Sam Seller',
      email: null,
      appUserId: sam.id,
      managerId: null,
      team: 'Mia',
      unit: 'Central',
      territory: null,
      activeFrom: null,
      activeTo: null,
    });
    const dates = { engageOn: '2017-04-02', closeOn: '2017-05-15' };
    await insertOpportunities(deps, desk.id, 'P', [
      { partnerId: acme.id, stage: 'won', valueMinor: 50_000, ...dates },
      { partnerId: acme.id, stage: 'lost', valueMinor: 0, ...dates },
      { partnerId: other.id, stage: 'won', valueMinor: 90_000, ...dates },
    ]);
    const base = { owner: 'Sales operations', periodGrain: 'quarter' as const, trendPeriods: 3 };
    await createScorecard(deps, sys, { ...base, key: 'seller_card', name: 'Seller scorecard', subjectKind: 'seller', rows, audiences: [{ kind: 'internal' }] });
    await createScorecard(deps, sys, {
      ...base,
      key: 'partner_card',
      name: 'Partner scorecard',
      subjectKind: 'partner',
      rows: [rows[0]!],
      audiences: [{ kind: 'partners' }, { kind: 'committee', roles: ['executive'] }],
    });
    internalSnapshot = (await takeSnapshot(deps, sys, { scorecard: 'seller_card', period: '2017-05-20', publish: true })).id;
    committeeSnapshot = (
      await takeSnapshot(deps, sys, {
        scorecard: 'seller_card',
        period: '2017-02-20',
        audiences: [{ kind: 'committee', roles: ['executive'] }],
        publish: true,
      })
    ).id;
    partnerSnapshot = (await takeSnapshot(deps, sys, { scorecard: 'partner_card', period: '2017-05-20', publish: true })).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await server?.close();
  });

  test('an executive reads live scorecards with charts, rolls them up, and browses the gallery and the metric library', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'eve@vendor.test', password);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Scorecards' }).click();
      await page.getByRole('heading', { name: 'Scorecards', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Scorecard definitions' }).getByRole('link', { name: 'Seller scorecard' }).waitFor();
      const gallery = page.getByRole('list', { name: 'Published scorecards' });
      await gallery.getByRole('link', { name: 'Seller scorecard, Q2 2017' }).waitFor();
      await gallery.getByRole('link', { name: 'Seller scorecard, Q1 2017' }).waitFor();
      await gallery.getByRole('link', { name: 'Partner scorecard, Q2 2017' }).waitFor();
      // Executives read; they do not define scorecards.
      expect(await page.getByRole('button', { name: 'New scorecard' }).count()).toBe(0);
      await expectAccessible(page, 'scorecards overview (executive)');

      await page.goto('/scorecards/seller_card?period=2017-05-20');
      await page.getByRole('heading', { name: 'Seller scorecard', level: 1 }).waitFor();
      const ranking = page.getByRole('table', { name: 'Seller scorecard ranking' });
      await ranking.getByRole('button', { name: 'Cy' }).waitFor();
      expect(await page.getByRole('figure', { name: 'Distribution of overall scores' }).locator('svg').count()).toBeGreaterThan(0);
      await ranking.getByRole('button', { name: 'Ann' }).click();
      await page.getByRole('heading', { name: 'Ann', level: 2 }).waitFor();
      await page.getByRole('figure', { name: 'Trend of Win rate for Ann' }).waitFor();
      await page.getByRole('img', { name: /^Win rate: 50\.0% against a target of 60\.0%/ }).waitFor();
      await expectAccessible(page, 'live scorecard');
      await maybeScreenshot(page, 'scorecard');

      // Roll-up: the same scorecard by unit re-aggregates the metric.
      await page.getByText('Unit', { exact: true }).click();
      await page.getByRole('table', { name: 'Seller scorecard ranking' }).getByRole('button', { name: 'Central' }).waitFor();

      await page.goto('/scorecards/metrics');
      await page.getByRole('table', { name: 'Metric library' }).getByText('Win rate', { exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'New metric' }).count()).toBe(0);
      await expectAccessible(page, 'metric library');

      await page.goto('/scorecards/making-the-number?period=2017-05-20');
      await page.getByRole('heading', { name: 'Making the number', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Quota, bookings and pipeline' }).getByText('Cy').waitFor();
      await page.getByText('No quota set for this period').waitFor();
      await expectAccessible(page, 'making the number');

      await page.goto(`/scorecards/snapshots/${committeeSnapshot}`);
      await page.getByRole('heading', { name: 'Seller scorecard, Q1 2017', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'PDF' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a seller sees the snapshots published to them and nothing else', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'sam@vendor.test', password);
      await page.goto('/scorecards');
      await page.getByRole('heading', { name: 'Scorecards', level: 1 }).waitFor();
      const gallery = page.getByRole('list', { name: 'Published scorecards' });
      await gallery.getByRole('link', { name: 'Seller scorecard, Q2 2017' }).waitFor();
      expect(await gallery.getByRole('listitem').count()).toBe(1);
      expect(await page.getByRole('table', { name: 'Scorecard definitions' }).count()).toBe(0);
      await expectAccessible(page, 'scorecards overview (seller)');

      await gallery.getByRole('link', { name: 'Seller scorecard, Q2 2017' }).click();
      await page.getByRole('table', { name: 'Seller scorecard ranking' }).getByRole('button', { name: 'Sam Seller' }).waitFor();
      const csv = page.getByRole('link', { name: 'CSV' });
      expect(await csv.getAttribute('href')).toBe(`/api/scorecards/snapshots/${internalSnapshot}/export?format=csv`);
      await expectAccessible(page, 'published snapshot (seller)');

      for (const url of [`/scorecards/snapshots/${committeeSnapshot}`, `/scorecards/snapshots/${partnerSnapshot}`]) {
        await page.goto(url);
        await page.getByText('Scorecard snapshot was not found').waitFor();
      }
      for (const url of ['/scorecards/seller_card', '/scorecards/metrics']) {
        await page.goto(url);
        await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
      }
      await page.goto('/scorecards/activities');
      await page.getByRole('heading', { name: 'Activity log', level: 1 }).waitFor();
      await expectAccessible(page, 'activity log (seller)');
    } finally {
      await context.close();
    }
  });

  test('a partner user sees its own row and no other partner', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'pia@acme.test', password);
      await page.goto('/scorecards');
      await page.getByRole('heading', { name: 'Your scorecards', level: 1 }).waitFor();
      const gallery = page.getByRole('list', { name: 'Published scorecards' });
      await gallery.getByRole('link', { name: 'Partner scorecard, Q2 2017' }).waitFor();
      expect(await gallery.getByRole('listitem').count()).toBe(1);
      await gallery.getByRole('link', { name: 'Partner scorecard, Q2 2017' }).click();
      const ranking = page.getByRole('table', { name: 'Partner scorecard ranking' });
      await ranking.getByText('Acme Partners').waitFor();
      expect(await ranking.locator('tbody tr').count()).toBe(1);
      await page.getByText(/Too few peers for a benchmark/).waitFor();
      expect(await page.getByText('Zenith Integrators').count()).toBe(0);
      await expectAccessible(page, 'partner scorecard');
      await page.goto(`/scorecards/snapshots/${internalSnapshot}`);
      await page.getByText('Scorecard snapshot was not found').waitFor();
    } finally {
      await context.close();
    }
  });
  test('the programme lead defines a metric, checked in the browser before it is saved, and publishes a draft', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'lea@vendor.test', password);
      await page.goto('/scorecards/metrics');
      await page.getByRole('button', { name: 'New metric' }).click();
      const dialog = page.getByRole('dialog', { name: 'New metric' });
      await dialog.getByRole('tab', { name: 'JSON' }).click();
      const editor = dialog.getByRole('textbox', { name: 'Metric definition' });
      await dialog.getByText('No problems found.').waitFor();
      const text = await editor.inputValue();
      await editor.fill(text.replace('"lost"', '"abandoned"'));
      await dialog.getByText(/"abandoned" is not a value of stage/).waitFor();
      expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await expectAccessible(page, 'metric editor');
      await editor.fill(text);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('table', { name: 'Metric library' }).getByText('Lost deals', { exact: true }).waitFor();

      await page.goto('/scorecards/seller_card?period=2017-05-20');
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      const takeDialog = page.getByRole('dialog', { name: 'Take a snapshot' });
      await takeDialog.getByRole('button', { name: 'Take draft' }).click();
      // Taken by a background job: the dialog follows it (queued until a worker runs, as in production), then the snapshot opens.
      const progress = takeDialog.getByRole('status', { name: 'Taking the snapshot' });
      await progress.getByText(/Waiting for the background worker/).waitFor();
      await expectAccessible(page, 'snapshot being taken');
      worker = startWorker(server.deps, jobDefinitions, { pollMs: 200 });
      await page.getByText('Only the people who publish see a draft.').waitFor();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByText(/Frozen: these figures never change/).waitFor();
    } finally {
      await context.close();
    }
  });
});
