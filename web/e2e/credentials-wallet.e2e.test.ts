import type { CredentialsKey } from '@entente/common/i18n/catalog/credentials.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
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

      // A wallet scans that link and types that code.
      const offer = JSON.parse(new URL(link).searchParams.get('credential_offer') as string) as {
        credential_issuer: string;
        grants: Record<string, { 'pre-authorized_code': string }>;
      };
      expect(offer.credential_issuer).toBe(`${suite.app.baseUrl}/issuers/qc`);
      const token = await fetch(`${offer.credential_issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': offer.grants[GRANT]?.['pre-authorized_code'] ?? '', tx_code: code }).toString(),
      });
      expect(token.status).toBe(200);
      expect(((await token.json()) as { token_type: string }).token_type).toBe('Bearer');

      await page.getByRole('button', { name: c('fr-CA', 'credentials.wallet.close') }).click();
      expect(await panel.getAttribute('data-wallet-offer')).toBe('none');
    } finally {
      await context.close();
    }
  });
});
