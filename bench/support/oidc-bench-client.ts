import * as client from 'openid-client';
import { Browser, follow } from '../../server/test/oidc-provider-rp.ts';
import type { TestApp } from '../../server/test/support/app.ts';
import type { ServerReady } from './servers.ts';

/** What an oidc-token bench server child tells the parent. */
export interface OidcBenchReady extends ServerReady {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Session cookies of signed-in agents (Entente); one empty string for the bare provider. */
  cookies: string[];
}

/**
 * One refresh token per chain, obtained the way a downstream service does: the real openid-client
 * (discovery, code + PKCE, offline_access with prompt=consent), a browser simulated by hand
 * (server/test/oidc-provider-rp.ts) that answers Entente's consent page through its API.
 */
export async function refreshTokens(ready: OidcBenchReady, chains: number, forwardedFor: (i: number) => string): Promise<string[]> {
  const config = await client.discovery(new URL(ready.issuer), ready.clientId, ready.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
  const tokens: string[] = [];
  for (let i = 0; i < chains; i++) {
    const browser = new Browser({ baseUrl: ready.issuer } as TestApp);
    const cookie = ready.cookies[i % ready.cookies.length] as string;
    if (cookie) browser.setCookie(cookie);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: ready.redirectUri,
      scope: 'openid profile email offline_access',
      prompt: 'consent',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => original(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-forwarded-for': forwardedFor(i) } });
    try {
      const end = await follow(browser, url, { redirectUri: ready.redirectUri, consent: 'accept' });
      if (!end.url.href.startsWith(ready.redirectUri)) throw new Error(`authorization ${i} stopped at ${end.url.href} (${end.status}) ${end.text.slice(0, 200)}`);
      const granted = await client.authorizationCodeGrant(config, end.url, { pkceCodeVerifier: verifier, expectedState: state });
      if (!granted.refresh_token || !granted.id_token) throw new Error(`authorization ${i}: no refresh token or ID token`);
      tokens.push(granted.refresh_token);
    } finally {
      globalThis.fetch = original;
    }
  }
  return tokens;
}
