import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.ts';
import { BAD_KEYS, collect, objectStoreContract, readAll } from './object-store.contract.ts';
import { InvalidObjectKeyError, ObjectNotFoundError, resolveRange, RangeNotSatisfiableError, validateObjectKey } from './object-store.ts';

let dir: string;
let store: LocalObjectStore;

// A fresh folder per test (synchronous, so that the shared contract can take the store as is).
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'entente-objects-'));
  const root = path.join(dir, 'cells', 'fr', 'objects');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  store = new LocalObjectStore(root);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

objectStoreContract('local folder', () => store);

describe('LocalObjectStore (on disk)', () => {
  it('creates its folder 0700 and files readable only by their owner', async () => {
    const opened = await LocalObjectStore.open(path.join(dir, 'other', 'objects'));
    expect((await stat(opened.root)).mode & 0o777).toBe(0o700);
    await store.put('a/bytes', new Uint8Array([1, 2, 3]));
    expect((await stat(path.join(store.root, 'a', 'bytes'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(store.root, 'a'))).mode & 0o777).toBe(0o700);
  });

  it('resolveRange agrees with the stores', () => {
    expect(resolveRange({ start: 0 }, 1)).toEqual({ start: 0, end: 0 });
    expect(() => resolveRange({ start: 1.5 }, 10)).toThrow(RangeNotSatisfiableError);
  });

  it('wrote nothing outside the folder for refused keys', async () => {
    for (const key of BAD_KEYS) await store.put(key, Buffer.from('x')).catch(() => {});
    expect(await readdir(path.dirname(store.root))).toEqual(['objects']);
    expect(await readdir(store.root)).toEqual([]);
  });

  it('accepts ordinary keys', () => {
    for (const key of ['a', 'spaces/0190a4b2-1c3d-7e8f-9a0b-1c2d3e4f5a6b/files/v1.bin', 'x/.hidden', 'x/..a', 'a_b-c.d']) {
      expect(() => validateObjectKey(key)).not.toThrow();
    }
  });

  it('does not follow a symbolic link planted in the folder', async () => {
    const outside = path.join(dir, 'secret');
    await writeFile(outside, 'secret');
    await symlink(outside, path.join(store.root, 'link'));
    await expect(store.get('link')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.head('link')).toBeNull();
    expect(await collect(store.list(''))).toEqual([]);
  });

  it('refuses a key that is a folder of other objects, and the reverse', async () => {
    await store.put('a/b', Buffer.from('x'));
    await expect(store.put('a', Buffer.from('y'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.put('a/b/c', Buffer.from('y'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(await store.head('a')).toBeNull();
    await expect(store.get('a')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await collect(store.list(''))).toEqual([{ key: 'a/b', size: 1 }]);
  });

  it('lets a reader that opened the old object finish it after the replacement', async () => {
    // Real S3 guarantees this too (a GET serves one version); s3rver rewrites its files in place.
    const oldBytes = randomBytes(1_000_000);
    await store.put('doc', oldBytes);
    const reading = await store.get('doc');
    await store.put('doc', randomBytes(10));
    expect((await readAll(reading.body)).equals(oldBytes)).toBe(true);
    const current = await store.get('doc');
    current.body.destroy(); // an unread body holds a file descriptor until destroyed
    expect(current.size).toBe(10);
  });

  it('opens an object for positional reads, on the version it opened, with the rules of get', async () => {
    const bytes = randomBytes(300_000);
    await store.put('docs/positional', bytes);
    const reader = await store.openReader('docs/positional');
    expect(reader.size).toBe(bytes.length);
    expect(reader.modifiedAt).toEqual((await stat(path.join(store.root, 'docs', 'positional'))).mtime);
    await store.put('docs/positional', randomBytes(10)); // replaced: the reader keeps the old file
    const buffer = Buffer.alloc(100_000);
    expect(await reader.read(buffer, 10, 1000, 200_000)).toBe(1000);
    expect(buffer.subarray(10, 1010).equals(bytes.subarray(200_000, 201_000))).toBe(true);
    expect(await reader.read(buffer, 0, 100_000, 250_000)).toBe(50_000); // short at the end
    expect(await reader.read(buffer, 0, 100, bytes.length)).toBe(0);
    await reader.close();
    await reader.close(); // idempotent
    await expect(store.openReader('docs/missing')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.openReader('docs')).rejects.toBeInstanceOf(ObjectNotFoundError); // a folder
    await expect(store.openReader('../escape')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await writeFile(path.join(dir, 'secret'), 'secret');
    await symlink(path.join(dir, 'secret'), path.join(store.root, 'link'));
    await expect(store.openReader('link')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('leaves no temporary file when the body fails', async () => {
    await store.put('doc', Buffer.from('old'));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put('doc', failing)).rejects.toThrow('client went away');
    expect(await readdir(store.root)).toEqual(['doc']);
  });

  it('leaves no temporary file when the body fails while a batch is being written', async () => {
    // Batches of 1 MiB are written while the next is gathered: a body failing at 3.5 MiB fails
    // with one write in flight, which must finish before the file is closed and removed.
    const old = randomBytes(10);
    await store.put('doc', old);
    let sent = 0;
    const failing = new Readable({
      read() {
        if (sent >= 3.5 * 1024 * 1024) return void this.destroy(new Error('client went away'));
        sent += 64 * 1024;
        this.push(randomBytes(64 * 1024));
      },
    });
    await expect(store.put('doc', failing)).rejects.toThrow('client went away');
    expect(await readdir(store.root)).toEqual(['doc']);
    expect((await readAll((await store.get('doc')).body)).equals(old)).toBe(true);
  });

  it('writes a many-batch body in order, whatever its chunk sizes', async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const pieces: Buffer[] = [];
    for (let i = 0, n = 1; i < bytes.length; i += n, n = (n * 7919) % 300_000 || 1) pieces.push(bytes.subarray(i, i + n));
    expect((await store.put('big', Readable.from(pieces))).size).toBe(bytes.length);
    expect((await readAll((await store.get('big')).body)).equals(bytes)).toBe(true);
  });

  it('prunes emptied folders on delete', async () => {
    await store.put('x/y/z', Buffer.from('1'));
    await store.put('x/w', Buffer.from('2'));
    await store.delete('x/y/z');
    expect(await readdir(path.join(store.root, 'x'))).toEqual(['w']);
    await store.delete('x/w');
    expect(await readdir(store.root)).toEqual([]);
  });

  it('says which folder is missing or not writable', async () => {
    expect((await store.check()).detail).toContain(store.root);
    const missing = new LocalObjectStore(path.join(dir, 'missing'));
    const result = await missing.check();
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(path.join(dir, 'missing'));
    expect(await readdir(store.root)).toEqual([]);
  });
});
