import type { Readable } from 'node:stream';

/**
 * A blob store for one cell, S3-shaped on purpose: the embedded default keeps objects in a local
 * folder (`local-object-store.ts`), production uses an S3-compatible bucket on the same interface
 * (`s3-object-store.ts`); `object-store.contract.ts` is the behaviour both are tested against.
 * Objects are immutable blobs replaced as a whole; there is no append and no partial write.
 *
 * Keys are `[a-z0-9._-]` segments joined by `/` (see `validateObjectKey`): the same rule on every
 * implementation, so a key accepted by one is accepted by all.
 */
export interface ObjectStore {
  /** A short name of the implementation and its location, without credentials (for health and logs). */
  readonly description: string;

  /**
   * Stores an object, replacing any previous one atomically: a reader sees the old bytes or the
   * new ones, never a mix nor a half-written object. A body stream that fails leaves the old
   * object in place and rejects with the stream's error.
   */
  put(key: string, body: ObjectBody, opts?: PutOptions): Promise<PutResult>;

  /**
   * Opens an object for reading, or a byte range of it (`end` inclusive, as in HTTP; clamped to
   * the last byte). Rejects with ObjectNotFoundError, or RangeNotSatisfiableError when
   * `start ≥ size` (so always for a range on an empty object).
   */
  get(key: string, opts?: GetOptions): Promise<GetResult>;

  /** The object's size and modification time, or null when there is none. */
  head(key: string): Promise<ObjectInfo | null>;

  /** Deletes an object; deleting a missing object is not an error (idempotent, as S3). */
  delete(key: string): Promise<void>;

  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as S3's: `a/b` lists
   * `a/b/c` and `a/bc`), in ascending byte order of keys. `''` lists the whole store.
   */
  list(prefix: string): AsyncIterable<ListedObject>;

  /** Whether the store can be used now (reachable, writable), with a short human-readable detail. */
  check(): Promise<HealthCheck>;

  /** Releases connections (an S3 client's sockets); the store is not used afterwards. */
  close?(): Promise<void>;

  /**
   * Optional (the local store has it): opens one version of an object for positional reads into
   * the caller's buffers, without a stream. A later put does not change what the reader reads.
   * Rejects with ObjectNotFoundError. The caller closes the reader.
   */
  openReader?(key: string): Promise<ObjectReader>;
}

/** An object opened for positional reads (see ObjectStore.openReader). */
export interface ObjectReader {
  readonly size: number;
  readonly modifiedAt: Date;
  /** Reads up to `length` bytes at `position` into `buffer` from `offset`; resolves to the number read, 0 at the end. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

export type ObjectBody = Readable | Buffer | Uint8Array;

export interface PutOptions {
  /** Stored as metadata where the backend has some (S3); the local store does not keep it. */
  contentType?: string;
}

export interface PutResult {
  /** Bytes stored. */
  size: number;
}

/** A byte range with an inclusive end, as in HTTP `Range: bytes=start-end`; no end = to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

/** A byte range resolved against a size: both ends present and inclusive. */
export interface ResolvedRange {
  start: number;
  end: number;
}

export interface GetOptions {
  range?: ByteRange;
}

export interface GetResult {
  body: Readable;
  /** Size of the whole object. */
  size: number;
  /** Bytes the body will yield (size, or the range's length). */
  contentLength: number;
  /** The range served, resolved and clamped; absent when the whole object is served. */
  range?: ResolvedRange;
  modifiedAt: Date;
}

export interface ObjectInfo {
  size: number;
  modifiedAt: Date;
}

export interface ListedObject {
  key: string;
  size: number;
}

export interface HealthCheck {
  ok: boolean;
  detail: string;
}

/** Base class of the errors a caller can act on; `code` is stable (problem+json `type`). */
export class ObjectStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class ObjectNotFoundError extends ObjectStoreError {
  readonly key: string;
  constructor(key: string, options?: ErrorOptions) {
    super('object_not_found', `No object with key ${key}`, options);
    this.key = key;
  }
}

/** A key (or list prefix) outside the allowed form; the key is quoted JSON-escaped since it may hold control characters. */
export class InvalidObjectKeyError extends ObjectStoreError {
  readonly key: string;
  readonly reason: string;
  constructor(key: string, reason: string) {
    super('invalid_object_key', `Invalid object key ${JSON.stringify(key.slice(0, 200))}: ${reason}`);
    this.key = key;
    this.reason = reason;
  }
}

/** HTTP 416: the range starts at or beyond the end of the object, or is malformed. */
export class RangeNotSatisfiableError extends ObjectStoreError {
  readonly size: number;
  readonly range: ByteRange;
  constructor(range: ByteRange, size: number) {
    super('range_not_satisfiable', `Range ${range.start}-${range.end ?? ''} is not satisfiable for ${size} bytes`);
    this.size = size;
    this.range = range;
  }
}

export const MAX_KEY_LENGTH = 1024;
/** Keeps every path segment (plus the local store's temporary suffixes) within a 255-byte file name. */
export const MAX_SEGMENT_LENGTH = 200;
const KEY_CHARS = /^[a-z0-9/._-]*$/;

/**
 * Throws InvalidObjectKeyError unless `key` is one or more `/`-separated segments of
 * `[a-z0-9._-]`, none empty, `.` or `..`, at most 200 characters each and 1024 in all. So there is
 * no leading or trailing `/`, no `//`, no backslash, no NUL, no upper case (case-insensitive file
 * systems) and no way to leave the store's folder.
 */
export function validateObjectKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidObjectKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidObjectKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_CHARS.test(key)) throw new InvalidObjectKeyError(key, 'only a-z, 0-9, ".", "_", "-" and "/" are allowed');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidObjectKeyError(key, 'empty segment (leading, trailing or double "/")');
    if (segment === '.' || segment === '..') throw new InvalidObjectKeyError(key, '"." and ".." segments are not allowed');
    if (segment.length > MAX_SEGMENT_LENGTH) {
      throw new InvalidObjectKeyError(key, `segment longer than ${MAX_SEGMENT_LENGTH} characters`);
    }
  }
}

/**
 * Throws InvalidObjectKeyError unless `prefix` could start a valid key: `''`, or the allowed
 * characters with no leading `/`, no `//` and no `.`/`..` complete segment.
 */
export function validateListPrefix(prefix: string): void {
  if (prefix === '') return;
  if (prefix.length > MAX_KEY_LENGTH) throw new InvalidObjectKeyError(prefix, `longer than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_CHARS.test(prefix)) throw new InvalidObjectKeyError(prefix, 'only a-z, 0-9, ".", "_", "-" and "/" are allowed');
  const segments = prefix.split('/');
  // The last segment may be partial ('' after a trailing '/', or '.' as the start of '.x').
  for (const segment of segments.slice(0, -1)) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidObjectKeyError(prefix, 'empty, "." or ".." segment');
    }
  }
}

/**
 * Resolves a requested range against an object's size: `end` defaults to and is clamped to the
 * last byte. Throws RangeNotSatisfiableError when `start ≥ size` (always for an empty object) or
 * when the range is malformed (negative, not an integer, end before start).
 */
export function resolveRange(range: ByteRange, size: number): ResolvedRange {
  const { start, end } = range;
  const valid =
    Number.isSafeInteger(start) &&
    start >= 0 &&
    (end === undefined || (Number.isSafeInteger(end) && end >= start)) &&
    start < size;
  if (!valid) throw new RangeNotSatisfiableError(range, size);
  return { start, end: end === undefined ? size - 1 : Math.min(end, size - 1) };
}
