import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { JWK } from 'jose';

/**
 * The OpenWallet Foundation's SD-JWT VC verifier (an independent implementation, test-only), its
 * crypto on node:crypto, the issuer's keys from our published JWKS. It never signs here: a key
 * binding is the holder's, made by our own code under test.
 */
export function owfVerifier(keys: JWK[]): SDJwtVcInstance {
  const hasher = (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest());
  const check = (key: JWK) => (data: string, sig: string) =>
    nodeVerify('sha256', Buffer.from(data), { key: createPublicKey({ key: key as Record<string, string>, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  return new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    saltGenerator: (length: number) => randomBytes(length).toString('base64url'),
    // Their callback gets no header: any of the issuer's published keys may have signed.
    verifier: (data: string, sig: string) => keys.some((k) => check(k)(data, sig)),
    kbVerifier: (data: string, sig: string, payload: { cnf?: { jwk: object } }) => (payload.cnf ? check(payload.cnf.jwk as JWK)(data, sig) : false),
    statusListFetcher: async (uri: string) => (await fetch(uri)).text(),
    signAlg: 'ES256',
    kbSignAlg: 'ES256',
    kbSigner: async () => {
      throw new Error('the verifier does not sign key bindings');
    },
  } as never);
}
