import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { AppError } from '../../platform/errors.ts';

/**
 * The holder's proof of possession (OpenID4VCI §8.2.1.1, `proof_type: jwt`): a JWT signed by the
 * key the credential will be bound to, whose header carries that key's public JWK, for our issuer
 * (`aud`), our single-use nonce and a fresh `iat`. Each refusal has its own slug, so that a wallet's
 * developer knows what to fix. The nonce is checked last, by the caller (it spends it).
 */
export const PROOF_TYP = 'openid4vci-proof+jwt';
/** `iat` older than this (or further ahead than the skew) is refused. */
export const PROOF_MAX_AGE_S = 300;
const SKEW_S = 60;
const MAX_PROOF_LENGTH = 8_192;
/** Members of a private (or symmetric) JWK: none may appear in a public key. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const refuse = (slug: string) => new AppError(slug, { status: 400 });

export interface VerifiedProof {
  jwk: JWK;
  nonce: string;
}

export async function verifyProof(proof: unknown, expectedAud: string, now = Math.floor(Date.now() / 1000)): Promise<VerifiedProof> {
  if (typeof proof !== 'string' || proof.trim() === '') throw refuse('credential_proof_missing');
  if (proof.length > MAX_PROOF_LENGTH || proof.split('.').length !== 3) throw refuse('credential_proof_malformed');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch {
    throw refuse('credential_proof_malformed');
  }
  if (header.alg !== 'ES256') throw refuse('credential_proof_alg');
  if (header.typ !== PROOF_TYP) throw refuse('credential_proof_typ');
  const jwk = header.jwk;
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw refuse('credential_proof_key');
  const given = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((m) => m in given)) throw refuse('credential_proof_private_key');
  if (given.kty !== 'EC' || given.crv !== 'P-256' || typeof given.x !== 'string' || typeof given.y !== 'string') throw refuse('credential_proof_key');
  // Only the key's own members are kept: the credential's cnf carries nothing else the holder sent.
  const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: given.x, y: given.y };
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK(publicJwk, 'ES256');
    const verified = await compactVerify(proof, key, { algorithms: ['ES256'] });
    const parsed: unknown = JSON.parse(new TextDecoder().decode(verified.payload));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('payload');
    payload = parsed as Record<string, unknown>;
  } catch {
    throw refuse('credential_proof_signature');
  }
  const aud = payload.aud;
  if (!(aud === expectedAud || (Array.isArray(aud) && aud.length === 1 && aud[0] === expectedAud))) throw refuse('credential_proof_audience');
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat) || iat < now - PROOF_MAX_AGE_S || iat > now + SKEW_S) throw refuse('credential_proof_stale');
  if (typeof payload.nonce !== 'string' || payload.nonce === '' || payload.nonce.length > 200) throw refuse('credential_proof_nonce_invalid');
  return { jwk: publicJwk, nonce: payload.nonce };
}
