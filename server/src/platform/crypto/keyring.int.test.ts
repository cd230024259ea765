import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStores } from '../../../test/support/db.ts';
import type { CellDb } from '../db/types.ts';
import { isUuid } from '../ids.ts';
import { DecryptionError, KeyUnavailableError } from './errors.ts';
import { FileKeyProvider } from './file-key-provider.ts';
import type { KeyProvider, WrappedKey } from './key-provider.ts';
import { Keyring } from './keyring.ts';
import { findDataKey } from './keyring.repo.ts';

let close: () => Promise<void>;
let db: CellDb;
let dir: string;
let provider: FileKeyProvider;

/** Counts the provider's unwraps, to see what the cache saves. */
class CountingProvider implements KeyProvider {
  unwraps = 0;
  readonly #inner: KeyProvider;
  constructor(inner: KeyProvider) {
    this.#inner = inner;
  }
  get id() {
    return this.#inner.id;
  }
  wrap(dataKey: Buffer, aad: string) {
    return this.#inner.wrap(dataKey, aad);
  }
  unwrap(wrapped: WrappedKey, aad: string) {
    this.unwraps++;
    return this.#inner.unwrap(wrapped, aad);
  }
  check() {
    return this.#inner.check();
  }
}

let n = 0;
const owner = () => ({ type: 'space', id: `s-${++n}-${Math.random().toString(36).slice(2)}` });

beforeAll(async () => {
  const opened = await openTestStores();
  close = opened.close;
  db = opened.stores.cells.FR.db;
  dir = await mkdtemp(path.join(tmpdir(), 'entente-keyring-'));
  provider = await FileKeyProvider.open(`file:${dir}`);
});
afterAll(async () => {
  await close?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Keyring', () => {
  it('creates version 1 on first use, stores it wrapped, and returns the same key afterwards', async () => {
    const o = owner();
    const keyring = new Keyring({ provider });
    const first = await keyring.getOrCreateDataKey(db, o);
    expect(first.version).toBe(1);
    expect(first.key).toHaveLength(32);
    expect(first.kekId).toBe(provider.id);
    const row = await findDataKey(db, o.type, o.id, 1);
    expect(row).not.toBeNull();
    expect(isUuid(row?.id as string)).toBe(true);
    expect(row?.kekId).toBe(provider.id);
    expect(row?.wrappedKey.includes(first.key)).toBe(false);
    expect(row?.createdAt).toBeInstanceOf(Date);
    // A fresh keyring (another process, or after the cache expired) reads the same key.
    const again = await new Keyring({ provider }).getOrCreateDataKey(db, o);
    expect(again.key.equals(first.key)).toBe(true);
    expect((await keyring.getDataKey(db, o, 1)).key.equals(first.key)).toBe(true);
  });

  it('is race-safe: concurrent first uses agree on one key', async () => {
    const o = owner();
    const keys = await Promise.all(Array.from({ length: 8 }, () => new Keyring({ provider }).getOrCreateDataKey(db, o)));
    for (const k of keys) expect(k.key.equals((keys[0] as (typeof keys)[0]).key)).toBe(true);
    const rows = await db.selectFrom('keyring').select(['version']).where('owner_id', '=', o.id).execute();
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('rotates: new data uses the new version, old versions stay readable', async () => {
    const o = owner();
    const keyring = new Keyring({ provider });
    const v1 = await keyring.getOrCreateDataKey(db, o);
    const v2 = await keyring.rotateDataKey(db, o);
    expect(v2.version).toBe(2);
    expect(v2.key.equals(v1.key)).toBe(false);
    expect((await keyring.getOrCreateDataKey(db, o)).version).toBe(2);
    expect((await new Keyring({ provider }).getOrCreateDataKey(db, o)).version).toBe(2);
    expect((await new Keyring({ provider }).getDataKey(db, o, 1)).key.equals(v1.key)).toBe(true);
    await expect(keyring.getDataKey(db, o, 3)).rejects.toBeInstanceOf(KeyUnavailableError);
    await expect(keyring.getDataKey(db, o, 0)).rejects.toBeInstanceOf(KeyUnavailableError);
    await expect(keyring.getDataKey(db, owner(), 1)).rejects.toBeInstanceOf(KeyUnavailableError);
  });

  it('keeps a KEK rotation transparent: keys wrapped under the old KEK still unwrap', async () => {
    const kekDir = await mkdtemp(path.join(tmpdir(), 'entente-keyring-kek-'));
    try {
      const own = await FileKeyProvider.open(kekDir);
      const o = owner();
      const before = await new Keyring({ provider: own }).getOrCreateDataKey(db, o);
      const oldKek = own.id;
      await own.rotate();
      const fresh = new Keyring({ provider: own });
      expect((await fresh.getDataKey(db, o, 1)).key.equals(before.key)).toBe(true);
      expect((await fresh.getDataKey(db, o, 1)).kekId).toBe(oldKek);
      expect((await fresh.getOrCreateDataKey(db, owner())).kekId).toBe(own.id);
    } finally {
      await rm(kekDir, { recursive: true, force: true });
    }
  });

  it('binds each wrapped key to its owner and version: swapped rows do not unwrap', async () => {
    const a = owner();
    const b = owner();
    const keyring = new Keyring({ provider });
    await keyring.getOrCreateDataKey(db, a);
    await keyring.getOrCreateDataKey(db, b);
    const rowA = await findDataKey(db, a.type, a.id, 1);
    await db
      .updateTable('keyring')
      .set({ wrapped_key: rowA?.wrappedKey as Buffer })
      .where('owner_id', '=', b.id)
      .execute();
    await expect(new Keyring({ provider }).getDataKey(db, b, 1)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('caches unwrapped keys in a bounded LRU with a time limit', async () => {
    let now = 1_000_000;
    const counting = new CountingProvider(provider);
    const keyring = new Keyring({ provider: counting, cacheSize: 2, cacheTtlMs: 60_000, now: () => now });
    const [a, b, c] = [owner(), owner(), owner()];
    for (const o of [a, b, c]) await new Keyring({ provider }).getOrCreateDataKey(db, o);
    await keyring.getDataKey(db, a, 1);
    await keyring.getDataKey(db, a, 1);
    expect(counting.unwraps).toBe(1);
    await keyring.getDataKey(db, b, 1);
    await keyring.getDataKey(db, a, 1); // a is now the most recent
    await keyring.getDataKey(db, c, 1); // evicts b
    expect(counting.unwraps).toBe(3);
    await keyring.getDataKey(db, a, 1);
    expect(counting.unwraps).toBe(3);
    await keyring.getDataKey(db, b, 1);
    expect(counting.unwraps).toBe(4);
    now += 60_001;
    await keyring.getDataKey(db, b, 1);
    expect(counting.unwraps).toBe(5);
    keyring.forget(b);
    await keyring.getDataKey(db, b, 1);
    expect(counting.unwraps).toBe(6);
  });

  it('does not cache a key created in a transaction that rolls back', async () => {
    const o = owner();
    const keyring = new Keyring({ provider });
    let insideKey: Buffer | null = null;
    await db
      .transaction()
      .execute(async (trx) => {
        insideKey = Buffer.from((await keyring.getOrCreateDataKey(trx, o)).key);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(insideKey).not.toBeNull();
    const after = await keyring.getOrCreateDataKey(db, o);
    expect(after.key.equals(insideKey as unknown as Buffer)).toBe(false);
    expect((await new Keyring({ provider }).getOrCreateDataKey(db, o)).key.equals(after.key)).toBe(true);
  });

  it('never shows key bytes when a data key is logged or serialised', async () => {
    const key = await new Keyring({ provider }).getOrCreateDataKey(db, owner());
    const hex = key.key.toString('hex');
    const b64 = key.key.toString('base64');
    for (const text of [JSON.stringify(key), inspect(key, { depth: 10, showHidden: true }), String(key)]) {
      expect(text).not.toContain(hex);
      expect(text).not.toContain(b64);
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({ owner: key.owner, version: 1, kekId: provider.id });
  });

  it('refuses malformed owners', async () => {
    const keyring = new Keyring({ provider });
    await expect(keyring.getOrCreateDataKey(db, { type: 'Space', id: 'x' })).rejects.toBeInstanceOf(TypeError);
    await expect(keyring.getOrCreateDataKey(db, { type: 'space', id: '' })).rejects.toBeInstanceOf(TypeError);
    await expect(keyring.getOrCreateDataKey(db, { type: 'space', id: 'a\u0000b' })).rejects.toBeInstanceOf(TypeError);
  });
});
