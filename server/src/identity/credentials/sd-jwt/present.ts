/**
 * Holder side: keeps only the disclosures the holder picks and appends a key-binding JWT.
 * Runs in the browser too: jose and WebCrypto only, nothing from node:.
 */
import { CompactSign } from 'jose';
import { parseDisclosures, splitSdJwt, decodeJwtParts } from './decode.ts';
import { pathRelated, splitPath } from './disclosures.ts';
import { sha256Base64url } from './encoding.ts';
import { processDisclosures } from './process.ts';
import { type AllowedAlg, isAllowedAlg, KB_JWT_TYP, type PrivateKey } from './types.ts';

export type PresentSdJwtOptions = {
  /**
   * Claim paths to reveal. Revealing a path reveals what it needs above it (`address.locality`
   * brings `address`) and everything below it (`address` brings all its sub-claims).
   */
  disclose: string[];
} & (
  | { holderKey: { key: PrivateKey; alg: AllowedAlg }; nonce: string; aud: string; iat?: number }
  | { holderKey?: undefined; nonce?: undefined; aud?: undefined; iat?: undefined }
);

export class SdJwtPresentError extends Error {
  override readonly name = 'SdJwtPresentError';
}

/** Returns `<issuer-signed JWT>~<kept disclosures>~[<KB-JWT>]`. */
export async function presentSdJwt(sdJwt: string, options: PresentSdJwtOptions): Promise<string> {
  const split = splitSdJwt(sdJwt);
  if (!split) throw new SdJwtPresentError('not an SD-JWT');
  if (split.kbJwt) throw new SdJwtPresentError('this is already a presentation (it ends with a key-binding JWT)');
  const jwt = decodeJwtParts(split.jws);
  if (!jwt) throw new SdJwtPresentError('the issuer-signed JWT is not decodable');
  const parsed = await parseDisclosures(split.disclosures);
  if (!parsed.ok) throw new SdJwtPresentError(`${parsed.reason}: ${parsed.detail}`);
  // The holder checks the credential as RFC 9901 §7.2 asks: every disclosure is referenced.
  const processed = processDisclosures(jwt.payload, parsed.disclosures);
  if (!processed.ok) throw new SdJwtPresentError(`${processed.reason}: ${processed.detail}`);

  const patterns = options.disclose.map(splitPath);
  for (const [i, pattern] of patterns.entries()) {
    if (!processed.allPaths.some((path) => pathRelated([pattern], path))) {
      throw new SdJwtPresentError(`the credential has no claim "${options.disclose[i]}"`);
    }
  }
  const kept = parsed.disclosures.filter((d) => {
    const path = processed.disclosurePaths.get(d);
    return path !== undefined && pathRelated(patterns, path);
  });
  const withoutKb = [split.jws, ...kept.map((d) => d.encoded), ''].join('~');
  if (!options.holderKey) return withoutKb;

  if (!isAllowedAlg(options.holderKey.alg)) throw new SdJwtPresentError(`algorithm ${String(options.holderKey.alg)} is not allowed`);
  const kbPayload = {
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    aud: options.aud,
    nonce: options.nonce,
    sd_hash: await sha256Base64url(withoutKb),
  };
  const kbJwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(kbPayload)))
    .setProtectedHeader({ alg: options.holderKey.alg, typ: KB_JWT_TYP })
    .sign(options.holderKey.key);
  return withoutKb + kbJwt;
}
