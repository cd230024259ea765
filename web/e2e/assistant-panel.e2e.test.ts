import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { startUpstreamDouble, type UpstreamDouble } from '../../server/test/support/openai-upstream.ts';
import { startApp, type TestApp } from './support/app.ts';
import { describeInBrowser, describeViolations, launchBrowser, newContext, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * The assistant panel (web/src/features/assistant/panel): with no model (the npm start default) it
 * says so and answers « Demander à mes documents » with cited passages, labelled as extracted
 * without AI; a citation opens the document scrolled to the passage, highlighted; conversations are
 * kept and can be resumed and deleted. With a model (the upstream double behind the gateway) the
 * answer streams in, labelled as AI-generated from its first word, and « Arrêter » cancels it up
 * to the upstream.
 */
type Agent = (typeof DEMO_AGENTS)[number];
const emilie = DEMO_AGENTS.find((a) => a.givenName === 'Émilie') as Agent;
// Demo content (server/src/workspace/demo-content.ts): « Coopération France–Québec » (QC), Émilie edits it.
const SPACE = '019ac9f0-0000-7000-8000-0000000e0001';
const IDENTITY_DOCUMENT = '019ac9f0-0000-7000-8000-0000000d0003';
const QUESTION = 'Quels sont les niveaux de garantie eIDAS retenus ?';
const SHOTS = process.env.ENTENTE_SHOTS_DIR;

async function shot(tab: Page, name: string): Promise<void> {
  if (SHOTS) await tab.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function openPanel(tab: Page) {
  await tab.getByRole('button', { name: 'Assistant', exact: true }).click();
  const panel = tab.getByRole('complementary', { name: 'Assistant' });
  await panel.waitFor();
  return panel;
}

/** Asks until the demo documents are indexed (the catch-up job runs a few seconds after the start). */
async function askUntilPassages(tab: Page, panel: ReturnType<Page['getByRole']>) {
  const passages = panel.locator('.ap-passages li');
  for (let i = 0; i < 30; i++) {
    await panel.getByLabel('Votre question sur les documents de l’espace').fill(QUESTION);
    await panel.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(async () => panel.getByRole('status').first().textContent(), { timeout: 15_000 }).toMatch(/Réponse terminée|Aucun passage/);
    if ((await passages.count()) > 0) return passages;
    await tab.waitForTimeout(1000);
    await panel.getByRole('button', { name: 'Nouvelle conversation' }).click();
  }
  throw new Error('no passage came back');
}

describeInBrowser('Assistant panel, no model configured', () => {
  const suite = browserSuite();

  it('says there is no model, answers with cited passages labelled « sans IA », opens a citation at the passage; axe-clean', async () => {
    const context = await suite.signedInContext(emilie);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${SPACE}/documents/${IDENTITY_DOCUMENT}`);
      const panel = await openPanel(tab);
      // Before anything is asked: the AI notice, and the plain no-model message.
      await panel.getByText('Aucun modèle d’IA n’est configuré').waitFor();
      await panel.getByText('sont générées par une IA').waitFor();
      expect(await panel.getByLabel('Votre question sur les documents de l’espace').evaluate((el) => el === document.activeElement)).toBe(true);
      // Chat needs a model: said plainly, the send button disabled.
      await panel.getByRole('radio', { name: 'Discussion' }).check();
      await panel.getByText('La discussion demande un modèle d’IA').waitFor();
      expect(await panel.getByRole('button', { name: 'Envoyer' }).isDisabled()).toBe(true);
      await panel.getByRole('radio', { name: 'Demander à mes documents' }).check();

      const passages = await askUntilPassages(tab, panel);
      const answer = panel.locator('.ap-assistant').last();
      expect(await answer.locator('.ap-label').textContent()).toBe('Passages extraits, sans IA');
      expect(await answer.locator('.ap-label-ai').count()).toBe(0);
      expect((await passages.first().locator('mark').allTextContents()).length).toBeGreaterThan(0);
      const identity = passages.filter({ hasText: 'Identité numérique et interopérabilité' }).first();
      await identity.waitFor();
      const cited = ((await identity.locator('blockquote').textContent()) ?? '').replace(/\s+/g, '');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await shot(tab, 'assistant-extractive');

      // The conversation is kept: listed, resumable.
      const list = panel.getByRole('region', { name: 'Vos conversations dans cet espace' });
      await list.getByText(QUESTION).first().waitFor();

      // A citation opens the document at the passage: scrolled to, highlighted.
      await tab.evaluate(() => window.scrollTo(0, 0));
      await identity.getByRole('link').click();
      await tab.waitForURL(/passage=/);
      await tab.getByText('Le passage cité est surligné dans le document.').waitFor({ timeout: 20_000 });
      const highlighted = await tab.evaluate(() => {
        const h = (CSS as unknown as { highlights: Map<string, { values(): IterableIterator<Range> }> }).highlights.get('entente-passage');
        const range = h ? [...h.values()][0] : undefined;
        if (!range) return null;
        const rect = range.getBoundingClientRect();
        return { text: range.toString(), top: rect.top, bottom: rect.bottom, height: window.innerHeight };
      });
      expect(highlighted).not.toBeNull();
      expect(highlighted?.text.replace(/\s+/g, '').slice(0, 40)).toBe(cited.slice(0, 40));
      expect(highlighted?.top).toBeGreaterThanOrEqual(0);
      expect(highlighted?.top).toBeLessThan(highlighted?.height as number);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await shot(tab, 'assistant-citation-opened');

      // Resumed, then deleted.
      await list.getByRole('button', { name: `Reprendre la conversation « ${QUESTION} »` }).first().click();
      await panel.locator('.ap-user').filter({ hasText: QUESTION }).first().waitFor();
      expect(await panel.locator('.ap-assistant .ap-label').first().textContent()).toBe('Passages extraits, sans IA');
      const before = await list.getByRole('listitem').count();
      await list.getByRole('button', { name: `Supprimer la conversation « ${QUESTION} »` }).first().click();
      await panel.getByText('Conversation supprimée.').waitFor();
      await expect.poll(async () => list.getByRole('listitem').count()).toBe(before - 1);

      // Escape closes the panel and gives the focus back to its button.
      await panel.getByLabel('Votre question sur les documents de l’espace').press('Escape');
      await tab.getByRole('complementary', { name: 'Assistant' }).waitFor({ state: 'detached' });
      expect(await tab.getByRole('button', { name: 'Assistant', exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describeInBrowser('Assistant panel, with a model', () => {
  let upstream: UpstreamDouble;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    upstream = await startUpstreamDouble({ name: 'double' });
    const dir = await mkdtemp(path.join(tmpdir(), 'entente-assistant-panel-'));
    const configFile = path.join(dir, 'entente.json');
    await writeFile(
      configFile,
      JSON.stringify({
        aiProviders: [
          {
            id: 'double-qc',
            baseUrl: upstream.baseUrl,
            models: [{ name: 'double-chat', alias: 'entente-small', kind: 'chat', contextWindow: 32768 }],
            jurisdiction: 'QC',
            maxClassification: 'diffusion-restreinte',
            timeoutMs: 30_000,
          },
        ],
      }),
    );
    [app, browser] = await Promise.all([startApp({ env: { ENTENTE_CONFIG: configFile } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await upstream?.close();
  });

  describe('chat and generated answers', () => {
    it('streams an answer labelled as AI-generated; « Arrêter » cancels it up to the upstream; axe-clean', async () => {
      const { cookie } = await app.signIn(emilie);
      const [name = '', value = ''] = cookie.split('=');
      const context = await newContext(browser, app.baseUrl);
      await context.addCookies([{ name, value, url: app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
      try {
        const tab = await openPage(context, app.baseUrl, `/espaces/${SPACE}/documents/${IDENTITY_DOCUMENT}`);
        const panel = await openPanel(tab);
        const picker = panel.getByLabel('Modèle', { exact: true });
        await expect.poll(async () => picker.inputValue(), { timeout: 10_000 }).toBe('entente-small');
        expect(await panel.getByText('Aucun modèle d’IA n’est configuré').count()).toBe(0);

        // Chat: the answer streams in, word by word, under its AI label.
        await panel.getByRole('radio', { name: 'Discussion' }).check();
        upstream.behave({ kind: 'answer', chunkDelayMs: 120 });
        await panel.getByLabel('Votre message').fill('Bonjour, que peux-tu faire ?');
        await panel.getByRole('button', { name: 'Envoyer' }).click();
        const answer = panel.locator('.ap-assistant').last();
        await answer.locator('.ap-label').waitFor();
        expect(await answer.locator('.ap-label').textContent()).toBe('Réponse générée par une IA (entente-small) — à vérifier');
        // Seen part-way: some words are there, not all yet.
        await expect.poll(async () => (await answer.locator('.ap-text').textContent())?.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
        const partial = (await answer.locator('.ap-text').textContent()) ?? '';
        await panel.getByText('Réponse terminée.').waitFor({ timeout: 20_000 });
        const whole = (await answer.locator('.ap-text').textContent()) ?? '';
        expect(whole).toBe('Réponse de double : Bonjour, que peux-tu faire ?');
        expect(partial.length).toBeLessThan(whole.length);
        expect(describeViolations(await runAxe(tab))).toEqual([]);
        await shot(tab, 'assistant-chat-streamed');

        // Stop: the browser closes the stream, the gateway cancels the upstream request.
        upstream.behave({ kind: 'answer', chunkDelayMs: 400, chunks: 60 });
        const requestsBefore = upstream.requests.length;
        await panel.getByLabel('Votre message').fill('Raconte une longue histoire');
        await panel.getByRole('button', { name: 'Envoyer' }).click();
        await expect.poll(async () => (await panel.locator('.ap-assistant').last().locator('.ap-text').textContent())?.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
        await panel.getByRole('button', { name: 'Arrêter' }).click();
        await panel.getByText('Réponse arrêtée à votre demande.').waitFor();
        await upstream.waitFor(() => upstream.requests.slice(requestsBefore).some((r) => r.path.endsWith('/chat/completions') && r.aborted), 10_000);

        // Ask my documents with the model: passages first, then the generated answer citing them.
        upstream.behave({ kind: 'answer' });
        await panel.getByRole('button', { name: 'Nouvelle conversation' }).click();
        await panel.getByRole('radio', { name: 'Demander à mes documents' }).check();
        await panel.getByLabel('Votre question sur les documents de l’espace').fill(QUESTION);
        await panel.getByRole('button', { name: 'Envoyer' }).click();
        const generated = panel.locator('.ap-assistant').last();
        await expect.poll(async () => panel.getByRole('status').first().textContent(), { timeout: 30_000 }).toBe('Réponse terminée.');
        expect(await generated.locator('.ap-label').textContent()).toBe('Réponse générée par une IA (entente-small) — à vérifier');
        // The model was given the passages; the answer lists them as numbered sources that open the document.
        const prompt = JSON.stringify(upstream.requests.at(-1)?.body ?? {});
        expect(prompt).toContain('eIDAS');
        expect(await generated.locator('.ap-text').textContent()).toContain('Réponse de double');
        const sources = generated.locator('.ap-sources a');
        expect(await sources.count()).toBeGreaterThan(0);
        expect(await sources.first().getAttribute('href')).toMatch(/\/documents\/[0-9a-f-]{36}\?passage=/);
        expect(describeViolations(await runAxe(tab))).toEqual([]);
        await shot(tab, 'assistant-ask-generated');
      } finally {
        await context.close();
      }
    });
  });
});
