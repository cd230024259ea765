import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import '../../server/src/assistant/usage/usage.tables.ts';
import { UNKNOWN_MODEL } from '../../server/src/assistant/usage/ai-usage.ts';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../../server/src/identity/demo-data.ts';
import { uuidv7 } from '../../server/src/platform/ids.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * The register of AI systems (operators) and the usage dashboards (agents, organisation
 * administrators) in Chromium: reachable from their areas, accessible tables, the CSV download.
 */
type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE, HUGO, EMILIE, OLIVIER] = DEMO_AGENTS as unknown as [DemoAgent, DemoAgent, DemoAgent, DemoAgent];
const QC = DEMO_ORGANISATIONS[2];
const SHOTS = process.env.ENTENTE_SHOTS_DIR ?? tmpdir();

const configDir = mkdtempSync(path.join(tmpdir(), 'entente-ai-register-e2e-'));
const configFile = path.join(configDir, 'entente.json');
writeFileSync(
  configFile,
  JSON.stringify({
    aiProviders: [
      {
        id: 'vllm-fr',
        baseUrl: 'http://127.0.0.1:9/v1',
        models: [{ name: 'mistral-small-3.2-24b', alias: 'entente-small', kind: 'chat' }],
        jurisdiction: 'FR',
        maxClassification: 'diffusion-restreinte',
      },
    ],
    aiRegister: {
      contact: 'ia@numerique.demo-gouv-fr.test',
      models: { 'entente-small': { purposes: ['Aide à la rédaction', 'Résumé de documents'], dataCategories: ['Documents de travail'], legalBasis: 'Mission d’intérêt public' } },
    },
  }),
);

describeInBrowser('AI register and usage dashboards', () => {
  const suite = browserSuite({ env: { ENTENTE_CONFIG: configFile } });

  async function usage(cell: 'FR' | 'QC', principalId: string, organisationId: string, prompt: number, completion: number, daysAgo = 0, model = 'entente-small') {
    await suite.app.entente.stores.cells[cell].db
      .insertInto('ai_usage')
      .values({
        id: uuidv7(),
        principal_id: principalId,
        organisation_id: organisationId,
        model,
        provider: 'vllm-fr',
        provider_jurisdiction: 'FR',
        endpoint: 'chat.completions',
        stream: true,
        status: 200,
        prompt_tokens: prompt,
        completion_tokens: completion,
        duration_ms: 1500,
        ttft_ms: 300,
        energy_wh: 0.42,
        emissions_gco2e: 0.021,
        created_at: new Date(Date.now() - daysAgo * 86_400_000),
      })
      .execute();
  }

  it('an operator opens the register from « Exploitation » and downloads it as CSV', async () => {
    await usage('FR', HUGO.id, HUGO.organisationId, 1200, 300, 3);
    // Two requests for model names that match no system: counted apart, under the table.
    await usage('FR', CAMILLE.id, CAMILLE.organisationId, 0, 0, 2, UNKNOWN_MODEL);
    await usage('FR', CAMILLE.id, CAMILLE.organisationId, 0, 0, 1, UNKNOWN_MODEL);
    const context = await suite.signedInContext(CAMILLE, { acceptDownloads: true });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/exploitation');
      await tab.getByRole('link', { name: 'Registre des systèmes d’IA' }).click();
      await tab.waitForURL('**/exploitation/registre-ia');
      await tab.getByRole('heading', { level: 1, name: 'Registre des systèmes d’IA' }).waitFor();
      const table = tab.getByRole('table', { name: /^Systèmes d’IA, du / });
      await table.waitFor();
      const row = table.getByRole('row', { name: /entente-small/ });
      expect(await row.textContent()).toContain('Aide à la rédaction');
      expect(await row.textContent()).toContain('France');
      expect(await row.getByRole('cell').nth(0).textContent()).toBe('1');
      // 1 500 tokens, written the French way (a narrow no-break space).
      expect((await row.getByRole('cell').nth(1).textContent())?.replace(/\s/gu, ' ')).toBe('1 500');
      await tab.getByText('2 demandes refusées sur la période pour un nom de modèle qui ne correspond à aucun système', { exact: false }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: path.join(SHOTS, 'ai-register-fr-FR.png'), fullPage: true });

      const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('link', { name: 'Télécharger au format CSV (tableur)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^entente-ai-register-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile(await download.path(), 'utf8');
      const [header, first] = csv.split('\r\n');
      expect(header?.startsWith('model,kind,configured,upstream_models,providers,jurisdictions')).toBe(true);
      expect(first).toContain('entente-small,chat,true,mistral-small-3.2-24b,vllm-fr,FR');
      expect((await suite.app.entente.audit.list({ action: 'ai.register.exported', limit: 1 }))[0]).toMatchObject({ actor_id: CAMILLE.id, details: { format: 'csv' } });
    } finally {
      await context.close();
    }
  });

  it('an agent opens « Mon usage de l’IA » from their account and sees only their own figures', async () => {
    await usage('FR', HUGO.id, HUGO.organisationId, 10, 5, 0);
    await usage('FR', CAMILLE.id, CAMILLE.organisationId, 99_999, 9, 0);
    const context = await suite.signedInContext(HUGO);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/profil');
      await tab.getByRole('navigation', { name: 'Mon compte' }).getByRole('link', { name: 'Usage de l’IA' }).click();
      await tab.waitForURL('**/profil/ia');
      await tab.getByRole('heading', { level: 1, name: 'Mon usage de l’IA' }).waitFor();
      await tab.getByRole('list', { name: 'Résumé de la période' }).getByText('2 demandes').waitFor();
      const perModel = tab.getByRole('table', { name: /^Par modèle, du / });
      expect((await perModel.getByRole('row', { name: /entente-small/ }).textContent())?.replace(/\s/gu, ' ')).toContain('1 210');
      expect(await tab.getByRole('main').textContent()).not.toContain('99');
      await tab.getByRole('table', { name: /^Par jour, du / }).waitFor();
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: path.join(SHOTS, 'ai-usage-me-fr-FR.png'), fullPage: true });

      // A period of more than 366 days is refused on the page, with the reason.
      await tab.getByLabel('Du', { exact: true }).fill('2024-01-01');
      await tab.getByRole('button', { name: 'Afficher la période' }).click();
      await tab.getByRole('alert').filter({ hasText: '366 jours au plus' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('an organisation administrator sees the organisation’s usage per agent, in English too; a member is refused', async () => {
    await usage('QC', OLIVIER.id, QC.id, 70, 7, 1);
    await usage('QC', EMILIE.id, QC.id, 20, 2, 2);
    const context = await suite.signedInContext(EMILIE, { language: 'en', locale: 'en' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/organisation/${QC.id}`);
      await tab.getByRole('link', { name: 'The organisation’s use of AI' }).click();
      await tab.waitForURL(`**/organisation/${QC.id}/ia`);
      const perAgent = tab.getByRole('table', { name: /^Per agent, from / });
      await perAgent.waitFor();
      const rows = await perAgent.locator('tbody th[scope="row"]').allTextContents();
      expect(rows).toEqual(['Olivier Gagnon', 'Émilie Tremblay']);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: path.join(SHOTS, 'ai-usage-organisation-en.png'), fullPage: true });
    } finally {
      await context.close();
    }
    const member = await suite.signedInContext(OLIVIER, { language: 'fr-FR' });
    try {
      const tab = await openPage(member, suite.app.baseUrl, `/organisation/${QC.id}/ia`);
      await tab.getByRole('alert').filter({ hasText: 'Seuls les administrateurs' }).waitFor();
    } finally {
      await member.close();
    }
  });
});
