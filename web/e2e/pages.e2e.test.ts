import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { LOCALES } from '@entente/common/i18n/locales.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeInBrowser,
  describeViolations,
  openPage,
  runAxe,
  settled,
} from './support/browser.ts';
import { PAGES, tabTitle, text } from './support/pages.ts';
import { browserSuite } from './support/suite.ts';

/** Set ENTENTE_E2E_SHOTS=/some/dir to keep screenshots of the pages, for a human to look at. */
const SHOTS = process.env.ENTENTE_E2E_SHOTS;

describeInBrowser('every page', () => {
  const suite = browserSuite();

  beforeAll(() => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });

  for (const locale of LOCALES) {
    describe(`in ${locale}`, () => {
      // One browser profile per language, its choice in the cookie, one tab reused page after page.
      let context: BrowserContext;
      let tab: Page;
      beforeAll(async () => {
        context = await suite.newContext({ language: locale });
        tab = await context.newPage();
      });
      afterAll(() => context?.close());

      it.each(PAGES)('$name ($path) is localised and free of axe-core violations', async (page) => {
        await tab.goto(new URL(page.path, suite.app.baseUrl).href);
        await settled(tab);
        expect(await tab.locator('html').getAttribute('lang')).toBe(locale);
        expect(await tab.locator('main h1').textContent()).toBe(text(locale, page.heading));
        expect(await tab.title()).toBe(tabTitle(locale, page.title));
        if (SHOTS && ['home', 'accessibility', 'not-found', 'skills'].includes(page.name)) {
          await tab.screenshot({ path: path.join(SHOTS, `${locale}-${page.name}.png`), fullPage: true });
        }
        expect(describeViolations(await runAxe(tab))).toEqual([]);
      });
    });
  }

  it('the pages fit a small screen, and the home page passes axe-core there too', async () => {
    const context = await suite.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    try {
      const tab = await context.newPage();
      for (const page of PAGES) {
        await tab.goto(new URL(page.path, suite.app.baseUrl).href);
        await settled(tab);
        // Nothing wider than the screen: no horizontal scrolling (WCAG 1.4.10 reflow).
        const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${page.path} scrolls sideways`).toBeLessThanOrEqual(0);
        if (page.name === 'home') {
          if (SHOTS) await tab.screenshot({ path: path.join(SHOTS, 'mobile-fr-FR-home.png'), fullPage: true });
          expect(describeViolations(await runAxe(tab))).toEqual([]);
        }
      }
    } finally {
      await context.close();
    }
  });

  it('the home page presents the five domains, each linking to its page', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const cards = tab.locator('.cards a');
      expect(await cards.count()).toBe(5);
      for (const page of PAGES.filter((p) => p.path.startsWith('/domaines/'))) {
        const link = tab.getByRole('link', { name: text('fr-FR', page.heading), exact: true }).first();
        expect(await link.getAttribute('href')).toBe(page.path);
      }
      await tab.getByRole('link', { name: text('fr-FR', 'ui.domain.ai.title') }).first().click();
      await expect.poll(() => tab.locator('main h1').textContent()).toBe(text('fr-FR', 'ui.domain.ai.title'));
      expect(await tab.locator('main').textContent()).toContain(text('fr-FR', 'ui.area.status'));
      expect(await tab.title()).toBe(tabTitle('fr-FR', 'ui.domain.ai.title'));
    } finally {
      await context.close();
    }
  });

  it('no link inside the app leads to the 404 page', async () => {
    const context = await suite.newContext();
    try {
      const tab = await context.newPage();
      const internal = new Set<string>();
      for (const page of PAGES.filter((p) => p.name !== 'not-found')) {
        await tab.goto(new URL(page.path, suite.app.baseUrl).href);
        await settled(tab);
        const hrefs = await tab.locator('a[href]').evaluateAll((links) =>
          links.map((link) => (link as HTMLAnchorElement).href),
        );
        for (const href of hrefs) {
          const url = new URL(href);
          // The server's own pages (the API reference) are not the app's to check.
          if (url.origin === suite.app.baseUrl && !url.pathname.startsWith('/api/')) internal.add(url.pathname);
        }
      }
      expect(internal.size).toBeGreaterThan(5);
      for (const pathname of internal) {
        await tab.goto(new URL(pathname, suite.app.baseUrl).href);
        await settled(tab);
        expect(await tab.locator('main h1').textContent(), pathname).not.toBe(text('fr-FR', 'ui.notFound.title'));
      }
    } finally {
      await context.close();
    }
  });

  it('the footer links to the accessibility statement, the legal page and the API reference', async () => {
    const context = await suite.newContext({ language: 'en' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const footer = tab.locator('footer');
      expect(await footer.getByRole('link', { name: text('en', 'ui.footer.accessibility') }).getAttribute('href')).toBe(
        '/accessibilite',
      );
      expect(await footer.getByRole('link', { name: text('en', 'ui.footer.legal') }).getAttribute('href')).toBe(
        '/mentions-legales',
      );
      expect(await footer.getByRole('link', { name: text('en', 'ui.footer.api') }).getAttribute('href')).toBe('/api/docs');
    } finally {
      await context.close();
    }
  });

  it('the 404 page says the page does not exist and leads back home', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/domaines/inconnu');
      expect(await tab.locator('main h1').textContent()).toBe(text('fr-FR', 'ui.notFound.title'));
      expect(await tab.locator('main').textContent()).toContain(text('fr-FR', 'ui.notFound.code'));
      await tab.getByRole('link', { name: text('fr-FR', 'ui.common.backHome') }).click();
      await expect.poll(() => tab.locator('main h1').textContent()).toBe(text('fr-FR', 'ui.home.heading'));
      expect(new URL(tab.url()).pathname).toBe('/');
    } finally {
      await context.close();
    }
  });

  it('the app runs under the server’s Content Security Policy, without a single violation', async () => {
    const context = await suite.newContext({ bypassCSP: false });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => {
        seen.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    try {
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      tab.on('console', (message) => {
        // The signed-out answer of GET /api/me is logged by Chromium as a failed load: expected.
        if (message.type() === 'error' && !message.location().url.endsWith('/api/me')) errors.push(message.text());
      });
      for (const page of PAGES) {
        const response = await tab.goto(new URL(page.path, suite.app.baseUrl).href);
        expect(response?.headers()['content-security-policy'], 'the server sends a CSP').toContain("script-src 'self'");
        await tab.locator('main h1').waitFor();
        expect(await tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
        expect(errors, page.path).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});
