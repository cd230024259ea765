import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { createSealer, KEYS_ROTATED_TOPIC, rotateProviderKeys, rotateSigningKeys, SIGNING_KEY_OWNER } from '../src/identity/provider/index.ts';
import { Browser, discover, type RegisteredClient, registerClient, signInToClient } from './oidc-provider-rp.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/** Logout (RP-initiated and back-channel) and signing-key rotation of Entente's OpenID provider. */
let t: TestApp;
let camille: TestSession;
let rp: RegisteredClient;
let config: client.Configuration;
let backchannel: http.Server;
const received: { token: string; at: number }[] = [];
let waiters: (() => void)[] = [];

beforeAll(async () => {
  backchannel = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (req.method === 'POST' && token) received.push({ token, at: Date.now() });
      res.statusCode = 200;
      res.end();
      for (const w of waiters) w();
      waiters = [];
    });
  });
  await new Promise<void>((resolve) => backchannel.listen(0, '127.0.0.1', resolve));
  const port = (backchannel.address() as AddressInfo).port;
  t = await startTestApp();
  camille = await t.signIn(DEMO_AGENTS[0]!);
  rp = await registerClient(t, camille, {
    name: 'Service à déconnexion',
    redirectUris: [`http://127.0.0.1:${port}/cb`],
    postLogoutRedirectUris: [`http://127.0.0.1:${port}/au-revoir`],
    backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel`,
  });
  config = await discover(t, rp);
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => backchannel?.close(resolve));
});

async function nextLogoutToken(after: number): Promise<string> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const found = received.find((r) => r.at >= after);
    if (found) return found.token;
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  throw new Error('no logout token received');
}

const jwks = () => createRemoteJWKSet(new URL(`${t.baseUrl}/oidc/jwks`));

async function endSessionPage(browser: Browser, params: Record<string, string>) {
  const response = await browser.fetch(client.buildEndSessionUrl(config, params).href);
  const html = await response.text();
  return { response, html };
}

async function confirmLogout(browser: Browser, html: string, everywhere: boolean): Promise<Response> {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !xsrf) throw new Error('no logout form');
  const form = new URLSearchParams({ xsrf, ...(everywhere ? { logout: 'yes' } : {}) });
  return browser.fetch(new URL(action, t.baseUrl).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.baseUrl },
    body: form.toString(),
  });
}

describe('back-channel logout', () => {
  it('tells the service when the agent’s Entente session ends, with a verifiable logout token', async () => {
    const session = await t.signIn(DEMO_AGENTS[1]!);
    const { tokens } = await signInToClient(new Browser(t, session), config, rp);
    const idToken = tokens!.claims()!;
    expect(idToken.sid).toBeTruthy();
    const before = Date.now();
    const ended = await fetch(`${t.baseUrl}/api/me/sessions/${session.sessionId}`, { method: 'DELETE', headers: session.headers });
    expect(ended.status).toBe(204);
    const token = await nextLogoutToken(before);
    const { payload, protectedHeader } = await jwtVerify(token, jwks(), { issuer: t.baseUrl, audience: rp.clientId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload.sub).toBe(idToken.sub);
    expect(payload.sid).toBe(idToken.sid);
    expect(payload.nonce).toBeUndefined();
    // What the session gave is revoked with it.
    expect((await client.tokenIntrospection(config, tokens!.access_token)).active).toBe(false);
  });
});

describe('back-channel logout when a service loses its authorization', () => {
  it('withdrawing consent tells the service its session for the agent has ended', async () => {
    const agent = DEMO_AGENTS[3]!;
    const session = await t.signIn(agent);
    const { tokens } = await signInToClient(new Browser(t, session), config, rp);
    const idToken = tokens!.claims()!;
    const before = Date.now();
    expect((await fetch(`${t.baseUrl}/api/me/oidc/grants/${rp.clientId}`, { method: 'DELETE', headers: session.headers })).status).toBe(204);
    const { payload } = await jwtVerify(await nextLogoutToken(before), jwks(), { issuer: t.baseUrl, audience: rp.clientId });
    expect(payload.sid).toBe(idToken.sid);
    expect(payload.sub).toBe(idToken.sub);
    const audited = await t.entente.audit.list({ jurisdiction: agent.jurisdiction, action: 'oidc.consent.withdrawn', actorId: agent.id, limit: 5 });
    expect(audited[0]?.details.backchannelLogout).toBe(1);
    // The Entente session itself goes on.
    expect((await fetch(`${t.baseUrl}/api/session`, { headers: { cookie: session.cookie } })).status).toBe(200);
  });

  it('removing the client tells it the sessions it held have ended', async () => {
    const port = (backchannel.address() as AddressInfo).port;
    const doomed = await registerClient(t, camille, {
      name: 'Service retiré',
      redirectUris: [`http://127.0.0.1:${port}/cb2`],
      backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel`,
    });
    const doomedConfig = await discover(t, doomed);
    const { tokens } = await signInToClient(new Browser(t, await t.signIn(DEMO_AGENTS[1]!)), doomedConfig, doomed);
    const before = Date.now();
    expect((await fetch(`${t.baseUrl}/api/admin/oidc/clients/${doomed.clientId}`, { method: 'DELETE', headers: camille.headers })).status).toBe(204);
    const { payload } = await jwtVerify(await nextLogoutToken(before), jwks(), { issuer: t.baseUrl, audience: doomed.clientId });
    expect(payload.sid).toBe(tokens!.claims()!.sid);
  });
});

describe('RP-initiated logout', () => {
  it('returns to a registered post_logout_redirect_uri; “everywhere” ends the Entente session too', async () => {
    const session = await t.signIn(DEMO_AGENTS[2]!);
    const browser = new Browser(t, session);
    const { tokens } = await signInToClient(browser, config, rp);
    const { response, html } = await endSessionPage(browser, {
      id_token_hint: tokens!.id_token!,
      post_logout_redirect_uri: rp.postLogoutRedirectUris[0]!,
      state: 'etat-de-retour',
    });
    expect(response.status).toBe(200);
    expect(html).toContain('lang="fr-FR"');
    expect(html).toContain('Me déconnecter partout');
    const before = Date.now();
    const done = await confirmLogout(browser, html, true);
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(rp.postLogoutRedirectUris[0]);
    expect(location.searchParams.get('state')).toBe('etat-de-retour');
    // The service's back channel heard of it, and Entente's session is over.
    const token = await nextLogoutToken(before);
    expect((await jwtVerify(token, jwks(), { issuer: t.baseUrl, audience: rp.clientId })).payload.sub).toBe(tokens!.claims()!.sub);
    expect((await fetch(`${t.baseUrl}/api/session`, { headers: { cookie: session.cookie } })).status).toBe(401);
    let audited = await t.entente.audit.list({ jurisdiction: 'QC', action: 'oidc.logout', actorId: DEMO_AGENTS[2]!.id, limit: 5 });
    for (let i = 0; i < 100 && audited.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25)); // written after the answer
      audited = await t.entente.audit.list({ jurisdiction: 'QC', action: 'oidc.logout', actorId: DEMO_AGENTS[2]!.id, limit: 5 });
    }
    expect(audited.length).toBeGreaterThan(0);
  });

  it('“only this service” keeps the Entente session', async () => {
    const session = await t.signIn(DEMO_AGENTS[3]!);
    const browser = new Browser(t, session);
    const { tokens } = await signInToClient(browser, config, rp);
    const { html } = await endSessionPage(browser, { id_token_hint: tokens!.id_token!, post_logout_redirect_uri: rp.postLogoutRedirectUris[0]! });
    const done = await confirmLogout(browser, html, false);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(rp.postLogoutRedirectUris[0]);
    expect((await fetch(`${t.baseUrl}/api/session`, { headers: { cookie: session.cookie } })).status).toBe(200);
  });

  it('refuses an unregistered post_logout_redirect_uri without redirecting (no open redirect)', async () => {
    const browser = new Browser(t, await t.signIn(DEMO_AGENTS[1]!));
    const { tokens } = await signInToClient(browser, config, rp);
    for (const target of ['https://attacker.example/', `${rp.postLogoutRedirectUris[0]}/`]) {
      const { response, html } = await endSessionPage(browser, { id_token_hint: tokens!.id_token!, post_logout_redirect_uri: target });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(html).not.toContain('attacker.example');
      expect(html).toContain('Connexion au service impossible');
    }
  });
});

describe('signing keys', () => {
  it('rotate without breaking tokens already issued; new tokens use the new key', async () => {
    const { tokens: before } = await signInToClient(new Browser(t, await t.signIn(DEMO_AGENTS[0]!)), config, rp);
    const oldKid = decodeProtectedHeader(before!.id_token!).kid;
    const rotated = await rotateProviderKeys({ stores: t.entente.stores, cells: t.entente.cells, audit: t.entente.audit, events: t.entente.events, keysCell: 'FR' });
    expect(rotated.kids).toHaveLength(2);
    // The running server hears of it through the event bus and swaps its provider.
    const deadline = Date.now() + 5000;
    let published: string[] = [];
    while (Date.now() < deadline) {
      published = ((await (await fetch(`${t.baseUrl}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
      if (rotated.kids.every((k) => published.includes(k))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(published).toEqual(expect.arrayContaining([...rotated.kids, oldKid]));
    await jwtVerify(before!.id_token!, jwks(), { issuer: t.baseUrl, audience: rp.clientId });
    const { tokens: after } = await signInToClient(new Browser(t, await t.signIn(DEMO_AGENTS[0]!)), config, rp);
    const newKid = decodeProtectedHeader(after!.id_token!).kid;
    expect(newKid).not.toBe(oldKid);
    expect(rotated.kids).toContain(newKid);
    await jwtVerify(after!.id_token!, jwks(), { issuer: t.baseUrl, audience: rp.clientId });
    const audited = await t.entente.audit.list({ jurisdiction: null, action: 'oidc.keys.rotated', limit: 5 });
    expect(audited.length).toBe(1);
    // The private parts are stored sealed, never in clear.
    const rows = await t.entente.stores.control.db.selectFrom('oidc_signing_keys').select(['private_sealed', 'public_jwk']).execute();
    for (const row of rows) {
      expect(row.private_sealed.toString('latin1')).not.toContain('"d"');
      expect(row.public_jwk).not.toHaveProperty('d');
    }
  });
  it('leave the JWKS only once what they signed has expired', async () => {
    const published = async () => ((await (await fetch(`${t.baseUrl}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const db = t.entente.stores.control.db;
    const older = (await db.selectFrom('oidc_signing_keys').select('kid').where('retired_at', 'is', null).execute()).map((r) => r.kid);
    // A rotation now keeps every generation whose successor is younger than the tokens' lifetime.
    const sealer = createSealer(t.entente.cells, 'FR', SIGNING_KEY_OWNER);
    const soon = await rotateSigningKeys(db, sealer);
    expect(soon.retired).toEqual([]);
    // Three hours later, what `soon` replaced three hours before goes; `soon` (the previous
    // generation) and the newest stay.
    const later = await rotateSigningKeys(db, sealer, new Date(Date.now() + 3 * 3_600_000));
    expect(later.retired.sort()).toEqual([...older].sort());
    await t.entente.events.publish(KEYS_ROTATED_TOPIC, {});
    const deadline = Date.now() + 5000;
    let kids = await published();
    while (Date.now() < deadline && older.some((k) => kids.includes(k))) {
      await new Promise((r) => setTimeout(r, 50));
      kids = await published();
    }
    expect(kids.some((k) => older.includes(k))).toBe(false);
    expect(kids.sort()).toEqual([...soon.kids, ...later.kids].sort());
  });
});
