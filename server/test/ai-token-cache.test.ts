import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsChanged } from '../src/identity/provider/index.ts';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { createTokenCache, forgetRevokedTokens, TOKEN_CACHE_MS, tokensRevoked } from '../src/identity/token-cache.ts';
import type { TokenIdentity } from '../src/identity/tokens.ts';
import { InProcessEventBus } from '../src/platform/events/index.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * AI gateway keys are resolved a few seconds per node (identity/token-cache.ts): a revoked key must
 * still stop working at once on the node that revoked it, and within TOKEN_CACHE_MS on a node that
 * missed the event; the REST API is not cached at all.
 */
let t: TestApp;
let camille: TestSession;
beforeAll(async () => {
  t = await startTestApp();
  camille = await t.signIn(DEMO_AGENTS[0]!);
});
afterAll(async () => t?.close());

const url = (path: string) => `${t.baseUrl}${path}`;
async function create(scopes: string[]): Promise<{ token: string; id: string }> {
  const response = await fetch(url('/api/me/tokens'), {
    method: 'POST',
    headers: { ...camille.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'cache', scopes, expiresInDays: 1 }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { token: string; id: string };
}
const models = (token: string) => fetch(url('/ai/v1/models'), { headers: { authorization: `Bearer ${token}` } });

describe('AI gateway keys cached per node', () => {
  it('stop working at once when revoked through the API', async () => {
    const { token, id } = await create(['ai']);
    expect((await models(token)).status).toBe(200);
    expect((await models(token)).status).toBe(200); // from the cache
    const revoked = await fetch(url(`/api/me/tokens/${id}`), { method: 'DELETE', headers: camille.headers });
    expect(revoked.status).toBe(204);
    const after = await models(token);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('stop working within the cache time when revoked where no event says so (another node)', async () => {
    const { token, id } = await create(['ai']);
    expect((await models(token)).status).toBe(200);
    // Revoked behind this node's back: as another node would, had its event been lost.
    await t.entente.stores.control.db.updateTable('access_tokens').set({ revoked_at: new Date() }).where('id', '=', id).execute();
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < TOKEN_CACHE_MS + 2_000) {
      status = (await models(token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(TOKEN_CACHE_MS + 2_000);
  });
});

describe('token cache', () => {
  const identity = (tokenId: string, principalId: string): TokenIdentity => ({
    tokenId,
    principalId,
    homeJurisdiction: 'FR',
    scopes: ['ai'],
    expiresAt: new Date(Date.now() + 86_400_000),
    grants: { memberships: [], platformRoles: [] },
  });
  const A = '00000000-0000-7000-8000-00000000000a';
  const P = '00000000-0000-7000-8000-0000000000b1';

  it('reads a token once per TTL, never keeps an unknown one, and forgets revoked tokens and changed accounts', async () => {
    let clock = 0;
    const reads: string[] = [];
    const cache = createTokenCache(
      async (token) => {
        reads.push(token);
        return token === 'known' ? identity(A, P) : null;
      },
      { ttlMs: 1000, now: () => clock },
    );
    const events = new InProcessEventBus({ error() {}, warn() {}, info() {} });
    const stop = forgetRevokedTokens(events, cache);
    try {
      expect((await cache.resolve('known'))?.tokenId).toBe(A);
      expect((await cache.resolve('known'))?.tokenId).toBe(A);
      expect(reads).toEqual(['known']);
      expect(await cache.resolve('unknown')).toBeNull();
      expect(await cache.resolve('unknown')).toBeNull();
      expect(reads).toEqual(['known', 'unknown', 'unknown']);
      clock = 1000;
      await cache.resolve('known');
      expect(reads.filter((r) => r === 'known')).toHaveLength(2);

      await tokensRevoked(events, { tokenIds: [A] });
      expect(cache.size).toBe(0);
      await cache.resolve('known');
      expect(reads.filter((r) => r === 'known')).toHaveLength(3);

      await accountsChanged(events, [P]);
      expect(cache.size).toBe(0);
    } finally {
      stop();
      await events.close();
    }
  });

  it('never serves a token past its own expiry, even within the time it keeps an entry', async () => {
    let clock = 10_000;
    const reads: number[] = [];
    const cache = createTokenCache(
      async () => {
        reads.push(clock);
        // What the database says: live until 10 500, nothing after.
        return clock < 10_500 ? { ...identity(A, P), expiresAt: new Date(10_500) } : null;
      },
      { ttlMs: 5000, now: () => clock },
    );
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    clock = 10_400;
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    expect(reads).toHaveLength(1);
    clock = 10_500;
    expect(await cache.resolve('known')).toBeNull();
    expect(reads).toHaveLength(2);
  });

  it('reads a key in steady use again in the background past half its time, never serving a read older than the TTL', async () => {
    let clock = 0;
    const reads: number[] = [];
    let answer: 'known' | 'gone' | 'fail' = 'known';
    const cache = createTokenCache(
      async () => {
        reads.push(clock);
        if (answer === 'fail') throw new Error('database unavailable');
        return answer === 'known' ? identity(A, P) : null;
      },
      { ttlMs: 1000, now: () => clock },
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    clock = 400; // under half: from the cache, nothing read
    await cache.resolve('known');
    expect(reads).toEqual([0]);
    clock = 600; // past half: answered at once from the cache, read again behind it
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    expect(reads).toEqual([0, 600]);
    await cache.resolve('known'); // one read at a time
    expect(reads).toEqual([0, 600]);
    await settle();
    clock = 1050; // the entry read at 600 is young again: no wait, no read
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    expect(reads).toEqual([0, 600]);

    // The database fails the background read: the entry lives out its time, then a request waits for a read.
    answer = 'fail';
    clock = 1150;
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    await settle();
    expect(reads).toEqual([0, 600, 1150]);
    clock = 1300; // one try per entry: a failing database is not asked again on every request
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    expect(reads).toEqual([0, 600, 1150]);
    answer = 'known';
    clock = 1600; // 1,000 ms after the read of 600: not served any more
    expect((await cache.resolve('known'))?.tokenId).toBe(A);
    expect(reads).toEqual([0, 600, 1150, 1600]);

    // Revoked where no event says so: the background read finds nothing and the entry is dropped.
    answer = 'gone';
    clock = 2100;
    expect((await cache.resolve('known'))?.tokenId).toBe(A); // the last answer was read less than the TTL ago
    await settle();
    expect(cache.size).toBe(0);
    expect(await cache.resolve('known')).toBeNull();
  });

  it('does not put back an entry forgotten while its background read was under way', async () => {
    let clock = 0;
    let release: (value: TokenIdentity | null) => void = () => {};
    let reads = 0;
    const cache = createTokenCache(
      (): Promise<TokenIdentity | null> => {
        reads++;
        return reads === 1 ? Promise.resolve(identity(A, P)) : new Promise((resolve) => (release = resolve));
      },
      { ttlMs: 1000, now: () => clock },
    );
    await cache.resolve('known');
    clock = 700;
    await cache.resolve('known'); // starts the background read, which stays under way
    cache.forget({ tokenIds: [A] }); // revoked meanwhile (the read may predate the revocation)
    release(identity(A, P));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.size).toBe(0);
  });

  it('keeps no late background read: past the TTL, evicted, or an agent whose access changed', async () => {
    let clock = 0;
    const pending: ((value: TokenIdentity | null) => void)[] = [];
    const cache = createTokenCache(
      (token): Promise<TokenIdentity | null> => {
        if (token.startsWith('now-')) return Promise.resolve(identity(`00000000-0000-7000-8000-0000000000${token.slice(4)}`, P));
        return new Promise((resolve) => pending.push(resolve));
      },
      { ttlMs: 1000, maxEntries: 2, now: () => clock },
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    /** 'slow' read at `at` (its read answered), then read again in the background 600 ms later, left under way. */
    const refreshing = async (at: number) => {
      clock = at;
      const read = cache.resolve('slow');
      pending.shift()?.(identity(A, P));
      await read;
      clock = at + 600;
      await cache.resolve('slow');
    };

    // (a) A background read still under way when the entry's time is over: a new read replaces
    // the entry, and the late one (which found the key) does not bring it back.
    const first = cache.resolve('slow');
    pending.shift()?.(identity(A, P));
    await first;
    clock = 600;
    await cache.resolve('slow'); // background read 1, left under way
    clock = 1100;
    const again = cache.resolve('slow'); // past the TTL: a read in the foreground
    pending.pop()?.(null); // the key is gone (revoked where no event said so)
    expect(await again).toBeNull();
    pending.shift()?.(identity(A, P)); // the late background read answers
    await settle();
    expect(cache.size).toBe(0);

    // (b) Evicted by newer keys while its background read is under way: not put back, the bound holds.
    await refreshing(2000);
    await cache.resolve('now-c1');
    await cache.resolve('now-c2'); // 'slow' is evicted (two entries at most)
    pending.shift()?.(identity(A, P));
    await settle();
    expect(cache.size).toBe(2);

    // (c) The agent's access changed (forgotten by principal) during a background read.
    clock = 3200;
    await cache.resolve('now-c1'); // its entry is from 2600: past half, read again at once and replaced
    await settle();
    await refreshing(3800);
    cache.forget({ principalIds: [P] });
    pending.shift()?.(identity(A, P));
    await settle();
    expect(cache.size).toBe(0);
  });

  it('reads the keys due again together, in one query, while every request is answered from the cache', async () => {
    let clock = 0;
    const single: string[] = [];
    const batches: string[][] = [];
    const B = '00000000-0000-7000-8000-00000000000b';
    let gone = new Set<string>();
    const cache = createTokenCache(
      async (token) => {
        single.push(token);
        return identity(token === 'key-a' ? A : B, P);
      },
      {
        ttlMs: 1000,
        now: () => clock,
        refreshBatchMs: 20,
        loadMany: async (tokens) => {
          batches.push([...tokens]);
          return new Map(tokens.map((token) => [token, gone.has(token) ? null : identity(token === 'key-a' ? A : B, P)]));
        },
      },
    );
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await cache.resolve('key-a');
    await cache.resolve('key-b');
    expect(single).toEqual(['key-a', 'key-b']); // first reads: in the foreground, one each
    clock = 600; // both past half their time: answered at once, read again later, together
    expect((await cache.resolve('key-a'))?.tokenId).toBe(A);
    expect((await cache.resolve('key-b'))?.tokenId).toBe(B);
    expect((await cache.resolve('key-a'))?.tokenId).toBe(A); // queued once
    expect(batches).toEqual([]);
    await wait(60);
    expect(batches).toEqual([['key-a', 'key-b']]);
    expect(single).toHaveLength(2);
    // Read at 600: young again at 1,050, nothing read.
    clock = 1050;
    await cache.resolve('key-a');
    await wait(60);
    expect(batches).toHaveLength(1);
    // One of them revoked where no event said so: the batch finds it gone, and it is dropped.
    gone = new Set(['key-b']);
    clock = 1200;
    await cache.resolve('key-a');
    expect((await cache.resolve('key-b'))?.tokenId).toBe(B); // last read 600 ms ago: still served
    await wait(60);
    expect(batches.at(-1)).toEqual(['key-a', 'key-b']);
    expect(cache.size).toBe(1);
    expect((await cache.resolve('key-a'))?.tokenId).toBe(A);
    expect(single).toHaveLength(2);
  });
});
