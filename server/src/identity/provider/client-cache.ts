/**
 * oidc-provider looks its client up on every request (each token, introspection, revocation):
 * without a cache that is a control-plane query and an unsealing of the client secret each time,
 * the largest part of what the token endpoint costs beyond the library itself (bench/README.md,
 * oidc-token). Entries live `ttlMs`; a removed client is forgotten at once on the node that removed
 * it and, through the event bus, on the others (CLIENTS_CHANGED_TOPIC) — the TTL bounds the
 * window if an event is lost. Unknown ids are not cached, so guessing ids cannot fill the cache.
 */
export type ClientFinder = (id: string) => Promise<Record<string, unknown> | undefined>;

export interface ClientCache {
  find: ClientFinder;
  forget(id: string): void;
}

export function createClientCache(load: ClientFinder, options: { ttlMs: number; maxEntries: number; now?: () => number }): ClientCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<Record<string, unknown> | undefined> }>();
  return {
    find(id) {
      const hit = entries.get(id);
      if (hit && now() - hit.at < options.ttlMs) return hit.value;
      const value = load(id);
      entries.set(id, { at: now(), value });
      void value.then(
        (found) => {
          if (!found && entries.get(id)?.value === value) entries.delete(id);
        },
        () => {
          if (entries.get(id)?.value === value) entries.delete(id);
        },
      );
      // Oldest first (Map keeps insertion order): a few registered services, never many.
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
    forget(id) {
      entries.delete(id);
    },
  };
}
