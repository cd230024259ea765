/**
 * Issuer side: builds an SD-JWT VC (RFC 9901 + draft-ietf-oauth-sd-jwt-vc) with jose.
 * Mistakes in the request (a claim neither disclosable nor always visible, a reserved name, a
 * private key in `cnf`) throw `SdJwtIssueError`: they are programming errors, not user input.
 */
import { CompactSign, type JWK } from 'jose';
import { createDisclosure, type Disclosure, joinPath, pathMatches, splitPath } from './disclosures.ts';
import { isPlainObject, randomSalt, sha256Base64url } from './encoding.ts';
import { NEVER_DISCLOSABLE } from './process.ts';
import { type AllowedAlg, isAllowedAlg, type PrivateKey, SD_JWT_VC_TYP, type StatusReference } from './types.ts';

export type IssueSdJwtInput = {
  /** The subject's claims, without the registered ones below (they are their own options). */
  claims: Record<string, unknown>;
  /** Paths the holder may withhold: `name`, `parent.child`, `list.0`, `list.*` (each element). */
  disclosable: string[];
  /** Top-level claims always visible. Each top-level claim is in exactly one of the two lists. */
  always: string[];
  issuerKey: { key: PrivateKey; kid: string };
  alg: AllowedAlg;
  typ?: typeof SD_JWT_VC_TYP;
  vct: string;
  iss: string;
  /** Seconds since the epoch, like nbf and exp. */
  iat: number;
  nbf?: number;
  exp?: number;
  /** The holder's public key, for key binding. */
  cnf?: { jwk: JWK };
  status?: StatusReference;
  /** Decoy digests added to the top-level `_sd` so its length does not tell the claim count. */
  decoys?: number;
  /** For test vectors only; by default 128 random bits per disclosure. */
  salt?: () => string;
};

export class SdJwtIssueError extends Error {
  override readonly name = 'SdJwtIssueError';
}

/** Names a claim may not use anywhere: they carry the SD-JWT's own structure. */
const STRUCTURAL_NAMES = new Set(['_sd', '_sd_alg', '...']);
/** Registered claims set through their own options, never through `claims`. */
const REGISTERED = new Set([...NEVER_DISCLOSABLE, 'iat']);

/** Returns `<issuer-signed JWT>~<disclosure>~…~`. */
export async function issueSdJwt(input: IssueSdJwtInput): Promise<string> {
  if (!isAllowedAlg(input.alg)) throw new SdJwtIssueError(`algorithm ${String(input.alg)} is not allowed`);
  if (!isPlainObject(input.claims)) throw new SdJwtIssueError('claims must be an object');
  if (input.cnf && (!isPlainObject(input.cnf.jwk) || 'd' in input.cnf.jwk)) throw new SdJwtIssueError('cnf.jwk must be a public JWK');
  for (const key of Object.keys(input.claims)) {
    if (REGISTERED.has(key)) throw new SdJwtIssueError(`"${key}" is set through its own option, not in claims`);
  }
  assertNoStructuralNames(input.claims, []);

  const patterns = input.disclosable.map(splitPath);
  const always = new Set(input.always);
  for (const key of Object.keys(input.claims)) {
    const disclosable = pathMatches(patterns, [key]);
    if (disclosable && always.has(key)) throw new SdJwtIssueError(`claim "${key}" is both disclosable and always visible`);
    if (!disclosable && !always.has(key)) throw new SdJwtIssueError(`claim "${key}" is neither disclosable nor always visible`);
  }
  for (const name of always) {
    if (!Object.hasOwn(input.claims, name)) throw new SdJwtIssueError(`always-visible claim "${name}" is absent`);
  }

  const salt = input.salt ?? randomSalt;
  const disclosures: Disclosure[] = [];
  const used = new Set<string>();

  const pack = async (value: unknown, path: string[]): Promise<unknown> => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [index, element] of value.entries()) {
        const childPath = joinPath(path, index);
        const packed = await pack(element, childPath);
        if (pathMatches(patterns, childPath)) {
          const disclosure = await createDisclosure(salt(), undefined, packed);
          disclosures.push(disclosure);
          markUsed(childPath);
          out.push({ '...': disclosure.digest });
        } else {
          out.push(packed);
        }
      }
      return out;
    }
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    const digests: string[] = [];
    for (const [key, child] of Object.entries(value)) {
      const childPath = joinPath(path, key);
      const packed = await pack(child, childPath);
      if (pathMatches(patterns, childPath)) {
        const disclosure = await createDisclosure(salt(), key, packed);
        disclosures.push(disclosure);
        markUsed(childPath);
        digests.push(disclosure.digest);
      } else {
        Object.defineProperty(out, key, { value: packed, enumerable: true, writable: true, configurable: true });
      }
    }
    if (path.length === 0) {
      for (let i = 0; i < (input.decoys ?? 0); i++) digests.push(await sha256Base64url(randomSalt()));
    }
    // Sorted, so the order of the digests says nothing about the order of the claims.
    if (digests.length > 0) out._sd = digests.sort();
    return out;
  };
  const markUsed = (path: string[]) => {
    for (const p of input.disclosable) if (pathMatches([splitPath(p)], path)) used.add(p);
  };

  const packed = (await pack(input.claims, [])) as Record<string, unknown>;
  const unused = input.disclosable.filter((p) => !used.has(p));
  if (unused.length > 0) throw new SdJwtIssueError(`disclosable path(s) match no claim: ${unused.join(', ')}`);

  const payload: Record<string, unknown> = {
    iss: input.iss,
    iat: input.iat,
    ...(input.nbf === undefined ? {} : { nbf: input.nbf }),
    ...(input.exp === undefined ? {} : { exp: input.exp }),
    vct: input.vct,
    ...(input.cnf ? { cnf: { jwk: input.cnf.jwk } } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...packed,
    _sd_alg: 'sha-256',
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: input.alg, typ: input.typ ?? SD_JWT_VC_TYP, kid: input.issuerKey.kid })
    .sign(input.issuerKey.key);
  return [jws, ...disclosures.map((d) => d.encoded), ''].join('~');
}

function assertNoStructuralNames(value: unknown, path: string[]): void {
  if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) assertNoStructuralNames(element, [...path, String(index)]);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (STRUCTURAL_NAMES.has(key)) throw new SdJwtIssueError(`claim name "${key}" is reserved (at ${[...path, key].join('.')})`);
    assertNoStructuralNames(child, [...path, key]);
  }
}
