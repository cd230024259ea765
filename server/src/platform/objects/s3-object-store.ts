import { randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  type GetOptions,
  type GetResult,
  type HealthCheck,
  type ListedObject,
  type ObjectBody,
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectStore,
  type PutOptions,
  type PutResult,
  RangeNotSatisfiableError,
  resolveRange,
  validateListPrefix,
  validateObjectKey,
} from './object-store.ts';
import { BUCKET_NAME, normaliseS3Prefix } from './s3-location.ts';

export { parseS3Location } from './s3-location.ts';

/** How to reach one bucket; `secretAccessKey` is read once, when the client is made, and never logged. */
export interface S3StoreOptions {
  bucket: string;
  /** Keys are stored under this prefix (`''`, or segments ending with `/`, e.g. `entente/qc/`). */
  prefix?: string;
  /** `https://s3.example.gouv.fr`; absent: the AWS endpoint of `region`. */
  endpoint?: string | null;
  region?: string;
  /** Absent: the SDK's default credential chain (AWS_* variables, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | null;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO, s3rver, most on-premises services). */
  forcePathStyle?: boolean;
  /** Bytes per multipart part, 5 MiB (S3's minimum) to 5 GiB; default 8 MiB. Smaller bodies are one PutObject. */
  partSize?: number;
  /** Parts uploaded at once by one put; memory held by a put is at most partSize × (concurrency + 1). Default 2. */
  partConcurrency?: number;
  /** Keys per ListObjectsV2 page (1–1000, default 1000). */
  pageSize?: number;
  /** Tests and tools: a client made elsewhere (the options above except bucket, prefix and sizes are then ignored). */
  client?: S3Client;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
/** S3 allows 10,000 parts: with 8 MiB parts, objects up to 78 GiB (a larger partSize for more; a stream's length is unknown ahead). */
const MAX_PARTS = 10_000;

/**
 * An S3-compatible bucket as a cell's object store (AWS SDK v3). Same contract as the local
 * store (object-store.contract.ts runs against both):
 *
 * - put: a body that fits in one part is one PutObject; a larger one is a multipart upload whose
 *   parts are read from the body one at a time (at most `partConcurrency` in flight), so memory
 *   stays bounded whatever the size. The object appears only at CompleteMultipartUpload, whole:
 *   until then readers get the old object. A failing body or part aborts the upload (no
 *   orphaned parts) and rejects with the body's error.
 * - get: `Range: bytes=start-end`; the size comes from Content-Range. The answer is checked
 *   against what was asked (an S3-compatible service that returns more is cut to the range).
 * - NoSuchKey / 404 → ObjectNotFoundError; 416 InvalidRange → RangeNotSatisfiableError.
 * - list: ListObjectsV2 pages, in S3's UTF-8 byte order (our keys are ASCII: byte order);
 *   objects whose key is not a valid Entente key (written by something else) are skipped.
 * - Checksums: the SDK's newer default (CRC32 on every request and response) is switched to
 *   WHEN_REQUIRED. Many S3-compatible services (and s3rver) predate it, and integrity is already
 *   guaranteed end to end: every object is AEAD-encrypted (EncryptedObjects) and any altered byte
 *   fails to decrypt.
 * - contentType is stored as Content-Type; S3 keeps a modification time, as LastModified.
 */
export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #ownsClient: boolean;
  readonly #partSize: number;
  readonly #concurrency: number;
  readonly #pageSize: number;

  constructor(options: S3StoreOptions) {
    if (!BUCKET_NAME.test(options.bucket)) throw new TypeError(`Invalid S3 bucket name ${JSON.stringify(options.bucket)}`);
    const prefix = normaliseS3Prefix(options.prefix ?? '');
    this.bucket = options.bucket;
    this.prefix = prefix;
    this.#partSize = options.partSize ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(this.#partSize) || this.#partSize < MIN_PART_SIZE || this.#partSize > MAX_PART_SIZE) {
      throw new RangeError('partSize is 5 MiB to 5 GiB');
    }
    this.#concurrency = Math.max(1, Math.min(16, options.partConcurrency ?? 2));
    this.#pageSize = Math.max(1, Math.min(1000, options.pageSize ?? 1000));
    if (options.client) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      this.#client = new S3Client(s3ClientConfig(options));
      this.#ownsClient = true;
    }
    const where = options.endpoint ? new URL(options.endpoint).host : `AWS ${options.region ?? 'us-east-1'}`;
    this.description = `S3 bucket s3://${this.bucket}/${this.prefix} at ${where}`;
  }

  async put(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    validateObjectKey(key);
    const target = this.#keyOf(key);
    const contentType = opts.contentType;
    if (body instanceof Uint8Array) {
      const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      if (bytes.length <= this.#partSize) {
        await this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key: target, Body: bytes, ContentLength: bytes.length, ContentType: contentType }));
        return { size: bytes.length };
      }
      return this.#multipart(target, Readable.from(sliceBuffer(bytes, this.#partSize)), contentType);
    }
    return this.#multipart(target, body, contentType);
  }

  async get(key: string, opts: GetOptions = {}): Promise<GetResult> {
    validateObjectKey(key);
    const { range } = opts;
    if (range && !wellFormed(range)) {
      // Malformed: no request can express it. Same answer as the local store: not found, or 416.
      const info = await this.head(key);
      if (!info) throw new ObjectNotFoundError(key);
      throw new RangeNotSatisfiableError(range, info.size);
    }
    let response: GetObjectCommandOutput;
    try {
      response = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.#keyOf(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
        }),
      );
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key, { cause: err });
      if (range && isInvalidRange(err)) {
        const info = await this.head(key);
        if (!info) throw new ObjectNotFoundError(key, { cause: err });
        throw new RangeNotSatisfiableError(range, info.size);
      }
      throw err;
    }
    const body = response.Body as Readable;
    const modifiedAt = response.LastModified ?? new Date(0);
    if (!range) {
      const size = Number(response.ContentLength ?? 0);
      return { body, size, contentLength: size, modifiedAt };
    }
    const served = parseContentRange(response.ContentRange);
    let resolved: { start: number; end: number };
    try {
      if (!served) throw new Error(`The S3 service answered a range request without a valid Content-Range (${response.ContentRange})`);
      resolved = resolveRange(range, served.size);
      if (served.start !== resolved.start || served.end < resolved.end) {
        throw new Error(`The S3 service served bytes ${served.start}-${served.end} for ${resolved.start}-${resolved.end}`);
      }
    } catch (err) {
      body.destroy();
      throw err;
    }
    const contentLength = resolved.end - resolved.start + 1;
    const limited = served.end > resolved.end ? limitStream(body, contentLength) : body;
    return { body: limited, size: served.size, contentLength, range: resolved, modifiedAt };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateObjectKey(key);
    try {
      const response = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#keyOf(key) }));
      return { size: Number(response.ContentLength ?? 0), modifiedAt: response.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#keyOf(key) }));
    } catch (err) {
      // S3 answers 204 for a missing key; some compatible services answer 404.
      if (!isNotFound(err)) throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    validateListPrefix(prefix);
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token, MaxKeys: this.#pageSize }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key?.startsWith(this.prefix)) continue;
        const key = item.Key.slice(this.prefix.length);
        if (!isValidKey(key)) continue;
        yield { key, size: Number(item.Size ?? 0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async check(): Promise<HealthCheck> {
    // A probe object whose name no key can have ('~'): never listed, never confused with data.
    const probe = `${this.prefix}.~check-${randomBytes(6).toString('hex')}`;
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      await this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key: probe, Body: Buffer.alloc(0), ContentLength: 0 }));
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probe }));
      return { ok: true, detail: `${this.description} is reachable and writable` };
    } catch (err) {
      return { ok: false, detail: `${this.description} is not usable (${describeError(err)}): check the bucket, the endpoint and the credentials` };
    }
  }

  /** Closes the client's sockets (only a client this store made). */
  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
  }

  #keyOf(key: string): string {
    return this.prefix + key;
  }

  /**
   * Reads the body part by part. A body that ends within the first part is one PutObject; else a
   * multipart upload, parts sent while the next one is read, aborted on any failure.
   */
  async #multipart(target: string, body: Readable, contentType: string | undefined): Promise<PutResult> {
    const parts = readParts(body, this.#partSize);
    let first: IteratorResult<Buffer>;
    try {
      first = await parts.next();
    } catch (err) {
      body.destroy();
      throw err;
    }
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    let second: IteratorResult<Buffer>;
    try {
      second = first.done ? first : await parts.next();
    } catch (err) {
      body.destroy();
      throw err;
    }
    if (second.done) {
      await this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key: target, Body: firstPart, ContentLength: firstPart.length, ContentType: contentType }));
      return { size: firstPart.length };
    }

    let uploadId: string | undefined;
    try {
      const created = await this.#client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: target, ContentType: contentType }));
      uploadId = created.UploadId;
      if (!uploadId) throw new Error('The S3 service did not return an upload id');
    } catch (err) {
      body.destroy();
      throw err;
    }
    const done: { PartNumber: number; ETag: string }[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    let size = 0;
    let number = 0;
    const send = (bytes: Buffer) => {
      const partNumber = ++number;
      if (partNumber > MAX_PARTS) throw new RangeError(`More than ${MAX_PARTS} parts: raise partSize`);
      size += bytes.length;
      const task: Promise<void> = this.#client
        .send(new UploadPartCommand({ Bucket: this.bucket, Key: target, UploadId: uploadId, PartNumber: partNumber, Body: bytes, ContentLength: bytes.length }))
        .then((answer) => {
          if (!answer.ETag) throw new Error(`The S3 service returned no ETag for part ${partNumber}`);
          done.push({ PartNumber: partNumber, ETag: answer.ETag });
        })
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    };
    try {
      send(firstPart);
      send(second.value);
      for (;;) {
        // Bounded memory: wait for a free slot before reading the next part.
        while (inFlight.size >= this.#concurrency && failure === null) await Promise.race(inFlight);
        if (failure !== null) throw failure;
        const next = await parts.next();
        if (next.done) break;
        send(next.value);
      }
      await Promise.all(inFlight);
      if (failure !== null) throw failure;
      done.sort((a, b) => a.PartNumber - b.PartNumber);
      await this.#client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: target, UploadId: uploadId, MultipartUpload: { Parts: done } }),
      );
      return { size };
    } catch (err) {
      body.destroy();
      await Promise.allSettled(inFlight);
      await this.#client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: target, UploadId: uploadId })).catch(() => {
        // The bucket's lifecycle rule for incomplete uploads cleans up what an abort could not (docs/operations.md).
      });
      throw err;
    }
  }
}

/** The S3 client of a store: path style as asked, checksums only where required (see the class comment). */
export function s3ClientConfig(options: Pick<S3StoreOptions, 'endpoint' | 'region' | 'credentials' | 'forcePathStyle'>): S3ClientConfig {
  return {
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey } } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A dead endpoint fails a request in seconds, not minutes; transfers themselves are not timed.
    requestHandler: { connectionTimeout: 10_000 },
  };
}

function isValidKey(key: string): boolean {
  try {
    validateObjectKey(key);
    return true;
  } catch {
    return false;
  }
}

function wellFormed(range: { start: number; end?: number }): boolean {
  return Number.isSafeInteger(range.start) && range.start >= 0 && (range.end === undefined || (Number.isSafeInteger(range.end) && range.end >= range.start));
}

function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match) return null;
  const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return Number.isSafeInteger(size) && start <= end ? { start, end, size } : null;
}

/** Passes the first `length` bytes of `source`, then ends and releases the source. */
function limitStream(source: Readable, length: number): Readable {
  let left = length;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (left <= 0) return callback();
      const piece = chunk.length <= left ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      this.push(piece);
      if (left === 0) {
        this.push(null);
        source.destroy();
      }
      callback();
    },
  });
  source.on('error', (err) => {
    if (left > 0) limited.destroy(err);
  });
  limited.on('close', () => source.destroy());
  return source.pipe(limited);
}

/** Yields exactly `size`-byte buffers (the last one shorter) from a stream; holds at most one part. */
async function* readParts(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    let bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    while (pendingBytes + bytes.length >= size) {
      const take = size - pendingBytes;
      pending.push(bytes.subarray(0, take));
      yield Buffer.concat(pending, size);
      pending = [];
      pendingBytes = 0;
      bytes = bytes.subarray(take);
    }
    if (bytes.length > 0) {
      pending.push(bytes);
      pendingBytes += bytes.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

function* sliceBuffer(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

function isInvalidRange(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'InvalidRange' || statusOf(err) === 416;
}

/** Error name and HTTP status only: SDK messages can quote request details. */
function describeError(err: unknown): string {
  const name = (err as { name?: string } | null)?.name ?? 'error';
  const code = (err as { code?: string } | null)?.code;
  const status = statusOf(err);
  return [name, code && code !== name ? code : null, status ? `HTTP ${status}` : null].filter(Boolean).join(', ');
}
