import { readFile } from 'node:fs/promises';
import type { CredentialsKey } from '@entente/common/i18n/catalog/credentials.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Locale } from '@entente/common/i18n/locales.ts';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { decodeSdJwt } from '../../server/src/identity/credentials/sd-jwt/decode.ts';
import { DEMO_AGENTS, DEMO_COLLEAGUES } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe, settled } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

/**
 * Issue 9's cross-border scenario in Chromium against the real server: Camille, a French demo
 * agent, gets a public-agent attestation bound to a key made in her browser; a Québec service opens
 * the public verifier page (another browser, nobody signed in) and creates a request; Camille
 * presents only « agent of a French public body » for it; the verifier accepts, names France as the
 * vouching state and shows that claim only. Camille revokes; the next presentation is refused as
 * revoked.
 */
type DemoAgent = (typeof DEMO_AGENTS)[number];
const [CAMILLE] = DEMO_AGENTS as unknown as [DemoAgent];

const c = (locale: Locale, key: CredentialsKey, values?: MessageValues) => formatMessage(locale, key, values);

async function shot(tab: Page, name: string): Promise<void> {
  await tab.screenshot({ path: `/tmp/cred-${name}.png`, fullPage: true });
}

async function expectAxeClean(tab: Page): Promise<void> {
  expect(describeViolations(await runAxe(tab))).toEqual([]);
}

/** The wallet page has loaded (the account pages' state attribute). */
async function walletReady(tab: Page): Promise<void> {
  await settled(tab);
  await tab.locator('[data-account-state="ready"], [data-account-state="signedOut"], [data-account-state="failed"]').first().waitFor();
  const state = await tab.locator('[data-account-state]').getAttribute('data-account-state');
  if (state !== 'ready') throw new Error(`the wallet page is ${state}: ${await tab.locator('main').textContent()}`);
}

/** « Nouvelle vérification » on the verifier page; answers the request text it shows for the holder. */
async function newVerifierRequest(verifier: Page, locale: Locale): Promise<string> {
  const previous = await verifier.evaluate(() => document.querySelector('[data-verifier-request]')?.getAttribute('data-verifier-request') ?? null);
  await verifier.getByRole('button', { name: c(locale, 'credentials.verifier.new') }).click();
  await verifier.waitForFunction(
    (before) => {
      const id = document.querySelector('[data-verifier-request]')?.getAttribute('data-verifier-request');
      return Boolean(id) && id !== before;
    },
    previous,
  );
  return verifier.getByLabel(c(locale, 'credentials.qr.text')).inputValue();
}

/** On the wallet: pastes the verifier's request, ticks only the jurisdiction, builds the presentation. */
async function presentJurisdictionOnly(holder: Page, request: string, options: { firstTime: boolean }): Promise<string> {
  await holder.getByLabel(c('fr-FR', 'credentials.present.request')).fill(request);
  const claims = holder.getByRole('group', { name: c('fr-FR', 'credentials.present.claims') });
  const jurisdiction = claims.getByRole('checkbox', { name: c('fr-FR', 'credentials.claim.jurisdiction'), exact: true });
  if (options.firstTime) {
    // Nothing ticked at first: what is not ticked is not sent. Ticked with the keyboard.
    expect(await claims.locator('input[type="checkbox"]:checked').count()).toBe(0);
    await jurisdiction.focus();
    await holder.keyboard.press('Space');
  }
  expect(await jurisdiction.isChecked()).toBe(true);
  expect(await claims.locator('input[type="checkbox"]:checked').count()).toBe(1);
  await holder.getByRole('button', { name: c('fr-FR', 'credentials.present.build') }).click();
  const result = holder.locator('.credentials-presentation');
  await result.waitFor();
  // The keyboard is on the presentation made (it fell to <body> with the disabled button).
  await expect.poll(() => holder.evaluate(() => document.activeElement?.textContent)).toBe(c('fr-FR', 'credentials.present.result'));
  expect(await holder.getByRole('main').getByRole('status').filter({ hasText: c('fr-FR', 'credentials.present.built', { count: 1 }) }).count()).toBe(1);
  return result.getByLabel(c('fr-FR', 'credentials.qr.text')).inputValue();
}

/** On the verifier page: pastes the presentation, verifies, waits for the verdict. */
async function verify(verifier: Page, locale: Locale, presentation: string): Promise<'accepted' | 'refused'> {
  await verifier.getByLabel(c(locale, 'credentials.verifier.presentation.label')).fill(presentation);
  await verifier.getByRole('button', { name: c(locale, 'credentials.verifier.check') }).click();
  await verifier.locator('[data-verification]').waitFor();
  return (await verifier.locator('[data-verification]').getAttribute('data-verification')) as 'accepted' | 'refused';
}

describeInBrowser('verifiable attestations', () => {
  const suite = browserSuite();

  it('a French agent presents only her jurisdiction to a Québec verifier, who accepts it, then refuses it once revoked', async () => {
    const camille = await suite.signedInContext(CAMILLE, { language: 'fr-FR' });
    const quebec = await suite.newContext({ language: 'fr-CA', locale: 'fr-CA' });
    try {
      // ── the identity domain's page leads to both pages ──
      const area = await openPage(camille, suite.app.baseUrl, '/domaines/identite');
      expect(await area.getByRole('link', { name: c('fr-FR', 'credentials.area.holder') }).getAttribute('href')).toBe('/profil/attestations');
      expect(await area.getByRole('link', { name: c('fr-FR', 'credentials.area.verifier') }).getAttribute('href')).toBe('/verifier');
      await area.close();

      // ── the wallet, from the profile's navigation ──
      const holder = await openPage(camille, suite.app.baseUrl, '/profil');
      await holder.getByRole('navigation').getByRole('link', { name: c('fr-FR', 'credentials.nav.link') }).click();
      await holder.waitForURL('**/profil/attestations');
      await walletReady(holder);
      expect(await holder.locator('[data-holder-key]').getAttribute('data-holder-key')).toBe('none');
      expect(await holder.getByRole('main').textContent()).toContain(c('fr-FR', 'credentials.list.empty'));
      await expectAxeClean(holder);
      await shot(holder, 'holder-empty');

      // ── « Obtenir mon attestation d’agent public » ──
      await holder.getByRole('button', { name: c('fr-FR', 'credentials.obtain.publicAgent') }).click();
      const done = c('fr-FR', 'credentials.obtain.done', { type: c('fr-FR', 'credentials.type.public-agent') });
      await holder.getByRole('status').filter({ hasText: done }).waitFor();
      // On to presenting it, by keyboard too (the focus fell to <body>).
      await expect.poll(() => holder.evaluate(() => document.activeElement?.tagName)).toBe('H2');
      const row = holder.locator('tr[data-credential-id]');
      expect(await row.count()).toBe(1);
      expect(await row.getAttribute('data-status')).toBe('valid');
      expect(await row.locator('td').nth(0).textContent()).toBe(c('fr-FR', 'credentials.jurisdiction.FR'));
      expect(await row.locator('td').nth(3).textContent()).toBe(c('fr-FR', 'credentials.status.valid'));
      expect(await row.locator('td').nth(4).textContent()).toBe(c('fr-FR', 'credentials.copy.here'));
      expect(await holder.locator('[data-holder-key]').getAttribute('data-holder-key')).toBe('ready');

      // The private key is a CryptoKey in IndexedDB that the page itself cannot export.
      const key = await holder.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('entente-wallet');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const keys = await new Promise<Array<{ privateKey: CryptoKey; publicJwk: Record<string, unknown> }>>((resolve, reject) => {
          const request = db.transaction('keys').objectStore('keys').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const stored = await new Promise<Array<{ credential: string }>>((resolve, reject) => {
          const request = db.transaction('credentials').objectStore('credentials').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        db.close();
        const privateKey = keys[0]?.privateKey;
        const exported = privateKey ? await crypto.subtle.exportKey('jwk', privateKey).then(() => 'exported', () => 'refused') : 'missing';
        return {
          count: keys.length,
          extractable: privateKey?.extractable,
          algorithm: (privateKey?.algorithm as EcKeyAlgorithm | undefined)?.namedCurve,
          exported,
          publicMembers: Object.keys(keys[0]?.publicJwk ?? {}).sort(),
          credential: stored[0]?.credential ?? '',
        };
      });
      expect(key).toMatchObject({ count: 1, extractable: false, algorithm: 'P-256', exported: 'refused', publicMembers: ['crv', 'kty', 'x', 'y'] });
      // The credential kept here is bound to that key and holds the claims of the type.
      const issued = await decodeSdJwt(key.credential);
      if (!issued.ok) throw new Error(`the stored credential does not decode: ${issued.reason}`);
      expect(issued.header.typ).toBe('dc+sd-jwt');
      expect((issued.payload.cnf as { jwk: Record<string, unknown> }).jwk.x).toBeTypeOf('string');
      expect(issued.claims).toMatchObject({ public_agent: true, jurisdiction: 'FR', given_name: 'Camille', family_name: 'Martin' });

      // Download: the SD-JWT as a file.
      const [download] = await Promise.all([
        holder.waitForEvent('download'),
        row.getByRole('button', { name: new RegExp(`^${c('fr-FR', 'credentials.action.download')} :`) }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^entente-public-agent-\d{4}-\d{2}-\d{2}\.sd-jwt$/);
      expect(await readFile(await download.path(), 'utf8')).toBe(key.credential);

      // QR code with its text alternative.
      await row.getByRole('button', { name: new RegExp(`^${c('fr-FR', 'credentials.action.qr')} :`) }).click();
      const qrPanel = holder.locator('.credentials-qr-panel');
      await qrPanel.waitFor();
      expect(await qrPanel.getByLabel(c('fr-FR', 'credentials.qr.text')).inputValue()).toBe(key.credential);
      const qrShown = await qrPanel.getByRole('img').count();
      if (qrShown === 0) expect(await qrPanel.textContent()).toContain(c('fr-FR', 'credentials.qr.tooLong', { length: key.credential.length }));
      await expectAxeClean(holder);
      await shot(holder, 'holder-issued');

      // ── the Québec service's verifier page: public, in fr-CA ──
      const verifier = await openPage(quebec, suite.app.baseUrl, '/verifier');
      expect(await verifier.locator('[data-session]').getAttribute('data-session')).not.toBe('signedIn');
      await expectAxeClean(verifier);
      const request = await newVerifierRequest(verifier, 'fr-CA');
      const parsedRequest = JSON.parse(request) as { nonce: string; aud: string };
      expect(await verifier.locator('[data-verifier-request] dd').first().textContent()).toBe(parsedRequest.nonce);
      expect(await verifier.getByRole('img', { name: c('fr-CA', 'credentials.qr.label', { what: c('fr-CA', 'credentials.verifier.request.text') }) }).count()).toBe(1);
      await expectAxeClean(verifier);
      await shot(verifier, 'verifier-request');

      // ── Camille presents only « agent of a French public body » ──
      const presentation = await presentJurisdictionOnly(holder, request, { firstTime: true });
      const presented = await decodeSdJwt(presentation);
      if (!presented.ok) throw new Error(`the presentation does not decode: ${presented.reason}`);
      expect(presented.disclosures.map((d) => d.path)).toEqual(['jurisdiction']);
      expect(presented.kbJwt?.payload).toMatchObject({ nonce: parsedRequest.nonce, aud: parsedRequest.aud });
      await expectAxeClean(holder);
      await shot(holder, 'holder-presentation');

      // ── the verifier accepts: France vouches, only that claim (beside the type's own marker) ──
      expect(await verify(verifier, 'fr-CA', presentation)).toBe('accepted');
      const result = verifier.locator('[data-verification]');
      expect(await result.textContent()).toContain(c('fr-CA', 'credentials.verifier.accepted'));
      expect(await verifier.getByRole('status').filter({ hasText: c('fr-CA', 'credentials.verifier.accepted') }).count()).toBe(1);
      expect(await result.locator('[data-vouching-state]').getAttribute('data-vouching-state')).toBe('FR');
      expect(await result.locator('[data-vouching-state]').textContent()).toBe(c('fr-CA', 'credentials.jurisdiction.FR'));
      // « Vérifier » again on the same request: the verdict stays (it was wiped for « déjà servi »).
      await verifier.getByRole('button', { name: c('fr-CA', 'credentials.verifier.check') }).click();
      await verifier.getByRole('status').filter({ hasText: c('fr-CA', 'credentials.verifier.alreadyChecked') }).waitFor();
      expect(await result.getAttribute('data-verification')).toBe('accepted');
      const shown = await result.locator('tr[data-claim]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-claim')));
      expect(shown.filter((claim) => claim !== 'public_agent')).toEqual(['jurisdiction']);
      const jurisdictionRow = result.locator('tr[data-claim="jurisdiction"]');
      expect(await jurisdictionRow.locator('th').textContent()).toBe(c('fr-CA', 'credentials.claim.jurisdiction'));
      expect(await jurisdictionRow.locator('td').textContent()).toBe(c('fr-CA', 'credentials.value.jurisdiction.FR'));
      const text = (await result.textContent()) ?? '';
      for (const secret of ['Camille', 'Martin', 'Ministère']) expect(text).not.toContain(secret);
      await expectAxeClean(verifier);
      await shot(verifier, 'verifier-accepted');

      // Replayed for a new request (uploaded as a file, « téléverser » in Québec): refused, said why.
      await newVerifierRequest(verifier, 'fr-CA');
      await verifier
        .getByLabel(c('fr-CA', 'credentials.verifier.presentation.file'))
        .setInputFiles({ name: 'presentation.sd-jwt', mimeType: 'text/plain', buffer: Buffer.from(presentation) });
      await expect.poll(() => verifier.getByLabel(c('fr-CA', 'credentials.verifier.presentation.label')).inputValue()).toBe(presentation);
      await verifier.getByRole('button', { name: c('fr-CA', 'credentials.verifier.check') }).click();
      await verifier.locator('[data-verification="refused"]').waitFor();
      expect(await result.locator('[data-reason]').getAttribute('data-reason')).toBe('kb_wrong_nonce');
      expect(await result.locator('[data-reason]').textContent()).toBe(c('fr-CA', 'credentials.reason.kb_wrong_nonce'));
      expect(await result.locator('tr[data-claim]').count()).toBe(0);
      expect(await result.locator('[data-vouching-state]').count()).toBe(0);
      await expectAxeClean(verifier);
      await shot(verifier, 'verifier-replay');

      // ── Camille revokes ──
      await row.getByRole('button', { name: new RegExp(`^${c('fr-FR', 'credentials.action.revoke')} :`) }).click();
      const dialog = holder.getByRole('dialog', { name: c('fr-FR', 'credentials.revoke.title') });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: c('fr-FR', 'credentials.revoke.confirm') }).click();
      await holder.getByRole('status').filter({ hasText: c('fr-FR', 'credentials.revoke.done') }).waitFor();
      await expect.poll(() => holder.evaluate(() => document.activeElement?.textContent)).toBe(c('fr-FR', 'credentials.list.heading'));
      expect(await row.getAttribute('data-status')).toBe('revoked');
      expect(await holder.locator('main').textContent()).toContain(c('fr-FR', 'credentials.present.notValid'));
      await shot(holder, 'holder-revoked');

      // ── a new request, a new presentation: refused as revoked ──
      // The server reads its own status lists in-process, from a cache cleared at each revocation
      // (server/src/identity/credentials/status-check.ts): no TTL to wait for here.
      const second = await newVerifierRequest(verifier, 'fr-CA');
      const again = await presentJurisdictionOnly(holder, second, { firstTime: false });
      expect(await verify(verifier, 'fr-CA', again)).toBe('refused');
      expect(await result.locator('[data-reason]').getAttribute('data-reason')).toBe('revoked');
      expect(await result.textContent()).toContain(c('fr-CA', 'credentials.verifier.refused'));
      expect(await result.textContent()).toContain(c('fr-CA', 'credentials.reason.revoked'));
      expect(await result.locator('tr[data-claim]').count()).toBe(0);
      await expectAxeClean(verifier);
      await shot(verifier, 'verifier-refused');
    } finally {
      await camille.close();
      await quebec.close();
    }
  });

  it('a colleague with a completed assessment gets a skills attestation and shows only her overall level, to an English-speaking verifier', async () => {
    // Léa (FR) is a demo colleague whose assessment the demo data completed.
    const lea = DEMO_COLLEAGUES[0];
    const holderContext = await suite.signedInContext({ ...CAMILLE, id: lea.id, givenName: lea.givenName, familyName: lea.familyName }, { language: 'fr-FR' });
    const verifierContext = await suite.newContext({ language: 'en', locale: 'en' });
    try {
      const holder = await openPage(holderContext, suite.app.baseUrl, '/profil/attestations');
      await walletReady(holder);
      expect(await holder.getByRole('main').textContent()).not.toContain(c('fr-FR', 'credentials.obtain.skillsNone'));
      await holder.getByRole('button', { name: c('fr-FR', 'credentials.obtain.skills') }).click();
      const done = c('fr-FR', 'credentials.obtain.done', { type: c('fr-FR', 'credentials.type.digital-skills') });
      await holder.getByRole('status').filter({ hasText: done }).waitFor();
      expect(await holder.locator('tr[data-credential-id] th').first().textContent()).toBe(c('fr-FR', 'credentials.type.digital-skills'));

      const verifier = await openPage(verifierContext, suite.app.baseUrl, '/verifier');
      const request = await newVerifierRequest(verifier, 'en');
      await holder.getByLabel(c('fr-FR', 'credentials.present.request')).fill(request);
      const claims = holder.getByRole('group', { name: c('fr-FR', 'credentials.present.claims') });
      // One choice per area, named as the framework names it (« Domaine 1 » alone told Léa nothing), none named by a pattern.
      const area1 = c('fr-FR', 'credentials.claim.areaNamed', { key: '1', name: 'Littératie de l’information et des données' });
      await expect.poll(async () => (await claims.locator('label').allTextContents()).map((label) => label.trim())).toContain(area1);
      const labels = await claims.locator('label').allTextContents();
      expect(labels.filter((label) => label.includes('*'))).toEqual([]);
      await claims.getByRole('checkbox', { name: c('fr-FR', 'credentials.claim.overall_level'), exact: true }).check();
      await holder.getByRole('button', { name: c('fr-FR', 'credentials.present.build') }).click();
      const presentation = await holder.locator('.credentials-presentation').getByLabel(c('fr-FR', 'credentials.qr.text')).inputValue();
      await expectAxeClean(holder);
      await shot(holder, 'skills-presentation');
      // On a phone's width the page does not scroll sideways (the table scrolls in its own box).
      await holder.setViewportSize({ width: 375, height: 740 });
      await expect.poll(() => holder.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot(holder, 'skills-presentation-narrow');
      await holder.setViewportSize({ width: 1280, height: 720 });

      expect(await verify(verifier, 'en', presentation)).toBe('accepted');
      const result = verifier.locator('[data-verification]');
      expect(await result.textContent()).toContain(c('en', 'credentials.type.digital-skills'));
      const shown = await result.locator('tr[data-claim]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-claim')));
      // The framework is always shown; the level is the one claim Léa picked; nothing else.
      expect([...shown].sort()).toEqual(['framework', 'overall_level']);
      expect(await result.locator('tr[data-claim="overall_level"] th').textContent()).toBe(c('en', 'credentials.claim.overall_level'));
      expect(await result.locator('tr[data-claim="overall_level"] td').textContent()).toMatch(/^[1-8]\u00a0of\u00a08$/);
      expect(await result.textContent()).not.toContain(lea.givenName);
      await expectAxeClean(verifier);
      await shot(verifier, 'skills-verifier-en');
    } finally {
      await holderContext.close();
      await verifierContext.close();
    }
  });

  it('the wallet and the verifier work under the server’s real CSP (key, issuance, QR codes, presentation)', async () => {
    const holderContext = await suite.signedInContext(CAMILLE, { language: 'fr-FR', bypassCSP: false });
    const verifierContext = await suite.newContext({ language: 'fr-CA', locale: 'fr-CA', bypassCSP: false });
    const violations: string[] = [];
    for (const context of [holderContext, verifierContext]) {
      context.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
    }
    try {
      const holder = await openPage(holderContext, suite.app.baseUrl, '/profil/attestations');
      await walletReady(holder);
      await holder.getByRole('button', { name: c('fr-FR', 'credentials.obtain.publicAgent') }).click();
      const done = c('fr-FR', 'credentials.obtain.done', { type: c('fr-FR', 'credentials.type.public-agent') });
      await holder.getByRole('status').filter({ hasText: done }).waitFor();
      const verifier = await openPage(verifierContext, suite.app.baseUrl, '/verifier');
      const request = await newVerifierRequest(verifier, 'fr-CA');
      expect(await verifier.locator('svg[role="img"] path').count()).toBe(1);
      const presentation = await presentJurisdictionOnly(holder, request, { firstTime: true });
      expect(await verify(verifier, 'fr-CA', presentation)).toBe('accepted');
      expect(violations).toEqual([]);
    } finally {
      await holderContext.close();
      await verifierContext.close();
    }
  });

  it('the wallet asks a signed-out visitor to sign in, in English', async () => {
    const context = await suite.newContext({ language: 'en', locale: 'en' });
    try {
      const tab = await openPage(context, suite.app.baseUrl, '/profil/attestations');
      await tab.locator('[data-account-state="signedOut"]').waitFor();
      expect(await tab.locator('h1').textContent()).toBe(c('en', 'credentials.holder.title'));
      await expectAxeClean(tab);
    } finally {
      await context.close();
    }
  });
});
