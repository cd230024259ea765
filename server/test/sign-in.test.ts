import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS } from '../src/identity/federation/demo-idps/index.ts';
import { findProfile } from '../src/identity/profiles.repo.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { signInThroughDemoIdp } from './support/sign-in-flow.ts';

/** Federated sign-in end to end: Entente's broker (openid-client) and the real demo providers. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const login = (query: Record<string, string>) => `${t.baseUrl}/auth/login?${new URLSearchParams(query)}`;
const me = async (jar: Awaited<ReturnType<typeof signInThroughDemoIdp>>['jar']) => {
  const response = await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: jar.header(t.baseUrl) } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('signing in through the demo federations', () => {
  it('routes a French work email to the French provider and signs Camille in (eIDAS low)', async () => {
    const camille = DEMO_AGENTS[0]!;
    const flow = await signInThroughDemoIdp(login({ email: camille.email, returnTo: '/domaines/identite' }));
    expect(flow.finalUrl.pathname).toBe('/domaines/identite');
    const { status, body } = await me(flow.jar);
    expect(status).toBe(200);
    expect(body).toMatchObject({ principalId: camille.id, givenName: 'Camille', familyName: 'Martin', jurisdiction: 'FR' });
    const session = await t.entente.stores.control.db
      .selectFrom('sessions')
      .select(['assurance_level', 'upstream'])
      .where('principal_id', '=', camille.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(session).toEqual({ assurance_level: 'low', upstream: 'demo-fr' });
    // The demo federation vouches for the addresses it sends, like ProConnect: recorded as verified.
    const profile = await findProfile(t.entente.stores.cells.FR.db, camille.id);
    expect(profile?.email_verified).toBe(true);
  });

  it('routes a Québec email to the Québec provider; the second factor gives « substantial »', async () => {
    const emilie = DEMO_AGENTS[2]!;
    const flow = await signInThroughDemoIdp(login({ email: emilie.email, level: 'substantial' }), { secondFactor: true });
    expect(flow.finalUrl.pathname).toBe('/');
    const { body } = await me(flow.jar);
    expect(body).toMatchObject({ principalId: emilie.id, jurisdiction: 'QC', givenName: 'Émilie' });
    const events = await t.entente.audit.list({ jurisdiction: 'QC', action: 'session.created', actorId: emilie.id, limit: 1 });
    expect(events[0]?.details).toMatchObject({ upstream: 'demo-qc', assuranceLevel: 'substantial' });
  });

  it('refuses a level below the one asked for', async () => {
    const hugo = DEMO_AGENTS[1]!;
    const flow = await signInThroughDemoIdp(login({ email: hugo.email, level: 'substantial' }), { secondFactor: false });
    expect(flow.finalUrl.pathname).toBe('/connexion');
    expect(flow.finalUrl.searchParams.get('erreur')).toBe('sign_in_level_too_low');
    expect((await me(flow.jar)).status).toBe(401);
  });

  it('a level refused, or a cancel at the federation, comes back to the sign-in page with the page asked for', async () => {
    const hugo = DEMO_AGENTS[1]!;
    const refused = await signInThroughDemoIdp(login({ email: hugo.email, level: 'substantial', returnTo: '/espaces/abc?onglet=fichiers' }), { secondFactor: false });
    expect(refused.finalUrl.pathname).toBe('/connexion');
    expect(refused.finalUrl.searchParams.get('retour')).toBe('/espaces/abc?onglet=fichiers');
    // « Annuler » at the federation: it answers the callback with error=access_denied (RFC 6749 §4.1.2.1).
    const start = await fetch(login({ email: hugo.email, returnTo: '/notifications' }), { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.91' } });
    const authorize = new URL(start.headers.get('location') ?? '');
    const callback = new URL(authorize.searchParams.get('redirect_uri') ?? '');
    callback.search = new URLSearchParams({ error: 'access_denied', state: authorize.searchParams.get('state') ?? '' }).toString();
    const back = await fetch(callback, { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.91' } });
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get('location') ?? '', t.baseUrl);
    expect([location.pathname, location.searchParams.get('erreur'), location.searchParams.get('retour')]).toEqual(['/connexion', 'sign_in_cancelled', '/notifications']);
    // A forged or replayed state knows no page: none is given back.
    const replayed = await fetch(callback, { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.91' } });
    const again = new URL(replayed.headers.get('location') ?? '', t.baseUrl);
    expect([again.searchParams.get('erreur'), again.searchParams.get('retour')]).toEqual(['sign_in_expired', null]);
  });

  it('sends an unknown domain back to the sign-in page, naming the domain', async () => {
    const response = await fetch(login({ email: 'someone@example.org' }), { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', t.baseUrl);
    expect(location.pathname).toBe('/connexion');
    expect(location.searchParams.get('erreur')).toBe('sign_in_unknown_domain');
    expect(location.searchParams.get('domaine')).toBe('example.org');
  });

  it('refuses a tampered state and a replayed callback, and audits them', async () => {
    const camille = DEMO_AGENTS[0]!;
    const tampered = await signInThroughDemoIdp(login({ email: camille.email }), {
      tamper: (url) => {
        url.searchParams.set('state', 'x'.repeat(43));
        return url;
      },
    });
    expect(tampered.finalUrl.searchParams.get('erreur')).toBe('sign_in_expired');
    let callback = '';
    await signInThroughDemoIdp(login({ email: camille.email }), {
      tamper: (url) => {
        callback = url.href;
        return url;
      },
    });
    const replay = await fetch(callback, { redirect: 'manual' });
    expect(new URL(replay.headers.get('location') ?? '', t.baseUrl).searchParams.get('erreur')).toBe('sign_in_expired');
    const failures = await t.entente.audit.list({ action: 'sign_in.failed', limit: 10 });
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the return address on this site (no open redirect)', async () => {
    const olivier = DEMO_AGENTS[3]!;
    const flow = await signInThroughDemoIdp(login({ email: olivier.email, returnTo: '//evil.example/steal' }));
    expect(flow.finalUrl.origin).toBe(new URL(t.baseUrl).origin);
    expect(flow.finalUrl.pathname).toBe('/');
  });

  it('keeps it on this site even when a browser would drop a tab or read a backslash as a slash', async () => {
    const olivier = DEMO_AGENTS[3]!;
    // The raw Location after the callback, as the browser gets it (the flow helper would follow it).
    let callback = '';
    await signInThroughDemoIdp(login({ email: olivier.email, returnTo: '/\t/evil.example/steal' }), {
      tamper: (url) => {
        callback = url.href;
        return new URL('/api/auth/providers', t.baseUrl);
      },
    });
    const back = await fetch(callback, { redirect: 'manual' });
    expect(back.status).toBe(303);
    const location = back.headers.get('location') ?? '';
    expect(location).toBe('/');
    expect(new URL(location, `${t.baseUrl}/auth/callback/demo-fr`).origin).toBe(new URL(t.baseUrl).origin);

    // What /auth/login keeps for after the sign-in, for each way of leaving the site.
    const attacks = ['/\t/evil.example', '/\n/evil.example', '/\\evil.example', '/\\/evil.example', '//evil.example', '/.//evil.example', '\t//evil.example', 'https://evil.example/'];
    for (const returnTo of attacks) {
      const start = await fetch(login({ email: olivier.email, returnTo }), { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.90' } });
      const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const attempt = await t.entente.stores.control.db
        .selectFrom('login_attempts')
        .select('return_to')
        .where('state_hash', '=', createHash('sha256').update(state).digest())
        .executeTakeFirstOrThrow();
      expect(attempt.return_to, JSON.stringify(returnTo)).toBe('/');
    }
    // Encoded characters stay encoded, on this site: harmless, kept as typed.
    const encoded = await fetch(login({ email: olivier.email, returnTo: '/%09/evil.example' }), { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.90' } });
    const state = new URL(encoded.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const kept = await t.entente.stores.control.db
      .selectFrom('login_attempts')
      .select('return_to')
      .where('state_hash', '=', createHash('sha256').update(state).digest())
      .executeTakeFirstOrThrow();
    expect(kept.return_to).toBe('/%09/evil.example');
  });

  it('signs out of Entente and points to the provider’s logout', async () => {
    const flow = await signInThroughDemoIdp(login({ email: DEMO_AGENTS[0]!.email }));
    const cookie = flow.jar.header(t.baseUrl);
    const { csrfToken } = (await (await fetch(`${t.baseUrl}/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    const out = await fetch(`${t.baseUrl}/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: t.baseUrl },
    });
    expect(out.status).toBe(200);
    const { redirect } = (await out.json()) as { redirect: string };
    expect(redirect).toContain('/demo/idp/fr/');
    expect(new URL(redirect).searchParams.get('id_token_hint')).toBeTruthy();
    expect((await fetch(`${t.baseUrl}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('lists the federations for the sign-in page', async () => {
    const { providers } = (await (await fetch(`${t.baseUrl}/api/auth/providers`)).json()) as { providers: { name: string }[] };
    expect(providers.map((p) => p.name)).toEqual(['demo-fr', 'demo-qc']);
    expect(DEMO_IDP_ACCOUNTS.fr.length).toBeGreaterThan(0);
  });
});

describe('rate limits on sign-in', () => {
  it('slow down a flood from one address without locking out another', async () => {
    const from = (ip: string) =>
      fetch(`${t.baseUrl}/auth/login?email=someone@example.org`, { redirect: 'manual', headers: { 'x-forwarded-for': ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await from('198.51.100.66')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    const limited = await from('198.51.100.66');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { type: string }).type).toBe('urn:entente:problem:rate-limited');
    expect((await from('198.51.100.67')).status).toBe(303);
  });
});

describe('entente idp check', () => {
  it('finds nothing wrong with a demo federation, and names what is wrong with a bad configuration', async () => {
    const { checkUpstream } = await import('../src/cli/idp.ts');
    const { demoUpstreams } = await import('../src/identity/federation/upstream.ts');
    const [fr] = demoUpstreams(new URL(t.baseUrl), 's'.repeat(32));
    const good = await checkUpstream(fr!, { allowHttp: true });
    expect(good.filter((l) => l.ok === false)).toEqual([]);
    expect(good.map((l) => l.label)).toEqual(expect.arrayContaining(['Issuer', 'JWKS', 'PKCE S256']));
    const bad = await checkUpstream(
      { ...fr!, issuer: `${fr!.issuer}/`, scopes: ['openid', 'telepathy'], acr: { eidas9: 'high' } },
      { allowHttp: true },
    );
    const failed = bad.filter((l) => l.ok === false).map((l) => l.detail);
    expect(failed.join('\n')).toContain('telepathy');
    expect(failed.join('\n')).toContain('eidas9');
    const unreachable = await checkUpstream({ ...fr!, issuer: 'http://127.0.0.1:1/none' }, { allowHttp: true });
    expect(unreachable[0]?.ok).toBe(false);
  });
});

describe('step-up', () => {
  it('sends an agent below the required level back to their federation, and brings them back', async () => {
    const { actorFromSession } = await import('../src/identity/actor.ts');
    const { requireAssurance } = await import('../src/identity/authorization.ts');
    const { AppError } = await import('../src/platform/errors.ts');
    const hugo = DEMO_AGENTS[1]!;
    const first = await signInThroughDemoIdp(login({ email: hugo.email }), {
      agentSub: DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === hugo.email)!.sub,
    });
    const actorOf = async (jar: typeof first.jar) => {
      const session = await t.entente.sessions.resolve(jar.get(t.baseUrl, 'entente_session'));
      if (!session) throw new Error('no session');
      return actorFromSession(session);
    };
    let stepUp = '';
    try {
      requireAssurance(await actorOf(first.jar), 'substantial', '/domaines/collaboration');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      stepUp = String((error as InstanceType<typeof AppError>).extensions.stepUp);
    }
    expect(stepUp).toContain('upstream=demo-fr');
    expect(stepUp).toContain('level=substantial');
    const hugoAtIdp = DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === hugo.email)!;
    const second = await signInThroughDemoIdp(`${t.baseUrl}${stepUp}`, { secondFactor: true, jar: first.jar, agentSub: hugoAtIdp.sub });
    expect(second.finalUrl.pathname).toBe('/domaines/collaboration');
    const stepped = await actorOf(second.jar);
    expect(stepped.assuranceLevel).toBe('substantial');
    expect(requireAssurance(stepped, 'substantial', '/').principalId).toBe(hugo.id);
  });
});

describe('an organisation the federation vouches for but Entente does not know', () => {
  it('is created at the sign-in, flagged for an operator, and audited', async () => {
    const hugo = DEMO_AGENTS[1]!;
    // Entente forgets Hugo's organisation's SIRET (another valid one takes its place).
    await t.entente.stores.control.db
      .updateTable('organisations')
      .set({ siret: '13002526500013' })
      .where('id', '=', hugo.organisationId)
      .execute();
    const flow = await signInThroughDemoIdp(login({ email: hugo.email }), {
      agentSub: DEMO_IDP_ACCOUNTS.fr.find((a) => a.email === hugo.email)!.sub,
    });
    expect(flow.finalUrl.pathname).toBe('/');
    const created = await t.entente.stores.control.db
      .selectFrom('organisations')
      .select(['name', 'siret', 'confirmed', 'email_domains'])
      .where('siret', '=', '11000000200011')
      .executeTakeFirstOrThrow();
    expect(created).toMatchObject({ confirmed: false, email_domains: ['dsne.demo-gouv-fr.test'] });
    expect(created.name).toContain('démo');
    const [event] = await t.entente.audit.list({ action: 'organisation.provisioned', limit: 1 });
    expect(event?.outcome).toBe('success');
  });
});
