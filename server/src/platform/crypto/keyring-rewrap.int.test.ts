import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStores } from '../../../test/support/db.ts';
import type { CellDb } from '../db/types.ts';
import { LocalObjectStore } from '../objects/local-object-store.ts';
import { EncryptedObjects } from './encrypted-objects.ts';
import { FileKeyProvider } from './file-key-provider.ts';
import { Keyring } from './keyring.ts';

/** KEK rotation (Keyring.rewrapAll), on PGlite and, in the integration run, PostgreSQL. */
let close: () => Promise<void>;
let db: CellDb;
let dir: string;
let store: LocalObjectStore;

beforeAll(async () => {
  const opened = await openTestStores();
  close = opened.close;
  db = opened.stores.cells.QC.db;
  dir = await mkdtemp(path.join(tmpdir(), 'entente-rewrap-'));
  store = await LocalObjectStore.open(path.join(dir, 'objects'));
});
// One cell, one KEK provider: each test's world has its own provider, so it leaves the cell's keyring empty.
afterEach(async () => {
  await db.deleteFrom('keyring').execute();
});
afterAll(async () => {
  await close?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

async function rows(ownerIds: string[]) {
  const all = await db.selectFrom('keyring').select(['id', 'owner_id', 'version', 'kek_id', 'wrapped_key']).where('owner_id', 'in', ownerIds).orderBy('id').execute();
  return all.map((r) => ({ ...r, wrapped_key: Buffer.from(r.wrapped_key).toString('hex') }));
}

async function objectHashes(prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const { key } of store.list(prefix)) {
    const hash = createHash('sha256');
    for await (const chunk of (await store.get(key)).body) hash.update(chunk as Buffer);
    out[key] = hash.digest('hex');
  }
  return out;
}

/** A world of its own: a KEK folder, owners with data keys (two versions for some) and encrypted objects. */
async function world(name: string, owners = 7) {
  const provider = await FileKeyProvider.open(`file:${path.join(dir, name, 'keys')}`);
  const keyring = new Keyring({ provider });
  const objects = new EncryptedObjects({ store, keyring });
  const ids = Array.from({ length: owners }, (_, i) => `${name}-${i}`);
  for (const [i, id] of ids.entries()) {
    const owner = { type: 'space', id };
    await objects.putEncrypted(db, owner, `${name}/${id}/a`, Buffer.from(`first of ${id}`));
    if (i % 3 === 0) {
      await keyring.rotateDataKey(db, owner);
      await objects.putEncrypted(db, owner, `${name}/${id}/b`, Buffer.from(`second of ${id}`));
    }
  }
  /** Reads every object back through a keyring with an empty cache (another process, after the rotation). */
  const readAll = async (using: FileKeyProvider = provider) => {
    const fresh = new EncryptedObjects({ store, keyring: new Keyring({ provider: using }) });
    const out: string[] = [];
    for await (const { key } of store.list(`${name}/`)) {
      const owner = { type: 'space', id: key.split('/')[1] as string };
      out.push(await text((await fresh.getDecrypted(db, owner, key)).body));
    }
    return out;
  };
  return { provider, keyring, ids, readAll };
}

describe('Keyring.rewrapAll', () => {
  it('re-wraps every data key under the new KEK, touching no data object; a second run changes nothing', async () => {
    const w = await world('full');
    const plaintexts = await w.readAll();
    const objectsBefore = await objectHashes('full/');
    const before = await rows(w.ids);
    expect(before).toHaveLength(10); // 7 owners, 3 of them with a second version
    const oldKek = w.provider.id;
    expect(new Set(before.map((r) => r.kek_id))).toEqual(new Set([oldKek]));

    const newKek = await w.provider.rotate();
    expect(newKek).not.toBe(oldKek);
    const batches: number[] = [];
    const result = await w.keyring.rewrapAll(db, { batchSize: 3, onBatch: (p) => batches.push(p.rewrapped) });
    expect(result.kekId).toBe(newKek);
    expect(result.rewrapped).toBe(10);
    expect(result.failed).toEqual([]);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    const after = await rows(w.ids);
    // Every row moved, with a new ciphertext; ids, owners and versions unchanged.
    expect(after.map((r) => r.kek_id)).toEqual(after.map(() => newKek));
    after.forEach((r, i) => {
      expect(r).toMatchObject({ id: before[i]?.id, owner_id: before[i]?.owner_id, version: before[i]?.version });
      expect(r.wrapped_key).not.toBe(before[i]?.wrapped_key);
    });
    // The objects are the same bytes, and they still decrypt (with an empty key cache).
    expect(await objectHashes('full/')).toEqual(objectsBefore);
    expect(await w.readAll()).toEqual(plaintexts);
    // The cached keyring keeps working too (the data keys themselves did not change).
    expect((await w.keyring.getDataKey(db, { type: 'space', id: 'full-0' }, 2)).version).toBe(2);

    const again = await w.keyring.rewrapAll(db, { batchSize: 3 });
    expect(again.rewrapped).toBe(0);
    expect(await rows(w.ids)).toEqual(after);
    expect(again.byKek).toEqual([{ kekId: newKek, count: 10 }]);
  });

  it('resumes after a crash midway: rows under either KEK read, a new run finishes', async () => {
    const w = await world('crash', 9);
    const plaintexts = await w.readAll();
    const oldKek = w.provider.id;
    const newKek = await w.provider.rotate();
    let seen = 0;
    await expect(
      w.keyring.rewrapAll(db, {
        batchSize: 4,
        onBatch: () => {
          if (++seen === 1) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    const mixed = await rows(w.ids);
    const underNew = mixed.filter((r) => r.kek_id === newKek).length;
    expect(underNew).toBeGreaterThan(0);
    expect(mixed.filter((r) => r.kek_id === oldKek).length).toBeGreaterThan(0);
    expect(underNew + mixed.filter((r) => r.kek_id === oldKek).length).toBe(mixed.length);
    // Midway, everything decrypts: another process holding both KEKs reads both kinds of rows.
    const otherProcess = await FileKeyProvider.open(`file:${w.provider.folder}`, { create: false });
    expect(await w.readAll(otherProcess)).toEqual(plaintexts);
    const finished = await w.keyring.rewrapAll(db, { batchSize: 4 });
    expect(finished.failed).toEqual([]);
    expect((await rows(w.ids)).every((r) => r.kek_id === newKek)).toBe(true);
    expect(await w.readAll()).toEqual(plaintexts);
  });

  it('leaves, and reports, a key whose KEK is gone; other keys still move', async () => {
    const w = await world('lost', 3);
    const lost = await FileKeyProvider.open(`file:${path.join(dir, 'lost-elsewhere', 'keys')}`);
    const orphan = { type: 'space', id: 'lost-orphan' };
    await new Keyring({ provider: lost }).getOrCreateDataKey(db, orphan);
    await w.provider.rotate();
    const result = await w.keyring.rewrapAll(db);
    expect(result.failed).toEqual([expect.objectContaining({ ownerType: 'space', ownerId: 'lost-orphan', version: 1, kekId: lost.id, reason: 'key_unavailable' })]);
    expect(JSON.stringify(result.failed)).not.toMatch(/[A-Za-z0-9+/]{40,}/); // no key material
    expect((await rows(w.ids)).every((r) => r.kek_id === w.provider.id)).toBe(true);
    expect((await rows(['lost-orphan']))[0]?.kek_id).toBe(lost.id);
    expect(result.byKek).toEqual([lost.id, w.provider.id].sort().map((kekId) => ({ kekId, count: kekId === lost.id ? 1 : 4 })));
  });

  it('is safe to run twice at once: each row moves once', async () => {
    const w = await world('twice', 12);
    const plaintexts = await w.readAll();
    const newKek = await w.provider.rotate();
    const other = new Keyring({ provider: w.provider });
    const [a, b] = await Promise.all([w.keyring.rewrapAll(db, { batchSize: 2 }), other.rewrapAll(db, { batchSize: 5 })]);
    expect(a.failed).toEqual([]);
    expect(b.failed).toEqual([]);
    const moved = await rows(w.ids);
    expect(moved.every((r) => r.kek_id === newKek)).toBe(true);
    expect(a.rewrapped + b.rewrapped).toBe(moved.length);
    expect(await w.readAll()).toEqual(plaintexts);
  });
});
