/**
 * An external wallet (OpenID4VCI 1.0, pre-authorised code flow) over HTTP against the real server:
 * the agent's offer, the issuer's and its authorization server's metadata, the token (with the
 * tx_code), the nonce, the credential for a proof signed by the wallet's own key — checked by the
 * OpenWallet Foundation's verifier — and the attacks on each step.
 */
import { createHash, randomBytes, } from 'node:crypto';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentSdJwt } from '../src/identity/credentials/sd-jwt/index.ts';
import { DEMO_AGENTS, DEMO_COLLEAGUES, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { createLogger } from '../src/platform/logger.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { owfVerifier } from './support/owf-verifier.ts';

const [camille, , emilie] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const FR_ORG = DEMO_ORGANISATIONS[0].id;
const GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const logs: string[] = [];
let t: TestApp;
beforeAll(async () => {
  // Every log line at debug level, to check that no secret of the flow is ever written.
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  t = await startTestApp({ entente: { logger: createLogger({ logLevel: 'debug' }, sink) } });
});
afterAll(async () => t?.close());

/** Every secret the flow handed out, to look for in logs and audit afterwards. */
const secrets: string[] = [];
let ipCounter = 0;
/** A new client address (the server trusts X-Forwarded-For from loopback): the token endpoint's limit is per address. */
const nextIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, the assertions check them
type Answer = { status: number; headers: Headers; body: Record<string, any> };
async function http(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const response = await fetch(path.startsWith('http') ? path : `${t.baseUrl}${path}`, { method, headers: init.headers, body: init.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function makeOffer(session: TestSession, body: Record<string, unknown> = { type: 'public-agent' }) {
  const answer = await http('POST', '/api/credentials/offers', { headers: { ...session.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (answer.status === 201) {
    secrets.push(answer.body.txCode, answer.body.offer.grants[GRANT]['pre-authorized_code']);
  }
  return answer;
}
const codeOf = (offer: Answer) => offer.body.offer.grants[GRANT]['pre-authorized_code'] as string;

async function token(issuer: string, form: Record<string, string>, ip = nextIp()) {
  const answer = await http('POST', `${issuer}/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams(form).toString(),
  });
  if (answer.status === 200) secrets.push(answer.body.access_token);
  return answer;
}
const redeem = (issuer: string, offer: Answer, txCode = offer.body.txCode as string, ip?: string) =>
  token(issuer, { grant_type: GRANT, 'pre-authorized_code': codeOf(offer), tx_code: txCode }, ip);

async function nonce(issuer: string): Promise<string> {
  const answer = await http('POST', `${issuer}/nonce`, { headers: { 'x-forwarded-for': nextIp() } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  secrets.push(answer.body.c_nonce);
  return answer.body.c_nonce as string;
}

interface Wallet {
  privateKey: CryptoKey;
  publicJwk: JWK;
}
async function newWallet(): Promise<Wallet> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
}
async function proof(wallet: Wallet, aud: string, c_nonce: string | undefined, options: { jwk?: JWK; key?: CryptoKey } = {}) {
  return new SignJWT({ aud, iat: Math.floor(Date.now() / 1000), ...(c_nonce === undefined ? {} : { nonce: c_nonce }) })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: options.jwk ?? wallet.publicJwk })
    .sign(options.key ?? wallet.privateKey);
}
async function credential(issuer: string, accessToken: string | null, body: unknown, extra: Record<string, string> = {}) {
  return http('POST', `${issuer}/credential`, {
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp(), ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const request = async (wallet: Wallet, issuer: string, type = 'public-agent') => ({
  credential_configuration_id: type,
  proofs: { jwt: [await proof(wallet, issuer, await nonce(issuer))] },
});
/** Offer, token, nonce, credential: the whole exchange for one agent. */
async function fullFlow(session: TestSession, issuer: string, wallet: Wallet) {
  const offer = await makeOffer(session);
  expect(offer.status).toBe(201);
  const tok = await redeem(issuer, offer);
  expect(tok.status).toBe(200);
  return credential(issuer, tok.body.access_token, await request(wallet, issuer));
}

const payloadOf = (sdJwt: string) => JSON.parse(Buffer.from(sdJwt.split('~')[0]!.split('.')[1]!, 'base64url').toString('utf8'));

describe('the wallet flow', () => {
  it('offer → metadata → token with tx_code → nonce → credential bound to the wallet’s key, which the OpenWallet Foundation’s verifier accepts', async () => {
    const session = await t.signIn(camille);
    const offer = await makeOffer(session);
    expect(offer.status).toBe(201);
    expect(offer.headers.get('cache-control')).toBe('no-store');
    const issuer = `${t.baseUrl}/issuers/fr`;
    expect(offer.body.offer).toEqual({
      credential_issuer: issuer,
      credential_configuration_ids: ['public-agent'],
      grants: { [GRANT]: { 'pre-authorized_code': expect.any(String), tx_code: { input_mode: 'numeric', length: 6, description: expect.stringContaining('6') } } },
    });
    expect(Buffer.from(codeOf(offer), 'base64url')).toHaveLength(32);
    expect(offer.body.txCode).toMatch(/^\d{6}$/);
    expect(offer.body.expiresIn).toBe(600);
    expect(JSON.stringify(offer.body.offer)).not.toContain(offer.body.txCode);
    expect(offer.body.offerUri.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
    const fromUri = JSON.parse(decodeURIComponent(new URL(offer.body.offerUri).searchParams.get('credential_offer') as string));
    expect(fromUri).toEqual(offer.body.offer);

    // The wallet reads the credential issuer's metadata, then its authorization server's.
    const issuerPath = new URL(fromUri.credential_issuer).pathname;
    const metadata = await http('GET', `/.well-known/openid-credential-issuer${issuerPath}`);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('cache-control')).toBe('public, max-age=300');
    expect(metadata.body).toMatchObject({ credential_issuer: issuer, credential_endpoint: `${issuer}/credential`, nonce_endpoint: `${issuer}/nonce` });
    expect(metadata.body.display.map((d: { locale: string }) => d.locale)).toEqual(['fr-FR', 'en']);
    expect(metadata.body.credential_configurations_supported['public-agent']).toMatchObject({
      format: 'dc+sd-jwt',
      vct: `${t.baseUrl}/credentials/types/public-agent`,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['ES256'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    });
    expect(metadata.body.credential_configurations_supported['digital-skills'].vct).toBe(`${t.baseUrl}/credentials/types/digital-skills`);
    const as = await http('GET', `/.well-known/oauth-authorization-server${issuerPath}`);
    expect(as.status).toBe(200);
    expect(as.body).toMatchObject({ issuer, token_endpoint: `${issuer}/token`, grant_types_supported: [GRANT], 'pre-authorized_grant_anonymous_access_supported': true });

    const tok = await redeem(as.body.token_endpoint.replace(/\/token$/, ''), offer);
    expect(tok.status).toBe(200);
    expect(tok.headers.get('cache-control')).toBe('no-store');
    expect(tok.body).toMatchObject({ token_type: 'Bearer', expires_in: 300, access_token: expect.any(String) });

    const wallet = await newWallet();
    const c_nonce = await nonce(metadata.body.nonce_endpoint.replace(/\/nonce$/, ''));
    const answer = await credential(issuer, tok.body.access_token, { credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, issuer, c_nonce)] } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body.credentials).toHaveLength(1);
    const sdJwt = answer.body.credentials[0].credential as string;

    const keys = (await http('GET', '/.well-known/jwt-vc-issuer/issuers/fr')).body.jwks.keys as JWK[];
    const owf = owfVerifier(keys);
    const verified = await owf.verify(sdJwt);
    expect(verified.payload).toMatchObject({ iss: issuer, vct: `${t.baseUrl}/credentials/types/public-agent`, public_agent: true, given_name: 'Camille', organisation: { id: FR_ORG } });
    expect(payloadOf(sdJwt).cnf.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: wallet.publicJwk.x, y: wallet.publicJwk.y });
    expect(payloadOf(sdJwt).status.status_list.uri).toMatch(/\/credentials\/status\//);
    // The wallet's key (and only it) presents it.
    const presentation = await presentSdJwt(sdJwt, { disclose: ['jurisdiction'], holderKey: { key: wallet.privateKey, alg: 'ES256' }, nonce: 'n-w', aud: 'https://verifier.qc.example' });
    const presented = await owf.verify(presentation, { keyBindingNonce: 'n-w' } as never);
    expect(presented.payload).toMatchObject({ jurisdiction: 'FR' });
    expect(presented.payload).not.toHaveProperty('given_name');

    // The server lists it with the others (metadata only), audited as gone to a wallet.
    const listed = await http('GET', '/api/credentials', { headers: session.headers });
    const id = listed.body.credentials[0].id as string;
    expect(listed.body.credentials[0]).toMatchObject({ type: 'public-agent', status: 'valid' });
    const issued = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.issued', resourceId: id, limit: 1 });
    expect(issued[0]).toMatchObject({ actor_id: camille.id, details: { type: 'public-agent', to: 'wallet' } });
    const created = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.offer_created', actorId: camille.id, limit: 5 });
    expect(created[0]).toMatchObject({ outcome: 'success', details: { type: 'public-agent' } });
    // The offer lives in Camille's cell, hashed.
    const rows = await t.entente.stores.cells.FR.db.selectFrom('credential_offers').selectAll().where('principal_id', '=', camille.id).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(codeOf(offer));
    expect(JSON.stringify(rows)).not.toContain(tok.body.access_token);
    expect(await t.entente.stores.cells.QC.db.selectFrom('credential_offers').select('id').where('principal_id', '=', camille.id).execute()).toEqual([]);
  });

  it('issues Émilie’s from the Québec issuer, and a digital-skills certificate as offered', async () => {
    const qc = `${t.baseUrl}/issuers/qc`;
    const answer = await fullFlow(await t.signIn(emilie), qc, await newWallet());
    expect(answer.status).toBe(200);
    expect(payloadOf(answer.body.credentials[0].credential)).toMatchObject({ iss: qc, vct: `${t.baseUrl}/credentials/types/public-agent` });

    const lea = DEMO_COLLEAGUES[0]!;
    const assessment = await t.entente.stores.cells.FR.db
      .selectFrom('skills_assessments')
      .select(['id'])
      .where('principal_id', '=', lea.id)
      .where('status', '=', 'completed')
      .executeTakeFirstOrThrow();
    const session = await t.signIn({ ...camille, id: lea.id });
    const fr = `${t.baseUrl}/issuers/fr`;
    const offer = await makeOffer(session, { type: 'digital-skills', assessmentId: assessment.id });
    expect(offer.status).toBe(201);
    expect(offer.body.offer.credential_configuration_ids).toEqual(['digital-skills']);
    const tok = await redeem(fr, offer);
    const wallet = await newWallet();
    // Not what was offered.
    const wrong = await credential(fr, tok.body.access_token, await request(wallet, fr, 'public-agent'));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('unknown_credential_configuration');
    const skills = await credential(fr, tok.body.access_token, await request(wallet, fr, 'digital-skills'));
    expect(skills.status).toBe(200);
    expect(payloadOf(skills.body.credentials[0].credential).vct).toBe(`${t.baseUrl}/credentials/types/digital-skills`);
  });

  it('accepts the single `proof` of earlier drafts', async () => {
    const issuer = `${t.baseUrl}/issuers/fr`;
    const offer = await makeOffer(await t.signIn(camille));
    const tok = await redeem(issuer, offer);
    const wallet = await newWallet();
    const answer = await credential(issuer, tok.body.access_token, { credential_configuration_id: 'public-agent', proof: { proof_type: 'jwt', jwt: await proof(wallet, issuer, await nonce(issuer)) } });
    expect(answer.status).toBe(200);
  });
});

describe('a browser wallet on another origin', () => {
  it('gets CORS on the token, nonce and credential endpoints — preflight, answers and errors — never with credentials, and only there', async () => {
    const origin = { origin: 'https://portefeuille.example' };
    for (const endpoint of ['token', 'nonce', 'credential']) {
      const preflight = await fetch(`${t.baseUrl}/issuers/qc/${endpoint}`, {
        method: 'OPTIONS',
        headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const session = await t.signIn(emilie);
    const offer = await makeOffer(session);
    const issuer = `${t.baseUrl}/issuers/qc`;
    const wrong = await http('POST', `${issuer}/token`, {
      headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
      body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': codeOf(offer), tx_code: offer.body.txCode === '000000' ? '111111' : '000000' }).toString(),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('access-control-allow-origin')).toBe('*');
    const spent = await credential(issuer, 'not-a-token', { credential_configuration_id: 'public-agent' }, origin);
    expect(spent.status).toBe(401);
    expect(spent.headers.get('access-control-allow-origin')).toBe('*');
    expect(spent.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    // Entente's own API (cookie sessions) stays closed to other origins.
    const api = await http('GET', '/api/credentials', { headers: { ...session.headers, ...origin } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the offer', () => {
  it('is refused now when the credential could not be issued, for an API token, and without CSRF', async () => {
    const session = await t.signIn(camille);
    const skills = await makeOffer(session, { type: 'digital-skills' });
    expect(skills.status).toBe(400);
    const unknown = await makeOffer(session, { type: 'public-agent', organisationId: DEMO_ORGANISATIONS[2].id });
    expect(unknown.status).toBe(403);
    expect(unknown.body.type).toBe('urn:entente:problem:credential-no-organisation');
    const notDone = await makeOffer(session, { type: 'digital-skills', assessmentId: '019ac9f0-0000-7000-8000-00000000dead' });
    expect(notDone.status).toBeGreaterThanOrEqual(400);
    expect(notDone.status).toBeLessThan(500);

    const created = await http('POST', '/api/me/tokens', {
      headers: { ...session.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'portefeuille', scopes: ['api:write'], expiresInDays: 1 }),
    });
    expect(created.status).toBe(201);
    const viaToken = await http('POST', '/api/credentials/offers', {
      headers: { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'public-agent' }),
    });
    expect(viaToken.status).toBe(403);
    expect((await http('POST', '/api/credentials/offers', { headers: { 'content-type': 'application/json' }, body: '{"type":"public-agent"}' })).status).toBe(401);
    const noCsrf = await http('POST', '/api/credentials/offers', {
      headers: { cookie: session.cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: '{"type":"public-agent"}',
    });
    expect(noCsrf.status).toBe(403);
  });
});

describe('attacks on the token endpoint', () => {
  const fr = () => `${t.baseUrl}/issuers/fr`;
  const qc = () => `${t.baseUrl}/issuers/qc`;

  it('redeems a code once', async () => {
    const offer = await makeOffer(await frAgent());
    const [a, b] = await Promise.all([redeem(fr(), offer), redeem(fr(), offer)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect([a, b].find((x) => x.status === 400)?.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect((await redeem(fr(), offer)).body.error).toBe('invalid_grant');
  });

  it('kills an offer after five wrong tx_codes, even for the right one after', async () => {
    const offer = await makeOffer(await frAgent());
    const right = offer.body.txCode as string;
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) expect((await redeem(fr(), offer, wrong)).body.error).toBe('invalid_grant');
    const fifth = await redeem(fr(), offer, wrong);
    expect(fifth.status).toBe(400);
    expect(fifth.body.error).toBe('invalid_grant');
    expect(fifth.headers.get('cache-control')).toBe('no-store');
    const late = await redeem(fr(), offer, right);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    const failures = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.offer_redeemed', limit: 20 });
    const failed = failures.filter((f) => f.outcome === 'failure');
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(failed[0]).toMatchObject({ actor_id: null, details: { reason: 'tx_code', attempts: '5', dead: 'true' } });
    // Four wrong, then the right one: still redeemable.
    const other = await makeOffer(await frAgent());
    for (let i = 0; i < 4; i++) await redeem(fr(), other, other.body.txCode === '123456' ? '654321' : '123456');
    expect((await redeem(fr(), other)).status).toBe(200);
  });

  it('refuses an expired offer, a French code at the Québec issuer, and malformed requests', async () => {
    const session = await frAgent();
    const offer = await makeOffer(session);
    const code = codeOf(offer);
    expect((await redeem(qc(), offer)).body.error).toBe('invalid_grant');
    await t.entente.stores.cells.FR.db
      .updateTable('credential_offers')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('code_hash', '=', createHash('sha256').update(code).digest('base64url'))
      .execute();
    expect((await redeem(fr(), offer)).body.error).toBe('invalid_grant');

    const fresh = await makeOffer(session);
    expect((await token(fr(), { grant_type: 'authorization_code', code: 'x' })).body.error).toBe('unsupported_grant_type');
    expect((await token(fr(), { 'pre-authorized_code': codeOf(fresh), tx_code: fresh.body.txCode })).body.error).toBe('invalid_request');
    expect((await token(fr(), { grant_type: GRANT, 'pre-authorized_code': codeOf(fresh) })).body.error).toBe('invalid_request');
    const json = await http('POST', `${fr()}/token`, {
      headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp() },
      body: JSON.stringify({ grant_type: GRANT, 'pre-authorized_code': codeOf(fresh), tx_code: fresh.body.txCode }),
    });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
    const huge = await http('POST', `${fr()}/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
      body: `grant_type=${encodeURIComponent(GRANT)}&pad=${'a'.repeat(10_000)}`,
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('invalid_request');
    // The fresh offer survived all that.
    expect((await redeem(fr(), fresh)).status).toBe(200);
  });

  it('limits an address guessing codes', async () => {
    const ip = '203.0.113.9';
    let limited: Answer | null = null;
    for (let i = 0; i < 25 && !limited; i++) {
      const answer = await token(fr(), { grant_type: GRANT, 'pre-authorized_code': randomBytes(32).toString('base64url'), tx_code: '000000' }, ip);
      if (answer.status === 429) limited = answer;
      else expect(answer.body.error).toBe('invalid_grant');
    }
    expect(limited?.body).toEqual({ error: 'temporarily_unavailable' });
    expect(limited?.headers.get('retry-after')).toBeTruthy();
  });
});

/** A new French agent of the first demo organisation (offers are limited per agent, like every write). */
let agents = 0;
async function frAgent(): Promise<TestSession> {
  agents += 1;
  const { principalId } = await provisionAgent(t.entente.stores, t.entente.outbox, {
    jurisdiction: 'FR',
    givenName: 'Agent',
    familyName: `Portefeuille ${agents}`,
    email: `agent.portefeuille${agents}@${DEMO_ORGANISATIONS[0].email_domains[0]}`,
    preferredLanguage: 'fr-FR',
    organisationId: FR_ORG,
    roles: ['member'],
  });
  return t.signIn({ ...camille, id: principalId });
}

describe('attacks on the credential endpoint', () => {
  const fr = () => `${t.baseUrl}/issuers/fr`;
  async function accessToken(session?: TestSession) {
    const offer = await makeOffer(session ?? (await frAgent()));
    const tok = await redeem(fr(), offer);
    expect(tok.status).toBe(200);
    return tok.body.access_token as string;
  }
  const expectInvalidToken = (answer: Answer) => {
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_token');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  };

  it('spends an access token once, refuses it expired or missing', async () => {
    const wallet = await newWallet();
    const once = await accessToken();
    expect((await credential(fr(), once, await request(wallet, fr()))).status).toBe(200);
    expectInvalidToken(await credential(fr(), once, await request(wallet, fr())));
    expectInvalidToken(await credential(fr(), null, await request(wallet, fr())));
    expectInvalidToken(await credential(fr(), 'not-a-token', await request(wallet, fr())));
    // At the other issuer, the token names nothing.
    const elsewhere = await accessToken();
    expectInvalidToken(await credential(`${t.baseUrl}/issuers/qc`, elsewhere, await request(wallet, `${t.baseUrl}/issuers/qc`)));
    const expired = await accessToken();
    await t.entente.stores.cells.FR.db
      .updateTable('credential_offers')
      .set({ access_expires_at: new Date(Date.now() - 1000) })
      .where('access_token_hash', '=', createHash('sha256').update(expired).digest('base64url'))
      .execute();
    expectInvalidToken(await credential(fr(), expired, await request(wallet, fr())));
  });

  it('refuses a reused or absent nonce, a wrong aud, a proof signed by another key than its header’s — and the token survives a bad proof', async () => {
    const wallet = await newWallet();
    const other = await newWallet();
    const tokenValue = await accessToken();
    const c_nonce = await nonce(fr());
    const refused = async (body: unknown, error: string) => {
      const answer = await credential(fr(), tokenValue, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe(error);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      return answer;
    };
    await refused({ credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, fr(), undefined)] } }, 'invalid_proof');
    await refused({ credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, `${t.baseUrl}/issuers/qc`, c_nonce)] } }, 'invalid_proof');
    await refused({ credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, fr(), c_nonce, { jwk: other.publicJwk })] } }, 'invalid_proof');
    await refused({ credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, fr(), 'never-given-by-us')] } }, 'invalid_nonce');
    await refused({ credential_configuration_id: 'public-agent' }, 'invalid_proof');
    await refused({ credential_configuration_id: 'public-agent', proofs: { jwt: [] } }, 'invalid_proof');
    await refused({ proofs: { jwt: [await proof(wallet, fr(), c_nonce)] } }, 'invalid_credential_request');
    await refused({ credential_configuration_id: 'other', proofs: { jwt: [await proof(wallet, fr(), c_nonce)] } }, 'unknown_credential_configuration');
    await refused('{"not json', 'invalid_credential_request');
    const huge = await credential(fr(), tokenValue, { credential_configuration_id: 'public-agent', pad: 'a'.repeat(20_000) });
    expect(huge.status).toBe(413);
    // The nonce was not spent by those refusals: it serves once, then no more.
    expect((await credential(fr(), tokenValue, { credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, fr(), c_nonce)] } })).status).toBe(200);
    const second = await accessToken();
    const reused = await credential(fr(), second, { credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, fr(), c_nonce)] } });
    expect(reused.body.error).toBe('invalid_nonce');
    // An expired nonce likewise.
    const stale = await nonce(fr());
    await t.entente.stores.cells.FR.db
      .updateTable('credential_wallet_nonces')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('nonce_hash', '=', createHash('sha256').update(stale).digest('base64url'))
      .execute();
    expect((await credential(fr(), second, { credential_configuration_id: 'public-agent', proofs: { jwt: [await proof(wallet, fr(), stale)] } })).body.error).toBe('invalid_nonce');
    expect((await credential(fr(), second, await request(wallet, fr()))).status).toBe(200);
  });

  it('dies with the session that made the offer', async () => {
    const session = await frAgent();
    const offer = await makeOffer(session);
    const redeemedBefore = await accessToken(session);
    await t.entente.sessions.end({ sessionId: session.sessionId, reason: 'signed_out' });
    // Redeemable (the code knows no session), but no credential comes of it.
    const tok = await redeem(fr(), offer);
    expect(tok.status).toBe(200);
    const wallet = await newWallet();
    expectInvalidToken(await credential(fr(), tok.body.access_token, await request(wallet, fr())));
    expectInvalidToken(await credential(fr(), redeemedBefore, await request(wallet, fr())));
  });

  it('gives another agent nothing but through the code: the credential is the offering agent’s', async () => {
    const emilieSession = await t.signIn(emilie);
    const camilleSession = await t.signIn(camille);
    const offer = await makeOffer(camilleSession);
    // Émilie, signed in, gains nothing: the endpoints ignore her session; she would need the code.
    const withCookie = await http('POST', `${fr()}/token`, {
      headers: { ...emilieSession.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
      body: new URLSearchParams({ grant_type: GRANT, 'pre-authorized_code': 'guess', tx_code: offer.body.txCode }).toString(),
    });
    expect(withCookie.body.error).toBe('invalid_grant');
    const tok = await redeem(fr(), offer);
    const answer = await credential(fr(), tok.body.access_token, await request(await newWallet(), fr()), { cookie: emilieSession.cookie });
    expect(answer.status).toBe(200);
    expect(payloadOf(answer.body.credentials[0].credential).iss).toBe(fr());
    // No API lists offers: Émilie's credential list is her own.
    const list = await http('GET', '/api/credentials', { headers: emilieSession.headers });
    expect(list.body.credentials.every((c: { jurisdiction: string }) => c.jurisdiction === 'QC')).toBe(true);
  });
});

describe('secrets', () => {
  it('never appear in logs or audit details', async () => {
    expect(secrets.length).toBeGreaterThan(20);
    const audit = JSON.stringify([
      ...(await t.entente.audit.list({ jurisdiction: 'FR', limit: 1000 })),
      ...(await t.entente.audit.list({ jurisdiction: 'QC', limit: 1000 })),
      ...(await t.entente.audit.list({ jurisdiction: null, limit: 1000 })),
    ]);
    expect(audit).toContain('credentials.offer_created');
    const written = logs.join('');
    expect(written).toContain('/issuers/fr/token');
    expect(written).not.toContain('tx_code=');
    for (const secret of secrets) {
      // A 6-digit tx_code could occur in a timestamp or a duration: looked for as a JSON value.
      const needle = /^\d{6}$/.test(secret) ? `"${secret}"` : secret;
      expect(written).not.toContain(needle);
      expect(audit).not.toContain(needle);
    }
  });
});
