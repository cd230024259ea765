import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): « Coopération France–Québec » (QC cell),
// Émilie (Québec, fr-CA) edits it; « Bienvenue » is one of its documents. Hugo (France, fr-FR)
// owns « Chantier cloud souverain » (FR cell) and its « Feuille de route ». Issue 5: each feature
// works for an agent of each state.
const emilie = agent('Émilie');
const hugo = agent('Hugo');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const CLOUD = '019ac9f0-0000-7000-8000-0000000e0002';
const ROADMAP = '019ac9f0-0000-7000-8000-0000000d0101';
const SHOTS = process.env.ENTENTE_SHOTS_DIR;

async function downloadFrom(tab: Page, choose: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([tab.waitForEvent('download'), choose()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

describeInBrowser('Exports of documents and spaces', () => {
  const suite = browserSuite();

  it('a Québec agent (fr-CA) downloads a document as PDF with the mouse and as DOCX with the keyboard; axe-clean with the menu open', async () => {
    const context = await suite.signedInContext(emilie, { acceptDownloads: true });
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}/documents/${WELCOME}`);
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-CA');
      const button = tab.getByRole('button', { name: 'Exporter', exact: true });
      await button.waitFor();
      expect(await button.getAttribute('aria-haspopup')).toBe('menu');
      expect(await button.getAttribute('aria-expanded')).toBe('false');

      await button.click();
      const menu = tab.getByRole('menu', { name: 'Exporter « Bienvenue »' });
      await menu.waitFor();
      expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['PDF', 'Word (DOCX)', 'OpenDocument (ODT)', 'Markdown', 'HTML']);
      // The first format has the focus (menu button pattern).
      expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('PDF');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      const pdf = await downloadFrom(tab, () => menu.getByRole('menuitem', { name: 'PDF' }).click());
      expect(pdf.name).toBe('Bienvenue.pdf');
      expect(pdf.bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
      expect(pdf.bytes.toString('latin1')).toContain('/Lang (fr-CA)');
      await tab.getByRole('status').filter({ hasText: 'Export PDF téléchargé.' }).waitFor();
      expect(await button.getAttribute('aria-expanded')).toBe('false');

      // Keyboard only: ↓ opens on the first format, ↓ moves, Enter chooses.
      await button.focus();
      await tab.keyboard.press('ArrowDown');
      await tab.keyboard.press('ArrowDown');
      expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Word (DOCX)');
      const docx = await downloadFrom(tab, () => tab.keyboard.press('Enter'));
      expect(docx.name).toBe('Bienvenue.docx');
      const xml = strFromU8(unzipSync(docx.bytes)['word/document.xml'] as Uint8Array);
      expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
      // Escape closes the menu and gives the focus back to its button.
      await tab.keyboard.press('ArrowDown');
      await tab.keyboard.press('Escape');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await tab.evaluate(() => document.activeElement?.getAttribute('aria-haspopup'))).toBe('menu');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a French agent (fr-FR) downloads a document of the French cell as ODT and its space as a zip of ODT files', async () => {
    const context = await suite.signedInContext(hugo, { acceptDownloads: true });
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${CLOUD}/documents/${ROADMAP}`);
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-FR');
      const button = tab.getByRole('button', { name: 'Exporter', exact: true });
      await button.click();
      const menu = tab.getByRole('menu', { name: 'Exporter « Feuille de route »' });
      await menu.waitFor();
      if (SHOTS) await tab.screenshot({ path: `${SHOTS}/exports-hugo-menu.png`, fullPage: true });
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      const odt = await downloadFrom(tab, () => menu.getByRole('menuitem', { name: 'OpenDocument (ODT)' }).click());
      expect(odt.name).toBe('Feuille de route.odt');
      const files = unzipSync(odt.bytes);
      expect(strFromU8(files.mimetype as Uint8Array)).toBe('application/vnd.oasis.opendocument.text');
      // A document of the French cell is written in French of France; its table is kept.
      expect(strFromU8(files['meta.xml'] as Uint8Array)).toContain('<dc:language>fr-FR</dc:language>');
      const content = strFromU8(files['content.xml'] as Uint8Array);
      expect(content).toContain('<table:table ');
      expect(content).toContain('SecNumCloud');
      await tab.getByRole('status').filter({ hasText: 'Export OpenDocument (ODT) téléchargé.' }).waitFor();

      // The whole space, from its page.
      await tab.goto(new URL(`/espaces/${CLOUD}`, suite.app.baseUrl).href);
      const spaceButton = tab.getByRole('button', { name: 'Exporter l’espace' });
      await spaceButton.click();
      // What the archive holds is said under the formats, and read with the button.
      await tab.getByText('L’archive zip contient les documents dans le format choisi et les fichiers de l’espace tels quels (sans la corbeille).').waitFor();
      expect(await spaceButton.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent)).toContain('les fichiers de l’espace');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      const spaceMenu = tab.getByRole('menu', { name: 'Exporter l’espace « Chantier cloud souverain » (archive zip)' });
      const zip = await downloadFrom(tab, () => spaceMenu.getByRole('menuitem', { name: 'OpenDocument (ODT)' }).click());
      expect(zip.name).toBe('Chantier cloud souverain (odt).zip');
      expect(Object.keys(unzipSync(zip.bytes))).toContain('Chantier cloud souverain/Feuille de route.odt');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a Québec agent exports a space as a zip of Markdown files with its tree', async () => {
    const context = await suite.signedInContext(emilie, { acceptDownloads: true });
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}`);
      const button = tab.getByRole('button', { name: 'Exporter l’espace' });
      await button.click();
      const zip = await downloadFrom(tab, () => tab.getByRole('menu', { name: /Exporter l’espace/ }).getByRole('menuitem', { name: 'Markdown' }).click());
      expect(zip.name).toBe('Coopération France–Québec (md).zip');
      const names = Object.keys(unzipSync(zip.bytes));
      expect(names).toContain('Coopération France–Québec/Bienvenue.md');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
