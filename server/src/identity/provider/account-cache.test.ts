import { describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../../platform/events/index.ts';
import { ACCOUNTS_CHANGED_TOPIC, type AccountClaims, accountsChanged, createAccountCache, onAccountsChanged } from './account-cache.ts';

const A = '019ac9f0-0000-7000-8000-00000000000a';
const B = '019ac9f0-0000-7000-8000-00000000000b';
const C = '019ac9f0-0000-7000-8000-00000000000c';
const NOBODY = '019ac9f0-0000-7000-8000-0000000000ff';
const silent = { error() {}, warn() {}, info() {} };

/** A loader over a little table of active agents, counting its reads (the statements saved). */
function agents(active: Record<string, string>) {
  const loads: string[] = [];
  const load = async (id: string): Promise<AccountClaims | undefined> => {
    loads.push(id);
    const name = active[id];
    return name === undefined ? undefined : { sub: id, name };
  };
  return { loads, load, active };
}

describe('the account cache of the OpenID provider', () => {
  it('reads an agent once per TTL, then again', async () => {
    let clock = 0;
    const table = agents({ [A]: 'Hugo Bernard' });
    const cache = createAccountCache(table.load, { ttlMs: 5000, maxEntries: 10, now: () => clock });
    expect(await cache.find(A)).toEqual({ sub: A, name: 'Hugo Bernard' });
    clock = 4999;
    expect(await cache.find(A)).toEqual({ sub: A, name: 'Hugo Bernard' });
    expect(table.loads).toEqual([A]);
    table.active[A] = 'Hugo Bernard-Roy';
    clock = 5000;
    expect(await cache.find(A)).toEqual({ sub: A, name: 'Hugo Bernard-Roy' });
    expect(table.loads).toEqual([A, A]);
  });

  it('never keeps an unknown or inactive principal: each request asks the database', async () => {
    const table = agents({ [A]: 'Hugo Bernard' });
    const cache = createAccountCache(table.load, { ttlMs: 60_000, maxEntries: 10 });
    expect(await cache.find(NOBODY)).toBeUndefined();
    expect(await cache.find(NOBODY)).toBeUndefined();
    expect(table.loads).toEqual([NOBODY, NOBODY]);
    expect(cache.size).toBe(0);
    // Disabled (the loader answers undefined), then enabled again: found at once, not after a TTL.
    delete table.active[A];
    expect(await cache.find(A)).toBeUndefined();
    table.active[A] = 'Hugo Bernard';
    expect(await cache.find(A)).toEqual({ sub: A, name: 'Hugo Bernard' });
  });

  it('holds at most maxEntries agents, the oldest going first', async () => {
    const table = agents({ [A]: 'a', [B]: 'b', [C]: 'c' });
    const cache = createAccountCache(table.load, { ttlMs: 60_000, maxEntries: 2 });
    await cache.find(A);
    await cache.find(B);
    await cache.find(C);
    expect(cache.size).toBe(2);
    await cache.find(B);
    await cache.find(C);
    expect(table.loads).toEqual([A, B, C]);
    await cache.find(A); // pushed out by C: read again
    expect(table.loads).toEqual([A, B, C, A]);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cache = createAccountCache(
      async (id) => {
        if (fail) throw new Error('database down');
        return { sub: id };
      },
      { ttlMs: 60_000, maxEntries: 10 },
    );
    await expect(cache.find(A)).rejects.toThrow('database down');
    fail = false;
    expect(await cache.find(A)).toEqual({ sub: A });
  });

  it('forgets an agent at once, even while a read of the old state is in flight', async () => {
    const table = agents({ [A]: 'active' });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cache = createAccountCache(
      async (id) => {
        const before = await table.load(id);
        if (table.loads.length === 1) await gate; // the first read took its snapshot, then stalls
        return before;
      },
      { ttlMs: 60_000, maxEntries: 10 },
    );
    const stale = cache.find(A);
    delete table.active[A]; // disabled while the first read is in flight
    cache.forget([A]);
    expect(await cache.find(A)).toBeUndefined();
    release();
    expect(await stale).toEqual({ sub: A, name: 'active' }); // only the request that started before
    expect(await cache.find(A)).toBeUndefined();
  });
});

describe('telling the nodes that an account changed', () => {
  it('reaches this node before accountsChanged resolves, and other subscribers through the bus', async () => {
    const events = new InProcessEventBus(silent);
    const table = agents({ [A]: 'Hugo Bernard', [B]: 'Émilie Tremblay' });
    const cache = createAccountCache(table.load, { ttlMs: 60_000, maxEntries: 10 });
    const stop = onAccountsChanged(events, (ids) => cache.forget(ids));
    const heard: unknown[] = [];
    events.subscribe(ACCOUNTS_CHANGED_TOPIC, (payload) => {
      heard.push(payload);
    });
    await cache.find(A);
    await cache.find(B);
    table.active[A] = 'Hugo Bernard-Roy';
    await accountsChanged(events, [A, A]);
    expect(heard).toEqual([{ principalIds: [A] }]);
    expect(await cache.find(A)).toEqual({ sub: A, name: 'Hugo Bernard-Roy' });
    expect(table.loads.filter((id) => id === B)).toHaveLength(1); // the others stay
    stop();
    await accountsChanged(events, [B]);
    expect(table.loads.filter((id) => id === B)).toHaveLength(1);
    await events.close();
  });

  it('another node’s event forgets only well-formed principal ids', async () => {
    const events = new InProcessEventBus(silent);
    const forgotten: string[][] = [];
    onAccountsChanged(events, (ids) => forgotten.push(ids));
    await events.publish(ACCOUNTS_CHANGED_TOPIC, { principalIds: [A, 'nope', 42, null] });
    await events.publish(ACCOUNTS_CHANGED_TOPIC, { principalIds: 'all' });
    await events.publish(ACCOUNTS_CHANGED_TOPIC, null);
    expect(forgotten).toEqual([[A]]);
    await events.close();
  });

  it('never rejects when the bus cannot carry the event: the change is made, what follows must run', async () => {
    const events = new InProcessEventBus(silent);
    const forgotten: string[][] = [];
    onAccountsChanged(events, (ids) => forgotten.push(ids));
    await events.close(); // publish now throws EventBusClosedError
    const errors: unknown[] = [];
    await expect(accountsChanged(events, [A], (error) => errors.push(error))).resolves.toBeUndefined();
    expect(forgotten).toEqual([[A]]); // this node still forgot at once
    expect(errors).toHaveLength(1);
  });
});
