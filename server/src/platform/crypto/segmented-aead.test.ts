import { createDecipheriv, createHash, hkdfSync, randomBytes, randomInt } from 'node:crypto';
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
  createPositionalDecryptStream,
  createRangeDecryptStream,
  HEADER_SIZE,
  type PositionalSource,
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

/**
 * A positional source over bytes held in memory, placed after `offset` other bytes (as an object
 * header): reads return at most `maxRead` bytes (short reads, as a file may give), `fail` makes
 * the read at or beyond a position fail. Counts closes and reads after close.
 */
function memorySource(stream: Buffer, options: { offset?: number; maxRead?: number; fail?: { at: number; error: Error } } = {}) {
  const offset = options.offset ?? 0;
  const bytes = Buffer.concat([Buffer.alloc(offset, 0xee), stream]);
  const state = { closes: 0, readsAfterClose: 0, bytesRead: 0 };
  const source: PositionalSource = {
    async read(buffer, at, length, position) {
      await new Promise((resolve) => setImmediate(resolve));
      if (state.closes > 0) state.readsAfterClose++;
      if (options.fail && position + length > options.fail.at) throw options.fail.error;
      const n = Math.max(0, Math.min(length, options.maxRead ?? length, bytes.length - position));
      bytes.copy(buffer, at, position, position + n);
      state.bytesRead += n;
      return n;
    },
    async close() {
      state.closes++;
    },
  };
  return { source, state, offset };
}

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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

  describe('positional reads (createPositionalDecryptStream)', () => {
    const positional = (ciphertext: Buffer, size: number, range: { start: number; end?: number } | null, options = {}) => {
      const { source, state, offset } = memorySource(ciphertext, { offset: 9, ...options });
      const plan = range ? ciphertextRange(range, size) : ciphertextRange({ start: 0 }, size);
      return { body: createPositionalDecryptStream(key, aad, ciphertext.subarray(0, HEADER_SIZE), plan, source, offset), state };
    };

    it('decrypts whole streams and ranges around segment and read boundaries, short reads included', async () => {
      // 8 sealed segments are read at a time: sizes and points around 8 and 16 segments too.
      for (const size of [1, S - 1, S, S + 1, 8 * S, 8 * S + 1, 16 * S, 17 * S + 3]) {
        const plaintext = randomBytes(size);
        const ciphertext = await encrypt(plaintext);
        const points = [0, 1, S - 1, S, 2 * S - 1, 8 * S - 1, 8 * S, 8 * S + 1, 16 * S - 1, 16 * S, size - 2, size - 1].filter(
          (p) => p >= 0 && p < size,
        );
        const ranges: { start: number; end?: number }[] = [];
        for (const start of points) {
          ranges.push({ start });
          for (const end of points) if (end >= start) ranges.push({ start, end });
        }
        for (let i = 0; i < 10; i++) {
          const start = randomInt(0, size);
          ranges.push({ start, end: randomInt(start, size) });
        }
        for (const range of ranges) {
          const end = Math.min(range.end ?? size - 1, size - 1);
          for (const maxRead of [undefined, randomInt(1, 3 * CS)]) {
            const { body, state } = positional(ciphertext, size, range, { maxRead });
            const got = await collect(body);
            expect(got.equals(plaintext.subarray(range.start, end + 1)), `${size}: ${range.start}-${range.end} by ${maxRead}`).toBe(true);
            expect(state.closes).toBe(1);
            // Only the segments the range covers were read.
            const plan = ciphertextRange(range, size);
            expect(state.bytesRead).toBe(plan.end - plan.start + 1);
          }
        }
      }
    });

    it('decrypts an empty stream', async () => {
      const ciphertext = await encrypt(Buffer.alloc(0));
      const { source, state } = memorySource(ciphertext);
      const plan = { ...ciphertextRange({ start: 0 }, 1), start: HEADER_SIZE, end: HEADER_SIZE + TAG_SIZE - 1, length: 0 };
      const body = createPositionalDecryptStream(key, aad, ciphertext.subarray(0, HEADER_SIZE), plan, source, 0);
      expect((await collect(body)).length).toBe(0);
      expect(state.closes).toBe(1);
    });

    it('gives a slow reader every byte, and reads ahead only a little', async () => {
      const size = 40 * S + 5;
      const plaintext = randomBytes(size);
      const ciphertext = await encrypt(plaintext);
      const { body, state } = positional(ciphertext, size, null);
      const chunks: Buffer[] = [];
      let maxAhead = 0;
      await pipeline(
        body,
        new Writable({
          highWaterMark: 1,
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            const consumed = chunks.reduce((n, c) => n + c.length, 0);
            maxAhead = Math.max(maxAhead, state.bytesRead - consumed);
            setTimeout(callback, 1);
          },
        }),
      );
      expect(Buffer.concat(chunks).equals(plaintext)).toBe(true);
      // Two buffers of 8 sealed segments and one of plaintext at most, not the whole stream.
      expect(maxAhead).toBeLessThanOrEqual(3 * 8 * CS);
      expect(state.closes).toBe(1);
    });

    it('stops reading and closes the source when the consumer goes away', async () => {
      const size = 40 * S;
      const ciphertext = await encrypt(randomBytes(size));
      const { body, state } = positional(ciphertext, size, null);
      for await (const _chunk of body) break; // destroys the stream
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(state.closes).toBe(1);
      expect(state.readsAfterClose).toBe(0);
      expect(state.bytesRead).toBeLessThan(ciphertext.length / 2);
    });

    it('detects tampering, truncation and a middle segment passed off as the last', async () => {
      const size = 10 * S + 100;
      const plaintext = randomBytes(size);
      const ct = await encrypt(plaintext);
      for (const index of [HEADER_SIZE + 3, HEADER_SIZE + 9 * CS + 1, ct.length - 1]) {
        const tampered = Buffer.from(ct);
        tampered[index] = (tampered[index] as number) ^ 0x10;
        const { body, state } = positional(tampered, size, null);
        await expect(collect(body)).rejects.toBeInstanceOf(DecryptionError);
        expect(state.closes).toBe(1);
      }
      // The stored bytes end early (an object shortened after its size was read).
      const truncated = positional(ct.subarray(0, ct.length - 200), size, null);
      await expect(collect(truncated.body)).rejects.toBeInstanceOf(DecryptionError);
      expect(truncated.state.closes).toBe(1);
      const middle = ciphertextRange({ start: S, end: 2 * S - 1 }, size);
      const { source } = memorySource(ct);
      await expect(
        collect(createPositionalDecryptStream(key, aad, ct.subarray(0, HEADER_SIZE), { ...middle, final: true }, source, 0)),
      ).rejects.toBeInstanceOf(DecryptionError);
      // A segment released before the damaged one is not followed by plaintext of the damaged one.
      const tampered = Buffer.from(ct);
      tampered[HEADER_SIZE + 9 * CS + 1] = (tampered[HEADER_SIZE + 9 * CS + 1] as number) ^ 1;
      const chunks: Buffer[] = [];
      await expect(
        (async () => {
          for await (const chunk of positional(tampered, size, null).body) chunks.push(chunk as Buffer);
        })(),
      ).rejects.toBeInstanceOf(DecryptionError);
      const released = Buffer.concat(chunks);
      expect(released.length).toBeLessThanOrEqual(9 * S);
      expect(released.equals(plaintext.subarray(0, released.length))).toBe(true);
    });

    it('fails with the source read error itself, not as a decryption error', async () => {
      const size = 20 * S;
      const ct = await encrypt(randomBytes(size));
      const error = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      const { body, state } = positional(ct, size, null, { fail: { at: 12 * CS, error } });
      await expect(collect(body)).rejects.toBe(error);
      expect(state.closes).toBe(1);
    });
  });

  describe('format, version 1, stays byte-compatible', () => {
    /**
     * An independent decoder written from the format's description only (header, HKDF segment
     * key, nonce = prefix ‖ counter ‖ last flag, header as AAD), one segment at a time with no
     * streaming: what the implementation writes must read here, whatever its internal changes.
     */
    function referenceDecrypt(stream: Buffer, dataKey: Buffer, associated: string): Buffer {
      const header = stream.subarray(0, HEADER_SIZE);
      expect(header[0]).toBe(1);
      const info = Buffer.concat([Buffer.from('entente-stream/v1\0'), Buffer.from(associated, 'utf8')]);
      const segmentKey = Buffer.from(hkdfSync('sha256', dataKey, header.subarray(1, 33), info, 32));
      const out: Buffer[] = [];
      const body = stream.subarray(HEADER_SIZE);
      const count = Math.max(1, Math.ceil(body.length / CS));
      for (let i = 0; i < count; i++) {
        const sealed = body.subarray(i * CS, (i + 1) * CS);
        const nonce = Buffer.concat([header.subarray(33, 40), Buffer.alloc(5)]);
        nonce.writeUInt32BE(i, 7);
        nonce[11] = i === count - 1 ? 1 : 0;
        const decipher = createDecipheriv('aes-256-gcm', segmentKey, nonce, { authTagLength: 16 });
        decipher.setAAD(header);
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
        out.push(decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE)), decipher.final());
      }
      return Buffer.concat(out);
    }

    it('decrypts a stream written by the first implementation (test vector)', async () => {
      const vectorKey = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
      const vectorAad = 'entente-object/v1\0space\0s1\0spaces/s1/files/f1';
      const stream = Buffer.from(
        '01aa3a399081671b963a3c6b73965c67f1fd2bbd7152ecc35dd8620a625720ff63a3117fa067cc23ef789dfcad98f828' +
          '8209e898d8a2b0cf682d7155683ccd5f0a4190c1e7e94bcac7ebef7aa103648dc5bfb40c9f307c9e865f347d3c161136' +
          'bebbfe926598c2546ed9a99cbeca08d4dfe140',
        'hex',
      );
      const expected = 'Entente — flux chiffré par segments, vecteur de test v1.';
      expect((await decrypt(stream, vectorKey, vectorAad)).toString('utf8')).toBe(expected);
      expect(referenceDecrypt(stream, vectorKey, vectorAad).toString('utf8')).toBe(expected);
      const tampered = Buffer.from(stream);
      tampered[50] = (tampered[50] as number) ^ 1;
      await expect(decrypt(tampered, vectorKey, vectorAad)).rejects.toBeInstanceOf(DecryptionError);
    });

    // Small chunks (many pieces per segment, copied), medium ones (a segment from a few views of
    // the chunks), large ones (views of one chunk): the bytes written are the same format.
    it.each([7, 5000, 30_000, 100_000, 1_000_000])('writes what the reference decoder reads, fed in chunks up to %i bytes', async (max) => {
      for (const size of [0, 1, S - 1, S, S + 1, 3 * S + 12_345]) {
        const plaintext = randomBytes(size);
        if (size > 2 * S && max === 7) continue; // byte-sized feeding of 200 KB is slow and adds nothing
        const ciphertext = await through(plaintext, createEncryptStream(key, aad), max);
        expect(ciphertext.length).toBe(ciphertextSize(size));
        expect(referenceDecrypt(ciphertext, key, aad).equals(plaintext), `${size} bytes`).toBe(true);
        expect((await decrypt(ciphertext, key, aad, max)).equals(plaintext)).toBe(true);
      }
    });

    it('emits the bytes asked for before the header, even for an empty plaintext', async () => {
      for (const size of [0, 10, 2 * S + 1]) {
        const plaintext = randomBytes(size);
        const out = await through(plaintext, createEncryptStream(key, aad, { before: Buffer.from('ENTO') }));
        expect(out.subarray(0, 4).toString('latin1')).toBe('ENTO');
        expect(out.length).toBe(4 + ciphertextSize(size));
        expect(referenceDecrypt(out.subarray(4), key, aad).equals(plaintext)).toBe(true);
      }
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
