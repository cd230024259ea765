import { deflateSync } from 'node:zlib';
import { base64url, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createStatusList,
  credentialStatusOf,
  decodeStatusList,
  encodeStatusList,
  getStatus,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  setStatus,
  StatusListError,
} from './status-list.ts';
import { signStatusListToken, verifyStatusListToken } from './status-list-token.ts';

const URI = 'https://entente.example/credentials/status/fr-1';
const NOW = 1_780_000_000;

describe('status list', () => {
  it('flips one entry without touching its neighbours, at every width', () => {
    for (const bits of [1, 2, 4, 8] as const) {
      const list = createStatusList(100, bits);
      setStatus(list, 41, 1);
      setStatus(list, 42, (1 << bits) - 1);
      expect([getStatus(list, 40), getStatus(list, 41), getStatus(list, 42), getStatus(list, 43)]).toEqual([0, 1, (1 << bits) - 1, 0]);
      setStatus(list, 42, 0);
      expect(getStatus(list, 42)).toBe(0);
      expect(getStatus(list, 41)).toBe(1);
      const back = decodeStatusList(encodeStatusList(list));
      expect(getStatus(back, 41)).toBe(1);
      // A decoded list holds every entry its bytes can: the size rounds up to a whole byte.
      expect(back.size).toBe((Math.ceil((100 * bits) / 8) * 8) / bits);
    }
  });

  it('refuses indexes outside the list, values too wide and unsupported widths', () => {
    const list = createStatusList(10);
    expect(() => getStatus(list, 10)).toThrow(StatusListError);
    expect(() => setStatus(list, -1, 1)).toThrow(StatusListError);
    expect(() => setStatus(list, 0, 2)).toThrow(/does not fit/);
    expect(() => createStatusList(10, 3 as 1)).toThrow(/bits/);
  });

  it('refuses a hostile lst: bad base64url, not zlib, or a bomb beyond the bound', () => {
    expect(() => decodeStatusList({ bits: 1, lst: 'a+b/' })).toThrow(StatusListError);
    expect(() => decodeStatusList({ bits: 1, lst: base64url.encode(new Uint8Array([1, 2, 3])) })).toThrow(StatusListError);
    const bomb = base64url.encode(deflateSync(new Uint8Array(4 << 20)));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => decodeStatusList({ bits: 1, lst: bomb })).toThrow(/within/);
  });

  it('reads suspended as not valid', () => {
    expect([credentialStatusOf(0), credentialStatusOf(STATUS_INVALID), credentialStatusOf(STATUS_SUSPENDED)]).toEqual(['valid', 'revoked', 'revoked']);
  });
});

describe('status list token', () => {
  let keys: CryptoKeyPair;
  let other: CryptoKeyPair;
  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
    other = await generateKeyPair('ES256');
  });
  const sign = (list = createStatusList(64), overrides: Record<string, unknown> = {}) =>
    signStatusListToken({ list, uri: URI, iss: 'https://entente.example/issuers/fr', iat: NOW - 10, exp: NOW + 3600, ttl: 300, key: { key: keys.privateKey, kid: 'fr-1' }, alg: 'ES256', ...overrides });
  const verify = (token: string, overrides: Record<string, unknown> = {}) =>
    verifyStatusListToken(token, { resolveKey: (header) => (header.kid === 'fr-1' ? keys.publicKey : null), expectedUri: URI, now: NOW, ...overrides });

  it('signs and verifies, giving back the list, ttl and dates', async () => {
    const list = createStatusList(64);
    setStatus(list, 7, STATUS_INVALID);
    const token = await sign(list);
    const [header] = token.split('.');
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(header!)))).toEqual({ alg: 'ES256', typ: 'statuslist+jwt', kid: 'fr-1' });
    const result = await verify(token);
    if (!result.ok) throw new Error(result.reason);
    expect(getStatus(result.list, 7)).toBe(1);
    expect(getStatus(result.list, 6)).toBe(0);
    expect([result.sub, result.iat, result.exp, result.ttl]).toEqual([URI, NOW - 10, NOW + 3600, 300]);
    expect(result.payload.status_list).toEqual(encodeStatusList(list));
  });

  it('refuses a list for another URI, an expired one, an unknown key and a forged one', async () => {
    const token = await sign();
    expect(await verify(token, { expectedUri: 'https://entente.example/credentials/status/fr-2' })).toMatchObject({ ok: false, reason: 'wrong_subject' });
    expect(await verify(token, { now: NOW + 3600 + 61 })).toMatchObject({ ok: false, reason: 'expired' });
    expect(await verify(token, { resolveKey: () => null })).toMatchObject({ ok: false, reason: 'untrusted_issuer' });
    expect(await verify(token, { resolveKey: () => other.publicKey })).toMatchObject({ ok: false, reason: 'bad_signature' });
    const [h, , s] = token.split('.');
    const unsigned = `${base64url.encode('{"alg":"none","typ":"statuslist+jwt"}')}.${token.split('.')[1]}.`;
    expect(await verify(unsigned)).toMatchObject({ ok: false, reason: 'alg_not_allowed' });
    expect(await verify(`${h}.${base64url.encode('{"sub":"x"}')}.${s}`)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await verify('garbage')).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
