/**
 * Every attack of issue 9, each refused with its precise reason. Tampering is done by hand on
 * the serialised strings, as an attacker would.
 */
import { base64url, CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDisclosure } from './disclosures.ts';
import { encodeBase64urlText, sha256Base64url } from './encoding.ts';
import { presentSdJwt } from './present.ts';
import { agentCredentialInput, ISSUER_FR, issueAgentCredential, makeKeys, NOW, type TestKeys, trustList, VCT_AGENT, VERIFIER_QC } from './test-fixtures.ts';
import type { VerifyFailureReason } from './types.ts';
import { type VerifySdJwtOptions, verifySdJwtPresentation } from './verify.ts';

let keys: TestKeys;
let credential: string;
beforeAll(async () => {
  keys = await makeKeys();
  credential = await issueAgentCredential(keys);
});

const options = (overrides: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions =>
  ({ resolveIssuerKey: trustList(keys), requireKeyBinding: true, expectedNonce: 'n-123', expectedAud: VERIFIER_QC, now: NOW, ...overrides }) as VerifySdJwtOptions;

const present = (sdJwt: string, disclose = ['role', 'organisation'], kb: { nonce?: string; aud?: string; iat?: number; key?: CryptoKey } = {}) =>
  presentSdJwt(sdJwt, { disclose, holderKey: { key: kb.key ?? keys.holder.privateKey, alg: 'ES256' }, nonce: kb.nonce ?? 'n-123', aud: kb.aud ?? VERIFIER_QC, iat: kb.iat ?? NOW });

async function expectRefused(presentation: string, reason: VerifyFailureReason, overrides: Partial<VerifySdJwtOptions> = {}) {
  const result = await verifySdJwtPresentation(presentation, options(overrides));
  expect(result.ok ? 'accepted' : result.reason).toBe(reason);
  if (!result.ok) expect(result.detail).not.toBe('');
}

/** Splits `<jws>~<d1>~…~<kb>` into its parts. */
function parts(presentation: string) {
  const all = presentation.split('~');
  return { jws: all[0]!, disclosures: all.slice(1, -1), kb: all[all.length - 1]! };
}

/** The holder re-binds a presentation it altered (a key-binding JWT over the new text). */
async function bind(withoutKb: string, key = keys.holder.privateKey, payload: Record<string, unknown> = {}) {
  const kb = { iat: NOW, aud: VERIFIER_QC, nonce: 'n-123', sd_hash: await sha256Base64url(withoutKb), ...payload };
  return withoutKb + (await new CompactSign(new TextEncoder().encode(JSON.stringify(kb))).setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' }).sign(key));
}

/** A credential the trusted issuer signs with whatever payload the test needs. */
async function issuerSigned(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'ES256', typ: 'dc+sd-jwt', kid: 'fr-2026-1' }) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header as { alg: string }).sign(keys.issuer.privateKey);
}

const basePayload = () => ({ iss: ISSUER_FR, iat: NOW - 60, exp: NOW + 3600, vct: VCT_AGENT, cnf: { jwk: keys.holderJwk }, _sd_alg: 'sha-256' });

describe('attacks on the issuer-signed part', () => {
  it('a tampered payload (jurisdiction FR → QC) is a bad signature', async () => {
    const p = parts(await present(credential));
    const [h, payload, sig] = p.jws.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
    claims.jurisdiction = 'QC';
    const forged = [h, encodeBase64urlText(JSON.stringify(claims)), sig].join('.');
    await expectRefused(await bind([forged, ...p.disclosures, ''].join('~')), 'bad_signature');
  });

  it('a credential signed with another key under the trusted issuer name is a bad signature', async () => {
    const forged = await issueAgentCredential(keys, { issuerKey: { key: keys.otherIssuer.privateKey, kid: 'fr-2026-1' } });
    await expectRefused(await present(forged), 'bad_signature');
  });

  it('an issuer or a key that is not on the trust list is untrusted', async () => {
    await expectRefused(await present(await issueAgentCredential(keys, { iss: 'https://faussaire.example/issuers/fr' })), 'untrusted_issuer');
    await expectRefused(await present(await issueAgentCredential(keys, { issuerKey: { key: keys.issuer.privateKey, kid: 'unknown-kid' } })), 'untrusted_issuer');
    await expectRefused(await present(credential), 'untrusted_issuer', {
      resolveIssuerKey: () => {
        throw new Error('metadata unreachable');
      },
    });
  });

  it('alg: none (hand-crafted, unsigned) is refused for its algorithm', async () => {
    const payload = { ...basePayload(), role: 'agent public' };
    const unsigned = `${encodeBase64urlText(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt', kid: 'fr-2026-1' }))}.${encodeBase64urlText(JSON.stringify(payload))}.`;
    await expectRefused(`${unsigned}~`, 'alg_not_allowed', { requireKeyBinding: false } as Partial<VerifySdJwtOptions>);
    await expectRefused(await bind(`${unsigned}~`), 'alg_not_allowed');
  });

  it('HS256 signed with the issuer public key as secret, and RS256, are refused for their algorithm', async () => {
    const publicJwk = JSON.stringify(await crypto.subtle.exportKey('jwk', keys.issuer.publicKey));
    const hs = await new CompactSign(new TextEncoder().encode(JSON.stringify(basePayload())))
      .setProtectedHeader({ alg: 'HS256', typ: 'dc+sd-jwt', kid: 'fr-2026-1' })
      .sign(new TextEncoder().encode(publicJwk));
    await expectRefused(await bind(`${hs}~`), 'alg_not_allowed');
    const rs = `${encodeBase64urlText(JSON.stringify({ alg: 'RS256', typ: 'dc+sd-jwt' }))}.${encodeBase64urlText(JSON.stringify(basePayload()))}.AAAA`;
    await expectRefused(await bind(`${rs}~`), 'alg_not_allowed');
  });

  it('a JWT of another type, or an SD-JWT of another credential type, is refused', async () => {
    await expectRefused(await bind(`${await issuerSigned(basePayload(), { alg: 'ES256', typ: 'JWT', kid: 'fr-2026-1' })}~`), 'wrong_typ');
    await expectRefused(await present(credential), 'wrong_vct', { expectedVct: 'https://entente.example/credentials/types/digital-skills' });
    await expectRefused(await bind(`${await issuerSigned({ ...basePayload(), vct: undefined })}~`), 'wrong_vct');
  });

  it('an expired or not yet valid credential is refused, beyond the clock skew only', async () => {
    const expired = await present(await issueAgentCredential(keys, { exp: NOW - 61 }));
    await expectRefused(expired, 'expired', { clockSkewSeconds: 60 });
    expect((await verifySdJwtPresentation(await present(await issueAgentCredential(keys, { exp: NOW - 59 })), options({ clockSkewSeconds: 60 }))).ok).toBe(true);
    await expectRefused(await present(await issueAgentCredential(keys, { nbf: NOW + 3600 })), 'not_yet_valid');
    await expectRefused(await present(await issueAgentCredential(keys, { iat: NOW + 3600, nbf: undefined })), 'not_yet_valid');
  });

  it('a revoked credential is refused; an unreachable status list is not taken for valid', async () => {
    const presentation = await present(credential);
    await expectRefused(presentation, 'revoked', { checkStatus: async () => 'revoked' });
    await expectRefused(presentation, 'status_unavailable', { checkStatus: async () => 'unknown' });
    await expectRefused(presentation, 'status_unavailable', {
      checkStatus: async () => {
        throw new Error('timeout');
      },
    });
  });
});

describe('attacks on disclosures', () => {
  it('an altered disclosure (role changed) matches no digest', async () => {
    const p = parts(await present(credential, ['role']));
    const [salt] = JSON.parse(new TextDecoder().decode(base64url.decode(p.disclosures[0]!)));
    const altered = encodeBase64urlText(JSON.stringify([salt, 'role', 'préfet']));
    await expectRefused(await bind([p.jws, altered, ''].join('~')), 'disclosure_not_referenced');
  });

  it('a disclosure taken from another credential matches no digest', async () => {
    const other = await issueAgentCredential(keys, { claims: { ...agentCredentialInput(keys).claims, loa: 'high' } });
    const loa = parts(await present(other, ['loa'])).disclosures[0]!;
    const p = parts(await present(credential, ['role']));
    await expectRefused(await bind([p.jws, ...p.disclosures, loa, ''].join('~')), 'disclosure_not_referenced');
  });

  it('the same disclosure twice is refused', async () => {
    const p = parts(await present(credential, ['role']));
    await expectRefused(await bind([p.jws, p.disclosures[0], p.disclosures[0], ''].join('~')), 'duplicate_disclosure');
  });

  it('a disclosure that is not a salted array is malformed', async () => {
    const p = parts(await present(credential, ['role']));
    for (const bad of [encodeBase64urlText('{"role":"x"}'), encodeBase64urlText('["salt"]'), encodeBase64urlText('[1, "role", "x"]'), 'not*base64', encodeBase64urlText('[\'x\'')]) {
      await expectRefused(await bind([p.jws, bad, ''].join('~')), 'disclosure_malformed');
    }
  });

  it('a disclosure named _sd or ..., or an issuer hiding exp, is a reserved claim name', async () => {
    for (const name of ['_sd', '...']) {
      const d = await createDisclosure('c2FsdHNhbHRzYWx0c2FsdA', name, 'x');
      const jws = await issuerSigned({ ...basePayload(), _sd: [d.digest] });
      await expectRefused(await bind(`${jws}~${d.encoded}~`), 'reserved_claim_name');
    }
    const exp = await createDisclosure('c2FsdHNhbHRzYWx0c2FsdA', 'exp', NOW + 10 * 365 * 86_400);
    const { exp: _dropped, ...withoutExp } = basePayload();
    await expectRefused(await bind(`${await issuerSigned({ ...withoutExp, _sd: [exp.digest] })}~${exp.encoded}~`), 'reserved_claim_name');
  });

  it('a disclosed claim that is also in plaintext is a collision', async () => {
    const d = await createDisclosure('c2FsdHNhbHRzYWx0c2FsdA', 'role', 'préfet');
    const jws = await issuerSigned({ ...basePayload(), role: 'agent public', _sd: [d.digest] });
    await expectRefused(await bind(`${jws}~${d.encoded}~`), 'claim_collision');
  });
});

describe('attacks on key binding', () => {
  it('a presentation without key binding is refused when binding is required', async () => {
    const p = parts(await present(credential));
    await expectRefused([p.jws, ...p.disclosures, ''].join('~'), 'key_binding_required');
    // Even a credential without cnf cannot dodge the requirement.
    const unbound = await presentSdJwt(await issueAgentCredential(keys, { cnf: undefined }), { disclose: ['role'] });
    await expectRefused(unbound, 'key_binding_required');
  });

  it('a KB-JWT replayed with another nonce or to another audience is refused', async () => {
    const presentation = await present(credential);
    await expectRefused(presentation, 'kb_wrong_nonce', { expectedNonce: 'n-456' });
    await expectRefused(presentation, 'kb_wrong_audience', { expectedAud: 'https://autre-verificateur.example' });
  });

  it('a stale or future-dated KB-JWT is refused', async () => {
    await expectRefused(await present(credential, ['role'], { iat: NOW - 361 }), 'kb_stale', { maxKbAgeSeconds: 300, clockSkewSeconds: 60 });
    expect((await verifySdJwtPresentation(await present(credential, ['role'], { iat: NOW - 359 }), options())).ok).toBe(true);
    await expectRefused(await present(credential, ['role'], { iat: NOW + 120 }), 'kb_stale');
  });

  it('a KB-JWT taken from another presentation (other disclosures) fails its sd_hash', async () => {
    const small = parts(await present(credential, ['role']));
    const large = parts(await present(credential, ['role', 'given_name', 'family_name']));
    await expectRefused([large.jws, ...large.disclosures, small.kb].join('~'), 'kb_sd_hash_mismatch');
  });

  it('a KB-JWT signed by a key other than the credential holder key is refused', async () => {
    await expectRefused(await present(credential, ['role'], { key: keys.otherHolder.privateKey }), 'kb_bad_signature');
  });

  it('a KB-JWT with the wrong typ, no sd_hash, or alg none is refused', async () => {
    const withoutKb = `${parts(await present(credential, ['role'])).jws}~`;
    const wrongTyp = withoutKb + (await new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: NOW, aud: VERIFIER_QC, nonce: 'n-123', sd_hash: await sha256Base64url(withoutKb) })))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .sign(keys.holder.privateKey));
    await expectRefused(wrongTyp, 'kb_malformed');
    await expectRefused(await bind(withoutKb, keys.holder.privateKey, { sd_hash: undefined }), 'kb_malformed');
    const none = `${encodeBase64urlText('{"alg":"none","typ":"kb+jwt"}')}.${encodeBase64urlText(JSON.stringify({ iat: NOW, aud: VERIFIER_QC, nonce: 'n-123', sd_hash: await sha256Base64url(withoutKb) }))}.`;
    await expectRefused(withoutKb + none, 'alg_not_allowed');
  });
});

describe('garbage in, a reason out (never a throw)', () => {
  it.each([
    ['empty', ''],
    ['no tilde', 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA'],
    ['not base64', '!!!.???.***~'],
    ['json array header', `${encodeBase64urlText('[1]')}.${encodeBase64urlText('{}')}.AAAA~`],
    ['empty disclosure', 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA~~x~'],
    ['huge', `${'A'.repeat(300_000)}~`],
    ['not a string', 42 as unknown as string],
  ])('%s → malformed', async (_label, input) => {
    await expectRefused(input, 'malformed');
  });
});
