import { describe, expect, it } from 'vitest';
import { canonicalJson, checkpointMessage, entryEncoding, entryHash, GENESIS } from './chain.ts';
import { thumbprint } from './signing-keys.ts';

/** The documented encodings, pinned: a verifier written elsewhere must get the same bytes. */
describe('canonical JSON (RFC 8785)', () => {
  it('serialises the RFC’s sample as the RFC does', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts keys by UTF-16 code units (the RFC’s example)', () => {
    const input = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    // (Not through JSON.parse: a JavaScript object lists integer-like keys such as "1" first.)
    expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe('entry hash', () => {
  const entry = {
    chain: '0190f3a2-0000-7000-8000-000000000001',
    seq: 1,
    prevHash: GENESIS,
    id: '0190f3a2-0000-7000-8000-0000000000aa',
    occurredAt: '2026-11-29T10:00:00.000Z',
    actorId: null,
    organisationId: '0190f3a2-0000-7000-8000-000000000001',
    action: 'session.created',
    resourceType: 'session',
    resourceId: 'abc',
    outcome: 'success',
    ip: '192.0.2.1',
    requestId: 'req-1',
    details: { z: 1, a: 'é' },
  };

  it('is SHA-256 over the documented encoding', () => {
    expect(entryEncoding(entry)).toBe(
      '{"action":"session.created","actorId":null,"chain":"0190f3a2-0000-7000-8000-000000000001","details":{"a":"é","z":1},"format":"entente-audit-entry/1","id":"0190f3a2-0000-7000-8000-0000000000aa","ip":"192.0.2.1","occurredAt":"2026-11-29T10:00:00.000Z","organisationId":"0190f3a2-0000-7000-8000-000000000001","outcome":"success","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","requestId":"req-1","resourceId":"abc","resourceType":"session","seq":1}',
    );
    expect(entryHash(entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...entry, details: { a: 'é', z: 1 } })).toBe(entryHash(entry));
    // The split encoding the database completes is exactly the JCS of the whole entry.
    const { chain, seq, prevHash, ...rest } = entry;
    expect(entryEncoding(entry)).toBe(canonicalJson({ format: 'entente-audit-entry/1', chain, seq, prevHash, ...rest }));
  });

  it('changes with every field, the position and the link', () => {
    const base = entryHash(entry);
    for (const change of [{ seq: 2 }, { prevHash: 'f'.repeat(64) }, { chain: 'platform' }, { actorId: 'x' }, { details: { z: 2, a: 'é' } }, { occurredAt: '2026-11-29T10:00:00.001Z' }]) {
      expect(entryHash({ ...entry, ...change })).not.toBe(base);
    }
  });

  it('signs checkpoints over a canonical statement', () => {
    expect(checkpointMessage({ store: 'fr', chain: 'platform', seq: 3, hash: GENESIS, time: '2026-11-29T10:00:00.000Z' })).toBe(
      `{"chain":"platform","format":"entente-audit-checkpoint/1","hash":"${GENESIS}","seq":3,"store":"fr","time":"2026-11-29T10:00:00.000Z"}`,
    );
  });
});

describe('key ids', () => {
  it('are RFC 7638 thumbprints (RFC 8037’s Ed25519 example)', () => {
    expect(thumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
});
