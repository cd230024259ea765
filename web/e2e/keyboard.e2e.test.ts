import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, openPage } from './support/browser.ts';
import { text } from './support/pages.ts';
import { browserSuite } from './support/suite.ts';

interface Focused {
  tag: string;
  id: string;
  text: string;
  lang: string | null;
  /** Visible focus: an outline of at least 2px, not transparent, on the element or its ::after (cards). */
  ring: boolean;
  inViewport: boolean;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const box = element.getBoundingClientRect();
    const ringed = (style: CSSStyleDeclaration) =>
      style.outlineStyle !== 'none' &&
      Number.parseFloat(style.outlineWidth) >= 2 &&
      style.outlineColor !== 'rgba(0, 0, 0, 0)';
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      text: element.textContent?.trim() ?? '',
      lang: element.getAttribute('lang'),
      ring: ringed(getComputedStyle(element)) || ringed(getComputedStyle(element, '::after')),
      inViewport: box.bottom > 0 && box.right > 0 && box.top < window.innerHeight && box.left < window.innerWidth,
    };
  });
}

async function tabTo(page: Page, matches: (element: Focused) => boolean, limit = 40): Promise<Focused> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const element = await focused(page);
    if (matches(element)) return element;
  }
  throw new Error(`no element reached in ${limit} Tab presses`);
}

describeInBrowser('keyboard use of the home page', () => {
  const suite = browserSuite();

  it('Tab reaches the skip link first, and the skip link moves focus to the content', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      await tab.keyboard.press('Tab');
      const skip = await focused(tab);
      expect(skip).toMatchObject({ tag: 'a', text: text('fr-FR', 'ui.shell.skipLink'), ring: true, inViewport: true });

      await tab.keyboard.press('Enter');
      await expect.poll(async () => (await focused(tab)).id).toBe('main');

      // The next Tab continues inside the content, not back in the header.
      await tab.keyboard.press('Tab');
      expect(await tab.evaluate(() => document.querySelector('main')?.contains(document.activeElement))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('the language switch works with the keyboard', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const english = await tabTo(tab, (element) => element.tag === 'button' && element.lang === 'en');
      expect(english.ring).toBe(true);
      await tab.keyboard.press('Enter');
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('en');
      expect(await tab.locator('main h1').textContent()).toBe(text('en', 'ui.home.heading'));
      // Focus stays on the switch, so the agent is not thrown back to the top of the page.
      expect((await focused(tab)).lang).toBe('en');

      await tab.keyboard.press('Shift+Tab');
      expect((await focused(tab)).lang).toBe('fr-CA');
      await tab.keyboard.press('Space');
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-CA');
    } finally {
      await context.close();
    }
  });

  it('Tab reaches every link and button of the page, each with a visible focus ring', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const interactive = await tab.locator('a[href], button').count();
      const reached: Focused[] = [];
      for (let i = 0; i < interactive + 5; i++) {
        await tab.keyboard.press('Tab');
        const element = await focused(tab);
        if (element.tag === 'body') break;
        if (reached.length > 0 && element.text === reached[0]?.text && element.tag === reached[0]?.tag) break;
        reached.push(element);
      }
      expect(reached).toHaveLength(interactive);
      expect(reached.filter((element) => !element.ring).map((element) => element.text)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a domain opens from the keyboard, and focus moves to the new page’s heading', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const title = text('fr-FR', 'ui.domain.identity.title');
      await tabTo(tab, (element) => element.tag === 'a' && element.text === title);
      await tab.keyboard.press('Enter');
      await expect.poll(async () => (await focused(tab)).tag).toBe('h1');
      expect((await focused(tab)).text).toBe(title);
      expect(new URL(tab.url()).pathname).toBe('/domaines/identite');
    } finally {
      await context.close();
    }
  });
});
