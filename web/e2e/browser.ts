import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const chromiumPath = process.env.REALIGN_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

if (!hasChromium) {
  console.warn(`[browser tests] skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set REALIGN_CHROMIUM)`);
}

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: launchArgs, headless: true });
}

export async function newPage(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  // Reduced motion: the app then skips its transitions, so axe never measures a half-faded overlay.
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, locale: 'en-GB', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Fails the test on axe violations of impact serious or critical, listing each with its nodes. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
  expect(report, `accessibility violations on ${label}`).toBe('');
}

/** Waits for the shell (header, navigation, main) of a signed-in page. */
export async function waitForShell(page: Page): Promise<void> {
  await page.getByRole('banner').waitFor();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  await page.locator('main h1').first().waitFor();
}

export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForShell(page);
}

/** The labels of the links in the shell's navigation, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  const links = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link');
  const texts = await links.allInnerTexts();
  return texts.map((t) => t.trim()).filter(Boolean);
}

/** Saves a screenshot when REALIGN_SCREENSHOT_DIR is set (used for docs/screenshot.png). */
export async function maybeScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.REALIGN_SCREENSHOT_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}
