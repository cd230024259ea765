/**
 * Splitting and decoding the compact serialisation `<JWS>~<disclosure>~…~[<KB-JWT>]`, without
 * verifying anything: for display (the holder's wallet, the verifier page's "what was sent").
 */
import { type Disclosure, isParseError, parseDisclosure } from './disclosures.ts';
import { decodeBase64urlText, isPlainObject } from './encoding.ts';
import { processDisclosures } from './process.ts';
import type { VerifyFailureReason } from './types.ts';

export type SplitSdJwt = {
  jws: string;
  disclosures: string[];
  kbJwt: string | null;
  /** Everything up to and including the last `~`: the input of the KB-JWT's sd_hash. */
  sdJwtWithoutKb: string;
};

// The signature may be empty here so that an unsigned (`alg: none`) token is refused for its
// algorithm, by name, rather than as mere garbage.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Far above any credential of ours; a bound keeps a hostile paste from costing much. */
export const MAX_SD_JWT_LENGTH = 200_000;

export function splitSdJwt(text: string): SplitSdJwt | null {
  if (typeof text !== 'string' || text.length > MAX_SD_JWT_LENGTH) return null;
  const compact = text.trim();
  const parts = compact.split('~');
  if (parts.length < 2) return null;
  const jws = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const disclosures = parts.slice(1, -1);
  if (!COMPACT_JWS.test(jws) || disclosures.some((d) => d === '')) return null;
  if (last !== '' && !COMPACT_JWS.test(last)) return null;
  const kbJwt = last === '' ? null : last;
  return { jws, disclosures, kbJwt, sdJwtWithoutKb: compact.slice(0, compact.length - last.length) };
}

export type DecodedJwt = { header: Record<string, unknown>; payload: Record<string, unknown> };

export function decodeJwtParts(jws: string): DecodedJwt | null {
  const [h, p] = jws.split('.');
  const header = parseJsonObject(decodeBase64urlText(h ?? ''));
  const payload = parseJsonObject(decodeBase64urlText(p ?? ''));
  return header && payload ? { header, payload } : null;
}

function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : null;
  } catch {
    return null;
  }
}

export async function parseDisclosures(encoded: string[]): Promise<{ ok: true; disclosures: Disclosure[] } | { ok: false; reason: VerifyFailureReason; detail: string }> {
  const disclosures: Disclosure[] = [];
  for (const e of encoded) {
    const parsed = await parseDisclosure(e);
    if (isParseError(parsed)) return { ok: false, ...parsed };
    disclosures.push(parsed);
  }
  return { ok: true, disclosures };
}

export type DecodedSdJwt = {
  ok: true;
  header: Record<string, unknown>;
  /** The issuer-signed payload as is (with `_sd` digests). */
  payload: Record<string, unknown>;
  /** Each disclosure with the claim path it reveals. */
  disclosures: Array<{ encoded: string; digest: string; salt: string; name?: string; value: unknown; path: string }>;
  /** The claims with every included disclosure put back. */
  claims: Record<string, unknown>;
  kbJwt: DecodedJwt | null;
};

/** Decodes for display. Nothing here is verified: never trust what this returns. */
export async function decodeSdJwt(text: string): Promise<DecodedSdJwt | { ok: false; reason: VerifyFailureReason; detail: string }> {
  const split = splitSdJwt(text);
  if (!split) return { ok: false, reason: 'malformed', detail: 'not an SD-JWT (<JWS>~<disclosures>~[<KB-JWT>])' };
  const jwt = decodeJwtParts(split.jws);
  if (!jwt) return { ok: false, reason: 'malformed', detail: 'the JWS header or payload is not a JSON object' };
  let kbJwt: DecodedJwt | null = null;
  if (split.kbJwt) {
    kbJwt = decodeJwtParts(split.kbJwt);
    if (!kbJwt) return { ok: false, reason: 'kb_malformed', detail: 'the key-binding JWT is not decodable' };
  }
  const parsed = await parseDisclosures(split.disclosures);
  if (!parsed.ok) return parsed;
  const processed = processDisclosures(jwt.payload, parsed.disclosures);
  if (!processed.ok) return processed;
  return {
    ok: true,
    header: jwt.header,
    payload: jwt.payload,
    disclosures: parsed.disclosures.map((d) => ({
      encoded: d.encoded,
      digest: d.digest,
      salt: d.salt,
      ...(d.name === undefined ? {} : { name: d.name }),
      value: d.value,
      path: (processed.disclosurePaths.get(d) ?? []).join('.'),
    })),
    claims: processed.claims,
    kbJwt,
  };
}
