/**
 * Verifier side: checks a presentation end to end and answers with the disclosed claims or one
 * stable reason. Never throws on what it is given: every hostile or broken input is a reason.
 * Order: shape → algorithm → issuer key (trust list) → signature → typ/vct → disclosures →
 * validity dates → key binding → status (the only step that may need the network).
 */
import { compactVerify } from 'jose';
import { decodeJwtParts, parseDisclosures, splitSdJwt } from './decode.ts';
import { isPlainObject } from './encoding.ts';
import { processDisclosures } from './process.ts';
import { ALLOWED_ALGS, isAllowedAlg, type PublicKey, SD_JWT_VC_TYP, type StatusReference, type VerifyFailureReason } from './types.ts';
import { type KeyBinding, verifyKeyBinding } from './verify-key-binding.ts';

export type CredentialStatusCheck = 'valid' | 'revoked' | 'unknown';

export type VerifySdJwtOptions = {
  /** The trust list: the key of this issuer with this kid, or null when it is not trusted. */
  resolveIssuerKey: (iss: string, kid: string | undefined, header: Record<string, unknown>) => PublicKey | null | Promise<PublicKey | null>;
  /** How old a key-binding JWT may be (seconds); 300 by default. */
  maxKbAgeSeconds?: number;
  /** Tolerance on every date (seconds); 60 by default. */
  clockSkewSeconds?: number;
  /** Seconds since the epoch; the current time by default. */
  now?: number;
  /** Asked when the credential carries `status.status_list`; throwing counts as 'unknown'. */
  checkStatus?: (status: StatusReference) => Promise<CredentialStatusCheck>;
  /** The credential type(s) this verifier accepts. */
  expectedVct?: string | string[];
} & (
  | { requireKeyBinding: true; expectedNonce: string; expectedAud: string }
  /** Without required binding, a KB-JWT that is present is still checked (and nonce/aud if given). */
  | { requireKeyBinding: false; expectedNonce?: string; expectedAud?: string }
);

export type VerifySdJwtSuccess = {
  ok: true;
  issuer: string;
  kid: string | undefined;
  vct: string;
  /** Always-visible claims plus the disclosed ones, without `_sd`/`_sd_alg`. */
  claims: Record<string, unknown>;
  /** Paths of the claims revealed by disclosures (`given_name`, `address.locality`, `list.1`). */
  disclosed: string[];
  header: Record<string, unknown>;
  /** The issuer-signed payload as signed (with digests). */
  payload: Record<string, unknown>;
  keyBinding: KeyBinding | null;
  /** `no_status`: the credential has no status reference; `not_checked`: no checkStatus given. */
  status: 'valid' | 'no_status' | 'not_checked';
};
export type VerifySdJwtFailure = { ok: false; reason: VerifyFailureReason; detail: string };
export type VerifySdJwtResult = VerifySdJwtSuccess | VerifySdJwtFailure;

export async function verifySdJwtPresentation(presentation: string, options: VerifySdJwtOptions): Promise<VerifySdJwtResult> {
  try {
    return await verify(presentation, options);
  } catch (error) {
    // Only a bug of ours (or of an injected callback) lands here; still an answer, not a crash.
    return fail('malformed', `verification failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function fail(reason: VerifyFailureReason, detail: string): VerifySdJwtFailure {
  return { ok: false, reason, detail };
}

async function verify(presentation: string, options: VerifySdJwtOptions): Promise<VerifySdJwtResult> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockSkewSeconds ?? 60;

  const split = splitSdJwt(presentation);
  if (!split) return fail('malformed', 'not an SD-JWT presentation (<JWS>~<disclosures>~<KB-JWT>)');
  const jwt = decodeJwtParts(split.jws);
  if (!jwt) return fail('malformed', 'the issuer-signed JWT header or payload is not a JSON object');
  const { header, payload: unverifiedPayload } = jwt;
  if (!isAllowedAlg(header.alg)) return fail('alg_not_allowed', `signed with ${String(header.alg)}; accepted: ${ALLOWED_ALGS.join(', ')}`);
  const iss = unverifiedPayload.iss;
  if (typeof iss !== 'string' || iss === '') return fail('malformed', 'no issuer (iss)');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (header.kid !== undefined && kid === undefined) return fail('malformed', 'kid is not a string');

  let issuerKey: PublicKey | null;
  try {
    issuerKey = await options.resolveIssuerKey(iss, kid, header);
  } catch (error) {
    return fail('untrusted_issuer', `the trust list could not resolve ${iss}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!issuerKey) return fail('untrusted_issuer', `no trusted key for ${iss}${kid ? ` (kid ${kid})` : ''}`);

  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(split.jws, issuerKey, { algorithms: [header.alg] });
    const parsed: unknown = JSON.parse(new TextDecoder().decode(verified.payload));
    if (!isPlainObject(parsed)) return fail('malformed', 'the payload is not a JSON object');
    payload = parsed;
  } catch {
    return fail('bad_signature', `the signature does not match the key of ${iss}`);
  }

  if (header.typ !== SD_JWT_VC_TYP) return fail('wrong_typ', `typ is ${String(header.typ)}, not ${SD_JWT_VC_TYP}`);
  const vct = payload.vct;
  if (typeof vct !== 'string') return fail('wrong_vct', 'the credential has no type (vct)');
  const expectedVct = options.expectedVct === undefined ? undefined : [options.expectedVct].flat();
  if (expectedVct && !expectedVct.includes(vct)) return fail('wrong_vct', `type ${vct} is not accepted here`);
  const sdAlg = payload._sd_alg ?? 'sha-256';
  if (sdAlg !== 'sha-256') return fail('malformed', `digest algorithm ${String(sdAlg)} is not supported`);

  const parsed = await parseDisclosures(split.disclosures);
  if (!parsed.ok) return parsed;
  const processed = processDisclosures(payload, parsed.disclosures);
  if (!processed.ok) return processed;

  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return fail('malformed', `${claim} is not a number`);
  }
  const { exp, nbf, iat } = payload as { exp?: number; nbf?: number; iat?: number };
  if (exp !== undefined && now > exp + skew) return fail('expired', `expired at ${new Date(exp * 1000).toISOString()}`);
  if (nbf !== undefined && now < nbf - skew) return fail('not_yet_valid', `valid from ${new Date(nbf * 1000).toISOString()}`);
  if (iat !== undefined && now < iat - skew) return fail('not_yet_valid', `issued in the future (${new Date(iat * 1000).toISOString()})`);

  let keyBinding: KeyBinding | null = null;
  if (split.kbJwt === null) {
    if (options.requireKeyBinding) return fail('key_binding_required', 'the presentation has no key-binding JWT');
  } else {
    const kb = await verifyKeyBinding({
      kbJwt: split.kbJwt,
      sdJwtWithoutKb: split.sdJwtWithoutKb,
      cnf: payload.cnf,
      expectedNonce: options.expectedNonce,
      expectedAud: options.expectedAud,
      now,
      maxKbAgeSeconds: options.maxKbAgeSeconds ?? 300,
      clockSkewSeconds: skew,
    });
    if (!kb.ok) return kb;
    keyBinding = kb.keyBinding;
  }

  const statusClaim = payload.status;
  let status: VerifySdJwtSuccess['status'] = 'no_status';
  if (statusClaim !== undefined) {
    const reference = asStatusReference(statusClaim);
    if (!reference) return fail('malformed', 'status is not { status_list: { idx, uri } }');
    if (!options.checkStatus) {
      status = 'not_checked';
    } else {
      let answer: CredentialStatusCheck;
      try {
        answer = await options.checkStatus(reference);
      } catch (error) {
        return fail('status_unavailable', `status list unavailable: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (answer === 'revoked') return fail('revoked', 'the issuer has revoked this credential');
      if (answer !== 'valid') return fail('status_unavailable', 'the status of this credential is unknown');
      status = 'valid';
    }
  }

  const disclosed = [...processed.disclosurePaths.values()].map((p) => p.join('.'));
  return { ok: true, issuer: iss, kid, vct, claims: processed.claims, disclosed, header, payload, keyBinding, status };
}

function asStatusReference(value: unknown): StatusReference | null {
  if (!isPlainObject(value) || !isPlainObject(value.status_list)) return null;
  const { idx, uri } = value.status_list;
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0 || typeof uri !== 'string' || uri === '') return null;
  return { status_list: { idx, uri } };
}
