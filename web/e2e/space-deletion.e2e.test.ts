import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { setEmailVerified } from '../../server/src/identity/profiles.repo.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
const camille = agent('Camille');
const emilie = agent('Émilie');

describeInBrowser('Deleting a space', () => {
  const suite = browserSuite();

  /** A space of Camille's with Émilie as editor, made through the API as the page would. */
  async function space(name: string): Promise<string> {
    const { headers } = await suite.app.signIn(camille);
    await setEmailVerified(suite.app.entente.stores.cells[emilie.jurisdiction].db, emilie.id, emilie.email, true);
    const send = async (path: string, body: unknown) => {
      const response = await fetch(`${suite.app.baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string };
    };
    const created = await send('/api/spaces', { name, jurisdiction: 'QC', minAssurance: 'low', classification: 'internal' });
    await send(`/api/spaces/${created.id}/invitations`, { email: emilie.email, role: 'editor' });
    await send(`/api/spaces/${created.id}/documents`, { title: 'Ordre du jour' });
    return created.id;
  }

  it('owners find the danger zone; the name must be typed back; then the space is gone for everyone', async () => {
    const name = 'Groupe « Nuage » 2027';
    const spaceId = await space(name);

    // An editor has no danger zone.
    const editor = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(editor, suite.app.baseUrl, `/espaces/${spaceId}`);
      await tab.getByRole('heading', { name: 'Membres' }).waitFor();
      expect(await tab.getByRole('heading', { name: 'Supprimer l’espace' }).count()).toBe(0);
    } finally {
      await editor.close();
    }

    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${spaceId}`);
      const zone = tab.getByRole('region', { name: 'Supprimer l’espace' });
      await zone.waitFor();
      expect(await zone.textContent()).toContain('même dans les sauvegardes');
      await zone.getByRole('button', { name: 'Supprimer l’espace…' }).click();
      const field = zone.getByLabel(`Pour confirmer, saisissez le nom de l’espace : « ${name} »`);
      // The field takes the focus when the form opens.
      await expect.poll(() => tab.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // A near miss (case differs) is refused and said next to the field; nothing is deleted.
      await field.fill(name.toUpperCase());
      await zone.getByRole('button', { name: 'Supprimer définitivement' }).click();
      const error = zone.getByRole('alert');
      await error.waitFor();
      expect(await error.textContent()).toBe('Le nom saisi ne correspond pas exactement au nom de l’espace.');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await zone.screenshot({ path: '/tmp/ws-space-deletion.png' });
      const stillThere = await fetch(`${suite.app.baseUrl}/api/spaces/${spaceId}`, { headers: { cookie: (await suite.app.signIn(camille)).cookie } });
      expect(stillThere.status).toBe(200);

      // Cancel closes the form; opening it again and typing the name deletes the space.
      await zone.getByRole('button', { name: 'Annuler' }).click();
      await zone.getByRole('button', { name: 'Supprimer l’espace…' }).click();
      await field.fill(` ${name} `);
      await zone.getByRole('button', { name: 'Supprimer définitivement' }).click();
      await tab.waitForURL('**/espaces');
      await tab.getByRole('link', { name: 'Coopération France–Québec' }).waitFor();
      expect(await tab.getByRole('link', { name }).count()).toBe(0);

      // Gone for everyone, and its keys with it.
      const gone = await openPage(context, suite.app.baseUrl, `/espaces/${spaceId}`);
      await gone.getByText('Cet espace n’existe pas ou vous n’en êtes pas membre.').waitFor();
      const keys = await suite.app.entente.stores.cells.QC.db.selectFrom('keyring').select('id').where('owner_id', '=', spaceId).execute();
      expect(keys).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
