import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { Browser, discover, follow, type RegisteredClient, registerClient } from './oidc-provider-rp.ts';
import { startTestApp, type TestApp } from './support/app.ts';

/**
 * A downstream service signs agents in through Entente, which signs them in through their own
 * federation (the demo providers): the whole chain, as a browser goes through it.
 */
let t: TestApp;
let rp: RegisteredClient;
let config: client.Configuration;
const camille = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === DEMO_AGENTS[0]!.email)!;
const hugo = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === DEMO_AGENTS[1]!.email)!;

beforeAll(async () => {
  t = await startTestApp();
  rp = await registerClient(t, await t.signIn(DEMO_AGENTS[0]!), { name: 'Service fédéré', redirectUris: ['http://127.0.0.1:4011/cb'] });
  config = await discover(t, rp);
});
afterAll(async () => t?.close());

async function authorize(browser: Browser, params: Record<string, string>, demoAgent?: { sub: string; secondFactor?: boolean }) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: rp.redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  const end = await follow(browser, url, { redirectUri: rp.redirectUri, ...(demoAgent ? { demoAgent } : {}) });
  return { end, verifier, state };
}

async function tokensOf(flow: Awaited<ReturnType<typeof authorize>>) {
  return client.authorizationCodeGrant(config, flow.end.url, { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
}

describe('signing in to a service through Entente and the agent’s federation', () => {
  it('sends a newcomer to Entente’s sign-in, then through the federation, consent, and back with a code', async () => {
    const browser = new Browser(t);
    const flow = await authorize(browser, { scope: 'openid profile email' });
    expect(flow.end.url.pathname).toBe('/connexion');
    const retour = flow.end.url.searchParams.get('retour') as string;
    // The sign-in page sends the typed email to /auth/login with the return address.
    const signIn = new URL(`${t.baseUrl}/auth/login`);
    signIn.search = new URLSearchParams({ email: camille.email, returnTo: retour }).toString();
    const end = await follow(browser, signIn, { redirectUri: rp.redirectUri, demoAgent: { sub: camille.sub } });
    expect(end.consents).toHaveLength(1);
    expect(end.url.href.startsWith(rp.redirectUri)).toBe(true);
    const tokens = await tokensOf({ ...flow, end });
    expect(tokens.claims()?.acr).toBe('eidas1');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.given_name).toBe('Camille');
    // The federation vouched for the address at this sign-in (the demo ones do).
    expect(userinfo.email).toBe(camille.email);
    expect(userinfo.email_verified).toBe(true);
  });

  it('steps up through the federation when the service asks eidas2, and returns to the service', async () => {
    const browser = new Browser(t);
    // Signed in at eidas1 (no second factor) first.
    const first = await authorize(browser, {});
    const signIn = new URL(`${t.baseUrl}/auth/login`);
    signIn.search = new URLSearchParams({ email: hugo.email, returnTo: first.end.url.searchParams.get('retour') as string }).toString();
    await follow(browser, signIn, { redirectUri: rp.redirectUri, demoAgent: { sub: hugo.sub } });
    // Now the service needs more: Entente asks the federation for the second factor.
    const stepUp = await authorize(browser, { acr_values: 'eidas2' });
    expect(stepUp.end.url.pathname).toBe('/auth/login');
    expect(stepUp.end.url.searchParams.get('level')).toBe('substantial');
    const end = await follow(browser, stepUp.end.url, { redirectUri: rp.redirectUri, demoAgent: { sub: hugo.sub, secondFactor: true } });
    expect(end.url.href.startsWith(rp.redirectUri)).toBe(true);
    const tokens = await tokensOf({ ...stepUp, end });
    expect(tokens.claims()?.acr).toBe('eidas2');
    // The federation did not give the level: no code, no weaker acr.
    const refused = await authorize(new Browser(t, await t.signIn(DEMO_AGENTS[1]!)), { acr_values: 'eidas3' });
    expect(refused.end.url.pathname).toBe('/auth/login');
    expect(refused.end.url.searchParams.get('level')).toBe('high');
  });

  it('does not sign in silently once the Entente session has ended, nor as the previous agent', async () => {
    const session = await t.signIn(DEMO_AGENTS[1]!);
    const browser = new Browser(t, session);
    const first = await authorize(browser, {});
    expect(first.end.url.searchParams.get('code')).toBeTruthy();
    const sub = (await tokensOf(first)).claims()!.sub;
    const silent = await authorize(browser, { prompt: 'none' });
    expect(silent.end.url.searchParams.get('code')).toBeTruthy();
    // Signed out of Entente: the OpenID session does not outlive it.
    expect((await fetch(`${t.baseUrl}/api/me/sessions/${session.sessionId}`, { method: 'DELETE', headers: session.headers })).status).toBe(204);
    const after = await authorize(browser, { prompt: 'none' });
    expect(after.end.url.searchParams.get('error')).toBe('login_required');
    expect(after.end.url.searchParams.get('code')).toBeNull();
    // Someone else signs in to Entente on that browser: the service gets them, not the previous agent.
    const other = await t.signIn(DEMO_AGENTS[0]!);
    browser.setCookie(other.cookie);
    const next = await authorize(browser, {});
    const nextSub = (await tokensOf(next)).claims()!.sub;
    expect(nextSub).not.toBe(sub);
  });

  it('limits the token endpoint per address without locking out others', async () => {
    const from = (ip: string) =>
      fetch(`${t.baseUrl}/oidc/token`, {
        method: 'POST',
        headers: { 'x-forwarded-for': ip, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&code=nope&client_id=unknown',
      });
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await from('198.51.100.80')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    const limited = await from('198.51.100.80');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: string }).error).toBe('temporarily_unavailable');
    const other = await from('198.51.100.81');
    expect(other.status).toBe(401);
    expect(((await other.json()) as { error: string }).error).toBe('invalid_client');
  });
});
