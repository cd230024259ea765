import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.ts';
import {
  InvalidObjectKeyError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  resolveRange,
  validateObjectKey,
} from './object-store.ts';

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A stream of `total` bytes made of `chunk`-sized random pieces, with the SHA-256 of the whole. */
function randomStream(total: number, chunk = 64 * 1024): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const piece = randomBytes(Math.min(chunk, total - sent));
      sent += piece.length;
      hash.update(piece);
      this.push(piece);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

let dir: string;
let store: LocalObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'entente-objects-'));
  store = await LocalObjectStore.open(path.join(dir, 'cells', 'fr', 'objects'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalObjectStore', () => {
  it('round-trips a 5 MB stream', async () => {
    const { stream, digest } = randomStream(5 * 1024 * 1024, 100_000);
    const { size } = await store.put('spaces/s1/files/f1', stream, { contentType: 'application/pdf' });
    expect(size).toBe(5 * 1024 * 1024);
    const got = await store.get('spaces/s1/files/f1');
    expect(got.size).toBe(size);
    expect(got.contentLength).toBe(size);
    expect(got.range).toBeUndefined();
    const back = await readAll(got.body);
    expect(createHash('sha256').update(back).digest('hex')).toBe(digest());
    const head = await store.head('spaces/s1/files/f1');
    expect(head?.size).toBe(size);
    expect(head?.modifiedAt).toBeInstanceOf(Date);
  });

  it('stores buffers, empty objects and files readable only by their owner', async () => {
    await store.put('a/empty', Buffer.alloc(0));
    const empty = await store.get('a/empty');
    expect(empty.size).toBe(0);
    expect((await readAll(empty.body)).length).toBe(0);
    await store.put('a/bytes', new Uint8Array([1, 2, 3]));
    expect([...(await readAll((await store.get('a/bytes')).body))]).toEqual([1, 2, 3]);
    expect((await stat(path.join(store.root, 'a', 'bytes'))).mode & 0o777).toBe(0o600);
  });

  describe('ranges (inclusive end, as HTTP)', () => {
    const data = Buffer.from('0123456789');
    beforeEach(async () => {
      await store.put('r', data);
    });

    it('serves from a start to the end', async () => {
      const got = await store.get('r', { range: { start: 7 } });
      expect((await readAll(got.body)).toString()).toBe('789');
      expect(got).toMatchObject({ size: 10, contentLength: 3, range: { start: 7, end: 9 } });
    });

    it('serves start..end inclusive', async () => {
      const got = await store.get('r', { range: { start: 2, end: 4 } });
      expect((await readAll(got.body)).toString()).toBe('234');
      expect(got.contentLength).toBe(3);
      const one = await store.get('r', { range: { start: 0, end: 0 } });
      expect((await readAll(one.body)).toString()).toBe('0');
    });

    it('clamps an end beyond the size', async () => {
      const got = await store.get('r', { range: { start: 8, end: 1000 } });
      expect((await readAll(got.body)).toString()).toBe('89');
      expect(got.range).toEqual({ start: 8, end: 9 });
    });

    it('refuses a start at or beyond the size, and malformed ranges', async () => {
      await expect(store.get('r', { range: { start: 10 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      await expect(store.get('r', { range: { start: 50, end: 60 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      await expect(store.get('r', { range: { start: 5, end: 4 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      await expect(store.get('r', { range: { start: -1 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      await store.put('e', Buffer.alloc(0));
      await expect(store.get('e', { range: { start: 0 } })).rejects.toMatchObject({
        code: 'range_not_satisfiable',
        size: 0,
      });
    });

    it('resolveRange agrees', () => {
      expect(resolveRange({ start: 0 }, 1)).toEqual({ start: 0, end: 0 });
      expect(() => resolveRange({ start: 1.5 }, 10)).toThrow(RangeNotSatisfiableError);
    });
  });

  describe('keys', () => {
    const bad = [
      '../x',
      '/etc/passwd',
      'a/../../b',
      'a/./b',
      'a\u0000b',
      'a\\..\\b',
      '..',
      '.',
      '',
      'a//b',
      'a/',
      'A/b',
      'a b',
      'é',
      '~tmp',
      'x'.repeat(201),
      'a/'.repeat(600),
    ];
    it.each(bad)('refuses %j on every operation', async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.head(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    });

    it('wrote nothing outside the folder', async () => {
      for (const key of bad) await store.put(key, Buffer.from('x')).catch(() => {});
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
  });

  describe('atomic overwrite', () => {
    it('keeps serving the old bytes while a new version is being written', async () => {
      const oldBytes = randomBytes(300_000);
      await store.put('doc', oldBytes);
      const incoming = new PassThrough();
      const writing = store.put('doc', incoming);
      incoming.write(randomBytes(100_000));
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Mid-write: the object is still the old one, and no temporary file is listed.
      expect((await store.head('doc'))?.size).toBe(300_000);
      expect((await readAll((await store.get('doc')).body)).equals(oldBytes)).toBe(true);
      expect(await collect(store.list(''))).toEqual([{ key: 'doc', size: 300_000 }]);
      const newBytes = randomBytes(50_000);
      incoming.end(newBytes);
      expect((await writing).size).toBe(150_000);
      expect((await store.head('doc'))?.size).toBe(150_000);
    });

    it('lets a reader that opened the old object finish it after the replacement', async () => {
      const oldBytes = randomBytes(1_000_000);
      await store.put('doc', oldBytes);
      const reading = await store.get('doc');
      await store.put('doc', randomBytes(10));
      expect((await readAll(reading.body)).equals(oldBytes)).toBe(true);
      const current = await store.get('doc');
      current.body.destroy(); // an unread body holds a file descriptor until destroyed
      expect(current.size).toBe(10);
    });

    it('leaves the old object and no temporary file when the body fails', async () => {
      await store.put('doc', Buffer.from('old'));
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1000));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put('doc', failing)).rejects.toThrow('client went away');
      expect((await readAll((await store.get('doc')).body)).toString()).toBe('old');
      expect(await readdir(store.root)).toEqual(['doc']);
    });
  });

  it('throws ObjectNotFoundError for a missing object and head returns null', async () => {
    await expect(store.get('nope')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.get('nope/deeper', { range: { start: 0 } })).rejects.toMatchObject({
      code: 'object_not_found',
      key: 'nope/deeper',
    });
    expect(await store.head('nope')).toBeNull();
  });

  it('lists by prefix in byte order, as S3', async () => {
    const keys = ['a/b/c', 'a/b-c', 'a/bc', 'a/b/d/e', 'b', 'a-z', 'ab/x'];
    for (const key of keys) await store.put(key, Buffer.from(key));
    const all = await collect(store.list(''));
    expect(all.map((o) => o.key)).toEqual([...keys].sort());
    expect(all.find((o) => o.key === 'a/b/d/e')?.size).toBe(7);
    expect((await collect(store.list('a/b'))).map((o) => o.key)).toEqual(['a/b-c', 'a/b/c', 'a/b/d/e', 'a/bc']);
    expect((await collect(store.list('a/b/'))).map((o) => o.key)).toEqual(['a/b/c', 'a/b/d/e']);
    expect((await collect(store.list('a'))).map((o) => o.key)).toEqual(['a-z', 'a/b-c', 'a/b/c', 'a/b/d/e', 'a/bc', 'ab/x']);
    expect(await collect(store.list('zzz/'))).toEqual([]);
    await expect(collect(store.list('../'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(collect(store.list('/'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });

  it('deletes idempotently and prunes emptied folders', async () => {
    await store.put('x/y/z', Buffer.from('1'));
    await store.put('x/w', Buffer.from('2'));
    await store.delete('x/y/z');
    await store.delete('x/y/z');
    await store.delete('never/was');
    await store.delete('x'); // a folder, not an object
    expect(await store.head('x/y/z')).toBeNull();
    expect(await readdir(path.join(store.root, 'x'))).toEqual(['w']);
    await store.delete('x/w');
    expect(await readdir(store.root)).toEqual([]);
    // The folders come back on the next put.
    await store.put('x/y/z', Buffer.from('3'));
    expect((await store.head('x/y/z'))?.size).toBe(1);
  });

  it('survives concurrent puts and deletes in the same folder', async () => {
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await store.put(`p/q/k${i}`, Buffer.from(String(i)));
        if (i % 2) await store.delete(`p/q/k${i}`);
      }),
    );
    expect((await collect(store.list('p/'))).length).toBe(25);
  });

  it('checks that the folder exists and is writable', async () => {
    expect(await store.check()).toMatchObject({ ok: true });
    expect((await store.check()).detail).toContain(store.root);
    const missing = new LocalObjectStore(path.join(dir, 'missing'));
    const result = await missing.check();
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(path.join(dir, 'missing'));
    expect(await readdir(store.root)).toEqual([]);
  });
});
