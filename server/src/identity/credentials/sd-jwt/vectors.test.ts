/**
 * Test vectors published by the specifications themselves, so that a shared misreading between
 * our issuer and our verifier (hashing the decoded JSON, bit order in a byte…) cannot pass.
 */
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDisclosure, parseDisclosure } from './disclosures.ts';
import { sha256Base64url } from './encoding.ts';
import { createStatusList, decodeStatusList, encodeStatusList, getStatus, setStatus } from './status-list.ts';

describe('RFC 9901 disclosures', () => {
  it('§4.2.1/§4.2.3: the family_name disclosure and its digest', async () => {
    const encoded = 'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0';
    expect(await parseDisclosure(encoded)).toEqual({
      encoded,
      digest: 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0',
      salt: '_26bc4LT-ac6q2KI6cBW5es',
      name: 'family_name',
      value: 'Möbius',
    });
    expect(await sha256Base64url(encoded)).toBe('X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0');
  });

  it('§4.2.2: an array-element disclosure and its digest', async () => {
    const encoded = 'WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0';
    expect(await parseDisclosure(encoded)).toEqual({ encoded, digest: 'w0I8EKcdCtUPkGCNUrfwVp2xEgNjtoIDlOxc9-PlOhs', salt: 'lklxF5jMYlGTPUovMNIvCA', value: 'FR' });
  });

  it('§4.2.1: other spellings of the same claim are valid but have their own digest', async () => {
    for (const variant of [
      'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd',
      'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd',
    ]) {
      const parsed = await parseDisclosure(variant);
      expect(parsed).toMatchObject({ salt: '_26bc4LT-ac6q2KI6cBW5es', name: 'family_name', value: 'Möbius' });
      expect(parsed).not.toMatchObject({ digest: 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0' });
    }
  });

  it('our own encoding is the compact spelling of the same array (UTF-8, not escaped)', async () => {
    const d = await createDisclosure('_26bc4LT-ac6q2KI6cBW5es', 'family_name', 'Möbius');
    expect(d.encoded).toBe('WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd');
    expect(d.digest).toBe(await sha256Base64url(d.encoded));
  });
});

describe('draft-ietf-oauth-status-list examples', () => {
  const oneBit = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
  const twoBits = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];

  it('1 bit per status: bytes b9 a3, lst eNrbuRgAAhcBXQ', () => {
    const list = createStatusList(16, 1);
    for (const [idx, value] of oneBit.entries()) setStatus(list, idx, value);
    expect([...list.bytes]).toEqual([0xb9, 0xa3]);
    expect(encodeStatusList(list)).toEqual({ bits: 1, lst: 'eNrbuRgAAhcBXQ' });
    const decoded = decodeStatusList({ bits: 1, lst: 'eNrbuRgAAhcBXQ' });
    expect(oneBit.map((_, idx) => getStatus(decoded, idx))).toEqual(oneBit);
  });

  it('2 bits per status: bytes c9 44 f9, lst eNo76fITAAPfAgc', () => {
    const list = createStatusList(12, 2);
    for (const [idx, value] of twoBits.entries()) setStatus(list, idx, value);
    expect([...list.bytes]).toEqual([0xc9, 0x44, 0xf9]);
    expect(encodeStatusList(list)).toEqual({ bits: 2, lst: 'eNo76fITAAPfAgc' });
    const decoded = decodeStatusList({ bits: 2, lst: 'eNo76fITAAPfAgc' });
    expect(twoBits.map((_, idx) => getStatus(decoded, idx))).toEqual(twoBits);
    expect(decoded.size).toBe(12);
  });

  it('the compressed list is ZLIB (header 78 da: DEFLATE at the highest level)', () => {
    const bytes = base64url.decode(encodeStatusList(createStatusList(1000)).lst);
    expect([bytes[0], bytes[1]]).toEqual([0x78, 0xda]);
  });
});
