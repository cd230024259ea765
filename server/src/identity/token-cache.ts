import { createHash } from 'node:crypto';
import type { EventBus } from '../platform/events/index.ts';
import { onAccountsChanged } from './provider/account-cache.ts';
import type { TokenIdentity } from './tokens.ts';

/**
 * Bearer tokens of AI gateway requests (`/ai/`), resolved a few seconds per node.
 *
 * A streamed chat completion's first token waits for the token's resolution (one control-plane
 * query); an agent's tool calls the gateway again and again with the same key. Kept here, keyed
 * by the token's SHA-256 (never the token), the identity costs that query once per `ttlMs`, and
 * a key in steady use is read again in the background before its entry ends (no request waits),
 * together with the other keys due then (one query for all, every TOKEN_REFRESH_BATCH_MS).
 * Only the AI gateway's paths use it: the REST API reads the token (and the grants it acts with)
 * from the database on every request.
 *
 * What makes it safe: revoking a token (`DELETE /api/me/tokens/:id`) and cutting an agent's
 * access (left the organisation, disabled: every token revoked) call `tokensRevoked`, which
 * forgets the tokens on this node before it returns and on the other nodes through the event bus
 * (TOKENS_REVOKED_TOPIC); an account change (`accountsChanged`: membership gone, disabled) forgets
 * the agent's tokens likewise. A revoked key stops working at once on the node that revoked it,
 * and on the others when the event arrives; the TTL bounds the window only when an event is lost
 * (the bus is best effort). Unknown, expired or revoked tokens are never cached: they are refused
 * from the database each time, and guessing tokens cannot fill the cache.
 */
export const TOKENS_REVOKED_TOPIC = 'identity.tokens.revoked';
/** How long a node may keep a token's identity (a lost revocation event is bounded by this). */
export const TOKEN_CACHE_MS = 5_000;
export const TOKEN_CACHE_ENTRIES = 10_000;

type Revoked = { tokenIds: string[]; principalIds: string[] };
type Listener = (revoked: Revoked) => void;

export interface TokenCache {
  resolve(token: string): Promise<TokenIdentity | null>;
  forget(revoked: Partial<Revoked>): void;
  readonly size: number;
}

/** How long keys due for a background read wait to be read together (one query for all of them). */
export const TOKEN_REFRESH_BATCH_MS = 250;

export interface TokenCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
  /**
   * Reads several keys in one query (tokens.ts#resolveTokens). When given, the background reads of
   * keys in use are gathered for `refreshBatchMs` and done together: a gateway serving many agents
   * sends a few queries a second for all their keys instead of one per request. A request never
   * waits for them (the entry in use stays valid until its `ttlMs`).
   */
  loadMany?: (tokens: readonly string[]) => Promise<Map<string, TokenIdentity | null>>;
  refreshBatchMs?: number;
}

export function createTokenCache(load: (token: string) => Promise<TokenIdentity | null>, options: TokenCacheOptions = {}): TokenCache {
  const ttlMs = options.ttlMs ?? TOKEN_CACHE_MS;
  const maxEntries = options.maxEntries ?? TOKEN_CACHE_ENTRIES;
  const now = options.now ?? Date.now;
  // Past half its life, an entry in use is read again in the background and replaced: a key used
  // every few seconds (a tool, a stream after another) is then never waited for, while no request
  // is ever answered from a read older than `ttlMs` (the bound a lost revocation event relies on).
  // The price: a key in steady use is read up to twice as often (about every `ttlMs / 2`).
  const refreshAfterMs = ttlMs / 2;
  // `identity`: set once the read is done; until then the entry is in flight.
  type Entry = { at: number; value: Promise<TokenIdentity | null>; identity?: TokenIdentity; refreshing?: boolean };
  const entries = new Map<string, Entry>();
  const store = (key: string, entry: Entry) => {
    entries.delete(key); // re-inserted last: the Map's order stays the insertion order
    entries.set(key, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };
  const refreshed = (key: string, stale: Entry, at: number, found: TokenIdentity | null) => {
    // Forgotten (revoked, account changed) or replaced while reading: that read decides nothing.
    if (entries.get(key) !== stale) return;
    if (found) store(key, { at, value: Promise.resolve(found), identity: found });
    else entries.delete(key);
  };
  // The database did not answer: the entry lives out its time (one try per entry, so a failing
  // database is not asked again on every request), then a request reads in the foreground.
  const ignore = () => undefined;
  let due: { key: string; token: string; stale: Entry }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const refreshDue = () => {
    timer = null;
    const batch = due;
    due = [];
    const at = now();
    options.loadMany?.(batch.map((d) => d.token)).then((found) => {
      for (const d of batch) refreshed(d.key, d.stale, at, found.get(d.token) ?? null);
    }, ignore);
  };
  const refresh = (key: string, token: string, stale: Entry) => {
    stale.refreshing = true;
    if (options.loadMany) {
      due.push({ key, token, stale });
      if (!timer) {
        timer = setTimeout(refreshDue, options.refreshBatchMs ?? TOKEN_REFRESH_BATCH_MS);
        // Never what keeps a process alive: an entry whose read did not happen simply expires.
        timer.unref();
      }
      return;
    }
    const at = now();
    load(token).then((found) => refreshed(key, stale, at, found), ignore);
  };
  return {
    resolve(token) {
      const key = createHash('sha256').update(token).digest('base64');
      const hit = entries.get(key);
      const age = hit ? now() - hit.at : 0;
      // Never past the token's own expiry, even within the few seconds an entry is kept.
      if (hit && age < ttlMs && !(hit.identity && hit.identity.expiresAt.getTime() <= now())) {
        if (hit.identity && !hit.refreshing && age >= refreshAfterMs) refresh(key, token, hit);
        return hit.value;
      }
      // Stored while in flight, so that concurrent requests share one read; `forget` during the
      // read drops it too (the next request reads again, after the change).
      const value = load(token);
      const entry: Entry = { at: now(), value };
      store(key, entry);
      const drop = () => {
        if (entries.get(key) === entry) entries.delete(key);
      };
      void value.then((found) => {
        if (found) entry.identity = found;
        else drop();
      }, drop);
      return value;
    },
    forget(revoked) {
      const tokens = new Set(revoked.tokenIds ?? []);
      const principals = new Set(revoked.principalIds ?? []);
      if (tokens.size === 0 && principals.size === 0) return;
      for (const [key, entry] of entries) {
        // An entry still being read may have been read before the change: dropped as well.
        if (!entry.identity || tokens.has(entry.identity.tokenId) || principals.has(entry.identity.principalId)) entries.delete(key);
      }
    },
    get size() {
      return entries.size;
    },
  };
}

/** This node's listeners, per event bus (one bus per Entente instance). */
const localListeners = new WeakMap<EventBus, Set<Listener>>();
const ID = /^[0-9a-f-]{36}$/;
const MAX_IDS = 500;

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string' && ID.test(id)).slice(0, MAX_IDS) : [];
}

/** Forgets the tokens in `cache` when they are revoked, on this node or another. Returns the unsubscribe. */
export function forgetRevokedTokens(events: EventBus, cache: TokenCache): () => void {
  let set = localListeners.get(events);
  if (!set) {
    set = new Set();
    localListeners.set(events, set);
  }
  const mine = set;
  const own: Listener = (revoked) => cache.forget(revoked);
  mine.add(own);
  const unsubscribe = events.subscribe(TOKENS_REVOKED_TOPIC, (payload) => {
    const p = payload as { tokenIds?: unknown; principalIds?: unknown } | null;
    cache.forget({ tokenIds: ids(p?.tokenIds), principalIds: ids(p?.principalIds) });
  });
  const unsubscribeAccounts = onAccountsChanged(events, (principalIds) => cache.forget({ principalIds }));
  return () => {
    mine.delete(own);
    unsubscribe();
    unsubscribeAccounts();
  };
}

/**
 * Tokens were revoked (by id, or every token of these principals): this node forgets them before
 * this resolves, the other nodes when the event reaches them. Call it after the revocation is
 * committed. Never rejects: a lost event leaves other nodes' entries to expire (TOKEN_CACHE_MS).
 */
export async function tokensRevoked(events: EventBus, revoked: Partial<Revoked>, onError?: (error: unknown) => void): Promise<void> {
  const value: Revoked = { tokenIds: [...new Set(revoked.tokenIds ?? [])], principalIds: [...new Set(revoked.principalIds ?? [])] };
  if (value.tokenIds.length === 0 && value.principalIds.length === 0) return;
  for (const listener of localListeners.get(events) ?? []) {
    try {
      listener(value);
    } catch (error) {
      onError?.(error);
    }
  }
  await events.publish(TOKENS_REVOKED_TOPIC, { tokenIds: value.tokenIds.slice(0, MAX_IDS), principalIds: value.principalIds.slice(0, MAX_IDS) }).catch((error: unknown) => onError?.(error));
}
