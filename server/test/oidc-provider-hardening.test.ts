import { sql } from 'kysely';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { CLIENT_REMOVED_TOPIC } from '../src/identity/provider/index.ts';
import { createKyselyAdapterClass } from '../src/identity/provider/adapter.ts';
import { findConsent, mergeConsent } from '../src/identity/provider/consents.repo.ts';
import { Browser, discover, follow, type RegisteredClient, registerClient, signInToClient } from './oidc-provider-rp.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Entente's OpenID provider against what a careless or hostile service (or a race between nodes)
 * would try: claims beyond the client's scopes, endpoints spelled differently to escape the rate
 * limits, stale sign-ins, replayed codes, personal data kept in the control plane.
 */
let t: TestApp;
let operator: TestSession;
let full: RegisteredClient; // every scope
let config: client.Configuration;

beforeAll(async () => {
  t = await startTestApp();
  operator = await t.signIn(DEMO_AGENTS[0]!);
  full = await registerClient(t, operator, { name: 'Service complet', redirectUris: ['http://127.0.0.1:4021/cb'] });
  config = await discover(t, full);
});
afterAll(async () => t?.close());

const pkce = async () => {
  const verifier = client.randomPKCECodeVerifier();
  return { verifier, challenge: await client.calculatePKCECodeChallenge(verifier) };
};

/** A session as a federation sign-in makes it (upstream and level known). */
async function federatedSession(agent: (typeof DEMO_AGENTS)[number], level: 'low' | 'substantial' = 'low') {
  return t.entente.sessions.create({
    principalId: agent.id,
    homeJurisdiction: agent.jurisdiction,
    ip: '127.0.0.1',
    userAgent: 'test',
    authMethod: 'oidc',
    federation: { upstream: agent.jurisdiction === 'FR' ? 'demo-fr' : 'demo-qc', assuranceLevel: level, acr: level === 'low' ? 'eidas1' : 'eidas2', idToken: null },
  });
}

describe('claims beyond the client’s scopes', () => {
  it('refuses a claims parameter naming claims the client is not registered for', async () => {
    const narrow = await registerClient(t, operator, { name: 'Service restreint', redirectUris: ['http://127.0.0.1:4022/cb'], scopes: ['openid'] });
    const narrowConfig = await discover(t, narrow);
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[1]!));
    const claims = JSON.stringify({ userinfo: { email: null, organization: null }, id_token: { given_name: { essential: true } } });
    const { end, tokens } = await signInToClient(browser, narrowConfig, narrow, { scope: 'openid', claims });
    expect(end.consents).toHaveLength(0);
    expect(tokens).toBeNull();
    expect(end.url.href.startsWith(narrow.redirectUri)).toBe(true);
    expect(end.url.searchParams.get('error')).toBe('invalid_request');
    expect(end.url.searchParams.get('code')).toBeNull();
    // Claims about the authentication, and names Entente does not know, stay acceptable.
    const harmless = JSON.stringify({ id_token: { auth_time: { essential: true }, acr: null, phone_number: null } });
    const ok = await signInToClient(browser, narrowConfig, narrow, { scope: 'openid', claims: harmless });
    expect(ok.end.consents[0]?.claims).toEqual(['sub', 'acr']);
    expect(ok.tokens).not.toBeNull();
    const userinfo = await client.fetchUserInfo(narrowConfig, ok.tokens!.access_token, ok.tokens!.claims()!.sub);
    expect(Object.keys(userinfo)).toEqual(['sub']);
  });

  it('gives a claim named in the claims parameter when the client’s scopes allow it', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[2]!));
    const { end, tokens } = await signInToClient(browser, config, full, { scope: 'openid', claims: JSON.stringify({ userinfo: { email: null } }) });
    expect(end.consents[0]?.claims).toEqual(['sub', 'acr', 'email']);
    const userinfo = await client.fetchUserInfo(config, tokens!.access_token, tokens!.claims()!.sub);
    expect(userinfo.email).toBe(DEMO_AGENTS[2]!.email);
    expect(userinfo.given_name).toBeUndefined();
  });

  it('narrowing a client narrows what remembered consents give it', async () => {
    const c = await registerClient(t, operator, { name: 'Service rétréci', redirectUris: ['http://127.0.0.1:4023/cb'], scopes: ['openid', 'email', 'profile'] });
    const cConfig = await discover(t, c);
    const agent = DEMO_AGENTS[3]!;
    const first = await signInToClient(new Browser(t, await t.signIn(agent)), cConfig, c, { scope: 'openid email profile' });
    expect(first.end.consents).toHaveLength(1);
    // The operator takes email and profile away (as an SQL change would); nodes forget the client.
    await t.entente.stores.control.db.updateTable('oidc_clients').set({ scopes: ['openid'] }).where('client_id', '=', c.clientId).execute();
    await t.entente.events.publish(CLIENT_REMOVED_TOPIC, { clientId: c.clientId });
    const again = await signInToClient(new Browser(t, await t.signIn(agent)), cConfig, c, { scope: 'openid' });
    expect(again.end.consents).toHaveLength(0);
    expect(again.tokens).not.toBeNull();
    // The grant rebuilt from the remembered consent holds only what the client may still get.
    const grants = await t.entente.stores.control.db
      .selectFrom('oidc_models')
      .select('payload')
      .where('model', '=', 'Grant')
      .where(sql<string>`payload->>'clientId'`, '=', c.clientId)
      .execute();
    const scopes = grants.map((g) => (g.payload as { openid?: { scope?: string } }).openid?.scope);
    expect(scopes).toContain('openid');
    expect(scopes.filter((s) => s === 'openid')).toHaveLength(1);
    const userinfo = await client.fetchUserInfo(cConfig, again.tokens!.access_token, again.tokens!.claims()!.sub);
    expect(userinfo.email).toBeUndefined();
  });
});

describe('endpoints spelled differently', () => {
  it('answers 404 to /oidc/TOKEN and /oidc/token/ instead of an unlimited token endpoint', async () => {
    const post = (path: string) =>
      fetch(`${t.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'x-forwarded-for': '198.51.100.90', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&code=nope&client_id=unknown',
      });
    const statuses: number[] = [];
    const bodies = new Set<string>();
    for (let i = 0; i < 130; i++) {
      const response = await post(i % 2 === 0 ? '/oidc/TOKEN' : '/oidc/token/');
      statuses.push(response.status);
      bodies.add(((await response.json()) as { error: string }).error);
    }
    // None reached the token endpoint (it would have answered invalid_client, 401).
    expect(new Set(statuses)).toEqual(new Set([404]));
    expect([...bodies]).toEqual(['not_found']);
    for (const path of ['/oidc/Auth', '/oidc/auth/', '/oidc/ME', '/oidc/token/introspection/', '/oidc/request']) {
      const response = await fetch(`${t.baseUrl}${path}?client_id=${full.clientId}`, { headers: { accept: 'text/html' } });
      expect(response.status, path).toBe(404);
      expect(await response.text()).toContain('<html lang="fr-FR">');
    }
    // The real one still answers, as the token endpoint.
    const real = await post('/oidc/token');
    expect(real.status).toBe(401);
  });
});

describe('discovery and response modes', () => {
  it('advertises no endpoint that does not exist', async () => {
    const metadata = (await (await fetch(`${t.baseUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.pushed_authorization_request_endpoint).toBeUndefined();
    const endpoints = Object.entries(metadata).filter(([k, v]) => (k.endsWith('_endpoint') || k === 'jwks_uri') && typeof v === 'string');
    expect(endpoints.length).toBeGreaterThanOrEqual(7);
    for (const [name, url] of endpoints) {
      expect(String(url).startsWith(t.baseUrl), name).toBe(true);
      const get = await fetch(String(url), { redirect: 'manual' });
      const post = await fetch(String(url), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      expect([get.status, post.status], name).not.toEqual([404, 404]);
    }
    expect((await fetch(`${t.baseUrl}/request`, { method: 'POST' })).status).toBe(404);
  });

  it('form_post works under the page’s CSP: the script allowed by its hash, the form by the client’s origin', async () => {
    const metadata = (await (await fetch(`${t.baseUrl}/.well-known/openid-configuration`)).json()) as { response_modes_supported: string[] };
    expect(metadata.response_modes_supported).toContain('form_post');
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[1]!));
    await signInToClient(browser, config, full, { scope: 'openid' }); // consent out of the way
    const { verifier, challenge } = await pkce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: full.redirectUri,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      response_mode: 'form_post',
    });
    let response = await browser.fetch(url.href);
    for (let i = 0; i < 5 && response.status >= 300 && response.status < 400; i++) {
      response = await browser.fetch(new URL(response.headers.get('location') ?? '', t.baseUrl).href);
    }
    expect(response.status).toBe(200);
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const { createHash } = await import('node:crypto');
    const directive = (name: string) => csp.split(';').map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name)?.slice(1) ?? [];
    expect(directive('script-src')).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(directive('form-action')).toEqual(["'self'", new URL(full.redirectUri).origin]);
    expect(html).toContain(`action="${full.redirectUri}"`);
    // The service receives the form: the code is good.
    const fields = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1] as string, m[2] as string]));
    expect(fields.get('state')).toBe(state);
    const tokens = await client.authorizationCodeGrant(config, new Request(full.redirectUri, { method: 'POST', body: fields }), { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.access_token).toBeTruthy();
    // An unregistered redirect URI gets no form at all (and so nothing to allow).
    const evil = new URL(url);
    evil.searchParams.set('redirect_uri', 'https://attacker.example/cb');
    const refused = await browser.fetch(evil.href);
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).not.toContain('attacker.example');
    expect(refused.headers.get('content-security-policy')).not.toContain('attacker.example');
  });
});

describe('fresh sign-in', () => {
  it('prompt=login sends the agent back to their federation, and accepts only a sign-in made afterwards', async () => {
    const agent = DEMO_AGENTS[0]!;
    const account = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === agent.email)!;
    const old = await federatedSession(agent);
    const browser = new Browser(t);
    browser.setCookie(`entente_session=${old.token}`);
    // Consent first, so that the second run shows what prompt=login changes alone.
    const before = await signInToClient(browser, config, full, { scope: 'openid' });
    expect(before.tokens).not.toBeNull();
    // Sign-in times count in seconds: let the session be of an earlier second than the request.
    await new Promise((r) => setTimeout(r, 1100));
    const { verifier, challenge } = await pkce();
    const state = client.randomState();
    const startedAt = Math.floor(Date.now() / 1000);
    const url = client.buildAuthorizationUrl(config, { redirect_uri: full.redirectUri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state, prompt: 'login' });
    const stop = await follow(browser, url, { redirectUri: full.redirectUri });
    expect(stop.url.pathname).toBe('/auth/login');
    expect(stop.url.searchParams.get('upstream')).toBe('demo-fr');
    expect(stop.url.searchParams.get('level')).toBe('low');
    expect(stop.url.searchParams.get('returnTo')).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
    // …and Entente asks the federation for a fresh authentication too, not its existing session.
    expect(stop.url.searchParams.get('reauth')).toBe('1');
    const upstream = await browser.fetch(stop.url.href);
    expect(new URL(upstream.headers.get('location') ?? '').searchParams.get('prompt')).toBe('login');
    // The agent signs in at the federation again: a new Entente session, and the code.
    const end = await follow(browser, stop.url, { redirectUri: full.redirectUri, demoAgent: { sub: account.sub } });
    expect(end.url.href.startsWith(full.redirectUri)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, end.url, { pkceCodeVerifier: verifier, expectedState: state });
    expect(Number(tokens.claims()!.auth_time)).toBeGreaterThanOrEqual(startedAt);
    expect(tokens.claims()!.sub).toBe(before.tokens!.claims()!.sub);
  });

  it('max_age older than the sign-in asks for a new one; a recent enough sign-in goes through', async () => {
    const agent = DEMO_AGENTS[1]!;
    const session = await federatedSession(agent);
    const browser = new Browser(t);
    browser.setCookie(`entente_session=${session.token}`);
    const recent = await signInToClient(browser, config, full, { scope: 'openid', max_age: '3600' });
    expect(recent.tokens).not.toBeNull();
    await new Promise((r) => setTimeout(r, 2100));
    const stale = await signInToClient(browser, config, full, { scope: 'openid', max_age: '1' });
    expect(stale.tokens).toBeNull();
    expect(stale.end.url.pathname).toBe('/auth/login');
    expect(stale.end.url.searchParams.get('upstream')).toBe('demo-fr');
  });
});

describe('personal data in the control plane', () => {
  it('keeps neither login_hint nor id_token_hint in stored interactions, and the flow still works', async () => {
    const agent = DEMO_AGENTS[2]!;
    const browser = new Browser(t, await t.signIn(agent));
    const first = await signInToClient(browser, config, full, { scope: 'openid' });
    const idToken = first.tokens!.id_token!;
    const { verifier, challenge } = await pkce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: full.redirectUri,
      scope: 'openid email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      login_hint: agent.email,
      id_token_hint: idToken,
    });
    const atConsent = await follow(browser, url, { redirectUri: full.redirectUri, consent: 'stop' });
    expect(atConsent.consents).toHaveLength(1);
    const stored = await t.entente.stores.control.db.selectFrom('oidc_models').select('payload').where('model', '=', 'Interaction').execute();
    expect(stored.length).toBeGreaterThan(0);
    const text = JSON.stringify(stored.map((r) => r.payload));
    expect(text).not.toContain(agent.email);
    expect(text).not.toContain(idToken.split('.')[1]);
    const end = await follow(browser, atConsent.url, { redirectUri: full.redirectUri });
    const tokens = await client.authorizationCodeGrant(config, end.url, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()!.sub).toBe(first.tokens!.claims()!.sub);
  });
});

describe('one code, two exchanges at once', () => {
  it('gives tokens once: the other exchanges get invalid_grant', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[3]!));
    await signInToClient(browser, config, full, { scope: 'openid' }); // consent out of the way
    const { verifier, challenge } = await pkce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: full.redirectUri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state });
    const end = await follow(browser, url, { redirectUri: full.redirectUri });
    expect(end.url.searchParams.get('code')).toBeTruthy();
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => client.authorizationCodeGrant(config, end.url, { pkceCodeVerifier: verifier, expectedState: state })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
  });

  it('the storage marks a code used once only (another node’s second use throws)', async () => {
    const Adapter = createKyselyAdapterClass(t.entente.stores.control.db, async () => undefined);
    const codes = new Adapter('AuthorizationCode');
    const grants = new Adapter('Grant');
    await grants.upsert('grant-race', { jti: 'grant-race', accountId: DEMO_AGENTS[0]!.id, clientId: full.clientId }, 60);
    await codes.upsert('code-race', { jti: 'code-race', grantId: 'grant-race' }, 60);
    await codes.consume('code-race');
    expect((await codes.find('code-race'))?.consumed).toEqual(expect.any(Number));
    await expect(codes.consume('code-race')).rejects.toMatchObject({ error: 'invalid_grant' });
    // The reuse revoked the grant (and so what it gave).
    expect(await grants.find('grant-race')).toBeUndefined();
  });
});

describe('OpenID session and Entente session', () => {
  it('a refused silent authorization does not tie the OpenID session to another Entente session', async () => {
    const agent = DEMO_AGENTS[1]!;
    const first = await t.signIn(agent);
    const browser = new Browser(t, first);
    expect((await signInToClient(browser, config, full, { scope: 'openid' })).tokens).not.toBeNull();
    expect((await signInToClient(browser, config, full, { scope: 'openid', prompt: 'none' })).tokens).not.toBeNull();
    // Another Entente session of the same agent on this browser (the first one is still alive).
    const second = await t.signIn(agent);
    browser.setCookie(second.cookie);
    for (let i = 0; i < 2; i++) {
      const silent = await signInToClient(browser, config, full, { scope: 'openid', prompt: 'none' });
      expect(silent.tokens).toBeNull();
      expect(silent.end.url.searchParams.get('error')).toBe('login_required');
    }
    // Ending the first Entente session still ends the OpenID session it opened: no silent sign-in.
    expect((await fetch(`${t.baseUrl}/api/me/sessions/${first.sessionId}`, { method: 'DELETE', headers: first.headers })).status).toBe(204);
    const after = await signInToClient(browser, config, full, { scope: 'openid', prompt: 'none' });
    expect(after.end.url.searchParams.get('error')).toBe('login_required');
    // An interactive authorization with the second session works (and links to it).
    expect((await signInToClient(browser, config, full, { scope: 'openid' })).tokens).not.toBeNull();
  });
});

describe('consent storage and audit', () => {
  it('merges consents in one statement: two consents given at once both remain', async () => {
    const db = t.entente.stores.control.db;
    const row = (scopes: string[], claims: string[]) => ({ principal_id: DEMO_AGENTS[0]!.id, client_id: full.clientId, scopes, claims, given_at: new Date() });
    await Promise.all([mergeConsent(db, row(['openid', 'profile'], [])), mergeConsent(db, row(['openid', 'email'], ['email']))]);
    await mergeConsent(db, row(['openid', 'jurisdiction'], []));
    const consent = await findConsent(db, DEMO_AGENTS[0]!.id, full.clientId);
    expect([...(consent?.scopes ?? [])].sort()).toEqual(['email', 'jurisdiction', 'openid', 'profile']);
    expect(consent?.claims).toEqual(['email']);
  });

  it('audits a refusal, and client changes with the operator’s address', async () => {
    const agent = DEMO_AGENTS[2]!;
    const browser = new Browser(t, await t.signIn(agent));
    const { end } = await signInToClient(browser, config, full, { scope: 'openid profile jurisdiction', prompt: 'consent' }, 'deny');
    expect(end.url.searchParams.get('error')).toBe('access_denied');
    const refused = await t.entente.audit.list({ jurisdiction: agent.jurisdiction, action: 'oidc.consent.refused', actorId: agent.id, limit: 5 });
    expect(refused.map((e) => e.resource_id)).toContain(full.clientId);
    const response = await fetch(`${t.baseUrl}/api/admin/oidc/clients`, {
      method: 'POST',
      headers: { ...operator.headers, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify({ name: { 'fr-FR': 'Audité', en: 'Audited' }, redirectUris: ['https://audit.example/cb'] }),
    });
    const created = (await response.json()) as { clientId: string };
    expect((await fetch(`${t.baseUrl}/api/admin/oidc/clients/${created.clientId}`, { method: 'DELETE', headers: { ...operator.headers, 'x-forwarded-for': '203.0.113.8' } })).status).toBe(204);
    const operatorCell = DEMO_AGENTS[0]!.jurisdiction;
    const registered = await t.entente.audit.list({ jurisdiction: operatorCell, action: 'oidc.client.registered', actorId: DEMO_AGENTS[0]!.id, limit: 20 });
    const removed = await t.entente.audit.list({ jurisdiction: operatorCell, action: 'oidc.client.removed', actorId: DEMO_AGENTS[0]!.id, limit: 20 });
    expect(registered.find((e) => e.resource_id === created.clientId)?.ip).toBeTruthy();
    expect(removed.find((e) => e.resource_id === created.clientId)?.ip).toBeTruthy();
  });
});
