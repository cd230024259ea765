import type { CredentialsKey } from '@entente/common/i18n/catalog/credentials.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * « Recevoir dans un portefeuille » on /profil/attestations: Émilie, a Québec agent reading in
 * fr-CA, offers her public-agent attestation to an external wallet with the keyboard; the page
 * shows the offer as a QR code and a link, the 6-digit code and the expiry, axe-core clean; a
 * wallet (this test, over HTTP) redeems the offer shown with the code shown.
 */
type DemoAgent = (typeof DEMO_AGENTS)[number];
const EMILIE = DEMO_AGENTS[2] as DemoAgent;
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const c = (locale: Locale, key: CredentialsKey, values?: MessageValues) => formatMessage(locale, key, values);

describeInBrowser('offering an attestation to a wallet', () => {
  const suite = browserSuite();

  it('shows the QR code, the link, the code and the expiry; the wallet redeems that offer with that code', async () => {
    const context = await suite.signedInContext(EMILIE, { language: 'fr-CA', locale: 'fr-CA' });
    try {
      const page = await openPage(context, suite.app.baseUrl, '/profil/attestations');
      await settled(page);
      await page.locator('[data-account-state="ready"]').waitFor();
      const panel = page.locator('[data-wallet-offer]');
      expect(await panel.getAttribute('data-wallet-offer')).toBe('none');
      // Québec usage: « cellulaire », not « téléphone mobile ».
      expect(await panel.textContent()).toContain(c('fr-CA', 'credentials.wallet.explain'));
      expect(c('fr-CA', 'credentials.wallet.explain')).toContain('cellulaire');
      expect(await page.getByRole('heading', { name: c('fr-CA', 'credentials.wallet.heading') }).count()).toBe(1);

      // With the keyboard.
      await page.getByRole('button', { name: c('fr-CA', 'credentials.wallet.publicAgent') }).focus();
      await page.keyboard.press('Enter');
      await page.locator('[data-wallet-offer="ready"]').waitFor();
      await page.getByRole('status').filter({ hasText: c('fr-CA', 'credentials.wallet.ready') }).waitFor();
      const heading = page.getByRole('heading', { name: c('fr-CA', 'credentials.wallet.offerHeading', { type: c('fr-CA', 'credentials.type.public-agent') }) });
      expect(await heading.evaluate((element) => element === document.activeElement)).toBe(true);

      const qr = page.getByRole('img', { name: c('fr-CA', 'credentials.qr.label', { what: c('fr-CA', 'credentials.wallet.qrWhat') }) });
      expect(await qr.count()).toBe(1);
      const link = await panel.getByLabel(c('fr-CA', 'credentials.qr.text')).inputValue();
      expect(link.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
      expect(await page.getByRole('link', { name: c('fr-CA', 'credentials.wallet.open') }).getAttribute('href')).toBe(link);
      expect(await page.getByRole('button', { name: c('fr-CA', 'credentials.wallet.copy') }).count()).toBe(1);
      const code = (await panel.locator('[data-wallet-tx-code]').textContent()) ?? '';
      expect(code).toMatch(/^\d{6}$/);
      expect(link).not.toContain(code);
      expect(await panel.textContent()).toContain(c('fr-CA', 'credentials.wallet.code'));
      expect(await panel.textContent()).toMatch(/jusqu’à .*\d/);
      expect(describeViolations(await runAxe(page))).toEqual([]);
      await page.screenshot({ path: '/tmp/cred-wallet-offer.png', fullPage: true });

      // A wallet scans that link and types that code: here a web wallet, a page of another origin
      // on another device (a context without Émilie's cookies), in Chromium, so CORS applies.
      const offer = JSON.parse(new URL(link).searchParams.get('credential_offer') as string) as {
        credential_issuer: string;
        grants: Record<string, { 'pre-authorized_code': string }>;
      };
      expect(offer.credential_issuer).toBe(`${suite.app.baseUrl}/issuers/qc`);
      const walletSite = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="fr"><title>Portefeuille</title><h1>Portefeuille</h1></html>');
      });
      await new Promise<void>((resolve) => walletSite.listen(0, '127.0.0.1', resolve));
      const walletDevice = await suite.browser.newContext();
      try {
        const walletPage = await walletDevice.newPage();
        // Another origin than Entente's (another host name and port).
        await walletPage.goto(`http://localhost:${(walletSite.address() as AddressInfo).port}/`);
        const received = await walletPage.evaluate(
          async ({ issuer, code: txCode, preAuthorizedCode, grant }) => {
            const token = await fetch(`${issuer}/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ grant_type: grant, 'pre-authorized_code': preAuthorizedCode, tx_code: txCode }).toString(),
            });
            const { access_token } = (await token.json()) as { access_token: string };
            const { c_nonce } = (await (await fetch(`${issuer}/nonce`, { method: 'POST' })).json()) as { c_nonce: string };
            // The wallet's key, and its proof of possession (an ES256 JWT signed with WebCrypto).
            const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
            const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
            const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
            const part = (value: unknown) => b64(new TextEncoder().encode(JSON.stringify(value)));
            const signingInput = `${part({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: { kty, crv, x, y } })}.${part({ aud: issuer, iat: Math.floor(Date.now() / 1000), nonce: c_nonce })}`;
            const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(signingInput)));
            // JSON and an Authorization header: the browser asks (preflight) before it sends this.
            const credential = await fetch(`${issuer}/credential`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
              body: JSON.stringify({ credential_configuration_id: 'public-agent', proofs: { jwt: [`${signingInput}.${b64(signature)}`] } }),
            });
            const body = (await credential.json()) as { credentials: { credential: string }[] };
            // A second time, the token is spent: the wallet reads the error and its header too.
            const again = await fetch(`${issuer}/credential`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` }, body: '{}' });
            return {
              token: token.status,
              credential: credential.status,
              sdJwt: body.credentials[0]?.credential ?? '',
              walletKey: { x, y },
              again: { status: again.status, error: ((await again.json()) as { error: string }).error, challenge: again.headers.get('www-authenticate') },
            };
          },
          { issuer: offer.credential_issuer, code, preAuthorizedCode: offer.grants[GRANT]?.['pre-authorized_code'] ?? '', grant: GRANT },
        );
        expect(received.token).toBe(200);
        expect(received.credential).toBe(200);
        const payload = JSON.parse(Buffer.from(received.sdJwt.split('~')[0]?.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
          iss: string;
          cnf: { jwk: { x: string; y: string } };
        };
        expect(payload.iss).toBe(offer.credential_issuer);
        expect(payload.cnf.jwk).toMatchObject(received.walletKey);
        expect(received.again).toEqual({ status: 401, error: 'invalid_token', challenge: expect.stringContaining('invalid_token') });
      } finally {
        await walletDevice.close();
        walletSite.close();
      }

      await page.getByRole('button', { name: c('fr-CA', 'credentials.wallet.close') }).click();
      expect(await panel.getAttribute('data-wallet-offer')).toBe('none');
    } finally {
      await context.close();
    }
  });
});
