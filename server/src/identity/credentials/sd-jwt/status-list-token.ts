/**
 * Status List Token (draft-ietf-oauth-status-list §5): a JWT `typ: statuslist+jwt` whose `sub` is
 * the list's URI (the `uri` credentials point to), with `iat`, optional `exp` and `ttl` (how long
 * a verifier may cache it), and `status_list: { bits, lst }`.
 */
import { CompactSign, compactVerify } from 'jose';
import { decodeJwtParts } from './decode.ts';
import { isPlainObject } from './encoding.ts';
import { decodeStatusList, encodeStatusList, type StatusList, StatusListError } from './status-list.ts';
import { type AllowedAlg, isAllowedAlg, type PrivateKey, type PublicKey, STATUS_LIST_TYP } from './types.ts';

export type SignStatusListTokenInput = {
  list: StatusList;
  /** The list's URI, e.g. `${ENTENTE_PUBLIC_URL}/credentials/status/{id}`. */
  uri: string;
  /** The issuer, so that a verifier finds the key in its trust list. */
  iss?: string;
  iat: number;
  exp?: number;
  ttl?: number;
  key: { key: PrivateKey; kid: string };
  alg: AllowedAlg;
};

export async function signStatusListToken(input: SignStatusListTokenInput): Promise<string> {
  if (!isAllowedAlg(input.alg)) throw new StatusListError(`algorithm ${String(input.alg)} is not allowed`);
  const payload = {
    sub: input.uri,
    ...(input.iss === undefined ? {} : { iss: input.iss }),
    iat: input.iat,
    ...(input.exp === undefined ? {} : { exp: input.exp }),
    ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
    status_list: encodeStatusList(input.list),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: input.alg, typ: STATUS_LIST_TYP, kid: input.key.kid })
    .sign(input.key.key);
}

export type StatusListTokenFailureReason = 'malformed' | 'alg_not_allowed' | 'untrusted_issuer' | 'bad_signature' | 'wrong_typ' | 'wrong_subject' | 'expired' | 'not_yet_valid';

export type VerifyStatusListTokenOptions = {
  /** The key for this token (by `iss`/`kid` from the trust list), or null. */
  resolveKey: (header: Record<string, unknown>, payload: Record<string, unknown>) => PublicKey | null | Promise<PublicKey | null>;
  /** The `uri` of the credential's status reference: the token's `sub` must equal it. */
  expectedUri: string;
  now?: number;
  clockSkewSeconds?: number;
};

export type VerifiedStatusListToken = {
  ok: true;
  list: StatusList;
  sub: string;
  iat: number;
  exp: number | undefined;
  ttl: number | undefined;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
};

export async function verifyStatusListToken(
  token: string,
  options: VerifyStatusListTokenOptions,
): Promise<VerifiedStatusListToken | { ok: false; reason: StatusListTokenFailureReason; detail: string }> {
  const fail = (reason: StatusListTokenFailureReason, detail: string) => ({ ok: false as const, reason, detail });
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockSkewSeconds ?? 60;
  if (typeof token !== 'string' || token.length > 2_000_000) return fail('malformed', 'not a JWT');
  const decoded = decodeJwtParts(token.trim());
  if (!decoded || token.trim().split('.').length !== 3) return fail('malformed', 'not a compact JWT');
  const { header } = decoded;
  if (!isAllowedAlg(header.alg)) return fail('alg_not_allowed', `signed with ${String(header.alg)}`);
  let key: PublicKey | null;
  try {
    key = await options.resolveKey(header, decoded.payload);
  } catch {
    key = null;
  }
  if (!key) return fail('untrusted_issuer', 'no trusted key for this status list');
  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(token.trim(), key, { algorithms: [header.alg] });
    const parsed: unknown = JSON.parse(new TextDecoder().decode(verified.payload));
    if (!isPlainObject(parsed)) return fail('malformed', 'payload is not an object');
    payload = parsed;
  } catch {
    return fail('bad_signature', 'the status list signature does not verify');
  }
  if (header.typ !== STATUS_LIST_TYP) return fail('wrong_typ', `typ is ${String(header.typ)}, not ${STATUS_LIST_TYP}`);
  const { sub, iat, exp, ttl } = payload;
  if (sub !== options.expectedUri) return fail('wrong_subject', `sub ${String(sub)} is not ${options.expectedUri}`);
  if (typeof iat !== 'number') return fail('malformed', 'iat is missing');
  if ((exp !== undefined && typeof exp !== 'number') || (ttl !== undefined && (typeof ttl !== 'number' || ttl < 0))) return fail('malformed', 'exp or ttl is not a number');
  if (typeof exp === 'number' && now > exp + skew) return fail('expired', 'the status list has expired');
  if (iat > now + skew) return fail('not_yet_valid', 'the status list is dated in the future');
  if (!isPlainObject(payload.status_list)) return fail('malformed', 'status_list is missing');
  let list: StatusList;
  try {
    list = decodeStatusList({ bits: payload.status_list.bits, lst: payload.status_list.lst });
  } catch (error) {
    return fail('malformed', error instanceof Error ? error.message : String(error));
  }
  return { ok: true, list, sub, iat, exp: exp as number | undefined, ttl: ttl as number | undefined, header, payload };
}
