import { generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStatusList, setStatus, signStatusListToken, STATUS_INVALID, STATUS_SUSPENDED } from './sd-jwt/index.ts';
import { createStatusChecker, MAX_CACHED_LISTS } from './status-check.ts';

const ISS = 'https://emetteur.example/issuers/qc';
const URI = 'https://emetteur.example/credentials/status/1';
let keys: CryptoKeyPair;
let other: CryptoKeyPair;
beforeAll(async () => {
  [keys, other] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
});

/** A checker on a fake clock whose lists come from `serve`, counting fetches. */
function harness(serve: () => Promise<string>) {
  const clock = { ms: 1_780_000_000_000 };
  let fetches = 0;
  const checker = createStatusChecker({
    resolveIssuerKey: async (iss, kid) => (iss === ISS && kid === 'k1' ? keys.publicKey : null),
    now: () => clock.ms,
    fetchToken: async () => {
      fetches += 1;
      return serve();
    },
  });
  return { checker, clock, fetches: () => fetches };
}

async function token(revoked: number[], options: { ttl?: number; exp?: number; iat?: number; key?: CryptoKey; iss?: string; uri?: string } = {}) {
  const list = createStatusList(16);
  for (const idx of revoked) setStatus(list, idx, STATUS_INVALID);
  const iat = options.iat ?? 1_780_000_000;
  return signStatusListToken({
    list,
    uri: options.uri ?? URI,
    iss: options.iss ?? ISS,
    iat,
    ...(options.exp === undefined ? {} : { exp: options.exp }),
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    key: { key: options.key ?? keys.privateKey, kid: 'k1' },
    alg: 'ES256',
  });
}

const ref = (idx: number, uri = URI) => ({ status_list: { idx, uri } });

describe('status checking', () => {
  it('answers valid and revoked, and keeps the list until its ttl, not after', async () => {
    let current = await token([2], { ttl: 60 });
    const h = harness(async () => current);
    expect(await h.checker.check(ISS, ref(1))).toBe('valid');
    expect(await h.checker.check(ISS, ref(2))).toBe('revoked');
    expect(h.fetches()).toBe(1);
    current = await token([1, 2], { ttl: 60 });
    h.clock.ms += 59_000;
    expect(await h.checker.check(ISS, ref(1))).toBe('valid'); // still the cached list
    expect(h.fetches()).toBe(1);
    h.clock.ms += 1_000;
    expect(await h.checker.check(ISS, ref(1))).toBe('revoked');
    expect(h.fetches()).toBe(2);
  });

  it('never keeps a list past its exp, and keeps a list without ttl for the default time', async () => {
    const h = harness(() => token([], { ttl: 3600, exp: 1_780_000_010 }));
    await h.checker.check(ISS, ref(0));
    h.clock.ms += 10_000;
    await h.checker.check(ISS, ref(0));
    expect(h.fetches()).toBe(2);
    const d = harness(() => token([]));
    await d.checker.check(ISS, ref(0));
    d.clock.ms += 299_000;
    await d.checker.check(ISS, ref(0));
    expect(d.fetches()).toBe(1);
    d.clock.ms += 1_000;
    await d.checker.check(ISS, ref(0));
    expect(d.fetches()).toBe(2);
  });

  it('fetches once for concurrent checks of the same list', async () => {
    const h = harness(() => token([]));
    await Promise.all([h.checker.check(ISS, ref(0)), h.checker.check(ISS, ref(1)), h.checker.check(ISS, ref(2))]);
    expect(h.fetches()).toBe(1);
  });

  it('answers unknown, and caches nothing, for a list it cannot trust', async () => {
    for (const bad of [
      () => token([], { key: other.privateKey }), // another key than the issuer's
      () => token([], { iss: 'https://autre.example/issuers/x' }), // another issuer's list
      () => token([], { uri: 'https://emetteur.example/credentials/status/2' }), // another list
      () => token([], { iat: 1_780_000_000, exp: 1_779_999_000 }), // expired
      async () => 'not a jwt',
      async () => {
        throw new Error('down');
      },
    ]) {
      const h = harness(bad);
      expect(await h.checker.check(ISS, ref(0))).toBe('unknown');
      expect(await h.checker.check(ISS, ref(0))).toBe('unknown');
      expect(h.fetches()).toBe(2);
    }
  });

  it('counts a suspended entry as not valid and an index outside the list as unknown', async () => {
    const list = createStatusList(8, 2);
    setStatus(list, 1, STATUS_SUSPENDED);
    const suspended = await signStatusListToken({ list, uri: URI, iss: ISS, iat: 1_780_000_000, key: { key: keys.privateKey, kid: 'k1' }, alg: 'ES256' });
    const h = harness(async () => suspended);
    expect(await h.checker.check(ISS, ref(1))).toBe('revoked');
    expect(await h.checker.check(ISS, ref(0))).toBe('valid');
    expect(await h.checker.check(ISS, ref(100_000))).toBe('unknown');
  });

  it('does not cache Entente’s own lists, read in-process', async () => {
    let current = await token([], { ttl: 300 });
    let http = 0;
    const checker = createStatusChecker({
      resolveIssuerKey: async () => keys.publicKey,
      localStatusListToken: async (uri) => (uri === URI ? current : null),
      fetchToken: async () => {
        http += 1;
        return current;
      },
      now: () => 1_780_000_000_000,
    });
    expect(await checker.check(ISS, ref(3))).toBe('valid');
    current = await token([3], { ttl: 300 });
    expect(await checker.check(ISS, ref(3))).toBe('revoked');
    expect(http).toBe(0);
  });

  it('keeps a bounded number of lists: an issuer with ever new list URIs cannot grow memory', async () => {
    const served = new Map<string, string>();
    let fetches = 0;
    const checker = createStatusChecker({
      resolveIssuerKey: async (iss, kid) => (iss === ISS && kid === 'k1' ? keys.publicKey : null),
      now: () => 1_780_000_000_000,
      fetchToken: async (uri) => {
        fetches += 1;
        return served.get(uri) as string;
      },
    });
    const uriOf = (i: number) => `${URI}-${i}`;
    for (let i = 0; i <= MAX_CACHED_LISTS; i++) served.set(uriOf(i), await token([], { ttl: 3600, uri: uriOf(i) }));
    for (let i = 0; i <= MAX_CACHED_LISTS; i++) expect(await checker.check(ISS, ref(1, uriOf(i)))).toBe('valid');
    expect(fetches).toBe(MAX_CACHED_LISTS + 1);
    // The most recent lists are still cached; the oldest one was let go and is fetched again.
    await checker.check(ISS, ref(1, uriOf(MAX_CACHED_LISTS)));
    expect(fetches).toBe(MAX_CACHED_LISTS + 1);
    await checker.check(ISS, ref(1, uriOf(0)));
    expect(fetches).toBe(MAX_CACHED_LISTS + 2);
  });
});
