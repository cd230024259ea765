import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../../common/src/i18n/catalog/errors.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { findProfile } from '../src/identity/profiles.repo.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { startTestApp, type TestApp, freePort } from './support/app.ts';
import { TMP } from './support/db.ts';
import { type CookieJar, signInThroughDemoIdp } from './support/sign-in-flow.ts';
import { STRANGER_ACCOUNTS, type StrangerIdp, startStrangerIdp, writeRpKey } from './support/stranger-idp.ts';

/**
 * A third upstream configured like a stranger's federation (other claim names and levels,
 * private_key_jwt, ES256 ID tokens), Entente configured for it only through ENTENTE_CONFIG; and
 * back-channel logout received from the upstreams, from the stranger and from the demo provider.
 */
let t: TestApp;
/** Entente's address: chosen here, before the start, for the stranger's client registration. */
let base: string;
let stranger: StrangerIdp;
let dir: string;
let rpKey: { file: string; kid: string };
const zoe = STRANGER_ACCOUNTS[0]!;
const emilieAtStranger = STRANGER_ACCOUNTS[1]!;
const agnes = STRANGER_ACCOUNTS[2]!;

beforeAll(async () => {
  dir = mkdtempSync(path.join(TMP, 'stranger-'));
  const port = await freePort();
  base = `http://localhost:${port}`;
  stranger = await startStrangerIdp(base);
  rpKey = writeRpKey(dir);
  const configFile = path.join(dir, 'entente.json');
  // Configured with a trailing slash its issuer does not have: discovery accepts it (the two are
  // the same URL), and so must everything checked against the issuer (back-channel logout).
  const upstream = { ...stranger.upstreamConfig(rpKey.file, rpKey.kid), issuer: `${stranger.issuer}/` };
  writeFileSync(configFile, JSON.stringify({ identityProviders: [upstream] }));
  t = await startTestApp({ env: { PORT: String(port), ENTENTE_PUBLIC_URL: base, ENTENTE_CONFIG: configFile } });
});

afterAll(async () => {
  await t?.close();
  await stranger?.close();
  rmSync(dir, { recursive: true, force: true });
});

const login = (query: Record<string, string>) => `${base}/auth/login?${new URLSearchParams(query)}`;
const me = async (jar: CookieJar) => {
  const response = await fetch(`${base}/api/me`, { headers: { cookie: jar.header(base) } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const sessionIdOf = async (jar: CookieJar) => (await t.entente.sessions.resolve(jar.get(base, 'entente_session')))?.id;
const principalOf = (upstream: string, subject: string) =>
  t.entente.stores.control.db
    .selectFrom('federated_identities')
    .select('principal_id')
    .where('upstream', '=', upstream)
    .where('subject', '=', subject)
    .executeTakeFirst();

describe('a stranger’s federation, configured from ENTENTE_CONFIG', () => {
  it('publishes Entente’s client-assertion key at /auth/jwks (public half only)', async () => {
    const response = await fetch(`${base}/auth/jwks`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: rpKey.kid, kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('signs Zoé in end to end (private_key_jwt, ES256 ID token) and maps her profile from its claim names', async () => {
    stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
    const flow = await signInThroughDemoIdp(login({ email: zoe.claims.mail, returnTo: '/domaines/identite' }));
    expect(flow.finalUrl.pathname).toBe('/domaines/identite');
    const { status, body } = await me(flow.jar);
    expect(status).toBe(200);
    expect(body).toMatchObject({ givenName: 'Zoé', familyName: 'Lavoie', email: zoe.claims.mail, jurisdiction: 'QC' });
    // An organisation new to Entente, by its NEQ: created for an operator to confirm.
    const organisation = await t.entente.stores.control.db
      .selectFrom('organisations')
      .select(['name', 'confirmed', 'jurisdiction'])
      .where('neq', '=', zoe.claims.org_id)
      .executeTakeFirstOrThrow();
    expect(organisation).toEqual({ name: 'Office étranger de test', confirmed: false, jurisdiction: 'QC' });
    const sessionId = await sessionIdOf(flow.jar);
    const session = await t.entente.stores.control.db
      .selectFrom('sessions')
      .select(['assurance_level', 'upstream'])
      .where('id', '=', sessionId!)
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ assurance_level: 'low', upstream: 'stranger' });
    const details = await t.entente.stores.cells.QC.db
      .selectFrom('session_details')
      .select(['upstream_id_token', 'upstream_acr'])
      .where('session_id', '=', sessionId!)
      .executeTakeFirstOrThrow();
    expect(details.upstream_acr).toBe('loa-1');
    expect(decodeProtectedHeader(details.upstream_id_token!).alg).toBe('ES256');
    // The upstream's session id is kept for its back-channel logout.
    const upstreamSession = await t.entente.stores.control.db
      .selectFrom('upstream_sessions')
      .select(['upstream', 'sid'])
      .where('session_id', '=', sessionId!)
      .executeTakeFirstOrThrow();
    expect(upstreamSession.upstream).toBe('stranger');
    expect(upstreamSession.sid.length).toBeGreaterThan(10);
    // The federation said nothing of the address and is not configured to vouch for it.
    expect((await findProfile(t.entente.stores.cells.QC.db, String(body.principalId)))?.email_verified).toBe(false);
  });

  it('records whether the address is verified from its own claim (mail_verified), and signs in either way', async () => {
    const verifiedAfterSignIn = async (said: StrangerIdp['mailVerified']) => {
      stranger.mailVerified = said;
      stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
      const flow = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      const { status, body } = await me(flow.jar);
      expect(status, String(said)).toBe(200);
      return (await findProfile(t.entente.stores.cells.QC.db, String(body.principalId)))?.email_verified;
    };
    try {
      expect(await verifiedAfterSignIn(true)).toBe(true);
      // The latest word replaces the earlier one: an address no longer vouched for is not asserted.
      expect(await verifiedAfterSignIn(false)).toBe(false);
      expect(await verifiedAfterSignIn('true')).toBe(true);
      expect(await verifiedAfterSignIn('false')).toBe(false);
    } finally {
      stranger.mailVerified = undefined;
    }
  });

  it('maps its own level loa-2 to « substantial » through the configured table', async () => {
    stranger.nextLogin = { sub: zoe.sub, acr: 'loa-2' };
    const flow = await signInThroughDemoIdp(login({ upstream: 'stranger', level: 'substantial' }));
    expect(flow.finalUrl.pathname).toBe('/');
    const session = await t.entente.stores.control.db
      .selectFrom('sessions')
      .select(['assurance_level', 'principal_id'])
      .where('id', '=', (await sessionIdOf(flow.jar))!)
      .executeTakeFirstOrThrow();
    expect(session.assurance_level).toBe('substantial');
    expect(session.principal_id).toBe((await principalOf('stranger', zoe.sub))?.principal_id);
  });

  it('never links silently an agent known through another federation with the same email', async () => {
    const emilie = DEMO_AGENTS.find((a) => a.email === emilieAtStranger.claims.mail)!;
    const atDemo = DEMO_IDP_ACCOUNTS.qc.find((a) => a.email === emilie.email)!;
    const first = await signInThroughDemoIdp(login({ upstream: 'demo-qc' }), { agentSub: atDemo.sub });
    expect((await me(first.jar)).body).toMatchObject({ principalId: emilie.id });

    stranger.nextLogin = { sub: emilieAtStranger.sub, acr: 'loa-1' };
    const second = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
    expect(second.finalUrl.pathname).toBe('/connexion');
    expect(second.finalUrl.searchParams.get('erreur')).toBe('sign_in_account_conflict');
    expect((await me(second.jar)).status).toBe(401);
    expect(await principalOf('stranger', emilieAtStranger.sub)).toBeUndefined();
    expect((await principalOf('demo-qc', atDemo.sub))?.principal_id).toBe(emilie.id);
    const [event] = await t.entente.audit.list({ action: 'sign_in.failed', limit: 1 });
    expect(event?.details).toMatchObject({ reason: 'email_already_linked_to_another_identity' });
    // The page tells the agent what to do: the federation used first, or ask their administrator.
    expect(errors['fr-FR']['errors.sign_in_account_conflict.detail']).toMatch(/fédération que vous avez utilisée la première fois.*administrateur/);
    expect(errors['fr-CA']['errors.sign_in_account_conflict.detail']).toContain('adresse courriel');
    expect(errors.en['errors.sign_in_account_conflict.detail']).toMatch(/federation you used the first time.*administrator/);
    // …and that the second one can then be linked from the profile (identity-linking.test.ts).
    expect(errors['fr-FR']['errors.sign_in_account_conflict.detail']).toContain('liez celle-ci depuis « Mon profil »');
    expect(errors['fr-CA']['errors.sign_in_account_conflict.detail']).toContain('liez celle-ci depuis « Mon profil »');
    expect(errors.en['errors.sign_in_account_conflict.detail']).toContain('link this one from “My profile”');
  });
});

describe('a profile waiting under an email (registered before the first sign-in)', () => {
  it('is taken over only when the federation vouches for the address', async () => {
    const organisation = await t.entente.stores.control.db.selectFrom('organisations').select('id').where('jurisdiction', '=', 'QC').executeTakeFirstOrThrow();
    const { principalId: waiting } = await provisionAgent(t.entente.stores, t.entente.outbox, {
      jurisdiction: 'QC',
      givenName: 'Agnès',
      familyName: 'Roy',
      email: agnes.claims.mail,
      preferredLanguage: 'fr-CA',
      organisationId: organisation.id,
      roles: ['member'],
    });
    try {
      // Not vouched for (no mail_verified, and the stranger is not configured to vouch): anyone who
      // could put that address on an account at the federation would otherwise get her profile.
      stranger.mailVerified = undefined;
      stranger.nextLogin = { sub: agnes.sub, acr: 'loa-1' };
      const refused = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      expect(refused.finalUrl.searchParams.get('erreur')).toBe('sign_in_account_conflict');
      expect((await me(refused.jar)).status).toBe(401);
      expect(await principalOf('stranger', agnes.sub)).toBeUndefined();
      const [event] = await t.entente.audit.list({ action: 'sign_in.failed', limit: 1 });
      expect(event?.details).toMatchObject({ reason: 'unverified_email_for_waiting_profile' });

      stranger.mailVerified = true;
      stranger.nextLogin = { sub: agnes.sub, acr: 'loa-1' };
      const accepted = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      expect((await me(accepted.jar)).body).toMatchObject({ principalId: waiting, email: agnes.claims.mail });
      expect((await principalOf('stranger', agnes.sub))?.principal_id).toBe(waiting);
    } finally {
      stranger.mailVerified = undefined;
    }
  });
});

describe('a private_key_jwt key file Entente cannot use', () => {
  it('stops the start with a message naming the file and the fix', async () => {
    const key = writeRpKey(dir, 'pem');
    chmodSync(key.file, 0o644);
    const configFile = path.join(dir, 'bad-key.json');
    writeFileSync(configFile, JSON.stringify({ identityProviders: [stranger.upstreamConfig(key.file, key.kid)] }));
    await expect(startTestApp({ env: { ENTENTE_CONFIG: configFile } })).rejects.toThrow(`chmod 600 ${key.file}`);
  });
});

/** The logout page of an oidc-provider (ours or the demo's): its form, confirmed with logout=yes. */
async function signOutAtProvider(endSessionUrl: string, jar: CookieJar): Promise<Response> {
  const page = await fetch(endSessionUrl, { headers: { cookie: jar.header(endSessionUrl) } });
  jar.store(endSessionUrl, page);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !xsrf) throw new Error(`no logout form at ${endSessionUrl}: ${page.status}`);
  const confirm = new URL(action, endSessionUrl).href;
  return fetch(confirm, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(confirm), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  });
}

describe('back-channel logout received from the federations', () => {
  it('ends the Entente session when the agent signs out at the stranger’s provider', async () => {
    // Its tokens carry the discovered issuer, not the configured string (a trailing slash apart).
    const configured = t.entente.config.file.identityProviders?.[0] as { issuer: string };
    expect(configured.issuer).toBe(`${stranger.issuer}/`);
    stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
    const flow = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
    expect((await me(flow.jar)).status).toBe(200);
    const sessionId = await sessionIdOf(flow.jar);
    const before = stranger.backchannelResults.length;
    const done = await signOutAtProvider(`${stranger.issuer}/session/end?client_id=entente-rp`, flow.jar);
    expect(done.status).toBeLessThan(400);
    expect(stranger.backchannelResults.slice(before)).toEqual([{ ok: true }]);
    expect((await me(flow.jar)).status).toBe(401);
    const [ended] = await t.entente.audit.list({ jurisdiction: 'QC', action: 'session.ended', limit: 1 });
    expect(ended).toMatchObject({ resource_id: sessionId, details: { reason: 'upstream_backchannel_logout' } });
  });

  it('ends it too when Camille signs out at the French demo provider (its end_session with id_token_hint)', async () => {
    const camille = DEMO_AGENTS[0]!;
    const flow = await signInThroughDemoIdp(login({ email: camille.email }));
    expect((await me(flow.jar)).status).toBe(200);
    const sessionId = (await sessionIdOf(flow.jar))!;
    const { upstream_id_token } = await t.entente.stores.cells.FR.db
      .selectFrom('session_details')
      .select('upstream_id_token')
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const endSession = `${base}/demo/idp/fr/session/end?${new URLSearchParams({ id_token_hint: upstream_id_token! })}`;
    await signOutAtProvider(endSession, flow.jar);
    expect((await me(flow.jar)).status).toBe(401);
    const ended = await t.entente.stores.control.db.selectFrom('sessions').select('end_reason').where('id', '=', sessionId).executeTakeFirstOrThrow();
    expect(ended.end_reason).toBe('upstream_backchannel_logout');
  });

  describe('a logout token that is not right is refused (400, audited) and ends nothing', () => {
    let sessionId: string;
    let jar: CookieJar;
    let sid: string;
    beforeAll(async () => {
      stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
      const flow = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      jar = flow.jar;
      sessionId = (await sessionIdOf(jar))!;
      sid = (
        await t.entente.stores.control.db.selectFrom('upstream_sessions').select('sid').where('session_id', '=', sessionId).executeTakeFirstOrThrow()
      ).sid;
    });

    const forge = async (
      claims: Record<string, unknown>,
      options: { header?: Record<string, unknown>; key?: Record<string, unknown>; iat?: number } = {},
    ) => {
      const now = Math.floor(Date.now() / 1000);
      const key = await importJWK(options.key ?? stranger.signingJwk, 'ES256');
      return new SignJWT({
        iss: stranger.issuer,
        aud: 'entente-rp',
        jti: crypto.randomUUID(),
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
        sid,
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', kid: stranger.signingJwk.kid, typ: 'logout+jwt', ...options.header })
        .setIssuedAt(options.iat ?? now)
        .setExpirationTime((options.iat ?? now) + 120)
        .sign(key);
    };
    const post = (token: string | null, upstream = 'stranger') =>
      fetch(`${base}/auth/backchannel-logout/${upstream}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: token === null ? 'nothing=here' : new URLSearchParams({ logout_token: token }),
      });
    const expectRefused = async (response: Response, reason: string) => {
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: 'invalid_request' });
      const [event] = await t.entente.audit.list({ action: 'federation.backchannel_logout.refused', limit: 1 });
      expect(event?.details).toEqual({ reason });
      expect((await me(jar)).status).toBe(200);
    };

    it('for another audience, another issuer, or without the logout event', async () => {
      await expectRefused(await post(await forge({ aud: 'someone-else' })), 'wrong_audience');
      await expectRefused(await post(await forge({ iss: 'http://127.0.0.1:1' })), 'wrong_issuer');
      await expectRefused(await post(await forge({ events: { 'http://schemas.openid.net/event/other': {} } })), 'no_logout_event');
    });

    it('with a nonce (an ID token passed off as a logout token), or neither sid nor sub', async () => {
      await expectRefused(await post(await forge({ nonce: 'n'.repeat(43) })), 'nonce_present');
      await expectRefused(await post(await forge({ sid: undefined })), 'no_sid_nor_sub');
    });

    it('too old, signed by another key, or with another algorithm', async () => {
      await expectRefused(await post(await forge({}, { iat: Math.floor(Date.now() / 1000) - 3600 })), 'expired');
      const { generateKeyPairSync } = await import('node:crypto');
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
      await expectRefused(await post(await forge({}, { key: other })), 'bad_signature');
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'logout+jwt' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({ iss: stranger.issuer, aud: 'entente-rp', sid, jti: 'x1', iat: Math.floor(Date.now() / 1000), events: { 'http://schemas.openid.net/event/backchannel-logout': {} } }),
      ).toString('base64url')}.`;
      await expectRefused(await post(unsigned), 'alg_not_allowed');
    });

    it('missing, malformed, or for an upstream Entente does not know', async () => {
      await expectRefused(await post(null), 'missing_logout_token');
      await expectRefused(await post('not.a.jwt'), 'malformed_token');
      await expectRefused(await post(await forge({}), 'nowhere'), 'unknown_upstream');
      // Form-encoded only: the same good token sent as JSON is not a logout request.
      const asJson = await fetch(`${base}/auth/backchannel-logout/stranger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ logout_token: await forge({}) }),
      });
      await expectRefused(asJson, 'missing_logout_token');
    });

    it('and a good one works once: the same jti again is a replay', async () => {
      const token = await forge({});
      const ok = await post(token);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      expect((await me(jar)).status).toBe(401);
      const [accepted] = await t.entente.audit.list({ action: 'federation.backchannel_logout.accepted', limit: 1 });
      expect(accepted?.details).toEqual({ sessionsEnded: 1, by: 'sid' });
      const replay = await post(token);
      expect(replay.status).toBe(400);
      const [event] = await t.entente.audit.list({ action: 'federation.backchannel_logout.refused', limit: 1 });
      expect(event?.details).toEqual({ reason: 'replayed_jti' });
    });

    it('by subject alone, it ends every session of that agent from that federation, and only those', async () => {
      stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
      const a = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      const b = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      const camille = await signInThroughDemoIdp(login({ email: DEMO_AGENTS[0]!.email }));
      const response = await post(await forge({ sid: undefined, sub: zoe.sub }));
      expect(response.status).toBe(200);
      expect((await me(a.jar)).status).toBe(401);
      expect((await me(b.jar)).status).toBe(401);
      expect((await me(camille.jar)).status).toBe(200);
      // A subject Entente never saw: a success that ends nothing (the spec's idempotence).
      expect((await post(await forge({ sid: undefined, sub: 'never-seen' }))).status).toBe(200);
    });

    it('answers 500 when Entente fails to end the sessions, and the federation’s retry of that token then works', async () => {
      stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
      const flow = await signInThroughDemoIdp(login({ upstream: 'stranger' }));
      const id = (await sessionIdOf(flow.jar))!;
      const { sid: itsSid } = await t.entente.stores.control.db
        .selectFrom('upstream_sessions')
        .select('sid')
        .where('session_id', '=', id)
        .executeTakeFirstOrThrow();
      const token = await forge({ sid: itsSid });
      // A real database failure while the session is being ended (a trigger refusing the update).
      const db = t.entente.stores.control.db;
      await sql`create function entente_test_refuse_end() returns trigger language plpgsql as $$ begin raise exception 'simulated failure'; end $$`.execute(db);
      await sql`create trigger entente_test_refuse_end before update on sessions for each row when (new.ended_at is not null and old.ended_at is null) execute function entente_test_refuse_end()`.execute(db);
      let failed: Response;
      try {
        failed = await post(token);
      } finally {
        await sql`drop trigger entente_test_refuse_end on sessions`.execute(db);
        await sql`drop function entente_test_refuse_end()`.execute(db);
      }
      // Not a 400 (the federation would give up): a 5xx it may retry.
      expect(failed.status).toBe(500);
      expect(failed.headers.get('cache-control')).toBe('no-store');
      expect(await failed.json()).toEqual({ error: 'server_error' });
      expect((await me(flow.jar)).status).toBe(200);
      const [refused] = await t.entente.audit.list({ action: 'federation.backchannel_logout.refused', limit: 1 });
      expect(refused?.details).toEqual({ reason: 'internal_error' });
      // The retry is not taken for a replay: it ends the session. Only a copy after that is one.
      const retry = await post(token);
      expect(retry.status).toBe(200);
      expect((await me(flow.jar)).status).toBe(401);
      expect((await post(token)).status).toBe(400);
      const [replay] = await t.entente.audit.list({ action: 'federation.backchannel_logout.refused', limit: 1 });
      expect(replay?.details).toEqual({ reason: 'replayed_jti' });
    });

    it('keeps a rate limit’s 429 and Retry-After (the federation retries later), not a 400', async () => {
      // 600 a minute per address: requests refused before any work (a name too long for a federation's).
      const from = () =>
        fetch(`${base}/auth/backchannel-logout/${'x'.repeat(61)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.77' },
          body: 'logout_token=x',
        });
      const statuses: number[] = [];
      for (let batch = 0; batch < 12; batch++) {
        statuses.push(...(await Promise.all(Array.from({ length: 50 }, async () => (await from()).status))));
      }
      expect(statuses.filter((s) => s === 400)).toHaveLength(600);
      const limited = await from();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('cache-control')).toBe('no-store');
      expect(await limited.json()).toEqual({ error: 'temporarily_unavailable' });
    });
  });
});
