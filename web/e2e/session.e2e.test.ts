import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.ts';
import { describeInBrowser, describeViolations, launchBrowser, newContext, openPage, runAxe } from './support/browser.ts';
import { text } from './support/pages.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';

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

  it('saves a signed-in agent’s language choice to their profile (CSRF-protected change)', async () => {
    const agent = DEMO_AGENTS[3]!; // Olivier Gagnon, QC, prefers English
    const { cookie } = await app.signIn(agent);
    const [name = '', value = ''] = cookie.split('=');
    const context = await newContext(browser, app.baseUrl);
    await context.addCookies([{ name, value, url: app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    try {
      const tab = await openPage(context, app.baseUrl, '/');
      const saved = tab.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
      await tab.getByRole('button', { name: 'Français (Québec)' }).click();
      expect((await saved).status()).toBe(200);
      const me = (await (await fetch(`${app.baseUrl}/api/me`, { headers: { cookie } })).json()) as { preferredLanguage: string };
      expect(me.preferredLanguage).toBe('fr-CA');
    } finally {
      await context.close();
    }
  });
});
