import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { jobDefinitions } from '../../server/jobs/registry.ts';
import { newId } from '../../server/lib/ids.ts';
import { createAssignment, updateParticipant } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { createPeriod } from '../../server/modules/commissions/close.service.ts';
import { createRun, PERIOD_RUN_JOB } from '../../server/modules/commissions/runs.service.ts';
import { seedDemoHistory } from '../../server/modules/commissions/simulation.test-support.ts';
import { insertTestRegistration, scenarioIdOf } from '../../server/modules/engagement/conflicts.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

/**
 * The dispute flow in the browser: a seller disputes a statement line, a partner disputes the credit
 * of its registration, a compensation administrator merges both into one case, assigns it, comments
 * internally, and resolves it with an adjustment; the partner reads the outcome without any pay.
 */
describe.skipIf(!hasChromium)('commissions: disputes', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let registration: { id: string; reference: string };

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser({ email: 'cora@vendor.test', password, displayName: 'Cora Comp', roles: ['comp_admin'] });
    const seller = await server.createUser({ email: 'bob@vendor.test', password, displayName: 'Bob Brown', roles: ['internal_seller'] });
    const partner = await server.createPartner('Northwind Partners');
    const pam = await server.createUser({ email: 'pam@northwind.test', password, displayName: 'Pam Partner', roles: ['partner_admin'], partnerId: partner.id });
    const demo = await seedDemoHistory(server.deps);
    for (const ref of ['S1', 'S2', 'S3', 'M1']) {
      const id = demo.participants.get(ref);
      if (!id) throw new Error(`participant ${ref}`);
      await createAssignment(server.deps, demo.admin, { participantId: id, planId: demo.candidatePlanId, effectiveFrom: '2027-01-01', effectiveTo: null });
    }
    await updateParticipant(server.deps, demo.admin, demo.participants.get('S2') ?? '', { appUserId: seller.id });
    // The Q1 run, computed by its job handler (as the worker would), and the open Q2 period to book in.
    const run = await createRun(server.deps, demo.admin, { periodStart: '2027-01-01', periodEnd: '2027-04-01' });
    const job = jobDefinitions.find((j) => j.name === PERIOD_RUN_JOB);
    if (!job) throw new Error('period run job not registered');
    await job.handler(server.deps, { runId: run.id }, { jobId: newId(), attempt: 1 });
    await createPeriod(server.deps, systemActor('test'), { periodStart: '2027-04-01', periodEnd: '2027-07-01' });
    const id = await insertTestRegistration(server.deps, {
      partnerId: partner.id,
      scenarioId: await scenarioIdOf(server.deps, 'consulting'),
      customer: 'Fabrikam Logistics',
      submittedByUserId: pam.id,
    });
    const row = await server.deps.db.selectFrom('dealRegistration').select('reference').where('dealRegistrationId', '=', id).executeTakeFirstOrThrow();
    registration = { id, reference: row.reference };
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openCase(page: Page, subject: string, description: string): Promise<string> {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Subject' }).fill(subject);
    await dialog.getByRole('textbox', { name: /Your (question|statement)/ }).fill(description);
    await dialog.getByRole('button', { name: 'Open dispute' }).click();
    await page.getByRole('heading', { name: /^Dispute DSP-\d{6}$/, level: 1 }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop();
    if (!id) throw new Error('no dispute id in the URL');
    return id;
  }

  test('seller and partner open, the comp admin merges, assigns, comments and resolves with an adjustment', async () => {
    // 1. Bob disputes the first line of his statement.
    const bob = await newPage(browser, server.url);
    await signInThroughForm(bob.page, 'bob@vendor.test', password);
    await bob.page.goto('/my/statements');
    await bob.page.getByRole('heading', { name: 'My statements', level: 1 }).waitFor();
    await bob.page
      .getByRole('button', { name: /^Dispute .*Q1 2027/ })
      .first()
      .click();
    const sellerCaseId = await openCase(bob.page, 'My Q1 commission is short', 'The Gamma deal was split 50/50, I expected 70/30.');
    await bob.page.getByRole('heading', { name: "Seller's question" }).waitFor();
    expect(await bob.page.getByRole('region', { name: "Seller's question" }).innerText()).toContain('The Gamma deal was split 50/50');
    await expectAccessible(bob.page, 'dispute (seller)');

    // 2. Pam disputes the credit of her registration from its page.
    const pam = await newPage(browser, server.url);
    await signInThroughForm(pam.page, 'pam@northwind.test', password);
    await pam.page.goto(`/registrations/${registration.id}`);
    await pam.page.getByRole('heading', { name: registration.reference, level: 1 }).waitFor();
    await pam.page.getByRole('button', { name: 'Dispute credit' }).click();
    const partnerCaseId = await openCase(pam.page, 'We sourced Fabrikam', 'We registered Fabrikam first; the seller was paid without partner credit.');
    await pam.page.getByRole('heading', { name: 'Registration and evidence' }).waitFor();
    expect(await pam.page.locator('main').innerText()).not.toContain("Seller's question");
    await expectAccessible(pam.page, 'dispute (partner)');

    // 3. Cora merges the partner's case into the seller's, assigns it to herself, comments, reviews, resolves.
    const cora = await newPage(browser, server.url);
    await signInThroughForm(cora.page, 'cora@vendor.test', password);
    await cora.page.goto('/commissions/disputes');
    await cora.page.getByRole('heading', { name: 'Disputes', level: 1 }).waitFor();
    await expect.poll(() => cora.page.getByRole('table', { name: 'Disputes' }).locator('tbody tr').count()).toBe(2);
    await expectAccessible(cora.page, 'disputes list');
    await cora.page.goto(`/commissions/disputes/${sellerCaseId}`);
    await cora.page.getByRole('heading', { name: "Seller's question" }).waitFor();
    await cora.page.getByRole('button', { name: 'Link' }).click();
    await cora.page.getByRole('dialog').getByRole('combobox', { name: 'Merge another open case into this one' }).click();
    await cora.page.getByRole('option', { name: /We sourced Fabrikam/ }).click();
    await cora.page.getByRole('dialog').getByRole('button', { name: 'Merge case' }).click();
    await cora.page.getByRole('dialog').waitFor({ state: 'detached' });
    const partnerSide = cora.page.getByRole('region', { name: 'Registration and evidence' });
    await expect.poll(() => partnerSide.innerText()).toContain(registration.reference);
    expect(await partnerSide.innerText()).toContain('We registered Fabrikam first');

    await cora.page.getByRole('combobox', { name: 'Assignee' }).click();
    await cora.page.getByRole('option', { name: 'Cora Comp' }).click();
    await cora.page.getByRole('button', { name: 'Assign', exact: true }).click();
    await cora.page.getByText(/assigned to Cora Comp/).waitFor();

    await cora.page.getByRole('textbox', { name: 'Comment' }).fill('CRM shows a 70/30 split; pay the difference.');
    await cora.page.getByRole('checkbox', { name: /Internal only/ }).check();
    await cora.page.getByRole('button', { name: 'Add comment' }).click();
    await cora.page.getByText('CRM shows a 70/30 split; pay the difference.').waitFor();

    await cora.page.getByRole('button', { name: 'Start review' }).click();
    await cora.page.getByText('In review').first().waitFor();

    await cora.page.getByRole('button', { name: 'Resolve' }).click();
    const dialog = cora.page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Resolution note' }).fill('The split is corrected; the difference is paid with the next payroll.');
    await dialog.getByRole('textbox', { name: 'Amount' }).fill('50.00');
    await dialog.getByRole('textbox', { name: 'Currency' }).fill('USD');
    await dialog.getByRole('textbox', { name: 'Reason (internal)' }).fill('Gamma split 70/30');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await dialog.waitFor({ state: 'detached' });
    const adjustments = cora.page.getByRole('table', { name: 'Adjustments booked by this dispute' });
    await expect.poll(() => adjustments.innerText()).toMatch(/Q2 2027[\s\S]*Gamma split 70\/30[\s\S]*\$50\.00/);
    await expectAccessible(cora.page, 'dispute (resolved, internal)');

    // 4. Pam's old case points to the merged one; there she reads the resolution and nothing of the pay.
    await pam.page.goto(`/registrations/disputes/${partnerCaseId}`);
    await pam.page.getByText(/This case was merged into/).waitFor();
    await pam.page.getByRole('link', { name: /^DSP-\d{6}$/ }).click();
    await pam.page.getByRole('alert', { name: 'Resolution' }).getByText('The split is corrected; the difference is paid with the next payroll.').waitFor();
    const text = await pam.page.locator('main').innerText();
    expect(text).not.toMatch(/CRM shows a 70\/30|\$50\.00|Gamma split|Bob Brown|Seller's question|Cora Comp/);
    await expectAccessible(pam.page, 'dispute (resolved, partner)');

    for (const c of [bob, pam, cora]) await c.context.close();
  });
});
