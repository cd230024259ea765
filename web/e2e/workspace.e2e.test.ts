import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { jsonToYDoc } from '../../server/src/workspace/content/ydoc-json.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): Camille (FR) owns « Coopération
// France–Québec » (QC cell), Émilie (QC) edits it, Olivier (QC) reads it.
const camille = agent('Camille');
const emilie = agent('Émilie');
const olivier = agent('Olivier');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const documentUrl = (spaceId: string, documentId: string) => `/espaces/${spaceId}/documents/${documentId}`;

const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();
/** The document's text as both agents should have it: without the other agents' caret labels. */
const textOf = (tab: Page) =>
  editorOf(tab).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent;
  });
const connection = (tab: Page) => tab.getByTestId('connection');

async function openDocument(context: BrowserContext, baseUrl: string, documentId = WELCOME): Promise<Page> {
  const tab = await openPage(context, baseUrl, documentUrl(COOPERATION, documentId));
  await editorOf(tab).waitFor();
  await expect.poll(() => connection(tab).textContent(), { timeout: 15_000 }).toContain('Connecté');
  return tab;
}

/** Types at the very end of the document, in a new paragraph. */
async function typeAtEnd(tab: Page, text: string): Promise<void> {
  await editorOf(tab).click();
  await tab.keyboard.press('Control+End');
  await tab.keyboard.press('Enter');
  await tab.keyboard.type(text, { delay: 10 });
}

describeInBrowser('Spaces and live documents', () => {
  const suite = browserSuite();

  it('« Mes espaces » lists the agent’s spaces and creates one, with field errors said in words', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      await tab.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes espaces' }).click();
      await tab.waitForURL('**/espaces');
      const card = tab.getByRole('listitem').filter({ has: tab.getByRole('link', { name: 'Coopération France–Québec' }) });
      await card.waitFor();
      expect(await card.textContent()).toContain('Québec');
      expect(await card.textContent()).toContain('Propriétaire');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // An empty name is refused by the server; the field says why and takes the focus.
      await tab.getByRole('button', { name: 'Créer l’espace' }).click();
      await tab.locator('.ws-field-error').first().waitFor();
      // Said as what is needed, not as a size (« Valeur trop courte… » before).
      expect(await tab.locator('.ws-field-error').first().textContent()).toBe('Ce champ est obligatoire.');
      // The summary points to the messages under the fields (it spoke of a « liste des erreurs » the form does not show).
      expect(await tab.getByRole('alert').filter({ hasText: 'Données invalides' }).textContent()).toBe(
        'Données invalides. Certaines valeurs ne sont pas acceptées : voyez les messages sous les champs signalés.',
      );
      expect(await tab.evaluate(() => document.activeElement?.id)).toBe(await tab.getByLabel('Nom de l’espace').getAttribute('id'));
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      await tab.getByLabel('Nom de l’espace').fill('Groupe de travail IA');
      await tab.getByLabel('Québec').check();
      await tab.getByRole('button', { name: 'Créer l’espace' }).click();
      await tab.getByRole('link', { name: 'Groupe de travail IA' }).waitFor();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toContain('Groupe de travail IA');
      await tab.screenshot({ path: '/tmp/ws-spaces.png', fullPage: true });

      // An address whose id is not one is a space that does not exist (it said « Données invalides »).
      const bad = await openPage(context, suite.app.baseUrl, '/espaces/pas-un-uuid');
      await bad.getByText('Cet espace n’existe pas ou vous n’en êtes pas membre.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('the tree creates, renames, moves by keyboard, trashes, restores and deletes for good', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}`);
      const tree = tab.getByRole('navigation', { name: 'Documents de l’espace' });
      await tree.getByRole('link', { name: 'Bienvenue' }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // A blank title is said, not ignored.
      await tree.getByLabel('Titre du nouveau document').fill('   ');
      await tree.getByRole('button', { name: 'Créer', exact: true }).click();
      await expect.poll(() => tree.locator('.ws-field-error').textContent()).toBe('Ce champ est obligatoire.');
      expect(await tree.getByLabel('Titre du nouveau document').evaluate((field) => field === document.activeElement)).toBe(true);
      await tree.getByLabel('Titre du nouveau document').fill('Compte rendu');
      await tree.getByRole('button', { name: 'Créer', exact: true }).click();
      await tree.getByRole('link', { name: 'Compte rendu' }).waitFor();

      // Keyboard move: « Placer sous le précédent » nests it under the document above, announced.
      await tree.getByRole('button', { name: 'Actions pour « Compte rendu »' }).click();
      await tree.getByRole('button', { name: 'Renommer' }).click();
      const renameField = tree.getByLabel('Nouveau titre de « Compte rendu »');
      // A blank title is said under the field; Escape abandons, and the next rename starts from the title.
      await renameField.fill(' ');
      await tab.keyboard.press('Enter');
      await expect.poll(() => tree.locator('.ws-field-error').textContent()).toBe('Ce champ est obligatoire.');
      expect(await renameField.evaluate((field) => field === document.activeElement)).toBe(true);
      await tab.keyboard.press('Escape');
      await expect.poll(() => renameField.count()).toBe(0);
      await tab.keyboard.press('Enter');
      await tree.getByRole('button', { name: 'Renommer' }).click();
      expect(await renameField.inputValue()).toBe('Compte rendu');
      await renameField.fill('Compte rendu du 31 mars');
      await tab.keyboard.press('Enter');
      await tree.getByRole('link', { name: 'Compte rendu du 31 mars' }).waitFor();
      // Renamed: the keyboard is back on the row's « ⋯ » (it was on <body>), its actions closed (they
      // used to stay open under the rename field); Escape from the actions closes them and stays there.
      const actionsOf = tree.getByRole('button', { name: 'Actions pour « Compte rendu du 31 mars »' });
      await expect.poll(() => actionsOf.evaluate((button) => button === document.activeElement)).toBe(true);
      expect(await actionsOf.getAttribute('aria-expanded')).toBe('false');
      await tab.keyboard.press('Enter');
      await expect.poll(() => actionsOf.getAttribute('aria-expanded')).toBe('true');
      await tab.keyboard.press('Tab');
      await tab.keyboard.press('Escape');
      await expect.poll(() => actionsOf.getAttribute('aria-expanded')).toBe('false');
      expect(await actionsOf.evaluate((button) => button === document.activeElement)).toBe(true);
      await tab.keyboard.press('Enter');
      await tree.getByRole('button', { name: 'Placer sous le précédent' }).click();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toMatch(/« Compte rendu du 31 mars » déplacé sous « .+ »/);
      const moved = tab.locator('.ws-tree-group [data-document-id]').filter({ hasText: 'Compte rendu du 31 mars' });
      await moved.waitFor();
      // The keyboard stays on the moved document's actions.
      expect(await tab.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Actions pour « Compte rendu du 31 mars »');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // Trashed: the keyboard goes to the document it hung from (it was left on <body>).
      const parentTitle = (await moved.evaluate((item) => item.parentElement?.closest('[data-document-id]')?.querySelector('.ws-tree-link')?.textContent)) ?? '';
      expect(parentTitle).not.toBe('');
      await tree.getByRole('button', { name: 'Mettre à la corbeille' }).click();
      await expect.poll(() => tree.getByRole('link', { name: 'Compte rendu du 31 mars' }).count()).toBe(0);
      await expect.poll(() => tab.evaluate(() => (document.activeElement?.matches('.ws-tree-link') ? document.activeElement.textContent : null))).toBe(parentTitle);
      await tab.getByRole('button', { name: 'Afficher la corbeille' }).click();
      await tab.getByRole('button', { name: 'Restaurer « Compte rendu du 31 mars »' }).click();
      await tree.getByRole('link', { name: 'Compte rendu du 31 mars' }).waitFor();

      // Delete for good: from the trash only, after confirming.
      await tab.getByRole('button', { name: 'Actions pour « Compte rendu du 31 mars »' }).click();
      await tree.getByRole('button', { name: 'Mettre à la corbeille' }).click();
      await tab.getByRole('button', { name: 'Supprimer définitivement « Compte rendu du 31 mars »' }).click();
      const dialog = tab.getByRole('dialog', { name: 'Supprimer définitivement « Compte rendu du 31 mars » ?' });
      await dialog.waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
      await tab.getByText('La corbeille est vide.').waitFor();

      // Members: the owner changes a role and invites someone who never signed in.
      await tab.getByLabel('Rôle de Hugo Bernard').selectOption({ label: 'Lecture' });
      await tab.getByRole('button', { name: 'Enregistrer le rôle de Hugo Bernard' }).click();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toBe('Hugo Bernard a maintenant le rôle Lecture.');
      // An address no federation serves could never accept: refused, said under the field.
      await tab.getByLabel('Adresse e-mail professionnelle').fill('victime@example.org');
      await tab.getByRole('button', { name: 'Inviter', exact: true }).click();
      await expect.poll(() => tab.locator('.ws-invite .ws-field-error').textContent()).toMatch(/^Aucune fédération d’identité d’Entente ne sert cette adresse/);
      expect(await tab.getByLabel('Adresse e-mail professionnelle').getAttribute('aria-invalid')).toBe('true');
      await tab.getByLabel('Adresse e-mail professionnelle').fill('nouvelle.agente@numerique.demo-gouv-fr.test');
      await tab.getByRole('button', { name: 'Inviter', exact: true }).click();
      await tab.getByRole('button', { name: 'Annuler l’invitation de nouvelle.agente@numerique.demo-gouv-fr.test' }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/tmp/ws-space.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('a French and a Québec agent co-edit live, see each other’s cursor, and an offline edit merges on reconnect', async () => {
    const paris = await suite.signedInContext(camille, { language: 'fr-FR' });
    const quebec = await suite.signedInContext(emilie, { locale: 'fr-CA', language: 'fr-CA' });
    try {
      const [a, b] = await Promise.all([openDocument(paris, suite.app.baseUrl), openDocument(quebec, suite.app.baseUrl)]);
      await typeAtEnd(a, 'Bonjour de Paris');
      await expect.poll(() => editorOf(b).textContent(), { timeout: 10_000 }).toContain('Bonjour de Paris');
      await typeAtEnd(b, 'Bonjour de Québec');
      await expect.poll(() => editorOf(a).textContent(), { timeout: 10_000 }).toContain('Bonjour de Québec');

      // Named carets and presence avatars.
      await expect.poll(() => a.locator('.collaboration-carets__label').allTextContents(), { timeout: 10_000 }).toContain('Émilie Tremblay');
      await expect.poll(() => b.locator('.collaboration-carets__label').allTextContents(), { timeout: 10_000 }).toContain('Camille Martin');
      expect(await a.getByRole('list', { name: 'Personnes sur ce document' }).textContent()).toContain('Émilie Tremblay');
      expect(describeViolations(await runAxe(a))).toEqual([]);
      await a.screenshot({ path: '/tmp/ws-coedit.png', fullPage: true });

      // Offline: the page says so, editing goes on, and nothing reaches the other agent…
      await quebec.setOffline(true);
      await expect.poll(() => connection(b).textContent()).toContain('Hors ligne — vos modifications sont enregistrées sur cet appareil');
      await typeAtEnd(b, 'Écrit hors ligne');
      await b.screenshot({ path: '/tmp/ws-offline.png', fullPage: true });
      await a.waitForTimeout(1500);
      expect(await editorOf(a).textContent()).not.toContain('Écrit hors ligne');
      // …meanwhile the other agent keeps writing.
      await typeAtEnd(a, 'Pendant la coupure');
      // Leaving now would lose the unconfirmed edit: the page asks first.
      expect(await b.evaluate(() => window.dispatchEvent(new Event('beforeunload', { cancelable: true })))).toBe(false);

      // …until the network is back: both texts merge, in both editors.
      await quebec.setOffline(false);
      await expect.poll(() => connection(b).textContent(), { timeout: 20_000 }).toContain('Connecté');
      await expect.poll(() => editorOf(a).textContent(), { timeout: 10_000 }).toContain('Écrit hors ligne');
      await expect.poll(() => editorOf(b).textContent(), { timeout: 10_000 }).toContain('Pendant la coupure');
      await expect.poll(async () => (await textOf(a)) === (await textOf(b))).toBe(true);
    } finally {
      await paris.close();
      await quebec.close();
    }
  });

  it('a silent network drop: what was typed into the dead socket and as the new one opened is kept, and the editor goes on', async () => {
    const SKILLS = '019ac9f0-0000-7000-8000-0000000d0006';
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    const reader = await suite.signedInContext(camille, { language: 'fr-FR' });
    // The page's /collab sockets go through here: the network can lose what the page sends (the
    // page does not know yet), break the socket, and hold back a new socket's first messages.
    let mode: 'up' | 'silent' | 'holding' = 'up';
    const sockets: { page: WebSocketRoute; server: WebSocketRoute; held: (string | Buffer)[] }[] = [];
    await context.routeWebSocket(/\/collab(\?|$)/, (page) => {
      const socket = { page, server: page.connectToServer(), held: [] as (string | Buffer)[] };
      sockets.push(socket);
      page.onMessage((message) => {
        if (mode === 'silent') return;
        if (mode === 'holding') socket.held.push(message);
        else socket.server.send(message);
      });
    });
    try {
      const tab = await openDocument(context, suite.app.baseUrl, SKILLS);
      await typeAtEnd(tab, 'Avant la coupure');
      const other = await openDocument(reader, suite.app.baseUrl, SKILLS);
      await expect.poll(() => editorOf(other).textContent(), { timeout: 10_000 }).toContain('Avant la coupure');

      // The network goes: this paragraph is lost on the way, the page still thinks it is connected.
      mode = 'silent';
      await typeAtEnd(tab, 'Perdu en route');
      await tab.waitForTimeout(300);
      // The socket breaks; the next one's first messages (ticket, resync) are held on the way…
      mode = 'holding';
      const before = sockets.length;
      for (const socket of sockets) await socket.page.close({ code: 1006 }).catch(() => {});
      await expect.poll(() => sockets.length, { timeout: 20_000 }).toBeGreaterThan(before);
      // …while the agent starts a new paragraph: it hangs from the lost one.
      await typeAtEnd(tab, 'Tapé au retour');
      mode = 'up';
      const latest = sockets[sockets.length - 1] as (typeof sockets)[number];
      for (const message of latest.held.splice(0)) latest.server.send(message);

      // The editor never stops: connected again, still editable, and everything reaches the others.
      await expect.poll(() => connection(tab).textContent(), { timeout: 20_000 }).toContain('Connecté');
      expect(await editorOf(tab).getAttribute('contenteditable')).toBe('true');
      await typeAtEnd(tab, 'Et la suite');
      for (const text of ['Perdu en route', 'Tapé au retour', 'Et la suite']) {
        await expect.poll(() => editorOf(other).textContent(), { timeout: 15_000 }).toContain(text);
      }
      await expect.poll(async () => (await textOf(tab)) === (await textOf(other))).toBe(true);
      expect(await connection(tab).textContent()).not.toContain('imbriqu');
      await tab.screenshot({ path: '/tmp/ws-network-drop.png', fullPage: true });
    } finally {
      await context.close();
      await reader.close();
    }
  });

  it('a document trashed while an agent types: said as such, and what they typed meanwhile is sent once it is restored', async () => {
    const owner = await suite.app.signIn(camille);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(new URL(path, suite.app.baseUrl), {
        method,
        headers: { ...owner.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const created = await call('POST', `/api/spaces/${COOPERATION}/documents`, { title: 'À mettre à la corbeille' });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    try {
      const tab = await openDocument(context, suite.app.baseUrl, id);
      await typeAtEnd(tab, 'Avant la corbeille.');
      await expect.poll(() => connection(tab).textContent(), { timeout: 15_000 }).toContain('Connecté');
      expect((await call('POST', `/api/documents/${id}/trash`)).status).toBe(200);
      // Not « Accès refusé » (it said so): the page says where the document went, and keeps typing.
      await expect.poll(() => connection(tab).textContent(), { timeout: 20_000 }).toContain('Ce document a été mis à la corbeille');
      expect(await connection(tab).getAttribute('role')).toBe('alert');
      await typeAtEnd(tab, 'Pendant la corbeille.');
      expect((await call('POST', `/api/documents/${id}/restore`)).status).toBe(200);
      // The page asks again by itself; restored, it sends what was typed meanwhile.
      await expect.poll(() => connection(tab).textContent(), { timeout: 45_000 }).toContain('Connecté');
      const reader = await suite.signedInContext(camille, { language: 'fr-FR' });
      try {
        const other = await openDocument(reader, suite.app.baseUrl, id);
        await expect.poll(() => textOf(other), { timeout: 15_000 }).toContain('Pendant la corbeille.');
        expect(await textOf(other)).toContain('Avant la corbeille.');
      } finally {
        await reader.close();
      }
    } finally {
      await context.close();
    }
  });

  it('a ticket request that fails once (503) is asked again, not taken for « Accès refusé »', async () => {
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    let asked = 0;
    await context.route('**/api/collab/tickets', async (route) => {
      asked += 1;
      if (asked > 1) return route.continue();
      return route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'urn:entente:problem:unavailable', title: 'Service indisponible', status: 503, detail: 'Réessayez.' }),
      });
    });
    try {
      // openDocument waits for « Connecté »: the page stopped on « Accès refusé » before.
      await openDocument(context, suite.app.baseUrl);
      expect(asked).toBeGreaterThan(1);
    } finally {
      await context.close();
    }
  });

  it('a reader sees the live text in a read-only editor', async () => {
    const context = await suite.signedInContext(olivier, { language: 'fr-FR' });
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      expect(await editorOf(tab).getAttribute('contenteditable')).toBe('false');
      await tab.getByText('Lecture seule', { exact: false }).first().waitFor();
      expect(await tab.getByRole('toolbar').count()).toBe(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/tmp/ws-reader.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('the editor’s own rules load from a file: nothing refused by the CSP, white-space kept', async () => {
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    const errors: string[] = [];
    context.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      // Tiptap injected a <style> the CSP (style-src 'self') refused: ProseMirror then ran with
      // `white-space: normal`, and doubled spaces or trailing ones were not shown as typed.
      expect(await editorOf(tab).evaluate((element) => getComputedStyle(element).whiteSpace)).toMatch(/^(break-spaces|pre-wrap)$/);
      expect(errors.filter((text) => /Content Security Policy|ProseMirror expects/.test(text))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an address typed becomes a link, and going from document to document warns of nothing (linkify)', async () => {
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    const warnings: string[] = [];
    context.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
    });
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      const tree = tab.getByRole('navigation', { name: 'Documents de l’espace' });
      // Tiptap's link mark registered http, https and mailto again with each editor: linkify knows
      // them already and warned « already initialized » at every document opened after the first.
      // Typed in a document of its own (others' tests compare versions of « Bienvenue »).
      for (const title of ['Environnements de travail et outils collaboratifs', 'Identité numérique et interopérabilité']) {
        await tree.getByRole('link', { name: title, exact: false }).first().click();
        await expect.poll(() => tab.getByTestId('connection').textContent(), { timeout: 15_000 }).toMatch(/Connecté/);
      }
      await typeAtEnd(tab, 'Voir https://numerique.gouv.fr/agents ou mailto:contact@numerique.gouv.fr ');
      await expect.poll(() => editorOf(tab).locator('a[href="https://numerique.gouv.fr/agents"]').count()).toBe(1);
      await expect.poll(() => editorOf(tab).locator('a[href="mailto:contact@numerique.gouv.fr"]').count()).toBe(1);
      expect(warnings.filter((text) => /linkify/i.test(text))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a named version is restored, as a live change the other agent receives', async () => {
    const paris = await suite.signedInContext(camille);
    const quebec = await suite.signedInContext(emilie);
    try {
      const [a, b] = await Promise.all([openDocument(paris, suite.app.baseUrl), openDocument(quebec, suite.app.baseUrl)]);
      // An empty name: said under the field (not the browser's bubble), the keyboard put back there.
      await a.getByRole('button', { name: 'Nommer cette version' }).click();
      await expect.poll(() => a.locator('.ws-history .ws-field-error').textContent()).toBe('Ce champ est obligatoire.');
      await expect.poll(() => a.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent)).toBe('Nom de la version');
      await a.getByLabel('Nom de la version').fill('Avant l’essai');
      await a.getByRole('button', { name: 'Nommer cette version' }).click();
      await expect.poll(() => a.locator('.ws-history .ws-field-error').count()).toBe(0);
      await a.getByRole('button', { name: 'Restaurer « Avant l’essai »' }).waitFor();

      await typeAtEnd(a, 'Texte à annuler');
      await expect.poll(() => editorOf(b).textContent(), { timeout: 10_000 }).toContain('Texte à annuler');

      await a.getByRole('button', { name: 'Comparer « Avant l’essai » avec maintenant' }).click();
      await expect.poll(() => a.locator('.ws-diff ins').allTextContents()).toContainEqual(expect.stringMatching(/^\+ Ajouté :\s+Texte à annuler$/));
      await a.getByRole('button', { name: 'Restaurer « Avant l’essai »' }).click();
      const dialog = a.getByRole('dialog', { name: 'Restaurer « Avant l’essai » ?' });
      await dialog.waitFor();
      expect(describeViolations(await runAxe(a))).toEqual([]);
      await dialog.getByRole('button', { name: 'Restaurer', exact: true }).click();
      await expect.poll(() => editorOf(b).textContent(), { timeout: 10_000 }).not.toContain('Texte à annuler');
      await expect.poll(() => editorOf(a).textContent(), { timeout: 10_000 }).not.toContain('Texte à annuler');
      // The state before the restore is kept in the history.
      await a.getByRole('button', { name: 'Actualiser l’historique' }).click();
      await expect.poll(() => a.locator('.ws-versions').textContent()).toContain('Avant restauration');
      await a.screenshot({ path: '/tmp/ws-history.png', fullPage: true });
    } finally {
      await paris.close();
      await quebec.close();
    }
  });

  it('content replaced wholesale while an agent was offline: their copy becomes a draft, never merged', async () => {
    const INFRASTRUCTURE = '019ac9f0-0000-7000-8000-0000000d0005';
    const ref = { documentId: INFRASTRUCTURE, spaceId: COOPERATION, jurisdiction: 'QC' as const };
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    try {
      const tab = await openDocument(context, suite.app.baseUrl, INFRASTRUCTURE);
      await context.setOffline(true);
      await expect.poll(() => connection(tab).textContent()).toContain('Hors ligne');
      await typeAtEnd(tab, 'Brouillon hors ligne');

      // Meanwhile the document is replaced wholesale on the server (an import: a new epoch).
      const imported = jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Contenu importé' }] }] });
      await suite.app.entente.collab.store.replace(ref, Y.encodeStateAsUpdate(imported));

      await context.setOffline(false);
      await tab.getByRole('heading', { name: 'Brouillons conservés sur cet appareil' }).waitFor({ timeout: 20_000 });
      await expect.poll(() => editorOf(tab).textContent(), { timeout: 15_000 }).toContain('Contenu importé');
      await expect.poll(() => connection(tab).textContent(), { timeout: 15_000 }).toContain('Connecté');
      expect(await editorOf(tab).textContent()).not.toContain('Brouillon hors ligne');

      // The draft opens read-only and still holds the offline edit.
      await tab.getByRole('button', { name: 'Ouvrir le brouillon' }).click();
      await expect.poll(() => tab.locator('.ws-draft-view .ws-prose').textContent()).toContain('Brouillon hors ligne');
      expect(await tab.locator('.ws-draft-view .ws-prose').getAttribute('contenteditable')).toBe('false');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/tmp/ws-draft.png', fullPage: true });
      // The server never received the old copy's edit.
      expect((await suite.app.entente.collab.store.derived(ref)).text).not.toContain('Brouillon hors ligne');
    } finally {
      await context.close();
    }
  });
});
