import { LOCALE_COOKIE } from '@entente/common/i18n/locales.ts';
import { expect, it } from 'vitest';
import { describeInBrowser, openPage, settled } from './support/browser.ts';
import { tabTitle, text } from './support/pages.ts';
import { browserSuite } from './support/suite.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';

const ONE_YEAR = 365 * 24 * 60 * 60;

describeInBrowser('language switch', () => {
  const suite = browserSuite();

  it('switches the page to the chosen language, sets <html lang> and remembers the choice', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      expect(await tab.locator('html').getAttribute('lang')).toBe('fr-FR');
      const group = tab.getByRole('group', { name: text('fr-FR', 'ui.lang.label') });
      expect(await group.getByRole('button', { name: 'Français (France)' }).getAttribute('aria-pressed')).toBe('true');

      await group.getByRole('button', { name: 'English' }).click();
      expect(await tab.locator('html').getAttribute('lang')).toBe('en');
      expect(await tab.locator('main h1').textContent()).toBe(text('en', 'ui.home.heading'));
      expect(await tab.title()).toBe(tabTitle('en', 'ui.home.title'));
      const switchInEnglish = tab.getByRole('group', { name: text('en', 'ui.lang.label') });
      expect(await switchInEnglish.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
      expect(await switchInEnglish.getByRole('button', { name: 'Français (France)' }).getAttribute('aria-pressed')).toBe(
        'false',
      );

      // Remembered for the server (cookie) and for this browser (localStorage)…
      const cookie = (await context.cookies(suite.app.baseUrl)).find((c) => c.name === LOCALE_COOKIE);
      expect(cookie).toMatchObject({ value: 'en', path: '/', sameSite: 'Lax' });
      const lifetime = (cookie?.expires ?? 0) - Date.now() / 1000;
      expect(lifetime).toBeGreaterThan(ONE_YEAR - 3600);
      expect(lifetime).toBeLessThan(ONE_YEAR + 3600);
      expect(await tab.evaluate((key) => localStorage.getItem(key), LOCALE_COOKIE)).toBe('en');

      // …and across a reload.
      await tab.reload();
      await settled(tab);
      expect(await tab.locator('html').getAttribute('lang')).toBe('en');
      expect(await tab.locator('main h1').textContent()).toBe(text('en', 'ui.home.heading'));
    } finally {
      await context.close();
    }
  });

  it('uses Québec usage in fr-CA and keeps the title of the current page in step', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/mentions-legales');
      expect(await tab.title()).toBe(tabTitle('fr-FR', 'ui.legal.title'));
      await tab.getByRole('button', { name: 'Français (Québec)' }).click();
      expect(await tab.locator('html').getAttribute('lang')).toBe('fr-CA');
      expect(await tab.title()).toBe(tabTitle('fr-CA', 'ui.legal.title'));
      expect(await tab.locator('main').textContent()).toContain(text('fr-CA', 'ui.legal.cookies.heading'));
      expect(text('fr-CA', 'ui.legal.cookies.heading')).not.toBe(text('fr-FR', 'ui.legal.cookies.heading'));
    } finally {
      await context.close();
    }
  });

  it('keeps the choice when only the cookie remains (localStorage cleared)', async () => {
    const context = await suite.newContext({ language: 'fr-CA' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      expect(await tab.locator('html').getAttribute('lang')).toBe('fr-CA');
    } finally {
      await context.close();
    }
  });

  it('starts in French until the agent chooses, in Québec French for a Canadian browser', async () => {
    for (const [browserLocale, expected] of [
      ['en-GB', 'fr-FR'],
      ['en-CA', 'fr-CA'],
      ['fr-CA', 'fr-CA'],
      ['fr-BE', 'fr-FR'],
      ['de-DE', 'fr-FR'],
    ] as const) {
      const context = await suite.newContext({ locale: browserLocale });
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/');
        expect(await tab.locator('html').getAttribute('lang'), browserLocale).toBe(expected);
      } finally {
        await context.close();
      }
    }
  });

  it('marks a document’s title and text with its own language under an English interface', async () => {
    const olivier = DEMO_AGENTS.find((a) => a.givenName === 'Olivier') as (typeof DEMO_AGENTS)[number];
    const context = await suite.signedInContext(olivier);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/espaces/019ac9f0-0000-7000-8000-0000000e0001/documents/019ac9f0-0000-7000-8000-0000000d0001');
      await tab.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => tab.evaluate(() => document.documentElement.lang)).toBe('en');
      // Coopération is a Québec space: its documents are in Québec French.
      await tab.locator('.ws-prose[lang="fr-CA"]').waitFor();
      expect(await tab.getByRole('heading', { level: 1, name: 'Bienvenue', exact: true }).getAttribute('lang')).toBe('fr-CA');
      
      // The tree's titles too.
      expect(await tab.locator('.ws-tree-link span[lang="fr-CA"]').allTextContents()).toContain('Bienvenue');
      // The interface around it stays English.
      expect(await tab.getByRole('button', { name: 'Export', exact: true }).getAttribute('lang')).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('tells the server the page’s language even before any choice (French first)', async () => {
    const context = await suite.newContext({ locale: 'en-US' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const cookie = (await context.cookies(suite.app.baseUrl)).find((c) => c.name === LOCALE_COOKIE);
      expect(cookie?.value).toBe('fr-FR');
      const problem = await tab.evaluate(async () => (await (await fetch('/api/nothing-here')).json()) as { title: string });
      expect(problem.title).toBe('Introuvable');
    } finally {
      await context.close();
    }
  });
});
