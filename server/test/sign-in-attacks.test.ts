import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, freePort } from './support/app.ts';
import { TMP } from './support/db.ts';
import { type HostileBehaviour, type HostileIdp, startHostileIdp } from './support/hostile-idp.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/**
 * Attacks on the broker's sign-in, each played by a hostile OpenID provider written in the test:
 * every one must end on the sign-in page with a clear error, with no session, and with a
 * `sign_in.failed` audit event naming the reason (never a token or a code).
 */
let t: TestApp;
let base: string;
let hostile: HostileIdp;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(TMP, 'hostile-'));
  hostile = await startHostileIdp();
  const closed = await freePort(); // nothing listens there: a federation that is down
  const configFile = path.join(dir, 'entente.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      identityProviders: [
        hostile.upstreamConfig(),
        hostile.upstreamConfig({ name: 'down', issuer: `http://127.0.0.1:${closed}/op`, emailDomains: [] }),
        hostile.upstreamConfig({ name: 'slow', issuer: hostile.slowIssuer, emailDomains: [], timeoutSeconds: 1 }),
      ],
    }),
  );
  const port = await freePort();
  base = `http://localhost:${port}`;
  t = await startTestApp({ env: { PORT: String(port), ENTENTE_PUBLIC_URL: base, ENTENTE_CONFIG: configFile } });
});

afterAll(async () => {
  await t?.close();
  await hostile?.close();
  rmSync(dir, { recursive: true, force: true });
});

const login = (query: Record<string, string>) => `${base}/auth/login?${new URLSearchParams(query)}`;

async function lastFailure(): Promise<Record<string, unknown> | undefined> {
  const [event] = await t.entente.audit.list({ action: 'sign_in.failed', limit: 1 });
  return event?.details;
}

async function signInWith(behaviour: HostileBehaviour, query: Record<string, string> = { upstream: 'hostile' }) {
  hostile.behaviour = behaviour;
  const flow = await signInThroughDemoIdp(login(query));
  const signedIn = (await fetch(`${base}/api/me`, { headers: { cookie: flow.jar.header(base) } })).status === 200;
  return { error: flow.finalUrl.searchParams.get('erreur'), page: flow.finalUrl.pathname, signedIn, audit: await lastFailure() };
}

describe('the hostile provider, when honest, signs the agent in (the double is sound)', () => {
  it('signs Alex in', async () => {
    const result = await signInWith('honest');
    expect(result).toMatchObject({ page: '/', error: null, signedIn: true });
  });
});

describe('ID tokens the broker must refuse', () => {
  const cases: [HostileBehaviour, string, string][] = [
    ['wrong_issuer', 'issuer_mismatch', 'an ID token from another issuer'],
    ['wrong_audience', 'audience_mismatch', 'an ID token for another client'],
    ['alg_none', 'alg_not_allowed', 'an unsigned ID token (alg none)'],
    ['hs256_with_public_key', 'alg_not_allowed', 'an ID token HMAC-signed with the provider’s public key'],
    ['expired', 'token_expired', 'an expired ID token'],
    ['bad_signature', 'bad_signature', 'an ID token signed by another key under the right kid'],
    ['missing_nonce', 'nonce_missing', 'an ID token without the nonce'],
    ['wrong_nonce', 'nonce_mismatch', 'an ID token with another nonce (replayed from another sign-in)'],
  ];
  for (const [behaviour, reason, what] of cases) {
    it(`refuses ${what}`, async () => {
      const result = await signInWith(behaviour);
      expect(result).toMatchObject({ page: '/connexion', error: 'sign_in_failed', signedIn: false });
      expect(result.audit).toEqual({ reason, stage: 'callback' });
    });
  }
});

describe('levels of assurance', () => {
  it('refuses an acr lower than the one required', async () => {
    const result = await signInWith('acr_low', { upstream: 'hostile', level: 'substantial' });
    expect(result).toMatchObject({ page: '/connexion', error: 'sign_in_level_too_low', signedIn: false });
    expect(result.audit).toEqual({ reason: 'acr_too_low', stage: 'callback', acr: 'eidas1', required: 'substantial' });
  });

  it('refuses an ID token without the acr it was asked for as essential', async () => {
    const result = await signInWith('acr_missing');
    expect(result).toMatchObject({ page: '/connexion', error: 'sign_in_level_too_low', signedIn: false });
    expect(result.audit).toMatchObject({ reason: 'acr_missing' });
  });
});

describe('state', () => {
  it('refuses a callback whose state Entente did not issue', async () => {
    hostile.behaviour = 'honest';
    const flow = await signInThroughDemoIdp(login({ upstream: 'hostile' }), {
      tamper: (url) => {
        url.searchParams.set('state', 'A'.repeat(43));
        return url;
      },
    });
    expect(flow.finalUrl.searchParams.get('erreur')).toBe('sign_in_expired');
    expect(await lastFailure()).toEqual({ reason: 'state_mismatch_or_replayed', stage: 'callback' });
  });

  it('refuses a callback replayed after a successful sign-in', async () => {
    hostile.behaviour = 'honest';
    let callback = '';
    const first = await signInThroughDemoIdp(login({ upstream: 'hostile' }), {
      tamper: (url) => {
        callback = url.href;
        return url;
      },
    });
    expect(first.finalUrl.pathname).toBe('/');
    const replay = await fetch(callback, { redirect: 'manual' });
    const location = new URL(replay.headers.get('location') ?? '', base);
    expect(location.pathname).toBe('/connexion');
    expect(location.searchParams.get('erreur')).toBe('sign_in_expired');
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('entente_session=') && !c.startsWith('entente_session=;'))).toBe(false);
    expect(await lastFailure()).toEqual({ reason: 'state_mismatch_or_replayed', stage: 'callback' });
  });
});

describe('a federation that misbehaves', () => {
  it('answering its token request with an HTML page', async () => {
    const result = await signInWith('garbage_html');
    expect(result).toMatchObject({ page: '/connexion', error: 'sign_in_upstream_unavailable', signedIn: false });
    expect(result.audit).toEqual({ reason: 'upstream_garbage', stage: 'callback' });
  });

  it('answering it with broken JSON', async () => {
    const result = await signInWith('garbage_json');
    expect(result).toMatchObject({ page: '/connexion', error: 'sign_in_upstream_unavailable', signedIn: false });
    expect(result.audit).toEqual({ reason: 'upstream_garbage', stage: 'callback' });
  });

  it('never answering: the agent is not kept waiting beyond the configured timeout', async () => {
    const started = Date.now();
    const result = await signInWith('hang');
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ page: '/connexion', error: 'sign_in_upstream_unavailable', signedIn: false });
    expect(result.audit).toEqual({ reason: 'upstream_timeout', stage: 'callback' });
    expect(elapsed).toBeGreaterThanOrEqual(1900); // the 2 s of timeoutSeconds, not less…
    expect(elapsed).toBeLessThan(6000); // …and not much more
  });

  it('down: its discovery document cannot be fetched', async () => {
    const response = await fetch(login({ upstream: 'down' }), { redirect: 'manual' });
    expect(new URL(response.headers.get('location') ?? '', base).searchParams.get('erreur')).toBe('sign_in_upstream_unavailable');
    expect(await lastFailure()).toEqual({ reason: 'upstream_unreachable', stage: 'discovery' });
  });

  it('down when it sends a back-channel logout: 503, not 400, so that it may send it again', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${b64({ alg: 'RS256', typ: 'logout+jwt' })}.${b64({ iss: 'x', sid: 's' })}.${b64('sig')}`;
    const response = await fetch(`${base}/auth/backchannel-logout/down`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'temporarily_unavailable' });
    const [event] = await t.entente.audit.list({ action: 'federation.backchannel_logout.refused', limit: 1 });
    expect(event?.details).toEqual({ reason: 'upstream_keys_unavailable' });
  });

  it('hanging on its discovery document: refused after its timeout', async () => {
    const started = Date.now();
    const response = await fetch(login({ upstream: 'slow' }), { redirect: 'manual' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(new URL(response.headers.get('location') ?? '', base).searchParams.get('erreur')).toBe('sign_in_upstream_unavailable');
    expect(await lastFailure()).toEqual({ reason: 'upstream_timeout', stage: 'discovery' });
  });
});

describe('an address no federation serves', () => {
  it('is sent back with the domain named, and audited with neither the address nor the domain', async () => {
    // A family's own domain names a person: the audit keeps only a keyed hash of it.
    const response = await fetch(login({ email: 'jean.dupont@famille-dupont.example' }), { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', base);
    expect(location.searchParams.get('erreur')).toBe('sign_in_unknown_domain');
    expect(location.searchParams.get('domaine')).toBe('famille-dupont.example');
    const failure = await lastFailure();
    expect(failure).toEqual({ reason: 'unknown_domain', stage: 'start', domainHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.stringify(failure)).not.toContain('dupont');
    // The same domain, however typed, gives the same hash (repeated tries show); another does not.
    await fetch(login({ email: 'marie@FAMILLE-DUPONT.example' }), { redirect: 'manual' });
    expect((await lastFailure())?.domainHash).toBe(failure?.domainHash);
    await fetch(login({ email: 'marie@famille-martin.example' }), { redirect: 'manual' });
    expect((await lastFailure())?.domainHash).not.toBe(failure?.domainHash);
    // Keyed by the server secret: not the plain hash anyone could compute from a guess.
    const { createHash } = await import('node:crypto');
    const plain = createHash('sha256').update('famille-dupont.example').digest('hex');
    expect(plain.startsWith(String(failure?.domainHash))).toBe(false);
  });
});

describe('nothing secret in the audit', () => {
  it('keeps no token, code or state in any sign-in failure', async () => {
    const events = await t.entente.audit.list({ action: 'sign_in.failed', limit: 100 });
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) {
      const text = JSON.stringify(event.details);
      expect(text).not.toMatch(/eyJ[\w-]{10,}/); // a JWT
      expect(text).not.toMatch(/[A-Za-z0-9_-]{32,}/); // a code, a state, a nonce
    }
  });
});
