import { createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOFTHSM_MODULE, softhsmAvailable, softhsmTokens, type TestTokens } from '../../../test/support/softhsm.ts';
import { uuidv7 } from '../ids.ts';
import { SecretValue } from '../secret-value.ts';
import { DecryptionError, KeyUnavailableError } from './errors.ts';
import { gcmMechanism, Pkcs11KeyProvider, wrapAad } from './pkcs11-key-provider.ts';
import { formatPkcs11Uri, parsePkcs11Uri } from './pkcs11-uri.ts';

/** The PKCS#11 key provider against real SoftHSM tokens created in a folder of this test. */
const available = softhsmAvailable();
let tokens: TestTokens;
const PIN = '246810';
const opened: Pkcs11KeyProvider[] = [];

async function open(label: string, options: { pin?: string; create?: boolean; refreshMs?: number } = {}): Promise<Pkcs11KeyProvider> {
  const { pin = PIN, ...rest } = options;
  const provider = await Pkcs11KeyProvider.open({ location: tokens.uri(label), pin: new SecretValue(pin), ...rest });
  opened.push(provider);
  return provider;
}

/**
 * A raw handle on the same module, as an attacker with the PIN (or a buggy tool) would use it.
 * The module is already initialised by the providers: this instance never finalises it.
 */
function raw(label: string): { lib: pkcs11js.PKCS11; session: Buffer; slot: Buffer; close(): void } {
  const lib = new pkcs11js.PKCS11();
  lib.load(SOFTHSM_MODULE);
  try {
    lib.C_Initialize();
  } catch (err) {
    if (!(err as Error).message.startsWith('CKR_CRYPTOKI_ALREADY_INITIALIZED')) throw err;
  }
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === label);
  if (!slot) throw new Error(`no token ${label}`);
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, PIN);
  } catch (err) {
    if (!(err as Error).message.startsWith('CKR_USER_ALREADY_LOGGED_IN')) throw err;
  }
  return {
    lib,
    session,
    slot,
    close: () => {
      try {
        lib.C_CloseSession(session);
      } catch {
        // closed by a test on purpose
      }
    },
  };
}

function findKey(lib: pkcs11js.PKCS11, session: Buffer, label: string): Buffer {
  lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: label }]);
  const [handle] = lib.C_FindObjects(session, 2);
  lib.C_FindObjectsFinal(session);
  if (!handle) throw new Error(`no object ${label}`);
  return handle;
}

beforeAll(() => {
  if (!available) return;
  tokens = softhsmTokens();
  // Tokens are made before the module is first initialised in this process (SoftHSM reads them then).
  for (const label of ['kek-a', 'kek-b', 'kek-empty', 'kek-rotate', 'kek-interop']) tokens.initToken(label, PIN);
});
afterAll(async () => {
  for (const provider of opened) await provider.close();
  tokens?.dispose();
});

describe.skipIf(!available)('Pkcs11KeyProvider (SoftHSM)', () => {
  it('generates a first KEK in the token, labelled entente-kek-<uuidv7>, and finds it again', async () => {
    const provider = await open('kek-a');
    expect(provider.id).toMatch(/^pkcs11:entente-kek-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(provider.kekIds).toEqual([provider.id]);
    const again = await open('kek-a');
    expect(again.id).toBe(provider.id);
    expect(again.kekIds).toHaveLength(1);
    const check = await provider.check();
    expect(check).toMatchObject({ ok: true });
    expect(check.detail).toContain('kek-a');
    expect(check.detail).toContain(provider.id);
    expect(check.detail).not.toContain(PIN);
  });

  it('wraps and unwraps a data key; the owner (aad), the KEK and every byte are bound', async () => {
    const provider = await open('kek-a');
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey, 'entente-keyring/v1\0space\0s1\x001');
    expect(wrapped.kekId).toBe(provider.id);
    expect(wrapped.ciphertext).toHaveLength(1 + 12 + 32 + 16);
    expect(wrapped.ciphertext.includes(dataKey)).toBe(false);
    expect((await provider.unwrap(wrapped, 'entente-keyring/v1\0space\0s1\x001')).equals(dataKey)).toBe(true);
    // Two wraps of one key differ (random IV).
    expect((await provider.wrap(dataKey, 'x')).ciphertext.equals((await provider.wrap(dataKey, 'x')).ciphertext)).toBe(false);
    await expect(provider.unwrap(wrapped, 'entente-keyring/v1\0space\0s2\x001')).rejects.toBeInstanceOf(DecryptionError);
    for (const at of [0, 1, 13, 30, 60]) {
      const tampered = Buffer.from(wrapped.ciphertext);
      tampered[at] = (tampered[at] as number) ^ 0x01;
      await expect(provider.unwrap({ ...wrapped, ciphertext: tampered }, 'entente-keyring/v1\0space\0s1\x001')).rejects.toBeInstanceOf(DecryptionError);
    }
    await expect(provider.unwrap({ ...wrapped, ciphertext: wrapped.ciphertext.subarray(0, 20) }, 'x')).rejects.toBeInstanceOf(DecryptionError);
    await expect(provider.unwrap({ kekId: `pkcs11:entente-kek-${uuidv7()}`, ciphertext: wrapped.ciphertext }, 'x')).rejects.toBeInstanceOf(KeyUnavailableError);
    await expect(provider.unwrap({ kekId: 'file:0190a4b2-1c3d-7e8f-9a0b-1c2d3e4f5a6b', ciphertext: wrapped.ciphertext }, 'x')).rejects.toBeInstanceOf(KeyUnavailableError);
    // Still usable after the failures (the session is not left in an operation).
    expect((await provider.unwrap(wrapped, 'entente-keyring/v1\0space\0s1\x001')).equals(dataKey)).toBe(true);
  });

  it('keeps cells apart: another token cannot unwrap, even under the same KEK id', async () => {
    const a = await open('kek-a');
    const b = await open('kek-b');
    expect(b.id).not.toBe(a.id);
    const wrapped = await a.wrap(randomBytes(32), 'owner');
    await expect(b.unwrap(wrapped, 'owner')).rejects.toBeInstanceOf(KeyUnavailableError);
  });

  it('serialises concurrent calls on its one session', async () => {
    const provider = await open('kek-b');
    const keys = Array.from({ length: 40 }, () => randomBytes(32));
    const wrapped = await Promise.all(keys.map((k, i) => provider.wrap(k, `o${i}`)));
    const back = await Promise.all(wrapped.map((w, i) => provider.unwrap(w, `o${i}`)));
    for (const [i, k] of back.entries()) expect(k.equals(keys[i] as Buffer)).toBe(true);
  });

  it('never lets the KEK out of the token', async () => {
    const provider = await open('kek-a');
    const label = provider.id.slice('pkcs11:'.length);
    const { lib, session, close } = raw('kek-a');
    try {
      const key = findKey(lib, session, label);
      expect(() => lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
      const [sensitive, extractable, token, wrap, modifiable] = lib.C_GetAttributeValue(session, key, [
        { type: pkcs11js.CKA_SENSITIVE },
        { type: pkcs11js.CKA_EXTRACTABLE },
        { type: pkcs11js.CKA_TOKEN },
        { type: pkcs11js.CKA_WRAP },
        { type: pkcs11js.CKA_MODIFIABLE },
      ]);
      expect([sensitive, extractable, token, wrap, modifiable].map((a) => (a?.value as Buffer | undefined)?.[0])).toEqual([1, 0, 1, 0, 0]);
      // Nor can it be made extractable, nor wrapped out by another key.
      expect(() => lib.C_SetAttributeValue(session, key, [{ type: pkcs11js.CKA_EXTRACTABLE, value: true }])).toThrow(/CKR_/);
      const wrapping = lib.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_WRAP, value: true },
      ]);
      expect(() => lib.C_WrapKey(session, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, wrapping, key, Buffer.alloc(256))).toThrow(/CKR_KEY_UNEXTRACTABLE/);
    } finally {
      close();
    }
  });

  it('rotates: a new KEK becomes current, the old one still unwraps, other processes follow', async () => {
    const provider = await open('kek-rotate');
    const other = await open('kek-rotate', { refreshMs: 0 }); // another server on the same token
    const first = provider.id;
    const old = await provider.wrap(Buffer.alloc(32, 1), 'o');
    const second = await provider.rotate();
    expect(second > first).toBe(true);
    expect(provider.id).toBe(second);
    expect(provider.kekIds).toEqual([first, second]);
    const fresh = await provider.wrap(Buffer.alloc(32, 2), 'o');
    expect(fresh.kekId).toBe(second);
    expect((await provider.unwrap(old, 'o')).equals(Buffer.alloc(32, 1))).toBe(true);
    // The other instance unwraps under the KEK it did not know, and wraps with it on its next refresh.
    expect((await other.unwrap(fresh, 'o')).equals(Buffer.alloc(32, 2))).toBe(true);
    expect((await other.wrap(Buffer.alloc(32, 3), 'o')).kekId).toBe(second);
  });

  it('reopens its session when the token dropped it', async () => {
    const provider = await open('kek-b');
    const wrapped = await provider.wrap(Buffer.alloc(32, 9), 'o');
    const { lib, slot, close } = raw('kek-b');
    lib.C_CloseAllSessions(slot); // what an HSM restart does to the application's sessions
    close();
    expect((await provider.unwrap(wrapped, 'o')).equals(Buffer.alloc(32, 9))).toBe(true);
    expect((await provider.check()).ok).toBe(true);
  });

  it('refuses a wrong PIN, an unknown token, a missing module, and an empty token without create', async () => {
    // (On a token no session of this process is logged in to: PKCS#11 logins are per application.)
    const wrongPin = 'not-the-pin-7531';
    const refused = await Pkcs11KeyProvider.open({ location: tokens.uri('kek-empty'), pin: wrongPin }).catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(KeyUnavailableError);
    expect((refused as Error).message).toContain('CKR_PIN_INCORRECT');
    expect((refused as Error).message).toContain('kek-empty');
    expect((refused as Error).message).not.toContain(wrongPin);
    const unknown = await Pkcs11KeyProvider.open({ location: tokens.uri('no-such-token'), pin: PIN }).catch((e: unknown) => e as Error);
    expect(unknown).toBeInstanceOf(KeyUnavailableError);
    expect((unknown as Error).message).toMatch(/No token "no-such-token".*"kek-a"/);
    const noModule = await Pkcs11KeyProvider.open({ location: 'pkcs11:token=x?module-path=/nonexistent/libnothing.so', pin: PIN }).catch((e: unknown) => e as Error);
    expect(noModule).toBeInstanceOf(KeyUnavailableError);
    expect((noModule as Error).message).toContain('/nonexistent/libnothing.so');
    await expect(Pkcs11KeyProvider.open({ location: tokens.uri('kek-empty'), pin: PIN, create: false })).rejects.toThrow(/No Entente KEK/);
    // The providers opened before are unaffected by the failed opens (the module stays initialised).
    expect((await (await open('kek-a')).check()).ok).toBe(true);
  });

  it('ignores, and reports, a key with an Entente label that could leave the token', async () => {
    const provider = await open('kek-interop');
    const { lib, session, close } = raw('kek-interop');
    try {
      const label = `entente-kek-${uuidv7()}`; // newer than the provider's: would become current
      lib.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: false },
        { type: pkcs11js.CKA_EXTRACTABLE, value: true },
        { type: pkcs11js.CKA_ENCRYPT, value: true },
        { type: pkcs11js.CKA_DECRYPT, value: true },
        { type: pkcs11js.CKA_LABEL, value: label },
      ]);
      const before = provider.id;
      await provider.reload();
      expect(provider.id).toBe(before);
      const check = await provider.check();
      expect(check.ok).toBe(false);
      expect(check.detail).toContain(label);
    } finally {
      close();
    }
  });

  it('produces plain AES-256-GCM, which any implementation can read', async () => {
    // An extractable test key (never an Entente KEK), to compare the token's output with Node's.
    const { lib, session, close } = raw('kek-interop');
    try {
      const key = lib.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_SENSITIVE, value: false },
        { type: pkcs11js.CKA_EXTRACTABLE, value: true },
        { type: pkcs11js.CKA_ENCRYPT, value: true },
      ]);
      const [value] = lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }]);
      const iv = randomBytes(12);
      const aad = wrapAad('pkcs11:entente-kek-x', 'owner');
      const plaintext = randomBytes(32);
      lib.C_EncryptInit(session, gcmMechanism(pkcs11js, iv, aad), key);
      const out = lib.C_Encrypt(session, plaintext, Buffer.alloc(64));
      const decipher = createDecipheriv('aes-256-gcm', value?.value as Buffer, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(out.subarray(32));
      expect(Buffer.concat([decipher.update(out.subarray(0, 32)), decipher.final()]).equals(plaintext)).toBe(true);
    } finally {
      close();
    }
  });

  it('closes: later calls are refused, other providers on the module keep working', async () => {
    const a = await Pkcs11KeyProvider.open({ location: tokens.uri('kek-a'), pin: PIN });
    const b = await open('kek-b');
    await a.close();
    await a.close();
    await expect(a.wrap(randomBytes(32), 'x')).rejects.toBeInstanceOf(KeyUnavailableError);
    expect((await b.check()).ok).toBe(true);
    expect(inspect(new SecretValue(PIN))).not.toContain(PIN);
    expect(JSON.stringify({ pin: new SecretValue(PIN) })).not.toContain(PIN);
  });
});

describe('PKCS#11 URIs', () => {
  it('reads RFC 7512 token and slot attributes with the module path', () => {
    expect(parsePkcs11Uri('pkcs11:token=Entente%20QC?module-path=/usr/lib/softhsm/libsofthsm2.so')).toEqual({
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      token: 'Entente QC',
      slotId: null,
    });
    expect(parsePkcs11Uri('pkcs11:slot-id=1667017097;token=qc?module-path=/opt/hsm/lib%20x/p11.so')).toEqual({
      modulePath: '/opt/hsm/lib x/p11.so',
      token: 'qc',
      slotId: '1667017097',
    });
    expect(formatPkcs11Uri({ modulePath: '/opt/p11.so', token: 'Entente QC', slotId: '3' })).toBe('pkcs11:token=Entente%20QC;slot-id=3?module-path=/opt/p11.so');
  });

  it.each([
    ['pkcs11:token=a', /module-path is required/],
    ['pkcs11:?module-path=/m.so', /token=<label>/],
    ['pkcs11:token=a?module-path=relative.so', /absolute/],
    ['pkcs11:token=a?module-path=/m.so&pin-value=1234', /pin-value is not accepted/],
    ['pkcs11:token=a;pin-value=1234?module-path=/m.so', /pin-value is not accepted/],
    ['pkcs11:token=a?module-path=/m.so&pin-source=file:/p', /pin-source/],
    ['pkcs11:token=a;object=k?module-path=/m.so', /unsupported path attribute "object"/],
    ['pkcs11:token=a?module-path=/m.so&module-name=x', /unsupported query attribute/],
    ['pkcs11:token=a;token=b?module-path=/m.so', /twice/],
    ['pkcs11:slot-id=x?module-path=/m.so', /decimal/],
    ['pkcs11:token=%ZZ?module-path=/m.so', /percent/],
    ['pkcs11:token=a%00b?module-path=/m.so', /control/],
    ['pkcs11:token?module-path=/m.so', /name=value/],
    [`pkcs11:token=${'x'.repeat(33)}?module-path=/m.so`, /1 to 32/],
  ])('refuses %s', (uri, reason) => {
    expect(() => parsePkcs11Uri(uri)).toThrow(reason);
  });

  it('never quotes a PIN given in the URI by mistake', () => {
    try {
      parsePkcs11Uri('pkcs11:token=a?module-path=/m.so&pin-value=987654');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('987654');
    }
  });
});
