import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.ts';
import { describeInBrowser, describeViolations, launchBrowser, newContext, openPage, runAxe } from './support/browser.ts';
import { text } from './support/pages.ts';

describeInBrowser('the session in the header', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('says plainly that nobody is signed in, and that sign-in is coming (no dead link)', async () => {
    const context = await newContext(browser, app.baseUrl);
    try {
      const tab = await openPage(context, app.baseUrl, '/');
      const session = tab.locator('[data-session]');
      expect(await session.getAttribute('data-session')).toBe('signedOut');
      expect(await session.textContent()).toBe(
        `${text('fr-FR', 'ui.session.signedOut')} ${text('fr-FR', 'ui.session.comingSoon')}`,
      );
      expect(await session.locator('a').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('shows the signed-in agent’s name, from GET /api/me', async () => {
    const { cookie } = await app.signIn();
    const [name = '', value = ''] = cookie.split('=');
    const context = await newContext(browser, app.baseUrl, { language: 'en' });
    await context.addCookies([{ name, value, url: app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    try {
      const tab = await openPage(context, app.baseUrl, '/');
      const session = tab.locator('[data-session]');
      expect(await session.getAttribute('data-session')).toBe('signedIn');
      expect(await session.textContent()).toBe(text('en', 'ui.session.signedIn', { name: 'Camille Martin' }));
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
