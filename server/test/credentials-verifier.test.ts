import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trust } from '../src/cli/trust.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { createStatusList, issueSdJwt, type IssueSdJwtInput, presentSdJwt, setStatus, signStatusListToken, STATUS_INVALID } from '../src/identity/credentials/sd-jwt/index.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * The verifier side of issue 9 over HTTP: the trust list (pinned keys, metadata URL), status
 * lists served by small servers started here, and every attack refused with its reason.
 * Credentials are issued here with the format layer by a "Québec" issuer the test controls; the
 * last block uses credentials issued by Entente itself (POST /api/credentials).
 */
let t: TestApp;
let operator: TestSession;
const OPERATOR_ID = DEMO_AGENTS[0]!.id;
let member: TestSession;

const ISSUER = 'https://emetteur.quebec.example/issuers/qc';
const KID = 'qc-test-1';
let issuerKeys: CryptoKeyPair;
let otherKeys: CryptoKeyPair;
let holder: CryptoKeyPair;
let holderJwk: JWK;

/** A status-list server: path → token, and how many times each path was fetched. */
const tokens = new Map<string, string>();
const fetches = new Map<string, number>();
let statusServer: http.Server;
let statusBase: string;
/** The second issuer, trusted by its metadata URL: its well-known document and its keys. */
let metadataServer: http.Server;
let metadataBase: string;
let metadataJwks: { keys: JWK[] };
let metadataFetches = 0;

async function listen(handler: http.RequestListener): Promise<[http.Server, string]> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, `http://localhost:${(server.address() as AddressInfo).port}`];
}

const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  [statusServer, statusBase] = await listen((req, res) => {
    const path = req.url ?? '';
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    const token = tokens.get(path);
    if (!token) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(token);
  });
  [metadataServer, metadataBase] = await listen((req, res) => {
    if (req.url === '/.well-known/jwt-vc-issuer/issuers/fr') {
      metadataFetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: `${metadataBase}/issuers/fr`, jwks: metadataJwks }));
    } else res.writeHead(404).end();
  });
  t = await startTestApp();
  operator = await t.signIn(DEMO_AGENTS[0]); // Camille: a platform operator
  member = await t.signIn(DEMO_AGENTS[1]);
  const pair = () => generateKeyPair('ES256', { extractable: true });
  [issuerKeys, otherKeys, holder] = await Promise.all([pair(), pair(), pair()]);
  holderJwk = await exportJWK(holder.publicKey);
  await setList('/status/main', [3]);
});

afterAll(async () => {
  await t?.close();
  statusServer?.close();
  metadataServer?.close();
});

async function call(session: TestSession | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { ...(session?.headers ?? {}), ...headers };
  if (body !== undefined) all['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, the assertions check them
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
}

/** Publishes a status list (1 bit) at `path` of the status server, with these indices revoked. */
async function setList(path: string, revoked: number[], options: { ttl?: number; key?: CryptoKey; kid?: string } = {}) {
  const list = createStatusList(64);
  for (const idx of revoked) setStatus(list, idx, STATUS_INVALID);
  tokens.set(
    path,
    await signStatusListToken({ list, uri: `${statusBase}${path}`, iss: ISSUER, iat: now(), exp: now() + 3600, ttl: options.ttl ?? 300, key: { key: options.key ?? issuerKeys.privateKey, kid: options.kid ?? KID }, alg: 'ES256' }),
  );
}

const agentClaims = {
  public_agent: true,
  jurisdiction: 'QC',
  given_name: 'Émilie',
  family_name: 'Tremblay',
  organisation: { name: 'Ministère de la Cybersécurité et du Numérique', identifier: '1234567890' },
  role: ['member'],
};

function input(overrides: Partial<IssueSdJwtInput> = {}): IssueSdJwtInput {
  return {
    claims: agentClaims,
    always: ['public_agent'],
    disclosable: ['jurisdiction', 'given_name', 'family_name', 'organisation', 'organisation.name', 'organisation.identifier', 'role'],
    issuerKey: { key: issuerKeys.privateKey, kid: KID },
    alg: 'ES256',
    vct: 'https://emetteur.quebec.example/credentials/types/public-agent',
    iss: ISSUER,
    iat: now() - 60,
    nbf: now() - 60,
    exp: now() + 86_400,
    cnf: { jwk: holderJwk },
    status: { status_list: { idx: 1, uri: `${statusBase}/status/main` } },
    ...overrides,
  };
}

async function newRequest(body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const created = await call(null, 'POST', '/api/verifier/requests', body, headers);
  expect(created.status).toBe(200);
  return created.body as { id: string; nonce: string; audience: string; request: string; expiresAt: string };
}

async function submit(id: string, presentation: string) {
  return call(null, 'POST', `/api/verifier/requests/${id}/presentations`, { presentation });
}

/** A fresh request, a presentation for it (built by `build` from its nonce and audience), the verdict. */
async function verify(build: (req: { nonce: string; aud: string }) => Promise<string>, headers: Record<string, string> = {}) {
  const request = await newRequest({}, headers);
  const answer = await submit(request.id, await build({ nonce: request.nonce, aud: request.audience }));
  expect(answer.status).toBe(200);
  return answer.body;
}

const present = (credential: string, disclose: string[], req: { nonce: string; aud: string }, key: CryptoKey = holder.privateKey) =>
  presentSdJwt(credential, { disclose, holderKey: { key, alg: 'ES256' }, nonce: req.nonce, aud: req.aud });

/** A presentation re-bound by the holder after tampering (a fresh KB-JWT over the altered text). */
async function rebind(withoutKb: string, req: { nonce: string; aud: string }) {
  const digest = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(withoutKb))));
  const kb = await new SignJWT({ nonce: req.nonce, aud: req.aud, sd_hash: digest }).setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' }).setIssuedAt().sign(holder.privateKey);
  return withoutKb + kb;
}

describe('the trust list (operators)', () => {
  it('lists Entente’s own two issuers, refuses non-operators and adds a pinned issuer, audited with who did it', async () => {
    const listed = await call(operator, 'GET', '/api/admin/trust/issuers');
    expect(listed.status).toBe(200);
    expect(listed.body.issuers.map((i: { issuer: string; source: string; jurisdiction: string }) => [i.issuer, i.source, i.jurisdiction])).toEqual([
      [`${t.baseUrl}/issuers/fr`, 'local', 'FR'],
      [`${t.baseUrl}/issuers/qc`, 'local', 'QC'],
    ]);
    const jwks = { keys: [{ ...(await exportJWK(issuerKeys.publicKey)), kid: KID }] };
    expect((await call(member, 'POST', '/api/admin/trust/issuers', { issuer: ISSUER, jurisdiction: 'QC', name: 'Québec (essai)', jwks })).status).toBe(403);
    expect((await call(null, 'GET', '/api/admin/trust/issuers')).status).toBe(401);
    // A private key pasted by mistake is refused.
    const privateJwk = { ...(await exportJWK(otherKeys.privateKey)), kid: 'oops' };
    const leaked = await call(operator, 'POST', '/api/admin/trust/issuers', { issuer: ISSUER, jurisdiction: 'QC', name: 'Québec (essai)', jwks: { keys: [privateJwk] } });
    expect(leaked.status).toBe(400);
    expect(leaked.body.type).toBe('urn:entente:problem:trust-jwks-invalid');
    // http is refused for a host other than localhost.
    const plain = await call(operator, 'POST', '/api/admin/trust/issuers', { issuer: 'http://emetteur.quebec.example/issuers/qc', jurisdiction: 'QC', name: 'x', jwks });
    expect(plain.body.type).toBe('urn:entente:problem:trust-issuer-invalid');

    const added = await call(operator, 'POST', '/api/admin/trust/issuers', { issuer: ISSUER, jurisdiction: 'QC', name: 'Québec (essai)', jwks });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ issuer: ISSUER, source: 'pinned', jurisdiction: 'QC', keys: [{ kid: KID, kty: 'EC', crv: 'P-256' }], addedBy: `principal:${OPERATOR_ID}` });
    expect((await call(operator, 'POST', '/api/admin/trust/issuers', { issuer: ISSUER, jurisdiction: 'QC', name: 'encore', jwks })).status).toBe(409);
    expect((await call(operator, 'DELETE', `/api/admin/trust/issuers?issuer=${encodeURIComponent(`${t.baseUrl}/issuers/fr`)}`)).body.type).toBe('urn:entente:problem:trust-issuer-local');

    const audit = await t.entente.audit.list({ jurisdiction: null, action: 'credentials.trust.added', limit: 100 });
    const row = audit.find((a) => a.resource_id === ISSUER);
    expect(row?.actor_id).toBe(OPERATOR_ID);
    expect(row?.details).toMatchObject({ source: 'pinned', jurisdiction: 'QC', by: `principal:${OPERATOR_ID}` });

    const publicList = await call(null, 'GET', '/api/credentials/issuers');
    expect(publicList.body.issuers).toContainEqual({ url: ISSUER, jurisdiction: 'QC', name: 'Québec (essai)', trusted: true });
  });
});

describe('the verifier', () => {
  it('accepts a presentation and shows only the disclosed claims and which state vouches for them', async () => {
    const credential = await issueSdJwt(input());
    const request = await newRequest({}, { 'accept-language': 'fr-FR' });
    expect(request.audience).toBe(`${t.baseUrl}/verifier`);
    expect(JSON.parse(request.request)).toEqual({ nonce: request.nonce, aud: request.audience, verifier: `${t.baseUrl}/api/verifier/requests/${request.id}/presentations` });
    const answer = await submit(request.id, await present(credential, ['jurisdiction'], { nonce: request.nonce, aud: request.audience }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      reason: null,
      issuer: { url: ISSUER, jurisdiction: 'QC', name: 'Québec (essai)', trusted: true },
      type: 'public-agent',
      disclosed: { public_agent: true, jurisdiction: 'QC' },
      disclosedPaths: ['jurisdiction'],
      status: 'valid',
    });
    expect(Object.keys(answer.body.disclosed).sort()).toEqual(['jurisdiction', 'public_agent']);
    expect(answer.body.explanation).toMatch(/^Attestation vérifiée/);

    // The request served once.
    const again = await submit(request.id, await present(credential, ['jurisdiction'], { nonce: request.nonce, aud: request.audience }));
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:entente:problem:verifier-request-used');
    expect((await submit('019ad000-0000-7000-8000-000000000000', 'x~')).status).toBe(404);

    // Too large a body is refused before anything is read; an expired request serves no more.
    const big = await newRequest();
    expect((await submit(big.id, `${'a'.repeat(40 * 1024)}~`)).status).toBe(413);
    const late = await newRequest();
    await t.entente.stores.control.db.updateTable('credential_verifier_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', late.id).execute();
    const expired = await submit(late.id, await present(credential, ['jurisdiction'], { nonce: late.nonce, aud: late.audience }));
    expect(expired.status).toBe(409);
    expect(expired.body.type).toBe('urn:entente:problem:verifier-request-expired');
    // A request for another audience: the holder's KB-JWT must name it.
    const custom = await newRequest({ audience: 'https://service.quebec.example/verification' });
    expect(custom.audience).toBe('https://service.quebec.example/verification');
    const forCustom = await submit(custom.id, await present(credential, ['jurisdiction'], { nonce: custom.nonce, aud: custom.audience }));
    expect(forCustom.body.ok).toBe(true);
    expect((await call(null, 'POST', '/api/verifier/requests', { audience: 'bad audience with spaces' })).status).toBe(400);

    // Audited with the outcome, never the claims.
    const audit = await t.entente.audit.list({ jurisdiction: null, action: 'credentials.verified', limit: 200 });
    const row = audit.find((a) => a.resource_id === request.id);
    expect(row?.outcome).toBe('success');
    expect(row?.details).toMatchObject({ reason: 'accepted', issuer: ISSUER, type: 'public-agent' });
    expect(JSON.stringify(row?.details)).not.toContain('Tremblay');
  });

  it('refuses an altered disclosure and a disclosure taken from another credential', async () => {
    const credential = await issueSdJwt(input());
    const altered = await verify(async (req) => {
      const [jws, ...rest] = (await present(credential, ['given_name'], req)).split('~');
      const [salt, name] = JSON.parse(new TextDecoder().decode(base64url.decode(rest[0]!)));
      const forged = base64url.encode(JSON.stringify([salt, name, 'Camille']));
      return rebind(`${jws}~${forged}~`, req);
    });
    expect(altered).toMatchObject({ ok: false, reason: 'disclosure_not_referenced', disclosed: {}, issuer: null });
    expect(altered.explanation).toContain('une autre attestation');

    const other = await issueSdJwt(input({ claims: { ...agentClaims, given_name: 'Camille' } }));
    const foreign = await verify(async (req) => {
      const [jws] = (await present(credential, [], req)).split('~');
      const [, borrowed] = (await present(other, ['given_name'], req)).split('~');
      return rebind(`${jws}~${borrowed}~`, req);
    });
    expect(foreign.reason).toBe('disclosure_not_referenced');
  });

  it('refuses an untrusted key, a key that does not match, and alg none', async () => {
    const unknownKid = await issueSdJwt(input({ issuerKey: { key: otherKeys.privateKey, kid: 'not-in-the-list' } }));
    const untrusted = await verify((req) => present(unknownKid, ['jurisdiction'], req));
    expect(untrusted).toMatchObject({ ok: false, reason: 'untrusted_issuer', issuer: { url: ISSUER, trusted: false, jurisdiction: null } });
    const impostor = await issueSdJwt(input({ issuerKey: { key: otherKeys.privateKey, kid: KID } }));
    expect((await verify((req) => present(impostor, ['jurisdiction'], req))).reason).toBe('bad_signature');
    const notListed = await issueSdJwt(input({ iss: 'https://autre.example/issuers/x' }));
    expect((await verify((req) => present(notListed, ['jurisdiction'], req))).reason).toBe('untrusted_issuer');

    const none = await verify(async (req) => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt', kid: KID }));
      const payload = base64url.encode(JSON.stringify({ iss: ISSUER, vct: 'x', iat: now(), cnf: { jwk: holderJwk }, public_agent: true }));
      return rebind(`${header}.${payload}.~`, req);
    });
    expect(none.reason).toBe('alg_not_allowed');
  });

  it('refuses an expired credential and one not yet valid', async () => {
    const expired = await issueSdJwt(input({ iat: now() - 10_000, nbf: now() - 10_000, exp: now() - 3600 }));
    const e = await verify((req) => present(expired, ['jurisdiction'], req), { 'accept-language': 'en' });
    expect(e.reason).toBe('expired');
    expect(e.explanation).toBe('This credential has expired: its validity period is over.');
    const early = await issueSdJwt(input({ nbf: now() + 3600 }));
    expect((await verify((req) => present(early, ['jurisdiction'], req))).reason).toBe('not_yet_valid');
  });

  it('refuses a credential whose state is not its issuer’s (a Québec issuer vouching for a French agent)', async () => {
    const french = await issueSdJwt(input({ claims: { ...agentClaims, jurisdiction: 'FR', organisation: { name: 'Ministère français', identifier: '11000000100013' } } }));
    const verdict = await verify((req) => present(french, ['jurisdiction', 'organisation'], req));
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toBe('jurisdiction_mismatch');
    expect(verdict.disclosed).toEqual({});
  });

  it('refuses a revoked credential (status list served over HTTP)', async () => {
    const revoked = await issueSdJwt(input({ status: { status_list: { idx: 3, uri: `${statusBase}/status/main` } } }));
    const answer = await verify((req) => present(revoked, ['jurisdiction'], req));
    expect(answer.reason).toBe('revoked');
    expect(answer.explanation).toBe('Cette attestation a été révoquée par son émetteur.');
    // A list signed by another key than the issuer's: the status cannot be trusted.
    await setList('/status/forged', [], { key: otherKeys.privateKey });
    const forged = await issueSdJwt(input({ status: { status_list: { idx: 1, uri: `${statusBase}/status/forged` } } }));
    expect((await verify((req) => present(forged, ['jurisdiction'], req))).reason).toBe('status_unavailable');
  });

  it('refuses a key-binding JWT made for another nonce or audience, and a presentation without one', async () => {
    const credential = await issueSdJwt(input());
    const nonce = await verify((req) => present(credential, ['jurisdiction'], { ...req, nonce: 'another-request' }));
    expect(nonce.reason).toBe('kb_wrong_nonce');
    expect(nonce.explanation).toBe('Cette présentation a été faite pour une autre demande : elle a pu être copiée.');
    expect((await verify((req) => present(credential, ['jurisdiction'], { ...req, aud: 'https://autre-verificateur.example' }))).reason).toBe('kb_wrong_audience');
    expect((await verify(() => presentSdJwt(credential, { disclose: ['jurisdiction'] }))).reason).toBe('key_binding_required');
    // Someone else's key cannot bind the holder's credential.
    expect((await verify((req) => present(credential, ['jurisdiction'], req, otherKeys.privateKey))).reason).toBe('kb_bad_signature');
  });

  it('honours the status list’s TTL: a revocation shows after it, not before', async () => {
    await setList('/status/ttl', [], { ttl: 2 });
    const credential = await issueSdJwt(input({ status: { status_list: { idx: 5, uri: `${statusBase}/status/ttl` } } }));
    expect((await verify((req) => present(credential, ['jurisdiction'], req))).ok).toBe(true);
    expect(fetches.get('/status/ttl')).toBe(1);
    await setList('/status/ttl', [5], { ttl: 2 });
    // Within the TTL: the cached list, not fetched again; the revocation does not show yet.
    expect((await verify((req) => present(credential, ['jurisdiction'], req))).ok).toBe(true);
    expect(fetches.get('/status/ttl')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect((await verify((req) => present(credential, ['jurisdiction'], req))).reason).toBe('revoked');
    expect(fetches.get('/status/ttl')).toBe(2);
  });

  it('trusts an issuer by its metadata URL, follows its key rotation, and stops trusting it once removed', async () => {
    const first = await generateKeyPair('ES256', { extractable: true });
    metadataJwks = { keys: [{ ...(await exportJWK(first.publicKey)), kid: 'fr-1', alg: 'ES256', use: 'sig' }] };
    const issuer = `${metadataBase}/issuers/fr`;
    const added = await call(operator, 'POST', '/api/admin/trust/issuers', { issuer, jurisdiction: 'FR', name: 'Entente France (autre instance)', metadataUrl: '' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ source: 'metadata', metadataUrl: `${metadataBase}/.well-known/jwt-vc-issuer/issuers/fr`, keys: [{ kid: 'fr-1' }] });
    expect(metadataFetches).toBe(1);
    const bad = await call(operator, 'POST', '/api/admin/trust/issuers', { issuer: `${metadataBase}/issuers/zz`, jurisdiction: 'FR', name: 'Absent', metadataUrl: '' });
    expect(bad.status).toBe(502);
    expect(bad.body.type).toBe('urn:entente:problem:trust-metadata-unavailable');

    const frInput = (key: CryptoKey, kid: string) => input({ iss: issuer, issuerKey: { key, kid }, claims: { ...agentClaims, jurisdiction: 'FR' }, status: undefined });
    const accepted = await verify(async (req) => present(await issueSdJwt(frInput(first.privateKey, 'fr-1')), ['jurisdiction'], req));
    expect(accepted).toMatchObject({ ok: true, issuer: { url: issuer, jurisdiction: 'FR', trusted: true }, disclosed: { jurisdiction: 'FR' }, status: 'no_status' });

    // The issuer rotates: a credential with the new kid makes the verifier fetch the keys again, once.
    const second = await generateKeyPair('ES256', { extractable: true });
    metadataJwks = { keys: [...metadataJwks.keys, { ...(await exportJWK(second.publicKey)), kid: 'fr-2' }] };
    const rotated = await verify(async (req) => present(await issueSdJwt(frInput(second.privateKey, 'fr-2')), ['jurisdiction'], req));
    expect(rotated.ok).toBe(true);
    expect(metadataFetches).toBe(2);

    const removed = await call(operator, 'DELETE', `/api/admin/trust/issuers?issuer=${encodeURIComponent(issuer)}`);
    expect(removed.status).toBe(200);
    const afterRemoval = await verify(async (req) => present(await issueSdJwt(frInput(first.privateKey, 'fr-1')), ['jurisdiction'], req));
    expect(afterRemoval.reason).toBe('untrusted_issuer');
    const audit = await t.entente.audit.list({ jurisdiction: null, action: 'credentials.trust.removed', limit: 100 });
    expect(audit.some((a) => a.resource_id === issuer)).toBe(true);
  });
});

describe('the trust command', () => {
  it('explains its usage errors with exit code 2, before opening any data', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
    try {
      const cases: [string[], RegExp][] = [
        [[], /Usage/],
        [['frobnicate'], /frobnicate/],
        [['list', '--issuer', 'https://a.example/i'], /list/],
        [['remove'], /--issuer/],
        [['add', '--issuer', 'http://emetteur.example/issuers/qc', '--jwks-file', 'k.json', '--jurisdiction', 'QC', '--name', 'Q'], /https/],
        [['add', '--issuer', 'https://emetteur.example/issuers/qc', '--jurisdiction', 'QC', '--name', 'Q'], /--metadata-url/],
        [['add', '--issuer', 'https://emetteur.example/issuers/qc', '--metadata-url', 'https://e/m', '--jwks-file', 'k.json', '--jurisdiction', 'QC', '--name', 'Q'], /--metadata-url/],
        [['add', '--issuer', 'https://emetteur.example/issuers/qc', '--jwks-file', 'k.json', '--jurisdiction', 'BE', '--name', 'Q'], /--jurisdiction/],
        [['add', '--issuer', 'https://emetteur.example/issuers/qc', '--jwks-file', 'k.json', '--jurisdiction', 'QC'], /--name/],
        [['add', '--issuer', 'https://emetteur.example/issuers/qc', '--jwks-file', '/nonexistent/k.json', '--jurisdiction', 'QC', '--name', 'Q'], /JWKS/],
        [['remove', '--issuer', 'https://a.example/i', '--bogus'], /bogus/],
      ];
      for (const [args, message] of cases) {
        errors.length = 0;
        expect(await trust(args), args.join(' ')).toBe(2);
        expect(errors.join('\n'), args.join(' ')).toMatch(message);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('credentials issued by Entente itself (POST /api/credentials)', () => {
  it('are verified with the local issuer’s keys and status list, and refused once revoked', async () => {
    const nonce = await call(operator, 'POST', '/api/credentials/nonce', {});
    expect(nonce.status).toBe(200);
    const proof = await new SignJWT({ aud: `${t.baseUrl}/issuers/fr`, nonce: nonce.body.c_nonce })
      .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: holderJwk })
      .setIssuedAt()
      .sign(holder.privateKey);
    const issued = await call(operator, 'POST', '/api/credentials', { type: 'public-agent', proof });
    expect(issued.status).toBe(201);
    const accepted = await verify((req) => present(issued.body.credential, ['jurisdiction'], req));
    expect(accepted).toMatchObject({ ok: true, issuer: { url: `${t.baseUrl}/issuers/fr`, jurisdiction: 'FR', trusted: true }, type: 'public-agent', disclosed: { public_agent: true, jurisdiction: 'FR' }, status: 'valid' });
    expect(accepted.disclosed.given_name).toBeUndefined();

    expect((await call(operator, 'POST', `/api/credentials/${issued.body.id}/revoke`, {})).status).toBe(200);
    // Our own lists are read in-process: the revocation shows at once.
    expect((await verify((req) => present(issued.body.credential, ['jurisdiction'], req))).reason).toBe('revoked');
  });
});
