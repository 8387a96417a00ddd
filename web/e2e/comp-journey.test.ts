import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlanExportView, PlanVersionView } from '../../common/api/comp-plans.ts';
import type { SimulationResult } from '../../common/comp/simulate.ts';
import { systemActor } from '../../server/actor.ts';
import { runCli } from '../../server/cli/spawn-cli.ts';
import { createAssignment, updateParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { seedDemoHistory, type DemoHistory } from '../../server/modules/commissions/simulation.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { money, percent, signedMoney } from '../src/features/comp-simulation/simulation-format.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

// Issue 4's done-when, end to end: a comp admin builds the new plan in the browser, simulates it
// against the old one on demo history, takes it through approval and publishes it; a seller
// acknowledges it and the rollout dashboard counts them; the CLI simulation gives the UI's numbers.

const password = 'correct horse battery staple';
const EXAMPLES = fileURLToPath(new URL('../../docs/examples/comp-plans/', import.meta.url));
const ex = (f: string) => path.join(EXAMPLES, f);
const OLD_NAME = 'Renewal-centred direct plan 2026';
const NEW_NAME = 'Field sellers 2027';
/** The store's names of the demo participants (the CLI names S3, absent from participants.csv, by its reference). */
const names: Record<string, string> = { S1: 'Alice Archer', S2: 'Bob Brown', M1: 'Maria Mendes', S3: 'Sam Stone' };

const users = {
  ada: { email: 'ada@vendor.test', displayName: 'Ada Author', roles: ['comp_admin'] as const },
  bea: { email: 'bea@vendor.test', displayName: 'Bea Reviewer', roles: ['comp_admin'] as const },
  finn: { email: 'finn@vendor.test', displayName: 'Finn Finance', roles: ['finance'] as const },
  maria: { email: 'maria@vendor.test', displayName: 'Maria Mendes', roles: ['internal_seller'] as const },
  alice: { email: 'alice@vendor.test', displayName: 'Alice Archer', roles: ['internal_seller'] as const },
};

describe.skipIf(!hasChromium)('issue 4: the comp plan journey in the browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let demo: DemoHistory;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    const ids: Record<string, string> = {};
    for (const [k, u] of Object.entries(users)) ids[k] = (await server.createUser({ ...u, roles: [...u.roles], password })).id;
    // The old plan in force on the demo history (participants, quotas, transactions), published.
    demo = await seedDemoHistory(server.deps);
    const sys = systemActor('test');
    const ref = (r: string) => {
      const id = demo.participants.get(r);
      if (!id) throw new Error(`no demo participant ${r}`);
      return id;
    };
    // Alice (S1) and her manager Maria (M1) sign in.
    await updateParticipant(server.deps, sys, ref('S1'), { appUserId: ids.alice });
    await updateParticipant(server.deps, sys, ref('M1'), { appUserId: ids.maria });
    for (const r of ['S1', 'S2', 'M1', 'S3'])
      await createAssignment(server.deps, sys, { participantId: ref(r), planId: demo.baselinePlanId, effectiveFrom: '2026-01-01', effectiveTo: '2027-01-01' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-comp-journey-'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const signedIn = async <T>(email: string, fn: (page: Page) => Promise<T>): Promise<T> => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, email, password);
      return await fn(page);
    } finally {
      await context.close();
    }
  };

  const approve = (email: string, planPath: string, stepText: string) =>
    signedIn(email, async (page) => {
      await page.goto(planPath);
      await page.getByRole('heading', { name: NEW_NAME, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Approve…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Approve version 1?' });
      await dialog.getByText(`You approve as ${stepText}`).waitFor();
      await expectAccessible(page, `approve (${stepText})`);
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Approve…' }).waitFor({ state: 'detached' });
    });

  test('build, simulate, approve, publish, acknowledge; the CLI agrees with the UI', async () => {
    // Ada stays signed in throughout; the others sign in for their step.
    const ada = await newPage(browser, server.url);
    const asAda = <T>(fn: (page: Page) => Promise<T>): Promise<T> => fn(ada.page);
    await signInThroughForm(ada.page, users.ada.email, password);
    // 1. Ada builds the new plan in the editor and simulates the draft against the old plan.
    const { planPath, versionId, planId, ui } = await asAda(async (page) => {
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Comp plans' }).click();
      await page.getByRole('table', { name: 'Plans' }).getByRole('link', { name: OLD_NAME }).waitFor();
      await page.getByRole('button', { name: 'New plan' }).click();
      const dialog = page.getByRole('dialog', { name: 'New compensation plan' });
      await dialog.getByRole('textbox', { name: 'Plan name' }).fill(NEW_NAME);
      await dialog.getByRole('combobox', { name: 'Currency' }).click();
      await page.getByRole('option', { name: 'USD', exact: true }).click();
      await dialog.getByRole('radio', { name: 'Simple commission' }).check();
      await expectAccessible(page, 'new plan dialog');
      await dialog.getByRole('button', { name: 'Create plan' }).click();
      await page.getByRole('heading', { name: NEW_NAME, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Add component' }).click();
      await page.getByRole('menuitem', { name: /Tiered rates/ }).click();
      await page.getByRole('region', { name: 'Component 2: Accelerator' }).getByRole('table', { name: 'Tiers' }).waitFor();
      await page.getByText('No problems: this plan is complete and consistent.').waitFor();
      await page.getByRole('textbox', { name: 'Change note' }).fill('Commission with an accelerator above quota.');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('region', { name: 'Save the draft' }).getByText('Saved', { exact: true }).waitFor();
      await expectAccessible(page, 'plan editor (saved draft)');
      const url = new URL(page.url());
      const versionId = url.searchParams.get('version') ?? '';
      const planId = url.pathname.split('/').pop() ?? '';
      expect(versionId).not.toBe('');

      await page.goto('/comp-plans/simulation');
      await page.getByRole('heading', { name: 'Plan simulation', level: 1 }).waitFor();
      await page.getByRole('combobox', { name: 'Current plan (baseline)' }).click();
      await page.getByRole('option', { name: `${OLD_NAME} · v1 (published)` }).click();
      await page
        .getByLabel(/^Candidate plans/)
        .first()
        .click();
      await page.getByRole('option', { name: `${NEW_NAME} · v1 (draft)` }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('textbox', { name: 'Period' }).fill('2027-Q1');
      await page.getByRole('button', { name: 'Run simulation' }).click();
      const table = page.getByRole('table', { name: 'Earnings per participant and plan' });
      await table.waitFor();
      await expectAccessible(page, 'plan simulation (draft against the old plan)');
      const ui: Record<string, string[]> = {};
      for (const name of Object.values(names))
        ui[name] = await table
          .getByRole('row', { name: new RegExp(`^${name}\\b`) })
          .getByRole('cell')
          .allInnerTexts();
      const totals = await page.getByRole('table', { name: 'Totals per plan' }).innerText();

      // The draft, as the file the CLI reads.
      const file = (await page.evaluate(async (id) => (await fetch(`/api/comp/versions/${id}/export?format=yaml`)).json(), versionId)) as PlanExportView;
      await fs.writeFile(path.join(dir, 'new.yaml'), file.text);

      await page.goto(`/comp-plans/${planId}?version=${versionId}`);
      await page.getByRole('button', { name: 'Submit for approval' }).waitFor();
      return { planPath: `/comp-plans/${planId}?version=${versionId}`, versionId, planId, ui: { rows: ui, totals } };
    });

    // 2. The CLI on the same history (the demo files) gives the UI's numbers.
    const cli = await runCli([
      'comp',
      'simulate',
      '--plan',
      ex('renewal-centred-2026.yaml'),
      '--plan',
      path.join(dir, 'new.yaml'),
      '--transactions',
      ex('transactions.csv'),
      '--quotas',
      ex('quotas.csv'),
      '--participants',
      ex('participants.csv'),
      '--metrics',
      ex('metrics.csv'),
      '--period',
      '2027-Q1',
      '--json',
    ]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const result = JSON.parse(cli.stdout) as SimulationResult;
    const cur = result.currency;
    expect(result.participants.map((p) => p.participantId).sort()).toEqual(Object.keys(names).sort());
    for (const p of result.participants) {
      const [base, cand] = p.plans;
      if (!base || !cand) throw new Error('two plan results expected');
      expect(ui.rows[names[p.participantId] ?? ''], p.participantId).toEqual([
        money(base.totalMinor, cur),
        money(cand.totalMinor, cur),
        `${signedMoney(cand.changeMinor, cur)} (${percent(cand.changeBps, true)})`,
      ]);
    }
    for (const p of result.plans) {
      expect(ui.totals).toContain(money(p.totalCostMinor, cur));
      expect(ui.totals).toContain(percent(p.costOfSalesBps));
    }

    // 3. The new plan's participants (Alice, whose manager Maria signs in, and Bob), then the approval chain.
    const version = (await asAda((page) => page.evaluate(async (id) => (await fetch(`/api/comp/versions/${id}`)).json(), versionId))) as PlanVersionView;
    for (const r of ['S1', 'S2'])
      await createAssignment(server.deps, systemActor('test'), {
        participantId: demo.participants.get(r) ?? '',
        planId,
        effectiveFrom: version.effectiveFrom,
        effectiveTo: null,
      });
    await asAda(async (page) => {
      await page.goto(planPath);
      await page.getByRole('button', { name: 'Submit for approval' }).click();
      await page.getByRole('heading', { name: 'Version 1', level: 2 }).locator('..').getByText('In approval').waitFor();
      await page.getByRole('tab', { name: 'Approval' }).click();
      await page.getByRole('tabpanel').getByText('A manager of an assigned participant', { exact: true }).waitFor();
      await expectAccessible(page, 'plan in approval');
    });
    await approve(users.bea.email, planPath, 'compensation administrator');
    await approve(users.finn.email, planPath, 'finance');
    await approve(users.maria.email, planPath, 'a manager of an assigned participant');

    // 4. Ada publishes.
    await asAda(async (page) => {
      await page.goto(planPath);
      await page.getByRole('button', { name: 'Publish…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Publish version 1?' });
      await expectAccessible(page, 'publish dialog');
      await dialog.getByRole('button', { name: 'Publish version 1' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('heading', { name: 'Version 1', level: 2 }).locator('..').getByText('In force').waitFor();
    });

    // 5. Alice reads and acknowledges her new plan.
    await signedIn(users.alice.email, async (page) => {
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My comp plan' }).click();
      await page.getByRole('heading', { name: 'My comp plan', level: 1 }).waitFor();
      await page.getByText(NEW_NAME).first().waitFor();
      await expectAccessible(page, 'my comp plan');
      await page.getByRole('button', { name: 'I have read and acknowledge my plan' }).click();
      await page.getByRole('status').filter({ hasText: 'You acknowledged version 1' }).waitFor();
      await expectAccessible(page, 'my comp plan (acknowledged)');
    });

    // 6. Ada's rollout dashboard counts her.
    await asAda(async (page) => {
      await page.goto('/comp-plans/rollout');
      const rollouts = page.getByRole('table', { name: 'Rollouts' });
      await rollouts.getByRole('link', { name: new RegExp(`Dashboard of ${NEW_NAME} version 1`) }).click();
      await page.getByRole('heading', { name: `Rollout: ${NEW_NAME}, version 1`, level: 1 }).waitFor();
      const clock = page.getByRole('region', { name: 'Rollout clock' });
      const acknowledged = clock.getByText('Acknowledged', { exact: true }).locator('..');
      await expect.poll(async () => (await acknowledged.innerText()).split('\n')).toContain('1');
      await page.getByRole('table', { name: 'Recipients' }).getByText('Alice Archer').waitFor();
      await expectAccessible(page, 'rollout dashboard');
    });
    await ada.context.close();
  });
});
