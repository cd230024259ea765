/**
 * Interoperability with the OpenWallet Foundation's implementation (`@sd-jwt/sd-jwt-vc` 0.19.0,
 * `@sd-jwt/jwt-status-list`), test-only. Their crypto callbacks are written here on node:crypto,
 * so the other side shares neither our code nor our jose calls.
 */
import { createHash, createPublicKey, KeyObject, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { createHeaderAndPayload, getListFromStatusListJWT, StatusList as OwfStatusList } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { presentSdJwt } from './present.ts';
import { createStatusList, decodeStatusList, encodeStatusList, getStatus, setStatus } from './status-list.ts';
import { signStatusListToken, verifyStatusListToken } from './status-list-token.ts';
import { agentClaims, ISSUER_FR, issueAgentCredential, makeKeys, NOW, type TestKeys, trustList, VCT_AGENT, VERIFIER_QC } from './test-fixtures.ts';
import { verifySdJwtPresentation } from './verify.ts';

const STATUS_URI = 'https://entente.example/credentials/status/fr-1';

const hasher = (data: string | ArrayBuffer, alg: string) => {
  if (alg !== 'sha-256') throw new Error(`unexpected ${alg}`);
  return new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest());
};
const signerFor = (key: CryptoKey) => (data: string) => nodeSign('sha256', Buffer.from(data), { key: KeyObject.from(key), dsaEncoding: 'ieee-p1363' }).toString('base64url');
const verifierFor = (key: CryptoKey) => (data: string, sig: string) =>
  nodeVerify('sha256', Buffer.from(data), { key: KeyObject.from(key), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
const kbVerifier = (data: string, sig: string, payload: { cnf?: { jwk: object } }) => {
  if (!payload.cnf) return false;
  const key = createPublicKey({ key: payload.cnf.jwk as Record<string, string>, format: 'jwk' });
  return nodeVerify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
};

let keys: TestKeys;
let owf: SDJwtVcInstance;
beforeAll(async () => {
  keys = await makeKeys();
  owf = new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    saltGenerator: (length) => randomBytes(length).toString('base64url'),
    signer: signerFor(keys.issuer.privateKey),
    signAlg: 'ES256',
    verifier: verifierFor(keys.issuer.publicKey),
    kbSigner: signerFor(keys.holder.privateKey),
    kbSignAlg: 'ES256',
    kbVerifier,
  });
});

async function ourStatusToken(revokedIdx?: number) {
  const list = createStatusList(128);
  if (revokedIdx !== undefined) setStatus(list, revokedIdx, 1);
  return signStatusListToken({ list, uri: STATUS_URI, iat: NOW - 10, ttl: 300, key: { key: keys.issuer.privateKey, kid: 'fr-2026-1' }, alg: 'ES256' });
}

describe('our credentials in their verifier', () => {
  it('verifies our presentation with key binding, status and only the chosen claims', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), {
      disclose: ['role', 'organisation.name', 'nationalities.1'],
      holderKey: { key: keys.holder.privateKey, alg: 'ES256' },
      nonce: 'n-123',
      aud: VERIFIER_QC,
      iat: NOW,
    });
    owf.config({ statusListFetcher: async () => ourStatusToken() } as never);
    const result = await owf.verify(presentation, { keyBindingNonce: 'n-123', currentDate: NOW });
    expect(result.payload).toMatchObject({ iss: ISSUER_FR, vct: VCT_AGENT, jurisdiction: 'FR', role: 'agent public', organisation: { name: agentClaims.organisation.name }, nationalities: ['CA'] });
    for (const hidden of ['given_name', 'family_name', 'loa']) expect(result.payload).not.toHaveProperty(hidden);
    expect(result.payload.organisation).not.toHaveProperty('id');
    expect(result.kb?.payload).toMatchObject({ aud: VERIFIER_QC, nonce: 'n-123', iat: NOW });
    expect(result.header).toMatchObject({ typ: 'dc+sd-jwt', kid: 'fr-2026-1', alg: 'ES256' });
  });

  it('their verifier sees our revocation, and refuses a replayed nonce', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), { disclose: ['role'], holderKey: { key: keys.holder.privateKey, alg: 'ES256' }, nonce: 'n-123', aud: VERIFIER_QC, iat: NOW });
    owf.config({ statusListFetcher: async () => ourStatusToken(7) } as never);
    await expect(owf.verify(presentation, { keyBindingNonce: 'n-123', currentDate: NOW })).rejects.toThrow(/Status is not valid/);
    owf.config({ statusListFetcher: async () => ourStatusToken() } as never);
    await expect(owf.verify(presentation, { keyBindingNonce: 'n-456', currentDate: NOW })).rejects.toThrow(/Nonce/);
  });

  it('their holder presents our credential and our verifier accepts it', async () => {
    const presentation = await owf.present(await issueAgentCredential(keys), { given_name: true, organisation: { id: true } } as never, {
      kb: { payload: { iat: NOW, aud: VERIFIER_QC, nonce: 'n-123' } },
    });
    const result = await verifySdJwtPresentation(presentation, { resolveIssuerKey: trustList(keys), requireKeyBinding: true, expectedNonce: 'n-123', expectedAud: VERIFIER_QC, now: NOW });
    if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
    expect(result.claims).toMatchObject({ given_name: 'Camille', organisation: { name: agentClaims.organisation.name, id: agentClaims.organisation.id } });
    expect(result.claims).not.toHaveProperty('role');
  });
});

describe('their credentials in our verifier', () => {
  const issueTheirs = () =>
    owf.issue(
      { iss: ISSUER_FR, iat: NOW - 60, exp: NOW + 3600, vct: VCT_AGENT, cnf: { jwk: keys.holderJwk }, status: { status_list: { idx: 3, uri: STATUS_URI } }, ...agentClaims },
      { _sd: ['given_name', 'family_name', 'organisation', 'role', 'loa', 'nationalities'], organisation: { _sd: ['id'] }, nationalities: { _sd: [0, 1] } } as never,
      { header: { kid: 'fr-2026-1' } },
    );

  it('verifies their presentation with key binding and their status list', async () => {
    const presentation = await owf.present(await issueTheirs(), { role: true, nationalities: { 0: true }, organisation: { id: true } } as never, {
      kb: { payload: { iat: NOW - 5, aud: VERIFIER_QC, nonce: 'n-123' } },
    });
    // Their status list, their compression; signed as a Status List Token.
    const theirList = new OwfStatusList(Array.from({ length: 64 }, (_, i) => (i === 9 ? 1 : 0)), 1);
    const { header, payload } = createHeaderAndPayload(theirList, { sub: STATUS_URI, iat: NOW - 10, ttl: 300 }, { alg: 'ES256', typ: 'statuslist+jwt', kid: 'fr-2026-1' });
    const statusToken = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(keys.issuer.privateKey);
    const checkStatus = async (ref: { status_list: { idx: number; uri: string } }) => {
      const token = await verifyStatusListToken(statusToken, { resolveKey: () => keys.issuer.publicKey, expectedUri: ref.status_list.uri, now: NOW });
      if (!token.ok) return 'unknown' as const;
      return getStatus(token.list, ref.status_list.idx) === 0 ? ('valid' as const) : ('revoked' as const);
    };
    const options = { resolveIssuerKey: trustList(keys), requireKeyBinding: true as const, expectedNonce: 'n-123', expectedAud: VERIFIER_QC, now: NOW, checkStatus };
    const result = await verifySdJwtPresentation(presentation, options);
    if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
    expect(result.claims).toMatchObject({ role: 'agent public', nationalities: ['FR'], organisation: { name: agentClaims.organisation.name, id: agentClaims.organisation.id }, jurisdiction: 'FR' });
    expect(result.claims).not.toHaveProperty('given_name');
    expect(result.disclosed.sort()).toEqual(['nationalities', 'nationalities.0', 'organisation', 'organisation.id', 'role']);
    expect(result.status).toBe('valid');
    expect(result.keyBinding).toEqual({ aud: VERIFIER_QC, nonce: 'n-123', iat: NOW - 5 });

    // Same presentation, other verifier or other request: refused by ours with the precise reason.
    expect(await verifySdJwtPresentation(presentation, { ...options, expectedNonce: 'n-456' })).toMatchObject({ ok: false, reason: 'kb_wrong_nonce' });
    expect(await verifySdJwtPresentation(presentation, { ...options, expectedAud: 'https://ailleurs.example' })).toMatchObject({ ok: false, reason: 'kb_wrong_audience' });
  });

  it('our holder presents their credential and their verifier accepts it', async () => {
    const presentation = await presentSdJwt(await issueTheirs(), { disclose: ['loa'], holderKey: { key: keys.holder.privateKey, alg: 'ES256' }, nonce: 'n-9', aud: VERIFIER_QC, iat: NOW });
    owf.config({ statusListFetcher: async () => ourStatusToken() } as never);
    const result = await owf.verify(presentation, { keyBindingNonce: 'n-9', currentDate: NOW });
    expect(result.payload).toMatchObject({ loa: 'substantial' });
    expect(result.payload).not.toHaveProperty('role');
  });
});

describe('status lists both ways', () => {
  const values = (bits: 1 | 2 | 4 | 8) => Array.from({ length: 96 }, (_, i) => (i * 7 + 3) % (1 << bits));

  it.each([1, 2, 4, 8] as const)('ours decode in theirs and theirs in ours (%i bit)', (bits) => {
    const ours = createStatusList(96, bits);
    for (const [i, v] of values(bits).entries()) setStatus(ours, i, v);
    const encoded = encodeStatusList(ours);
    const inTheirs = OwfStatusList.decompressStatusList(encoded.lst, bits);
    expect(values(bits).map((_, i) => inTheirs.getStatus(i))).toEqual(values(bits));

    const theirs = new OwfStatusList(values(bits), bits);
    const inOurs = decodeStatusList({ bits, lst: theirs.compressStatusList() });
    expect(values(bits).map((_, i) => getStatus(inOurs, i))).toEqual(values(bits));
  });

  it('their reader takes our signed Status List Token', async () => {
    const list = getListFromStatusListJWT(await ourStatusToken(7));
    expect([list.getStatus(6), list.getStatus(7), list.getStatus(8)]).toEqual([0, 1, 0]);
  });
});
