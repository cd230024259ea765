import type { SkillsKey } from '@entente/common/i18n/catalog/skills.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * The digital-skills pages in Chromium against the real server: a French and a Québec agent each
 * take an assessment to the end with the keyboard, get levels, a chart with its text equivalent, a
 * learning path and a certificate (a PDF); a manager sees a team's dashboard, and a small team's
 * figures withheld.
 */
type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE, , EMILIE, OLIVIER] = DEMO_AGENTS as unknown as [DemoAgent, DemoAgent, DemoAgent, DemoAgent];
const MAX_QUESTIONS = 80;

const s = (locale: Locale, key: SkillsKey, values?: MessageValues) => formatMessage(locale, key, values);

async function shot(tab: Page, name: string): Promise<void> {
  await tab.screenshot({ path: `/tmp/skills-${name}.png`, fullPage: true });
}

/** The page has loaded its data (or said why not). */
/**
 * The current URL's skills page has loaded. Matching on the path too: during a client-side
 * navigation the previous page (already « ready ») stays in the DOM while the next one renders.
 */
async function skillsReady(tab: Page): Promise<void> {
  await settled(tab);
  const page = tab.locator(`[data-skills-path=${JSON.stringify(new URL(tab.url()).pathname)}]`);
  await page.and(tab.locator('[data-skills-state="ready"], [data-skills-state="signedOut"], [data-skills-state="failed"]')).first().waitFor();
  const failed = page.and(tab.locator('[data-skills-state="failed"]'));
  if (await failed.count()) throw new Error(`the page failed to load: ${await failed.textContent()}`);
}

async function expectAxeClean(tab: Page): Promise<void> {
  expect(describeViolations(await runAxe(tab))).toEqual([]);
}

/** A download fetched by the page itself (its session cookie): status, type and the first bytes. */
async function download(tab: Page, href: string): Promise<{ status: number; type: string; head: string; text: string }> {
  return tab.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'same-origin' });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      head: String.fromCharCode(...bytes.subarray(0, 5)),
      text: new TextDecoder().decode(bytes.subarray(0, 4000)),
    };
  }, href);
}

/** The number shown in « Question n ». */
async function position(tab: Page): Promise<number> {
  const value = Number(/\d+/.exec((await tab.locator('.skills-position').textContent()) ?? '')?.[0]);
  if (!Number.isInteger(value)) throw new Error('no « Question n » on the page');
  return value;
}

/** Answers the question on screen with the keyboard only: the first option, or « test » for a short answer. */
async function answerWithKeyboard(tab: Page, locale: Locale): Promise<void> {
  const form = tab.locator('form.skills-question');
  const legend = form.locator('legend');
  await legend.focus();
  await tab.keyboard.press('Tab');
  const text = form.getByLabel(s(locale, 'skills.test.answerLabel'));
  if (await text.count()) {
    expect(await text.evaluate((element) => element === document.activeElement)).toBe(true);
    await tab.keyboard.type('test');
    await tab.keyboard.press('Enter'); // implicit submission from the one text field
    return;
  }
  const checkboxes = await form.locator('input[type="checkbox"]').count();
  await tab.keyboard.press('Space'); // the first radio or checkbox has focus
  expect(await form.locator('input:checked').count()).toBe(1);
  // A radio group is one stop for Tab; each checkbox is one.
  const stops = checkboxes > 0 ? checkboxes : 1;
  for (let index = 0; index < stops; index++) await tab.keyboard.press('Tab');
  const submit = form.getByRole('button', { name: s(locale, 'skills.test.submit') });
  expect(await submit.evaluate((element) => element === document.activeElement)).toBe(true);
  await tab.keyboard.press('Enter');
}

/** Waits until the answer has been taken: the next question, or the result page. */
async function nextStep(tab: Page, previous: number): Promise<'question' | 'result'> {
  await tab.waitForFunction(
    (before) =>
      window.location.pathname.startsWith('/competences/resultats/') ||
      Number(/\d+/.exec(document.querySelector('.skills-position')?.textContent ?? '')?.[0]) > before,
    previous,
  );
  return new URL(tab.url()).pathname.startsWith('/competences/resultats/') ? 'result' : 'question';
}

/**
 * From the overview: starts an assessment, checks the empty-answer message, « Reprendre plus
 * tard » and resuming, then answers with the keyboard until the result page shows.
 */
async function takeAssessment(tab: Page, locale: Locale, agent: string): Promise<number> {
  const start = tab.getByRole('button', { name: new RegExp(`^(${s(locale, 'skills.assessment.start')}|${s(locale, 'skills.assessment.restart')})$`) });
  await start.click();
  await tab.waitForURL('**/competences/evaluation/**');
  await skillsReady(tab);
  await tab.locator('form.skills-question legend').waitFor();
  expect(await position(tab)).toBe(1);
  expect(await tab.locator('progress').count()).toBe(1);
  expect(await tab.locator('main').textContent()).toContain(s(locale, 'skills.test.noTimer'));
  await expectAxeClean(tab);
  await shot(tab, `${agent}-question`);

  // Submitting nothing: a message next to the field, and still question 1.
  await tab.getByRole('button', { name: s(locale, 'skills.test.submit') }).click();
  const error = tab.locator('.skills-field-error');
  await error.waitFor();
  expect([
    s(locale, 'skills.test.required.single'),
    s(locale, 'skills.test.required.multiple'),
    s(locale, 'skills.test.required.text'),
  ]).toContain((await error.textContent())?.replace(/^⚠\s*/, '').trim());
  const errorId = await error.getAttribute('id');
  expect(await tab.locator(`[aria-describedby~="${errorId}"]`).count()).toBeGreaterThan(0);
  expect(await position(tab)).toBe(1);
  await expectAxeClean(tab);
  await shot(tab, `${agent}-question-error`);

  // The first answer; focus then moves to the next question's stem, and the change is announced.
  await answerWithKeyboard(tab, locale);
  let step = await nextStep(tab, 1);
  expect(step).toBe('question');
  expect(await position(tab)).toBe(2);
  expect(await tab.evaluate(() => document.activeElement?.tagName)).toBe('LEGEND');
  expect(await tab.getByRole('main').locator('[aria-live="polite"]').textContent()).toBe(s(locale, 'skills.test.newQuestion', { n: 2 }));

  // « Reprendre plus tard », then resume from the overview: the same question comes back.
  const stem = await tab.locator('form.skills-question legend').textContent();
  await tab.getByRole('link', { name: s(locale, 'skills.test.later') }).click();
  await tab.waitForURL('**/competences');
  await skillsReady(tab);
  expect(await tab.locator('main').textContent()).toContain(s(locale, 'skills.assessment.inProgress', { count: 1 }));
  await tab.getByRole('link', { name: s(locale, 'skills.assessment.resume') }).click();
  await tab.waitForURL('**/competences/evaluation/**');
  await skillsReady(tab);
  await tab.locator('form.skills-question legend').waitFor();
  expect(await position(tab)).toBe(2);
  expect(await tab.locator('form.skills-question legend').textContent()).toBe(stem);

  // The same question answered meanwhile in another tab: this tab's answer is refused (409), and
  // the page says so and shows the question now pending, not a failure.
  const other = await tab.context().newPage();
  await other.goto(tab.url());
  await skillsReady(other);
  await other.locator('form.skills-question legend').waitFor();
  await answerWithKeyboard(other, locale);
  expect(await nextStep(other, 2)).toBe('question');
  await other.close();
  await answerWithKeyboard(tab, locale);
  await tab.getByRole('main').getByRole('alert').filter({ hasText: s(locale, 'skills.test.changed') }).waitFor();
  expect(await position(tab)).toBe(3);
  expect(await tab.locator('form.skills-question legend').textContent()).not.toBe(stem);

  let answered = 2;
  for (;;) {
    const current = await position(tab);
    await answerWithKeyboard(tab, locale);
    answered++;
    step = await nextStep(tab, current);
    if (step === 'result') break;
    if (answered > MAX_QUESTIONS) throw new Error(`still no result after ${MAX_QUESTIONS} answers`);
  }
  return answered;
}

/** The result page: levels, the chart and its text equivalent, the review, the certificate (a PDF). */
async function checkResult(tab: Page, locale: Locale, agent: string, answered: number): Promise<void> {
  await skillsReady(tab);
  expect(await tab.locator('main h1').textContent()).toBe(s(locale, 'skills.result.title'));
  const main = tab.getByRole('main');
  expect(await main.locator('.skills-overall').textContent()).toMatch(new RegExp(`^${s(locale, 'skills.result.overall', { level: 'X' }).replace('X', '')}[1-8]`));
  const chart = main.locator('figure.skills-chart');
  expect(await chart.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/\d/);
  expect(await chart.locator('figcaption').textContent()).toContain(s(locale, 'skills.chart.title'));
  const table = main.getByRole('table', { name: s(locale, 'skills.chart.tableCaption') });
  const areaRows = await table.locator('tbody tr').count();
  expect(areaRows).toBeGreaterThanOrEqual(1);
  expect(await table.locator('tbody tr').first().locator('td').textContent()).toMatch(/\d|non mesuré|not measured/);
  expect(await main.getByRole('table', { name: s(locale, 'skills.result.competencesCaption') }).locator('tbody tr').count()).toBeGreaterThanOrEqual(1);

  // The review: one entry per answer, right or wrong said in words.
  await main.locator('.skills-review-item').first().waitFor();
  const entries = main.locator('.skills-review-item');
  expect(await entries.count()).toBe(answered);
  const verdicts = await entries.locator('.skills-verdict').allTextContents();
  for (const verdict of verdicts) {
    expect([s(locale, 'skills.review.correct'), s(locale, 'skills.review.wrong')]).toContain(verdict.replace(/^[✓✗]\s*/, ''));
  }

  const certificate = main.getByRole('link', { name: s(locale, 'skills.certificate.download') });
  const href = await certificate.getAttribute('href');
  expect(href).toMatch(/^\/api\/skills\/certificates\/[^?]+\?lang=/);
  const pdf = await download(tab, href ?? '');
  expect(pdf.status).toBe(200);
  expect(pdf.type).toMatch(/^application\/pdf/);
  expect(pdf.head).toBe('%PDF-');
  await expectAxeClean(tab);
  await shot(tab, `${agent}-result`);
}

/** The overview after a completed test: latest result, chart, learning path (status saved), certificate. */
async function checkOverview(tab: Page, locale: Locale, agent: string): Promise<void> {
  await tab.goto(new URL('/competences', tab.url()).href);
  await skillsReady(tab);
  const main = tab.getByRole('main');
  expect(await main.locator('.skills-overall').textContent()).toMatch(/[1-8]/);
  expect(await main.getByRole('table', { name: s(locale, 'skills.chart.tableCaption') }).locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
  expect(await main.getByRole('link', { name: s(locale, 'skills.certificate.download') }).getAttribute('href')).toMatch(/^\/api\/skills\/certificates\//);
  expect(await main.getByRole('table', { name: s(locale, 'skills.history.caption') }).locator('tbody tr').count()).toBeGreaterThanOrEqual(1);

  const resources = main.locator('.skills-resource');
  expect(await resources.count()).toBeGreaterThanOrEqual(1);
  const first = resources.first();
  const link = first.locator('h3 a');
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
  const title = ((await link.textContent()) ?? '').trim();
  const status = first.getByLabel(s(locale, 'skills.path.status', { title }));
  await status.selectOption('in_progress');
  await expect
    .poll(() => main.locator('section[aria-labelledby="skills-path"] [role="status"]').textContent())
    .toBe(s(locale, 'skills.path.saved', { title, status: s(locale, 'skills.path.status.in_progress') }));
  await tab.reload();
  await skillsReady(tab);
  expect(await tab.getByRole('main').locator('.skills-resource').first().locator('select').inputValue()).toBe('in_progress');

  // Another target profile, saved: the gaps are now measured against it.
  const profile = tab.getByRole('main').getByRole('combobox', { name: s(locale, 'skills.profile.label'), exact: true });
  const current = await profile.inputValue();
  const other = await profile
    .locator('option')
    .evaluateAll((options, value) => options.map((option) => (option as HTMLOptionElement).value).find((id) => id !== value), current);
  expect(other, 'a single target profile to choose from').toBeTruthy();
  await profile.selectOption(other ?? '');
  // The profile as the list names it (with its role when the name does not say it): the same name everywhere after.
  const name = (await profile.locator('option:checked').textContent()) ?? '';
  const save = tab.getByRole('main').getByRole('button', { name: s(locale, 'skills.profile.save') });
  await save.click();
  await expect
    .poll(() => tab.getByRole('main').locator('section[aria-labelledby="skills-profile"] [role="status"]').textContent())
    .toBe(s(locale, 'skills.profile.saved', { name }));
  // The button keeps the focus while saving and after (it used to be disabled, dropping focus to the page).
  expect(await save.evaluate((button) => button === document.activeElement)).toBe(true);
  await tab.reload();
  await skillsReady(tab);
  expect(await tab.getByRole('main').getByRole('combobox', { name: s(locale, 'skills.profile.label'), exact: true }).inputValue()).toBe(other);
  const measured = await tab.getByRole('main').locator('section[aria-labelledby="skills-gaps"], section[aria-labelledby="skills-strengths"]').allTextContents();
  expect(measured.join(' ')).toContain(`« ${name} »`);
  await expectAxeClean(tab);
  await shot(tab, `${agent}-overview`);
}

describeInBrowser('digital skills', () => {
  const suite = browserSuite();

  describe('an agent takes an assessment to the end', () => {
    it.each([
      { agent: CAMILLE, locale: 'fr-FR' as Locale, name: 'camille' },
      { agent: EMILIE, locale: 'fr-CA' as Locale, name: 'emilie' },
    ])('$name ($locale): test by keyboard, levels, chart, review, learning path and certificate', async ({ agent, locale, name }) => {
      const context = await suite.signedInContext(agent, { language: locale, locale });
      try {
        // The skills domain's page leads to the real pages.
        const area = await openPage(context, suite.app.baseUrl, '/domaines/competences');
        await area.getByRole('link', { name: s(locale, 'skills.area.open') }).click();
        await area.waitForURL('**/competences');
        await skillsReady(area);
        expect(await area.locator('main h1').textContent()).toBe(s(locale, 'skills.overview.title'));
        expect(await area.locator('main').textContent()).toContain(s(locale, 'skills.assessment.about3'));
        await expectAxeClean(area);
        await shot(area, `${name}-start`);

        const answered = await takeAssessment(area, locale, name);
        expect(answered).toBeGreaterThanOrEqual(2);
        await checkResult(area, locale, name, answered);
        await checkOverview(area, locale, name);
        if (locale !== 'en') {
          // « Attestation », the administrative word, in both French variants (as in the PDF's title).
          expect(await area.getByRole('main').textContent()).toContain('Télécharger l’attestation (PDF)');
        }
      } finally {
        await context.close();
      }
    });
  });

  it('an agent abandons a test: asked to confirm, then told once with focus on the notice, with the way back', async () => {
    const context = await suite.signedInContext(OLIVIER, { language: 'en', locale: 'en' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/competences');
      await skillsReady(tab);
      await tab.getByRole('button', { name: s('en', 'skills.assessment.start') }).click();
      await tab.waitForURL('**/competences/evaluation/**');
      await tab.locator('form.skills-question legend').waitFor();
      await tab.getByRole('button', { name: s('en', 'skills.test.abandon') }).click();
      const dialog = tab.getByRole('dialog', { name: s('en', 'skills.test.abandonTitle') });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: s('en', 'skills.test.abandon') }).click();
      await tab.getByRole('link', { name: s('en', 'skills.test.back') }).waitFor();
      const main = (await tab.getByRole('main').textContent()) ?? '';
      expect(main.split(s('en', 'skills.test.abandoned')).length - 1).toBe(1);
      // The dialog and its button are gone: focus is on the notice (read at once), not lost on the page.
      await tab.waitForFunction((text) => document.activeElement?.textContent === text, s('en', 'skills.test.abandoned'));
      expect(await tab.getByRole('main').locator('[aria-live="polite"]').textContent()).toBe('');
      expect(await tab.locator('form.skills-question').count()).toBe(0);
      await expectAxeClean(tab);
      // Opened later, the page says it too (no live region then), once.
      await tab.reload();
      await skillsReady(tab);
      await tab.getByRole('link', { name: s('en', 'skills.test.back') }).waitFor();
      expect(((await tab.getByRole('main').textContent()) ?? '').split(s('en', 'skills.test.abandoned')).length - 1).toBe(1);
      // An address with a mangled id: « not found », as for an id that does not exist — not « invalid data ».
      for (const path of ['/competences/resultats/not-a-uuid', '/competences/evaluation/not-a-uuid']) {
        await tab.goto(`${suite.app.baseUrl}${path}`);
        const alert = tab.getByRole('main').getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent(), path).toContain('This resource does not exist or you do not have access to it.');
        expect(await alert.textContent(), path).not.toContain('Invalid');
      }
    } finally {
      await context.close();
    }
  });

  it('a signed-out visitor is offered to sign in and come back (in English too)', async () => {
    const context = await suite.newContext({ language: 'en', locale: 'en' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/competences');
      await skillsReady(tab);
      expect(await tab.locator('main h1').textContent()).toBe(s('en', 'skills.overview.title'));
      expect(await tab.locator('main').textContent()).toContain(s('en', 'skills.signedOut'));
      expect(await tab.getByRole('main').getByRole('link', { name: s('en', 'skills.signIn') }).getAttribute('href')).toBe(
        '/connexion?retour=%2Fcompetences',
      );
      await expectAxeClean(tab);
    } finally {
      await context.close();
    }
  });

  describe('a manager', () => {
    it('Camille sees a team dashboard with figures, the CSV export, and a small team withheld', async () => {
      const locale: Locale = 'fr-FR';
      const context = await suite.signedInContext(CAMILLE, { language: locale });
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/competences/equipes');
        await skillsReady(tab);
        const teamLinks = tab.getByRole('main').getByRole('list', { name: s(locale, 'skills.teams.listLabel') }).getByRole('link');
        const count = await teamLinks.count();
        expect(count, 'Camille manages no team in the demo data').toBeGreaterThanOrEqual(1);
        await expectAxeClean(tab);
        await shot(tab, 'teams');
        const hrefs = await teamLinks.evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));

        let shown = false;
        let withheld = false;
        for (const href of hrefs) {
          await tab.goto(new URL(href, suite.app.baseUrl).href);
          await skillsReady(tab);
          const main = tab.getByRole('main');
          if (await main.locator('[data-withheld="true"]').count()) {
            withheld = true;
            // Never a figure: no chart, no table, no export.
            expect(await main.locator('table').count()).toBe(0);
            expect(await main.locator('svg[role="img"]').count()).toBe(0);
            expect(await main.getByRole('link', { name: s(locale, 'skills.team.csv') }).count()).toBe(0);
            await expectAxeClean(tab);
            await shot(tab, 'team-withheld');
            continue;
          }
          shown = true;
          const table = main.getByRole('table', { name: /Niveau moyen par compétence/ });
          expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
          expect(await table.textContent()).toMatch(/\d+(,\d)?\u00a0sur\u00a08/);
          // On a phone the table scrolls in its box: the box takes the keyboard, is named by the
          // caption, and the caption stays on the screen while the table scrolls under it.
          const wide = tab.viewportSize();
          await tab.setViewportSize({ width: 375, height: 800 });
          const box = main.getByRole('region', { name: /Niveau moyen par compétence/ });
          expect(await box.getAttribute('tabindex')).toBe('0');
          const place = () =>
            box.evaluate((element) => {
              const caption = (element.querySelector('caption') as HTMLElement).getBoundingClientRect();
              return { scrolls: element.scrollWidth > element.clientWidth, left: caption.left, right: caption.right, screen: window.innerWidth };
            });
          const before = await place();
          expect(before.scrolls).toBe(true);
          expect(before.right).toBeLessThanOrEqual(before.screen);
          await box.focus();
          await tab.keyboard.press('End');
          await tab.keyboard.press('ArrowRight');
          await expect.poll(() => box.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
          const after = await place();
          expect([after.left, after.right]).toEqual([before.left, before.right]);
          await expectAxeClean(tab);
          await shot(tab, 'team-375');
          if (wide) await tab.setViewportSize(wide);
          expect(await main.getByRole('table', { name: s(locale, 'skills.chart.tableCaption') }).locator('tbody tr').count()).toBeGreaterThanOrEqual(1);

          // Another target profile: the comparison follows, in the address too.
          const select = main.getByLabel(s(locale, 'skills.team.profileLabel'));
          const options = await select.locator('option').evaluateAll((list) => list.map((option) => (option as HTMLOptionElement).value));
          const current = await select.inputValue();
          const other = options.find((option) => option !== current);
          if (other) {
            await select.selectOption(other);
            await main.getByRole('button', { name: s(locale, 'skills.team.profileApply') }).click();
            await tab.waitForURL(`**?profil=${encodeURIComponent(other)}`);
            await skillsReady(tab);
            expect(await tab.getByRole('main').getByLabel(s(locale, 'skills.team.profileLabel')).inputValue()).toBe(other);
          }

          const csvHref = await tab.getByRole('main').getByRole('link', { name: s(locale, 'skills.team.csv') }).getAttribute('href');
          const csv = await download(tab, csvHref ?? '');
          expect(csv.status).toBe(200);
          expect(csv.type).toMatch(/^text\/csv/);
          expect(csv.text.trim().split('\n').length).toBeGreaterThan(1);
          await expectAxeClean(tab);
          await shot(tab, 'team-dashboard');
        }
        expect(shown, 'no team of Camille has enough assessed members to show figures').toBe(true);
        expect(withheld, 'no team of Camille is small enough to be withheld').toBe(true);
      } finally {
        await context.close();
      }
    });
  });
});
