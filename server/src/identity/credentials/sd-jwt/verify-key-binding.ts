/**
 * The key-binding JWT check (RFC 9901 §7.3): signed by the key in the credential's `cnf.jwk`,
 * `typ: kb+jwt`, for this verifier (aud) and this request (nonce), fresh, and bound to exactly the
 * presented disclosures (sd_hash).
 */
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { decodeJwtParts } from './decode.ts';
import { isPlainObject, sha256Base64url } from './encoding.ts';
import { ALLOWED_ALGS, isAllowedAlg, KB_JWT_TYP, type VerifyFailureReason } from './types.ts';

export type KeyBindingCheck = {
  kbJwt: string;
  sdJwtWithoutKb: string;
  cnf: unknown;
  expectedNonce?: string;
  expectedAud?: string;
  now: number;
  maxKbAgeSeconds: number;
  clockSkewSeconds: number;
};
export type KeyBinding = { aud: string; nonce: string; iat: number };
type Failure = { ok: false; reason: VerifyFailureReason; detail: string };

export async function verifyKeyBinding(check: KeyBindingCheck): Promise<{ ok: true; keyBinding: KeyBinding } | Failure> {
  const fail = (reason: VerifyFailureReason, detail: string): Failure => ({ ok: false, reason, detail });
  const decoded = decodeJwtParts(check.kbJwt);
  if (!decoded) return fail('kb_malformed', 'the key-binding JWT is not decodable');
  const header = safeHeader(check.kbJwt);
  if (!header) return fail('kb_malformed', 'the key-binding JWT header is not decodable');
  if (!isAllowedAlg(header.alg)) return fail('alg_not_allowed', `key-binding JWT signed with ${String(header.alg)}`);
  if (header.typ !== KB_JWT_TYP) return fail('kb_malformed', `key-binding JWT typ is ${String(header.typ)}, not ${KB_JWT_TYP}`);

  const jwk = isPlainObject(check.cnf) ? check.cnf.jwk : undefined;
  if (!isPlainObject(jwk)) return fail('kb_bad_signature', 'the credential carries no holder key (cnf.jwk)');
  if ('d' in jwk) return fail('kb_bad_signature', 'cnf.jwk is a private key');
  let holderKey: Awaited<ReturnType<typeof importJWK>>;
  try {
    holderKey = await importJWK(jwk, header.alg);
  } catch {
    return fail('kb_bad_signature', `cnf.jwk is not a ${header.alg} public key`);
  }
  try {
    await compactVerify(check.kbJwt, holderKey, { algorithms: [...ALLOWED_ALGS] });
  } catch {
    return fail('kb_bad_signature', 'the key-binding JWT is not signed by the holder key of the credential');
  }

  const { iat, aud, nonce, sd_hash: sdHash } = decoded.payload;
  if (typeof iat !== 'number' || !Number.isFinite(iat) || typeof aud !== 'string' || typeof nonce !== 'string' || typeof sdHash !== 'string') {
    return fail('kb_malformed', 'the key-binding JWT lacks iat, aud, nonce or sd_hash');
  }
  if (sdHash !== (await sha256Base64url(check.sdJwtWithoutKb))) {
    return fail('kb_sd_hash_mismatch', 'the key-binding JWT was made for another presentation');
  }
  if (check.expectedAud !== undefined && aud !== check.expectedAud) return fail('kb_wrong_audience', `made for ${aud}`);
  if (check.expectedNonce !== undefined && nonce !== check.expectedNonce) return fail('kb_wrong_nonce', 'made for another request (nonce)');
  if (iat > check.now + check.clockSkewSeconds) return fail('kb_stale', 'the key-binding JWT is dated in the future');
  if (check.now - iat > check.maxKbAgeSeconds + check.clockSkewSeconds) {
    return fail('kb_stale', `the key-binding JWT is ${check.now - iat} s old (at most ${check.maxKbAgeSeconds} s)`);
  }
  return { ok: true, keyBinding: { aud, nonce, iat } };
}

function safeHeader(jws: string): Record<string, unknown> | null {
  try {
    return decodeProtectedHeader(jws) as Record<string, unknown>;
  } catch {
    return null;
  }
}
