import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { setEmailVerified } from '../../server/src/identity/profiles.repo.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
const camille = agent('Camille');
const emilie = agent('Émilie');

describeInBrowser('Space settings (owners)', () => {
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
    const created = await send('/api/spaces', { name, description: 'Première description', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    await send(`/api/spaces/${created.id}/invitations`, { email: emilie.email, role: 'editor' });
    return created.id;
  }

  const readSpace = async (spaceId: string) => {
    const response = await fetch(`${suite.app.baseUrl}/api/spaces/${spaceId}`, { headers: { cookie: (await suite.app.signIn(camille)).cookie } });
    expect(response.status).toBe(200);
    return (await response.json()) as { name: string; description: string; minAssurance: string; classification: string };
  };

  it('an owner renames the space and changes its description and diffusion; errors sit under the field; editors have no settings', async () => {
    const spaceId = await space('Groupe de travail Nuage');

    const editor = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(editor, suite.app.baseUrl, `/espaces/${spaceId}`);
      await tab.getByRole('heading', { name: 'Membres' }).waitFor();
      expect(await tab.getByRole('heading', { name: 'Paramètres de l’espace' }).count()).toBe(0);
    } finally {
      await editor.close();
    }

    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${spaceId}`);
      const patches: string[] = [];
      tab.on('request', (request) => {
        if (request.method() === 'PATCH' && request.url().endsWith(`/api/spaces/${spaceId}`)) patches.push(request.postData() ?? '');
      });
      const section = tab.getByRole('region', { name: 'Paramètres de l’espace' });
      const toggle = section.getByRole('button', { name: 'Modifier le nom, la description et l’accès' });
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const name = section.getByLabel('Nom de l’espace');
      expect(await name.inputValue()).toBe('Groupe de travail Nuage');
      expect(await section.getByLabel('Description (facultative)').inputValue()).toBe('Première description');
      expect(await section.getByLabel('Diffusion').inputValue()).toBe('internal');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // A blank name: said under the field, the keyboard put there, nothing sent twice, nothing changed.
      await name.fill('   ');
      await section.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      const error = section.locator('.ws-field-error');
      await error.waitFor();
      expect(await error.textContent()).toBe('Ce champ est obligatoire.');
      expect(await name.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => tab.evaluate(() => document.activeElement?.id)).toBe(await name.getAttribute('id'));
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await section.screenshot({ path: '/tmp/ws-space-settings-error.png' });
      expect((await readSpace(spaceId)).name).toBe('Groupe de travail Nuage');

      // Escape abandons the form and gives the keyboard back to the toggle; reopening starts from the space.
      await tab.keyboard.press('Escape');
      await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
      await expect.poll(() => tab.evaluate(() => document.activeElement?.textContent)).toBe('Modifier le nom, la description et l’accès');
      await toggle.click();
      expect(await name.inputValue()).toBe('Groupe de travail Nuage');
      expect(await section.locator('.ws-field-error').count()).toBe(0);

      // The change: only the fields changed are sent.
      await name.fill('Groupe « Nuage » 2027');
      await section.getByLabel('Description (facultative)').fill('Ligne un\nLigne deux');
      await section.getByLabel('Diffusion').selectOption('restricted');
      await section.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await tab.getByRole('status').filter({ hasText: 'Paramètres de l’espace enregistrés.' }).waitFor();
      await tab.getByRole('heading', { level: 1, name: 'Groupe « Nuage » 2027' }).waitFor();
      expect(await tab.getByText('Diffusion : Restreinte').count()).toBeGreaterThan(0);
      expect(JSON.parse(patches.at(-1) ?? '{}')).toEqual({ name: 'Groupe « Nuage » 2027', description: 'Ligne un\nLigne deux', classification: 'restricted' });
      expect(await readSpace(spaceId)).toMatchObject({ name: 'Groupe « Nuage » 2027', description: 'Ligne un\nLigne deux', minAssurance: 'low', classification: 'restricted' });
      // The description keeps its lines on the page.
      const description = tab.locator('.ws-description');
      expect(await description.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-line');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      const audit = await suite.app.entente.audit.list({ jurisdiction: 'FR', action: 'workspace.space.updated', resourceId: spaceId, limit: 1 });
      expect(audit[0]).toMatchObject({ actor_id: camille.id, details: { fields: 'name,description,classification', classification: 'restricted' } });
      await tab.screenshot({ path: '/tmp/ws-space-settings-saved.png' });

      // Saving with nothing changed sends nothing and says so.
      const before = patches.length;
      await toggle.click();
      await section.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await tab.getByRole('status').filter({ hasText: 'Aucune modification à enregistrer.' }).waitFor();
      expect(patches.length).toBe(before);
    } finally {
      await context.close();
    }

    // The editor sees the new name and description.
    const again = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(again, suite.app.baseUrl, `/espaces/${spaceId}`);
      await tab.getByRole('heading', { level: 1, name: 'Groupe « Nuage » 2027' }).waitFor();
      expect(await tab.locator('.ws-description').textContent()).toBe('Ligne un\nLigne deux');
    } finally {
      await again.close();
    }
  });
});
