import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { uuidv7 } from '../../server/src/platform/ids.ts';
import { type NotificationsDeps, notify } from '../../server/src/workspace/notifications/index.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content: « Coopération France–Québec » (QC cell), Camille owns it, Émilie (fr-CA) edits it.
const camille = agent('Camille');
const emilie = agent('Émilie');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const IDENTITY = '019ac9f0-0000-7000-8000-0000000d0003';
const AI = '019ac9f0-0000-7000-8000-0000000d0004';

const bell = (tab: Page) => tab.locator('a.notification-bell');

describeInBrowser('Notifications', () => {
  const suite = browserSuite();
  const deps = (): NotificationsDeps => ({
    stores: suite.app.entente.stores,
    mailer: suite.app.entente.mailer,
    logger: suite.app.entente.logger,
    publicUrl: () => suite.app.entente.config.publicUrl,
  });
  const tell = async (kind: 'mention' | 'reply' | 'comment' | 'share', documentId: string) =>
    (await notify(deps(), { kind, recipientId: emilie.id, actorId: camille.id, spaceId: COOPERATION, documentId, threadId: uuidv7(), commentId: uuidv7() })).notificationId;

  describe('the bell and the list', () => {
    it('shows no bell and asks nothing for a visitor who is not signed in', async () => {
      const context = await suite.newContext();
      try {
        const tab = await context.newPage();
        const asked: string[] = [];
        const errors: string[] = [];
        tab.on('request', (request) => {
          if (request.url().includes('/api/notifications')) asked.push(request.url());
        });
        tab.on('console', (message) => {
          if (message.type() === 'error' && !message.location().url.endsWith('/api/me')) errors.push(message.text());
        });
        await tab.goto(new URL('/', suite.app.baseUrl).href);
        await tab.locator('[data-session="signedOut"]').waitFor();
        await tab.waitForTimeout(500);
        expect(await bell(tab).count()).toBe(0);
        expect(asked).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('counts unread in the bell’s name, lists them with links, marks one and all read — keyboard and axe clean', async () => {
      const context = await suite.signedInContext(emilie);
      try {
        const home = await openPage(context, suite.app.baseUrl, '/');
        await expect.poll(() => bell(home).getAttribute('aria-label')).toBe('Notifications, aucune non lue');

        await tell('share', WELCOME);
        await tell('comment', IDENTITY);
        await tell('mention', AI);
        // The bell asks again when the window regains focus (and every 20 s).
        await home.evaluate(() => window.dispatchEvent(new Event('focus')));
        await expect.poll(() => bell(home).getAttribute('aria-label')).toBe('Notifications, 3 non lues');
        expect(await home.getByRole('link', { name: 'Notifications, 3 non lues' }).count()).toBe(1);

        // From the keyboard: the bell is a link.
        await bell(home).focus();
        await home.keyboard.press('Enter');
        await home.waitForURL('**/notifications');
        const tab = home;
        await tab.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
        const list = tab.getByRole('list', { name: 'Vos notifications, des plus récentes aux plus anciennes' });
        await list.waitFor();
        const items = list.getByRole('listitem');
        expect(await items.count()).toBe(3);
        expect(await items.nth(0).getByRole('link').textContent()).toBe('Camille Martin vous a mentionné dans « Intelligence artificielle responsable »');
        expect(await items.nth(2).getByRole('link').getAttribute('href')).toMatch(new RegExp(`^/espaces/${COOPERATION}/documents/${WELCOME}#commentaire-`));
        await tab.getByText('3 notifications non lues.').waitFor();
        expect(describeViolations(await runAxe(tab))).toEqual([]);

        // One read: its button goes, the bell follows at once.
        await tab.getByRole('button', { name: 'Marquer comme lu : Camille Martin a commenté « Identité numérique et interopérabilité »' }).click();
        await tab.getByText('2 notifications non lues.').waitFor();
        await expect.poll(() => bell(tab).getAttribute('aria-label')).toBe('Notifications, 2 non lues');
        expect(await items.nth(1).getByRole('button').count()).toBe(0);

        await tab.getByRole('button', { name: 'Tout marquer comme lu' }).click();
        await tab.getByText('Toutes les notifications sont marquées comme lues.').waitFor();
        await expect.poll(() => bell(tab).getAttribute('aria-label')).toBe('Notifications, aucune non lue');
        expect(await tab.getByRole('button', { name: 'Tout marquer comme lu' }).isDisabled()).toBe(true);

        // Following a notification opens the document at the thread.
        await items.nth(0).getByRole('link').click();
        await tab.waitForURL(new RegExp(`/espaces/${COOPERATION}/documents/${AI}#commentaire-`));
      } finally {
        await context.close();
      }
    });

    it('says « Document plus disponible », without title or link, once access is withdrawn', async () => {
      const created = await suite.app.entente.stores.cells.QC.db
        .insertInto('documents')
        .values({ id: uuidv7(), space_id: COOPERATION, parent_id: null, title: 'Note du comité restreint', position: 99, restricted: false, epoch: 1, created_by: camille.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tell('reply', created.id);
      await suite.app.entente.stores.cells.QC.db.updateTable('documents').set({ restricted: true }).where('id', '=', created.id).execute();
      const context = await suite.signedInContext(emilie);
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/notifications');
        const first = tab.getByRole('list', { name: 'Vos notifications, des plus récentes aux plus anciennes' }).getByRole('listitem').first();
        await first.getByText('Réponse — Document plus disponible').waitFor();
        expect(await first.getByRole('link').count()).toBe(0);
        expect(await tab.locator('main').textContent()).not.toContain('Note du comité restreint');
      } finally {
        await context.close();
      }
    });
  });

  describe('preferences', () => {
    it('a labelled table of checkboxes on the profile, saved and kept (fr-CA: courriel)', async () => {
      const context = await suite.signedInContext(emilie);
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/profil');
        const table = tab.getByRole('table', { name: 'Préférences de notification' });
        await table.waitFor();
        const mentionByMail = tab.getByRole('checkbox', { name: 'On vous mentionne dans un commentaire : par courriel' });
        const shareInApp = tab.getByRole('checkbox', { name: 'On partage un document avec vous : dans Entente' });
        expect(await mentionByMail.isChecked()).toBe(true);
        expect(await tab.getByRole('checkbox', { name: 'On partage un document avec vous : par courriel' }).isChecked()).toBe(false);
        expect(describeViolations(await runAxe(tab))).toEqual([]);

        // From the keyboard: Space toggles, the button saves.
        await mentionByMail.focus();
        await tab.keyboard.press('Space');
        await shareInApp.uncheck();
        await tab.getByRole('button', { name: 'Enregistrer les préférences' }).click();
        await tab.getByText('Préférences de notification enregistrées.').waitFor();

        await tab.reload();
        await tab.getByRole('table', { name: 'Préférences de notification' }).waitFor();
        expect(await tab.getByRole('checkbox', { name: 'On vous mentionne dans un commentaire : par courriel' }).isChecked()).toBe(false);
        expect(await tab.getByRole('checkbox', { name: 'On partage un document avec vous : dans Entente' }).isChecked()).toBe(false);
        // And the server acts on them: a share is no longer shown to Émilie.
        expect(await notify(deps(), { kind: 'share', recipientId: emilie.id, actorId: camille.id, spaceId: COOPERATION, documentId: WELCOME })).toMatchObject({ notificationId: null, skipped: 'preferences' });
      } finally {
        await context.close();
      }
    });
  });
});
