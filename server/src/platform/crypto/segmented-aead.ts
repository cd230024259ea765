import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { type ByteRange, type ResolvedRange, resolveRange } from '../objects/object-store.ts';
import { DecryptionError } from './errors.ts';

/**
 * Streaming authenticated encryption in segments: the STREAM construction (Hoang, Reyhanitabar,
 * Rogaway, Vizár) as in Tink's AES-GCM-HKDF streaming AEAD and in age, so that large objects are
 * encrypted and decrypted in constant memory and a byte range is decrypted by reading only the
 * segments it covers.
 *
 * Format, version 1 (offsets from the start of the stream):
 *
 *     header (40 bytes):  0x01 (version) ‖ salt (32 random bytes) ‖ nonce prefix (7 random bytes)
 *     segment i:          AES-256-GCM(segment key, nonce_i, plaintext_i, aad = header) ‖ tag (16)
 *
 * - Plaintext segments are 64 KiB, except the last, which holds 1 to 64 KiB (0 only for an empty
 *   plaintext, which is one empty last segment). So sizes map exactly both ways.
 * - segment key = HKDF-SHA256(ikm = the 256-bit data key, salt, info = "entente-stream/v1" NUL
 *   aad). A fresh key per stream: nonces never repeat under one key even with billions of
 *   streams per data key, and a stream made for one owner/object (aad) does not decrypt for another.
 * - nonce_i = nonce prefix (7) ‖ i as a 32-bit big-endian counter (4) ‖ 0x01 for the last segment,
 *   0x00 otherwise (1). Reordering and dropping segments fail (counter), so does truncation after
 *   a segment boundary (the new last segment was not sealed as last), and appending.
 * - The header is each segment's associated data: changing it fails every segment.
 *
 * Every segment is authenticated before any of its plaintext is released; a failure is a
 * DecryptionError raised as a stream error, which the consumer must treat as the failure of the
 * whole read (an HTTP response is then aborted, not completed).
 */

export const FORMAT_VERSION = 1;
export const SEGMENT_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const SALT_SIZE = 32;
export const NONCE_PREFIX_SIZE = 7;
export const HEADER_SIZE = 1 + SALT_SIZE + NONCE_PREFIX_SIZE;
export const KEY_SIZE = 32;
const CIPHER_SEGMENT_SIZE = SEGMENT_SIZE + TAG_SIZE;
const MAX_SEGMENTS = 2 ** 32;

export type Aad = string | Uint8Array;

/** Number of segments of a plaintext of this size (at least one). */
export function segmentCount(plaintextSize: number): number {
  assertSize(plaintextSize);
  return Math.max(1, Math.ceil(plaintextSize / SEGMENT_SIZE));
}

/** Size of the stream (header included) encrypting `plaintextSize` bytes. */
export function ciphertextSize(plaintextSize: number): number {
  return HEADER_SIZE + plaintextSize + TAG_SIZE * segmentCount(plaintextSize);
}

/** Size of the plaintext of a stream of `ciphertextSize` bytes; DecryptionError if no plaintext has that size (truncated). */
export function plaintextSize(ciphertextSize: number): number {
  assertSize(ciphertextSize);
  const body = ciphertextSize - HEADER_SIZE;
  if (body < TAG_SIZE) throw new DecryptionError('The encrypted stream is too short (truncated)');
  const full = Math.floor(body / CIPHER_SEGMENT_SIZE);
  const rest = body % CIPHER_SEGMENT_SIZE;
  if (rest === 0) return full * SEGMENT_SIZE;
  // A partial last segment holds at least one byte, unless it is the only one (empty plaintext).
  if (rest < TAG_SIZE || (rest === TAG_SIZE && full > 0)) {
    throw new DecryptionError('The encrypted stream has an impossible size (truncated)');
  }
  return full * SEGMENT_SIZE + rest - TAG_SIZE;
}

export interface StreamHeader {
  version: number;
  salt: Buffer;
  noncePrefix: Buffer;
  /** The header's bytes as stored (the segments' associated data). */
  bytes: Buffer;
}

/** Parses the first HEADER_SIZE bytes of a stream; DecryptionError for an unknown version or a short header. */
export function parseHeader(bytes: Uint8Array): StreamHeader {
  if (bytes.length < HEADER_SIZE) throw new DecryptionError('The encrypted stream has no complete header');
  const header = Buffer.from(bytes.subarray(0, HEADER_SIZE));
  if (header[0] !== FORMAT_VERSION) throw new DecryptionError(`Unknown encrypted stream version ${header[0]}`);
  return {
    version: FORMAT_VERSION,
    salt: header.subarray(1, 1 + SALT_SIZE),
    noncePrefix: header.subarray(1 + SALT_SIZE, HEADER_SIZE),
    bytes: header,
  };
}

/** Where the ciphertext of a plaintext byte range is, and how to cut its plaintext out. */
export interface CiphertextRange {
  /** First and last (inclusive) byte offsets in the stream (header at 0) to read. */
  start: number;
  end: number;
  /** Segments covered, first and last (inclusive). */
  firstSegment: number;
  lastSegment: number;
  /** Whether lastSegment is the stream's last segment (sealed as such). */
  final: boolean;
  /** Plaintext bytes to drop from the first segment, then to yield. */
  skip: number;
  length: number;
  /** The plaintext range served (resolved: `end` clamped to the last byte). */
  plaintext: ResolvedRange;
}

/**
 * Maps a plaintext byte range (inclusive end, as HTTP; end clamped) of a stream whose plaintext
 * is `plaintextSize` bytes to the ciphertext to read. Throws RangeNotSatisfiableError when the
 * range starts at or after the end. Read [start, end] from the stream, give it to
 * createRangeDecryptStream with the header.
 */
export function ciphertextRange(range: ByteRange, plaintextSize: number): CiphertextRange {
  assertSize(plaintextSize);
  const plaintext = resolveRange(range, plaintextSize);
  return rangeOfSegments(plaintext, plaintextSize);
}

/** The whole plaintext, all segments (the final one included even for an empty plaintext). */
export function fullCiphertextRange(plaintextSize: number): CiphertextRange {
  assertSize(plaintextSize);
  if (plaintextSize === 0) {
    return {
      start: HEADER_SIZE,
      end: HEADER_SIZE + TAG_SIZE - 1,
      firstSegment: 0,
      lastSegment: 0,
      final: true,
      skip: 0,
      length: 0,
      plaintext: { start: 0, end: -1 },
    };
  }
  return rangeOfSegments({ start: 0, end: plaintextSize - 1 }, plaintextSize);
}

function rangeOfSegments(plaintext: ResolvedRange, plaintextSize: number): CiphertextRange {
  const firstSegment = Math.floor(plaintext.start / SEGMENT_SIZE);
  const lastSegment = Math.floor(plaintext.end / SEGMENT_SIZE);
  const start = HEADER_SIZE + firstSegment * CIPHER_SEGMENT_SIZE;
  const end = Math.min(HEADER_SIZE + (lastSegment + 1) * CIPHER_SEGMENT_SIZE, ciphertextSize(plaintextSize)) - 1;
  return {
    start,
    end,
    firstSegment,
    lastSegment,
    final: lastSegment === segmentCount(plaintextSize) - 1,
    skip: plaintext.start - firstSegment * SEGMENT_SIZE,
    length: plaintext.end - plaintext.start + 1,
    plaintext,
  };
}

/** A transform from plaintext to the encrypted stream (header, then segments). */
export function createEncryptStream(key: Buffer, aad: Aad): Transform {
  return new Encryptor(key, aad);
}

/** A transform from a whole encrypted stream (header first) to its plaintext. */
export function createDecryptStream(key: Buffer, aad: Aad): Transform {
  return new Decryptor(key, aad, null, { firstSegment: 0, final: true, skip: 0, length: Number.POSITIVE_INFINITY });
}

/**
 * A transform from the stream bytes [range.start, range.end] (as computed by ciphertextRange) to
 * exactly the plaintext of the range. `header` is the stream's first HEADER_SIZE bytes.
 */
export function createRangeDecryptStream(key: Buffer, aad: Aad, header: Uint8Array, range: CiphertextRange): Transform {
  return new Decryptor(key, aad, parseHeader(header), {
    firstSegment: range.firstSegment,
    final: range.final,
    skip: range.skip,
    length: range.length,
    segments: range.lastSegment - range.firstSegment + 1,
  });
}

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid size ${size}`);
}

/**
 * The stream key, as a KeyObject: made once per stream rather than from raw bytes by every
 * segment's cipher (a KeyObject per createCipheriv otherwise, a measurable share of a download).
 */
function deriveKey(key: Buffer, salt: Buffer, aad: Aad): KeyObject {
  if (key.length !== KEY_SIZE) throw new RangeError(`A stream key is ${KEY_SIZE} bytes`);
  const info = Buffer.concat([Buffer.from('entente-stream/v1\0'), typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad]);
  return createSecretKey(Buffer.from(hkdfSync('sha256', key, salt, info, KEY_SIZE)));
}

function nonceOf(prefix: Buffer, segment: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(NONCE_PREFIX_SIZE + 5);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(segment, NONCE_PREFIX_SIZE);
  nonce[NONCE_PREFIX_SIZE + 4] = last ? 1 : 0;
  return nonce;
}

/** Incoming chunks not yet consumed, cut into exact sizes without copying more than needed. */
class ChunkQueue {
  #chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  take(n: number): Buffer {
    const first = this.#chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      this.length -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0] as Buffer;
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    this.length -= n;
    return out;
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('Expected bytes');
}

class Encryptor extends Transform {
  readonly #header: Buffer;
  readonly #prefix: Buffer;
  readonly #key: KeyObject;
  readonly #pending = new ChunkQueue();
  #segment = 0;
  #headerSent = false;

  constructor(key: Buffer, aad: Aad) {
    super();
    const salt = randomBytes(SALT_SIZE);
    this.#prefix = randomBytes(NONCE_PREFIX_SIZE);
    this.#header = Buffer.concat([Buffer.from([FORMAT_VERSION]), salt, this.#prefix]);
    this.#key = deriveKey(key, salt, aad);
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pending.push(toBuffer(chunk));
      // A full segment is sealed only once a byte beyond it is known to exist: only then is it
      // certainly not the last one.
      while (this.#pending.length > SEGMENT_SIZE) this.#seal(this.#pending.take(SEGMENT_SIZE), false);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#seal(this.#pending.take(this.#pending.length), true);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  #seal(plaintext: Buffer, last: boolean): void {
    if (!this.#headerSent) {
      this.push(this.#header);
      this.#headerSent = true;
    }
    if (this.#segment >= MAX_SEGMENTS) throw new RangeError('Stream too long for the segment counter');
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonceOf(this.#prefix, this.#segment, last), {
      authTagLength: TAG_SIZE,
    });
    cipher.setAAD(this.#header);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    this.push(tail.length ? Buffer.concat([head, tail, cipher.getAuthTag()]) : Buffer.concat([head, cipher.getAuthTag()]));
    this.#segment++;
  }
}

interface DecryptPlan {
  firstSegment: number;
  /** Whether the last segment read is the stream's last. */
  final: boolean;
  skip: number;
  length: number;
  /** Exact number of segments expected (ranges), or none (whole stream). */
  segments?: number;
}

class Decryptor extends Transform {
  readonly #aad: Aad;
  readonly #dataKey: Buffer;
  readonly #plan: DecryptPlan;
  readonly #pending = new ChunkQueue();
  #header: StreamHeader | null = null;
  #key: KeyObject | null = null;
  #segment: number;
  #opened = 0;
  #skip: number;
  #remaining: number;

  constructor(dataKey: Buffer, aad: Aad, header: StreamHeader | null, plan: DecryptPlan) {
    super();
    if (dataKey.length !== KEY_SIZE) throw new RangeError(`A stream key is ${KEY_SIZE} bytes`);
    this.#dataKey = dataKey;
    this.#aad = aad;
    this.#plan = plan;
    this.#segment = plan.firstSegment;
    this.#skip = plan.skip;
    this.#remaining = plan.length;
    if (header) this.#useHeader(header);
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pending.push(toBuffer(chunk));
      if (!this.#header) {
        if (this.#pending.length < HEADER_SIZE) {
          callback();
          return;
        }
        this.#useHeader(parseHeader(this.#pending.take(HEADER_SIZE)));
      }
      // As when sealing: a full segment is opened as non-last only once more bytes follow it.
      while (this.#pending.length > CIPHER_SEGMENT_SIZE) this.#open(this.#pending.take(CIPHER_SEGMENT_SIZE), false);
      callback();
    } catch (err) {
      callback(asDecryptionError(err));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (!this.#header) throw new DecryptionError('The encrypted stream has no complete header');
      const rest = this.#pending.length;
      if (this.#plan.final ? rest < TAG_SIZE : rest !== CIPHER_SEGMENT_SIZE) {
        throw new DecryptionError('The encrypted stream is truncated');
      }
      this.#open(this.#pending.take(rest), this.#plan.final);
      if (this.#plan.segments !== undefined && this.#opened !== this.#plan.segments) {
        throw new DecryptionError('The encrypted range does not hold the expected segments');
      }
      if (Number.isFinite(this.#remaining) && this.#remaining !== 0) {
        throw new DecryptionError('The encrypted range is shorter than expected');
      }
      callback();
    } catch (err) {
      callback(asDecryptionError(err));
    }
  }

  #useHeader(header: StreamHeader): void {
    this.#header = header;
    this.#key = deriveKey(this.#dataKey, header.salt, this.#aad);
  }

  #open(sealed: Buffer, last: boolean): void {
    const header = this.#header as StreamHeader;
    if (this.#plan.segments !== undefined && this.#opened >= this.#plan.segments) {
      throw new DecryptionError('The encrypted range is longer than expected');
    }
    if (this.#segment >= MAX_SEGMENTS) throw new DecryptionError('Stream too long for the segment counter');
    const decipher = createDecipheriv('aes-256-gcm', this.#key as KeyObject, nonceOf(header.noncePrefix, this.#segment, last), {
      authTagLength: TAG_SIZE,
    });
    decipher.setAAD(header.bytes);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
    const head = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
    let plaintext: Buffer;
    try {
      const tail = decipher.final();
      plaintext = tail.length ? Buffer.concat([head, tail]) : head;
    } catch (err) {
      throw new DecryptionError(undefined, { cause: err });
    }
    // An empty segment is only valid as the sole, last segment of an empty plaintext.
    if (plaintext.length === 0 && !(last && this.#segment === 0)) throw new DecryptionError();
    this.#segment++;
    this.#opened++;
    let out = plaintext;
    if (this.#skip > 0) {
      out = out.subarray(Math.min(this.#skip, out.length));
      this.#skip -= plaintext.length - out.length;
    }
    if (out.length > this.#remaining) out = out.subarray(0, this.#remaining);
    this.#remaining -= out.length;
    if (out.length > 0) this.push(out);
  }
}

function asDecryptionError(err: unknown): Error {
  if (err instanceof DecryptionError) return err;
  return new DecryptionError(undefined, { cause: err });
}
