import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, ObjectNotFoundError, type ObjectStore, RangeNotSatisfiableError } from './object-store.ts';

/**
 * The behaviour every ObjectStore must have, as a vitest suite. Each implementation's test file
 * calls `objectStoreContract(name, () => store)` with a fresh, empty store per test
 * (`local-object-store.test.ts`, `s3-object-store.test.ts`); what is specific to one backend
 * (files on disk, buckets and prefixes) stays in its own file.
 */
export function objectStoreContract(name: string, fresh: () => ObjectStore, options: ContractOptions = {}): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    beforeEach(() => {
      store = fresh();
    });
    const byteOrder = options.listsInByteOrder ?? true;
    /** The keys as listed, or sorted when the backend is allowed another order (see ContractOptions). */
    const listed = async (prefix: string) => {
      const keys = (await collect(store.list(prefix))).map((o) => o.key);
      return byteOrder ? keys : keys.sort();
    };

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

    it('keeps every byte in order whatever the chunk sizes of the body', async () => {
      const pieces = [0, 1, 1024 * 1024 - 1, 0, 2 * 1024 * 1024 + 3, 7, 65_536, 1].map((n) => randomBytes(n));
      const whole = Buffer.concat(pieces);
      expect((await store.put('chunks', Readable.from(pieces))).size).toBe(whole.length);
      expect((await readAll((await store.get('chunks')).body)).equals(whole)).toBe(true);
      const middle = await store.get('chunks', { range: { start: 1024 * 1024 - 5, end: 1024 * 1024 + 5 } });
      expect((await readAll(middle.body)).equals(whole.subarray(1024 * 1024 - 5, 1024 * 1024 + 6))).toBe(true);
    });

    it('stores buffers and empty objects', async () => {
      await store.put('a/empty', Buffer.alloc(0));
      const empty = await store.get('a/empty');
      expect(empty.size).toBe(0);
      expect((await readAll(empty.body)).length).toBe(0);
      await store.put('a/bytes', new Uint8Array([1, 2, 3]));
      expect([...(await readAll((await store.get('a/bytes')).body))]).toEqual([1, 2, 3]);
      // A view on part of a larger buffer stores only its own bytes.
      const big = Buffer.from('xxhelloxx');
      await store.put('a/view', big.subarray(2, 7));
      expect((await readAll((await store.get('a/view')).body)).toString()).toBe('hello');
      await store.put('a/empty-stream', Readable.from([]));
      expect((await store.head('a/empty-stream'))?.size).toBe(0);
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
        expect(one).toMatchObject({ contentLength: 1, range: { start: 0, end: 0 } });
        const last = await store.get('r', { range: { start: 9, end: 9 } });
        expect((await readAll(last.body)).toString()).toBe('9');
      });

      it('clamps an end beyond the size', async () => {
        const got = await store.get('r', { range: { start: 8, end: 1000 } });
        expect((await readAll(got.body)).toString()).toBe('89');
        expect(got.range).toEqual({ start: 8, end: 9 });
      });

      it('refuses a start at or beyond the size, and malformed ranges', async () => {
        await expect(store.get('r', { range: { start: 10 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
        await expect(store.get('r', { range: { start: 50, end: 60 } })).rejects.toMatchObject({ code: 'range_not_satisfiable', size: 10 });
        await expect(store.get('r', { range: { start: 5, end: 4 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
        await expect(store.get('r', { range: { start: -1 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
        await expect(store.get('r', { range: { start: 1.5 } })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
        await store.put('e', Buffer.alloc(0));
        await expect(store.get('e', { range: { start: 0 } })).rejects.toMatchObject({
          code: 'range_not_satisfiable',
          size: 0,
        });
        await expect(store.get('missing', { range: { start: 5, end: 4 } })).rejects.toBeInstanceOf(ObjectNotFoundError);
      });
    });

    describe('keys', () => {
      it.each(BAD_KEYS)('refuses %j on every operation', async (key) => {
        await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      });

      it('stored nothing for refused keys', async () => {
        for (const key of BAD_KEYS) await store.put(key, Buffer.from('x')).catch(() => {});
        expect(await collect(store.list(''))).toEqual([]);
      });

      it('refuses malformed list prefixes', async () => {
        await expect(collect(store.list('../'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(collect(store.list('/'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(collect(store.list('a//'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(collect(store.list('A'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
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
        // Mid-write: the object is still the old one, and nothing else is listed.
        expect((await store.head('doc'))?.size).toBe(300_000);
        expect((await readAll((await store.get('doc')).body)).equals(oldBytes)).toBe(true);
        expect(await collect(store.list(''))).toEqual([{ key: 'doc', size: 300_000 }]);
        const newBytes = randomBytes(50_000);
        incoming.end(newBytes);
        expect((await writing).size).toBe(150_000);
        expect((await store.head('doc'))?.size).toBe(150_000);
      });

      it('leaves the old object when the body fails, and rejects with its error', async () => {
        await store.put('doc', Buffer.from('old'));
        const failing = new Readable({
          read() {
            this.push(Buffer.alloc(1000));
            this.destroy(new Error('client went away'));
          },
        });
        await expect(store.put('doc', failing)).rejects.toThrow('client went away');
        expect((await readAll((await store.get('doc')).body)).toString()).toBe('old');
        expect(await collect(store.list(''))).toEqual([{ key: 'doc', size: 3 }]);
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
      expect(await listed('')).toEqual([...keys].sort());
      expect((await collect(store.list(''))).find((o) => o.key === 'a/b/d/e')?.size).toBe(7);
      expect(await listed('a/b')).toEqual(['a/b-c', 'a/b/c', 'a/b/d/e', 'a/bc']);
      expect(await listed('a/b/')).toEqual(['a/b/c', 'a/b/d/e']);
      expect(await listed('a')).toEqual(['a-z', 'a/b-c', 'a/b/c', 'a/b/d/e', 'a/bc', 'ab/x']);
      expect(await collect(store.list('zzz/'))).toEqual([]);
    });

    it('deletes idempotently', async () => {
      await store.put('x/y/z', Buffer.from('1'));
      await store.put('x/w', Buffer.from('2'));
      await store.delete('x/y/z');
      await store.delete('x/y/z');
      await store.delete('never/was');
      await store.delete('x'); // a prefix of objects, not an object
      expect(await store.head('x/y/z')).toBeNull();
      await expect(store.get('x/y/z')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await collect(store.list(''))).toEqual([{ key: 'x/w', size: 1 }]);
      // The key can be used again.
      await store.put('x/y/z', Buffer.from('3'));
      expect((await store.head('x/y/z'))?.size).toBe(1);
    });

    it('survives concurrent puts and deletes under one prefix', async () => {
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          await store.put(`p/q/k${i}`, Buffer.from(String(i)));
          if (i % 2) await store.delete(`p/q/k${i}`);
        }),
      );
      expect((await collect(store.list('p/'))).length).toBe(25);
    });

    it('reports itself usable, without credentials in the detail', async () => {
      const check = await store.check();
      expect(check).toMatchObject({ ok: true });
      expect(check.detail).toContain(store.description);
      // The check leaves nothing behind.
      expect(await collect(store.list(''))).toEqual([]);
    });
  });
}

export interface ContractOptions {
  /**
   * Whether `list` must come in byte order (the interface's promise, and real S3's). Only for a
   * test server that cannot: s3rver walks its folders, so `a/b/c` comes before `a/b-c` there.
   */
  listsInByteOrder?: boolean;
}

export const BAD_KEYS = [
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

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A stream of `total` bytes made of `chunk`-sized random pieces, with the SHA-256 of the whole. */
export function randomStream(total: number, chunk = 64 * 1024): { stream: Readable; digest: () => string } {
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
