import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStores } from '../../../test/support/db.ts';
import type { CellDb } from '../db/types.ts';
import { LocalObjectStore } from '../objects/local-object-store.ts';
import {
  type GetOptions,
  InvalidObjectKeyError,
  ObjectNotFoundError,
  type ObjectReader,
  type ObjectStore,
  RangeNotSatisfiableError,
} from '../objects/object-store.ts';
import { EncryptedObjects, OBJECT_HEADER_SIZE } from './encrypted-objects.ts';
import { DecryptionError, KeyUnavailableError } from './errors.ts';
import { FileKeyProvider } from './file-key-provider.ts';
import { Keyring } from './keyring.ts';
import { ciphertextSize, HEADER_SIZE, SEGMENT_SIZE, TAG_SIZE } from './segmented-aead.ts';

const S = SEGMENT_SIZE;
const CS = SEGMENT_SIZE + TAG_SIZE;

let close: () => Promise<void>;
let db: CellDb;
let dir: string;
let local: LocalObjectStore;
let keyring: Keyring;
/**
 * The same objects through two stores: one that only streams (as the S3 store: `get`), one that
 * also opens objects for positional reads (the local store's `openReader`, which getDecrypted
 * then uses). Both must behave alike.
 */
const variants: Record<'streamed' | 'positional', EncryptedObjects> = {} as never;
/** Byte ranges read from the store, to check that only the needed segments are read. */
let reads: { key: string; start: number; end: number }[] = [];
/** Readers opened and closed (positional variant): every download closes its file. */
const readers = { opened: 0, closed: 0 };

beforeAll(async () => {
  const opened = await openTestStores();
  close = opened.close;
  db = opened.stores.cells.FR.db;
  dir = await mkdtemp(path.join(tmpdir(), 'entente-encrypted-'));
  local = await LocalObjectStore.open(path.join(dir, 'objects'));
  const streamed: ObjectStore = {
    description: local.description,
    put: (key, body, opts) => local.put(key, body, opts),
    get: async (key, opts?: GetOptions) => {
      const result = await local.get(key, opts);
      reads.push({ key, start: result.range?.start ?? 0, end: result.range?.end ?? result.size - 1 });
      return result;
    },
    head: (key) => local.head(key),
    delete: (key) => local.delete(key),
    list: (prefix) => local.list(prefix),
    check: () => local.check(),
  };
  const positional: ObjectStore = {
    ...streamed,
    get: () => Promise.reject(new Error('the positional variant reads through openReader only')),
    openReader: async (key): Promise<ObjectReader> => {
      const reader = await local.openReader(key);
      readers.opened++;
      let closed = false;
      return {
        size: reader.size,
        modifiedAt: reader.modifiedAt,
        read: async (buffer, offset, length, position) => {
          expect(closed).toBe(false);
          const n = await reader.read(buffer, offset, length, position);
          if (n > 0) reads.push({ key, start: position, end: position + n - 1 });
          return n;
        },
        close: async () => {
          if (!closed) readers.closed++;
          closed = true;
          await reader.close();
        },
      };
    },
  };
  keyring = new Keyring({ provider: await FileKeyProvider.open(`file:${path.join(dir, 'keys')}`) });
  variants.streamed = new EncryptedObjects({ store: streamed, keyring });
  variants.positional = new EncryptedObjects({ store: positional, keyring });
});
afterAll(async () => {
  await close?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Reads that touch one another merged: the spans of the object that were read. */
function spans(list: { start: number; end: number }[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const r of list) {
    const previous = merged.at(-1);
    if (previous && r.start === previous.end + 1) previous.end = r.end;
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let n = 0;
const owner = () => ({ type: 'space', id: `0190a4b2-0000-7000-8000-${String(++n).padStart(12, '0')}` });

describe.each(['streamed', 'positional'] as const)('EncryptedObjects (%s store)', (variant) => {
  let objects: EncryptedObjects;
  beforeAll(() => {
    objects = variants[variant];
  });
  afterEach(async () => {
    // Every file the positional variant opened is closed, whatever happened to the download.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readers.closed).toBe(readers.opened);
  });

  it('stores only ciphertext and gives the plaintext back', async () => {
    const o = owner();
    const plaintext = Buffer.concat([Buffer.from('%PDF-1.7 confidentiel '), randomBytes(3 * S + 1234)]);
    const put = await objects.putEncrypted(db, o, 'spaces/a/files/report', plaintext, { contentType: 'application/pdf' });
    expect(put).toEqual({ size: plaintext.length, storedSize: OBJECT_HEADER_SIZE + ciphertextSize(plaintext.length), keyVersion: 1 });
    const stored = await readFile(path.join(local.root, 'spaces', 'a', 'files', 'report'));
    expect(stored.length).toBe(put.storedSize);
    expect(stored.includes(Buffer.from('confidentiel'))).toBe(false);
    expect(stored.subarray(0, 9).equals(Buffer.from([0x45, 0x4e, 0x54, 0x4f, 1, 0, 0, 0, 1]))).toBe(true);
    const got = await objects.getDecrypted(db, o, 'spaces/a/files/report');
    expect(got.size).toBe(plaintext.length);
    expect(got.contentLength).toBe(plaintext.length);
    expect(got.range).toBeUndefined();
    expect((await readAll(got.body)).equals(plaintext)).toBe(true);
    expect((await objects.head('spaces/a/files/report'))?.size).toBe(plaintext.length);
  });

  it('streams a 5 MB body in and out', async () => {
    const o = owner();
    const plaintext = randomBytes(5 * 1024 * 1024);
    await objects.putEncrypted(db, o, 'big', Readable.from([plaintext.subarray(0, 1_000_001), plaintext.subarray(1_000_001)]));
    const got = await objects.getDecrypted(db, o, 'big');
    const back = await readAll(got.body);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(plaintext).digest('hex'));
  });

  it('handles empty objects', async () => {
    const o = owner();
    await objects.putEncrypted(db, o, 'empty', Buffer.alloc(0));
    const got = await objects.getDecrypted(db, o, 'empty');
    expect(got.size).toBe(0);
    expect((await readAll(got.body)).length).toBe(0);
    await expect(objects.getDecrypted(db, o, 'empty', { range: { start: 0 } })).rejects.toBeInstanceOf(
      RangeNotSatisfiableError,
    );
  });

  it('serves byte ranges by reading only the segments they cover', async () => {
    const o = owner();
    const plaintext = randomBytes(10 * S + 777);
    await objects.putEncrypted(db, o, 'ranged', plaintext);
    const ranges = [
      { start: 0, end: 0 },
      { start: 5 * S - 1, end: 5 * S },
      { start: 3 * S, end: 4 * S - 1 },
      { start: 10 * S + 700 },
      { start: 9 * S, end: 100 * S },
      ...Array.from({ length: 15 }, () => {
        const start = randomInt(0, plaintext.length);
        return { start, end: randomInt(start, plaintext.length) };
      }),
    ];
    for (const range of ranges) {
      reads = [];
      const got = await objects.getDecrypted(db, o, 'ranged', { range });
      const end = Math.min(range.end ?? plaintext.length - 1, plaintext.length - 1);
      expect(got.range).toEqual({ start: range.start, end });
      expect(got.contentLength).toBe(end - range.start + 1);
      expect(got.size).toBe(plaintext.length);
      expect((await readAll(got.body)).equals(plaintext.subarray(range.start, end + 1))).toBe(true);
      // First the headers, then exactly the covered segments.
      expect(reads[0]).toEqual({ key: 'ranged', start: 0, end: OBJECT_HEADER_SIZE + HEADER_SIZE - 1 });
      const segments = Math.floor(end / S) - Math.floor(range.start / S) + 1;
      const segmentReads = spans(reads.slice(1));
      expect(segmentReads).toHaveLength(1);
      const segmentRead = segmentReads[0] as { start: number; end: number };
      expect(segmentRead.start).toBe(OBJECT_HEADER_SIZE + HEADER_SIZE + Math.floor(range.start / S) * CS);
      expect(segmentRead.end - segmentRead.start + 1).toBeLessThanOrEqual(segments * CS);
      if (variant === 'streamed') expect(reads).toHaveLength(2);
    }
    await expect(objects.getDecrypted(db, o, 'ranged', { range: { start: plaintext.length } })).rejects.toBeInstanceOf(
      RangeNotSatisfiableError,
    );
  });

  it('still decrypts old objects after the data key is rotated', async () => {
    const o = owner();
    const oldText = randomBytes(1000);
    await objects.putEncrypted(db, o, 'v/old', oldText);
    await keyring.rotateDataKey(db, o);
    const newText = randomBytes(1000);
    expect((await objects.putEncrypted(db, o, 'v/new', newText)).keyVersion).toBe(2);
    expect((await readFile(path.join(local.root, 'v', 'new')))[8]).toBe(2);
    keyring.forget();
    expect((await readAll((await objects.getDecrypted(db, o, 'v/old')).body)).equals(oldText)).toBe(true);
    expect((await readAll((await objects.getDecrypted(db, o, 'v/new')).body)).equals(newText)).toBe(true);
  });

  it('does not decrypt for another owner or under another key', async () => {
    const a = owner();
    const b = owner();
    await objects.putEncrypted(db, a, 'mine', randomBytes(5000));
    // b has no data key at all
    await expect(objects.getDecrypted(db, b, 'mine')).rejects.toBeInstanceOf(KeyUnavailableError);
    // b has one: the segments do not authenticate
    await objects.putEncrypted(db, b, 'theirs', randomBytes(10));
    const wrongOwner = await objects.getDecrypted(db, b, 'mine');
    await expect(readAll(wrongOwner.body)).rejects.toBeInstanceOf(DecryptionError);
    // The object copied to another key (same owner) does not decrypt either.
    await writeFile(path.join(local.root, 'copied'), await readFile(path.join(local.root, 'mine')));
    const copied = await objects.getDecrypted(db, a, 'copied');
    await expect(readAll(copied.body)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('detects a tampered object', async () => {
    const o = owner();
    await objects.putEncrypted(db, o, 't', randomBytes(3 * S));
    const file = path.join(local.root, 't');
    const original = await readFile(file);
    const flipped = Buffer.from(original);
    flipped[OBJECT_HEADER_SIZE + HEADER_SIZE + CS + 3] = (flipped[OBJECT_HEADER_SIZE + HEADER_SIZE + CS + 3] as number) ^ 4;
    await writeFile(file, flipped);
    await expect(readAll((await objects.getDecrypted(db, o, 't')).body)).rejects.toBeInstanceOf(DecryptionError);
    // The untouched first segment is still readable by range.
    expect((await readAll((await objects.getDecrypted(db, o, 't', { range: { start: 0, end: 9 } })).body)).length).toBe(10);
    await writeFile(file, original.subarray(0, original.length - CS)); // truncated by a whole segment
    await expect(readAll((await objects.getDecrypted(db, o, 't')).body)).rejects.toBeInstanceOf(DecryptionError);
    await writeFile(file, Buffer.from('plain text, not ours'));
    await expect(objects.getDecrypted(db, o, 't')).rejects.toBeInstanceOf(DecryptionError);
    await writeFile(file, Buffer.alloc(0));
    await expect(objects.getDecrypted(db, o, 't')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('gives back objects of every size around segment boundaries, whole and by ranges', async () => {
    const o = owner();
    for (const size of [1, S - 1, S, S + 1, 3 * S, 8 * S + 1, 16 * S, 16 * S + 5]) {
      const plaintext = randomBytes(size);
      const key = `sizes/${size}`;
      await objects.putEncrypted(db, o, key, plaintext);
      const whole = await objects.getDecrypted(db, o, key);
      expect(whole.contentLength).toBe(size);
      expect((await readAll(whole.body)).equals(plaintext)).toBe(true);
      const last = size - 1;
      const ranges = [
        { start: 0, end: 0 },
        { start: last },
        { start: Math.floor(last / 2), end: Math.floor(last / 2) + 1 },
        ...(size > S ? [{ start: S - 1, end: S }, { start: S, end: 2 * S - 1 }, { start: 100, end: S + 100 }, { start: S + 7 }] : []),
      ].filter((range) => range.start < size);
      for (const range of ranges) {
        const end = Math.min(range.end ?? last, last);
        const got = await objects.getDecrypted(db, o, key, { range });
        expect(got.range).toEqual({ start: range.start, end });
        expect((await readAll(got.body)).equals(plaintext.subarray(range.start, end + 1)), `${size}: ${range.start}-${end}`).toBe(true);
      }
    }
  });

  it('keeps reading the version a download opened when the object is replaced meanwhile', async () => {
    const o = owner();
    const before = randomBytes(2 * 1024 * 1024);
    const after = randomBytes(2 * 1024 * 1024);
    await objects.putEncrypted(db, o, 'replaced', before);
    const got = await objects.getDecrypted(db, o, 'replaced');
    await objects.putEncrypted(db, o, 'replaced', after);
    expect((await readAll(got.body)).equals(before)).toBe(true);
    expect((await readAll((await objects.getDecrypted(db, o, 'replaced')).body)).equals(after)).toBe(true);
  });

  it('stops reading when the consumer goes away', async () => {
    const o = owner();
    await objects.putEncrypted(db, o, 'abandoned', randomBytes(5 * 1024 * 1024));
    reads = [];
    const got = await objects.getDecrypted(db, o, 'abandoned');
    for await (const _chunk of got.body) break; // destroys the body
    // (afterEach: the positional variant closed its file)
    if (variant === 'positional') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const read = reads.reduce((n, r) => n + r.end - r.start + 1, 0);
      expect(read).toBeLessThan(2 * 1024 * 1024);
    }
  });

  it('reports missing objects and invalid keys as the store does', async () => {
    const o = owner();
    await expect(objects.getDecrypted(db, o, 'nothing/here')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await objects.head('nothing/here')).toBeNull();
    await expect(objects.putEncrypted(db, o, '../escape', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await objects.putEncrypted(db, o, 'gone', Buffer.from('x'));
    await objects.delete('gone');
    await objects.delete('gone');
    await expect(objects.getDecrypted(db, o, 'gone')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});
