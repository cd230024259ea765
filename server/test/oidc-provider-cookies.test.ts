import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { CLIENT_SECRET_OWNER, createSealer, registerClientAs } from '../src/identity/provider/index.ts';
import { Browser } from './oidc-provider-rp.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * The provider's cookies when Entente is served over https (as in production): the session cookie
 * is `__Host-` (Secure, path /, no Domain: no subdomain can set or shadow it), the per-interaction
 * ones `__Secure-`. The server listens on plain http here; the public URL says https.
 */
const PUBLIC = 'https://entente.test';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { ENTENTE_PUBLIC_URL: PUBLIC } });
});
afterAll(async () => t?.close());

describe('provider cookies over https', () => {
  it('are __Host- / __Secure- prefixed, Secure, and the session one on path / without Domain', async () => {
    const sealer = createSealer(t.entente.cells, 'FR', CLIENT_SECRET_OWNER);
    const registered = await registerClientAs({ db: t.entente.stores.control.db, audit: t.entente.audit, sealer, allowHttp: false }, null, {
      name: { 'fr-FR': 'Service https', en: 'https service' },
      redirectUris: ['https://service.example/cb'],
      scopes: ['openid'],
    });
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[1]!));
    const verifier = client.randomPKCECodeVerifier();
    const start = new URL(`${t.baseUrl}/oidc/auth`);
    start.search = new URLSearchParams({
      client_id: registered.clientId,
      redirect_uri: 'https://service.example/cb',
      response_type: 'code',
      scope: 'openid',
      state: client.randomState(),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const setCookies: string[] = [];
    let url = start.href;
    for (let step = 0; step < 8; step++) {
      const response = await browser.fetch(url);
      setCookies.push(...response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (!location) break;
      const next = new URL(location, PUBLIC);
      if (next.origin !== PUBLIC) break;
      url = `${t.baseUrl}${next.pathname}${next.search}`;
    }
    const provider = setCookies.filter((c) => /entente_op_/.test(c) && !/expires=Thu, 01 Jan 1970/i.test(c));
    const session = provider.filter((c) => c.startsWith('__Host-entente_op_session'));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) {
      expect(cookie).toMatch(/;\s*path=\/(;|$)/i);
      expect(cookie).toMatch(/;\s*secure/i);
      expect(cookie).not.toMatch(/;\s*domain=/i);
    }
    const interaction = provider.filter((c) => /entente_op_(interaction|resume)/.test(c));
    expect(interaction.length).toBeGreaterThan(0);
    for (const cookie of interaction) {
      expect(cookie.startsWith('__Secure-')).toBe(true);
      expect(cookie).toMatch(/;\s*secure/i);
    }
    // No unprefixed provider cookie at all.
    expect(provider.filter((c) => c.startsWith('entente_op_'))).toEqual([]);
  });
});
