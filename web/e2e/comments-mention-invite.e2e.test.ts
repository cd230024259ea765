import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { setEmailVerified } from '../../server/src/identity/profiles.repo.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): in « Coopération France–Québec » Camille
// owns, Émilie edits, Hugo comments and Olivier reads.
const camille = agent('Camille');
const emilie = agent('Émilie');
const hugo = agent('Hugo');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const PASSAGE = 'signée à Paris le 31 mars 2026';
// An address in a demo organisation's domain that no agent holds yet.
const NEWCOMER = 'nadia.roy@mcn.demo-gouv-qc.test';
const SHOTS = process.env.ENTENTE_SHOTS_DIR;

async function shot(tab: Page, name: string): Promise<void> {
  if (SHOTS) await tab.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();
const panelOf = (tab: Page) => tab.getByRole('region', { name: 'Commentaires' });
const statusOf = (tab: Page) => panelOf(tab).getByRole('status').first();

async function openDocument(context: BrowserContext, baseUrl: string): Promise<Page> {
  const tab = await openPage(context, baseUrl, `/espaces/${COOPERATION}/documents/${WELCOME}`);
  await editorOf(tab).waitFor();
  await expect.poll(() => tab.getByTestId('connection').textContent(), { timeout: 15_000 }).toMatch(/Connecté/);
  await panelOf(tab).getByRole('button', { name: /^Ouverts/ }).waitFor();
  return tab;
}

/** Selects `words` in the editor as a mouse drag would, then opens a new comment on them. */
async function newComment(tab: Page, words: string) {
  // The editor is editable for owners and editors: it takes the selection once it has the focus.
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
  }, words);
  await panelOf(tab).getByRole('button', { name: 'Commenter' }).click();
  const composer = panelOf(tab).getByRole('form', { name: 'Nouveau commentaire' });
  const field = composer.getByLabel('Votre commentaire');
  await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
  return { composer, field };
}

describeInBrowser('Mentioning someone who is not a member of the space', () => {
  const suite = browserSuite();

  it('the owner types an address after @, invites as commenter; an agent with a profile is mentioned and notified, another address stays plain text, pending', async () => {
    // Hugo leaves the space first (Camille removes him): he has a profile his federation vouched for.
    const camilleSession = await suite.app.signIn(camille);
    const removed = await fetch(`${suite.app.baseUrl}/api/spaces/${COOPERATION}/members/${hugo.id}`, { method: 'DELETE', headers: camilleSession.headers });
    // 404 on a retry after an attempt that failed before Hugo was invited back.
    expect([204, 404]).toContain(removed.status);
    await setEmailVerified(suite.app.entente.stores.cells[hugo.jurisdiction].db, hugo.id, hugo.email, true);

    const context = await suite.signedInContext(camille);
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      const { composer, field } = await newComment(tab, PASSAGE);

      // An address nobody in the space matches: the list offers to invite it.
      await field.pressSequentially(`Voir avec @${NEWCOMER}`, { delay: 5 });
      const offer = tab.getByRole('option', { name: `Inviter ${NEWCOMER} dans l’espace` });
      await offer.waitFor();
      expect(await offer.getAttribute('aria-disabled')).toBeNull();
      expect(await offer.getAttribute('aria-selected')).toBe('true');
      expect(await field.getAttribute('aria-activedescendant')).toBe(await offer.getAttribute('id'));
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await shot(tab, 'mention-invite-offer');

      // Enter opens the dialog; Escape closes it without sending, the comment stays, focus comes back.
      await field.press('Enter');
      const dialog = tab.getByRole('dialog', { name: `Inviter ${NEWCOMER} dans l’espace` });
      await dialog.waitFor();
      const commenter = dialog.getByRole('radio', { name: 'Commentaire : lire et commenter' });
      expect(await commenter.isChecked()).toBe(true);
      await expect.poll(() => commenter.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await dialog.getByRole('radio', { name: 'Lecture : lire seulement' }).isChecked()).toBe(false);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await shot(tab, 'mention-invite-dialog');
      await tab.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await composer.isVisible()).toBe(true);
      expect(await field.inputValue()).toBe(`Voir avec @${NEWCOMER}`);

      // Again, from the keyboard: the offer, Enter, then « Inviter » with the default role.
      await field.press('Backspace');
      await field.press('t');
      await offer.waitFor();
      await field.press('Enter');
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Inviter' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => statusOf(tab).textContent()).toBe(
        `Invitation envoyée à ${NEWCOMER} (rôle : Commentaire) : cette personne aura accès à l’espace à sa première connexion. Son adresse reste en texte simple dans le commentaire, sans notification.`,
      );
      await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await field.inputValue()).toBe(`Voir avec ${NEWCOMER} `);

      // An address of an agent who has a profile: a member at once, mentioned like any member.
      await field.pressSequentially(`et @${hugo.email}`, { delay: 5 });
      await tab.getByRole('option', { name: `Inviter ${hugo.email} dans l’espace` }).waitFor();
      await field.press('Enter');
      const hugoDialog = tab.getByRole('dialog', { name: `Inviter ${hugo.email} dans l’espace` });
      await hugoDialog.getByRole('button', { name: 'Inviter' }).click();
      await hugoDialog.waitFor({ state: 'detached' });
      await expect.poll(() => statusOf(tab).textContent()).toBe('Hugo Bernard est désormais membre de l’espace (rôle : Commentaire) ; votre mention lui sera notifiée.');
      expect(await field.inputValue()).toBe(`Voir avec ${NEWCOMER} et @Hugo Bernard `);
      await field.pressSequentially('merci.', { delay: 5 });
      await composer.getByRole('button', { name: 'Publier' }).click();
      await expect.poll(() => statusOf(tab).textContent()).toBe('Commentaire publié.');

      // The newest thread on the passage (threads at one place keep their order of creation; a
      // retry finds the one an interrupted attempt left before it).
      const thread = panelOf(tab).getByRole('article', { name: `Fil sur « ${PASSAGE} »` }).last();
      await thread.waitFor();
      expect(await thread.locator('.cm-body').first().textContent()).toBe(`Voir avec ${NEWCOMER} et @Hugo Bernard merci.`);
      expect(await thread.locator('.cm-mention-chip').allTextContents()).toEqual(['@Hugo Bernard']);
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // Hugo is a commenter of the space again and was told of the mention; the other address waits.
      const hugoSession = await suite.app.signIn(hugo);
      const members = (await (await fetch(`${suite.app.baseUrl}/api/spaces/${COOPERATION}/members`, { headers: camilleSession.headers })).json()) as {
        members: { principalId: string; role: string }[];
        invitations: { email: string; role: string }[];
      };
      expect(members.members).toContainEqual(expect.objectContaining({ principalId: hugo.id, role: 'commenter' }));
      expect(members.invitations).toContainEqual(expect.objectContaining({ email: NEWCOMER, role: 'commenter' }));
      await expect
        .poll(async () => {
          const answer = (await (await fetch(`${suite.app.baseUrl}/api/notifications?limit=50`, { headers: hugoSession.headers })).json()) as {
            notifications: { kind: string; documentId: string }[];
          };
          return answer.notifications.some((n) => n.kind === 'mention' && n.documentId === WELCOME);
        })
        .toBe(true);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('someone who is not an owner sees the offer disabled, with the reason, and cannot pick it', async () => {
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      const { composer, field } = await newComment(tab, PASSAGE);
      await field.pressSequentially('@quelqu.un@mcn.demo-gouv-qc.test', { delay: 5 });
      const offer = tab.getByRole('option', { name: /^Inviter quelqu\.un@mcn\.demo-gouv-qc\.test dans l’espace/ });
      await offer.waitFor();
      expect(await offer.getAttribute('aria-disabled')).toBe('true');
      expect(await offer.textContent()).toBe(
        'Inviter quelqu.un@mcn.demo-gouv-qc.test dans l’espace — Seuls les propriétaires de l’espace peuvent inviter ; demandez à l’un d’eux.',
      );
      expect(await field.getAttribute('aria-activedescendant')).toBe(await offer.getAttribute('id'));
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // Enter does not pick it: no dialog, nothing changes in the text; Escape closes the list.
      await field.press('Enter');
      await field.press('ArrowDown');
      await field.press('Enter');
      expect(await tab.getByRole('dialog').count()).toBe(0);
      expect(await field.inputValue()).toBe('@quelqu.un@mcn.demo-gouv-qc.test');
      await field.press('Escape');
      await offer.waitFor({ state: 'detached' });
      expect(await composer.isVisible()).toBe(true);
      expect(await field.evaluate((e) => e === document.activeElement)).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
