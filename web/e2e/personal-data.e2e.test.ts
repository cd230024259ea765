import { readFile } from 'node:fs/promises';
import type { AccountKey } from '@entente/common/i18n/catalog/account.ts';
import { formatMessage } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/** « Télécharger mes données » on the profile page: the agent clicks, the browser saves their data. */

const a = (locale: Locale, key: AccountKey, values?: Record<string, string>) => formatMessage(locale, key, values);
type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE, HUGO, EMILIE, OLIVIER] = DEMO_AGENTS as unknown as [DemoAgent, DemoAgent, DemoAgent, DemoAgent];

async function profileReady(tab: Page): Promise<void> {
  await tab.locator('[data-account-state="ready"]').waitFor();
}

describeInBrowser('personal data download', () => {
  const suite = browserSuite();

  it('saves a JSON file of the agent’s own data from the profile page, accessible, in French', async () => {
    const context = await suite.signedInContext(CAMILLE, { acceptDownloads: true });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/profil');
      await profileReady(tab);
      const region = tab.getByRole('main').getByRole('region', { name: 'Mes données' });
      const button = region.getByRole('button', { name: 'Télécharger mes données' });
      expect(await button.isEnabled()).toBe(true);
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      const [download] = await Promise.all([tab.waitForEvent('download'), button.click()]);
      const day = new Date().toISOString().slice(0, 10);
      expect(download.suggestedFilename()).toBe(`entente-mes-donnees-${day}.json`);
      const file = await download.path();
      const data = JSON.parse(await readFile(file, 'utf8')) as {
        format: string;
        subject: { principalId: string };
        identity: { profile: { email: string } };
        workspace: { spaces: { name: string }[] };
      };
      expect(data.format).toBe('entente.personal-data');
      expect(data.subject.principalId).toBe(CAMILLE.id);
      expect(data.identity.profile.email).toBe(CAMILLE.email);
      expect(data.workspace.spaces.map((s) => s.name)).toContain('Chantier cloud souverain');
      const text = JSON.stringify(data);
      for (const other of [HUGO, EMILIE, OLIVIER]) {
        expect(text).not.toContain(other.id);
        expect(text).not.toContain(other.email);
      }
      // The page says it is done, for screen readers too.
      await tab.getByRole('status').filter({ hasText: `entente-mes-donnees-${day}.json` }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/tmp/personal-data-fr-FR.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('speaks Québec French and English, and says so on the page when asked too often', async () => {
    const quebec = await suite.signedInContext(EMILIE, { acceptDownloads: true, language: 'fr-CA', locale: 'fr-CA' });
    try {
      const tab = await openPage(quebec, suite.app.baseUrl, '/profil');
      await profileReady(tab);
      const region = tab.getByRole('region', { name: a('fr-CA', 'account.personalData.title') });
      expect(await region.textContent()).toContain('renseignements personnels');
      const button = region.getByRole('button', { name: a('fr-CA', 'account.personalData.download') });
      // Five exports a minute per agent; the sixth is refused and the page says why.
      for (let i = 0; i < 5; i++) {
        const [download] = await Promise.all([tab.waitForEvent('download'), button.click()]);
        expect(download.suggestedFilename()).toMatch(/^entente-mes-donnees-\d{4}-\d{2}-\d{2}\.json$/);
        await button.waitFor({ state: 'visible' });
        await tab.waitForFunction(() => !document.querySelector('[data-action="download-personal-data"]')?.hasAttribute('disabled'));
      }
      await button.click();
      await tab.getByRole('alert').filter({ hasText: a('fr-CA', 'account.personalData.rateLimited') }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await quebec.close();
    }

    const english = await suite.signedInContext(OLIVIER, { acceptDownloads: true, language: 'en', locale: 'en' });
    try {
      const tab = await openPage(english, suite.app.baseUrl, '/profil');
      await profileReady(tab);
      const button = tab.getByRole('region', { name: 'My data' }).getByRole('button', { name: 'Download my data' });
      const [download] = await Promise.all([tab.waitForEvent('download'), button.click()]);
      const data = JSON.parse(await readFile(await download.path(), 'utf8')) as { subject: { principalId: string } };
      expect(data.subject.principalId).toBe(OLIVIER.id);
    } finally {
      await english.close();
    }
  });
});
