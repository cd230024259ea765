import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
// Demo content: Émilie (QC) edits « Coopération France–Québec », whose first page is « Bienvenue ».
const emilie = DEMO_AGENTS.find((a) => a.givenName === 'Émilie') as Agent;
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';

describeInBrowser('Share links', () => {
  const suite = browserSuite();

  it('an editor makes a public link, a stranger without a session reads the page, and after revocation gets the 410 page', async () => {
    const editorContext = await suite.signedInContext(emilie);
    const strangerContext = await suite.newContext();
    try {
      const tab = await editorContext.newPage();
      await tab.goto(new URL(`/espaces/${COOPERATION}/documents/${WELCOME}`, suite.app.baseUrl).href);
      const share = tab.getByRole('button', { name: 'Partager' });
      await share.waitFor({ timeout: 20_000 });
      await share.click();
      const dialog = tab.getByRole('dialog', { name: 'Partager « Bienvenue »' });
      await dialog.waitFor();
      // Keyboard: the first field has the focus; the reach is a labelled radio group.
      expect(await tab.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
      await dialog.getByRole('radio', { name: 'Tout le monde, en lecture seule (page publique)' }).check();
      await expect.poll(() => dialog.getByLabel('Rôle donné par le lien').isDisabled()).toBe(true);
      expect(await dialog.getByLabel('Date d’expiration').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await dialog.getByRole('button', { name: 'Créer le lien' }).click();
      await dialog.getByText('Lien créé. Copiez-le pour le transmettre.').waitFor();
      const address = dialog.getByLabel('Adresse du lien').first();
      const url = await address.inputValue();
      expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);

      const violations = await runAxe(tab);
      expect(violations, describeViolations(violations).join('\n')).toEqual([]);

      // A fresh browser with no session reads the document on the server-rendered page.
      const reader = await strangerContext.newPage();
      const opened = await reader.goto(url);
      expect(opened?.status()).toBe(200);
      expect(opened?.headers()['x-robots-tag']).toBe('noindex, nofollow');
      await reader.getByRole('heading', { level: 1, name: 'Bienvenue', exact: true }).waitFor();
      await reader.getByText('déclaration d’intention sur la souveraineté numérique').first().waitFor();
      expect(await reader.locator('script').count()).toBe(0);
      expect(await reader.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex, nofollow');
      const publicViolations = await runAxe(reader);
      expect(publicViolations, describeViolations(publicViolations).join('\n')).toEqual([]);

      // Revoked from the dialog: the same address now answers 410, in French and English.
      await dialog.getByRole('button', { name: 'Révoquer' }).first().click();
      await dialog.getByText('Lien révoqué : l’accès qu’il donnait est retiré.').waitFor();
      const gone = await reader.goto(url);
      expect(gone?.status()).toBe(410);
      await reader.getByRole('heading', { name: 'Lien de partage expiré ou révoqué' }).waitFor();
      await reader.getByRole('heading', { name: 'Share link expired or revoked' }).waitFor();
      expect(await reader.getByText('déclaration d’intention').count()).toBe(0);
      const goneViolations = await runAxe(reader);
      expect(goneViolations, describeViolations(goneViolations).join('\n')).toEqual([]);

      // Escape closes the dialog and gives the focus back to « Partager ».
      await tab.keyboard.press('Escape');
      await expect.poll(() => dialog.isVisible()).toBe(false);
      expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Partager');
    } finally {
      await editorContext.close();
      await strangerContext.close();
    }
    // Two browser profiles and three axe runs: slow on a loaded machine.
  }, 180_000);
});
