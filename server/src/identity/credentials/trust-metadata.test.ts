import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { credentialsVerifier } from '../../../../common/src/i18n/catalog/credentials-verifier.ts';
import { VERIFY_FAILURE_REASONS } from './sd-jwt/index.ts';
import { JwksError, pickKey, validateJwks, wellKnownMetadataUrl } from './trust-metadata.ts';
import { credentialTypeOf } from './verifier.ts';

describe('issuer metadata and keys', () => {
  it('puts the well-known path between the host and the issuer’s path (SD-JWT VC)', () => {
    expect(wellKnownMetadataUrl('https://entente.quebec.example/issuers/qc')).toBe('https://entente.quebec.example/.well-known/jwt-vc-issuer/issuers/qc');
    expect(wellKnownMetadataUrl('https://issuer.example')).toBe('https://issuer.example/.well-known/jwt-vc-issuer');
    expect(wellKnownMetadataUrl('http://localhost:3000/issuers/fr/')).toBe('http://localhost:3000/.well-known/jwt-vc-issuer/issuers/fr');
  });

  it('keeps only public signing keys of the algorithms we accept, and refuses private ones', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ecPublic = { ...(await exportJWK(ec.publicKey)), kid: 'ec', extra: 'dropped' };
    const kept = validateJwks({ keys: [ecPublic, { ...(await exportJWK(ed.publicKey)), kid: 'ed' }, { ...(await exportJWK(rsa.publicKey)), kid: 'rsa' }, { ...ecPublic, kid: 'enc', use: 'enc' }] });
    expect(kept.keys.map((k) => k.kid)).toEqual(['ec', 'ed']);
    expect(kept.keys[0]).not.toHaveProperty('extra');
    const ecPrivate = await exportJWK(ec.privateKey);
    const rsaPublic = await exportJWK(rsa.publicKey);
    expect(() => validateJwks({ keys: [ecPrivate] })).toThrow(JwksError);
    expect(() => validateJwks({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })).toThrow(/private or secret/);
    expect(() => validateJwks({ keys: [] })).toThrow(JwksError);
    expect(() => validateJwks({ keys: [rsaPublic] })).toThrow(/no usable/);
    expect(() => validateJwks('{}')).toThrow(JwksError);
    expect(() => validateJwks({ keys: Array.from({ length: 21 }, () => ecPublic) })).toThrow(/more than/);
  });

  it('picks the key by kid, or the only key when the credential names none', () => {
    const jwks = { keys: [{ kid: 'a', kty: 'EC' }, { kid: 'b', kty: 'EC' }] };
    expect(pickKey(jwks, 'b')).toEqual({ kid: 'b', kty: 'EC' });
    expect(pickKey(jwks, 'c')).toBeNull();
    expect(pickKey(jwks, undefined)).toBeNull();
    expect(pickKey({ keys: [{ kty: 'EC' }] }, undefined)).toEqual({ kty: 'EC' });
  });
});

describe('the verifier’s words', () => {
  it('has a plain explanation for every reason code, in French and in English', () => {
    for (const reason of VERIFY_FAILURE_REASONS) {
      expect(credentialsVerifier['fr-FR'], reason).toHaveProperty([`credentialsVerifier.reason.${reason}`]);
      expect(credentialsVerifier.en, reason).toHaveProperty([`credentialsVerifier.reason.${reason}`]);
    }
  });

  it('tells the credential type from its vct', () => {
    expect(credentialTypeOf('https://entente.quebec.example/credentials/types/digital-skills')).toBe('digital-skills');
    expect(credentialTypeOf('https://x.example/credentials/types/public-agent')).toBe('public-agent');
    expect(credentialTypeOf('https://x.example/other')).toBeNull();
    expect(credentialTypeOf(null)).toBeNull();
  });
});
