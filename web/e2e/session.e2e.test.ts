import { expect, it } from 'vitest';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { text } from './support/pages.ts';
import { browserSuite } from './support/suite.ts';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';

describeInBrowser('the session in the header', () => {
  const suite = browserSuite();

  it('signs a French agent in by email through the demo federation, then out', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const session = tab.locator('[data-session]');
      expect(await session.getAttribute('data-session')).toBe('signedOut');
      await session.getByRole('link', { name: 'Se connecter' }).click();
      await tab.waitForURL('**/connexion');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.getByLabel('Adresse e-mail professionnelle').fill('camille.martin@numerique.demo-gouv-fr.test');
      await tab.getByRole('button', { name: 'Continuer' }).click();
      await tab.waitForURL('**/demo/idp/fr/interaction/**');
      expect(await tab.locator('body').textContent()).toMatch(/démo/i);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.getByRole('button', { name: /continuer|se connecter/i }).first().click();
      await tab.waitForURL(`${suite.app.baseUrl}/`);
      await tab.locator('[data-session="signedIn"]').waitFor();
      expect(await session.textContent()).toContain('Camille Martin');
      await session.getByRole('button', { name: 'Se déconnecter' }).click();
      await tab.waitForURL('**/demo/idp/fr/**');
    } finally {
      await context.close();
    }
  });

  it('tells plainly why a sign-in failed, in the agent’s language', async () => {
    const context = await suite.newContext();
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/connexion?erreur=sign_in_unknown_domain&domaine=example.org');
      const alert = tab.getByRole('alert');
      expect(await alert.textContent()).toContain('example.org');
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('from a deep link, signing in comes back to the page asked for; a mistyped address stays to be corrected, a cancel keeps the way back', async () => {
    const context = await suite.newContext();
    const page = '/espaces/019ac9f0-0000-7000-8000-0000000e0001/documents/019ac9f0-0000-7000-8000-0000000d0003';
    try {
      const tab = await openPage(context, suite.app.baseUrl, page);
      // The page's own link and the header's both carry the way back (they led to the home page).
      const inPage = tab.getByRole('main').getByRole('link', { name: 'Se connecter' });
      await inPage.waitFor();
      expect(await inPage.getAttribute('href')).toBe(`/connexion?${new URLSearchParams({ retour: page })}`);
      expect(await tab.locator('[data-session]').getByRole('link', { name: 'Se connecter' }).getAttribute('href')).toBe(`/connexion?${new URLSearchParams({ retour: page })}`);
      await inPage.click();
      await tab.waitForURL('**/connexion?retour=**');

      // An administration not recognised: said, the address kept to correct, the way back kept.
      await tab.getByLabel('Adresse e-mail professionnelle').fill('hugo.bernard@dsne.demo-gouv-fr.tset');
      await tab.getByRole('button', { name: 'Continuer' }).click();
      await tab.waitForURL('**/connexion?erreur=**');
      await tab.getByRole('alert').waitFor();
      expect(new URL(tab.url()).searchParams.get('retour')).toBe(page);
      const field = tab.getByLabel('Adresse e-mail professionnelle');
      expect(await field.inputValue()).toBe('hugo.bernard@dsne.demo-gouv-fr.tset');
      await field.fill('hugo.bernard@dsne.demo-gouv-fr.test');
      await tab.getByRole('button', { name: 'Continuer' }).click();
      await tab.waitForURL('**/demo/idp/fr/interaction/**');
      // « Annuler » at the federation: said on the sign-in page, the way back kept.
      await tab.getByRole('button', { name: 'Annuler' }).click();
      await tab.waitForURL('**/connexion?erreur=sign_in_cancelled**');
      expect(await tab.getByRole('alert').textContent()).toContain('Connexion annulée');
      expect(new URL(tab.url()).searchParams.get('retour')).toBe(page);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      expect(await tab.getByLabel('Adresse e-mail professionnelle').inputValue()).toBe('hugo.bernard@dsne.demo-gouv-fr.test');
      await tab.getByRole('button', { name: 'Continuer' }).click();
      await tab.waitForURL('**/demo/idp/fr/interaction/**');
      await tab.getByRole('button', { name: /continuer|se connecter/i }).first().click();
      await tab.waitForURL(`${suite.app.baseUrl}${page}`);
      await tab.locator('[data-session="signedIn"]').waitFor();
    } finally {
      await context.close();
    }
  });

  it('a session ended elsewhere: the header turns to « Se connecter » at the first refusal, with the way back', async () => {
    const context = await suite.signedInContext(DEMO_AGENTS[0]);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      await tab.locator('[data-session="signedIn"]').waitFor();
      // Ended from another device (here: the cookie gone, as the server forgets it).
      await context.clearCookies();
      await tab.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes espaces' }).click();
      await tab.getByText('Connectez-vous pour voir vos espaces.', { exact: false }).waitFor();
      // It said « Session ouverte : Camille Martin » beside « Connectez-vous ».
      await tab.locator('[data-session="signedOut"]').waitFor();
      expect(await tab.locator('[data-session]').getByRole('link', { name: 'Se connecter' }).getAttribute('href')).toBe(`/connexion?${new URLSearchParams({ retour: '/espaces' })}`);
    } finally {
      await context.close();
    }
  });

  it('an agent already signed in who opens the sign-in page goes on to the page asked for (never off the site)', async () => {
    const context = await suite.signedInContext(DEMO_AGENTS[0]);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/connexion?retour=%2Fnotifications');
      await tab.waitForURL(`${suite.app.baseUrl}/notifications`);
      await tab.goto(new URL('/connexion?retour=%2F%2Fevil.example%2Fvol', suite.app.baseUrl).href);
      await tab.waitForURL(`${suite.app.baseUrl}/`);
      // An error to read is still shown, signed in or not.
      await tab.goto(new URL('/connexion?erreur=sign_in_cancelled', suite.app.baseUrl).href);
      await tab.getByRole('alert').waitFor();
      expect(new URL(tab.url()).pathname).toBe('/connexion');
    } finally {
      await context.close();
    }
  });

  it('shows the signed-in agent’s name, from GET /api/me', async () => {
    const context = await suite.signedInContext(DEMO_AGENTS[0], { language: 'en' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const session = tab.locator('[data-session]');
      expect(await session.getAttribute('data-session')).toBe('signedIn');
      expect(await session.textContent()).toContain(text('en', 'ui.session.signedIn', { name: 'Camille Martin' }));
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  // The header's status, search box and bell, the language and the page all want to know who is
  // signed in when a page opens: one request answers them all.
  it('asks GET /api/me once when a page opens, signed in or out', async () => {
    for (const signedIn of [false, true]) {
      const context = signedIn ? await suite.signedInContext(DEMO_AGENTS[0]) : await suite.newContext();
      try {
        const tab = await context.newPage();
        const asked: string[] = [];
        tab.on('request', (request) => {
          if (new URL(request.url()).pathname === '/api/me') asked.push(request.method());
        });
        for (const path of ['/', '/recherche', '/competences']) {
          asked.length = 0;
          await tab.goto(new URL(path, suite.app.baseUrl).href);
          await settled(tab);
          await tab.waitForLoadState('networkidle');
          expect(asked, `${path}, ${signedIn ? 'signed in' : 'signed out'}`).toEqual(['GET']);
        }
      } finally {
        await context.close();
      }
    }
  });

  it('saves a signed-in agent’s language choice to their profile (CSRF-protected change)', async () => {
    const agent = DEMO_AGENTS[3]!; // Olivier Gagnon, QC, prefers English
    const context = await suite.signedInContext(agent);
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/');
      const saved = tab.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
      await tab.getByRole('button', { name: 'Français (Québec)' }).click();
      expect((await saved).status()).toBe(200);
      // Read back through a session of its own: the language belongs to the profile, not to a session.
      const { cookie } = await suite.app.signIn(agent);
      const me = (await (await fetch(`${suite.app.baseUrl}/api/me`, { headers: { cookie } })).json()) as { preferredLanguage: string };
      expect(me.preferredLanguage).toBe('fr-CA');
    } finally {
      await context.close();
    }
  });
});
