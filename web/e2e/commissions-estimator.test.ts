import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemActor } from '../../server/actor.ts';
import { inTransaction } from '../../server/deps.ts';
import { newId } from '../../server/lib/ids.ts';
import { createAssignment } from '../../server/modules/comp-plans/comp-plans.service.ts';
import { makeApprovers, publishedPlanVersion } from '../../server/modules/comp-plans/comp-plans.test-support.ts';
import { yearToDatePlanDoc } from '../../server/modules/commissions/runs.test-support.ts';
import { startTestServer } from '../../server/test/harness.ts';
import { expectAccessible, hasChromium, launchBrowser, newPage, signInThroughForm } from './browser.ts';

const password = 'correct horse battery staple';

/**
 * The estimator shows the later periods a deal changes. Yan's plan trues the year up every quarter
 * (a year-to-date accelerator on 10,000.00 a quarter); Y1 9,000.00 in Q1 and Y2 9,000.00 in Q2.
 * A 2,000.00 deal in Q1 adds 375.00 in Q1 (110%: x1.5 on 11,000) and 225.00 in Q2 (100% of the
 * half year: 1,500.00 - 825.00 paid = 675.00 instead of 450.00).
 */
describe.skipIf(!hasChromium)('commissions: the estimator across the fiscal year', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    const yan = await server.createUser({ email: 'yan@vendor.test', password, displayName: 'Yan Yearly', roles: ['internal_seller'] });
    const who = await makeApprovers(server.deps);
    const plan = await publishedPlanVersion(server.deps, who, yearToDatePlanDoc('ytd_accelerator_2027', 'Year-to-date accelerator'));
    const participantId = newId();
    const tx = (ref: string, on: string) => ({
      participantId,
      salesTransactionId: newId(),
      transactionImportId: newId(),
      partnerId: null,
      amountMinor: 900_000,
      dealAmountMinor: 900_000,
      recognisedOn: on,
      originalRecognisedOn: null,
      splitBps: 10_000,
      currency: 'EUR',
      role: 'seller' as const,
      kind: 'booking' as const,
      sourcing: 'direct' as const,
      transactionRef: ref,
      partnerRef: null,
      product: null,
      scenario: null,
      segment: null,
      endCustomer: null,
      territory: null,
    });
    await inTransaction(server.deps, systemActor('test'), async (trx) => {
      await trx
        .insertInto('compParticipant')
        .values({ compParticipantId: participantId, externalRef: 'Y-1', displayName: 'Yan Yearly', appUserId: yan.id })
        .execute();
      await trx
        .insertInto('compQuota')
        .values({
          compQuotaId: newId(),
          compParticipantId: participantId,
          periodStart: '2027-01-01',
          periodEnd: '2028-01-01',
          amountMinor: 4_000_000,
          currency: 'EUR',
        })
        .execute();
      await trx
        .insertInto('salesTransaction')
        .values([tx('Y1', '2027-02-10'), tx('Y2', '2027-05-10')])
        .execute();
    });
    await createAssignment(server.deps, who.author, { participantId, planId: plan.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a seller sees what a deal adds in its quarter and in the later quarters it changes', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signInThroughForm(page, 'yan@vendor.test', password);
      await page.goto('/my/statements');
      await page.getByRole('heading', { name: 'My statements', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Estimate a deal' });
      await form.getByRole('textbox', { name: 'Deal value' }).fill('2000.00');
      await form.getByRole('textbox', { name: 'Currency' }).fill('EUR');
      await form.getByLabel('Closes on').fill('2027-03-10');
      await form.getByRole('button', { name: 'Estimate' }).click();
      const totals = page.getByRole('group', { name: 'Estimate totals' });
      await expect.poll(() => totals.innerText()).toMatch(/Would add in Q1 2027\s+\+€375\.00/);
      const later = page.getByRole('table', { name: 'Later periods of the fiscal year' });
      await later.waitFor();
      expect(await later.getByRole('row', { name: /Q1 2027/ }).innerText()).toMatch(/€450\.00\s+€825\.00\s+\+€375\.00/);
      expect(await later.getByRole('row', { name: /Q2 2027/ }).innerText()).toMatch(
        /€450\.00\s+€675\.00\s+\+€225\.00[\s\S]*Year-to-date accelerator \+€225\.00/,
      );
      const year = await later.getByRole('row', { name: /Fiscal year/ }).innerText();
      expect(year).toMatch(/[+-]?€[\d,]+\.\d\d/);
      await expectAccessible(page, 'estimate across the year');
    } finally {
      await context.close();
    }
  });
});
