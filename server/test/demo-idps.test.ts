import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { DEMO_AGENTS, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { DEMO_IDP_ACCOUNTS, type DemoIdpName, registerDemoIdps } from '../src/identity/federation/demo-idps/index.ts';
import { type App, createHttpApp } from '../src/platform/http/app.ts';
import { createLogger } from '../src/platform/logger.ts';

// The demo providers mounted on Entente's HTTP platform (createHttpApp, as entente.ts builds it),
// driven by the real openid-client as the relying party and fetch as the browser.
const REDIRECT = { fr: 'http://rp.entente.test/auth/callback/fr', qc: 'http://rp.entente.test/auth/callback/qc' };
const SECRET = { fr: randomBytes(32).toString('base64url'), qc: randomBytes(32).toString('base64url') };
const camille = DEMO_AGENTS.find((agent) => agent.givenName === 'Camille')!;
const emilie = DEMO_AGENTS.find((agent) => agent.givenName === 'Émilie')!;
const acrs = { fr: ['eidas1', 'eidas2'], qc: ['urn:qc:gouv:niveau:1', 'urn:qc:gouv:niveau:2'] };
const subjectOf = (idp: DemoIdpName, email: string) => DEMO_IDP_ACCOUNTS[idp].find((account) => account.email === email)!.sub;

let app: App;
let publicUrl: URL;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'entente-demo-idps-'));
  const config = loadConfig({ PORT: '0', ENTENTE_DATA_DIR: dataDir, ENTENTE_LOG_LEVEL: 'silent' });
  const logger = createLogger(config);
  ({ app } = await createHttpApp({ config, logger, readiness: async () => ({ ready: true, checks: {} }), webDist: null }));
  registerDemoIdps(app, {
    publicUrl: () => publicUrl,
    clients: {
      fr: [{ client_id: 'entente', client_name: 'Entente', client_secret: SECRET.fr, redirect_uris: [REDIRECT.fr], userinfo_signed_response_alg: 'RS256' }],
      qc: [{ client_id: 'entente', client_name: 'Entente', client_secret: SECRET.qc, redirect_uris: [REDIRECT.qc] }],
    },
    keysFile: path.join(dataDir, 'demo-idp-keys.json'),
    cookieSecret: randomBytes(32),
    logger,
  });
  publicUrl = new URL((await app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost'));
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const issuerOf = (idp: DemoIdpName) => `${publicUrl.origin}/demo/idp/${idp}`;

async function discover(idp: DemoIdpName) {
  const metadata = idp === 'fr' ? { userinfo_signed_response_alg: 'RS256' } : {};
  const config = await oidc.discovery(new URL(issuerOf(idp)), 'entente', metadata, oidc.ClientSecretPost(SECRET[idp]), {
    execute: [oidc.allowInsecureRequests],
  });
  // Verify the signature of JWT userinfo (and ID tokens) against the provider's JWKS.
  oidc.enableNonRepudiationChecks(config);
  return config;
}

/** A browser's cookie jar, just enough for one sign-in. */
function browser() {
  const jar = new Map<string, string>();
  return async (url: string | URL, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      if (attributes.some((a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0/i.test(a))) jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    return response;
  };
}

interface Flow {
  agent?: string;
  secondFactor?: boolean;
  claims?: unknown;
  headers?: Record<string, string>;
  loginHint?: string;
}

/** authorize → login page → POST the form → resume → redirect to the RP; returns what the RP gets. */
async function signIn(idp: DemoIdpName, flow: Flow = {}) {
  const config = await discover(idp);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const scope = idp === 'fr' ? 'openid given_name usual_name email uid siret organization idp_id' : 'openid profil courriel organisation';
  const authorize = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT[idp],
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(flow.loginHint ? { login_hint: flow.loginHint } : {}),
    // null: no claims parameter at all.
    ...(flow.claims === null ? {} : { claims: JSON.stringify(flow.claims ?? { id_token: { acr: { essential: true, values: acrs[idp] } } }) }),
  });
  const go = browser();
  const toLogin = await go(authorize, { headers: flow.headers });
  expect(toLogin.status).toBe(303);
  const loginUrl = new URL(toLogin.headers.get('location')!, publicUrl);
  const page = await go(loginUrl, { headers: flow.headers });
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const form = new URLSearchParams({ agent: flow.agent ?? subjectOf(idp, idp === 'fr' ? camille.email : emilie.email) });
  if (flow.secondFactor) form.set('second_factor', 'on');
  const posted = await go(new URL(action!, publicUrl), {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...flow.headers },
  });
  let location = posted.headers.get('location');
  for (let hops = 0; posted.status === 303 && location && !location.startsWith(REDIRECT[idp]) && hops < 5; hops++) {
    location = (await go(new URL(location, publicUrl))).headers.get('location');
  }
  return { config, page, html, posted, callback: location ? new URL(location) : null, checks: { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce } };
}

describe('demo identity providers', () => {
  it('publish their discovery documents under their own issuers', async () => {
    const fr = (await discover('fr')).serverMetadata();
    expect(fr.issuer).toBe(issuerOf('fr'));
    expect(fr.acr_values_supported).toEqual(['eidas1', 'eidas2', 'eidas3']);
    expect(fr.claims_supported).toEqual(expect.arrayContaining(['given_name', 'usual_name', 'uid', 'siret', 'idp_id', 'organization_label']));
    expect(fr.userinfo_signing_alg_values_supported).toContain('RS256');
    const qc = (await discover('qc')).serverMetadata();
    expect(qc.issuer).toBe(issuerOf('qc'));
    expect(qc.claims_supported).toEqual(expect.arrayContaining(['prenom', 'nom_famille', 'courriel', 'neq', 'organisation']));
    expect(statSync(path.join(dataDir, 'demo-idp-keys.json')).mode & 0o777).toBe(0o600);
  });

  it('shows a localised, script-free login page that says it is a demo', async () => {
    const { page, html } = await signIn('fr');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('<html lang="fr-FR">');
    expect(html).toContain('démo');
    expect(html).toContain('ce n’est pas ProConnect');
    expect(html).toContain('Camille Martin');
    expect(html).not.toContain('<script');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
    const english = await signIn('qc', { headers: { 'accept-language': 'en' } });
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toContain('not the Québec government authentication service');
  });

  it('chooses on its login page the agent whose address was typed at Entente (login_hint)', async () => {
    const [first, second] = DEMO_IDP_ACCOUNTS.fr;
    const checkedValue = (html: string) => /<input type="radio" name="agent" id="[^"]+" value="([^"]+)" required checked/.exec(html)?.[1];
    expect(checkedValue((await signIn('fr')).html)).toBe(first!.sub);
    expect(checkedValue((await signIn('fr', { loginHint: second!.email.toUpperCase() })).html)).toBe(second!.sub);
    expect(checkedValue((await signIn('fr', { loginHint: 'nobody@example.test' })).html)).toBe(first!.sub);
  });

  it('signs Camille in like ProConnect: eidas1, claims in the ID token and a signed JWT userinfo', async () => {
    const { config, callback, checks } = await signIn('fr');
    const tokens = await oidc.authorizationCodeGrant(config, callback!, checks);
    const claims = tokens.claims()!;
    const siret = DEMO_ORGANISATIONS.find((org) => org.id === camille.organisationId)!.siret;
    expect(claims).toMatchObject({ iss: issuerOf('fr'), acr: 'eidas1', given_name: 'Camille', usual_name: 'Martin', siret });
    expect(claims.sub).toMatch(/^fr-demo-/);
    expect(claims.sub).not.toBe(camille.id);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({
      sub: claims.sub,
      email: camille.email,
      given_name: 'Camille',
      usual_name: 'Martin',
      siret,
      idp_id: 'entente-demo-fr',
      organization_label: 'Ministère de la Transformation numérique (démo)',
    });
    // fetchUserInfo with non-repudiation checks verified a JWS; the raw answer is a JWT.
    const raw = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(raw.headers.get('content-type')).toContain('application/jwt');
  });

  it('gives eidas2 and amr mfa when the agent uses the second factor', async () => {
    const claims = { id_token: { acr: { essential: true, values: ['eidas1', 'eidas2'] }, amr: { essential: true } } };
    const { config, callback, checks } = await signIn('fr', { secondFactor: true, claims });
    const idToken = (await oidc.authorizationCodeGrant(config, callback!, checks)).claims()!;
    expect(idToken.acr).toBe('eidas2');
    expect(idToken.amr).toEqual(expect.arrayContaining(['mfa', 'otp']));
  });

  it('never claims eidas2 when it is essential and the agent skipped the second factor', async () => {
    const required = { id_token: { acr: { essential: true, value: 'eidas2' } } };
    const { html, callback, config, checks } = await signIn('fr', { claims: required });
    expect(html).toContain('second-factor-required');
    expect(callback!.searchParams.get('error')).toBe('unmet_authentication_requirements');
    await expect(oidc.authorizationCodeGrant(config, callback!, checks)).rejects.toThrow();
    const stepUp = await signIn('fr', { claims: required, secondFactor: true });
    expect((await oidc.authorizationCodeGrant(stepUp.config, stepUp.callback!, stepUp.checks)).claims()!.acr).toBe('eidas2');
  });

  it('signs Émilie in the Québec way: its own claim names, the NEQ, level 2 with the second factor', async () => {
    const { config, callback, checks } = await signIn('qc', { secondFactor: true });
    const tokens = await oidc.authorizationCodeGrant(config, callback!, checks);
    const claims = tokens.claims()!;
    expect(claims.acr).toBe('urn:qc:gouv:niveau:2');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ prenom: 'Émilie', nom_famille: 'Tremblay', courriel: emilie.email, neq: '8800000001' });
    expect(userinfo).not.toHaveProperty('given_name');
    const raw = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(raw.headers.get('content-type')).toContain('application/json');
    const level1 = await signIn('qc', { claims: null }); // acr comes even when not asked for
    expect((await oidc.authorizationCodeGrant(level1.config, level1.callback!, level1.checks)).claims()!.acr).toBe('urn:qc:gouv:niveau:1');
  });

  it('lets openid-client reject a state mismatch', async () => {
    const { config, callback, checks } = await signIn('fr');
    await expect(oidc.authorizationCodeGrant(config, callback!, { ...checks, expectedState: oidc.randomState() })).rejects.toMatchObject({
      cause: { message: expect.stringContaining('"state"') },
    });
  });

  it('answers an unknown agent with a clear localised page, not a 500', async () => {
    const { posted } = await signIn('fr', { agent: 'fr-demo-nobody' });
    expect(posted.status).toBe(400);
    const html = await posted.text();
    expect(html).toContain('Cet agent de démo n’existe pas');
    expect(html).toContain('<html lang="fr-FR">');
  });

  it('renders protocol errors on its own localised page', async () => {
    const response = await fetch(`${issuerOf('fr')}/auth?client_id=unknown&response_type=code&scope=openid`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('The demo provider refused the service’s request (code: invalid_client)');
    expect(html).toContain('Technical detail:');
    expect(html).not.toContain('oops');
  });
});
