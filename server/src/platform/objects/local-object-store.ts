import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  type GetOptions,
  type GetResult,
  type HealthCheck,
  InvalidObjectKeyError,
  type ListedObject,
  type ObjectBody,
  ObjectNotFoundError,
  type ObjectInfo,
  type ObjectReader,
  type ObjectStore,
  type PutOptions,
  type PutResult,
  resolveRange,
  validateListPrefix,
  validateObjectKey,
} from './object-store.ts';

/** Names of temporary files hold a `~`, which no key segment may hold: they never show as objects. */
const TEMP_MARK = '.~tmp-';
const SEGMENT = /^[a-z0-9._-]+$/;
/**
 * Bytes per read of an object: 256 KiB rather than streams' 64 KiB default. Each read is a trip
 * through libuv's thread pool; four times fewer trips let a download (decryption included) keep
 * the CPU busy instead of waiting, for 256 KiB of buffer per open download.
 */
const READ_CHUNK = 256 * 1024;
/** Bytes gathered before a write (see put). */
const WRITE_BATCH = 1024 * 1024;

/**
 * The embedded object store: one folder per cell (e.g. `${ENTENTE_DATA_DIR}/cells/fr/objects`),
 * an object per file at the path named by its key (`a/b/c` → `<root>/a/b/c`), so an operator can
 * back it up or inspect it with ordinary tools.
 *
 * - Keys are validated (`validateObjectKey`) and the resolved path re-checked to be inside the
 *   root: no traversal, whatever the key.
 * - A put streams to a temporary file in the object's own folder, fsyncs it, then renames it over
 *   the object (atomic on POSIX file systems) and fsyncs the folder: readers see the old object or
 *   the new one, and a reader that already opened the old one keeps reading the old bytes.
 * - Folders are created on demand and removed when their last object is deleted, as S3 has none.
 *   Unlike S3, a key cannot be both an object and a folder (`a` and `a/b`): such a put is refused
 *   with InvalidObjectKeyError. Application keys (`spaces/<id>/files/<id>`) never do that.
 * - Files are created 0600 and folders 0700: only the server's user reads the data.
 * - contentType is not stored (the application keeps media types in its own tables).
 */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  readonly description: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.description = `local folder ${this.root}`;
  }

  /** Creates the folder (0700) if needed and returns the store on it. */
  static async open(root: string): Promise<LocalObjectStore> {
    const store = new LocalObjectStore(root);
    await mkdir(store.root, { recursive: true, mode: 0o700 });
    return store;
  }

  async put(key: string, body: ObjectBody, _opts?: PutOptions): Promise<PutResult> {
    const file = this.#pathOf(key);
    const dir = path.dirname(file);
    const temp = path.join(dir, `${TEMP_MARK}${randomBytes(8).toString('hex')}`);
    const handle = await this.#createTemp(key, dir, temp);
    let size = 0;
    let closed = false;
    try {
      if (body instanceof Uint8Array) {
        await writeAll(handle, body);
        size = body.byteLength;
      } else {
        size = await writeBody(handle, body);
      }
      await handle.sync();
      await handle.close();
      closed = true;
      await rename(temp, file);
    } catch (err) {
      // (writeBody settles only once no write is in flight: the file can be closed.)
      if (!closed) await handle.close().catch(() => {});
      await rm(temp, { force: true }).catch(() => {});
      if (isCode(err, 'EISDIR', 'ENOTEMPTY', 'EEXIST')) {
        throw new InvalidObjectKeyError(key, 'a folder of other objects has this name in the local store');
      }
      throw err;
    }
    await syncFolder(dir);
    return { size };
  }

  /**
   * The object's file, opened for reading, with its size: O_NOFOLLOW (a symbolic link planted in
   * the folder is not followed out of it); a folder or a missing file is ObjectNotFoundError. The
   * handle keeps the file a concurrent put renames a new one over.
   */
  async #openFile(key: string): Promise<{ handle: FileHandle; info: Stats }> {
    let handle: FileHandle;
    try {
      handle = await open(this.#pathOf(key), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR')) throw new ObjectNotFoundError(key, { cause: err });
      throw err;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(key);
      return { handle, info };
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  async get(key: string, opts: GetOptions = {}): Promise<GetResult> {
    const { handle, info } = await this.#openFile(key);
    try {
      const size = info.size;
      const modifiedAt = info.mtime;
      if (opts.range) {
        const range = resolveRange(opts.range, size);
        // The stream reads through the handle opened above: a concurrent put renames a new file
        // over the name, this handle keeps the old one.
        const body = handle.createReadStream({ start: range.start, end: range.end, highWaterMark: READ_CHUNK });
        return { body, size, contentLength: range.end - range.start + 1, range, modifiedAt };
      }
      const body = handle.createReadStream(size > 0 ? { start: 0, end: size - 1, highWaterMark: READ_CHUNK } : {});
      return { body, size, contentLength: size, modifiedAt };
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  /**
   * The object's file opened for positional reads (EncryptedObjects reads ciphertext this way into
   * buffers it reuses, see createPositionalDecryptStream). Same opening rules as get: no symbolic
   * link followed, a concurrent put leaves this reader on the old file.
   */
  async openReader(key: string): Promise<ObjectReader> {
    const { handle, info } = await this.#openFile(key);
    let closing: Promise<void> | null = null;
    return {
      size: info.size,
      modifiedAt: info.mtime,
      read: async (buffer, offset, length, position) => (await handle.read(buffer, offset, length, position)).bytesRead,
      close: () => {
        closing ??= handle.close();
        return closing;
      },
    };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.#pathOf(key);
    try {
      // lstat: a symbolic link is not an object (get refuses to follow it too).
      const info = await lstat(file);
      return info.isFile() ? { size: info.size, modifiedAt: info.mtime } : null;
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR')) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#pathOf(key);
    try {
      await unlink(file);
    } catch (err) {
      // Missing, or a folder (not an object): nothing to delete.
      if (isCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM')) return;
      throw err;
    }
    // Remove the folders this object leaves empty; stop at the first one that is not.
    let dir = path.dirname(file);
    while (dir !== this.root && dir.startsWith(this.root + path.sep)) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
      dir = path.dirname(dir);
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    validateListPrefix(prefix);
    // Start in the deepest folder the prefix names; the rest of the prefix filters its entries.
    yield* this.#walk(prefix.slice(0, prefix.lastIndexOf('/') + 1), prefix);
  }

  async check(): Promise<HealthCheck> {
    try {
      const info = await stat(this.root);
      if (!info.isDirectory()) return { ok: false, detail: `${this.root} is not a folder` };
      const probe = path.join(this.root, `${TEMP_MARK}check-${randomBytes(4).toString('hex')}`);
      const handle = await open(probe, 'wx', 0o600);
      await handle.close();
      await rm(probe, { force: true });
      const fs = await statfs(this.root);
      const free = (fs.bavail * fs.bsize) / 2 ** 30;
      return { ok: true, detail: `${this.description} is writable, ${free.toFixed(1)} GiB free` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      return { ok: false, detail: `${this.description} is not usable (${code}): create it and let the server's user write to it` };
    }
  }

  /** The file of a key, after validation; the containment check is a second, independent guard. */
  #pathOf(key: string): string {
    validateObjectKey(key);
    const file = path.join(this.root, ...key.split('/'));
    if (!file.startsWith(this.root + path.sep)) throw new InvalidObjectKeyError(key, 'outside the store');
    return file;
  }

  async #createTemp(key: string, dir: string, temp: string): Promise<FileHandle> {
    // A concurrent delete may remove an emptied folder between mkdir and open: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        return await open(temp, 'wx', 0o600);
      } catch (err) {
        if (isCode(err, 'ENOTDIR', 'EEXIST')) {
          throw new InvalidObjectKeyError(key, 'an object has the name of one of its folders in the local store');
        }
        if (!isCode(err, 'ENOENT') || attempt >= 5) throw err;
      }
    }
  }

  async *#walk(folder: string, prefix: string): AsyncIterable<ListedObject> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(this.root, folder), { withFileTypes: true });
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR')) return;
      throw err;
    }
    // Sorting folders as `name/` yields keys in plain byte order across levels (as S3 lists):
    // `a-b` < `a/c` because '-' < '/'. Symbolic links and temporary files are skipped.
    const items = entries
      .filter((e) => SEGMENT.test(e.name) && e.name !== '.' && e.name !== '..' && (e.isFile() || e.isDirectory()))
      .map((e) => ({ name: e.name, folder: e.isDirectory(), order: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    for (const item of items) {
      const key = folder + item.name;
      if (item.folder) {
        const sub = `${key}/`;
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) yield* this.#walk(sub, prefix);
      } else if (key.startsWith(prefix)) {
        try {
          const info = await lstat(path.join(this.root, key));
          if (info.isFile()) yield { key, size: info.size };
        } catch (err) {
          if (!isCode(err, 'ENOENT')) throw err; // deleted while listing
        }
      }
    }
  }
}

/**
 * Writes a stream's bytes to the file; resolves to their count once the stream has ended and
 * everything is written. Rejects with the stream's error (or its premature close) or a write's,
 * always once no write is in flight any more (the file can then be closed); after a failed write
 * the stream is destroyed, as `for await` would.
 *
 * Chunks are gathered up to WRITE_BATCH bytes and written with one writev: a trip through the
 * thread pool per MiB rather than per 64 KiB chunk. One batch is written while the next is
 * gathered (the body's producer, e.g. encryption, keeps the CPU busy meanwhile): at most two
 * batches in memory, and writes stay in order since a batch starts once the previous one has
 * finished; the stream is paused while a full batch waits.
 *
 * The stream is read in flowing mode ('data' events) rather than with `for await`: an async
 * iterator costs a few promises and result objects per chunk, and the encrypting stream hands
 * out two chunks per 64 KiB segment; in a process whose heap sits near V8's limit (with the AWS
 * SDK loaded, as in the server and the bench) each such allocation brings the next full garbage
 * collection closer.
 */
function writeBody(handle: FileHandle, body: Readable): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let size = 0;
    let batch: Uint8Array[] = [];
    let batched = 0;
    let writing = false;
    /** A full batch waiting for the write in flight, the stream paused meanwhile. */
    let waiting: { buffers: Uint8Array[]; total: number } | null = null;
    let ended = false;
    let failure: { error: unknown } | null = null;

    const settle = () => {
      if (writing) return;
      if (failure) reject(failure.error);
      else if (ended && !waiting && batched === 0) resolve(size);
    };
    const fail = (err: unknown) => {
      if (failure) return;
      failure = { error: err };
      waiting = null;
      body.off('data', onData);
      body.destroy();
      settle();
    };
    const write = (buffers: Uint8Array[], total: number) => {
      writing = true;
      writeAllv(handle, buffers, total).then(
        () => {
          writing = false;
          const next = waiting;
          if (next && !failure) {
            waiting = null;
            write(next.buffers, next.total);
            if (!ended) body.resume();
          }
          settle();
        },
        (err: unknown) => {
          writing = false;
          fail(err);
          settle();
        },
      );
    };
    const flush = () => {
      const buffers = batch;
      const total = batched;
      batch = [];
      batched = 0;
      if (!writing) return write(buffers, total);
      waiting = { buffers, total };
      if (!ended) body.pause();
    };
    function onData(chunk: unknown): void {
      const bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      if (bytes.byteLength === 0) return;
      batch.push(bytes);
      batched += bytes.byteLength;
      size += bytes.byteLength;
      if (batched >= WRITE_BATCH) flush();
    }

    // The stream's end, its error, or its close before the end (a premature close).
    finished(body).then(() => {
      if (failure) return;
      ended = true;
      if (batched > 0) flush();
      settle();
    }, fail);
    body.on('data', onData);
    body.resume();
  });
}

/** Writes buffers in order with writev, finishing any short write. */
async function writeAllv(handle: FileHandle, buffers: Uint8Array[], total: number): Promise<void> {
  const { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten >= total) return;
  // A short write (a full disk, a signal): write what is left, buffer by buffer.
  let skip = bytesWritten;
  for (const buffer of buffers) {
    if (skip >= buffer.byteLength) {
      skip -= buffer.byteLength;
      continue;
    }
    await writeAll(handle, buffer.subarray(skip));
    skip = 0;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes a rename durable; some platforms cannot open a folder for that, which is tolerated. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => {});
  }
}

function isCode(err: unknown, ...codes: string[]): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && codes.includes(code);
}
