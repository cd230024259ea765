/**
 * Reading a verifier's request as the holder pastes or scans it. The verifier page shows the
 * server's `request` text; we accept it as JSON (`{ nonce, aud | audience, … }`), as a URL or query
 * string carrying `nonce` and `aud`/`audience`/`client_id` (OpenID4VP-style), so that another
 * state's verifier can be answered too.
 */
export interface ParsedRequest {
  nonce: string;
  audience: string;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

function fromObject(value: Record<string, unknown>): ParsedRequest | null {
  const nonce = str(value.nonce);
  const audience = str(value.aud) ?? str(value.audience) ?? str(value.client_id) ?? str(value.response_uri);
  if (nonce && audience) return { nonce, audience };
  // A nested request object (e.g. `{ request: { nonce, aud } }`).
  for (const nested of Object.values(value)) {
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      const found = fromObject(nested as Record<string, unknown>);
      if (found) return found;
    }
  }
  return null;
}

function fromParams(params: URLSearchParams): ParsedRequest | null {
  return fromObject(Object.fromEntries(params));
}

export function parseVerifierRequest(text: string): ParsedRequest | null {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 20_000) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (value && typeof value === 'object' && !Array.isArray(value)) return fromObject(value as Record<string, unknown>);
  } catch {
    // not JSON
  }
  try {
    const url = new URL(trimmed);
    const found = fromParams(url.searchParams) ?? fromParams(new URLSearchParams(url.hash.slice(1)));
    if (found) return found;
  } catch {
    // not a URL
  }
  if (trimmed.includes('=')) return fromParams(new URLSearchParams(trimmed.replace(/^\?/, '')));
  return null;
}
