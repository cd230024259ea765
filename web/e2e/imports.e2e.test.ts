import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const camille = DEMO_AGENTS.find((a) => a.givenName === 'Camille') as Agent;
const emilie = DEMO_AGENTS.find((a) => a.givenName === 'Émilie') as Agent;
// Demo content: Camille (France, fr-FR) owns « Coopération France–Québec » (QC cell), Émilie
// (Québec, fr-CA) edits it. Issue 5: each feature works for an agent of each state.
const SHOTS = process.env.ENTENTE_SHOTS_DIR;
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();

describeInBrowser('Importing documents into a space', () => {
  const suite = browserSuite();

  it('a French agent (fr-FR) imports a zip of Markdown files and a hostile HTML file: progress, report, imported documents open clean; axe-clean', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}`);
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-FR');
      const dialogs: string[] = [];
      tab.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await tab.getByRole('button', { name: 'Importer', exact: true }).click();
      await tab.getByLabel('Choisir des fichiers').waitFor();
      // France's wording (catalog imports.ts: Québec says « zone de dépôt »).
      await tab.getByText('ou glissez-les dans cette zone', { exact: true }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      const zip = zipSync({
        'Atelier/Compte rendu.md': utf8('# Compte rendu\n\nDécisions de l’**atelier** nuage.\n\n- Point un\n- Point deux\n\nVoir le [plan](../Plan.md).\n'),
        'Plan.md': utf8('# Plan\n\n| Étape | Date |\n| --- | --- |\n| Cadrage | mars |\n'),
        'lisez-moi.txt': utf8('pas un document'),
      });
      const html = `<h1>Page piégée</h1><p>Texte sûr</p><script>alert('script')</script><img src=x onerror="alert('img')">
        <p><a href="javascript:alert('lien')">lien piégé</a> <a href="https://www.quebec.ca/">lien sûr</a></p><svg onload="alert('svg')"></svg>
        <iframe src="https://evil.example/"></iframe>`;
      await tab.getByLabel('Choisir des fichiers').setInputFiles([
        { name: 'atelier.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) },
        { name: 'Page piégée.html', mimeType: 'text/html', buffer: utf8(html) },
      ]);
      expect(await tab.getByText('2 fichiers choisis', { exact: false }).textContent()).toContain('atelier.zip, Page piégée.html');

      // Every text the progress bar says, as the import goes.
      await tab.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { seen: string[] }).seen = seen;
        new MutationObserver(() => {
          const bar = document.querySelector('.ws-imports-progress progress');
          const text = bar?.getAttribute('aria-valuetext');
          if (text && seen[seen.length - 1] !== text) seen.push(text);
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext', 'value'] });
      });
      await tab.getByRole('button', { name: 'Lancer l’import' }).click();
      const summary = tab.locator('.ws-imports-summary');
      await summary.filter({ hasText: 'Import terminé' }).waitFor({ timeout: 30_000 });
      expect(await summary.textContent()).toBe('Import terminé : 3 documents importés, aucun fichier en échec.');
      const seen = await tab.evaluate(() => (window as unknown as { seen: string[] }).seen);
      expect(seen.some((text) => text.startsWith('Envoi de « atelier.zip » (1 sur 2)') || text.startsWith('Conversion de « atelier.zip »'))).toBe(true);
      expect(seen.some((text) => text.includes('« Page piégée.html »'))).toBe(true);
      expect(await tab.locator('.ws-imports-progress progress').getAttribute('value')).toBe('100');

      // The report: one row per file, with why and what was removed.
      const report = tab.getByRole('table', { name: 'Rapport d’import' });
      const rowOf = (file: string) => report.getByRole('row').filter({ has: tab.getByRole('rowheader', { name: file, exact: true }) });
      expect(await rowOf('atelier.zip › lisez-moi.txt').textContent()).toContain('Ignoré : type de fichier non pris en charge');
      expect(await rowOf('atelier.zip › Atelier/Compte rendu.md').textContent()).toContain('Importé comme « Compte rendu »');
      const trapped = await rowOf('Page piégée.html').textContent();
      expect(trapped).toContain('1 script retiré');
      expect(trapped).toContain('1 lien dangereux retiré (texte conservé)');
      expect(trapped).toContain('1 image introuvable dans l’import');
      // The tree shows the folder and its document.
      const tree = tab.locator('.ws-sidebar');
      await tree.getByRole('link', { name: 'Atelier', exact: true }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      if (SHOTS) await tab.screenshot({ path: `${SHOTS}/imports-camille-report.png`, fullPage: true });

      // Open an imported document from the report: its content is there, in the editor.
      await rowOf('atelier.zip › Atelier/Compte rendu.md').getByRole('link', { name: 'Importé comme « Compte rendu »' }).click();
      await tab.waitForURL('**/documents/**');
      await editorOf(tab).getByRole('heading', { name: 'Compte rendu' }).waitFor({ timeout: 20_000 });
      expect(await editorOf(tab).locator('li').allTextContents()).toEqual(['Point un', 'Point deux']);
      const planLink = editorOf(tab).getByRole('link', { name: 'plan' });
      expect(await planLink.getAttribute('href')).toMatch(new RegExp(`^/espaces/${COOPERATION}/documents/[0-9a-f-]{36}$`));

      // The hostile page, opened in the editor: nothing of the attack reached it.
      await tab.goBack();
      await tab.getByRole('button', { name: 'Importer', exact: true }).waitFor();
      await tab.locator('.ws-sidebar').getByRole('link', { name: 'Page piégée', exact: true }).click();
      await editorOf(tab).getByRole('heading', { name: 'Page piégée' }).waitFor({ timeout: 20_000 });
      const editor = editorOf(tab);
      expect(await editor.locator('script, iframe, svg, [onerror], [onload], a[href^="javascript"]').count()).toBe(0);
      expect(await editor.getByRole('link', { name: 'lien sûr' }).getAttribute('href')).toBe('https://www.quebec.ca/');
      expect(await editor.textContent()).toContain('lien piégé');
      await tab.waitForTimeout(500);
      expect(dialogs).toEqual([]);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a Québec agent (fr-CA) imports a Word file, with a damaged one reported apart; the imported document opens', async () => {
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ text: 'Note de breffage', heading: HeadingLevel.HEADING_1 }),
              new Paragraph('Rencontre des sous-ministres sur l’infonuagique.'),
              new Paragraph({ text: 'Hébergement au Québec', bullet: { level: 0 } }),
              new Paragraph({ text: 'Réversibilité', bullet: { level: 0 } }),
              new Table({
                rows: [
                  new TableRow({ children: [new TableCell({ children: [new Paragraph('Ministère')] }), new TableCell({ children: [new Paragraph('Échéance')] })] }),
                  new TableRow({ children: [new TableCell({ children: [new Paragraph('MCN')] }), new TableCell({ children: [new Paragraph('Juin')] })] }),
                ],
              }),
            ],
          },
        ],
      }),
    );
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}`);
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-CA');
      await tab.getByRole('button', { name: 'Importer', exact: true }).click();
      await tab.getByLabel('Choisir des fichiers').waitFor();
      // Québec wording where fr-CA differs from fr-FR.
      await tab.getByText('ou glissez-les dans cette zone de dépôt', { exact: true }).waitFor();
      await tab.getByLabel('Choisir des fichiers').setInputFiles([
        { name: 'Note de breffage.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx },
        { name: 'Abîmé.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from('PK\u0003\u0004 pas un vrai fichier Word') },
        { name: 'Compte rendu.odt', mimeType: 'application/vnd.oasis.opendocument.text', buffer: Buffer.from('PK\u0003\u0004 OpenDocument') },
      ]);
      await tab.getByRole('button', { name: 'Lancer l’import' }).click();
      const summary = tab.locator('.ws-imports-summary');
      await summary.filter({ hasText: 'Import terminé' }).waitFor({ timeout: 30_000 });
      expect(await summary.textContent()).toBe('Import terminé : 1 document importé, 2 fichiers non convertis.');
      // ODT is named as such, with what to do instead; the damaged file is said once, in its row.
      const alerts = await tab.getByRole('alert').allTextContents();
      expect(alerts.join(' ')).toContain('« Compte rendu.odt » : les fichiers OpenDocument (.odt) ne s’importent pas encore.');
      expect(alerts.join(' ')).not.toContain('Abîmé.docx');
      const report = tab.getByRole('table', { name: 'Rapport d’import' });
      const rowOf = (file: string) => report.getByRole('row').filter({ has: tab.getByRole('rowheader', { name: file, exact: true }) });
      expect(await rowOf('Abîmé.docx').textContent()).toContain('Non converti : fichier Word endommagé ou illisible');
      if (SHOTS) await tab.screenshot({ path: `${SHOTS}/imports-emilie-report.png`, fullPage: true });
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      await rowOf('Note de breffage.docx').getByRole('link', { name: 'Importé comme « Note de breffage »' }).click();
      await tab.waitForURL('**/documents/**');
      const editor = editorOf(tab);
      await editor.getByRole('heading', { level: 1, name: 'Note de breffage' }).waitFor({ timeout: 20_000 });
      expect(await editor.locator('li').allTextContents()).toEqual(['Hébergement au Québec', 'Réversibilité']);
      expect(await editor.locator('table td, table th').allTextContents()).toEqual(['Ministère', 'Échéance', 'MCN', 'Juin']);
      // Nothing of the damaged file reached the space.
      expect(await tab.locator('.ws-sidebar').getByRole('link', { name: /Abîmé/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});
