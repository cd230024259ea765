/**
 * An issuer's published keys, per SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §5): its metadata is at
 * `/.well-known/jwt-vc-issuer` inserted between the host and the issuer's path, `{ issuer, jwks }`
 * or `{ issuer, jwks_uri }`. Only public signing keys of the algorithms we accept are kept.
 */
import { fetchJson, isFetchableUrl, TrustFetchError } from './trust-fetch.ts';
import type { StoredJwks } from './trust.tables.ts';

export const MAX_KEYS = 20;
const METADATA_MAX_BYTES = 64 * 1024;

export class JwksError extends Error {
  override readonly name = 'JwksError';
}

/** `https://h/issuers/fr` → `https://h/.well-known/jwt-vc-issuer/issuers/fr`. */
export function wellKnownMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/jwt-vc-issuer${path}`;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'] as const;
const CURVES: Record<string, string[]> = { EC: ['P-256', 'P-384'], OKP: ['Ed25519'] };

/** The JWKS reduced to public signing keys we can use; throws JwksError when none is usable. */
export function validateJwks(value: unknown): StoredJwks {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) throw new JwksError('not a JWKS ({ "keys": [...] })');
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0) throw new JwksError('the JWKS holds no key');
  if (keys.length > MAX_KEYS) throw new JwksError(`the JWKS holds more than ${MAX_KEYS} keys`);
  const kept: Record<string, unknown>[] = [];
  for (const key of keys) {
    if (typeof key !== 'object' || key === null) throw new JwksError('a key is not an object');
    const jwk = key as Record<string, unknown>;
    // A private key published or pasted by mistake is refused outright rather than trimmed.
    if ('d' in jwk || 'k' in jwk || 'p' in jwk) throw new JwksError('the JWKS holds private or secret key material');
    if (typeof jwk.kty !== 'string' || !CURVES[jwk.kty]?.includes(String(jwk.crv))) continue;
    if (typeof jwk.x !== 'string' || (jwk.kty === 'EC' && typeof jwk.y !== 'string')) throw new JwksError('a key lacks its coordinates');
    if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || jwk.kid.length > 200)) throw new JwksError('a kid is not a short string');
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const clean: Record<string, unknown> = {};
    for (const member of PUBLIC_MEMBERS) if (jwk[member] !== undefined) clean[member] = jwk[member];
    kept.push(clean);
  }
  if (kept.length === 0) throw new JwksError('no usable signing key (EC P-256/P-384 or Ed25519)');
  return { keys: kept };
}

/** Fetches the metadata and its keys; the document must name the expected issuer. */
export async function fetchIssuerJwks(metadataUrl: string, expectedIssuer: string): Promise<StoredJwks> {
  const metadata = await fetchJson(metadataUrl, { maxBytes: METADATA_MAX_BYTES });
  if (typeof metadata !== 'object' || metadata === null) throw new TrustFetchError('the issuer metadata is not a JSON object');
  const { issuer, jwks, jwks_uri: jwksUri } = metadata as Record<string, unknown>;
  if (issuer !== expectedIssuer) throw new JwksError(`the metadata names the issuer ${String(issuer)}, not ${expectedIssuer}`);
  if (jwks !== undefined) return validateJwks(jwks);
  if (typeof jwksUri !== 'string' || !isFetchableUrl(jwksUri)) throw new JwksError('the metadata has neither jwks nor a usable jwks_uri');
  return validateJwks(await fetchJson(jwksUri, { maxBytes: METADATA_MAX_BYTES }));
}

/** The key a credential names: by kid, or the only key when it names none. */
export function pickKey(jwks: StoredJwks, kid: string | undefined): Record<string, unknown> | null {
  if (kid === undefined) return jwks.keys.length === 1 ? (jwks.keys[0] ?? null) : null;
  return jwks.keys.find((k) => k.kid === kid) ?? null;
}
