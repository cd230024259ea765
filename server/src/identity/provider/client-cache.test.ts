import { describe, expect, it } from 'vitest';
import { createClientCache } from './client-cache.ts';

describe('the client cache of the OpenID provider', () => {
  it('loads a client once per TTL, forgets it on demand, and never caches unknown ids', async () => {
    let clock = 0;
    const loads: string[] = [];
    const cache = createClientCache(
      async (id) => {
        loads.push(id);
        return id.startsWith('known') ? { client_id: id } : undefined;
      },
      { ttlMs: 1000, maxEntries: 2, now: () => clock },
    );
    expect(await cache.find('known-a')).toEqual({ client_id: 'known-a' });
    expect(await cache.find('known-a')).toEqual({ client_id: 'known-a' });
    expect(loads).toEqual(['known-a']);
    clock = 1000;
    await cache.find('known-a');
    expect(loads).toEqual(['known-a', 'known-a']);
    cache.forget('known-a');
    await cache.find('known-a');
    expect(loads).toHaveLength(3);
    expect(await cache.find('nobody')).toBeUndefined();
    expect(await cache.find('nobody')).toBeUndefined();
    expect(loads.filter((id) => id === 'nobody')).toHaveLength(2);
    await cache.find('known-b');
    await cache.find('known-c'); // over maxEntries: the oldest (known-a) goes
    await cache.find('known-a');
    expect(loads.filter((id) => id === 'known-a')).toHaveLength(4);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const cache = createClientCache(
      async (id) => {
        if (fail) throw new Error('database down');
        return { client_id: id };
      },
      { ttlMs: 60_000, maxEntries: 10 },
    );
    await expect(cache.find('known')).rejects.toThrow('database down');
    await Promise.resolve();
    fail = false;
    expect(await cache.find('known')).toEqual({ client_id: 'known' });
  });
});
