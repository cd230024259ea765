import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt } from './decode.ts';
import { parseDisclosure } from './disclosures.ts';
import { issueSdJwt, SdJwtIssueError } from './issue.ts';
import { presentSdJwt, SdJwtPresentError } from './present.ts';
import { agentCredentialInput, ISSUER_FR, issueAgentCredential, makeKeys, NOW, type TestKeys, trustList, VCT_AGENT, VERIFIER_QC } from './test-fixtures.ts';
import { verifySdJwtPresentation } from './verify.ts';

let keys: TestKeys;
beforeAll(async () => {
  keys = await makeKeys();
});

const verifyOptions = (nonce = 'n-123') => ({
  resolveIssuerKey: trustList(keys),
  requireKeyBinding: true as const,
  expectedNonce: nonce,
  expectedAud: VERIFIER_QC,
  now: NOW,
});

describe('issueSdJwt', () => {
  it('hides every disclosable claim behind sorted digests and keeps the always-visible ones', async () => {
    const sdJwt = await issueAgentCredential(keys);
    expect(sdJwt.endsWith('~')).toBe(true);
    const decoded = await decodeSdJwt(sdJwt);
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(decoded.header).toEqual({ alg: 'ES256', typ: 'dc+sd-jwt', kid: 'fr-2026-1' });
    const p = decoded.payload;
    expect(p).toMatchObject({ iss: ISSUER_FR, vct: VCT_AGENT, jurisdiction: 'FR', _sd_alg: 'sha-256', iat: NOW - 3600, exp: NOW + 86_400 });
    for (const hidden of ['given_name', 'family_name', 'organisation', 'role', 'loa', 'nationalities']) expect(p).not.toHaveProperty(hidden);
    const sd = p._sd as string[];
    expect(sd).toHaveLength(6);
    expect([...sd].sort()).toEqual(sd);
    // 6 top-level + organisation.id + 2 array elements.
    expect(decoded.disclosures.map((d) => d.path).sort()).toEqual(
      ['family_name', 'given_name', 'loa', 'nationalities', 'nationalities.0', 'nationalities.1', 'organisation', 'organisation.id', 'role'].sort(),
    );
    expect(decoded.claims).toMatchObject({ ...{ given_name: 'Camille', organisation: { name: 'Direction interministérielle du numérique', id: '13002526500013' } }, nationalities: ['FR', 'CA'] });
  });

  it('uses 128-bit random salts, unique per disclosure', async () => {
    const decoded = await decodeSdJwt(await issueAgentCredential(keys));
    if (!decoded.ok) throw new Error(decoded.detail);
    const salts = decoded.disclosures.map((d) => d.salt);
    expect(new Set(salts).size).toBe(salts.length);
    for (const s of salts) expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('adds decoy digests that no disclosure matches', async () => {
    const decoded = await decodeSdJwt(await issueAgentCredential(keys, { decoys: 4 }));
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(decoded.payload._sd).toHaveLength(10);
  });

  it('refuses ambiguous or dangerous requests', async () => {
    await expect(issueAgentCredential(keys, { always: [] })).rejects.toThrow(/"jurisdiction" is neither disclosable nor always visible/);
    await expect(issueAgentCredential(keys, { always: ['jurisdiction', 'role'] })).rejects.toThrow(/both disclosable and always visible/);
    await expect(issueAgentCredential(keys, { disclosable: ['given_name', 'family_name', 'organisation', 'role', 'loa', 'nationalities', 'nickname'] })).rejects.toThrow(/match no claim: nickname/);
    await expect(issueAgentCredential(keys, { claims: { jurisdiction: 'FR', exp: 1 } })).rejects.toThrow(SdJwtIssueError);
    await expect(issueAgentCredential(keys, { claims: { jurisdiction: { _sd: [] } } })).rejects.toThrow(/reserved/);
    await expect(issueAgentCredential(keys, { cnf: { jwk: { ...keys.holderJwk, d: 'secret' } } })).rejects.toThrow(/public JWK/);
  });
});

describe('presentSdJwt and verifySdJwtPresentation', () => {
  it('reveals only the chosen claims, bound to the verifier', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), {
      disclose: ['organisation.name', 'role'],
      holderKey: { key: keys.holder.privateKey, alg: 'ES256' },
      nonce: 'n-123',
      aud: VERIFIER_QC,
      iat: NOW - 10,
    });
    const result = await verifySdJwtPresentation(presentation, { ...verifyOptions(), maxKbAgeSeconds: 300, clockSkewSeconds: 60 });
    if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
    expect(result.issuer).toBe(ISSUER_FR);
    expect(result.kid).toBe('fr-2026-1');
    expect(result.vct).toBe(VCT_AGENT);
    // organisation.name is plaintext inside the disclosed organisation; its id stays hidden.
    expect(result.claims.organisation).toEqual({ name: 'Direction interministérielle du numérique' });
    expect(result.claims.role).toBe('agent public');
    expect(result.claims.jurisdiction).toBe('FR');
    for (const hidden of ['given_name', 'family_name', 'loa', 'nationalities', '_sd', '_sd_alg']) expect(result.claims).not.toHaveProperty(hidden);
    expect(result.disclosed.sort()).toEqual(['organisation', 'role']);
    expect(result.keyBinding).toEqual({ aud: VERIFIER_QC, nonce: 'n-123', iat: NOW - 10 });
    expect(result.status).toBe('not_checked');
  });

  it('discloses single array elements by their original index', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), {
      disclose: ['nationalities.1', 'organisation'],
      holderKey: { key: keys.holder.privateKey, alg: 'ES256' },
      nonce: 'n-123',
      aud: VERIFIER_QC,
      iat: NOW,
    });
    const result = await verifySdJwtPresentation(presentation, verifyOptions());
    if (!result.ok) throw new Error(result.reason);
    expect(result.claims.nationalities).toEqual(['CA']);
    expect(result.claims.organisation).toEqual({ name: 'Direction interministérielle du numérique', id: '13002526500013' });
    expect(result.disclosed.sort()).toEqual(['nationalities', 'nationalities.1', 'organisation', 'organisation.id']);
  });

  it('presents nothing but the always-visible claims when nothing is chosen', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), { disclose: [], holderKey: { key: keys.holder.privateKey, alg: 'ES256' }, nonce: 'n-123', aud: VERIFIER_QC, iat: NOW });
    expect(presentation.split('~')).toHaveLength(2);
    const result = await verifySdJwtPresentation(presentation, verifyOptions());
    if (!result.ok) throw new Error(result.reason);
    expect(result.disclosed).toEqual([]);
    expect(Object.keys(result.claims).sort()).toEqual(['cnf', 'exp', 'iat', 'iss', 'jurisdiction', 'nbf', 'status', 'vct']);
  });

  it('refuses to present a claim the credential does not have', async () => {
    await expect(presentSdJwt(await issueAgentCredential(keys), { disclose: ['email'] })).rejects.toThrow(SdJwtPresentError);
  });

  it('verifies without key binding when the verifier does not require it', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), { disclose: ['given_name'] });
    expect(presentation.endsWith('~')).toBe(true);
    const result = await verifySdJwtPresentation(presentation, { resolveIssuerKey: trustList(keys), requireKeyBinding: false, now: NOW });
    expect(result.ok && result.claims.given_name).toBe('Camille');
    expect(result.ok && result.keyBinding).toBe(null);
  });

  it('reports the status answered by checkStatus', async () => {
    const presentation = await presentSdJwt(await issueAgentCredential(keys), { disclose: ['role'], holderKey: { key: keys.holder.privateKey, alg: 'ES256' }, nonce: 'n-123', aud: VERIFIER_QC, iat: NOW });
    const asked: unknown[] = [];
    const result = await verifySdJwtPresentation(presentation, {
      ...verifyOptions(),
      checkStatus: async (status) => {
        asked.push(status);
        return 'valid';
      },
    });
    expect(result.ok && result.status).toBe('valid');
    expect(asked).toEqual([{ status_list: { idx: 7, uri: 'https://entente.example/credentials/status/fr-1' } }]);
  });

  it('rebuilds a disclosure whose value is itself a JSON value of any type', async () => {
    const claims = { n: 0, b: false, nil: null, obj: { deep: [1, { x: 'y' }] }, text: 'Möbius' };
    const sdJwt = await issueSdJwt({ ...agentCredentialInput(keys), claims, disclosable: ['n', 'b', 'nil', 'obj', 'obj.deep.1.x', 'text'], always: [] });
    const presentation = await presentSdJwt(sdJwt, { disclose: ['n', 'b', 'nil', 'obj', 'text'] });
    const result = await verifySdJwtPresentation(presentation, { resolveIssuerKey: trustList(keys), requireKeyBinding: false, now: NOW });
    if (!result.ok) throw new Error(result.reason);
    expect(result.claims).toMatchObject(claims);
    const text = (await decodeSdJwt(sdJwt)) as { ok: true; disclosures: Array<{ encoded: string; name?: string }> };
    const möbius = text.disclosures.find((d) => d.name === 'text');
    expect(await parseDisclosure(möbius!.encoded)).toMatchObject({ name: 'text', value: 'Möbius' });
  });

  it('accepts an ES384 issuer and an EdDSA holder key', async () => {
    const issuer = await generateKeyPair('ES384');
    const holder = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const sdJwt = await issueSdJwt({ ...agentCredentialInput(keys), alg: 'ES384', issuerKey: { key: issuer.privateKey, kid: 'p384' }, cnf: { jwk: await exportJWK(holder.publicKey) } });
    const presentation = await presentSdJwt(sdJwt, { disclose: ['loa'], holderKey: { key: holder.privateKey, alg: 'EdDSA' }, nonce: 'n-123', aud: VERIFIER_QC, iat: NOW });
    const result = await verifySdJwtPresentation(presentation, { ...verifyOptions(), resolveIssuerKey: (_iss, kid) => (kid === 'p384' ? issuer.publicKey : null) });
    expect(result.ok && result.claims.loa).toBe('substantial');
    expect(result.ok && result.header.alg).toBe('ES384');
  });

  it('issues and verifies a typical credential in well under 10 ms each', async () => {
    const input = agentCredentialInput(keys);
    // Warm up jose and WebCrypto first: the bound is about steady state, not module loading.
    for (let i = 0; i < 5; i++) await issueSdJwt(input);
    const runs = 30;
    let start = performance.now();
    const issued: string[] = [];
    for (let i = 0; i < runs; i++) issued.push(await issueSdJwt(input));
    const issueMs = (performance.now() - start) / runs;
    const presentations = await Promise.all(
      issued.map((c) => presentSdJwt(c, { disclose: ['role', 'organisation'], holderKey: { key: keys.holder.privateKey, alg: 'ES256' }, nonce: 'n-123', aud: VERIFIER_QC, iat: NOW })),
    );
    start = performance.now();
    for (const p of presentations) expect((await verifySdJwtPresentation(p, verifyOptions())).ok).toBe(true);
    const verifyMs = (performance.now() - start) / runs;
    expect(issueMs).toBeLessThan(10);
    expect(verifyMs).toBeLessThan(10);
  });
});

describe('browser safety', () => {
  it('the holder and verifier code imports nothing from node: (only status-list.ts may)', () => {
    const browserSafe = ['present.ts', 'decode.ts', 'disclosures.ts', 'encoding.ts', 'process.ts', 'types.ts', 'verify.ts', 'verify-key-binding.ts', 'issue.ts'];
    for (const file of browserSafe) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => !(i === 'jose' || i?.startsWith('./'))), file).toEqual([]);
      for (const local of imports.filter((i) => i?.startsWith('./'))) expect(browserSafe, `${file} imports ${local}`).toContain(local?.slice(2));
    }
  });
});
