import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
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

/**
 * A transform from plaintext to the encrypted stream (header, then segments). `before`: bytes
 * emitted ahead of the stream's header (an envelope's own header, as EncryptedObjects' 9 bytes),
 * so that a caller needs no extra stream layer to prepend them.
 */
export function createEncryptStream(key: Buffer, aad: Aad, options: { before?: Uint8Array } = {}): Transform {
  return new Encryptor(key, aad, options.before);
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

/**
 * Where a positional decrypting stream reads the encrypted stream from: an object opened for
 * positional reads (the local store's file handle). Bytes are read into the stream's own buffers,
 * which it reuses (see createPositionalDecryptStream).
 */
export interface PositionalSource {
  /** Reads up to `length` bytes at `position` into `buffer` from `offset`; resolves to the number read, 0 at the end. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Called once when the stream ends or is destroyed, after its last read has settled. */
  close(): Promise<void>;
}

/**
 * The plaintext of `range` (as computed by ciphertextRange or fullCiphertextRange), read from
 * `source` by position: the stream's byte `p` (header at 0) is at `offset + p` in the source.
 * `header` is the stream's first HEADER_SIZE bytes. Same checks and errors as
 * createRangeDecryptStream; the source is closed when the stream ends or is destroyed.
 *
 * Why: a byte stream of the ciphertext (a file's ReadStream) allocates a new buffer per read,
 * which the process must fault in, track and collect — as dear as deciphering the bytes. Here
 * whole sealed segments are read into two buffers made once per stream and reused (one is read
 * into by the thread pool while the other is deciphered), so the only memory a download
 * allocates per segment is its plaintext, as a plain file read allocates its chunks.
 */
export function createPositionalDecryptStream(
  key: Buffer,
  aad: Aad,
  header: Uint8Array,
  range: CiphertextRange,
  source: PositionalSource,
  offset: number,
): Readable {
  return new PositionalDecryptor(
    new SegmentOpener(key, aad, parseHeader(header), {
      firstSegment: range.firstSegment,
      final: range.final,
      skip: range.skip,
      length: range.length,
      segments: range.lastSegment - range.firstSegment + 1,
    }),
    source,
    offset + range.start,
    offset + range.end,
  );
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
  return setNonce(nonce, segment, last);
}

/**
 * Writes segment `segment`'s counter and last flag into a nonce that already holds the prefix.
 * The encrypting stream reuses one such buffer (createCipheriv copies the IV it is given) rather
 * than allocating 12 bytes per segment.
 */
function setNonce(nonce: Buffer, segment: number, last: boolean): Buffer {
  nonce[NONCE_PREFIX_SIZE] = segment >>> 24;
  nonce[NONCE_PREFIX_SIZE + 1] = (segment >>> 16) & 0xff;
  nonce[NONCE_PREFIX_SIZE + 2] = (segment >>> 8) & 0xff;
  nonce[NONCE_PREFIX_SIZE + 3] = segment & 0xff;
  nonce[NONCE_PREFIX_SIZE + 4] = last ? 1 : 0;
  return nonce;
}

/**
 * Most pieces a segment is cut from before they are copied into one buffer: above this (a client
 * sending small chunks), one copy costs less than a cipher call and an output buffer per piece.
 */
const MAX_PIECES = 4;

/**
 * Incoming chunks not yet consumed, handed out as views (no copy) of exact sizes.
 *
 * Why views: on the hot path every 64 KiB buffer the process allocates and fills costs about as
 * much as encrypting it (allocation, page faults on fresh memory, garbage collection), so a
 * segment that spans two incoming chunks is given to the cipher as two pieces rather than copied
 * into a new buffer; `cipher.update` takes them in turn.
 */
class ChunkQueue {
  #chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The next `n` bytes (n ≤ length) as views of the queued chunks, in order; copied into one buffer if more than MAX_PIECES. */
  takePieces(n: number): Buffer[] {
    const pieces: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const chunk = this.#chunks[0] as Buffer;
      if (chunk.length <= left) {
        this.#chunks.shift();
        pieces.push(chunk);
        left -= chunk.length;
      } else {
        pieces.push(chunk.subarray(0, left));
        this.#chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    return pieces.length > MAX_PIECES ? [Buffer.concat(pieces, n)] : pieces;
  }

  /** How many queued chunks the next `n` bytes (n ≤ length) lie in. */
  piecesIn(n: number): number {
    let count = 0;
    for (let left = n; left > 0; count++) left -= (this.#chunks[count] as Buffer).length;
    return count;
  }

  /** The next bytes, at most `max` (> 0, ≤ length), as a view of the first queued chunk: no array per segment, unlike takePieces. */
  takePiece(max: number): Buffer {
    const chunk = this.#chunks[0] as Buffer;
    if (chunk.length <= max) {
      this.#chunks.shift();
      this.length -= chunk.length;
      return chunk;
    }
    this.#chunks[0] = chunk.subarray(max);
    this.length -= max;
    return chunk.subarray(0, max);
  }

  /** The next `n` bytes as one buffer (a view when they lie in one chunk, else a copy). */
  take(n: number): Buffer {
    const pieces = this.takePieces(n);
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, n);
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('Expected bytes');
}

/**
 * Output a reader has not taken yet, before the stream stops taking input: room for work done
 * ahead while the consumer's previous write is in flight, instead of waiting for it. Encryption:
 * 1 MiB, the local store's write batch (EncryptedObjects' former wrapper stream buffered as much).
 * Decryption: 256 KiB, the local store's read size, so that the plaintext of one read is still
 * being written out while the next one is deciphered.
 */
const ENCRYPT_READ_AHEAD = 1024 * 1024;
const DECRYPT_READ_AHEAD = 256 * 1024;
/**
 * The encrypting stream's output side is in object mode (each chunk a Buffer, counted as one):
 * a byte-mode stream read by `for await` (as the stores read a body) hands out everything
 * buffered at once, concatenated into a new buffer of up to the read-ahead, a copy per MiB.
 * 32 chunks: 16 segments, ciphertext and tag each, ≈ ENCRYPT_READ_AHEAD.
 */
const ENCRYPT_READ_AHEAD_CHUNKS = (2 * ENCRYPT_READ_AHEAD) / SEGMENT_SIZE;
/**
 * Plaintext the encrypting stream accepts ahead of its work: 256 KiB rather than a byte stream's
 * 16 KiB, which is below one 64 KiB chunk of a file source, so that a pipeline paused and resumed
 * the source after every chunk (two ticks and their objects per chunk).
 */
const ENCRYPT_WRITE_AHEAD = 256 * 1024;

/**
 * A transform's segment work on its pending input: `step` (one segment) while more than `size`
 * bytes are pending, since a full segment is processed only once a byte beyond it is known to
 * exist (only then is it certainly not the last one). Run in the event loop's next turn rather
 * than at once: a file source schedules its next read as it delivers a chunk, so the thread pool
 * then reads while this thread ciphers, instead of after (a socket source loses nothing). Nothing
 * is done for a stream destroyed meanwhile.
 */
function processSegments(
  stream: Transform,
  pending: ChunkQueue,
  size: number,
  step: () => void,
  callback: TransformCallback,
  asError: (err: unknown) => Error,
): void {
  if (pending.length <= size) return void callback();
  setImmediate(() => {
    if (stream.destroyed) return void callback();
    try {
      while (pending.length > size) step();
      callback();
    } catch (err) {
      callback(asError(err));
    }
  });
}

class Encryptor extends Transform {
  readonly #header: Buffer;
  readonly #key: KeyObject;
  readonly #before: Buffer | null;
  readonly #pending = new ChunkQueue();
  /** The nonce prefix followed by the current segment's counter and flag (see setNonce). */
  readonly #nonce: Buffer;
  #segment = 0;
  #headerSent = false;
  /** The callback of the chunk whose segments wait for the next turn (see processSegments). */
  #callback: TransformCallback | null = null;

  constructor(key: Buffer, aad: Aad, before: Uint8Array | undefined) {
    super({ readableObjectMode: true, readableHighWaterMark: ENCRYPT_READ_AHEAD_CHUNKS, writableHighWaterMark: ENCRYPT_WRITE_AHEAD });
    const salt = randomBytes(SALT_SIZE);
    const prefix = randomBytes(NONCE_PREFIX_SIZE);
    this.#header = Buffer.concat([Buffer.from([FORMAT_VERSION]), salt, prefix]);
    this.#key = deriveKey(key, salt, aad);
    this.#before = before && before.length > 0 ? toBuffer(before) : null;
    this.#nonce = Buffer.alloc(NONCE_PREFIX_SIZE + 5);
    prefix.copy(this.#nonce, 0);
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pending.push(toBuffer(chunk));
    } catch (err) {
      return void callback(err as Error);
    }
    if (this.#pending.length <= SEGMENT_SIZE) return void callback();
    // As processSegments, written out: one bound method instead of two closures per chunk.
    this.#callback = callback;
    setImmediate(this.#sealPending);
  }

  /** Seals every full segment known not to be the last one, then takes the next chunk. */
  readonly #sealPending = (): void => {
    const callback = this.#callback as TransformCallback;
    this.#callback = null;
    if (this.destroyed) return void callback();
    try {
      while (this.#pending.length > SEGMENT_SIZE) this.#seal(SEGMENT_SIZE, false);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  };

  override _flush(callback: TransformCallback): void {
    try {
      this.#seal(this.#pending.length, true);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  /** Seals the next `length` pending bytes as one segment; its ciphertext pieces, then its tag, are pushed as they are (no concatenation). */
  #seal(length: number, last: boolean): void {
    if (!this.#headerSent) {
      if (this.#before) this.push(this.#before);
      this.push(this.#header);
      this.#headerSent = true;
    }
    if (this.#segment >= MAX_SEGMENTS) throw new RangeError('Stream too long for the segment counter');
    const cipher = createCipheriv('aes-256-gcm', this.#key, setNonce(this.#nonce, this.#segment, last), {
      authTagLength: TAG_SIZE,
    });
    cipher.setAAD(this.#header);
    if (length > 0 && this.#pending.piecesIn(length) > MAX_PIECES) {
      this.push(cipher.update(this.#pending.take(length)));
    } else {
      for (let left = length; left > 0; ) {
        const piece = this.#pending.takePiece(left);
        left -= piece.length;
        this.push(cipher.update(piece));
      }
    }
    const tail = cipher.final(); // empty for GCM, pushed in case
    if (tail.length) this.push(tail);
    this.push(cipher.getAuthTag());
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

/**
 * Opens the segments of one stream in order and cuts the planned plaintext out of them: the
 * work shared by both decrypting streams, whatever feeds them the sealed bytes.
 */
class SegmentOpener {
  readonly #header: StreamHeader;
  readonly #key: KeyObject;
  readonly #plan: DecryptPlan;
  #segment: number;
  #opened = 0;
  #skip: number;
  #remaining: number;

  constructor(dataKey: Buffer, aad: Aad, header: StreamHeader, plan: DecryptPlan) {
    this.#header = header;
    this.#key = deriveKey(dataKey, header.salt, aad);
    this.#plan = plan;
    this.#segment = plan.firstSegment;
    this.#skip = plan.skip;
    this.#remaining = plan.length;
  }

  /** Whether the plan's last segment is the stream's last (sealed as such). */
  get final(): boolean {
    return this.#plan.final;
  }

  /**
   * Opens one segment: its ciphertext (`cipherLength` bytes, in pieces as they lie in the caller's
   * buffers; deciphered into new buffers, so the caller may reuse its own afterwards) and its tag.
   * Returns the plaintext to release, in order, once the tag has been checked; DecryptionError
   * when it does not authenticate.
   */
  open(ciphertext: readonly Buffer[], cipherLength: number, tag: Buffer, last: boolean): Buffer[] {
    if (this.#plan.segments !== undefined && this.#opened >= this.#plan.segments) {
      throw new DecryptionError('The encrypted range is longer than expected');
    }
    if (this.#segment >= MAX_SEGMENTS) throw new DecryptionError('Stream too long for the segment counter');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonceOf(this.#header.noncePrefix, this.#segment, last), {
      authTagLength: TAG_SIZE,
    });
    decipher.setAAD(this.#header.bytes);
    const plaintext = cipherLength > 0 ? ciphertext.map((piece) => decipher.update(piece)) : [];
    decipher.setAuthTag(tag);
    try {
      const tail = decipher.final(); // empty for GCM
      if (tail.length) plaintext.push(tail);
    } catch (err) {
      throw new DecryptionError(undefined, { cause: err });
    }
    // An empty segment is only valid as the sole, last segment of an empty plaintext.
    if (cipherLength === 0 && !(last && this.#segment === 0)) throw new DecryptionError();
    this.#segment++;
    this.#opened++;
    const released: Buffer[] = [];
    for (const piece of plaintext) {
      let out = piece;
      if (this.#skip > 0) {
        out = out.subarray(Math.min(this.#skip, out.length));
        this.#skip -= piece.length - out.length;
      }
      if (out.length > this.#remaining) out = out.subarray(0, this.#remaining);
      this.#remaining -= out.length;
      if (out.length > 0) released.push(out);
    }
    return released;
  }

  /** Checks, at the end, that the range held exactly the planned segments and bytes. */
  finish(): void {
    if (this.#plan.segments !== undefined && this.#opened !== this.#plan.segments) {
      throw new DecryptionError('The encrypted range does not hold the expected segments');
    }
    if (Number.isFinite(this.#remaining) && this.#remaining !== 0) {
      throw new DecryptionError('The encrypted range is shorter than expected');
    }
  }
}

class Decryptor extends Transform {
  readonly #aad: Aad;
  readonly #dataKey: Buffer;
  readonly #plan: DecryptPlan;
  readonly #pending = new ChunkQueue();
  #opener: SegmentOpener | null = null;

  constructor(dataKey: Buffer, aad: Aad, header: StreamHeader | null, plan: DecryptPlan) {
    super({ readableHighWaterMark: DECRYPT_READ_AHEAD });
    if (dataKey.length !== KEY_SIZE) throw new RangeError(`A stream key is ${KEY_SIZE} bytes`);
    this.#dataKey = dataKey;
    this.#aad = aad;
    this.#plan = plan;
    if (header) this.#opener = new SegmentOpener(dataKey, aad, header, plan);
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pending.push(toBuffer(chunk));
      if (!this.#opener) {
        if (this.#pending.length < HEADER_SIZE) return void callback();
        this.#opener = new SegmentOpener(this.#dataKey, this.#aad, parseHeader(this.#pending.take(HEADER_SIZE)), this.#plan);
      }
    } catch (err) {
      return void callback(asDecryptionError(err));
    }
    processSegments(this, this.#pending, CIPHER_SEGMENT_SIZE, () => this.#open(CIPHER_SEGMENT_SIZE, false), callback, asDecryptionError);
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (!this.#opener) throw new DecryptionError('The encrypted stream has no complete header');
      const rest = this.#pending.length;
      if (this.#plan.final ? rest < TAG_SIZE : rest !== CIPHER_SEGMENT_SIZE) {
        throw new DecryptionError('The encrypted stream is truncated');
      }
      this.#open(rest, this.#plan.final);
      this.#opener.finish();
      callback();
    } catch (err) {
      callback(asDecryptionError(err));
    }
  }

  /**
   * Opens the next `sealedLength` pending bytes (ciphertext ‖ tag) as one segment. The ciphertext
   * is deciphered piece by piece as it lies in the incoming chunks; nothing is pushed before the
   * tag has been checked.
   */
  #open(sealedLength: number, last: boolean): void {
    const cipherLength = sealedLength - TAG_SIZE;
    const pieces = cipherLength > 0 ? this.#pending.takePieces(cipherLength) : [];
    const tag = this.#pending.take(TAG_SIZE);
    for (const out of (this.#opener as SegmentOpener).open(pieces, cipherLength, tag, last)) this.push(out);
  }
}

/**
 * Sealed segments per read of a positional decrypting stream: 8 (512 KiB and 128 bytes), so a
 * download holds two such buffers and reads the object in two trips to the thread pool per MiB.
 */
const POSITIONAL_READ_SEGMENTS = 8;

/** See createPositionalDecryptStream. */
class PositionalDecryptor extends Readable {
  readonly #opener: SegmentOpener;
  readonly #source: PositionalSource;
  /** Next position to read, and the last (inclusive) position of the range in the source. */
  #position: number;
  readonly #end: number;
  /** Two buffers of whole sealed segments, made on first use, then read into in turn. */
  readonly #buffers: Buffer[] = [];
  #turn = 0;
  /** The read in flight (into the buffer of the current turn), if any. */
  #reading: Promise<number> | null = null;
  /** Whether the pump is running (reading or deciphering), so that _read does not start another. */
  #pumping = false;
  /** Whether _read was called while the pump ran, after its last push. */
  #again = false;

  constructor(opener: SegmentOpener, source: PositionalSource, start: number, end: number) {
    super({ highWaterMark: POSITIONAL_READ_SEGMENTS * SEGMENT_SIZE });
    this.#opener = opener;
    this.#source = source;
    this.#position = start;
    this.#end = end;
  }

  override _read(): void {
    if (this.#pumping) {
      // Asked for more while pushing: the pump goes on instead of stopping at a full buffer.
      this.#again = true;
      return;
    }
    this.#pumping = true;
    this.#pump().catch((err: unknown) => {
      this.#pumping = false;
      this.destroy(err as Error);
    });
  }

  /**
   * Deciphers filled buffers and pushes their plaintext until the consumer has enough, or the
   * end. A read error is the stream's error as is; a segment that fails is a DecryptionError.
   */
  async #pump(): Promise<void> {
    this.#reading ??= this.#fill(this.#turn);
    for (;;) {
      const length = await (this.#reading as Promise<number>);
      if (this.destroyed) {
        this.#pumping = false;
        return;
      }
      const buffer = this.#buffers[this.#turn] as Buffer;
      const sealedEnd = this.#position > this.#end;
      // The next read goes into the other buffer while this one is deciphered.
      this.#turn ^= 1;
      this.#reading = sealedEnd ? null : this.#fill(this.#turn);
      let wantsMore = true;
      for (let at = 0; at < length; at += CIPHER_SEGMENT_SIZE) {
        const sealed = Math.min(CIPHER_SEGMENT_SIZE, length - at);
        const last = sealedEnd && at + sealed === length && this.#opener.final;
        if (last ? sealed < TAG_SIZE : sealed !== CIPHER_SEGMENT_SIZE) throw new DecryptionError('The encrypted stream is truncated');
        const cipherLength = sealed - TAG_SIZE;
        const ciphertext = cipherLength > 0 ? [buffer.subarray(at, at + cipherLength)] : [];
        for (const out of this.#opener.open(ciphertext, cipherLength, buffer.subarray(at + cipherLength, at + sealed), last)) {
          this.#again = false;
          wantsMore = this.push(out);
        }
      }
      if (sealedEnd) {
        this.#opener.finish();
        this.#pumping = false;
        this.push(null);
        return;
      }
      if (!wantsMore && !this.#again) {
        this.#pumping = false;
        return;
      }
    }
  }

  /**
   * Starts reading the next whole sealed segments (the rest of the range at most) into the
   * buffer of `turn`, to the end of that buffer or of the range; resolves to the bytes read. Its
   * failure is handled where it is awaited (or when the stream is destroyed), never unhandled.
   */
  #fill(turn: number): Promise<number> {
    const wanted = Math.min(POSITIONAL_READ_SEGMENTS * CIPHER_SEGMENT_SIZE, this.#end - this.#position + 1);
    let buffer = this.#buffers[turn];
    if (!buffer) {
      // Sized for the range: a small object does not hold two full buffers.
      buffer = Buffer.allocUnsafeSlow(wanted);
      this.#buffers[turn] = buffer;
    }
    const length = Math.min(wanted, buffer.length);
    const position = this.#position;
    this.#position += length;
    const reading = (async () => {
      let done = 0;
      while (done < length) {
        const n = await this.#source.read(buffer, done, length - done, position + done);
        if (n === 0) throw new DecryptionError('The encrypted stream is truncated');
        done += n;
      }
      return done;
    })();
    reading.catch(() => {});
    return reading;
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const reading = this.#reading;
    this.#reading = null;
    // The source is closed once its last read has settled (a buffer is never read into after close).
    Promise.resolve(reading)
      .catch(() => {})
      .then(() => this.#source.close())
      .then(
        () => callback(err),
        (closeErr: unknown) => callback(err ?? (closeErr as Error)),
      );
  }
}

function asDecryptionError(err: unknown): Error {
  if (err instanceof DecryptionError) return err;
  return new DecryptionError(undefined, { cause: err });
}
