import { pipeline, Readable } from 'node:stream';
import type { CellDb } from '../db/types.ts';
import {
  type GetOptions,
  type GetResult,
  type ObjectBody,
  type ObjectInfo,
  type ObjectReader,
  type ObjectStore,
  type PutOptions,
  RangeNotSatisfiableError,
  validateObjectKey,
} from '../objects/object-store.ts';
import { DecryptionError } from './errors.ts';
import type { KeyOwner, Keyring } from './keyring.ts';
import {
  type CiphertextRange,
  ciphertextRange,
  createEncryptStream,
  createPositionalDecryptStream,
  createRangeDecryptStream,
  fullCiphertextRange,
  HEADER_SIZE,
  plaintextSize,
} from './segmented-aead.ts';

/**
 * Objects encrypted at rest with their owner's data key: an ObjectStore, the cell's Keyring and
 * the segmented AEAD. The store only ever sees ciphertext.
 *
 * Stored object format, version 1:
 *
 *     "ENTO" (4 bytes) ‖ 0x01 (format) ‖ data key version (uint32 big-endian)   — 9 bytes
 *     ‖ the segmented AEAD stream (its 40-byte header, then 64 KiB segments; segmented-aead.ts)
 *
 * The stream's associated data is `entente-object/v1 NUL <owner type> NUL <owner id> NUL <key>`:
 * an object only decrypts for its owner and under its own key (copying it elsewhere fails). The
 * data key version in the header lets old objects decrypt after the owner's key is rotated.
 *
 * A read makes two requests to the store: the first 49 bytes (both headers, and the object's
 * size), then the segments the wanted range covers. An object replaced between the two fails to
 * decrypt (DecryptionError), it is never mixed.
 */
export class EncryptedObjects {
  readonly #store: ObjectStore;
  readonly #keyring: Keyring;

  constructor(options: { store: ObjectStore; keyring: Keyring }) {
    this.#store = options.store;
    this.#keyring = options.keyring;
  }

  /**
   * Encrypts and stores a body under the owner's current data key (created if needed). The
   * plaintext's media type is not handed to the store (an S3 service would keep it as metadata in
   * clear): what the store holds is `application/octet-stream`; the application keeps the type in
   * its own (cell) tables. `_opts` stays for callers that pass one.
   */
  async putEncrypted(
    db: CellDb,
    owner: KeyOwner,
    key: string,
    body: ObjectBody,
    _opts?: PutOptions,
  ): Promise<{ size: number; storedSize: number; keyVersion: number }> {
    validateObjectKey(key);
    const dataKey = await this.#keyring.getOrCreateDataKey(db, owner);
    const source = body instanceof Uint8Array ? Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]) : body;
    // The object header goes out first from the encrypting stream itself, which the store reads
    // directly: no extra stream layer per chunk.
    const encrypted = pipeline(source, createEncryptStream(dataKey.key, objectAad(owner, key), { before: objectHeader(dataKey.version) }), () => {});
    let stored: { size: number };
    try {
      stored = await this.#store.put(key, encrypted, { contentType: 'application/octet-stream' });
    } catch (err) {
      encrypted.destroy(); // and, through the pipeline, the caller's body
      throw err;
    }
    return { size: plaintextSize(stored.size - OBJECT_HEADER_SIZE), storedSize: stored.size, keyVersion: dataKey.version };
  }

  /**
   * Opens an object's plaintext, or a byte range of it (inclusive end, clamped), reading only the
   * segments the range covers. Rejects with ObjectNotFoundError, RangeNotSatisfiableError,
   * KeyUnavailableError (its data key version is gone) or DecryptionError (not this owner's, or
   * damaged); a segment that fails later errors the body stream with DecryptionError.
   */
  async getDecrypted(db: CellDb, owner: KeyOwner, key: string, opts: GetOptions = {}): Promise<GetResult> {
    if (this.#store.openReader) return this.#getByPosition(db, owner, key, opts, await this.#store.openReader(key));
    const first = await this.#store.get(key, { range: { start: 0, end: PREFIX_SIZE - 1 } }).catch((err: unknown) => {
      throw err instanceof RangeNotSatisfiableError ? new DecryptionError('The object is empty, not encrypted') : err;
    });
    const prefix = await readAll(first.body);
    if (prefix.length < PREFIX_SIZE) throw new DecryptionError('The object is too short to be encrypted');
    const version = parseObjectHeader(prefix);
    const size = plaintextSize(first.size - OBJECT_HEADER_SIZE);
    const dataKey = await this.#keyring.getDataKey(db, owner, version);
    const plan: CiphertextRange = opts.range ? ciphertextRange(opts.range, size) : fullCiphertextRange(size);
    const second = await this.#store.get(key, {
      range: { start: OBJECT_HEADER_SIZE + plan.start, end: OBJECT_HEADER_SIZE + plan.end },
    });
    if (second.size !== first.size) {
      second.body.destroy();
      throw new DecryptionError('The object changed while it was being read');
    }
    let decrypt: ReturnType<typeof createRangeDecryptStream>;
    try {
      decrypt = createRangeDecryptStream(dataKey.key, objectAad(owner, key), prefix.subarray(OBJECT_HEADER_SIZE), plan);
    } catch (err) {
      second.body.destroy();
      throw err;
    }
    // The pipeline forwards a store error to the body, and closes the store's stream when the
    // consumer destroys the body (a client that goes away).
    const body = pipeline(second.body, decrypt, () => {});
    return {
      body,
      size,
      contentLength: plan.length,
      ...(opts.range ? { range: plan.plaintext } : {}),
      modifiedAt: second.modifiedAt,
    };
  }

  /**
   * getDecrypted on a store that opens objects for positional reads (the local store): one open
   * file for the headers and the segments (so one version of the object), read into buffers the
   * decrypting stream reuses rather than through a byte stream that allocates each chunk.
   */
  async #getByPosition(db: CellDb, owner: KeyOwner, key: string, opts: GetOptions, reader: ObjectReader): Promise<GetResult> {
    try {
      if (reader.size === 0) throw new DecryptionError('The object is empty, not encrypted');
      const prefix = Buffer.alloc(PREFIX_SIZE);
      let read = 0;
      for (let n = -1; read < PREFIX_SIZE && n !== 0; read += n) n = await reader.read(prefix, read, PREFIX_SIZE - read, read);
      if (read < PREFIX_SIZE) throw new DecryptionError('The object is too short to be encrypted');
      const version = parseObjectHeader(prefix);
      const size = plaintextSize(reader.size - OBJECT_HEADER_SIZE);
      const dataKey = await this.#keyring.getDataKey(db, owner, version);
      const plan: CiphertextRange = opts.range ? ciphertextRange(opts.range, size) : fullCiphertextRange(size);
      const body = createPositionalDecryptStream(dataKey.key, objectAad(owner, key), prefix.subarray(OBJECT_HEADER_SIZE), plan, reader, OBJECT_HEADER_SIZE);
      return {
        body,
        size,
        contentLength: plan.length,
        ...(opts.range ? { range: plan.plaintext } : {}),
        modifiedAt: reader.modifiedAt,
      };
    } catch (err) {
      await reader.close().catch(() => {});
      throw err;
    }
  }

  /** The plaintext size and modification time of an object, or null; DecryptionError if its size is impossible. */
  async head(key: string): Promise<ObjectInfo | null> {
    const info = await this.#store.head(key);
    if (!info) return null;
    if (info.size < PREFIX_SIZE) throw new DecryptionError('The object is too short to be encrypted');
    return { size: plaintextSize(info.size - OBJECT_HEADER_SIZE), modifiedAt: info.modifiedAt };
  }

  delete(key: string): Promise<void> {
    return this.#store.delete(key);
  }
}

const MAGIC = Buffer.from('ENTO', 'latin1');
const OBJECT_FORMAT = 0x01;
export const OBJECT_HEADER_SIZE = MAGIC.length + 1 + 4;
const PREFIX_SIZE = OBJECT_HEADER_SIZE + HEADER_SIZE;

function objectHeader(keyVersion: number): Buffer {
  const header = Buffer.alloc(OBJECT_HEADER_SIZE);
  MAGIC.copy(header, 0);
  header[MAGIC.length] = OBJECT_FORMAT;
  header.writeUInt32BE(keyVersion, MAGIC.length + 1);
  return header;
}

/** The data key version of a stored object; DecryptionError when the header is not ours. */
export function parseObjectHeader(bytes: Buffer): number {
  if (bytes.length < OBJECT_HEADER_SIZE || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DecryptionError('The object is not an Entente encrypted object');
  }
  if (bytes[MAGIC.length] !== OBJECT_FORMAT) throw new DecryptionError(`Unknown encrypted object format ${bytes[MAGIC.length]}`);
  const version = bytes.readUInt32BE(MAGIC.length + 1);
  if (version < 1) throw new DecryptionError('The object names no data key version');
  return version;
}

function objectAad(owner: KeyOwner, key: string): string {
  return `entente-object/v1\0${owner.type}\0${owner.id}\0${key}`;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
