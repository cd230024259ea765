import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errors } from '../../common/src/i18n/catalog/errors.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { startTestApp, type TestApp, freePort } from './support/app.ts';
import { TMP } from './support/db.ts';
import { CookieJar, signInThroughDemoIdp } from './support/sign-in-flow.ts';
import { STRANGER_ACCOUNTS, type StrangerIdp, startStrangerIdp, writeRpKey } from './support/stranger-idp.ts';

/**
 * Linking a second federation explicitly (docs/identity.md, « Linking a second federation »):
 * Émilie, known through the Québec demo provider, links the stranger federation (QC) where she
 * has the same address; and every way the link must be refused. Real demo provider, real stranger
 * provider (oidc-provider), real Entente on PGlite or PostgreSQL.
 */
let t: TestApp;
let base: string;
let stranger: StrangerIdp;
let dir: string;
const zoe = STRANGER_ACCOUNTS[0]!;
const emilieAtStranger = STRANGER_ACCOUNTS[1]!;
const emilie = DEMO_AGENTS.find((a) => a.email === emilieAtStranger.claims.mail)!;
const emilieAtDemo = DEMO_IDP_ACCOUNTS.qc.find((a) => a.email === emilie.email)!;

beforeAll(async () => {
  dir = mkdtempSync(path.join(TMP, 'linking-'));
  const port = await freePort();
  base = `http://localhost:${port}`;
  stranger = await startStrangerIdp(base);
  const rpKey = writeRpKey(dir);
  const configFile = path.join(dir, 'entente.json');
  writeFileSync(configFile, JSON.stringify({ identityProviders: [stranger.upstreamConfig(rpKey.file, rpKey.kid)] }));
  t = await startTestApp({ env: { PORT: String(port), ENTENTE_PUBLIC_URL: base, ENTENTE_CONFIG: configFile } });
});

afterAll(async () => {
  await t?.close();
  await stranger?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  stranger.mailVerified = true;
});

const link = (upstream: string, returnTo = '/profil') => `${base}/auth/link?${new URLSearchParams({ upstream, returnTo })}`;
const me = async (jar: CookieJar) => {
  const response = await fetch(`${base}/api/me`, { headers: { cookie: jar.header(base) } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const federationsOf = async (jar: CookieJar) => {
  const response = await fetch(`${base}/api/me/federations`, { headers: { cookie: jar.header(base) } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { federations: { upstream: string; linkedAt: string }[] }).federations;
};
const sessionIdOf = async (jar: CookieJar) => (await t.entente.sessions.resolve(jar.get(base, 'entente_session')))?.id;
const ownerOf = async (upstream: string, subject: string) =>
  (
    await t.entente.stores.control.db
      .selectFrom('federated_identities')
      .select('principal_id')
      .where('upstream', '=', upstream)
      .where('subject', '=', subject)
      .executeTakeFirst()
  )?.principal_id;
const lastLinkEvent = async (action: 'identity.linked' | 'identity.link_failed') => (await t.entente.audit.list({ action, limit: 1 }))[0];
const emilieSignsInThroughDemoQc = async () => {
  const flow = await signInThroughDemoIdp(`${base}/auth/login?upstream=demo-qc`, { agentSub: emilieAtDemo.sub });
  expect((await me(flow.jar)).body).toMatchObject({ principalId: emilie.id });
  return flow.jar;
};
/** Émilie, signed in in `jar`, asks to link the stranger and signs in there as `who`. */
const linkStranger = (jar: CookieJar, who: { sub: string }, options: { tamper?: (url: URL) => URL } = {}) => {
  stranger.nextLogin = { sub: who.sub, acr: 'loa-1' };
  return signInThroughDemoIdp(link('stranger'), { jar, ...options });
};

describe('linking a second federation', () => {
  it('is refused to a browser that is not signed in: back to the sign-in page, which says to sign in first', async () => {
    const response = await fetch(link('stranger'), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!, base);
    expect(location.pathname).toBe('/connexion');
    expect(location.searchParams.get('erreur')).toBe('link_sign_in_first');
    expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'not_signed_in', stage: 'start' });
    expect(errors['fr-FR']['errors.link_sign_in_first.detail']).toContain('« Mon profil »');
    // A session that did not come through a federation (here a test session) cannot link either.
    const notFederated = await t.signIn(emilie);
    const refused = await fetch(link('stranger'), { redirect: 'manual', headers: { cookie: notFederated.cookie } });
    expect(new URL(refused.headers.get('location')!, base).searchParams.get('erreur')).toBe('link_sign_in_first');
    expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'session_not_federated' });
  });

  it('is refused when the second federation does not vouch for the address, and when the address differs', async () => {
    const jar = await emilieSignsInThroughDemoQc();
    for (const said of [false, undefined] as const) {
      stranger.mailVerified = said;
      const refused = await linkStranger(jar, emilieAtStranger);
      expect(refused.finalUrl.pathname, String(said)).toBe('/connexion');
      expect(refused.finalUrl.searchParams.get('erreur')).toBe('link_email_mismatch');
      expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'email_not_vouched_for', stage: 'callback' });
    }
    // Vouched for, but another person's address (Zoé's, at the same federation; a browser without
    // Émilie's session there).
    stranger.mailVerified = true;
    const other = await linkStranger(await emilieSignsInThroughDemoQc(), zoe);
    expect(other.finalUrl.searchParams.get('erreur')).toBe('link_email_mismatch');
    expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'email_differs' });
    expect(await ownerOf('stranger', emilieAtStranger.sub)).toBeUndefined();
    expect(await ownerOf('stranger', zoe.sub)).toBeUndefined();
    // The agent is still signed in, in the same session, with one federation only.
    expect((await me(jar)).status).toBe(200);
    expect((await federationsOf(jar)).map((f) => f.upstream)).toEqual(['demo-qc']);
    expect(errors['fr-CA']['errors.link_email_mismatch.detail']).toContain('adresse courriel');
  });

  it('is refused when the identity at the second federation already signs someone else in', async () => {
    stranger.nextLogin = { sub: zoe.sub, acr: 'loa-1' };
    const zoeFlow = await signInThroughDemoIdp(`${base}/auth/login?upstream=stranger`);
    const zoePrincipal = (await me(zoeFlow.jar)).body.principalId;
    expect(await ownerOf('stranger', zoe.sub)).toBe(zoePrincipal);

    const jar = await emilieSignsInThroughDemoQc();
    const refused = await linkStranger(jar, zoe);
    expect(refused.finalUrl.searchParams.get('erreur')).toBe('sign_in_account_conflict');
    expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'identity_already_linked_elsewhere' });
    expect(await ownerOf('stranger', zoe.sub)).toBe(zoePrincipal);
  });

  it('is refused across jurisdictions: a French federation’s identity cannot join a Québec profile', async () => {
    const jar = await emilieSignsInThroughDemoQc();
    const french = DEMO_IDP_ACCOUNTS.fr[0]!;
    const refused = await signInThroughDemoIdp(link('demo-fr'), { jar, agentSub: french.sub });
    expect(refused.finalUrl.searchParams.get('erreur')).toBe('link_other_jurisdiction');
    expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'other_jurisdiction' });
    expect(await ownerOf('demo-fr', french.sub)).toBeUndefined();
  });

  it('is refused when the callback comes back in another browser, or after the session ended', async () => {
    const jar = await emilieSignsInThroughDemoQc();
    // Someone starts a link in their session and gets another browser to finish it at the federation.
    const start = await fetch(link('stranger'), { redirect: 'manual', headers: { cookie: jar.header(base) } });
    expect(start.status).toBe(303);
    const toStranger = start.headers.get('location')!;
    expect(new URL(toStranger).origin).toBe(new URL(stranger.issuer).origin);
    stranger.nextLogin = { sub: emilieAtStranger.sub, acr: 'loa-1' };
    const elsewhere = await signInThroughDemoIdp(toStranger, { jar: new CookieJar() });
    expect(elsewhere.finalUrl.searchParams.get('erreur')).toBe('link_session_ended');
    expect((await lastLinkEvent('identity.link_failed'))?.details).toMatchObject({ reason: 'session_ended' });
    expect((await me(elsewhere.jar)).status).toBe(401);

    // The session that asked ends (signed out elsewhere) while the agent is at the federation.
    const again = await fetch(link('stranger'), { redirect: 'manual', headers: { cookie: jar.header(base) } });
    await endSession(jar);
    const ended = await signInThroughDemoIdp(again.headers.get('location')!, { jar });
    expect(ended.finalUrl.searchParams.get('erreur')).toBe('link_session_ended');
    expect(await ownerOf('stranger', emilieAtStranger.sub)).toBeUndefined();
  });

  it('links the second federation to the same profile, keeps the session, and both then sign her in', async () => {
    const jar = await emilieSignsInThroughDemoQc();
    const sessionBefore = await sessionIdOf(jar);
    let callback: URL | undefined;
    const linked = await linkStranger(jar, emilieAtStranger, {
      tamper: (url) => {
        callback = new URL(url);
        return url;
      },
    });
    expect(linked.finalUrl.pathname).toBe('/profil');
    expect(linked.finalUrl.searchParams.get('lie')).toBe('stranger');
    expect(await sessionIdOf(jar)).toBe(sessionBefore);
    expect(await ownerOf('stranger', emilieAtStranger.sub)).toBe(emilie.id);
    const federations = await federationsOf(jar);
    expect(federations.map((f) => f.upstream).sort()).toEqual(['demo-qc', 'stranger']);
    expect(Number.isNaN(Date.parse(federations[0]!.linkedAt))).toBe(false);
    const event = await lastLinkEvent('identity.linked');
    expect(event).toMatchObject({ outcome: 'success', actor_id: emilie.id, resource_id: emilie.id, details: { upstream: 'stranger' } });
    expect(JSON.stringify(event)).not.toContain('@');

    // The callback replayed (same browser, same session): the attempt was used up.
    const replay = await fetch(callback!, { redirect: 'manual', headers: { cookie: jar.header(base) } });
    expect(new URL(replay.headers.get('location')!, base).searchParams.get('erreur')).toBe('sign_in_expired');
    expect((await t.entente.audit.list({ action: 'identity.linked', limit: 10 })).length).toBe(1);

    // A fresh browser, through the stranger alone: Émilie's profile.
    stranger.nextLogin = { sub: emilieAtStranger.sub, acr: 'loa-1' };
    const viaStranger = await signInThroughDemoIdp(`${base}/auth/login?upstream=stranger`);
    expect((await me(viaStranger.jar)).body).toMatchObject({ principalId: emilie.id, email: emilie.email });
    expect((await me(await emilieSignsInThroughDemoQc())).body).toMatchObject({ principalId: emilie.id });

    // Linking it again changes nothing and says so the same way.
    const again = await linkStranger(jar, emilieAtStranger);
    expect(again.finalUrl.searchParams.get('lie')).toBe('stranger');
    expect((await t.entente.audit.list({ action: 'identity.linked', limit: 10 })).length).toBe(1);
  });
});

describe('idp_hint', () => {
  it('is forwarded to the federation’s authorization request', async () => {
    const response = await fetch(`${base}/auth/login?upstream=stranger&idp_hint=${encodeURIComponent('urn:fia:idp/ministere-1.2')}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(new URL(stranger.issuer).origin);
    expect(location.searchParams.get('idp_hint')).toBe('urn:fia:idp/ministere-1.2');
    const without = await fetch(`${base}/auth/login?upstream=stranger`, { redirect: 'manual' });
    expect(new URL(without.headers.get('location')!).searchParams.has('idp_hint')).toBe(false);
  });

  it('is refused when it holds anything but the allowed characters, or is too long', async () => {
    for (const hint of ['a b', 'x"><script>', 'a'.repeat(201)]) {
      const response = await fetch(`${base}/auth/login?${new URLSearchParams({ upstream: 'stranger', idp_hint: hint })}`, { redirect: 'manual' });
      expect(response.status, hint).toBe(400);
    }
  });
});

async function endSession(jar: CookieJar): Promise<void> {
  const session = await t.entente.sessions.resolve(jar.get(base, 'entente_session'));
  if (!session) return;
  await t.entente.sessions.end({
    sessionId: session.id,
    principalId: session.principalId,
    reason: 'signed_out',
    actorId: session.principalId,
    ip: null,
    jurisdiction: session.homeJurisdiction,
  });
}
