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
// Émilie (fr-CA) edits it; « Bienvenue » is one of its documents.
const emilie = agent('Émilie');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';

async function downloadFrom(tab: Page, choose: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([tab.waitForEvent('download'), choose()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

describeInBrowser('Exports of documents and spaces', () => {
  const suite = browserSuite();

  it('an agent downloads a document as PDF with the mouse and as DOCX with the keyboard; axe-clean with the menu open', async () => {
    const context = await suite.signedInContext(emilie, { acceptDownloads: true });
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}/documents/${WELCOME}`);
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

  it('exports a space as a zip of Markdown files with its tree', async () => {
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
