import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): in « Coopération France–Québec » Camille
// owns, Émilie edits, Hugo comments and Olivier reads.
const emilie = agent('Émilie');
const hugo = agent('Hugo');
const olivier = agent('Olivier');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const PASSAGE = 'signée à Paris le 31 mars 2026';
const SHOTS = process.env.ENTENTE_SHOTS_DIR;

const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();
const panelOf = (tab: Page, heading = 'Commentaires') => tab.getByRole('region', { name: heading });
const threadOf = (tab: Page, quote: string, label = (q: string) => `Fil sur « ${q} »`, heading?: string) => panelOf(tab, heading).getByRole('article', { name: label(quote) });

/** Opens the welcome page; Olivier reads in English (`english`). */
async function openDocument(context: BrowserContext, baseUrl: string, english = false): Promise<Page> {
  const tab = await openPage(context, baseUrl, `/espaces/${COOPERATION}/documents/${WELCOME}`);
  await editorOf(tab).waitFor();
  await expect.poll(() => tab.getByTestId('connection').textContent(), { timeout: 15_000 }).toMatch(/Connecté|Connected/);
  await panelOf(tab, english ? 'Comments' : 'Commentaires')
    .getByRole('button', { name: english ? /^Open/ : /^Ouverts/ })
    .waitFor();
  return tab;
}

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
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`« ${wanted} » is not in the document`);
  }, words);
}

async function shot(tab: Page, name: string): Promise<void> {
  if (SHOTS) await tab.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

describeInBrowser('Comments anchored in documents', () => {
  const suite = browserSuite();

  it('a commenter comments a selection with a mention; an editor sees it live, replies, reacts and resolves; a reader reads only', async () => {
    const hugoContext = await suite.signedInContext(hugo);
    const emilieContext = await suite.signedInContext(emilie);
    const olivierContext = await suite.signedInContext(olivier);
    try {
      const hugoTab = await openDocument(hugoContext, suite.app.baseUrl);
      const emilieTab = await openDocument(emilieContext, suite.app.baseUrl);

      // Hugo (commenter: the text is read-only for him) selects a passage and comments on it.
      await select(hugoTab, PASSAGE);
      await panelOf(hugoTab).getByRole('button', { name: 'Commenter' }).click();
      const composer = panelOf(hugoTab).getByRole('form', { name: 'Nouveau commentaire' });
      expect(await composer.textContent()).toContain(`« ${PASSAGE} »`);
      const field = composer.getByLabel('Votre commentaire');
      await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
      await field.pressSequentially('Faut-il citer le texte officiel ? @Émi', { delay: 10 });
      const option = hugoTab.getByRole('option', { name: /Émilie Tremblay/ });
      await option.waitFor();
      await field.press('Enter');
      // As a person does: go on typing once the name is in the field (a loaded machine may take a frame or two).
      await expect.poll(() => field.inputValue(), { timeout: 5_000 }).toBe('Faut-il citer le texte officiel ? @Émilie Tremblay ');
      await field.pressSequentially('pouvez-vous vérifier ?', { delay: 5 });
      expect(await field.inputValue()).toBe('Faut-il citer le texte officiel ? @Émilie Tremblay pouvez-vous vérifier ?');
      await composer.getByRole('button', { name: 'Publier' }).click();
      await expect.poll(() => panelOf(hugoTab).getByRole('status').first().textContent()).toBe('Commentaire publié.');
      const hugoThread = threadOf(hugoTab, PASSAGE);
      await hugoThread.waitFor();
      expect(await hugoThread.locator('.cm-mention-chip').textContent()).toBe('@Émilie Tremblay');
      // The passage is highlighted in the text.
      await expect.poll(() => editorOf(hugoTab).locator('.cm-anchor').allTextContents()).toEqual([PASSAGE]);
      await shot(hugoTab, 'hugo-commented');
      expect(describeViolations(await runAxe(hugoTab))).toEqual([]);

      // Émilie sees it without reloading, highlighted; clicking the highlight opens the thread.
      const emilieThread = threadOf(emilieTab, PASSAGE);
      await emilieThread.waitFor({ timeout: 10_000 });
      expect(await emilieThread.textContent()).toContain('Hugo Bernard');
      await editorOf(emilieTab).locator('.cm-anchor').first().click();
      await expect.poll(() => emilieThread.getAttribute('class')).toContain('cm-thread-active');
      // A reply over the limit is said, not dropped silently; what was typed stays to be cut down.
      await emilieThread.getByLabel('Répondre').fill('a'.repeat(10_001));
      await emilieThread.getByRole('button', { name: 'Répondre' }).click();
      // Numbers the French way (narrow no-break spaces): compared as plain spaces.
      await expect.poll(async () => ((await emilieThread.getByRole('alert').textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ')).toBe(
        'Le commentaire dépasse 10 000 caractères (10 001).',
      );
      expect((await emilieThread.getByLabel('Répondre').inputValue()).length).toBe(10_001);
      await emilieThread.getByLabel('Répondre').fill('Oui, en annexe.');
      await emilieThread.getByRole('button', { name: 'Répondre' }).click();
      await expect.poll(() => emilieThread.getByRole('alert').count()).toBe(0);
      await expect.poll(() => panelOf(emilieTab).getByRole('status').first().textContent()).toBe('Réponse publiée.');
      // … and Hugo sees the reply within a few seconds.
      await expect.poll(() => hugoThread.textContent(), { timeout: 10_000 }).toContain('Oui, en annexe.');

      // A reaction, then the thread resolved: it moves to the « Résolus » tab for everyone.
      const reply = emilieThread.locator('.cm-comment').filter({ hasText: 'Oui, en annexe.' });
      await reply.getByRole('button', { name: 'Réagir', exact: true }).click();
      await reply.getByRole('button', { name: 'Réagir avec 👍' }).click();
      await expect.poll(() => reply.getByRole('button', { name: /^👍 : 1 réaction, dont la vôtre$/ }).count()).toBe(1);
      await shot(emilieTab, 'emilie-replied');
      await emilieThread.getByRole('button', { name: 'Résoudre' }).click();
      await expect.poll(() => panelOf(emilieTab).getByRole('button', { name: 'Résolus (1)' }).getAttribute('aria-pressed')).toBe('true');
      // The active thread is followed to « Résolus », and the keyboard with it, on « Rouvrir ».
      await expect.poll(() => emilieTab.evaluate(() => document.activeElement?.textContent)).toBe('Rouvrir');
      await expect.poll(() => panelOf(hugoTab).getByRole('button', { name: 'Résolus (1)' }).count(), { timeout: 10_000 }).toBe(1);

      // Olivier reads (in English): the comments, not a composer.
      const olivierTab = await openDocument(olivierContext, suite.app.baseUrl, true);
      const olivierPanel = panelOf(olivierTab, 'Comments');
      await olivierPanel.getByText('You can read this document’s comments, not write them.').waitFor();
      expect(await olivierPanel.getByRole('button', { name: 'Comment', exact: true }).count()).toBe(0);
      await olivierPanel.getByRole('button', { name: 'Resolved (1)' }).click();
      const olivierThread = threadOf(olivierTab, PASSAGE, (q) => `Thread on “${q}”`, 'Comments');
      expect(await olivierThread.textContent()).toContain('Oui, en annexe.');
      expect(await olivierThread.getByRole('button', { name: /Reply|Reopen|Edit|Delete|React/ }).count()).toBe(0);
      await shot(olivierTab, 'olivier-reads');
      expect(describeViolations(await runAxe(olivierTab))).toEqual([]);
    } finally {
      await hugoContext.close();
      await emilieContext.close();
      await olivierContext.close();
    }
  }, 240_000);

  it('a commenter’s Ctrl+Alt+M opens the form on what they selected, though their read-only text never has the focus', async () => {
    const context = await suite.signedInContext(hugo);
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      await select(tab, PASSAGE);
      // The selection is in the editor; the focus is not (a read-only editor is not focused).
      expect(await tab.evaluate(() => document.activeElement === document.body)).toBe(true);
      await tab.keyboard.press('Control+Alt+KeyM');
      const composer = panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' });
      await composer.waitFor();
      expect(await composer.textContent()).toContain(`« ${PASSAGE} »`);
      await tab.keyboard.press('Escape');
      await expect.poll(() => composer.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('works from the keyboard: Ctrl+Alt+M on a selection, Escape cancels, the own comment is edited and deleted', async () => {
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      await editorOf(tab).focus();
      await select(tab, 'Premiers pas');
      await tab.keyboard.press('Control+Alt+KeyM');
      const composer = panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' });
      await composer.waitFor();
      await tab.keyboard.press('Escape');
      await composer.waitFor({ state: 'detached' });

      await select(tab, 'Premiers pas');
      await tab.keyboard.press('Control+Alt+KeyM');
      await tab.keyboard.type('Section à étoffer.');
      await tab.keyboard.press('Control+Enter');
      const thread = threadOf(tab, 'Premiers pas');
      await thread.waitFor();
      await thread.getByRole('button', { name: 'Modifier' }).click();
      const edit = thread.getByLabel('Modifier votre commentaire');
      await edit.fill('Section à étoffer avant lundi.');
      await thread.getByRole('button', { name: 'Enregistrer' }).click();
      await expect.poll(() => thread.locator('.cm-body').first().textContent()).toBe('Section à étoffer avant lundi.');
      expect(await thread.textContent()).toContain('modifié');

      await thread.getByRole('button', { name: 'Supprimer' }).click();
      const dialog = tab.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Supprimer' }).click();
      await expect.poll(() => threadOf(tab, 'Premiers pas').count()).toBe(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a list answer that comes back late does not take away a comment just posted', async () => {
    // The panel polls its list every 3 s; an answer asked before a comment was posted and received
    // after it put back the list without that comment (until the next poll), closing any form open
    // on it. Here the next poll's answer is held back while Émilie posts, then let go.
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let held: Promise<void> | null = null;
      await tab.route(/\/comments$/, async (route) => {
        if (route.request().method() !== 'GET' || held) return route.continue();
        held = (async () => {
          const before = await route.fetch(); // the list as it is now, before the comment
          await released;
          await route.fulfill({ response: before }).catch(() => undefined);
        })();
      });
      await expect.poll(() => held !== null, { timeout: 10_000 }).toBe(true);

      await editorOf(tab).focus();
      await select(tab, 'Premiers pas');
      await tab.keyboard.press('Control+Alt+KeyM');
      await panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' }).waitFor();
      await tab.keyboard.type('Posté pendant un rafraîchissement.');
      await tab.keyboard.press('Control+Enter');
      const thread = threadOf(tab, 'Premiers pas');
      await thread.waitFor();

      release();
      await held;
      // The old answer has been received; the page keeps the newer list.
      await tab.waitForTimeout(300);
      expect(await threadOf(tab, 'Premiers pas').count()).toBe(1);
      await thread.getByRole('button', { name: 'Supprimer' }).click();
      await tab.getByRole('dialog').getByRole('button', { name: 'Supprimer' }).click();
      await expect.poll(() => threadOf(tab, 'Premiers pas').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('a mention picks among those who match what is typed, even before the answer for it comes', async () => {
    // Typing « @ », pausing, then « Émi » and Enter before the answer for « Émi » came: Enter
    // picked the first person of the answer for « @ » (Olivier Gagnon), not Émilie Tremblay. A
    // loaded machine makes such pauses while the first test types its mention.
    const context = await suite.signedInContext(hugo);
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      let answer = () => {};
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      // The answers for a word (not for « @ » alone) wait until the test lets them go.
      await tab.route(/\/mentionable\?q=.+/, async (route) => {
        await answered;
        await route.continue().catch(() => undefined); // the field may have given up on it (aborted)
      });
      await select(tab, PASSAGE);
      await panelOf(tab).getByRole('button', { name: 'Commenter' }).click();
      const composer = panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' });
      const field = composer.getByLabel('Votre commentaire');
      await field.pressSequentially('Qui relit ? @');
      await tab.getByRole('option', { name: /Olivier Gagnon/ }).waitFor();
      await field.pressSequentially('Émi');
      // No answer for « Émi » yet: of the people listed, only those it matches remain.
      await expect.poll(() => tab.getByRole('option').allTextContents()).toEqual(['Émilie Tremblay']);
      await field.press('Enter');
      await expect.poll(() => field.inputValue()).toBe('Qui relit ? @Émilie Tremblay ');
      answer();
      await composer.getByRole('button', { name: 'Annuler' }).click();
      await composer.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('resolving a thread that is not the active one gives the keyboard to the next thread, then to the tab', async () => {
    const context = await suite.signedInContext(emilie);
    const first = 'hébergées dans la cellule québécoise';
    const second = 'Nommez une version';
    try {
      let tab = await openDocument(context, suite.app.baseUrl);
      for (const [passage, body] of [
        [first, 'Préciser la cellule.'],
        [second, 'Avant chaque relecture.'],
      ] as const) {
        await editorOf(tab).focus();
        await select(tab, passage);
        await tab.keyboard.press('Control+Alt+KeyM');
        await panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' }).waitFor();
        await tab.keyboard.type(body);
        await tab.keyboard.press('Control+Enter');
        await threadOf(tab, passage).waitFor();
      }
      // A new page: no thread is active.
      await tab.close();
      tab = await openDocument(context, suite.app.baseUrl);
      await threadOf(tab, second).waitFor();
      await threadOf(tab, first).getByRole('button', { name: 'Résoudre' }).focus();
      await tab.keyboard.press('Enter');
      await expect.poll(() => threadOf(tab, first).count()).toBe(0);
      await expect.poll(() => tab.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Fil sur « ${second} »`);
      // Tab goes on from there, into that thread.
      await tab.keyboard.press('Tab');
      expect(await tab.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-label'))).toBe(`Fil sur « ${second} »`);

      await threadOf(tab, second).getByRole('button', { name: 'Résoudre' }).focus();
      await tab.keyboard.press('Enter');
      await expect.poll(() => threadOf(tab, second).count()).toBe(0);
      await expect.poll(() => tab.evaluate(() => document.activeElement?.textContent)).toMatch(/^Ouverts \(\d+\)$/);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
