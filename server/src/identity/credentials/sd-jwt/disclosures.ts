/**
 * Disclosures (RFC 9901 §4.2): `[salt, name, value]` for an object property, `[salt, value]` for
 * an array element, base64url of the UTF-8 JSON; digest = base64url(SHA-256(the base64url text)).
 * Also the claim paths the API speaks in ("address.locality", "nationalities.0", "levels.*").
 */
import { decodeBase64urlText, encodeBase64urlText, isPlainObject, sha256Base64url } from './encoding.ts';

export type Disclosure = {
  /** The base64url text exactly as transmitted: the digest is over this, not over the JSON. */
  encoded: string;
  digest: string;
  salt: string;
  /** Absent for an array element. */
  name?: string;
  value: unknown;
};

export type DisclosureParseError = { reason: 'disclosure_malformed' | 'reserved_claim_name'; detail: string };

/** Claim names RFC 9901 §7.1 forbids in a disclosure. */
const RESERVED_NAMES = new Set(['_sd', '...']);

export async function createDisclosure(salt: string, name: string | undefined, value: unknown): Promise<Disclosure> {
  const json = JSON.stringify(name === undefined ? [salt, value] : [salt, name, value]);
  const encoded = encodeBase64urlText(json);
  return { encoded, digest: await sha256Base64url(encoded), salt, name, value };
}

export async function parseDisclosure(encoded: string): Promise<Disclosure | DisclosureParseError> {
  const json = decodeBase64urlText(encoded);
  if (json === null) return { reason: 'disclosure_malformed', detail: 'not base64url of UTF-8 text' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { reason: 'disclosure_malformed', detail: 'not JSON' };
  }
  if (!Array.isArray(parsed) || (parsed.length !== 2 && parsed.length !== 3)) {
    return { reason: 'disclosure_malformed', detail: 'not an array of 2 or 3 elements' };
  }
  const [salt] = parsed;
  if (typeof salt !== 'string') return { reason: 'disclosure_malformed', detail: 'salt is not a string' };
  const digest = await sha256Base64url(encoded);
  if (parsed.length === 2) return { encoded, digest, salt, value: parsed[1] };
  const name: unknown = parsed[1];
  if (typeof name !== 'string') return { reason: 'disclosure_malformed', detail: 'claim name is not a string' };
  if (RESERVED_NAMES.has(name)) return { reason: 'reserved_claim_name', detail: `claim name "${name}"` };
  return { encoded, digest, salt, name, value: parsed[2] };
}

export function isParseError(value: Disclosure | DisclosureParseError): value is DisclosureParseError {
  return 'reason' in value;
}

/** An array element that stands for a disclosure: exactly `{ "...": digest }`. */
export function arrayElementDigest(element: unknown): string | null {
  if (!isPlainObject(element)) return null;
  const keys = Object.keys(element);
  if (keys.length !== 1 || keys[0] !== '...') return null;
  const digest = element['...'];
  return typeof digest === 'string' ? digest : null;
}

// --- claim paths -----------------------------------------------------------------------------

/** Paths are dot-separated; a number addresses an array element; `*` matches any one segment. */
export function splitPath(path: string): string[] {
  return path.split('.');
}

export function joinPath(parent: string[], segment: string | number): string[] {
  return [...parent, String(segment)];
}

function segmentsMatch(pattern: string[], concrete: string[], length: number): boolean {
  for (let i = 0; i < length; i++) {
    if (pattern[i] !== '*' && pattern[i] !== concrete[i]) return false;
  }
  return true;
}

/** True when `concrete` is exactly one of the patterns. */
export function pathMatches(patterns: string[][], concrete: string[]): boolean {
  return patterns.some((p) => p.length === concrete.length && segmentsMatch(p, concrete, p.length));
}

/**
 * True when a disclosure at `concrete` must be kept to reveal one of the patterns: it is the
 * claim itself, one of its ancestors (revealing `address.locality` needs `address`), or inside it
 * (revealing `address` reveals all of it).
 */
export function pathRelated(patterns: string[][], concrete: string[]): boolean {
  return patterns.some((p) => segmentsMatch(p, concrete, Math.min(p.length, concrete.length)));
}
