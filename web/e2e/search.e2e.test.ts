import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): Émilie (Québec, fr-CA) edits « Coopération
// France–Québec » (QC) and reads « Chantier cloud souverain » (FR); Hugo (France, fr-FR) owns the
// latter and comments in the former. Issue 5: each feature works for an agent of each state.
const emilie = agent('Émilie');
const hugo = agent('Hugo');
const IDENTITY_DOCUMENT = '019ac9f0-0000-7000-8000-0000000d0003';
const ROADMAP = '019ac9f0-0000-7000-8000-0000000d0101';
const SHOTS = process.env.ENTENTE_SHOTS_DIR;

/** The language the page settled on: a signed-in agent's profile language arrives after the first paint. */
const pageLanguage = (tab: Page) => tab.locator('html').getAttribute('lang');

/** Waits until the catch-up job has indexed the demo documents (the box asks once per pause). */
async function waitForIndex(tab: Page, query: string, titles: readonly string[]): Promise<void> {
  const found = () =>
    tab.evaluate(async (q) => ((await (await fetch(`/api/search?q=${encodeURIComponent(q)}`)).json()) as { results?: { title: string }[] }).results?.map((r) => r.title) ?? [], query);
  await expect.poll(found, { timeout: 60_000, interval: 500 }).toEqual(expect.arrayContaining([...titles]));
}

describeInBrowser('Search', () => {
  const suite = browserSuite();

  it('a Québec agent (fr-CA) searches from the header as one types, highlights the words, opens a result; axe-clean', async () => {
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/espaces');
      await expect.poll(() => pageLanguage(tab)).toBe('fr-CA');
      const box = tab.getByRole('search', { name: 'Rechercher dans les documents' }).getByRole('searchbox', { name: 'Rechercher dans les documents' });
      await box.waitFor();
      // « / » focuses the box from anywhere that is not a field.
      await tab.locator('body').click({ position: { x: 5, y: 5 } });
      await tab.keyboard.press('/');
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      // The demo documents are indexed by the catch-up job a few seconds after the start: wait for
      // the index (as the API answers it) before typing, since the box asks once per pause.
      const indexed = () => tab.evaluate(async () => ((await (await fetch('/api/search?q=interoperabilit')).json()) as { results?: unknown[] }).results?.length ?? 0);
      await expect.poll(indexed, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
      // Without accents, as typed: the demo document comes up, its matched words highlighted.
      await tab.keyboard.type('interoperabilit', { delay: 30 });
      const suggestion = tab.locator('.header-search-hit').filter({ hasText: 'Identité numérique et interopérabilité' });
      await expect.poll(async () => suggestion.count(), { timeout: 20_000, interval: 500 }).toBeGreaterThan(0);
      expect(await suggestion.first().locator('mark').allTextContents()).toContain('interopérabilité');
      expect(await tab.locator('header [aria-live="polite"]').filter({ hasText: /résultat/ }).count()).toBeGreaterThan(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // Enter: the results page, with the query in the address and highlighted extracts.
      await box.press('Enter');
      await tab.waitForURL(/\/recherche\?q=interoperabilit/);
      await tab.getByRole('heading', { level: 1, name: 'Recherche' }).waitFor();
      const result = tab.locator('.search-result').filter({ hasText: 'Identité numérique et interopérabilité' });
      await result.first().waitFor();
      expect(await tab.getByRole('status').textContent()).toMatch(/\d+ résultats?/);
      expect((await result.first().locator('.search-result-snippet mark').allTextContents()).length).toBeGreaterThan(0);
      expect(await result.first().locator('.search-result-meta').textContent()).toContain('Coopération France–Québec');
      // Québec wording where fr-CA differs from fr-FR (catalog search.ts).
      await tab.getByLabel('Modifié jusqu’au (inclusivement)', { exact: true }).waitFor();
      if (SHOTS) await tab.screenshot({ path: `${SHOTS}/search-emilie-fr-CA.png`, fullPage: true });
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // A filter narrows the results: the FR space holds no such document.
      await tab.getByLabel('Espace', { exact: true }).selectOption({ label: 'Chantier cloud souverain (France)' });
      await tab.waitForURL(/space=/);
      await expect.poll(async () => tab.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/Aucun résultat/);
      await tab.getByRole('button', { name: 'Effacer les filtres' }).click();
      await result.first().waitFor();

      // Opening a result opens the document.
      await result.first().getByRole('link').click();
      await tab.waitForURL(`**/documents/${IDENTITY_DOCUMENT}`);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a French agent (fr-FR) finds, from the same box, documents of both cells; axe-clean', async () => {
    const context = await suite.signedInContext(hugo);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/espaces');
      await expect.poll(() => pageLanguage(tab)).toBe('fr-FR');
      // « données personnelles » is in a document of each cell that Hugo may read: the French
      // roadmap he owns and the Québec page on AI, in a space where he comments.
      await waitForIndex(tab, 'donnees personnelles', ['Feuille de route', 'Intelligence artificielle responsable']);
      const box = tab.getByRole('searchbox', { name: 'Rechercher dans les documents' });
      await box.click();
      await tab.keyboard.type('donnees personnel', { delay: 30 });
      const suggestion = tab.locator('.header-search-hit').filter({ hasText: 'Feuille de route' });
      await expect.poll(async () => suggestion.count(), { timeout: 20_000, interval: 500 }).toBeGreaterThan(0);
      // The suggestion names the space of each cell's document.
      expect(await suggestion.first().locator('.header-search-hit-space').textContent()).toBe('Chantier cloud souverain');

      await box.press('Enter');
      await tab.waitForURL(/\/recherche\?q=donnees/);
      const results = tab.locator('.search-result');
      const roadmap = results.filter({ hasText: 'Feuille de route' }).first();
      const quebec = results.filter({ hasText: 'Intelligence artificielle responsable' }).first();
      await roadmap.waitFor();
      await quebec.waitFor();
      expect(await roadmap.locator('.search-result-meta').textContent()).toContain('Chantier cloud souverain · France');
      expect(await quebec.locator('.search-result-meta').textContent()).toContain('Coopération France–Québec · Québec');
      // The words are found without their accents, and highlighted as written in each document.
      for (const result of [roadmap, quebec]) {
        const marked = (await result.locator('.search-result-snippet mark').allTextContents()).map((word) => word.toLowerCase());
        expect(marked).toEqual(expect.arrayContaining(['données', 'personnelles']));
      }
      // France's wording (fr-FR), not Québec's.
      await tab.getByLabel('Modifié jusqu’au', { exact: true }).waitFor();
      expect(await tab.getByLabel('Modifié jusqu’au (inclusivement)').count()).toBe(0);
      if (SHOTS) await tab.screenshot({ path: `${SHOTS}/search-hugo-fr-FR.png`, fullPage: true });
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      await roadmap.getByRole('link').click();
      await tab.waitForURL(`**/documents/${ROADMAP}`);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('focuses the box with Ctrl+K and shows nothing of documents to a visitor who is not signed in', async () => {
    const signedIn = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(signedIn, suite.app.baseUrl, '/');
      const box = tab.getByRole('searchbox', { name: 'Rechercher dans les documents' });
      await box.waitFor();
      await tab.keyboard.press('Control+k');
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    } finally {
      await signedIn.close();
    }
    const visitor = await suite.newContext();
    try {
      const tab = await openPage(visitor, suite.app.baseUrl, '/recherche?q=interoperabilite');
      await tab.getByText('Connectez-vous pour rechercher dans vos documents.').waitFor();
      expect(await tab.getByRole('searchbox').count()).toBe(0);
    } finally {
      await visitor.close();
    }
  });
});
