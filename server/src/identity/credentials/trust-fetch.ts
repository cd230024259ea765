/**
 * Fetching another issuer's documents (metadata, JWKS, status lists): the only calls the verifier
 * makes outside. Bounded in time and size, https only (plain http only to this machine, for
 * development and tests), no redirects (a redirect could lead anywhere), no cookies.
 */
export interface LimitedFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  accept?: string;
}

export class TrustFetchError extends Error {
  override readonly name = 'TrustFetchError';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** https, or http to localhost; no credentials in the URL. */
export function isFetchableUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

export async function fetchLimited(url: string, options: LimitedFetchOptions = {}): Promise<{ text: string; contentType: string }> {
  if (!isFetchableUrl(url)) throw new TrustFetchError(`refused address ${url}: https is required (http only for localhost)`);
  const maxBytes = options.maxBytes ?? 256 * 1024;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: options.accept ?? 'application/json' },
      redirect: 'error',
      credentials: 'omit',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    throw new TrustFetchError(`${url} did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new TrustFetchError(`${url} answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new TrustFetchError(`${url} is larger than ${maxBytes} bytes`);
  }
  // Read at most maxBytes, whatever the header said (it may lie or be absent).
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new TrustFetchError(`${url} is larger than ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    await reader?.cancel().catch(() => {});
    if (error instanceof TrustFetchError) throw error;
    throw new TrustFetchError(`${url} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), contentType: response.headers.get('content-type') ?? '' };
}

export async function fetchJson(url: string, options: LimitedFetchOptions = {}): Promise<unknown> {
  const { text } = await fetchLimited(url, options);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TrustFetchError(`${url} is not JSON`);
  }
}
