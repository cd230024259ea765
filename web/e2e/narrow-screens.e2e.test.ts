import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const camille = DEMO_AGENTS.find((a) => a.givenName === 'Camille') as Agent;
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';

/**
 * At 375 px (a phone), pages the UI review found wider than the screen: the files table (691 px),
 * the search form (its button cut off) and the notification preferences. Nothing may make the page
 * scroll sideways; a wide table scrolls in its own box, which the keyboard reaches.
 */
describeInBrowser('narrow screens', () => {
  const suite = browserSuite();

  it('the files, search and profile pages fit a 375-pixel screen', async () => {
    const context = await suite.signedInContext(camille, { language: 'fr-FR' });
    try {
      // A file with a long name in the space, uploaded as an agent does.
      const files = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}/fichiers`);
      const [chooser] = await Promise.all([files.waitForEvent('filechooser'), files.getByRole('button', { name: 'Ajouter des fichiers' }).click()]);
      await chooser.setFiles([{ name: 'compte-rendu-du-comité-de-pilotage-du-31-mars-2026.txt', mimeType: 'text/plain', buffer: Buffer.from('Ordre du jour.\n') }]);
      await files.getByRole('table').waitFor();
      await files.close();
      for (const [path, ready] of [
        [`/espaces/${COOPERATION}/fichiers`, 'table'],
        ['/recherche?q=coop%C3%A9ration', 'form[role="search"] button[type="submit"]'],
        ['/profil', 'table'],
      ] as const) {
        const tab = await openPage(context, suite.app.baseUrl, path);
        await tab.setViewportSize({ width: 375, height: 800 });
        await tab.locator(ready).first().waitFor();
        await settled(tab);
        const widths = await tab.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
        expect(widths.page, path).toBeLessThanOrEqual(widths.screen);
        for (const button of await tab.locator('main button:visible').all()) {
          const box = await button.boundingBox();
          // Inside a box that scrolls sideways a button may sit further right; elsewhere it is on the screen.
          const scrolled = await button.evaluate((element) => element.closest('.table-scroll') !== null);
          if (box && !scrolled) expect(box.x + box.width, `${path}: ${await button.textContent()}`).toBeLessThanOrEqual(widths.screen + 0.5);
        }
        for (const box of await tab.locator('.table-scroll').all()) expect(await box.getAttribute('tabindex')).toBe('0');
        expect(describeViolations(await runAxe(tab)), path).toEqual([]);
        await tab.screenshot({ path: `/tmp/narrow-${path.split('/').filter(Boolean).pop()?.split('?')[0]}.png`, fullPage: true });
        await tab.close();
      }
    } finally {
      await context.close();
    }
  });
});
