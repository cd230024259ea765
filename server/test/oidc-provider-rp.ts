import * as client from 'openid-client';
import type { TestApp, TestSession } from './support/app.ts';

/**
 * A downstream service signing agents in through Entente's OpenID provider, driven by the real
 * openid-client, with a browser simulated by hand: one cookie jar for Entente's origin, redirects
 * followed one by one, the consent page answered through its API as the web page would.
 */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUris: string[];
}

export async function registerClient(
  t: TestApp,
  operator: TestSession,
  body: { redirectUris: string[]; postLogoutRedirectUris?: string[]; backchannelLogoutUri?: string; sector?: string; scopes?: string[]; name?: string },
): Promise<RegisteredClient> {
  const response = await fetch(`${t.baseUrl}/api/admin/oidc/clients`, {
    method: 'POST',
    headers: { ...operator.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, name: { 'fr-FR': body.name ?? 'Service test', en: body.name ?? 'Test service' } }),
  });
  const created = (await response.json()) as { clientId: string; clientSecret: string; postLogoutRedirectUris: string[] };
  if (response.status !== 201) throw new Error(`client registration failed: ${response.status} ${JSON.stringify(created)}`);
  return { clientId: created.clientId, clientSecret: created.clientSecret, redirectUri: body.redirectUris[0] as string, postLogoutRedirectUris: created.postLogoutRedirectUris };
}

export async function discover(t: TestApp, c: RegisteredClient): Promise<client.Configuration> {
  return client.discovery(new URL(t.baseUrl), c.clientId, c.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
}

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly t: TestApp;
  constructor(t: TestApp, session?: TestSession) {
    this.t = t;
    if (session) this.setCookie(session.cookie);
  }
  setCookie(pair: string): void {
    const at = pair.indexOf('=');
    this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  /** Entente's CSRF token for the current session (as the web app reads it). */
  async csrf(): Promise<string> {
    const response = await fetch(`${this.t.baseUrl}/api/session`, { headers: { cookie: this.header() } });
    this.store(response);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    // A browser's navigation: it asks for HTML (oidc-provider answers errors as JSON otherwise).
    const headers = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...(init.headers as Record<string, string>), cookie: this.header() };
    const response = await fetch(url, { ...init, redirect: 'manual', headers });
    this.store(response);
    return response;
  }
}

export interface FlowEnd {
  /** Where the flow stopped: the client's redirect URI, Entente's sign-in or step-up, or a page. */
  url: URL;
  status: number;
  text: string;
  /** Consent pages met on the way (their API answers). */
  consents: { claims: string[]; scopes: string[]; client: { id: string } }[];
}

/**
 * Follows the browser through an authorization: stops at the client's redirect URI, at
 * Entente's sign-in page or step-up, or at any page that is not a redirect. `consent` answers
 * the consent page ('accept', 'deny', or 'stop' to stop there).
 */
export async function follow(
  browser: Browser,
  start: URL | string,
  options: { redirectUri: string; consent?: 'accept' | 'deny' | 'stop'; demoAgent?: { sub: string; secondFactor?: boolean } },
): Promise<FlowEnd> {
  const consents: FlowEnd['consents'] = [];
  let url = new URL(start);
  for (let step = 0; step < 20; step++) {
    if (url.href.startsWith(options.redirectUri)) return { url, status: 0, text: '', consents };
    if (url.pathname === '/connexion' || (url.pathname === '/auth/login' && options.demoAgent === undefined)) return { url, status: 0, text: '', consents };
    const consent = /^\/autorisation\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (consent) {
      const uid = consent[1] as string;
      const view = await browser.fetch(`${browser.t.baseUrl}/api/oidc/interactions/${uid}`);
      if (view.status !== 200) return { url, status: view.status, text: await view.text(), consents };
      consents.push((await view.json()) as FlowEnd['consents'][number]);
      const answer = options.consent ?? 'accept';
      if (answer === 'stop') return { url, status: 200, text: '', consents };
      const response = await browser.fetch(`${browser.t.baseUrl}/api/oidc/interactions/${uid}/${answer === 'accept' ? 'consent' : 'abort'}`, {
        method: 'POST',
        headers: { 'x-csrf-token': await browser.csrf(), origin: browser.t.baseUrl },
      });
      if (response.status !== 200) return { url, status: response.status, text: await response.text(), consents };
      url = new URL(((await response.json()) as { redirectTo: string }).redirectTo, browser.t.baseUrl);
      continue;
    }
    const response = await browser.fetch(url.href);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const text = await response.text();
    // The demo identity provider's login page (same origin): choose the agent, submit.
    const form = /<form method="post" action="([^"]+)"/.exec(text);
    if (response.status === 200 && form && text.includes('name="agent"') && options.demoAgent !== undefined) {
      const fields = new URLSearchParams({ agent: options.demoAgent.sub });
      if (options.demoAgent.secondFactor) fields.set('second_factor', 'on');
      const posted = await browser.fetch(new URL((form[1] as string).replaceAll('&amp;', '&'), url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      });
      const next = posted.headers.get('location');
      if (!next) return { url, status: posted.status, text: await posted.text(), consents };
      url = new URL(next, url);
      continue;
    }
    return { url, status: response.status, text, consents };
  }
  throw new Error('authorization did not finish in 20 steps');
}

/** A code + PKCE authorization as a service does it, up to the tokens. */
export async function signInToClient(
  browser: Browser,
  config: client.Configuration,
  c: RegisteredClient,
  params: Record<string, string> = {},
  consent: 'accept' | 'deny' | 'stop' = 'accept',
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: c.redirectUri,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  const end = await follow(browser, url, { redirectUri: c.redirectUri, consent });
  const tokens = end.url.href.startsWith(c.redirectUri) && end.url.searchParams.has('code')
    ? await client.authorizationCodeGrant(config, end.url, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce })
    : null;
  return { end, tokens, verifier, state, nonce };
}
