/**
 * Byte-level helpers shared by issuer, holder and verifier. Browser-safe: WebCrypto and jose only
 * (the holder runs this code in the agent's browser), never node:crypto.
 */
import { base64url } from 'jose';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function encodeBase64urlText(text: string): string {
  return base64url.encode(new TextEncoder().encode(text));
}

/** Strict: refuses padding, `+`/`/` and anything else a lenient decoder would quietly accept. */
export function decodeBase64urlText(value: string): string | null {
  if (!BASE64URL.test(value) || value.length % 4 === 1) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(value));
  } catch {
    return null;
  }
}

export function encodeBase64urlBytes(bytes: Uint8Array): string {
  return base64url.encode(bytes);
}

export function isBase64url(value: string): boolean {
  return BASE64URL.test(value);
}

/** base64url(SHA-256(US-ASCII text)): the digest of a disclosure and the KB-JWT's sd_hash. */
export async function sha256Base64url(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return base64url.encode(new Uint8Array(hash));
}

/** 128 bits from the platform's CSPRNG, as RFC 9901 §9.3 recommends. */
export function randomSalt(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return base64url.encode(bytes);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
