import { createHash, randomBytes, randomInt } from 'node:crypto';
import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RangeNotSatisfiableError } from '../objects/object-store.ts';
import { DecryptionError } from './errors.ts';
import {
  ciphertextRange,
  ciphertextSize,
  createDecryptStream,
  createEncryptStream,
  createRangeDecryptStream,
  HEADER_SIZE,
  plaintextSize,
  SEGMENT_SIZE,
  TAG_SIZE,
} from './segmented-aead.ts';

const S = SEGMENT_SIZE;
const CS = SEGMENT_SIZE + TAG_SIZE;
const key = randomBytes(32);
const aad = 'space\u0000s1\u0000files/f1';

/** Feeds `data` in pieces of random sizes up to `max` bytes. */
function chunked(data: Buffer, max = 100_000): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; ) {
    const n = Math.min(data.length - i, randomInt(1, max + 1));
    pieces.push(data.subarray(i, i + n));
    i += n;
  }
  return Readable.from(pieces);
}

async function through(data: Buffer, transform: Transform, max?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(chunked(data, max), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

const encrypt = (plaintext: Buffer, k = key, a = aad) => through(plaintext, createEncryptStream(k, a));
const decrypt = (ciphertext: Buffer, k = key, a = aad, max?: number) => through(ciphertext, createDecryptStream(k, a), max);

function decryptRange(ciphertext: Buffer, size: number, range: { start: number; end?: number }, a = aad): Promise<Buffer> {
  const plan = ciphertextRange(range, size);
  const slice = ciphertext.subarray(plan.start, plan.end + 1);
  return through(slice, createRangeDecryptStream(key, a, ciphertext.subarray(0, HEADER_SIZE), plan));
}

describe('segmented AEAD', () => {
  it.each([0, 1, 65535, 65536, 65537, 2 * 65536, 5 * 1024 * 1024])('round-trips %i bytes', async (size) => {
    const plaintext = randomBytes(size);
    const ciphertext = await encrypt(plaintext);
    expect(ciphertext.length).toBe(ciphertextSize(size));
    expect(plaintextSize(ciphertext.length)).toBe(size);
    expect(ciphertext[0]).toBe(1);
    const back = await decrypt(ciphertext);
    expect(back.equals(plaintext)).toBe(true);
    // Byte-by-byte feeding must give the same result as big chunks.
    if (size <= 65537) expect((await decrypt(ciphertext, key, aad, 7)).equals(plaintext)).toBe(true);
  });

  it('maps sizes both ways and refuses impossible ciphertext sizes', () => {
    expect(ciphertextSize(0)).toBe(HEADER_SIZE + TAG_SIZE);
    expect(ciphertextSize(S)).toBe(HEADER_SIZE + CS);
    expect(ciphertextSize(S + 1)).toBe(HEADER_SIZE + CS + 1 + TAG_SIZE);
    for (const n of [0, 1, 100, S - 1, S, S + 1, 3 * S, 3 * S + 17, 10_000_000]) {
      expect(plaintextSize(ciphertextSize(n))).toBe(n);
    }
    for (const c of [0, HEADER_SIZE, HEADER_SIZE + TAG_SIZE - 1, HEADER_SIZE + CS + 5, HEADER_SIZE + CS + TAG_SIZE]) {
      expect(() => plaintextSize(c)).toThrow(DecryptionError);
    }
  });

  it('decrypts any range from the segments it covers only', async () => {
    for (const size of [1, 100, S, S + 1, 3 * S + 12_345]) {
      const plaintext = randomBytes(size);
      const ciphertext = await encrypt(plaintext);
      // Every pair of interesting points (segment edges), and random ranges.
      const points = [0, 1, S - 1, S, S + 1, 2 * S - 1, 2 * S, 3 * S, size - 2, size - 1].filter((p) => p >= 0 && p < size);
      const ranges: { start: number; end?: number }[] = [];
      for (const start of points) {
        ranges.push({ start });
        for (const end of points) if (end >= start) ranges.push({ start, end });
      }
      for (let i = 0; i < 40; i++) {
        const start = randomInt(0, size);
        ranges.push({ start, end: randomInt(start, size) });
      }
      for (const range of ranges) {
        const plan = ciphertextRange(range, size);
        const end = range.end ?? size - 1;
        expect(plan.end - plan.start + 1).toBeLessThanOrEqual((Math.floor(end / S) - Math.floor(range.start / S) + 1) * CS);
        const got = await decryptRange(ciphertext, size, range);
        expect(got.equals(plaintext.subarray(range.start, end + 1)), `${size}: ${range.start}-${range.end}`).toBe(true);
      }
    }
  });

  it('clamps a range end beyond the size and refuses a start at or beyond it', async () => {
    const plaintext = randomBytes(S + 10);
    const ciphertext = await encrypt(plaintext);
    const plan = ciphertextRange({ start: S, end: 10 * S }, plaintext.length);
    expect(plan.plaintext).toEqual({ start: S, end: S + 9 });
    expect(plan.end).toBe(ciphertext.length - 1);
    expect((await decryptRange(ciphertext, plaintext.length, { start: S, end: 10 * S })).equals(plaintext.subarray(S))).toBe(
      true,
    );
    expect(() => ciphertextRange({ start: S + 10 }, S + 10)).toThrow(RangeNotSatisfiableError);
    expect(() => ciphertextRange({ start: 0 }, 0)).toThrow(RangeNotSatisfiableError);
  });

  describe('detects tampering', () => {
    const size = 3 * S + 100;
    const plaintext = randomBytes(size);
    const segment = (ct: Buffer, i: number) => ct.subarray(HEADER_SIZE + i * CS, HEADER_SIZE + (i + 1) * CS);

    async function expectRejected(ciphertext: Buffer, a = aad): Promise<void> {
      await expect(decrypt(ciphertext, key, a)).rejects.toBeInstanceOf(DecryptionError);
    }

    it('truncation: the last segment dropped, a byte dropped, the header only, nothing', async () => {
      const ct = await encrypt(plaintext);
      await expectRejected(ct.subarray(0, HEADER_SIZE + 3 * CS));
      await expectRejected(ct.subarray(0, HEADER_SIZE + 2 * CS));
      await expectRejected(ct.subarray(0, ct.length - 1));
      await expectRejected(ct.subarray(0, HEADER_SIZE));
      await expectRejected(ct.subarray(0, 10));
      await expectRejected(Buffer.alloc(0));
      // An empty plaintext's lone segment cannot be dropped either.
      const empty = await encrypt(Buffer.alloc(0));
      await expectRejected(empty.subarray(0, HEADER_SIZE));
    });

    it('appended bytes', async () => {
      const ct = await encrypt(plaintext);
      await expectRejected(Buffer.concat([ct, Buffer.alloc(1)]));
      await expectRejected(Buffer.concat([ct, segment(ct, 0)]));
    });

    it('a bit flipped anywhere', async () => {
      const ct = await encrypt(plaintext);
      for (const index of [0, 1, 20, HEADER_SIZE - 1, HEADER_SIZE, HEADER_SIZE + CS + 5, ct.length - 17, ct.length - 1]) {
        const tampered = Buffer.from(ct);
        tampered[index] = (tampered[index] as number) ^ 0x80;
        await expectRejected(tampered);
      }
    });

    it('segments reordered, swapped with another stream, or a segment repeated', async () => {
      const ct = await encrypt(plaintext);
      const header = ct.subarray(0, HEADER_SIZE);
      const last = ct.subarray(HEADER_SIZE + 3 * CS);
      await expectRejected(Buffer.concat([header, segment(ct, 1), segment(ct, 0), segment(ct, 2), last]));
      await expectRejected(Buffer.concat([header, segment(ct, 0), segment(ct, 0), segment(ct, 2), last]));
      // Same key, same AAD, same plaintext: a segment of another stream still does not fit.
      const other = await encrypt(plaintext);
      await expectRejected(Buffer.concat([header, segment(ct, 0), segment(other, 1), segment(ct, 2), last]));
      await expectRejected(Buffer.concat([other.subarray(0, HEADER_SIZE), ct.subarray(HEADER_SIZE)]));
    });

    it('another AAD (owner/object) or another key', async () => {
      const ct = await encrypt(plaintext);
      await expectRejected(ct, 'space\u0000s2\u0000files/f1');
      await expectRejected(ct, 'space\u0000s1\u0000files/f2');
      await expect(decrypt(ct, randomBytes(32))).rejects.toBeInstanceOf(DecryptionError);
      const empty = await encrypt(Buffer.alloc(0));
      await expectRejected(empty, 'other');
    });

    it('in range reads too', async () => {
      const ct = await encrypt(plaintext);
      const tampered = Buffer.from(ct);
      tampered[HEADER_SIZE + CS + 10] = (tampered[HEADER_SIZE + CS + 10] as number) ^ 1;
      await expect(decryptRange(tampered, size, { start: S + 5, end: S + 6 })).rejects.toBeInstanceOf(DecryptionError);
      await expect(decryptRange(ct, size, { start: S + 5, end: S + 6 }, 'other')).rejects.toBeInstanceOf(DecryptionError);
      // The untouched segments still read.
      expect((await decryptRange(tampered, size, { start: 0, end: 9 })).equals(plaintext.subarray(0, 10))).toBe(true);
      // A short range input (the store returned less) fails.
      const plan = ciphertextRange({ start: 0, end: 2 * S }, size);
      const short = ct.subarray(plan.start, plan.end);
      await expect(
        through(short, createRangeDecryptStream(key, aad, ct.subarray(0, HEADER_SIZE), plan)),
      ).rejects.toBeInstanceOf(DecryptionError);
      // Passing off a middle segment as the last one fails.
      const middle = ciphertextRange({ start: S, end: 2 * S - 1 }, size);
      await expect(
        through(
          ct.subarray(middle.start, middle.end + 1),
          createRangeDecryptStream(key, aad, ct.subarray(0, HEADER_SIZE), { ...middle, final: true }),
        ),
      ).rejects.toBeInstanceOf(DecryptionError);
    });
  });

  it('encrypts and decrypts 50 MB in constant memory', async () => {
    // Live memory is measured after a full collection (garbage is not what "constant" is about),
    // every 4 MB, while the 50 MB flow source → encrypt → decrypt → hash.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = async () => {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10)); // ArrayBuffers are freed off-thread
    };
    const live = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const total = 50 * 1024 * 1024;
    const piece = randomBytes(256 * 1024);
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= total) return void this.push(null);
        produced += piece.length;
        this.push(piece);
      },
    });
    const expected = createHash('sha256');
    for (let i = 0; i < total / piece.length; i++) expected.update(piece);
    const actual = createHash('sha256');
    let bytes = 0;
    const samples: number[] = [];
    await settle();
    const baseline = live();
    await pipeline(
      source,
      createEncryptStream(key, aad),
      createDecryptStream(key, aad),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          actual.update(chunk);
          const before = bytes;
          bytes += chunk.length;
          if (Math.floor(bytes / (4 << 20)) === Math.floor(before / (4 << 20))) return callback();
          settle().then(() => {
            samples.push(live() - baseline);
            callback();
          }, callback);
        },
      }),
    );
    expect(bytes).toBe(total);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    expect(samples.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...samples)).toBeLessThan(10 * 1024 * 1024);
  });
});
