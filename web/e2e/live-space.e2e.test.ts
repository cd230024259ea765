import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { setEmailVerified } from '../../server/src/identity/profiles.repo.ts';
import { describeInBrowser, openPage } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
const camille = agent('Camille');
const emilie = agent('Émilie');

describeInBrowser('A space page stays current with what others do', () => {
  const suite = browserSuite();

  it('a document Émilie creates, then trashes, appears and goes in Camille’s tree without a reload, her folder in Camille’s files; what Camille was typing stays', async () => {
    const { headers } = await suite.app.signIn(camille);
    await setEmailVerified(suite.app.entente.stores.cells[emilie.jurisdiction].db, emilie.id, emilie.email, true);
    const post = async (path: string, body: unknown, as = headers) => {
      const response = await fetch(`${suite.app.baseUrl}${path}`, { method: 'POST', headers: { ...as, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    const space = await post('/api/spaces', { name: 'Suivi en direct', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    await post(`/api/spaces/${space.id}/invitations`, { email: emilie.email, role: 'editor' });

    const camilles = await suite.signedInContext(camille);
    const emilies = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(camilles, suite.app.baseUrl, `/espaces/${space.id}`);
      const tree = tab.getByRole('navigation', { name: 'Documents de l’espace' });
      const field = tree.getByLabel('Titre du nouveau document');
      await field.waitFor();
      // Camille starts typing a title of her own.
      await field.fill('Mon brouillon');

      const other = await openPage(emilies, suite.app.baseUrl, `/espaces/${space.id}`);
      const otherTree = other.getByRole('navigation', { name: 'Documents de l’espace' });
      await otherTree.getByLabel('Titre du nouveau document').fill('Relevé de décisions');
      await otherTree.getByRole('button', { name: 'Créer', exact: true }).click();
      await otherTree.getByRole('link', { name: 'Relevé de décisions' }).waitFor();

      // In Camille's tab, without a reload.
      await tree.getByRole('link', { name: 'Relevé de décisions' }).waitFor({ timeout: 10_000 });
      expect(await field.inputValue()).toBe('Mon brouillon');

      // Trashed by Émilie: gone from Camille's tree.
      const created = (await (await fetch(`${suite.app.baseUrl}/api/spaces/${space.id}/documents`, { headers: { cookie: (await suite.app.signIn(emilie)).cookie } })).json()) as {
        documents: { id: string; title: string }[];
      };
      const id = created.documents.find((d) => d.title === 'Relevé de décisions')?.id as string;
      await post(`/api/documents/${id}/trash`, {}, (await suite.app.signIn(emilie)).headers);
      await tree.getByRole('link', { name: 'Relevé de décisions' }).waitFor({ state: 'detached', timeout: 10_000 });

      // A folder Émilie makes appears in Camille's files page, without a reload.
      await tab.goto(new URL(`/espaces/${space.id}/fichiers`, suite.app.baseUrl).href);
      await tab.locator('.ws-files-table, .ws-files-empty').first().waitFor();
      await post(`/api/spaces/${space.id}/folders`, { name: 'Pièces jointes', parentId: null }, (await suite.app.signIn(emilie)).headers);
      await tab.getByRole('rowheader', { name: /Pièces jointes/ }).waitFor({ timeout: 10_000 });

      // The space renamed by Camille: Émilie's heading follows.
      const renamed = await fetch(`${suite.app.baseUrl}/api/spaces/${space.id}`, { method: 'PATCH', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Suivi en direct (2026)' }) });
      expect(renamed.status).toBe(200);
      await other.getByRole('heading', { level: 1, name: 'Suivi en direct (2026)' }).waitFor({ timeout: 10_000 });
    } finally {
      await camilles.close();
      await emilies.close();
    }
  }, 120_000);

  it('two owners: Camille saves a description while Émilie renamed the space — the new name stays', async () => {
    const { headers } = await suite.app.signIn(camille);
    await setEmailVerified(suite.app.entente.stores.cells[emilie.jurisdiction].db, emilie.id, emilie.email, true);
    const send = async (method: string, path: string, body: unknown, as = headers) => {
      const response = await fetch(`${suite.app.baseUrl}${path}`, { method, headers: { ...as, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { id: string; name?: string; description?: string };
    };
    const space = await send('POST', '/api/spaces', { name: 'Nom d’origine', description: 'Avant', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    await send('POST', `/api/spaces/${space.id}/invitations`, { email: emilie.email, role: 'owner' });
    const camilles = await suite.signedInContext(camille);
    try {
      const tab = await openPage(camilles, suite.app.baseUrl, `/espaces/${space.id}`);
      const section = tab.getByRole('region', { name: 'Paramètres de l’espace' });
      await section.getByRole('button', { name: 'Modifier le nom, la description et l’accès' }).click();
      await section.getByLabel('Description (facultative)').fill('Après');
      // Meanwhile, Émilie renames it; Camille's heading follows, her form keeps what she typed.
      await send('PATCH', `/api/spaces/${space.id}`, { name: 'Nom choisi par Émilie' }, (await suite.app.signIn(emilie)).headers);
      await tab.getByRole('heading', { level: 1, name: 'Nom choisi par Émilie' }).waitFor({ timeout: 10_000 });
      expect(await section.getByLabel('Description (facultative)').inputValue()).toBe('Après');
      await section.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await tab.getByRole('status').filter({ hasText: 'Paramètres de l’espace enregistrés.' }).waitFor();
      const saved = (await (await fetch(`${suite.app.baseUrl}/api/spaces/${space.id}`, { headers: { cookie: (await suite.app.signIn(camille)).cookie } })).json()) as { name: string; description: string };
      expect(saved).toMatchObject({ name: 'Nom choisi par Émilie', description: 'Après' });
    } finally {
      await camilles.close();
    }
  }, 120_000);
});
