/**
 * Credential issuance (issue 9) through HTTP: the two issuers and their published keys, the
 * holder's proof of possession and its attacks, the claims, the status lists and every way a
 * credential gets revoked, key rotation, and where the key material lives.
 */
import { createHash, } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS, DEMO_COLLEAGUES, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import { createIssuers, rotateIssuers, sweep } from '../src/identity/credentials/index.ts';
import { createStatusTokens } from '../src/identity/credentials/status-lists.ts';
import { getStatus, presentSdJwt, verifySdJwtPresentation, verifyStatusListToken } from '../src/identity/credentials/sd-jwt/index.ts';
import { provisionAgent } from '../src/identity/provision-agent.ts';
import { csrfTokenFor } from '../src/platform/http/csrf.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { owfVerifier } from './support/owf-verifier.ts';

const [camille, , emilie] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const FR_ORG = DEMO_ORGANISATIONS[0].id;
const QC_ORG = DEMO_ORGANISATIONS[2].id;
const VERIFIER = 'https://verifier.qc.example/verifier';
const REGISTERED = ['iss', 'iat', 'nbf', 'exp', 'vct', 'cnf', 'status'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

async function call(session: TestSession | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = session ? { ...session.headers } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, the assertions check them
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, any> };
}

interface Holder {
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}
async function newHolder(): Promise<Holder> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk, privateJwk: await exportJWK(pair.privateKey) };
}

const issuerOf = (jurisdiction: 'fr' | 'qc') => `${t.baseUrl}/issuers/${jurisdiction}`;

async function proofFor(
  holder: Holder,
  nonce: string,
  options: { aud?: string; iat?: number; alg?: string; typ?: string; jwk?: JWK; key?: CryptoKey | Uint8Array } = {},
): Promise<string> {
  return new SignJWT({ nonce, aud: options.aud ?? issuerOf('fr'), iat: options.iat ?? Math.floor(Date.now() / 1000) })
    .setProtectedHeader({ alg: options.alg ?? 'ES256', typ: options.typ ?? 'openid4vci-proof+jwt', jwk: options.jwk ?? holder.publicJwk })
    .sign(options.key ?? holder.privateKey);
}

async function nonceOf(session: TestSession): Promise<string> {
  const answer = await call(session, 'POST', '/api/credentials/nonce');
  expect(answer.status).toBe(200);
  expect(answer.body.expiresIn).toBe(300);
  return answer.body.c_nonce as string;
}

async function issue(session: TestSession, holder: Holder, jurisdiction: 'fr' | 'qc', body: Record<string, unknown> = { type: 'public-agent' }) {
  const nonce = await nonceOf(session);
  return call(session, 'POST', '/api/credentials', { ...body, proof: await proofFor(holder, nonce, { aud: issuerOf(jurisdiction) }) });
}

async function jwks(jurisdiction: 'fr' | 'qc'): Promise<JWK[]> {
  const answer = await call(null, 'GET', `/.well-known/jwt-vc-issuer/issuers/${jurisdiction}`);
  expect(answer.status).toBe(200);
  expect(answer.body.issuer).toBe(issuerOf(jurisdiction));
  return answer.body.jwks.keys as JWK[];
}

/** The trust list as a verifier elsewhere builds it: our two issuers' published JWKS. */
async function publishedKey(iss: string, kid: string | undefined): Promise<JWK | null> {
  for (const j of ['fr', 'qc'] as const) {
    if (iss !== issuerOf(j)) continue;
    return (await jwks(j)).find((k) => k.kid === kid) ?? null;
  }
  return null;
}

/** The served status list token, verified, and the bit at `idx`. */
async function servedStatus(uri: string, idx: number): Promise<number> {
  const response = await fetch(uri);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/statuslist+jwt');
  const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1]);
  expect(maxAge).toBeGreaterThan(0);
  expect(maxAge).toBeLessThanOrEqual(300);
  const token = await response.text();
  const verified = await verifyStatusListToken(token, { expectedUri: uri, resolveKey: (header, payload) => publishedKey(String(payload.iss), header.kid as string) });
  if (!verified.ok) throw new Error(`${verified.reason}: ${verified.detail}`);
  expect(verified.ttl).toBe(300);
  expect(verified.exp).toBeGreaterThan(verified.iat);
  expect(verified.list.size).toBe(131_072);
  return getStatus(verified.list, idx);
}

function statusOf(credential: string): { idx: number; uri: string } {
  const payload = JSON.parse(Buffer.from(credential.split('~')[0]!.split('.')[1]!, 'base64url').toString('utf8'));
  return payload.status.status_list;
}
const headerOf = (credential: string) => JSON.parse(Buffer.from(credential.split('.')[0]!, 'base64url').toString('utf8'));

async function verifyOurs(presentation: string, nonce: string) {
  return verifySdJwtPresentation(presentation, {
    resolveIssuerKey: (iss, kid) => publishedKey(iss, kid as string | undefined),
    requireKeyBinding: true,
    expectedNonce: nonce,
    expectedAud: VERIFIER,
    checkStatus: async (reference) => {
      const ref = reference.status_list;
      return (await servedStatus(ref.uri, ref.idx)) === 0 ? 'valid' : 'revoked';
    },
  });
}


describe('issuers', () => {
  it('publish one key per jurisdiction, each sealed in its own cell’s keyring and nowhere else', async () => {
    const [fr, qc] = [await jwks('fr'), await jwks('qc')];
    expect(fr).toHaveLength(1);
    expect(qc).toHaveLength(1);
    expect(fr[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(fr[0]).not.toHaveProperty('d');
    expect(fr[0]!.kid).not.toBe(qc[0]!.kid);
    const frCell = t.entente.stores.cells.FR.db;
    const qcCell = t.entente.stores.cells.QC.db;
    const frKeys = await frCell.selectFrom('credential_issuer_keys').select(['kid', 'private_sealed']).execute();
    const qcKeys = await qcCell.selectFrom('credential_issuer_keys').select(['kid']).execute();
    expect(frKeys.map((k) => k.kid)).toEqual([fr[0]!.kid]);
    expect(qcKeys.map((k) => k.kid)).not.toContain(fr[0]!.kid);
    // Sealed: nothing of the JWK in clear.
    expect(frKeys[0]!.private_sealed.toString('latin1')).not.toContain('"d"');
    // biome-ignore lint/suspicious/noExplicitAny: the keyring's own table, not typed here
    const owners = async (db: any) => (await db.selectFrom('keyring').select(['owner_type', 'owner_id']).where('owner_type', '=', 'credential_issuer').execute()) as { owner_id: string }[];
    expect((await owners(frCell)).map((o) => o.owner_id)).toEqual(['fr']);
    expect((await owners(qcCell)).map((o) => o.owner_id)).toEqual(['qc']);
  });

  it('serves the type metadata of both credential types', async () => {
    for (const type of ['public-agent', 'digital-skills']) {
      const answer = await call(null, 'GET', `/credentials/types/${type}`);
      expect(answer.status).toBe(200);
      expect(answer.body.vct).toBe(`${t.baseUrl}/credentials/types/${type}`);
      expect(answer.body.display.map((d: { lang: string }) => d.lang)).toEqual(['fr-FR', 'en']);
      expect(answer.body.claims.length).toBeGreaterThan(5);
    }
    const agent = await call(null, 'GET', '/credentials/types/public-agent');
    expect(agent.body.claims.find((c: { path: string[] }) => c.path.join('.') === 'public_agent').sd).toBe('never');
    expect(agent.body.claims.find((c: { path: string[] }) => c.path.join('.') === 'jurisdiction').sd).toBe('always');
    expect((await call(null, 'GET', '/credentials/types/other')).status).toBe(400);
    expect((await call(null, 'GET', '/credentials/status/019ac9f0-0000-7000-8000-00000000dead')).status).toBe(404);
  });
});

describe('issuance', () => {
  it('gives Camille (FR) a public-agent credential that both verifiers accept, disclosing only what she picks', async () => {
    const session = await t.signIn(camille);
    const holder = await newHolder();
    const issued = await issue(session, holder, 'fr');
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ type: 'public-agent', jurisdiction: 'FR', status: 'valid', revokedAt: null, revokedBy: null });
    expect(issued.body.claims).toMatchObject({ public_agent: true, jurisdiction: 'FR', given_name: 'Camille', family_name: 'Martin', organisation: { id: FR_ORG, name: DEMO_ORGANISATIONS[0].name }, role: ['member', 'admin'] });
    expect(issued.body.claims.organisation.identifier).toMatch(/^\d{14}$/);
    expect(issued.body.disclosable).toEqual(expect.arrayContaining(['jurisdiction', 'given_name', 'organisation.name', 'role']));
    expect(issued.body.disclosable).not.toContain('public_agent');
    const days = (Date.parse(issued.body.expiresAt) - Date.parse(issued.body.issuedAt)) / 86_400_000;
    expect(days).toBe(90);
    const credential = issued.body.credential as string;
    expect(headerOf(credential)).toMatchObject({ alg: 'ES256', typ: 'dc+sd-jwt', kid: (await jwks('fr'))[0]!.kid });

    // Only « agent public français »: the jurisdiction; public_agent is always there.
    const presentation = await presentSdJwt(credential, { disclose: ['jurisdiction'], holderKey: { key: holder.privateKey, alg: 'ES256' }, nonce: 'n-1', aud: VERIFIER });
    const ours = await verifyOurs(presentation, 'n-1');
    if (!ours.ok) throw new Error(`${ours.reason}: ${ours.detail}`);
    expect(ours.issuer).toBe(issuerOf('fr'));
    expect(ours.vct).toBe(`${t.baseUrl}/credentials/types/public-agent`);
    expect(ours.status).toBe('valid');
    expect(ours.disclosed).toEqual(['jurisdiction']);
    const shown = Object.fromEntries(Object.entries(ours.claims).filter(([k]) => !REGISTERED.includes(k)));
    expect(shown).toEqual({ public_agent: true, jurisdiction: 'FR' });
    expect((ours.payload as { cnf: { jwk: JWK } }).cnf.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: holder.publicJwk.x, y: holder.publicJwk.y });

    const theirs = await owfVerifier(await jwks('fr')).verify(presentation, { keyBindingNonce: 'n-1' } as never);
    expect(theirs.payload).toMatchObject({ iss: issuerOf('fr'), public_agent: true, jurisdiction: 'FR' });
    for (const hidden of ['given_name', 'family_name', 'organisation', 'role']) expect(theirs.payload).not.toHaveProperty(hidden);

    // The server keeps the metadata, in Camille's cell, never the credential.
    const listed = await call(session, 'GET', '/api/credentials');
    expect(listed.body.credentials[0]).toMatchObject({ id: issued.body.id, status: 'valid', type: 'public-agent' });
    expect(listed.body.credentials[0]).not.toHaveProperty('credential');
    const row = await t.entente.stores.cells.FR.db.selectFrom('issued_credentials').selectAll().where('id', '=', issued.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ principal_id: camille.id, organisation_id: FR_ORG, status_index: statusOf(credential).idx, revoked_at: null });
    expect(JSON.stringify(row)).not.toContain(credential.split('.')[2]!);
    expect(await t.entente.stores.cells.QC.db.selectFrom('issued_credentials').select('id').where('id', '=', issued.body.id).execute()).toEqual([]);
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.issued', resourceId: issued.body.id, limit: 1 });
    expect(audit[0]).toMatchObject({ actor_id: camille.id, organisation_id: FR_ORG, details: { type: 'public-agent' } });
  });

  it('gives Émilie (QC) a credential from the Québec issuer, verified with the Québec keys', async () => {
    const session = await t.signIn(emilie);
    const holder = await newHolder();
    // Aimed at the French issuer: refused, she is a Québec agent.
    const nonce = await nonceOf(session);
    const wrong = await call(session, 'POST', '/api/credentials', { type: 'public-agent', proof: await proofFor(holder, nonce, { aud: issuerOf('fr') }) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe('urn:entente:problem:credential-proof-audience');
    const issued = await issue(session, holder, 'qc');
    expect(issued.status).toBe(201);
    expect(issued.body.claims).toMatchObject({ jurisdiction: 'QC', given_name: 'Émilie', organisation: { id: QC_ORG } });
    expect(issued.body.claims.organisation.identifier).toMatch(/^\d{10}$/);
    expect(headerOf(issued.body.credential).kid).toBe((await jwks('qc'))[0]!.kid);
    const presentation = await presentSdJwt(issued.body.credential, { disclose: ['organisation.name', 'given_name'], holderKey: { key: holder.privateKey, alg: 'ES256' }, nonce: 'n-2', aud: VERIFIER });
    const ours = await verifyOurs(presentation, 'n-2');
    if (!ours.ok) throw new Error(`${ours.reason}: ${ours.detail}`);
    expect(ours.issuer).toBe(issuerOf('qc'));
    expect(ours.claims).toMatchObject({ given_name: 'Émilie', organisation: { name: DEMO_ORGANISATIONS[2].name } });
    expect(ours.claims.organisation).not.toHaveProperty('identifier');
    const theirs = await owfVerifier(await jwks('qc')).verify(presentation, { keyBindingNonce: 'n-2' } as never);
    expect(theirs.payload).toMatchObject({ iss: issuerOf('qc'), given_name: 'Émilie' });
    // Her status list is the Québec issuer's, kept in the Québec cell.
    const { uri } = statusOf(issued.body.credential);
    const listId = uri.split('/').pop() as string;
    expect(await t.entente.stores.cells.QC.db.selectFrom('credential_status_lists').select('id').where('id', '=', listId).execute()).toHaveLength(1);
    expect(await t.entente.stores.cells.FR.db.selectFrom('credential_status_lists').select('id').where('id', '=', listId).execute()).toHaveLength(0);
    // « Télécharger mes données » lists it (metadata only: the attestation itself is hers, in her browser).
    const exported = await call(session, 'GET', '/api/me/export');
    expect(exported.status).toBe(200);
    expect(exported.body.identity.credentials).toEqual(expect.arrayContaining([expect.objectContaining({ id: issued.body.id, type: 'public-agent', jurisdiction: 'QC', revokedAt: null })]));
    expect(JSON.stringify(exported.body)).not.toContain(issued.body.credential.split('~')[0]);
  });

  it('asserts the level of assurance of the sign-in the request comes from', async () => {
    const created = await t.entente.sessions.create({
      principalId: camille.id,
      homeJurisdiction: 'FR',
      ip: '127.0.0.1',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
      authMethod: 'demo-fr',
      federation: { upstream: 'demo-fr', assuranceLevel: 'substantial', acr: 'eidas2', idToken: null },
    });
    const cookie = `entente_session=${created.token}`;
    const session: TestSession = {
      sessionId: created.id,
      cookie,
      csrfToken: csrfTokenFor(t.entente.secret, created.id),
      headers: { cookie, 'x-csrf-token': csrfTokenFor(t.entente.secret, created.id), origin: t.baseUrl },
    };
    const holder = await newHolder();
    const issued = await issue(session, holder, 'fr');
    expect(issued.status).toBe(201);
    expect(issued.body.claims.assurance_level).toBe('substantial');
    expect(issued.body.disclosable).toContain('assurance_level');
    const presentation = await presentSdJwt(issued.body.credential, { disclose: ['assurance_level'], holderKey: { key: holder.privateKey, alg: 'ES256' }, nonce: 'n-l', aud: VERIFIER });
    const ours = await verifyOurs(presentation, 'n-l');
    if (!ours.ok) throw new Error(`${ours.reason}: ${ours.detail}`);
    expect(ours.claims).toMatchObject({ public_agent: true, assurance_level: 'substantial' });
    expect(ours.claims).not.toHaveProperty('jurisdiction');
  });

  it('issues a digital-skills credential from a completed assessment', async () => {
    const lea = DEMO_COLLEAGUES[0]!;
    const assessment = await t.entente.stores.cells.FR.db
      .selectFrom('skills_assessments')
      .select(['id'])
      .where('principal_id', '=', lea.id)
      .where('status', '=', 'completed')
      .executeTakeFirstOrThrow();
    const session = await t.signIn({ ...camille, id: lea.id });
    const holder = await newHolder();
    const issued = await issue(session, holder, 'fr', { type: 'digital-skills', assessmentId: assessment.id });
    expect(issued.status).toBe(201);
    expect(issued.body.claims).toMatchObject({ framework: 'digcomp-2.2', given_name: lea.givenName, family_name: lea.familyName });
    expect(issued.body.claims.overall_level).toBeGreaterThanOrEqual(1);
    expect(Object.keys(issued.body.claims.areas).length).toBeGreaterThan(0);
    const presentation = await presentSdJwt(issued.body.credential, { disclose: ['overall_level', 'areas.1'], holderKey: { key: holder.privateKey, alg: 'ES256' }, nonce: 'n-3', aud: VERIFIER });
    const ours = await verifyOurs(presentation, 'n-3');
    if (!ours.ok) throw new Error(`${ours.reason}: ${ours.detail}`);
    expect(ours.vct).toBe(`${t.baseUrl}/credentials/types/digital-skills`);
    expect(ours.claims).toMatchObject({ framework: 'digcomp-2.2', overall_level: issued.body.claims.overall_level });
    expect(ours.claims).not.toHaveProperty('given_name');
    // Someone else's assessment is not found.
    const other = await issue(await t.signIn(camille), holder, 'fr', { type: 'digital-skills', assessmentId: assessment.id });
    expect(other.status).toBe(404);
  });
});

describe('what the issuer vouches for', () => {
  it('refuses an attestation for an organisation its operators have not confirmed', async () => {
    const session = await t.signIn(emilie);
    const holder = await newHolder();
    await t.entente.stores.control.db.updateTable('organisations').set({ confirmed: false }).where('id', '=', QC_ORG).execute();
    try {
      const refused = await issue(session, holder, 'qc');
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('urn:entente:problem:credential-organisation-unconfirmed');
    } finally {
      await t.entente.stores.control.db.updateTable('organisations').set({ confirmed: true }).where('id', '=', QC_ORG).execute();
    }
    expect((await issue(session, holder, 'qc')).status).toBe(201);
  });
});

describe('proof of possession attacks', () => {
  const problemOf = (answer: { status: number; body: Record<string, unknown> }) => `${answer.status} ${String(answer.body.type).replace('urn:entente:problem:', '')}`;

  it('refuses each bad proof with its reason, and issues nothing', async () => {
    const session = await t.signIn(camille);
    const holder = await newHolder();
    const before = (await call(session, 'GET', '/api/credentials')).body.credentials.length;
    const attempt = async (proof: (nonce: string) => Promise<string | undefined>) => {
      const nonce = await nonceOf(session);
      const p = await proof(nonce);
      return problemOf(await call(session, 'POST', '/api/credentials', { type: 'public-agent', ...(p === undefined ? {} : { proof: p }) }));
    };
    expect(await attempt(async () => undefined)).toBe('400 credential-proof-missing');
    expect(await attempt(async () => 'not.a-jwt')).toBe('400 credential-proof-malformed');
    const es384 = await generateKeyPair('ES384', { extractable: true });
    expect(await attempt(async (n) => proofFor(holder, n, { alg: 'ES384', jwk: await exportJWK(es384.publicKey), key: es384.privateKey }))).toBe('400 credential-proof-alg');
    expect(await attempt(async (n) => proofFor(holder, n, { alg: 'HS256', key: new Uint8Array(32) }))).toBe('400 credential-proof-alg');
    const unsigned = (n: string) =>
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk })).toString('base64url')}.${Buffer.from(JSON.stringify({ aud: issuerOf('fr'), nonce: n, iat: Math.floor(Date.now() / 1000) })).toString('base64url')}.`;
    expect(await attempt(async (n) => unsigned(n))).toBe('400 credential-proof-alg');
    expect(await attempt(async (n) => proofFor(holder, n, { typ: 'JWT' }))).toBe('400 credential-proof-typ');
    expect(await attempt(async (n) => proofFor(holder, n, { jwk: holder.privateJwk }))).toBe('400 credential-proof-private-key');
    expect(await attempt(async (n) => proofFor(holder, n, { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } }))).toBe('400 credential-proof-key');
    const other = await newHolder();
    expect(await attempt(async (n) => proofFor(holder, n, { jwk: other.publicJwk }))).toBe('400 credential-proof-signature');
    expect(await attempt(async (n) => proofFor(holder, n, { aud: issuerOf('qc') }))).toBe('400 credential-proof-audience');
    expect(await attempt(async (n) => proofFor(holder, n, { aud: `${t.baseUrl}` }))).toBe('400 credential-proof-audience');
    expect(await attempt(async (n) => proofFor(holder, n, { iat: Math.floor(Date.now() / 1000) - 3600 }))).toBe('400 credential-proof-stale');
    expect(await attempt(async () => proofFor(holder, 'a-nonce-we-never-gave'))).toBe('400 credential-proof-nonce-invalid');
    expect((await call(session, 'GET', '/api/credentials')).body.credentials.length).toBe(before);
  });

  it('refuses another agent’s nonce, a reused nonce and an expired one', async () => {
    const camilleSession = await t.signIn(camille);
    const emilieSession = await t.signIn(emilie);
    const holder = await newHolder();
    const hers = await nonceOf(emilieSession);
    const stolen = await call(camilleSession, 'POST', '/api/credentials', { type: 'public-agent', proof: await proofFor(holder, hers) });
    expect(problemOf(stolen)).toBe('400 credential-proof-nonce-invalid');
    // Another session of the same agent: not its nonce either.
    const otherSession = await t.signIn(camille);
    const mine = await nonceOf(otherSession);
    expect(problemOf(await call(camilleSession, 'POST', '/api/credentials', { type: 'public-agent', proof: await proofFor(holder, mine) }))).toBe('400 credential-proof-nonce-invalid');

    const nonce = await nonceOf(camilleSession);
    const proof = await proofFor(holder, nonce);
    expect((await call(camilleSession, 'POST', '/api/credentials', { type: 'public-agent', proof })).status).toBe(201);
    expect(problemOf(await call(camilleSession, 'POST', '/api/credentials', { type: 'public-agent', proof }))).toBe('400 credential-proof-nonce-used');

    const late = await nonceOf(camilleSession);
    const hash = createHash('sha256').update(late).digest('base64url');
    await t.entente.stores.control.db.updateTable('credential_nonces').set({ expires_at: new Date(Date.now() - 1000) }).where('nonce_hash', '=', hash).execute();
    expect(problemOf(await call(camilleSession, 'POST', '/api/credentials', { type: 'public-agent', proof: await proofFor(holder, late) }))).toBe('400 credential-proof-nonce-expired');
  });

  it('needs a browser session with its CSRF token', async () => {
    expect((await call(null, 'POST', '/api/credentials/nonce')).status).toBe(401);
    const session = await t.signIn(camille);
    const noCsrf = await fetch(`${t.baseUrl}/api/credentials/nonce`, { method: 'POST', headers: { cookie: session.cookie, origin: t.baseUrl } });
    expect(noCsrf.status).toBe(403);
  });
});

describe('revocation', () => {
  let n = 0;
  async function frAgent(roles: ('member' | 'admin')[] = ['member']) {
    n += 1;
    const { principalId } = await provisionAgent(t.entente.stores, t.entente.outbox, {
      jurisdiction: 'FR',
      givenName: 'Agent',
      familyName: `Révocation ${n}`,
      email: `agent.revocation${n}@${DEMO_ORGANISATIONS[0].email_domains[0]}`,
      preferredLanguage: 'fr-FR',
      organisationId: FR_ORG,
      roles,
    });
    return { principalId, session: await t.signIn({ ...camille, id: principalId }) };
  }
  async function issued(session: TestSession) {
    const answer = await issue(session, await newHolder(), 'fr');
    expect(answer.status).toBe(201);
    return { id: answer.body.id as string, ...statusOf(answer.body.credential) };
  }

  it('by the holder flips the bit in the served list', async () => {
    const { session } = await frAgent();
    const credential = await issued(session);
    const sibling = await issued(session);
    // Indices drawn at random in the list: distinct, and not handed out in sequence.
    const more = [await issued(session), await issued(session)];
    const indices = [credential, sibling, ...more].map((c) => c.idx);
    expect(new Set(indices).size).toBe(4);
    expect(Math.max(...indices) - Math.min(...indices)).toBeGreaterThan(3);
    expect(await servedStatus(credential.uri, credential.idx)).toBe(0);
    const revoked = await call(session, 'POST', `/api/credentials/${credential.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: credential.id, status: 'revoked', revokedBy: 'holder' });
    expect(await servedStatus(credential.uri, credential.idx)).toBe(1);
    expect(await servedStatus(sibling.uri, sibling.idx)).toBe(0);
    // Again: idempotent; another agent's credential: not found.
    expect((await call(session, 'POST', `/api/credentials/${credential.id}/revoke`)).body.status).toBe('revoked');
    expect((await call(await t.signIn(emilie), 'POST', `/api/credentials/${sibling.id}/revoke`)).status).toBe(404);
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.revoked', resourceId: credential.id, limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ details: { by: 'holder' } });
  });

  it('by an administrator of the organisation named in it, not by another organisation’s', async () => {
    const { principalId, session } = await frAgent();
    const credential = await issued(session);
    const qcAdmin = await t.signIn(emilie);
    expect((await call(qcAdmin, 'POST', `/api/organisations/${FR_ORG}/members/${principalId}/credentials/revoke`)).status).toBe(403);
    // Her own organisation's path: nothing of hers names it.
    expect((await call(qcAdmin, 'POST', `/api/organisations/${QC_ORG}/members/${principalId}/credentials/revoke`)).body).toEqual({ revoked: 0 });
    expect(await servedStatus(credential.uri, credential.idx)).toBe(0);
    const colleague = await frAgent();
    expect((await call(colleague.session, 'POST', `/api/organisations/${FR_ORG}/members/${principalId}/credentials/revoke`)).status).toBe(403);

    const admin = await t.signIn(camille);
    const answer = await call(admin, 'POST', `/api/organisations/${FR_ORG}/members/${principalId}/credentials/revoke`);
    expect(answer.body).toEqual({ revoked: 1 });
    expect(await servedStatus(credential.uri, credential.idx)).toBe(1);
    const listed = await call(session, 'GET', '/api/credentials');
    expect(listed.body.credentials.find((c: { id: string }) => c.id === credential.id)).toMatchObject({ status: 'revoked', revokedBy: 'organisation' });
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.revoked', resourceId: credential.id, limit: 5 });
    expect(audit[0]).toMatchObject({ actor_id: camille.id, organisation_id: FR_ORG, details: { by: 'organisation' } });
  });

  it('automatically when the agent leaves the organisation', async () => {
    const { principalId, session } = await frAgent();
    const credential = await issued(session);
    const admin = await t.signIn(camille);
    expect((await call(admin, 'DELETE', `/api/organisations/${FR_ORG}/members/${principalId}`)).status).toBe(204);
    // The follow-up job publishes the event a couple of seconds later.
    let bit = 0;
    for (let waited = 0; bit === 0 && waited < 15_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      bit = await servedStatus(credential.uri, credential.idx);
    }
    expect(bit).toBe(1);
    const row = await t.entente.stores.cells.FR.db.selectFrom('issued_credentials').select(['revoked_by']).where('id', '=', credential.id).executeTakeFirstOrThrow();
    expect(row.revoked_by).toBe('left_organisation');
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.revoked', resourceId: credential.id, limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ details: { by: 'left_organisation', reason: 'left_organisation' } });
  }, 30_000);
});

describe('revocation without the event', () => {
  it('on disabling, and by the sweep when an event was missed', async () => {
    let k = 0;
    const agent = async () => {
      k += 1;
      const { principalId } = await provisionAgent(t.entente.stores, t.entente.outbox, {
        jurisdiction: 'FR',
        givenName: 'Agent',
        familyName: `Balayage ${k}`,
        email: `agent.balayage${k}@${DEMO_ORGANISATIONS[0].email_domains[0]}`,
        preferredLanguage: 'fr-FR',
        organisationId: FR_ORG,
        roles: ['member'],
      });
      const session = await t.signIn({ ...camille, id: principalId });
      const answer = await issue(session, await newHolder(), 'fr');
      expect(answer.status).toBe(201);
      return { principalId, id: answer.body.id as string, ...statusOf(answer.body.credential) };
    };
    // Disabled by an operator: the follow-up job's event revokes.
    const disabled = await agent();
    expect((await call(await t.signIn(camille), 'POST', `/api/admin/agents/${disabled.principalId}/disable`)).status).toBe(204);
    let bit = 0;
    for (let waited = 0; bit === 0 && waited < 15_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      bit = await servedStatus(disabled.uri, disabled.idx);
    }
    expect(bit).toBe(1);

    // Membership gone with no event at all (as if every node had missed it): the sweep job repairs.
    const missed = await agent();
    await t.entente.stores.control.db.deleteFrom('memberships').where('principal_id', '=', missed.principalId).where('organisation_id', '=', FR_ORG).execute();
    expect(await servedStatus(missed.uri, missed.idx)).toBe(0);
    // What the sweep job runs, with the server's stores and event bus (which tells its status cache).
    const issuers = createIssuers(t.entente.cells, new URL(t.baseUrl));
    const publicUrl = new URL(t.baseUrl);
    const deps = {
      stores: t.entente.stores,
      audit: t.entente.audit,
      events: t.entente.events,
      issuers,
      statusTokens: createStatusTokens(t.entente.cells, issuers, publicUrl),
      publicUrl,
      skillsClaims: async () => {
        throw new Error('not used');
      },
    };
    expect(await sweep(deps)).toBeGreaterThanOrEqual(1);
    expect(await sweep(deps)).toBe(0);
    bit = 0;
    for (let waited = 0; bit === 0 && waited < 5_000; waited += 100) {
      bit = await servedStatus(missed.uri, missed.idx);
      if (bit === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(bit).toBe(1);
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.revoked', resourceId: missed.id, limit: 5 });
    expect(audit).toHaveLength(1);
  }, 30_000);
});

describe('key rotation', () => {
  it('signs new credentials with the new key and keeps the old ones verifiable', async () => {
    const session = await t.signIn(camille);
    const oldHolder = await newHolder();
    const before = await issue(session, oldHolder, 'fr');
    const oldKid = headerOf(before.body.credential).kid;
    const qcBefore = await jwks('qc');

    const [rotated] = await rotateIssuers({ cells: t.entente.cells, audit: t.entente.audit, events: t.entente.events }, ['FR']);
    expect(rotated!.generation).toBe(2);
    const keys = await jwks('fr');
    expect(keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated!.kid].sort());
    expect(await jwks('qc')).toEqual(qcBefore);

    const newHolderKey = await newHolder();
    const after = await issue(session, newHolderKey, 'fr');
    expect(headerOf(after.body.credential).kid).toBe(rotated!.kid);
    for (const [credential, holder] of [
      [before.body.credential, oldHolder],
      [after.body.credential, newHolderKey],
    ] as const) {
      const presentation = await presentSdJwt(credential, { disclose: ['jurisdiction'], holderKey: { key: holder.privateKey, alg: 'ES256' }, nonce: 'n-r', aud: VERIFIER });
      const ours = await verifyOurs(presentation, 'n-r');
      expect(ours.ok).toBe(true);
      await expect(owfVerifier(keys).verify(presentation, { keyBindingNonce: 'n-r' } as never)).resolves.toBeTruthy();
    }
    // The status list (cached before the rotation) is signed with the new key now, and still verifies.
    const { uri, idx } = statusOf(before.body.credential);
    expect(headerOf(await (await fetch(uri)).text()).kid).toBe(rotated!.kid);
    expect(await servedStatus(uri, idx)).toBe(0);
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', action: 'credentials.issuer_keys.rotated', limit: 1 });
    expect(audit[0]).toMatchObject({ details: { generation: 2, kid: rotated!.kid } });
  });
});
