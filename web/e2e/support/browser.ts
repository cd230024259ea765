import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { type Locale, LOCALE_COOKIE } from '@entente/common/i18n/locales.ts';

/**
 * Browser-test support: Debian's Chromium driven by playwright-core, and axe-core.
 *
 * Without Chromium the browser tests are skipped with a message saying why, except in CI
 * (CI=true), where a missing browser fails the run instead of hiding the tests.
 */

export const CHROMIUM_PATH = process.env.ENTENTE_CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** Why the browser tests cannot run here, or undefined when they can. Throws in CI. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') {
    throw new Error(`${reason}. Browser tests are never skipped in CI.`);
  }
  return reason;
}

/** `describe` for browser tests: skipped, with the reason in its name and on stderr, without Chromium. */
export function describeInBrowser(name: string, body: () => void): void {
  const reason = browserUnavailable();
  if (reason) {
    console.warn(`[e2e] skipping "${name}": ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  } else {
    describe(name, body);
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface ContextOptions extends BrowserContextOptions {
  /** The agent's earlier language choice, as the `entente_lang` cookie. */
  language?: Locale;
}

/**
 * A fresh browser profile. It bypasses the page's CSP by default, because axe-core is injected
 * as an inline script; the CSP test opens its contexts with `bypassCSP: false`.
 */
export async function newContext(browser: Browser, baseUrl: string, options: ContextOptions = {}): Promise<BrowserContext> {
  const { language, ...contextOptions } = options;
  const context = await browser.newContext({ bypassCSP: true, locale: 'fr-FR', ...contextOptions });
  if (language) {
    await context.addCookies([{ name: LOCALE_COOKIE, value: language, url: baseUrl, sameSite: 'Lax' }]);
  }
  return context;
}

/** Opens `path` and waits until the app has rendered its page and settled the session. */
export async function openPage(context: BrowserContext, baseUrl: string, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(new URL(path, baseUrl).href);
  await settled(page);
  return page;
}

export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.locator('[data-session]:not([data-session="loading"])').waitFor();
}

/** Runs axe-core on the page, with all its default rules (WCAG A/AA and best practices). */
export async function runAxe(page: Page): Promise<Result[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    () => (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe.run(document),
  );
  return results.violations;
}

/** Violations as short readable lines, for assertion messages. */
export function describeViolations(violations: readonly Result[]): string[] {
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} — ${violation.nodes
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
}
