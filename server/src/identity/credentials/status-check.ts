/**
 * Revocation status of a credential (draft-ietf-oauth-status-list): its `status.status_list`
 * names a Status List Token and an index. The token is fetched (Entente's own lists in-process,
 * others over HTTP, bounded), verified against the keys the trust list gives for the credential's
 * own issuer, and cached until its `ttl` runs out (or its `exp`, whichever comes first): a second
 * check within the TTL does not fetch again, one after it does. Failures are not cached.
 */
import { getStatus, type PublicKey, type StatusList, type StatusReference, STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID, verifyStatusListToken } from './sd-jwt/index.ts';
import { fetchLimited } from './trust-fetch.ts';

export type StatusAnswer = 'valid' | 'revoked' | 'unknown';

/** Without a ttl nor an exp, a list is kept this long; whatever it says, never longer than a day. */
export const DEFAULT_STATUS_CACHE_SECONDS = 300;
export const MAX_STATUS_CACHE_SECONDS = 86_400;
const STATUS_LIST_MAX_BYTES = 1024 * 1024;

export interface StatusCheckerDeps {
  /** The trust list: the key of this issuer with this kid. */
  resolveIssuerKey: (iss: string, kid: string | undefined) => Promise<PublicKey | null>;
  /** Entente's own lists, read without HTTP; null when the URI is not one of ours. */
  localStatusListToken?: (uri: string) => Promise<string | null>;
  /** Milliseconds; tests move the clock. */
  now?: () => number;
  /** How a token is fetched over HTTP (tests count the fetches through it). */
  fetchToken?: (uri: string) => Promise<string>;
}

export interface StatusChecker {
  check(issuer: string, reference: StatusReference): Promise<StatusAnswer>;
}

interface Cached {
  list: StatusList;
  until: number;
}

/** Status lists kept at most (others are fetched again when needed). */
export const MAX_CACHED_LISTS = 256;

export function createStatusChecker(deps: StatusCheckerDeps): StatusChecker {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<Cached | null>>();
  const fetchToken =
    deps.fetchToken ??
    (async (uri: string) => (await fetchLimited(uri, { accept: 'application/statuslist+jwt', maxBytes: STATUS_LIST_MAX_BYTES, timeoutMs: 5000 })).text);

  /**
   * Bounded: a trusted issuer minting credentials with ever new status URIs must not grow memory
   * without end (each list may hold up to 1 MiB). Expired entries go first, then the oldest.
   */
  function remember(key: string, entry: Cached): void {
    if (cache.size >= MAX_CACHED_LISTS) {
      const at = now();
      for (const [k, v] of cache) if (v.until <= at) cache.delete(k);
      while (cache.size >= MAX_CACHED_LISTS) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
    }
    cache.set(key, entry);
  }

  async function load(issuer: string, uri: string): Promise<Cached | null> {
    const local = (await deps.localStatusListToken?.(uri)) ?? null;
    const token = local ?? (await fetchToken(uri));
    const fetchedAt = now();
    const verified = await verifyStatusListToken(token.trim(), {
      expectedUri: uri,
      now: Math.floor(fetchedAt / 1000),
      // The list must be signed by the credential's own issuer, with a key the trust list gives.
      resolveKey: (header, payload) => {
        if (payload.iss !== undefined && payload.iss !== issuer) return null;
        return deps.resolveIssuerKey(issuer, typeof header.kid === 'string' ? header.kid : undefined);
      },
    });
    if (!verified.ok) return null;
    const ttl = Math.min(verified.ttl ?? DEFAULT_STATUS_CACHE_SECONDS, MAX_STATUS_CACHE_SECONDS);
    let until = fetchedAt + ttl * 1000;
    if (verified.exp !== undefined) until = Math.min(until, verified.exp * 1000);
    // Our own lists are read in-process from a cache the issuer side clears at each revocation:
    // keeping another copy here would only delay a revocation.
    if (local !== null) until = fetchedAt;
    return { list: verified.list, until };
  }

  return {
    async check(issuer, reference) {
      const { uri, idx } = reference.status_list;
      const key = `${issuer}\n${uri}`;
      let entry = cache.get(key);
      if (!entry || now() >= entry.until) {
        cache.delete(key);
        let pending = inFlight.get(key);
        if (!pending) {
          pending = load(issuer, uri).catch(() => null);
          inFlight.set(key, pending);
          void pending.finally(() => inFlight.delete(key));
        }
        const loaded = await pending;
        if (!loaded) return 'unknown';
        if (loaded.until > now()) remember(key, loaded);
        entry = loaded;
      }
      let value: number;
      try {
        value = getStatus(entry.list, idx);
      } catch {
        return 'unknown'; // an index outside the list
      }
      if (value === STATUS_VALID) return 'valid';
      // Suspended is not valid either, for now: the verifier refuses it like a revocation.
      if (value === STATUS_INVALID || value === STATUS_SUSPENDED) return 'revoked';
      return 'unknown';
    },
  };
}
