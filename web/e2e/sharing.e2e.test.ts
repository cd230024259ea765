import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content: Émilie (QC) edits « Coopération France–Québec », whose first page is « Bienvenue ».
// In « Chantier cloud souverain » (FR cell) Hugo owns, Camille (FR) edits and Émilie reads.
const emilie = agent('Émilie');
const camille = agent('Camille');
const hugo = agent('Hugo');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const CLOUD = '019ac9f0-0000-7000-8000-0000000e0002';
const ROADMAP = '019ac9f0-0000-7000-8000-0000000d0101';
const PASSAGE = 'hébergement qualifiée SecNumCloud';
const SHOTS = process.env.ENTENTE_SHOTS_DIR;

const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();
const commentsOf = (tab: Page) => tab.getByRole('region', { name: 'Commentaires' });

/** Selects `words` in the editor as a mouse drag would (a DOM range over the text). */
async function select(tab: Page, words: string): Promise<void> {
  await editorOf(tab).evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      return;
    }
    throw new Error(`« ${wanted} » is not in the document`);
  }, words);
}

/** Makes a link from the « Partager » dialog of the open document; answers its address. */
async function createLink(tab: Page, title: string, role: string, reach: string): Promise<string> {
  const dialog = tab.getByRole('dialog', { name: `Partager « ${title} »` });
  if (!(await dialog.isVisible())) {
    await tab.getByRole('button', { name: 'Partager' }).click();
    await dialog.waitFor();
  }
  await dialog.getByLabel('Rôle donné par le lien').selectOption({ label: role });
  await dialog.getByRole('radio', { name: reach }).check();
  await dialog.getByRole('button', { name: 'Créer le lien' }).click();
  await dialog.getByText('Lien créé. Copiez-le pour le transmettre.').waitFor();
  const item = dialog.locator('.ws-share-link').filter({ hasText: `${role}, ${reach}` });
  await item.waitFor();
  return item.getByLabel('Adresse du lien').inputValue();
}

describeInBrowser('Share links', () => {
  const suite = browserSuite();

  it('a Québec editor (fr-CA) makes a public link, a stranger without a session reads the page, and after revocation gets the 410 page', async () => {
    const editorContext = await suite.signedInContext(emilie);
    const strangerContext = await suite.newContext();
    try {
      const tab = await editorContext.newPage();
      await tab.goto(new URL(`/espaces/${COOPERATION}/documents/${WELCOME}`, suite.app.baseUrl).href);
      const share = tab.getByRole('button', { name: 'Partager' });
      await share.waitFor({ timeout: 20_000 });
      await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-CA');
      await share.click();
      const dialog = tab.getByRole('dialog', { name: 'Partager « Bienvenue »' });
      await dialog.waitFor();
      // Keyboard: the first field has the focus; the reach is a labelled radio group.
      expect(await tab.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
      // Québec wording where fr-CA differs (catalog sharing.ts); Camille sees France's below.
      await dialog.getByRole('radio', { name: 'Le personnel de mon organisation' }).waitFor();
      await dialog.getByText('Obligatoire pour un lien public (un an au plus); facultative sinon.').waitFor();
      // « Coopération » is « Interne »: no public page, said by the choice itself (it used to be
      // offered and made; UI review).
      const publicChoice = dialog.getByRole('radio', { name: 'Tout le monde, en lecture seule (page publique)' });
      expect(await publicChoice.isDisabled()).toBe(true);
      expect(await publicChoice.evaluate((radio) => document.getElementById(radio.getAttribute('aria-describedby') ?? '')?.textContent)).toMatch(
        /^Page publique impossible ici : seul un espace à diffusion « Publique »/,
      );
      // Its owner makes it « Publique (liens publics permis) »; the dialog, opened again, offers it.
      const owner = await suite.app.signIn(camille);
      const madePublic = await fetch(`${suite.app.baseUrl}/api/spaces/${COOPERATION}`, {
        method: 'PATCH',
        headers: { ...owner.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ classification: 'public' }),
      });
      expect(madePublic.status).toBe(200);
      await tab.reload();
      await share.click();
      await dialog.waitFor();
      await publicChoice.check();
      await expect.poll(() => dialog.getByLabel('Rôle donné par le lien').isDisabled()).toBe(true);
      expect(await dialog.getByLabel('Date d’expiration').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await dialog.getByRole('button', { name: 'Créer le lien' }).click();
      await dialog.getByText('Lien créé. Copiez-le pour le transmettre.').waitFor();
      const address = dialog.getByLabel('Adresse du lien').first();
      const url = await address.inputValue();
      expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
      // The keyboard is on the new address, ready to copy (it fell to <body>).
      await expect.poll(() => tab.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(url);

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
      // A task's box sits on its line, beside its text (it stood on a line of its own above it).
      const task = reader.locator('li.task-item').first();
      const [box, text] = await Promise.all([task.locator('.task-box').boundingBox(), task.locator('p').first().boundingBox()]);
      expect(Math.abs((box?.y ?? 0) - (text?.y ?? 100))).toBeLessThan(8);
      expect(await reader.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex, nofollow');
      const publicViolations = await runAxe(reader);
      expect(publicViolations, describeViolations(publicViolations).join('\n')).toEqual([]);

      // Revoked from the dialog: the same address now answers 410, in French and English.
      await dialog.getByRole('button', { name: 'Révoquer' }).first().click();
      await dialog.getByText('Lien révoqué : l’accès qu’il donnait est retiré.').waitFor();
      // Its « Révoquer » gone, the keyboard is on the link's line, which says so.
      await expect.poll(() => tab.evaluate(() => (document.activeElement?.matches('.ws-share-summary') ? document.activeElement.textContent : null))).toMatch(/Révoqué/i);
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
      // « Coopération » back to « Interne », as the demo has it, for the tests after this one.
      const owner = await suite.app.signIn(camille);
      await fetch(`${suite.app.baseUrl}/api/spaces/${COOPERATION}`, {
        method: 'PATCH',
        headers: { ...owner.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ classification: 'internal' }),
      });
    }
    // Two browser profiles and three axe runs: slow on a loaded machine.
  }, 180_000);

  it('a French editor makes a commenter link for any signed-in agent; a Québec agent who is no member reads and comments, cannot edit; a visitor is sent to sign in', async () => {
    // Every demo agent is a member of both demo spaces: Émilie leaves the French one first (as its
    // owner would remove her), so that only the link lets her in.
    const owner = await suite.app.signIn(hugo);
    const removed = await fetch(new URL(`/api/spaces/${CLOUD}/members/${emilie.id}`, suite.app.baseUrl), { method: 'DELETE', headers: owner.headers });
    expect(removed.status).toBe(204);

    const camilleContext = await suite.signedInContext(camille);
    const emilieContext = await suite.signedInContext(emilie);
    const visitorContext = await suite.newContext();
    try {
      const tab = await openPage(camilleContext, suite.app.baseUrl, `/espaces/${CLOUD}/documents/${ROADMAP}`);
      await editorOf(tab).waitFor({ timeout: 20_000 });
      const url = await createLink(tab, 'Feuille de route', 'Commentaire', 'Tout agent connecté, de France ou du Québec');
      expect(url).toMatch(/\/partage\/[A-Za-z0-9_-]{43}$/);
      // A second link, for Camille's organisation only: Émilie is not in it.
      const organisationUrl = await createLink(tab, 'Feuille de route', 'Lecture', 'Les agents de mon organisation');
      expect(organisationUrl).toMatch(/\/partage\/[A-Za-z0-9_-]{43}$/);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.keyboard.press('Escape');

      // Émilie (Québec, fr-CA), no longer a member: the space itself is closed to her…
      const reader = await openPage(emilieContext, suite.app.baseUrl, `/espaces/${CLOUD}/documents/${ROADMAP}`);
      await reader.getByRole('alert').first().waitFor();
      expect(await editorOf(reader).count()).toBe(0);
      // …the link made for Camille's organisation says it is for others…
      await reader.goto(organisationUrl);
      await reader.getByRole('alert').filter({ hasText: 'Ce lien de partage est réservé à d’autres personnes.' }).waitFor();
      expect(await reader.getByText('SecNumCloud').count()).toBe(0);
      // …and the link for any signed-in agent opens the document, read-only, in fr-CA.
      await reader.goto(url);
      await expect.poll(() => reader.locator('html').getAttribute('lang')).toBe('fr-CA');
      await reader.getByRole('heading', { level: 1, name: 'Feuille de route', exact: true }).waitFor({ timeout: 20_000 });
      await reader.getByText('Vous consultez ce document grâce à un lien de partage (rôle : Commentaire).').waitFor();
      await reader.getByText('Espace : Chantier cloud souverain').waitFor();
      const editor = editorOf(reader);
      await editor.getByText(PASSAGE, { exact: false }).waitFor({ timeout: 20_000 });
      await expect.poll(() => reader.getByTestId('connection').textContent(), { timeout: 15_000 }).toMatch(/Connecté/);
      expect(await editor.getAttribute('contenteditable')).toBe('false');
      await reader.getByText('Lecture seule : votre rôle ne permet pas de modifier le texte.', { exact: false }).waitFor();
      // Nothing of the space beyond this document, and no way to pass the link on.
      expect(await reader.locator('.ws-sidebar').count()).toBe(0);
      expect(await reader.getByRole('button', { name: 'Partager' }).count()).toBe(0);
      // Typing into the text changes nothing.
      const before = await editor.textContent();
      await editor.getByText(PASSAGE, { exact: false }).click();
      await reader.keyboard.type('MODIFIÉ');
      await reader.keyboard.press('Enter');
      expect(await editor.textContent()).toBe(before);
      // Nor does ticking a task of the list.
      const task = editor.locator('li').filter({ hasText: 'Planifier les tests de charge' }).getByRole('checkbox');
      await task.click({ force: true });
      expect(await task.isChecked()).toBe(false);

      // She comments on a passage.
      await select(reader, PASSAGE);
      await commentsOf(reader).getByRole('button', { name: 'Commenter' }).click();
      const composer = commentsOf(reader).getByRole('form', { name: 'Nouveau commentaire' });
      await composer.getByLabel('Votre commentaire').fill('Le Québec vise la même qualification pour ses nuages gouvernementaux.');
      await composer.getByRole('button', { name: 'Publier' }).click();
      await expect.poll(() => commentsOf(reader).getByRole('status').first().textContent()).toBe('Commentaire publié.');
      const thread = commentsOf(reader).getByRole('article', { name: `Fil sur « ${PASSAGE} »` });
      await thread.waitFor();
      if (SHOTS) await reader.screenshot({ path: `${SHOTS}/sharing-emilie-through-link.png`, fullPage: true });
      const violations = await runAxe(reader);
      expect(violations, describeViolations(violations).join('\n')).toEqual([]);

      // Camille, on the document in its space, sees Émilie's comment.
      await tab.reload();
      const camilleThread = commentsOf(tab).getByRole('article', { name: `Fil sur « ${PASSAGE} »` });
      await camilleThread.waitFor({ timeout: 20_000 });
      expect(await camilleThread.textContent()).toContain('Émilie Tremblay');
      // The text is as it was: the link gave no way to change it.
      expect(await editorOf(tab).textContent()).not.toContain('MODIFIÉ');
      expect(await editorOf(tab).locator('li').filter({ hasText: 'Planifier les tests de charge' }).getByRole('checkbox').isChecked()).toBe(false);

      // A visitor with no session is asked to sign in, at /partage/ and at /p/ alike.
      const visitor = await openPage(visitorContext, suite.app.baseUrl, new URL(url).pathname.replace('/partage/', '/p/'));
      await visitor.waitForURL(url);
      await visitor.getByText('Connectez-vous pour ouvrir ce lien de partage.').waitFor();
      expect(await visitor.getByText('SecNumCloud').count()).toBe(0);
      const signIn = visitor.getByRole('link', { name: 'Se connecter' }).last();
      const href = new URL((await signIn.getAttribute('href')) ?? '', suite.app.baseUrl);
      expect(href.pathname).toBe('/connexion');
      expect(href.searchParams.get('retour')).toBe(new URL(url).pathname);
      const visitorViolations = await runAxe(visitor);
      expect(visitorViolations, describeViolations(visitorViolations).join('\n')).toEqual([]);
      if (SHOTS) await visitor.screenshot({ path: `${SHOTS}/sharing-visitor-sign-in.png`, fullPage: true });
      await signIn.click();
      await visitor.waitForURL(/\/connexion\?retour=/);
    } finally {
      await camilleContext.close();
      await emilieContext.close();
      await visitorContext.close();
    }
  }, 180_000);
});
