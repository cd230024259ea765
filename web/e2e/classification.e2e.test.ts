import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

const camille = DEMO_AGENTS[0]!;
const hugo = DEMO_AGENTS[1]!; // FR

/** Classification labels in the web app (helper B): the space's select, the document's badge. */
describeInBrowser('Classification labels', () => {
  const suite = browserSuite();

  async function create(path: string, body: unknown): Promise<string> {
    const { headers } = await suite.app.signIn(camille);
    const response = await fetch(`${suite.app.baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it('an owner raises a space’s level with a labelled select; the document shows it as a badge', async () => {
    const spaceId = await create('/api/spaces', { name: 'Données sensibles', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    const documentId = await create(`/api/spaces/${spaceId}/documents`, { title: 'Note' });
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${spaceId}`);
      const select = tab.getByLabel('Niveau de classification');
      await select.waitFor();
      expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('Non protégé');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await select.focus();
      await select.selectOption({ label: 'Diffusion restreinte' });
      await tab.getByText('Niveau de classification enregistré : Diffusion restreinte.').waitFor();
      await tab.locator('.ws-classification').screenshot({ path: `${process.env.ENTENTE_SHOTS_DIR ?? '/tmp'}/classification-space.png` });
      const doc = await openPage(context, suite.app.baseUrl, `/espaces/${spaceId}/documents/${documentId}`);
      await doc.getByText('Classification : Diffusion restreinte').waitFor();
      const docSelect = doc.getByLabel('Classification du document');
      expect(await docSelect.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('Comme l’espace (Diffusion restreinte)');
      expect(describeViolations(await runAxe(doc))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an editor cannot take a page’s own label off while its space’s level covers it: the option is disabled, and said why', async () => {
    const spaceId = await create('/api/spaces', { name: 'Étiquettes couvertes', jurisdiction: 'FR', minAssurance: 'low', classification: 'internal' });
    const documentId = await create(`/api/spaces/${spaceId}/documents`, { title: 'Note couverte' });
    await suite.app.entente.stores.control.db.insertInto('space_members').values({ space_id: spaceId, principal_id: hugo.id, role: 'editor' }).execute();
    const { headers } = await suite.app.signIn(camille);
    const put = (path: string, level: string) =>
      fetch(`${suite.app.baseUrl}${path}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ level }) });
    expect((await put(`/api/spaces/${spaceId}/classification`, 'diffusion-restreinte')).status).toBe(200);
    expect((await put(`/api/documents/${documentId}/classification`, 'diffusion-restreinte')).status).toBe(200);
    const context = await suite.signedInContext(hugo);
    try {
      const doc = await openPage(context, suite.app.baseUrl, `/espaces/${spaceId}/documents/${documentId}`);
      const docSelect = doc.getByLabel('Classification du document');
      await docSelect.waitFor();
      const options = await docSelect.evaluate((s: HTMLSelectElement) => [...s.options].map((o) => [o.textContent, o.disabled]));
      expect(options).toEqual([
        ['Comme l’espace (Diffusion restreinte)', true],
        ['Non protégé', true],
        ['Diffusion restreinte', false],
      ]);
      await doc.getByText('Seuls les propriétaires', { exact: false }).first().waitFor();
      expect(describeViolations(await runAxe(doc))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
