/** Types shared by the SD-JWT VC format layer (issuer, holder, verifier, status lists). */
import type { CryptoKey, JWK, KeyObject } from 'jose';

/** Signature algorithms we issue with or accept: never `none`, never HMAC, never RSA. */
export const ALLOWED_ALGS = ['ES256', 'ES384', 'EdDSA'] as const;
export type AllowedAlg = (typeof ALLOWED_ALGS)[number];

export function isAllowedAlg(alg: unknown): alg is AllowedAlg {
  return typeof alg === 'string' && (ALLOWED_ALGS as readonly string[]).includes(alg);
}

/** A private key jose can sign with (a WebCrypto CryptoKey in the browser). */
export type PrivateKey = CryptoKey | KeyObject | JWK;
/** A public key jose can verify with. Symmetric keys are refused by the algorithm allow-list. */
export type PublicKey = CryptoKey | KeyObject | JWK;

/** `typ` of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc) and of its key-binding JWT (RFC 9901). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';
export const KB_JWT_TYP = 'kb+jwt';
export const STATUS_LIST_TYP = 'statuslist+jwt';

/** The status reference a credential carries (draft-ietf-oauth-status-list §6.1). */
export type StatusReference = { status_list: { idx: number; uri: string } };

/**
 * Every reason a presentation is refused. Stable: the verifier page, the API's problem `type`
 * and the audit trail key on these.
 */
export const VERIFY_FAILURE_REASONS = [
  'malformed',
  'alg_not_allowed',
  'untrusted_issuer',
  'bad_signature',
  'wrong_typ',
  'wrong_vct',
  'disclosure_not_referenced',
  'duplicate_disclosure',
  'disclosure_malformed',
  'reserved_claim_name',
  'claim_collision',
  'expired',
  'not_yet_valid',
  'key_binding_required',
  'kb_malformed',
  'kb_bad_signature',
  'kb_wrong_nonce',
  'kb_wrong_audience',
  'kb_stale',
  'kb_sd_hash_mismatch',
  'revoked',
  'status_unavailable',
] as const;
export type VerifyFailureReason = (typeof VERIFY_FAILURE_REASONS)[number];
