import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { startApp, type TestApp } from './support/app.ts';
import { describeInBrowser, describeViolations, launchBrowser, newContext, runAxe, settled } from './support/browser.ts';

/**
 * The consent screen of Entente as OpenID provider, in Chromium: a downstream service sends the
 * agent to Entente, the page lists exactly what the service will receive, the agent accepts and
 * lands back on the service with a code.
 */
describeInBrowser('consent to a service signing in through Entente', () => {
  let app: TestApp;
  let browser: Browser;
  let service: http.Server;
  let redirectUri: string;
  let config: client.Configuration;

  beforeAll(async () => {
    service = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!DOCTYPE html><html lang="fr"><title>Service</title><h1>Service</h1></html>');
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(service.address() as AddressInfo).port}/cb`;
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    const operator = await app.signIn(DEMO_AGENTS[0]);
    const response = await fetch(`${app.baseUrl}/api/admin/oidc/clients`, {
      method: 'POST',
      headers: { ...operator.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: { 'fr-FR': 'Annuaire partagé', en: 'Shared directory' },
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [`${redirectUri.replace(/\/cb$/, '')}/au-revoir`],
      }),
    });
    const created = (await response.json()) as { clientId: string; clientSecret: string };
    config = await client.discovery(new URL(app.baseUrl), created.clientId, created.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => service?.close(resolve));
  });

  it('lists exactly the claims asked, is axe-clean, and returns to the service with a code', async () => {
    const { cookie } = await app.signIn(DEMO_AGENTS[1]);
    const [name = '', value = ''] = cookie.split('=');
    const context = await newContext(browser, app.baseUrl);
    await context.addCookies([{ name, value, url: app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    try {
      const tab = await context.newPage();
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email organization',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: client.randomState(),
      });
      await tab.goto(url.href);
      await tab.waitForURL('**/autorisation/**');
      await settled(tab);
      // The page first says it is loading the request, then names the service.
      await expect.poll(() => tab.locator('main h1').textContent()).toBe('Autoriser Annuaire partagé');
      const claims = (await tab.locator('main ul.consent-claims li').allTextContents()).map((s) => s.trim());
      expect(claims).toEqual([
        'un identifiant qui vous est propre pour ce service (il ne permet pas de vous suivre d’un service à l’autre)',
        'le niveau de garantie de votre connexion',
        'votre adresse e-mail professionnelle',
        'le fait que cette adresse a été vérifiée',
        'votre organisation (nom et SIRET ou NEQ)',
      ]);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.getByRole('button', { name: 'Autoriser' }).click();
      await tab.waitForURL(`${redirectUri}?**`);
      expect(new URL(tab.url()).searchParams.get('code')).toBeTruthy();

      // The page said the consent can be withdrawn from the account: « Services connectés ».
      await tab.goto(`${app.baseUrl}/profil/services`);
      await settled(tab);
      const card = tab.locator('li.account-card', { hasText: 'Annuaire partagé' });
      await expect.poll(() => card.count()).toBe(1);
      expect((await card.locator('dd ul li').allTextContents()).map((s) => s.trim())).toEqual(claims);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await card.getByRole('button', { name: 'Retirer l’autorisation' }).click();
      const dialog = tab.getByRole('dialog');
      expect(await dialog.locator('h2').textContent()).toContain('Annuaire partagé');
      await dialog.getByRole('button', { name: 'Retirer l’autorisation' }).click();
      await expect.poll(() => tab.getByRole('status').textContent()).toBe('Autorisation retirée : Annuaire partagé.');
      expect(await tab.locator('li.account-card').count()).toBe(0);
      // Withdrawn: the next sign-in to the service asks again.
      await tab.goto(url.href);
      await tab.waitForURL('**/autorisation/**');
    } finally {
      await context.close();
    }
  });

  it('signs out of the service from Entente’s logout page (CSP enforced, axe-clean)', async () => {
    const { cookie } = await app.signIn(DEMO_AGENTS[2]);
    const [name = '', value = ''] = cookie.split('=');
    const context = await newContext(browser, app.baseUrl, { bypassCSP: false });
    await context.addCookies([{ name, value, url: app.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    try {
      const tab = await context.newPage();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      await tab.goto(url.href);
      await tab.waitForURL('**/autorisation/**');
      await tab.getByRole('button', { name: 'Autoriser' }).click();
      await tab.waitForURL(`${redirectUri}?**`);
      const tokens = await client.authorizationCodeGrant(config, new URL(tab.url()), { pkceCodeVerifier: verifier, expectedState: state });
      const back = `${redirectUri.replace(/\/cb$/, '')}/au-revoir`;
      await tab.goto(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token as string, post_logout_redirect_uri: back }).href);
      expect(await tab.locator('h1').textContent()).toBe('Déconnexion');
      expect(await tab.locator('html').getAttribute('lang')).toBe('fr-CA');
      const tabForAxe = await context.newPage();
      await tabForAxe.setContent(await tab.content());
      expect(describeViolations(await runAxe(tabForAxe))).toEqual([]);
      await tabForAxe.close();
      await tab.getByRole('button', { name: 'Seulement de ce service' }).click();
      await tab.waitForURL(back);
    } finally {
      await context.close();
    }
  });
});
