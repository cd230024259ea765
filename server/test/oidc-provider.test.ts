import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { Browser, discover, follow, type RegisteredClient, registerClient, signInToClient } from './oidc-provider-rp.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/** Entente as OpenID provider, driven by the real openid-client as a downstream service. */
let t: TestApp;
let camille: TestSession; // operator in demo data
let a: RegisteredClient; // sector 127.0.0.1:4001
let b: RegisteredClient; // sector localhost:4002
let configA: client.Configuration;
let configB: client.Configuration;

beforeAll(async () => {
  t = await startTestApp();
  camille = await t.signIn(DEMO_AGENTS[0]!);
  a = await registerClient(t, camille, {
    name: 'Service A',
    redirectUris: ['http://127.0.0.1:4001/cb'],
    postLogoutRedirectUris: ['http://127.0.0.1:4001/au-revoir'],
  });
  b = await registerClient(t, camille, { name: 'Service B', redirectUris: ['http://localhost:4002/cb'] });
  configA = await discover(t, a);
  configB = await discover(t, b);
});
afterAll(async () => t?.close());

/** Audit of protocol events is written after the answer: wait for it a little. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 3000;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = await read();
  }
  return value;
}

describe('discovery', () => {
  it('publishes the issuer at the root and the endpoints under /oidc', async () => {
    const metadata = configA.serverMetadata();
    expect(metadata.issuer).toBe(t.baseUrl);
    expect(metadata.authorization_endpoint).toBe(`${t.baseUrl}/oidc/auth`);
    expect(metadata.token_endpoint).toBe(`${t.baseUrl}/oidc/token`);
    expect(metadata.userinfo_endpoint).toBe(`${t.baseUrl}/oidc/me`);
    expect(metadata.jwks_uri).toBe(`${t.baseUrl}/oidc/jwks`);
    expect(metadata.end_session_endpoint).toBe(`${t.baseUrl}/oidc/session/end`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.subject_types_supported).toEqual(['pairwise']);
    expect(metadata.acr_values_supported).toEqual(['eidas1', 'eidas2', 'eidas3']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'organization', 'jurisdiction', 'offline_access']));
    expect(metadata.registration_endpoint).toBeUndefined();
    const jwks = (await (await fetch(`${t.baseUrl}/oidc/jwks`)).json()) as { keys: { alg: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(jwks.keys.some((k) => k.d !== undefined)).toBe(false);
  });
});

describe('authorization code with PKCE', () => {
  it('signs an agent in: consent, ID token, userinfo with the claims of the scopes', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[1]!));
    const { end, tokens } = await signInToClient(browser, configA, a, { scope: 'openid profile email organization jurisdiction' });
    expect(end.consents).toHaveLength(1);
    expect(end.consents[0]?.claims).toEqual(['sub', 'acr', 'given_name', 'family_name', 'name', 'locale', 'email', 'email_verified', 'organization', 'jurisdiction']);
    expect(tokens).not.toBeNull();
    const claims = tokens!.claims()!;
    expect(claims.iss).toBe(t.baseUrl);
    expect(claims.aud).toBe(a.clientId);
    expect(claims.acr).toBe('eidas1');
    expect(claims.sub).not.toBe(DEMO_AGENTS[1]!.id);
    const userinfo = await client.fetchUserInfo(configA, tokens!.access_token, claims.sub);
    expect(userinfo).toMatchObject({
      sub: claims.sub,
      given_name: 'Hugo',
      family_name: 'Bernard',
      email: 'hugo.bernard@dsne.demo-gouv-fr.test',
      // Signed in without a federation vouching for the address (a test session): not verified.
      email_verified: false,
      jurisdiction: 'FR',
      organization: { siret: '11000000200011' },
    });
    const granted = await eventually(
      () => t.entente.audit.list({ jurisdiction: 'FR', action: 'oidc.authorization.granted', actorId: DEMO_AGENTS[1]!.id, limit: 5 }),
      (events) => events.length > 0,
    );
    expect(granted.map((e) => e.resource_id)).toContain(a.clientId);
    const consented = await t.entente.audit.list({ jurisdiction: 'FR', action: 'oidc.consent.given', actorId: DEMO_AGENTS[1]!.id, limit: 5 });
    expect(consented.map((e) => e.resource_id)).toContain(a.clientId);
  });
});

describe('claims and subjects', () => {
  it('gives only the claims of the scopes asked', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[2]!));
    const { end, tokens } = await signInToClient(browser, configA, a, { scope: 'openid email' });
    expect(end.consents[0]?.claims).toEqual(['sub', 'acr', 'email', 'email_verified']);
    const userinfo = await client.fetchUserInfo(configA, tokens!.access_token, tokens!.claims()!.sub);
    expect(userinfo.email).toBe('emilie.tremblay@mcn.demo-gouv-qc.test');
    expect(userinfo.given_name).toBeUndefined();
    expect(userinfo.organization).toBeUndefined();
    expect(userinfo.jurisdiction).toBeUndefined();
  });

  it('gives pairwise subjects: different between sectors, stable within one', async () => {
    const agent = DEMO_AGENTS[3]!;
    const first = await signInToClient(new Browser(t, await t.signIn(agent)), configA, a);
    const again = await signInToClient(new Browser(t, await t.signIn(agent)), configA, a);
    const other = await signInToClient(new Browser(t, await t.signIn(agent)), configB, b);
    const subA = first.tokens!.claims()!.sub;
    expect(again.tokens!.claims()!.sub).toBe(subA);
    expect(other.tokens!.claims()!.sub).not.toBe(subA);
    expect(subA).not.toContain(agent.id);
    // Another agent of the same sector gets another subject.
    const someoneElse = await signInToClient(new Browser(t, await t.signIn(DEMO_AGENTS[1]!)), configA, a);
    expect(someoneElse.tokens!.claims()!.sub).not.toBe(subA);
  });
});

describe('consent', () => {
  it('is remembered per client: the second authorization asks nothing', async () => {
    const c = await registerClient(t, camille, { name: 'Service mémoire', redirectUris: ['http://127.0.0.1:4003/cb'] });
    const config = await discover(t, c);
    const agent = DEMO_AGENTS[1]!;
    const first = await signInToClient(new Browser(t, await t.signIn(agent)), config, c, { scope: 'openid profile' });
    expect(first.end.consents).toHaveLength(1);
    expect(first.tokens).not.toBeNull();
    const second = await signInToClient(new Browser(t, await t.signIn(agent)), config, c, { scope: 'openid profile' });
    expect(second.end.consents).toHaveLength(0);
    expect(second.tokens).not.toBeNull();
    // Asking for more than was consented to asks again, for the new claims too.
    const more = await signInToClient(new Browser(t, await t.signIn(agent)), config, c, { scope: 'openid profile email' });
    expect(more.end.consents).toHaveLength(1);
    expect(more.end.consents[0]?.claims).toContain('email');
  });

  it('refused: the service gets access_denied', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[0]!));
    const { end, tokens } = await signInToClient(browser, configB, b, { scope: 'openid profile' }, 'deny');
    expect(tokens).toBeNull();
    expect(end.url.href.startsWith(b.redirectUri)).toBe(true);
    expect(end.url.searchParams.get('error')).toBe('access_denied');
  });

  it('withdrawn: the refresh token stops working and consent is asked again', async () => {
    const agent = DEMO_AGENTS[2]!;
    const session = await t.signIn(agent);
    const browser = new Browser(t, session);
    const { tokens } = await signInToClient(browser, configA, a, { scope: 'openid profile offline_access', prompt: 'consent' });
    expect(tokens?.refresh_token).toBeTruthy();
    const grants = (await (await fetch(`${t.baseUrl}/api/me/oidc/grants`, { headers: { cookie: session.cookie } })).json()) as {
      grants: { clientId: string; claims: string[] }[];
    };
    expect(grants.grants.find((g) => g.clientId === a.clientId)?.claims).toEqual(expect.arrayContaining(['sub', 'given_name']));
    const withdrawn = await fetch(`${t.baseUrl}/api/me/oidc/grants/${a.clientId}`, { method: 'DELETE', headers: session.headers });
    expect(withdrawn.status).toBe(204);
    await expect(client.refreshTokenGrant(configA, tokens!.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await client.tokenIntrospection(configA, tokens!.access_token)).active).toBe(false);
    const again = await signInToClient(new Browser(t, await t.signIn(agent)), configA, a, { scope: 'openid profile' });
    expect(again.end.consents).toHaveLength(1);
    const events = await t.entente.audit.list({ jurisdiction: agent.jurisdiction, action: 'oidc.consent.withdrawn', actorId: agent.id, limit: 5 });
    expect(events.map((e) => e.resource_id)).toContain(a.clientId);
  });

  it('page data belongs to the agent of the authorization only', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[3]!));
    const { end } = await signInToClient(browser, configB, b, { scope: 'openid email', prompt: 'consent' }, 'stop');
    const uid = end.url.pathname.split('/').pop() as string;
    const intruder = await t.signIn(DEMO_AGENTS[1]!);
    const peek = await fetch(`${t.baseUrl}/api/oidc/interactions/${uid}`, { headers: { cookie: intruder.cookie } });
    expect(peek.status).toBe(404);
    const accept = await fetch(`${t.baseUrl}/api/oidc/interactions/${uid}/consent`, { method: 'POST', headers: intruder.headers });
    expect(accept.status).toBe(404);
    const anonymous = await fetch(`${t.baseUrl}/api/oidc/interactions/${uid}`);
    expect(anonymous.status).toBe(401);
  });
});

describe('tokens', () => {
  it('rotates refresh tokens: the old one is refused after use', async () => {
    const { tokens } = await signInToClient(new Browser(t, await t.signIn(DEMO_AGENTS[0]!)), configA, a, {
      scope: 'openid offline_access',
      prompt: 'consent',
    });
    const first = tokens!.refresh_token!;
    const refreshed = await client.refreshTokenGrant(configA, first);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    expect(refreshed.claims()?.sub).toBe(tokens!.claims()!.sub);
    await expect(client.refreshTokenGrant(configA, first)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('introspects (for the client only) and revokes', async () => {
    const { tokens } = await signInToClient(new Browser(t, await t.signIn(DEMO_AGENTS[1]!)), configA, a);
    const active = await client.tokenIntrospection(configA, tokens!.access_token);
    expect(active.active).toBe(true);
    expect(active.client_id).toBe(a.clientId);
    expect(active.sub).toBe(tokens!.claims()!.sub);
    // Another service learns nothing about it, and cannot revoke it.
    expect((await client.tokenIntrospection(configB, tokens!.access_token)).active).toBe(false);
    await client.tokenRevocation(configB, tokens!.access_token).catch(() => {});
    expect((await client.tokenIntrospection(configA, tokens!.access_token)).active).toBe(true);
    await client.tokenRevocation(configA, tokens!.access_token);
    expect((await client.tokenIntrospection(configA, tokens!.access_token)).active).toBe(false);
    const revoked = await eventually(
      () => t.entente.audit.list({ jurisdiction: null, action: 'oidc.token.revoked', limit: 20 }),
      (events) => events.some((e) => e.resource_id === a.clientId),
    );
    expect(revoked.some((e) => e.resource_id === a.clientId)).toBe(true);
    await expect(client.fetchUserInfo(configA, tokens!.access_token, tokens!.claims()!.sub)).rejects.toThrow();
    // A client with a wrong secret gets nothing.
    const forged = await client.discovery(new URL(t.baseUrl), a.clientId, 'not-the-secret', undefined, { execute: [client.allowInsecureRequests] });
    await expect(client.tokenIntrospection(forged, tokens!.access_token)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a reused authorization code and revokes what it gave', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[1]!));
    const { end, tokens, verifier, state, nonce } = await signInToClient(browser, configA, a);
    expect(tokens).not.toBeNull();
    await expect(
      client.authorizationCodeGrant(configA, end.url, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await client.tokenIntrospection(configA, tokens!.access_token)).active).toBe(false);
    const reused = (e: { resource_id: string | null; details: Record<string, unknown> }) => e.resource_id === a.clientId && e.details.error === 'invalid_grant';
    const failures = await eventually(
      () => t.entente.audit.list({ jurisdiction: null, action: 'oidc.token.failed', limit: 20 }),
      (events) => events.some(reused),
    );
    expect(failures.some(reused)).toBe(true);
  });
});

describe('attacks on the authorization request', () => {
  const start = async (params: Record<string, string>) => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[0]!));
    const url = new URL(`${t.baseUrl}/oidc/auth`);
    for (const [k, v] of Object.entries({ client_id: a.clientId, response_type: 'code', scope: 'openid', state: 'x'.repeat(43), ...params })) url.searchParams.set(k, v);
    return browser.fetch(url.href);
  };
  let challenge: string;
  beforeAll(async () => {
    challenge = await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier());
  });

  it('does not redirect to an unregistered redirect URI, even one differing by a trailing slash', async () => {
    for (const redirect of ['http://127.0.0.1:4001/cb/', 'http://127.0.0.1:4001/evil', 'https://attacker.example/cb']) {
      const response = await start({ redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const html = await response.text();
      expect(html).toContain('<html lang="fr-FR">');
      expect(html).toContain('n’est pas enregistrée');
      expect(html).not.toMatch(/at .*\.js:\d+/); // no stack
    }
    const refused = await eventually(
      () => t.entente.audit.list({ jurisdiction: null, action: 'oidc.authorization.failed', limit: 20 }),
      (events) => events.filter((e) => e.details.error === 'invalid_redirect_uri').length >= 3,
    );
    expect(refused.filter((e) => e.details.error === 'invalid_redirect_uri').length).toBeGreaterThanOrEqual(3);
  });

  it('requires PKCE (S256)', async () => {
    const missing = await start({ redirect_uri: a.redirectUri });
    const location = new URL(missing.headers.get('location') ?? '', t.baseUrl);
    expect(location.href.startsWith(a.redirectUri)).toBe(true);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
    const plain = await start({ redirect_uri: a.redirectUri, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' });
    expect(new URL(plain.headers.get('location') ?? '', t.baseUrl).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses the implicit flow', async () => {
    const response = await start({ redirect_uri: a.redirectUri, response_type: 'id_token', nonce: 'n'.repeat(20) });
    const location = new URL(response.headers.get('location') ?? '', t.baseUrl);
    expect(location.href.startsWith(a.redirectUri)).toBe(true);
    // The error of a fragment response type comes back in the fragment.
    const error = location.searchParams.get('error') ?? new URLSearchParams(location.hash.slice(1)).get('error');
    expect(error).toBe('unsupported_response_type');
    expect(location.hash).not.toContain('id_token=');
  });

  it('sends a browser without an Entente session to the sign-in page, and back', async () => {
    const browser = new Browser(t);
    const url = client.buildAuthorizationUrl(configA, {
      redirect_uri: a.redirectUri,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: client.randomState(),
    });
    const end = await follow(browser, url, { redirectUri: a.redirectUri });
    expect(end.url.pathname).toBe('/connexion');
    expect(end.url.searchParams.get('retour')).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
  });

  it('steps up through the agent’s federation when acr_values asks more than the session has', async () => {
    const agent = DEMO_AGENTS[0]!;
    const session = await t.entente.sessions.create({
      principalId: agent.id,
      homeJurisdiction: agent.jurisdiction,
      ip: '127.0.0.1',
      userAgent: 'test',
      authMethod: 'oidc',
      federation: { upstream: 'demo-fr', assuranceLevel: 'low', acr: 'eidas1', idToken: null },
    });
    const browser = new Browser(t);
    browser.setCookie(`entente_session=${session.token}`);
    const url = client.buildAuthorizationUrl(configA, {
      redirect_uri: a.redirectUri,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: client.randomState(),
      acr_values: 'eidas2',
    });
    const end = await follow(browser, url, { redirectUri: a.redirectUri });
    expect(end.url.pathname).toBe('/auth/login');
    expect(end.url.searchParams.get('level')).toBe('substantial');
    expect(end.url.searchParams.get('upstream')).toBe('demo-fr');
    expect(end.url.searchParams.get('returnTo')).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
    // A session at the level asked gets through with that acr.
    const substantial = await t.entente.sessions.create({
      principalId: agent.id,
      homeJurisdiction: agent.jurisdiction,
      ip: '127.0.0.1',
      userAgent: 'test',
      authMethod: 'oidc',
      federation: { upstream: 'demo-fr', assuranceLevel: 'substantial', acr: 'eidas2', idToken: null },
    });
    const stepped = new Browser(t);
    stepped.setCookie(`entente_session=${substantial.token}`);
    const { tokens } = await signInToClient(stepped, configA, a, { acr_values: 'eidas2' });
    expect(tokens?.claims()?.acr).toBe('eidas2');
  });
});

describe('client administration', () => {
  it('is for operators only, and denials are audited', async () => {
    const hugo = await t.signIn(DEMO_AGENTS[1]!);
    expect((await fetch(`${t.baseUrl}/api/admin/oidc/clients`, { headers: { cookie: hugo.cookie } })).status).toBe(403);
    const create = await fetch(`${t.baseUrl}/api/admin/oidc/clients`, {
      method: 'POST',
      headers: { ...hugo.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: { 'fr-FR': 'x', en: 'x' }, redirectUris: ['https://x.example/cb'] }),
    });
    expect(create.status).toBe(403);
    expect((await fetch(`${t.baseUrl}/api/admin/oidc/clients/${a.clientId}`, { method: 'DELETE', headers: hugo.headers })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 100));
    const denied = await t.entente.audit.list({ jurisdiction: 'FR', action: 'access.denied', actorId: DEMO_AGENTS[1]!.id, limit: 10 });
    expect(denied.map((e) => e.resource_id)).toEqual(expect.arrayContaining(['GET /api/admin/oidc/clients', 'POST /api/admin/oidc/clients']));
  });

  it('validates redirect URIs: no fragment, no wildcard, one host', async () => {
    for (const redirectUris of [['https://x.example/cb#frag'], ['https://*.example/cb'], ['https://a.example/cb', 'https://b.example/cb'], ['ftp://x.example/cb']]) {
      const response = await fetch(`${t.baseUrl}/api/admin/oidc/clients`, {
        method: 'POST',
        headers: { ...camille.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: { 'fr-FR': 'x', en: 'x' }, redirectUris }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { type: string }).type).toBe('urn:entente:problem:oidc-client-uri-refused');
    }
  });

  it('lists, shows the secret once, and removes a client with its tokens', async () => {
    const c = await registerClient(t, camille, { name: 'À retirer', redirectUris: ['https://retire.example/cb'] });
    const list = (await (await fetch(`${t.baseUrl}/api/admin/oidc/clients`, { headers: { cookie: camille.cookie } })).json()) as { clients: { clientId: string }[] };
    expect(list.clients.map((x) => x.clientId)).toContain(c.clientId);
    expect(JSON.stringify(list)).not.toContain(c.clientSecret);
    const stored = await t.entente.stores.control.db.selectFrom('oidc_clients').select(['secret_sealed']).where('client_id', '=', c.clientId).executeTakeFirstOrThrow();
    expect(stored.secret_sealed?.toString('latin1')).not.toContain(c.clientSecret);
    const removed = await fetch(`${t.baseUrl}/api/admin/oidc/clients/${c.clientId}`, { method: 'DELETE', headers: camille.headers });
    expect(removed.status).toBe(204);
    expect((await fetch(`${t.baseUrl}/api/admin/oidc/clients/${c.clientId}`, { method: 'DELETE', headers: camille.headers })).status).toBe(404);
    // An operator's change is kept in their home cell (with their address, personal data).
    const registered = await t.entente.audit.list({ jurisdiction: DEMO_AGENTS[0]!.jurisdiction, action: 'oidc.client.registered', limit: 50 });
    expect(registered.map((e) => e.resource_id)).toContain(c.clientId);
    const gone = await t.entente.audit.list({ jurisdiction: DEMO_AGENTS[0]!.jurisdiction, action: 'oidc.client.removed', limit: 50 });
    expect(gone.map((e) => e.resource_id)).toContain(c.clientId);
  });
});
