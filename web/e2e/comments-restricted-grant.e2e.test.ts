import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): in « Coopération France–Québec » Camille
// owns, Émilie edits, Hugo comments and Olivier reads.
const camille = agent('Camille');
const emilie = agent('Émilie');
const hugo = agent('Hugo');
const olivier = agent('Olivier');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const PASSAGE = 'signée à Paris le 31 mars 2026';

const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();
const panelOf = (tab: Page) => tab.getByRole('region', { name: 'Commentaires' });

/**
 * The owner mentions, in a restricted document, a member who cannot read it; the panel offers to
 * give them access, and doing so adds that one entry on the server (`POST …/access/entries`) —
 * an entry another owner added meanwhile stays (the list is no longer read and written back).
 */
describeInBrowser('Sharing a restricted document with a mentioned member', () => {
  const suite = browserSuite();

  it('the owner mentions Hugo, who cannot read the page, and gives him access from the panel', async () => {
    const session = await suite.app.signIn(camille);
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${suite.app.baseUrl}${path}`, { method, headers: { ...session.headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    expect((await api('PUT', `/api/documents/${WELCOME}/access`, { restricted: true, entries: [{ principalId: emilie.id, role: 'editor' }] })).status).toBe(200);

    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}/documents/${WELCOME}`);
      await editorOf(tab).waitFor();
      await expect.poll(() => tab.getByTestId('connection').textContent(), { timeout: 15_000 }).toMatch(/Connecté/);
      await panelOf(tab).getByRole('button', { name: /^Ouverts/ }).waitFor();
      await editorOf(tab).focus();
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
      }, PASSAGE);
      await panelOf(tab).getByRole('button', { name: 'Commenter' }).click();
      const composer = panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' });
      const field = composer.getByLabel('Votre commentaire');
      await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
      await field.pressSequentially('À relire, @Hug', { delay: 10 });
      await tab.getByRole('option', { name: /Hugo Bernard/ }).waitFor();
      await field.press('Enter');
      await expect.poll(() => field.inputValue(), { timeout: 5_000 }).toBe('À relire, @Hugo Bernard ');
      await composer.getByRole('button', { name: 'Publier' }).click();

      const grant = panelOf(tab).getByRole('button', { name: 'Donner accès à Hugo Bernard (commentaire)' });
      await grant.waitFor();
      expect(await panelOf(tab).textContent()).toContain('Hugo Bernard n’a pas accès à ce document');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // Meanwhile Olivier is added to the list (another owner, another tab): he must stay listed.
      expect((await api('POST', `/api/documents/${WELCOME}/access/entries`, { principalId: olivier.id, role: 'reader' })).status).toBe(201);

      const request = tab.waitForRequest((r) => r.url().endsWith(`/api/documents/${WELCOME}/access/entries`) && r.method() === 'POST');
      await grant.focus();
      await tab.keyboard.press('Enter');
      expect((await request).postDataJSON()).toEqual({ principalId: hugo.id, role: 'commenter' });
      await panelOf(tab).getByText('Hugo Bernard peut désormais lire et commenter ce document.').first().waitFor();

      const list = (await (await api('GET', `/api/documents/${WELCOME}/access`)).json()) as { restricted: boolean; entries: { principalId: string; role: string }[] };
      expect(list.restricted).toBe(true);
      expect(new Map(list.entries.map((e) => [e.principalId, e.role]))).toEqual(
        new Map([
          [emilie.id, 'editor'],
          [olivier.id, 'reader'],
          [hugo.id, 'commenter'],
        ]),
      );
    } finally {
      await context.close();
    }
  }, 240_000);
});
