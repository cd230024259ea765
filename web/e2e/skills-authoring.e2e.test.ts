import type { SkillsAuthoringKey } from '@entente/common/i18n/catalog/skills-authoring.ts';
import type { SkillsKey } from '@entente/common/i18n/catalog/skills.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * The trainers' and administrators' skills screens in Chromium against the real server: Camille
 * writes a question for her organisation, is shown the problem next to the field it concerns,
 * fixes it, publishes the question and exports the bank; then she adds a competence and a target
 * profile of her organisation. Every screen is checked with axe-core.
 */
type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE] = DEMO_AGENTS as unknown as [DemoAgent];

const t = (locale: Locale, key: SkillsAuthoringKey, values?: MessageValues) => formatMessage(locale, key, values);
/** The skills pages' sub-navigation (shared with the agent's pages). */
const navText = (locale: Locale, key: SkillsKey) => formatMessage(locale, key);

async function shot(tab: Page, name: string): Promise<void> {
  await tab.screenshot({ path: `/tmp/authoring-${name}.png`, fullPage: true });
}

/**
 * The current URL's authoring page has loaded. Matching on the path too: during a client-side
 * navigation the previous page (already « ready ») stays in the DOM while the next one renders.
 */
async function ready(tab: Page): Promise<void> {
  await settled(tab);
  const page = tab.locator(`[data-authoring-path=${JSON.stringify(new URL(tab.url()).pathname)}]`);
  await page.and(tab.locator('[data-authoring-state="ready"], [data-authoring-state="signedOut"], [data-authoring-state="failed"]')).first().waitFor();
  const failed = page.and(tab.locator('[data-authoring-state="failed"]'));
  if (await failed.count()) throw new Error(`the page failed to load: ${await failed.textContent()}`);
}

async function expectAxeClean(tab: Page): Promise<void> {
  expect(describeViolations(await runAxe(tab))).toEqual([]);
}

/** What has the focus: its tag, id, class and text, enough to tell a field from a message or <body>. */
const focused = (tab: Page) =>
  tab.evaluate(() => {
    const e = document.activeElement;
    return { tag: e?.tagName ?? null, id: e?.id ?? '', className: e?.className ?? '', text: e?.textContent ?? '', invalid: e?.getAttribute('aria-invalid') ?? null };
  });

/** Writes a complete single-answer question in the open editor (fr-FR and English), its second answer right. */
async function writeQuestion(tab: Page, locale: Locale, stem: string): Promise<void> {
  const editor = tab.locator('section.authoring-editor');
  const fr = editor.locator('fieldset.authoring-language').nth(0);
  const en = editor.locator('fieldset.authoring-language').nth(2);
  await editor.getByLabel(t(locale, 'skillsAuthoring.filters.competence')).selectOption('1.1');
  await fr.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).fill(stem);
  for (const i of [1, 2, 3]) await fr.getByLabel(t(locale, 'skillsAuthoring.editor.option', { n: i }), { exact: true }).fill(`${stem} — réponse ${i}`);
  await fr.getByLabel(t(locale, 'skillsAuthoring.editor.correctOption', { n: 2 })).check();
  await fr.getByLabel(t(locale, 'skillsAuthoring.editor.explanation')).fill(`Explication de ${stem}`);
  await en.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).fill(`EN ${stem}`);
  for (const i of [1, 2, 3]) await en.getByLabel(t(locale, 'skillsAuthoring.editor.option', { n: i }), { exact: true }).fill(`EN ${stem} — answer ${i}`);
  await en.getByLabel(t(locale, 'skillsAuthoring.editor.explanation')).fill(`Why ${stem}`);
}

/**
 * The confirmation asked before unsaved edits are lost (a modal <dialog>), its two buttons, and
 * `keepEdits`: waits for the question, answers « Continuer à modifier », waits for it to close.
 */
function discardDialog(tab: Page, locale: Locale) {
  const dialog = tab.getByRole('dialog', { name: t(locale, 'skillsAuthoring.unsaved.title') });
  const keep = dialog.getByRole('button', { name: t(locale, 'skillsAuthoring.unsaved.keep') });
  const keepEdits = async () => {
    await dialog.waitFor();
    await keep.click();
    await dialog.waitFor({ state: 'hidden' });
  };
  return { dialog, keep, keepEdits, discard: dialog.getByRole('button', { name: t(locale, 'skillsAuthoring.unsaved.discard') }) };
}

describeInBrowser('skills authoring', () => {
  const suite = browserSuite();
  const locale: Locale = 'fr-FR';

  it('Camille writes a question, fixes the problem shown next to the field, publishes it and exports the bank', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    expect(await tab.locator('main h1').textContent()).toBe(t(locale, 'skillsAuthoring.bank.title'));
    await expectAxeClean(tab);
    await shot(tab, 'bank');

    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    const editor = tab.locator('section.authoring-editor');
    await editor.waitFor();
    // The editor's heading takes focus, so a screen reader announces it.
    expect(await tab.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    await editor.getByLabel(t(locale, 'skillsAuthoring.filters.competence')).selectOption('4.2');
    await editor.getByLabel(t(locale, 'skillsAuthoring.editor.level')).selectOption('3');
    const [fr, , en] = [0, 1, 2].map((i) => editor.locator('fieldset.authoring-language').nth(i)) as [ReturnType<Page['locator']>, unknown, ReturnType<Page['locator']>];
    await fr.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).fill('Un collègue vous demande votre mot de passe par messagerie. Que faites-vous ?');
    const frOptions = ['Je le lui donne, c’est un collègue', 'Je refuse et je préviens le support', 'Je le lui envoie par courriel'];
    const enOptions = ['I give it, they are a colleague', 'I refuse and tell the help desk', 'I send it by email'];
    for (const [i, option] of frOptions.entries()) await fr.getByLabel(t(locale, 'skillsAuthoring.editor.option', { n: i + 1 }), { exact: true }).fill(option);
    await fr.getByLabel(t(locale, 'skillsAuthoring.editor.explanation')).fill('Un mot de passe ne se partage jamais, même avec un collègue.');
    await en.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).fill('A colleague asks for your password by chat. What do you do?');
    for (const [i, option] of enOptions.entries()) await en.getByLabel(t(locale, 'skillsAuthoring.editor.option', { n: i + 1 }), { exact: true }).fill(option);
    await en.getByLabel(t(locale, 'skillsAuthoring.editor.explanation')).fill('A password is never shared, not even with a colleague.');

    // The preview shows the question as an agent will see it.
    const preview = tab.locator('.authoring-preview-question legend');
    expect(await preview.textContent()).toBe('Un collègue vous demande votre mot de passe par messagerie. Que faites-vous ?');

    // Saved without ticking the right answer: a draft, with the problem said next to the options.
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    await editor.getByRole('heading', { level: 2 }).filter({ hasText: /^Question o[0-9a-f]{8}-4\.2-01$/ }).waitFor();
    const error = editor.locator('.authoring-error').filter({ hasText: t(locale, 'skillsAuthoring.field.correct_single') });
    await error.waitFor();
    const errorId = await error.getAttribute('id');
    expect(errorId).toBeTruthy();
    const radio = fr.getByLabel(t(locale, 'skillsAuthoring.editor.correctOption', { n: 2 }));
    expect(await radio.getAttribute('aria-describedby')).toContain(errorId);
    expect(await radio.getAttribute('aria-invalid')).toBe('true');

    // Publishing is refused while the problem stands.
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.publish') }).click();
    await editor.locator('.alert-error').filter({ hasText: t(locale, 'skillsAuthoring.editor.problems', { count: 1 }) }).waitFor();
    expect(await editor.textContent()).toContain(t(locale, 'skillsAuthoring.editor.statusNow', { status: t(locale, 'skillsAuthoring.status.draft') }));
    await expectAxeClean(tab);
    await shot(tab, 'error');

    // Fixed with the keyboard: the right answer ticked, saved, then published.
    await radio.focus();
    await tab.keyboard.press('Space');
    expect(await radio.isChecked()).toBe(true);
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    await editor.locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();
    expect(await editor.locator('.authoring-error').count()).toBe(0);
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.publish') }).click();
    const published = t(locale, 'skillsAuthoring.editor.statusChanged', { status: t(locale, 'skillsAuthoring.status.live') });
    await editor.locator('.notice').filter({ hasText: published }).waitFor();
    const row = tab.locator('table.authoring-items tbody tr').filter({ hasText: 'Un collègue vous demande votre mot de passe' });
    await row.filter({ hasText: t(locale, 'skillsAuthoring.status.live') }).waitFor();
    await expectAxeClean(tab);
    await shot(tab, 'published');

    // The export link downloads the bank as a JSON file with the new question in it.
    const href = await tab.getByRole('link', { name: t(locale, 'skillsAuthoring.export') }).getAttribute('href');
    expect(href).toMatch(/^\/api\/skills\/items\/export\?organisationId=/);
    const file = await tab.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, disposition: response.headers.get('content-disposition'), body: (await response.json()) as { format: string; items: { fr: { stem: string }; status: string; correct: number[] }[] } };
    }, href!);
    expect(file.status).toBe(200);
    expect(file.disposition).toMatch(/^attachment; filename=".+\.json"; filename\*=UTF-8''.+\.json$/);
    expect(file.body.format).toBe('entente-skills-items');
    const exported = file.body.items.find((i) => i.fr.stem.startsWith('Un collègue vous demande'));
    expect(exported).toMatchObject({ status: 'live', correct: [1] });
    await context.close();
  });

  it('Camille adds a competence and a target profile of her organisation', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/referentiel');
    await ready(tab);
    expect(await tab.locator('main h1').textContent()).toBe(t(locale, 'skillsAuthoring.framework.title'));
    await expectAxeClean(tab);

    const form = tab.locator('form.authoring-form').first();
    const name = form.locator('fieldset.authoring-localised').nth(0);
    const description = form.locator('fieldset.authoring-localised').nth(1);
    await name.getByLabel(t(locale, 'skillsAuthoring.lang.fr')).fill('Utiliser l’IA générative de façon responsable');
    await name.getByLabel(t(locale, 'skillsAuthoring.lang.en')).fill('Using generative AI responsibly');
    // Submitted without its descriptions: each missing one is said next to its field.
    await form.getByRole('button', { name: t(locale, 'skillsAuthoring.competences.add') }).click();
    await description.locator('.authoring-error').first().waitFor();
    expect(await description.locator('.authoring-error').count()).toBe(2);
    // Focus goes to the first field in error (the messages are above the button, out of view).
    await expect.poll(async () => (await focused(tab)).invalid).toBe('true');
    expect((await focused(tab)).id).toBe(await description.getByLabel(t(locale, 'skillsAuthoring.lang.fr')).getAttribute('id'));
    await description.getByLabel(t(locale, 'skillsAuthoring.lang.fr')).fill('Savoir quand et comment utiliser un assistant d’IA dans son travail.');
    await description.getByLabel(t(locale, 'skillsAuthoring.lang.en')).fill('Knowing when and how to use an AI assistant at work.');
    // A fixed field loses its error at once.
    expect(await description.locator('.authoring-error').count()).toBe(0);
    await form.getByLabel(/^1\.1 Mener/).check();
    await form.getByRole('button', { name: t(locale, 'skillsAuthoring.competences.add') }).click();
    await tab.locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.competences.added', { name: 'Utiliser l’IA générative de façon responsable' }) }).waitFor();
    await tab.locator('.authoring-card h3').filter({ hasText: 'Utiliser l’IA générative de façon responsable' }).waitFor();
    // Added: the form is emptied, and focus is on the confirmation, not lost on the page.
    await expect.poll(async () => (await focused(tab)).className).toBe('notice');

    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.profiles.new') }).click();
    const profile = tab.locator('form.authoring-profile');
    await profile.waitFor();
    await profile.getByLabel(t(locale, 'skillsAuthoring.profiles.role')).selectOption('digital-specialist');
    await profile.locator('fieldset.authoring-localised').getByLabel(t(locale, 'skillsAuthoring.lang.fr')).fill('Référent IA');
    await profile.locator('fieldset.authoring-localised').getByLabel(t(locale, 'skillsAuthoring.lang.en')).fill('AI lead');
    await profile.getByLabel('Utiliser l’IA générative de façon responsable').selectOption('5');
    await profile.getByLabel(/^4\.2 /).selectOption('6');
    await expectAxeClean(tab);
    await shot(tab, 'profile-editor');
    await profile.getByRole('button', { name: t(locale, 'skillsAuthoring.profiles.save') }).click();
    await tab.locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.profiles.saved', { name: 'Référent IA' }) }).waitFor();
    await expect.poll(async () => (await focused(tab)).text).toBe(t(locale, 'skillsAuthoring.profiles.saved', { name: 'Référent IA' }));
    const card = tab.locator('.authoring-card').filter({ hasText: 'Référent IA' });
    expect(await card.textContent()).toContain(t(locale, 'skillsAuthoring.profiles.count', { count: 2 }));
    await expectAxeClean(tab);
    await shot(tab, 'framework');

    // Her organisation's agents see both in the framework.
    const framework = await tab.evaluate(async () => (await (await fetch('/api/skills/framework', { credentials: 'same-origin' })).json()) as { competences: { name: string }[]; targetProfiles: { name: string; required: Record<string, number> }[] });
    expect(framework.competences.some((c) => c.name === 'Utiliser l’IA générative de façon responsable')).toBe(true);
    expect(framework.targetProfiles.find((p) => p.name === 'Référent IA')?.required['4.2']).toBe(6);
    await context.close();
  });

  it('« Nouvelle question » after a save opens a blank editor that creates another question', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const writes: string[] = [];
    tab.on('request', (request) => {
      if (request.method() !== 'GET' && new URL(request.url()).pathname.startsWith('/api/skills/items')) writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    const editor = tab.locator('section.authoring-editor');
    const heading = editor.getByRole('heading', { level: 2 });
    const save = editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') });
    const fr = editor.locator('fieldset.authoring-language').nth(0);

    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await writeQuestion(tab, locale, 'Question A : que faire d’un courriel suspect ?');
    await save.click();
    await heading.filter({ hasText: /^Question o[0-9a-f]{8}-1\.1-\d\d$/ }).waitFor();
    const keyA = (await heading.textContent())!.replace(/^Question /, '');

    // « Nouvelle question » again: a blank editor (was: still question A, and saving overwrote it).
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await heading.filter({ hasText: t(locale, 'skillsAuthoring.editor.newTitle') }).waitFor();
    expect(await fr.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).inputValue()).toBe('');
    expect(await fr.getByLabel(t(locale, 'skillsAuthoring.editor.option', { n: 1 }), { exact: true }).inputValue()).toBe('');
    expect(await editor.locator('.notice').count()).toBe(0);
    expect(await focused(tab)).toMatchObject({ tag: 'H2' });
    await writeQuestion(tab, locale, 'Question B : que faire d’une clé USB trouvée ?');
    await save.click();
    await editor.locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();
    const keyB = (await heading.textContent())!.replace(/^Question /, '');
    expect(keyB).not.toBe(keyA);

    // Both are in the bank, each created by a POST: nothing was written over.
    const rows = tab.locator('table.authoring-items tbody tr');
    await rows.filter({ hasText: 'Question B : que faire d’une clé USB trouvée ?' }).waitFor();
    expect(await rows.filter({ hasText: 'Question A : que faire d’un courriel suspect ?' }).filter({ hasText: keyA }).count()).toBe(1);
    expect(writes).toEqual(['POST /api/skills/items', 'POST /api/skills/items']);

    // « Modifier » on A, then « Nouvelle question »: blank again.
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.editLabel', { key: keyA }) }).click();
    await heading.filter({ hasText: keyA }).waitFor();
    expect(await fr.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).inputValue()).toBe('Question A : que faire d’un courriel suspect ?');
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await heading.filter({ hasText: t(locale, 'skillsAuthoring.editor.newTitle') }).waitFor();
    expect(await fr.getByLabel(t(locale, 'skillsAuthoring.editor.stem')).inputValue()).toBe('');
    await shot(tab, 'two-new');
    await context.close();
  });

  it('after « Enregistrer » the focus goes to the first field in error, or to the confirmation', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const editor = tab.locator('section.authoring-editor');
    const save = editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') });
    const notBody = () => tab.waitForFunction(() => document.activeElement !== null && document.activeElement !== document.body, undefined, { timeout: 5000 });

    // Saved empty, with the keyboard: a draft with problems, and the focus is on the first field in error (was: <body>).
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await editor.waitFor();
    await save.focus();
    await tab.keyboard.press('Enter');
    await editor.locator('.authoring-error').filter({ hasText: formatMessage(locale, 'errors.field.required') }).first().waitFor();
    await notBody();
    const onError = await focused(tab);
    expect(onError).toMatchObject({ tag: 'TEXTAREA', invalid: 'true' });
    expect(onError.id).toBe(await editor.locator('fieldset.authoring-language').nth(0).getByLabel(t(locale, 'skillsAuthoring.editor.stem')).getAttribute('id'));
    await expectAxeClean(tab);
    await shot(tab, 'focus-error');

    // A valid question saved: the focus is on the confirmation, a status that can hold it.
    await writeQuestion(tab, locale, 'Question C : que faire d’un lien raccourci ?');
    await save.focus();
    await tab.keyboard.press('Enter');
    await editor.locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();
    await notBody();
    expect(await focused(tab)).toMatchObject({ tag: 'P', className: 'notice', text: t(locale, 'skillsAuthoring.editor.saved') });

    // Published (the button goes away): the focus is on the confirmation too.
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.publish') }).press('Enter');
    const published = t(locale, 'skillsAuthoring.editor.statusChanged', { status: t(locale, 'skillsAuthoring.status.live') });
    await editor.locator('.notice').filter({ hasText: published }).waitFor();
    await notBody();
    expect(await focused(tab)).toMatchObject({ tag: 'P', text: published });
    await expectAxeClean(tab);
    await shot(tab, 'focus-saved');
    await context.close();
  });

  it('a question another author saved meanwhile: the save is refused, and the current version is loaded at a click', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const first = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(first);
    const editorOf = (tab: Page) => tab.locator('section.authoring-editor');
    const stemOf = (tab: Page) => editorOf(tab).locator('fieldset.authoring-language').nth(0).getByLabel(t(locale, 'skillsAuthoring.editor.stem'));
    await first.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await writeQuestion(first, locale, 'Question E : que faire d’une pièce jointe inattendue ?');
    await editorOf(first).getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    await editorOf(first).locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();
    const key = ((await editorOf(first).getByRole('heading', { level: 2 }).textContent()) ?? '').replace(/^Question /, '');

    // Another author (here another tab) changes it and saves.
    const second = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(second);
    await second.getByRole('button', { name: t(locale, 'skillsAuthoring.editLabel', { key }) }).click();
    await stemOf(second).fill('Question E : que faire d’un fichier joint que l’on n’attendait pas ?');
    await editorOf(second).getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    await editorOf(second).locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();

    // The first tab's save is refused, said, with the way to the current version.
    await stemOf(first).fill('Question E : une version qui arrive trop tard');
    await editorOf(first).getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    const refused = editorOf(first).locator('.alert-error');
    await refused.filter({ hasText: formatMessage(locale, 'errors.item_conflict.title') }).waitFor();
    const reload = editorOf(first).getByRole('button', { name: t(locale, 'skillsAuthoring.editor.reload') });
    await expectAxeClean(first);
    await shot(first, 'conflict');
    await reload.click();
    await editorOf(first).locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.reloaded') }).waitFor();
    expect(await stemOf(first).inputValue()).toBe('Question E : que faire d’un fichier joint que l’on n’attendait pas ?');
    expect(await reload.count()).toBe(0);
    // Now in step with the bank: a change saves.
    await stemOf(first).fill('Question E : que faire d’un fichier joint inattendu ?');
    await editorOf(first).getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    await editorOf(first).locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();
    await context.close();
  });

  it('a file that is not an export is refused in a plain sentence; a mixed file gets its report, reasons in words', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const panel = tab.locator('.authoring-import');
    const fileInput = panel.getByLabel(t(locale, 'skillsAuthoring.import.file'));
    const importFile = async (content: unknown) => {
      await fileInput.setInputFiles({ name: 'questions.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(content)) });
      await panel.getByRole('button', { name: t(locale, 'skillsAuthoring.import.submit') }).click();
    };
    const fileError = panel.locator('.authoring-error');

    for (const wrong of [{ hello: 1 }, [], { format: 'entente-skills-items', items: [] }]) {
      await importFile(wrong);
      await fileError.waitFor();
      expect(await fileError.textContent()).toBe(t(locale, 'skillsAuthoring.import.notExport'));
      // The field is marked and focused, its error in its description.
      expect(await fileInput.getAttribute('aria-invalid')).toBe('true');
      expect(await fileInput.getAttribute('aria-describedby')).toContain(await fileError.getAttribute('id'));
      expect((await focused(tab)).id).toBe(await fileInput.getAttribute('id'));
    }
    await importFile({ format: 'entente-skills-items', version: 2, items: [] });
    await fileError.filter({ hasText: t(locale, 'skillsAuthoring.import.version', { version: '2' }) }).waitFor();
    await expectAxeClean(tab);
    await shot(tab, 'import-not-export');

    // Refused by the server as a whole (a field it does not know): its reasons, in words, naming the field.
    await importFile({ format: 'entente-skills-items', version: 1, items: [], extra: true });
    await fileError.filter({ hasText: t(locale, 'skillsAuthoring.import.refused') }).waitFor();
    expect(await fileError.locator('li').allTextContents()).toEqual(['Fichier : Le champ « extra » n’est pas connu d’Entente : retirez-le.']);

    // A mixed file: the good question is created, the bad live one skipped with its reasons, the
    // incomplete draft kept with what is left to fix (an export holds work in progress).
    const good = {
      competence: '2.1',
      level: 2,
      kind: 'single',
      correct: [0],
      fr: { stem: 'Importée : que faire avant d’ouvrir une pièce jointe ?', options: ['Vérifier l’expéditeur', 'L’ouvrir aussitôt', 'La transférer à tous'], explanation: 'On vérifie d’abord.' },
      en: { stem: 'Imported: what do you do before opening an attachment?', options: ['Check the sender', 'Open it at once', 'Forward it to all'], explanation: 'Check first.' },
    };
    const bad = { ...good, fr: { ...good.fr, stem: '' }, status: 'live' };
    const draft = { ...good, fr: { ...good.fr, stem: '' } };
    // Wrong-shaped: zod refuses it before any authoring rule; the trainer reads it in French all the same.
    const misshapen = { ...good, level: 'trois', fr: { ...good.fr, stem: 'x'.repeat(1001) } };
    await importFile({ format: 'entente-skills-items', version: 1, items: [good, bad, misshapen, draft] });
    const summary = panel.locator('.notice');
    await summary.waitFor();
    expect(await summary.textContent()).toBe(t(locale, 'skillsAuthoring.import.summary', { created: 2, updated: 0, unchanged: 0, errors: 2 }));
    expect((await focused(tab)).className).toBe('notice');
    expect(await fileError.count()).toBe(0);
    const lines = panel.locator('table tbody tr');
    expect(await lines.count()).toBe(4);
    expect(await lines.nth(0).textContent()).toContain(t(locale, 'skillsAuthoring.import.outcome.created'));
    expect(await lines.nth(1).textContent()).toContain(t(locale, 'skillsAuthoring.import.outcome.error'));
    const stemInFrench = t(locale, 'skillsAuthoring.path.inLanguage', { field: t(locale, 'skillsAuthoring.editor.stem'), language: t(locale, 'skillsAuthoring.path.lang.fr') });
    expect(await lines.nth(1).locator('li').allTextContents()).toContain(
      t(locale, 'skillsAuthoring.import.reason', { field: stemInFrench, message: formatMessage(locale, 'errors.field.required') }),
    );
    expect(await lines.nth(2).textContent()).toContain(t(locale, 'skillsAuthoring.import.outcome.error'));
    // Numbers are formatted the French way (a narrow no-break space in « 1 000 »): compared as plain spaces.
    const reasons = (await lines.nth(2).locator('li').allTextContents()).map((r) => r.replace(/[\u202f\u00a0]/g, ' '));
    expect(reasons).toEqual(['Niveau : Il faut ici un nombre, et non un texte.', 'Énoncé en français (France) : 1 000 caractères au plus.']);
    expect(await lines.nth(3).textContent()).toContain(t(locale, 'skillsAuthoring.import.outcome.created'));
    expect(await lines.nth(3).textContent()).toContain(t(locale, 'skillsAuthoring.import.toFix'));
    expect(await lines.nth(3).locator('li').allTextContents()).toContain(
      t(locale, 'skillsAuthoring.import.reason', { field: stemInFrench, message: formatMessage(locale, 'errors.field.required') }),
    );
    await tab.locator('table.authoring-items tbody tr').filter({ hasText: 'Importée : que faire avant d’ouvrir une pièce jointe ?' }).waitFor();
    await expectAxeClean(tab);
    await shot(tab, 'import-report');
    await context.close();
  });

  it('the sub-navigation is the same on the agent’s skills and on the bank, its tabs on one line', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const names = async (path: string) => {
      const page = await openPage(context, suite.app.baseUrl, path);
      const nav = page.locator('nav.skills-nav');
      // The trainer's tabs come once the agent's roles are read.
      await nav.getByRole('link', { name: navText(locale, 'skills.nav.bank') }).waitFor();
      return { page, names: await nav.getByRole('link').allTextContents() };
    };
    const own = await names('/competences');
    const bank = await names('/competences/banque');
    expect(bank.names).toEqual(own.names);
    expect(bank.names).toEqual(expect.arrayContaining([navText(locale, 'skills.nav.overview'), navText(locale, 'skills.nav.bank'), navText(locale, 'skills.nav.framework')]));
    const tops = await bank.page.locator('nav.skills-nav a').evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    await context.close();
  });

  it('speaks English, and tells an agent without the role what these screens are for', async () => {
    const context = await suite.signedInContext(DEMO_AGENTS[1] as DemoAgent, { language: 'en' });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    expect(await tab.locator('main h1').textContent()).toBe(t('en', 'skillsAuthoring.bank.title'));
    expect(await tab.locator('main').textContent()).toContain(t('en', 'skillsAuthoring.noRights'));
    await expectAxeClean(tab);
    await context.close();
  });

  it('shows an agent without the role only the notice, with the way back to their skills', async () => {
    const context = await suite.signedInContext(DEMO_AGENTS[1] as DemoAgent, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const main = await tab.locator('main').textContent();
    expect(main).toContain(t(locale, 'skillsAuthoring.noRights'));
    // Not the invitation to write questions, nor the tabs of screens they cannot use.
    expect(main).not.toContain(t(locale, 'skillsAuthoring.bank.intro'));
    expect(await tab.locator('nav.skills-nav').count()).toBe(0);
    const back = tab.getByRole('link', { name: t(locale, 'skillsAuthoring.noRights.back') });
    expect(await back.getAttribute('href')).toBe('/competences');
    await expectAxeClean(tab);
    await shot(tab, 'no-rights');
    await context.close();
  });

  it('unsaved edits of a question are not lost to « Nouvelle question » or « Modifier » without a confirmation', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const editor = tab.locator('section.authoring-editor');
    const heading = editor.getByRole('heading', { level: 2 });
    const stem = editor.locator('fieldset.authoring-language').nth(0).getByLabel(t(locale, 'skillsAuthoring.editor.stem'));
    const newButton = tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') });
    const { dialog, keep, keepEdits, discard } = discardDialog(tab, locale);

    // A saved question D, then a new one being written.
    await newButton.click();
    await writeQuestion(tab, locale, 'Question D : que faire d’un écran laissé ouvert ?');
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.save') }).click();
    await editor.locator('.notice').filter({ hasText: t(locale, 'skillsAuthoring.editor.saved') }).waitFor();
    const keyD = (await heading.textContent())!.replace(/^Question /, '');
    await newButton.click();
    await heading.filter({ hasText: t(locale, 'skillsAuthoring.editor.newTitle') }).waitFor();
    await stem.fill('Un brouillon qui n’est pas encore enregistré');

    // « Nouvelle question »: asked first (was: the text silently gone).
    await newButton.click();
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(t(locale, 'skillsAuthoring.unsaved.text'));
    await expectAxeClean(tab);
    await shot(tab, 'unsaved-confirm');
    // « Continuer à modifier » keeps everything as it was.
    await keep.click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await stem.inputValue()).toBe('Un brouillon qui n’est pas encore enregistré');
    expect(await heading.textContent()).toBe(t(locale, 'skillsAuthoring.editor.newTitle'));

    // « Modifier » on D asks too; kept, then discarded: D is opened.
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.editLabel', { key: keyD }) }).click();
    await keepEdits();
    expect(await stem.inputValue()).toBe('Un brouillon qui n’est pas encore enregistré');
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.editLabel', { key: keyD }) }).click();
    await discard.click();
    await heading.filter({ hasText: keyD }).waitFor();
    expect(await stem.inputValue()).toBe('Question D : que faire d’un écran laissé ouvert ?');

    // Edited, then put back as it was saved: nothing to lose, nothing asked.
    await stem.fill('Question D modifiée');
    await stem.fill('Question D : que faire d’un écran laissé ouvert ?');
    await newButton.click();
    await heading.filter({ hasText: t(locale, 'skillsAuthoring.editor.newTitle') }).waitFor();
    expect(await dialog.isVisible()).toBe(false);

    // « Fermer l’éditeur » asks too; kept, the editor stays open with its edits.
    await stem.fill('Un brouillon à ne pas fermer');
    await editor.getByRole('button', { name: t(locale, 'skillsAuthoring.editor.close') }).click();
    await keepEdits();
    expect(await stem.inputValue()).toBe('Un brouillon à ne pas fermer');

    // Confirmed: a blank editor.
    await stem.fill('Encore un brouillon');
    await newButton.click();
    await discard.click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => stem.inputValue()).toBe('');
    expect(await heading.textContent()).toBe(t(locale, 'skillsAuthoring.editor.newTitle'));
    await context.close();
  });

  it('the confirmation is operated with the keyboard alone', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const editor = tab.locator('section.authoring-editor');
    const heading = editor.getByRole('heading', { level: 2 });
    const stem = editor.locator('fieldset.authoring-language').nth(0).getByLabel(t(locale, 'skillsAuthoring.editor.stem'));
    const newButton = tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') });
    const { dialog } = discardDialog(tab, locale);

    await newButton.focus();
    await tab.keyboard.press('Enter');
    await heading.waitFor();
    await stem.focus();
    await tab.keyboard.type('Tapé au clavier');
    await newButton.focus();
    await tab.keyboard.press('Enter');
    await dialog.waitFor();
    // Focus on the harmless choice: Enter does not discard anything.
    await expect.poll(async () => (await focused(tab)).text).toBe(t(locale, 'skillsAuthoring.unsaved.keep'));
    await expectAxeClean(tab);
    // Escape keeps the edits, and the focus goes back to « Nouvelle question ».
    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await stem.inputValue()).toBe('Tapé au clavier');
    await expect.poll(async () => (await focused(tab)).text).toBe(t(locale, 'skillsAuthoring.new'));
    // Enter on the harmless choice keeps them too.
    await tab.keyboard.press('Enter');
    await dialog.waitFor();
    await tab.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await stem.inputValue()).toBe('Tapé au clavier');
    // Tab to « Abandonner les modifications », Enter: a blank editor, its heading focused.
    await expect.poll(async () => (await focused(tab)).text).toBe(t(locale, 'skillsAuthoring.new'));
    await tab.keyboard.press('Enter');
    await dialog.waitFor();
    await tab.keyboard.press('Tab');
    expect((await focused(tab)).text).toBe(t(locale, 'skillsAuthoring.unsaved.discard'));
    await tab.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => stem.inputValue()).toBe('');
    await expect.poll(async () => (await focused(tab)).tag).toBe('H2');
    await context.close();
  });

  it('leaving the bank with unsaved edits asks first: another page of the app, Back, or closing the tab', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const editor = tab.locator('section.authoring-editor');
    const stem = editor.locator('fieldset.authoring-language').nth(0).getByLabel(t(locale, 'skillsAuthoring.editor.stem'));
    const { keepEdits, discard } = discardDialog(tab, locale);
    const frameworkTab = tab.locator('nav.skills-nav').getByRole('link', { name: navText(locale, 'skills.nav.framework') });

    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await stem.fill('À ne pas perdre en changeant de page');

    // A link of the app: asked in the page; kept, the page and its edits stay.
    await frameworkTab.click();
    await keepEdits();
    expect(new URL(tab.url()).pathname).toBe('/competences/banque');
    expect(await stem.inputValue()).toBe('À ne pas perdre en changeant de page');

    // Reloading or closing the tab: the browser asks (beforeunload); refused, the edits stay.
    const asked: string[] = [];
    tab.once('dialog', (question) => {
      asked.push(question.type());
      void question.dismiss();
    });
    await tab.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(tab.isClosed()).toBe(false);
    expect(await stem.inputValue()).toBe('À ne pas perdre en changeant de page');

    // Confirmed: the other page opens.
    await frameworkTab.click();
    await discard.click();
    await tab.waitForURL('**/competences/referentiel');
    await ready(tab);
    expect(await tab.locator('main h1').textContent()).toBe(t(locale, 'skillsAuthoring.framework.title'));

    // Back to the bank, edits again, then the browser's Back (to the framework page): asked too;
    // kept, the bank stays with its edits; confirmed, the framework page opens.
    await tab.locator('nav.skills-nav').getByRole('link', { name: navText(locale, 'skills.nav.bank') }).click();
    await tab.waitForURL('**/competences/banque');
    await ready(tab);
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await stem.fill('Et celle-ci non plus');
    await tab.goBack();
    await keepEdits();
    expect(new URL(tab.url()).pathname).toBe('/competences/banque');
    expect(await stem.inputValue()).toBe('Et celle-ci non plus');
    await tab.goBack();
    await discard.click();
    await tab.waitForURL('**/competences/referentiel');
    await ready(tab);
    expect(await tab.locator('main h1').textContent()).toBe(t(locale, 'skillsAuthoring.framework.title'));
    await context.close();
  });

  it('« Se déconnecter » with unsaved edits asks before the session ends; kept, the agent stays signed in with them', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/banque');
    await ready(tab);
    const stem = tab.locator('section.authoring-editor fieldset.authoring-language').nth(0).getByLabel(t(locale, 'skillsAuthoring.editor.stem'));
    const { dialog, keepEdits, discard } = discardDialog(tab, locale);
    const signOut = tab.locator('[data-session="signedIn"]').getByRole('button', { name: formatMessage(locale, 'auth.header.signOut') });
    const sessionStatus = () => tab.evaluate(async () => (await fetch('/api/me')).status);
    // The browser's own question (beforeunload) must not come on top of the page's.
    const browserAsked: string[] = [];
    tab.on('dialog', (question) => {
      browserAsked.push(question.type());
      void question.dismiss();
    });

    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.new') }).click();
    await stem.fill('Écrite juste avant de se déconnecter');
    // Was: the session ended at once, and only then did the browser ask about the page.
    await signOut.click();
    await keepEdits();
    expect(await sessionStatus()).toBe(200);
    expect(new URL(tab.url()).pathname).toBe('/competences/banque');
    expect(await stem.inputValue()).toBe('Écrite juste avant de se déconnecter');

    // Discarded: signed out, without a second question from the browser.
    await signOut.click();
    await dialog.waitFor();
    await discard.click();
    await tab.waitForURL((url) => url.pathname !== '/competences/banque');
    await expect.poll(async () => (await context.request.get(`${suite.app.baseUrl}/api/me`)).status()).toBe(401);
    expect(browserAsked).toEqual([]);
    await context.close();
  });

  it('unsaved edits of a target profile or a competence are not lost without a confirmation', async () => {
    const context = await suite.signedInContext(CAMILLE, { language: locale });
    const tab = await openPage(context, suite.app.baseUrl, '/competences/referentiel');
    await ready(tab);
    const { dialog, keep, keepEdits, discard } = discardDialog(tab, locale);
    const profile = tab.locator('form.authoring-profile');
    const profileName = profile.locator('fieldset.authoring-localised').getByLabel(t(locale, 'skillsAuthoring.lang.fr'));

    // A profile being written: « Annuler » asks first, and keeping it keeps the name.
    await tab.getByRole('button', { name: t(locale, 'skillsAuthoring.profiles.new') }).click();
    await profileName.fill('Profil non enregistré');
    await profile.getByRole('button', { name: t(locale, 'skillsAuthoring.profiles.cancel') }).click();
    await dialog.waitFor();
    await expectAxeClean(tab);
    await keep.click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await profileName.inputValue()).toBe('Profil non enregistré');

    // Another page of the app asks too.
    const bankTab = tab.locator('nav.skills-nav').getByRole('link', { name: navText(locale, 'skills.nav.bank') });
    await bankTab.click();
    await keepEdits();
    expect(new URL(tab.url()).pathname).toBe('/competences/referentiel');

    // Discarded: the editor closes, « Nouveau profil » is back and has the focus.
    await profile.getByRole('button', { name: t(locale, 'skillsAuthoring.profiles.cancel') }).click();
    await discard.click();
    await profile.waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(tab)).text).toBe(t(locale, 'skillsAuthoring.profiles.new'));

    // A competence being written: leaving for the bank asks first.
    const competence = tab.locator('form.authoring-form').first();
    await competence.locator('fieldset.authoring-localised').nth(0).getByLabel(t(locale, 'skillsAuthoring.lang.fr')).fill('Compétence non enregistrée');
    await bankTab.click();
    await dialog.waitFor();
    await discard.click();
    await tab.waitForURL('**/competences/banque');
    await ready(tab);
    await context.close();
  });

  it('shows a signed-out visitor only the sign-in notice, with a link that brings them back', async () => {
    const context = await suite.newContext({ language: locale });
    for (const path of ['/competences/banque', '/competences/referentiel']) {
      const tab = await openPage(context, suite.app.baseUrl, path);
      await ready(tab);
      expect(await tab.locator('[data-authoring-state]').getAttribute('data-authoring-state')).toBe('signedOut');
      const main = await tab.locator('main').textContent();
      expect(main).toContain(t(locale, 'skillsAuthoring.signedOut'));
      // Neither the tabs nor the invitation to author (was: both, above the notice).
      expect(await tab.locator('nav.skills-nav').count()).toBe(0);
      expect(main).not.toContain(t(locale, 'skillsAuthoring.bank.intro'));
      expect(main).not.toContain(t(locale, 'skillsAuthoring.framework.intro'));
      const signIn = tab.locator('main').getByRole('link', { name: t(locale, 'skillsAuthoring.signIn') });
      expect(await signIn.getAttribute('href')).toBe(`/connexion?${new URLSearchParams({ retour: path })}`);
      await expectAxeClean(tab);
      await shot(tab, `signed-out${path.replaceAll('/', '-')}`);
      await tab.close();
    }
    await context.close();
  });
});
