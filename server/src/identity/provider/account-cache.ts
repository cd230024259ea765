import type { EventBus } from '../../platform/events/index.ts';

/**
 * The claims of the agents the OpenID provider vouches for, kept a few seconds per node.
 *
 * Every token request (refresh included) and every userinfo call checks the account: the principal
 * is active, its memberships, its profile from the home cell. Those two statements were what kept
 * the token endpoint under 0.8 of the bare library (bench/README.md, oidc-token). An agent asking
 * for tokens again and again (a service refreshing) now costs them once per `ttlMs`.
 *
 * What makes it safe: every write that changes what an agent's tokens say or whether they get
 * any — disabled, removed from an organisation (the organisation's deletion included), profile
 * changed (preferred language; the email's verification at each sign-in) — calls
 * `accountsChanged`, which forgets the agent on this node before it returns and on the other
 * nodes through the event bus (ACCOUNTS_CHANGED_TOPIC). The TTL bounds the window only when an
 * event is lost (the bus is best effort: a node that is down misses it). Unknown, disabled or
 * profile-less principals are never cached: they are refused from the database each time, and
 * guessing ids cannot fill the cache.
 */
export const ACCOUNTS_CHANGED_TOPIC = 'identity.oidc.accounts_changed';

/** How long a node may keep an agent's claims (a lost event is bounded by this). */
export const ACCOUNT_CACHE_MS = 5_000;
export const ACCOUNT_CACHE_ENTRIES = 10_000;

export type AccountClaims = Record<string, unknown>;
export type AccountLoader = (principalId: string) => Promise<AccountClaims | undefined>;

export interface AccountCache {
  find(principalId: string): Promise<AccountClaims | undefined>;
  forget(principalIds: Iterable<string>): void;
  /** Entries held (expired ones included until replaced or pushed out). */
  readonly size: number;
}

export function createAccountCache(load: AccountLoader, options: { ttlMs: number; maxEntries: number; now?: () => number }): AccountCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<AccountClaims | undefined> }>();
  return {
    find(principalId) {
      const hit = entries.get(principalId);
      if (hit && now() - hit.at < options.ttlMs) return hit.value;
      // Stored while in flight, so that concurrent requests share one load; `forget` during the
      // load drops it too (the next request reads again, after the change).
      const value = load(principalId);
      entries.delete(principalId); // re-inserted last: the Map's order stays the insertion order
      entries.set(principalId, { at: now(), value });
      const drop = () => {
        if (entries.get(principalId)?.value === value) entries.delete(principalId);
      };
      void value.then((found) => {
        if (!found) drop();
      }, drop);
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
    forget(principalIds) {
      for (const id of principalIds) entries.delete(id);
    },
    get size() {
      return entries.size;
    },
  };
}

type Listener = (principalIds: string[]) => void;

/** This node's listeners, per event bus: one bus per node (Entente instance). */
const localListeners = new WeakMap<EventBus, Set<Listener>>();

const PRINCIPAL_ID = /^[0-9a-f-]{36}$/;
const MAX_IDS = 500; // 500 ids ≈ 20 KB, well under the bus's payload limit

function idsOf(payload: unknown): string[] {
  const ids = (payload as { principalIds?: unknown } | null)?.principalIds;
  if (!Array.isArray(ids)) return [];
  return ids.filter((id): id is string => typeof id === 'string' && PRINCIPAL_ID.test(id)).slice(0, MAX_IDS);
}

/**
 * Calls `listener` with the principals whose account changed: at once for changes made on this
 * node (`accountsChanged` with the same bus), and for those of other nodes when their event
 * arrives. Returns the function that unsubscribes.
 */
export function onAccountsChanged(events: EventBus, listener: Listener): () => void {
  let set = localListeners.get(events);
  if (!set) {
    set = new Set();
    localListeners.set(events, set);
  }
  const mine = set;
  const own: Listener = (ids) => listener(ids);
  mine.add(own);
  const unsubscribe = events.subscribe(ACCOUNTS_CHANGED_TOPIC, (payload) => {
    const ids = idsOf(payload);
    if (ids.length > 0) listener(ids);
  });
  return () => {
    mine.delete(own);
    unsubscribe();
  };
}

/**
 * An agent's account changed in a way their tokens must reflect at once (disabled, a membership
 * gone, their profile changed): this node forgets them before this resolves, the other nodes when
 * the event reaches them. Call it after the change is committed. Never rejects: the change is
 * already made and what must follow it (ending sessions, revoking grants) must still run; a bus
 * that failed to carry the event leaves other nodes' entries to expire (ACCOUNT_CACHE_MS).
 */
export async function accountsChanged(events: EventBus, principalIds: readonly string[], onError?: (error: unknown) => void): Promise<void> {
  const ids = [...new Set(principalIds)];
  if (ids.length === 0) return;
  for (const listener of localListeners.get(events) ?? []) {
    try {
      listener(ids);
    } catch (error) {
      onError?.(error);
    }
  }
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    await events.publish(ACCOUNTS_CHANGED_TOPIC, { principalIds: ids.slice(i, i + MAX_IDS) }).catch((error: unknown) => onError?.(error));
  }
}
