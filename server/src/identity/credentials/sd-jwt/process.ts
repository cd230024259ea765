/**
 * Rebuilds the claims of an SD-JWT from its issuer-signed payload and a set of disclosures,
 * enforcing every rejection rule of RFC 9901 §7.1. Used by the verifier (on what was presented),
 * by the holder (to know which disclosure reveals which claim) and by `decodeSdJwt` (display).
 */
import { arrayElementDigest, type Disclosure, joinPath } from './disclosures.ts';
import { isPlainObject } from './encoding.ts';
import type { VerifyFailureReason } from './types.ts';

export type ProcessFailure = { ok: false; reason: VerifyFailureReason; detail: string };
export type ProcessSuccess = {
  ok: true;
  /** The payload with disclosed claims put back, without `_sd`, `_sd_alg` and `...` entries. */
  claims: Record<string, unknown>;
  /** Path of each disclosure that was used (dot-separated, original array indexes). */
  disclosurePaths: Map<Disclosure, string[]>;
  /** Every claim path seen, plaintext or disclosed, for the holder's validation of its choice. */
  allPaths: string[][];
};

/** Claims SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3.2.2.2) forbids to disclose selectively. */
export const NEVER_DISCLOSABLE = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status']);

const MAX_DEPTH = 32;

/** `out[key] = value` would treat a claim named `__proto__` as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class Failure extends Error {
  readonly reason: VerifyFailureReason;
  constructor(reason: VerifyFailureReason, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

export function processDisclosures(payload: Record<string, unknown>, disclosures: Disclosure[]): ProcessSuccess | ProcessFailure {
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) return { ok: false, reason: 'duplicate_disclosure', detail: 'the same disclosure is presented twice' };
    byDigest.set(d.digest, d);
  }
  const seenDigests = new Set<string>();
  const disclosurePaths = new Map<Disclosure, string[]>();
  const allPaths: string[][] = [];

  const claimDigest = (digest: string, path: string[]): Disclosure | undefined => {
    if (seenDigests.has(digest)) throw new Failure('malformed', `digest referenced twice in the payload (at ${path.join('.') || 'top level'})`);
    seenDigests.add(digest);
    const disclosure = byDigest.get(digest);
    if (disclosure) disclosurePaths.set(disclosure, path);
    return disclosure;
  };

  const walk = (value: unknown, path: string[]): unknown => {
    if (path.length > MAX_DEPTH) throw new Failure('malformed', 'claims nested too deeply');
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((element, index) => {
        const childPath = joinPath(path, index);
        const digest = arrayElementDigest(element);
        if (digest === null) {
          allPaths.push(childPath);
          out.push(walk(element, childPath));
          return;
        }
        const disclosure = claimDigest(digest, childPath);
        if (!disclosure) return; // withheld by the holder, or a decoy
        if (disclosure.name !== undefined) throw new Failure('disclosure_malformed', `an object-property disclosure is referenced from the array at ${path.join('.')}`);
        allPaths.push(childPath);
        out.push(walk(disclosure.value, childPath));
      });
      return out;
    }
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === '_sd' || (key === '_sd_alg' && path.length === 0)) continue;
      const childPath = joinPath(path, key);
      allPaths.push(childPath);
      setOwn(out, key, walk(child, childPath));
    }
    const sd = value._sd;
    if (sd === undefined) return out;
    if (!Array.isArray(sd) || !sd.every((d) => typeof d === 'string')) throw new Failure('malformed', `_sd at ${path.join('.') || 'top level'} is not an array of strings`);
    for (const digest of sd as string[]) {
      const disclosure = claimDigest(digest, path);
      if (!disclosure) continue;
      const name = disclosure.name;
      if (name === undefined) throw new Failure('disclosure_malformed', `an array-element disclosure is referenced from _sd at ${path.join('.') || 'top level'}`);
      if (path.length === 0 && NEVER_DISCLOSABLE.has(name)) throw new Failure('reserved_claim_name', `"${name}" must not be selectively disclosable`);
      if (Object.hasOwn(out, name)) throw new Failure('claim_collision', `claim "${[...path, name].join('.')}" appears twice`);
      const childPath = joinPath(path, name);
      disclosurePaths.set(disclosure, childPath);
      allPaths.push(childPath);
      setOwn(out, name, walk(disclosure.value, childPath));
    }
    return out;
  };

  try {
    const claims = walk(payload, []) as Record<string, unknown>;
    for (const d of disclosures) {
      if (!seenDigests.has(d.digest)) {
        return { ok: false, reason: 'disclosure_not_referenced', detail: 'a disclosure matches no digest of this credential (altered, or from another credential)' };
      }
    }
    return { ok: true, claims, disclosurePaths, allPaths };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, reason: error.reason, detail: error.message };
    throw error;
  }
}
