import type { AccountKey } from '@entente/common/i18n/catalog/account.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { text } from './support/pages.ts';
import { browserSuite } from './support/suite.ts';

/** The agent's account pages (profile, sessions, tokens) against the real server and demo federations. */

const a = (locale: Locale, key: AccountKey, values?: MessageValues) => formatMessage(locale, key, values);
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE, HUGO, EMILIE, OLIVIER] = DEMO_AGENTS as unknown as [DemoAgent, DemoAgent, DemoAgent, DemoAgent];

/** The account page has loaded its data (or said that nobody is signed in). */
async function accountReady(tab: Page): Promise<void> {
  await settled(tab);
  await tab.locator('[data-account-state="ready"], [data-account-state="signedOut"]').waitFor();
}

/** The value shown beside a term of a description list (« Niveau de garantie » → « faible … »). */
async function fact(tab: Page, term: string): Promise<string> {
  const dd = tab.locator('main dl > div').filter({ has: tab.locator('dt', { hasText: term }) }).locator('dd');
  return ((await dd.textContent()) ?? '').trim();
}

async function shot(tab: Page, name: string): Promise<void> {
  await tab.screenshot({ path: `/tmp/account-${name}.png`, fullPage: true });
}

describeInBrowser('the agent’s account pages', () => {
  const suite = browserSuite();

  /** Types the agent's work email on the sign-in page, then picks them on the demo provider's page. */
  async function signInByEmail(tab: Page, agent: DemoAgent, options: { secondFactor?: boolean } = {}) {
    await tab.getByLabel(/Adresse (e-mail|courriel) professionnelle|Work email address/).fill(agent.email);
    await tab.getByRole('button', { name: /^(Continuer|Continue)$/ }).click();
    await tab.waitForURL(`**/demo/idp/${agent.jurisdiction.toLowerCase()}/interaction/**`);
    await tab.getByLabel(`${agent.givenName} ${agent.familyName}`).check();
    if (options.secondFactor) await tab.getByLabel(/second facteur|second factor/).check();
    await tab.getByRole('button', { name: /^(Se connecter|Sign in)$/ }).click();
  }

  describe('profile', () => {
    it('a French agent signs in by email from the profile page and sees France, their organisation and level « faible »', async () => {
      const context = await suite.newContext();
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/profil');
        await accountReady(tab);
        expect(await tab.locator('main h1').textContent()).toBe('Mon profil');
        const signIn = tab.getByRole('main').getByRole('link', { name: 'Se connecter' });
        expect(await signIn.getAttribute('href')).toBe('/connexion?retour=%2Fprofil');
        expect(describeViolations(await runAxe(tab))).toEqual([]);
        await shot(tab, 'signed-out-fr-FR');

        await signIn.click();
        await tab.waitForURL('**/connexion?retour=%2Fprofil');
        await signInByEmail(tab, CAMILLE);
        await tab.waitForURL(`${suite.app.baseUrl}/profil`);
        await accountReady(tab);

        const main = tab.getByRole('main');
        expect(await fact(tab, 'Nom')).toBe('Camille Martin');
        expect(await fact(tab, 'Adresse e-mail')).toBe(CAMILLE.email);
        expect(await fact(tab, 'Juridiction')).toBe('France');
        const organisations = main.getByRole('region', { name: 'Organisations' });
        expect(await organisations.textContent()).toContain(`${DEMO_ORGANISATIONS[0].name} (France)`);
        expect(await organisations.textContent()).toContain('Rôles : membre, administration de l’organisation');
        expect(await organisations.textContent()).toContain('Rôles sur la plateforme : opérateur de la plateforme');
        expect(await fact(tab, 'Fédération d’identité')).toBe('ProConnect (démo)');
        expect(await fact(tab, 'Niveau de garantie (eIDAS)')).toContain('faible');
        // The header links to the profile once signed in.
        expect(await tab.locator('[data-session="signedIn"]').getByRole('link', { name: 'Mon profil' }).getAttribute('href')).toBe(
          '/profil',
        );
        expect(describeViolations(await runAxe(tab))).toEqual([]);
        await shot(tab, 'profile-fr-FR');

        // Step-up: the page offers to reach « substantiel »; the federation asks for the second
        // factor and brings the agent back to the profile with a stronger session.
        const stepUp = main.getByRole('link', { name: a('fr-FR', 'account.profile.stepUp') });
        expect(await stepUp.getAttribute('href')).toBe('/auth/login?upstream=demo-fr&level=substantial&returnTo=%2Fprofil');
        await stepUp.click();
        await tab.waitForURL('**/demo/idp/fr/interaction/**');
        expect(await tab.locator('#second-factor-required').count()).toBe(1);
        expect(await tab.getByLabel(/second facteur/).isChecked()).toBe(true);
        await tab.getByRole('button', { name: 'Se connecter' }).click();
        await tab.waitForURL(`${suite.app.baseUrl}/profil`);
        await accountReady(tab);
        expect(await fact(tab, 'Niveau de garantie (eIDAS)')).toContain('substantiel');
        expect(await main.getByRole('link', { name: a('fr-FR', 'account.profile.stepUp') }).count()).toBe(0);
      } finally {
        await context.close();
      }
    });

    it('a Québec agent signs in by email with the second factor: level « substantiel », Québec wording (courriel)', async () => {
      // A browser of France that never chose a language: the Québec wording comes from Émilie's
      // profile (fr-CA), applied once she is signed in.
      const context = await suite.newContext();
      try {
        const tab = await openPage(context, suite.app.baseUrl, `/connexion?retour=${encodeURIComponent('/profil')}`);
        expect(await tab.locator('html').getAttribute('lang')).toBe('fr-FR');
        await signInByEmail(tab, EMILIE, { secondFactor: true });
        await tab.waitForURL(`${suite.app.baseUrl}/profil`);
        await accountReady(tab);
        await expect.poll(() => tab.locator('html').getAttribute('lang')).toBe('fr-CA');
        expect(await fact(tab, 'Courriel')).toBe(EMILIE.email);
        expect(await fact(tab, 'Juridiction')).toBe('Québec');
        expect(await fact(tab, 'Fédération d’identité')).toBe('Authentification gouvernementale du Québec (démo)');
        expect(await fact(tab, 'Niveau de garantie (eIDAS)')).toContain('substantiel');
        expect(await tab.getByRole('main').textContent()).toContain(`${DEMO_ORGANISATIONS[2].name} (Québec)`);
        expect(describeViolations(await runAxe(tab))).toEqual([]);
        await shot(tab, 'profile-fr-CA');
      } finally {
        await context.close();
      }
    });

    it('applies the profile’s language when the agent never chose one in this browser, not when they did', async () => {
      // Olivier prefers English; this browser has never chosen a language.
      const fresh = await suite.newContext();
      try {
        const tab = await openPage(fresh, suite.app.baseUrl, '/connexion?retour=%2Fprofil');
        await signInByEmail(tab, OLIVIER);
        await tab.waitForURL(`${suite.app.baseUrl}/profil`);
        await expect.poll(() => tab.locator('main h1').textContent()).toBe('My profile');
        expect(await tab.locator('html').getAttribute('lang')).toBe('en');
      } finally {
        await fresh.close();
      }
      // The same agent in a browser where French was chosen keeps French.
      const chosen = await suite.signedInContext(OLIVIER, { language: 'fr-FR' });
      try {
        const tab = await openPage(chosen, suite.app.baseUrl, '/profil');
        await accountReady(tab);
        await tab.waitForTimeout(300); // time enough for a wrong switch to show
        expect(await tab.locator('main h1').textContent()).toBe('Mon profil');
      } finally {
        await chosen.close();
      }
    });
  });

  describe('sessions', () => {
    it('lists two sessions with browser, system and IP; ending the other one signs that browser out', async () => {
      const here = await suite.newContext();
      const there = await suite.newContext({ userAgent: FIREFOX_ON_WINDOWS });
      try {
        const tabThere = await openPage(there, suite.app.baseUrl, '/connexion?retour=%2Fprofil');
        await signInByEmail(tabThere, HUGO);
        await tabThere.waitForURL(`${suite.app.baseUrl}/profil`);
        await accountReady(tabThere);
        expect(await fact(tabThere, 'Nom')).toBe('Hugo Bernard');

        const tabHere = await openPage(here, suite.app.baseUrl, '/connexion?retour=%2Fprofil%2Fsessions');
        await signInByEmail(tabHere, HUGO);
        await tabHere.waitForURL(`${suite.app.baseUrl}/profil/sessions`);
        await accountReady(tabHere);
        expect(await tabHere.locator('main h1').textContent()).toBe('Mes sessions');
        const cards = tabHere.locator('.account-card');
        expect(await cards.count()).toBe(2);
        const current = tabHere.locator('.account-card[data-current="true"]');
        const other = tabHere.locator('.account-card[data-current="false"]');
        expect(await current.locator('h3').textContent()).toBe('Chrome sur Linux Cette session');
        expect(await other.locator('h3').textContent()).toBe('Firefox sur Windows');
        expect(await other.textContent()).toMatch(/Adresse IP\s*(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)/);
        // Dates in French words, from Intl (« 28 novembre 2026 à 22:41 »).
        const month = new Intl.DateTimeFormat('fr-FR', { month: 'long' }).format(new Date());
        expect(await other.textContent()).toContain(month);
        expect(describeViolations(await runAxe(tabHere))).toEqual([]);
        await shot(tabHere, 'sessions-fr-FR');

        await other.getByRole('button', { name: 'Terminer cette session' }).click();
        await expect.poll(() => tabHere.getByRole('status').first().textContent()).toBe('Session terminée : Firefox sur Windows.');
        expect(await cards.count()).toBe(1);
        expect(await tabHere.evaluate(() => document.activeElement?.tagName)).toBe('H2');

        // The other browser is signed out: its next page load finds no session.
        await tabThere.reload();
        await accountReady(tabThere);
        expect(await tabThere.locator('[data-session]').getAttribute('data-session')).toBe('signedOut');
        expect(await tabThere.getByRole('main').getByRole('link', { name: 'Se connecter' }).count()).toBe(1);

        // Ending this session asks first (focus on « Annuler », Escape closes), then signs out
        // through the federation's logout.
        const signOut = current.getByRole('button', { name: 'Me déconnecter' });
        await signOut.click();
        const dialog = tabHere.getByRole('dialog', { name: a('fr-FR', 'account.sessions.confirmCurrent.title') });
        await dialog.waitFor();
        expect(await tabHere.evaluate(() => document.activeElement?.textContent)).toBe('Annuler');
        expect(describeViolations(await runAxe(tabHere))).toEqual([]);
        await shot(tabHere, 'sessions-confirm-fr-FR');
        await tabHere.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        expect(await tabHere.evaluate(() => document.activeElement?.textContent)).toBe('Me déconnecter');
        await signOut.click();
        await dialog.getByRole('button', { name: 'Me déconnecter' }).click();
        await tabHere.waitForURL('**/demo/idp/fr/**');
        await tabHere.getByRole('button', { name: text('fr-FR', 'ui.demoIdp.logout.yes') }).click();
        await tabHere.waitForURL(`${suite.app.baseUrl}/`);
        await settled(tabHere);
        expect(await tabHere.locator('[data-session]').getAttribute('data-session')).toBe('signedOut');
        const cookies = (await here.cookies(suite.app.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
        expect((await fetch(`${suite.app.baseUrl}/api/me`, { headers: { cookie: cookies } })).status).toBe(401);
      } finally {
        await here.close();
        await there.close();
      }
    });
  });

  describe('access tokens', () => {
    it('creates a token shown once, which authenticates the API until it is revoked', async () => {
      const context = await suite.signedInContext(CAMILLE);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.app.baseUrl });
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/profil/jetons');
        await accountReady(tab);
        expect(await tab.locator('main h1').textContent()).toBe('Jetons d’accès');
        expect(await tab.getByRole('main').textContent()).toContain('Aucun jeton pour l’instant.');

        // Checked in the page's language before anything is sent.
        await tab.getByLabel('Lecture de l’API').uncheck();
        await tab.getByRole('button', { name: 'Créer le jeton' }).click();
        const label = tab.getByRole('textbox', { name: 'Nom du jeton' });
        expect(await label.getAttribute('aria-invalid')).toBe('true');
        expect(await tab.getByRole('main').textContent()).toContain('Donnez un nom au jeton.');
        expect(await tab.getByRole('main').textContent()).toContain('Choisissez au moins une portée.');
        expect(await tab.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('label');
        expect(describeViolations(await runAxe(tab))).toEqual([]);

        await label.fill('Script de suivi');
        await tab.getByLabel('Lecture de l’API').check();
        await tab.getByLabel('7 jours').check();
        await tab.getByRole('button', { name: 'Créer le jeton' }).click();
        const created = tab.getByRole('region', { name: 'Votre nouveau jeton' });
        await created.waitFor();
        expect(await created.textContent()).toContain('vous ne pourrez plus le voir');
        const token = await created.getByRole('textbox', { name: 'Jeton « Script de suivi »' }).inputValue();
        expect(token).toMatch(/^ent_pat_[A-Za-z0-9_-]{43}$/);
        expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Votre nouveau jeton');
        await created.getByRole('button', { name: 'Copier le jeton' }).click();
        await expect.poll(() => created.getByRole('status').textContent()).toBe('Jeton copié dans le presse-papiers.');
        expect(await tab.evaluate(() => navigator.clipboard.readText())).toBe(token);
        expect(describeViolations(await runAxe(tab))).toEqual([]);
        await shot(tab, 'tokens-created-fr-FR');

        // The token works as a Bearer token on the REST API.
        const me = await fetch(`${suite.app.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { principalId: string }).principalId).toBe(CAMILLE.id);

        // Listed with its prefix, never again in full.
        const row = tab.getByRole('row', { name: /Script de suivi/ });
        expect(await row.textContent()).toContain(`${token.slice(0, 12)}…`);
        expect(await row.textContent()).toContain('Lecture de l’API');
        await created.getByRole('button', { name: 'J’ai copié le jeton' }).click();
        expect(await created.count()).toBe(0);
        await tab.reload();
        await accountReady(tab);
        expect(await tab.content()).not.toContain(token);

        // Revoked after a confirmation; then the API refuses it.
        await tab.getByRole('button', { name: 'Révoquer le jeton « Script de suivi »' }).click();
        const dialog = tab.getByRole('dialog', { name: 'Révoquer ce jeton ?' });
        await dialog.waitFor();
        expect(await dialog.textContent()).toContain('« Script de suivi »');
        await shot(tab, 'tokens-revoke-fr-FR');
        await dialog.getByRole('button', { name: 'Révoquer' }).click();
        await expect.poll(() => tab.getByRole('status').first().textContent()).toBe('Jeton « Script de suivi » révoqué.');
        expect(await tab.getByRole('row', { name: /Script de suivi/ }).textContent()).toContain('Révoqué le');
        expect((await fetch(`${suite.app.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

        // A name at the field's limit, unbroken, wraps in its column: « Révoquer » stays on the screen
        // (it sat at x = 1841 in a 1280-pixel window, behind a sideways scroll).
        const long = 'T'.repeat(100);
        await tab.getByRole('textbox', { name: 'Nom du jeton' }).fill(long);
        await tab.getByRole('button', { name: 'Créer le jeton' }).click();
        await tab.getByRole('region', { name: 'Votre nouveau jeton' }).getByRole('button', { name: 'J’ai copié le jeton' }).click();
        const revoke = tab.getByRole('button', { name: `Révoquer le jeton « ${long} »` });
        await revoke.waitFor();
        const box = await revoke.boundingBox();
        expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(tab.viewportSize()?.width ?? 1280);

        // Revoked while still shown: its secret goes from the page (it stayed there, with « Copier »).
        await tab.getByRole('textbox', { name: 'Nom du jeton' }).fill('Jeton éphémère');
        await tab.getByRole('button', { name: 'Créer le jeton' }).click();
        const shown = tab.getByRole('region', { name: 'Votre nouveau jeton' });
        const secret = await shown.getByRole('textbox', { name: 'Jeton « Jeton éphémère »' }).inputValue();
        await tab.getByRole('button', { name: 'Révoquer le jeton « Jeton éphémère »' }).click();
        await tab.getByRole('dialog', { name: 'Révoquer ce jeton ?' }).getByRole('button', { name: 'Révoquer' }).click();
        await expect.poll(() => tab.getByRole('status').first().textContent()).toBe('Jeton « Jeton éphémère » révoqué.');
        expect(await shown.count()).toBe(0);
        expect(await tab.content()).not.toContain(secret);
      } finally {
        await context.close();
      }
    });

    it('shows the server’s problem in the page’s language (too many live tokens)', async () => {
      const session = await suite.app.signIn(OLIVIER);
      for (let i = 0; i < 50; i++) {
        const response = await fetch(`${suite.app.baseUrl}/api/me/tokens`, {
          method: 'POST',
          headers: { ...session.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ label: `t${i}`, scopes: ['api:read'], expiresInDays: 1 }),
        });
        expect(response.status).toBe(201);
      }
      const [name = '', value = ''] = session.cookie.split('=');
      const context = await suite.newContext({ language: 'en' });
      await context.addCookies([{ name, value, url: suite.app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/profil/jetons');
        await accountReady(tab);
        await tab.getByRole('textbox', { name: 'Token name' }).fill('one too many');
        await tab.getByRole('button', { name: 'Create the token' }).click();
        const alert = tab.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toContain(formatMessage('en', 'errors.conflict.title'));
      } finally {
        await context.close();
      }
    });
  });

  describe('accessibility', () => {
    for (const locale of ['fr-FR', 'en'] as const) {
      it(`the three account pages are localised and free of axe-core violations in ${locale}`, async () => {
        const context = await suite.signedInContext(EMILIE, { language: locale });
        try {
          const tab = await context.newPage();
          for (const [path, title, name] of [
            ['/profil', 'account.profile.title', 'profile'],
            ['/profil/sessions', 'account.sessions.title', 'sessions'],
            ['/profil/jetons', 'account.tokens.title', 'tokens'],
          ] as const) {
            await tab.goto(new URL(path, suite.app.baseUrl).href);
            await accountReady(tab);
            expect(await tab.locator('html').getAttribute('lang')).toBe(locale);
            expect(await tab.locator('main h1').textContent()).toBe(a(locale, title));
            expect(await tab.locator('main h1').count()).toBe(1);
            expect(await tab.title()).toBe(text(locale, 'ui.title.template', { page: a(locale, title) }));
            const nav = tab.getByRole('navigation', { name: a(locale, 'account.nav.label') });
            expect(await nav.getByRole('link', { name: a(locale, title) }).getAttribute('aria-current')).toBe('page');
            expect(describeViolations(await runAxe(tab)), path).toEqual([]);
            if (locale === 'en') await shot(tab, `${name}-en`);
          }
        } finally {
          await context.close();
        }
      });
    }

    it('the account pages fit a small screen (no sideways scrolling of the page)', async () => {
      const session = await suite.app.signIn(CAMILLE);
      const [name = '', value = ''] = session.cookie.split('=');
      const context = await suite.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
      await context.addCookies([{ name, value, url: suite.app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
      const made = await fetch(`${suite.app.baseUrl}/api/me/tokens`, {
        method: 'POST',
        headers: { ...session.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'Un jeton au nom assez long pour le test', scopes: ['api:read', 'ai'], expiresInDays: 30 }),
      });
      expect(made.status).toBe(201);
      try {
        const tab = await context.newPage();
        for (const path of ['/profil', '/profil/sessions', '/profil/jetons']) {
          await tab.goto(new URL(path, suite.app.baseUrl).href);
          await accountReady(tab);
          const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
          if (path === '/profil/jetons') {
            expect(await tab.getByRole('row', { name: /Un jeton au nom assez long/ }).count()).toBe(1);
            await shot(tab, 'tokens-mobile-fr-FR');
            expect(describeViolations(await runAxe(tab))).toEqual([]);
          }
        }
      } finally {
        await context.close();
      }
    });

    it('the token form is usable with the keyboard alone', async () => {
      const context = await suite.signedInContext(CAMILLE, { language: 'en' });
      try {
        const tab = await openPage(context, suite.app.baseUrl, '/profil/jetons');
        await accountReady(tab);
        await tab.getByRole('textbox', { name: 'Token name' }).focus();
        await tab.keyboard.type('Keyboard only');
        await tab.keyboard.press('Tab'); // API read (checked)
        await tab.keyboard.press('Tab'); // API read and write
        await tab.keyboard.press('Space');
        await tab.keyboard.press('Tab'); // AI gateway
        await tab.keyboard.press('Tab'); // expiry radio group (30 days)
        await tab.keyboard.press('ArrowRight'); // 90 days
        await tab.keyboard.press('Tab'); // submit
        await tab.keyboard.press('Enter');
        const row = tab.getByRole('row', { name: /Keyboard only/ });
        await row.waitFor();
        expect(await row.textContent()).toContain('API read and write');
        expect(await tab.evaluate(() => document.activeElement?.textContent)).toBe('Your new token');
        // What the server made of it: both scopes, 90 days.
        const cookies = (await context.cookies(suite.app.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
        const { tokens } = (await (await fetch(`${suite.app.baseUrl}/api/me/tokens`, { headers: { cookie: cookies } })).json()) as {
          tokens: { label: string; scopes: string[]; createdAt: string; expiresAt: string }[];
        };
        const made = tokens.find((t) => t.label === 'Keyboard only');
        expect(made?.scopes).toEqual(['api:read', 'api:write']);
        expect(Math.round((Date.parse(made?.expiresAt ?? '') - Date.parse(made?.createdAt ?? '')) / 86_400_000)).toBe(90);
      } finally {
        await context.close();
      }
    });
  });
});
