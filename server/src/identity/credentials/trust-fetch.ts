/**
 * Fetching another issuer's documents (metadata, JWKS, status lists): the only calls the verifier
 * makes outside. Bounded in time and size, https only (plain http only to this machine, for
 * development and tests), no redirects (a redirect could lead anywhere), no cookies.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface LimitedFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  accept?: string;
}

export class TrustFetchError extends Error {
  override readonly name = 'TrustFetchError';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * In production Entente fetches other states' metadata and status lists only over https from
 * public addresses: a trusted (or compromised) issuer must not make it send requests to the
 * machine's own services or its network (loopback, private, link-local — the cloud metadata
 * address among them). Outside production, http to localhost serves tests and local pairs.
 */
const PRODUCTION = process.env.NODE_ENV === 'production';

/** Addresses a production server never fetches from (IPv4 and IPv6 literals). */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(a) === 4) {
    const [x = 0, y = 0] = a.split('.').map(Number);
    return x === 0 || x === 10 || x === 127 || (x === 169 && y === 254) || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127) || x >= 224;
  }
  if (isIP(a) === 6) {
    if (a === '::' || a === '::1') return true;
    if (a.startsWith('::ffff:')) return isPrivateAddress(a.slice(7));
    return /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || a.startsWith('ff');
  }
  return false;
}

/** Before a production fetch: the host must resolve to public addresses only. */
async function assertPublicHost(hostname: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((r) => r.address);
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new TrustFetchError(`refused address ${hostname}: not a public address`);
}

/** https, or http to localhost outside production; no credentials in the URL. */
export function isFetchableUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return !PRODUCTION || !isPrivateAddress(url.hostname);
  return !PRODUCTION && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

export async function fetchLimited(url: string, options: LimitedFetchOptions = {}): Promise<{ text: string; contentType: string }> {
  if (!isFetchableUrl(url)) throw new TrustFetchError(`refused address ${url}: https is required (http only for localhost)`);
  if (PRODUCTION) await assertPublicHost(new URL(url).hostname);
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
