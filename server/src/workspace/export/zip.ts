import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw, createInflateRaw } from 'node:zlib';

/**
 * ZIP archives of any size, streamed: 1 GB of files goes through in 1 MiB chunks and never sits
 * in memory.
 *
 * Why not fflate's streaming `Zip`/`Unzip` (fflate writes the ODT, `odt.ts`):
 * - fflate writes no Zip64 records, so an entry or an archive past 4 GiB would get its sizes and
 *   offsets silently truncated to 32 bits — a corrupt archive of an organisation with many files;
 * - its streaming `Unzip` finds where an entry ends by scanning for the next signature, so a
 *   stored file that contains the bytes `PK\x07\x08` (any file may: the archive holds users'
 *   files) is cut there, and a crafted archive can make it see entries the central directory
 *   does not list.
 * So the format is written out here (PKWARE APPNOTE 6.3, with Zip64) over Node's own zlib
 * (raw DEFLATE and CRC-32), and the reader trusts only the central directory, with limits.
 *
 * Writer: entries are written one after the other into a seekable file; each local header is
 * patched with its CRC and sizes once its data is written (no data descriptors, so every reader
 * knows an entry's extent from its header alone). Names are UTF-8 (flag 11).
 */

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const FLAG_UTF8 = 0x0800;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
/** Entries declared at least this large get Zip64 sizes (room for DEFLATE's worst-case growth). */
const ZIP64_THRESHOLD = 0xff000000;
const CHUNK = 1024 * 1024;
/** Unix regular file, rw-r--r--, in the upper half of the external attributes ("made by" Unix). */
const FILE_ATTRS = ((0o100644 << 16) >>> 0) as number;

export interface AddedEntry {
  path: string;
  /** Uncompressed bytes. */
  size: number;
  compressedSize: number;
  /** Hex SHA-256 of the uncompressed bytes. */
  sha256: string;
}

interface CentralRecord {
  name: Buffer;
  method: number;
  crc: number;
  size: number;
  compressedSize: number;
  offset: number;
  dosTime: number;
  dosDate: number;
}

export type EntryBody = Uint8Array | string | AsyncIterable<Uint8Array>;

export class ZipWriter {
  readonly #handle: FileHandle;
  readonly #records: CentralRecord[] = [];
  readonly #names = new Set<string>();
  readonly #dos: { time: number; date: number };
  #offset = 0;
  #finished = false;

  private constructor(handle: FileHandle, modified: Date) {
    this.#handle = handle;
    this.#dos = dosDateTime(modified);
  }

  /** Creates `path` (refused if it exists: an archive is never overwritten by accident). */
  static async create(path: string, options: { modified?: Date } = {}): Promise<ZipWriter> {
    const handle = await open(path, 'wx', 0o600);
    return new ZipWriter(handle, options.modified ?? new Date());
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#offset;
  }

  /**
   * Adds one entry. `declaredSize`, when the body is a stream of known length, lets a huge entry
   * get Zip64 sizes in its local header; a body of another length is an error (it changed while
   * it was read).
   */
  async add(path: string, body: EntryBody, options: { compress?: boolean; declaredSize?: number } = {}): Promise<AddedEntry> {
    if (this.#finished) throw new Error('The archive is already finished');
    if (this.#names.has(path)) throw new Error(`Duplicate archive entry ${path}`);
    this.#names.add(path);
    const name = Buffer.from(path, 'utf8');
    if (name.length > U16_MAX) throw new Error('Archive entry name too long');
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body instanceof Uint8Array ? body : null;
    const declared = bytes ? bytes.byteLength : options.declaredSize;
    const zip64 = declared === undefined || declared >= ZIP64_THRESHOLD;
    const method = options.compress === false ? METHOD_STORE : METHOD_DEFLATE;
    const offset = this.#offset;
    const extraLength = zip64 ? 20 : 0;
    const header = Buffer.alloc(30 + name.length + extraLength);
    header.writeUInt32LE(SIG_LOCAL, 0);
    header.writeUInt16LE(zip64 ? 45 : 20, 4);
    header.writeUInt16LE(FLAG_UTF8, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(this.#dos.time, 10);
    header.writeUInt16LE(this.#dos.date, 12);
    // CRC and sizes (14..25) are patched below, once known.
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(extraLength, 28);
    name.copy(header, 30);
    if (zip64) {
      header.writeUInt16LE(0x0001, 30 + name.length);
      header.writeUInt16LE(16, 32 + name.length);
    }
    await this.#write(header);

    const hash = createHash('sha256');
    let crc = 0;
    let size = 0;
    const dataStart = this.#offset;
    const source: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = bytes ? chunksOf(bytes) : (body as AsyncIterable<Uint8Array>);
    const counted = async function* (): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        hash.update(buf);
        crc = crc32(buf, crc);
        size += buf.byteLength;
        yield buf;
      }
    };
    if (method === METHOD_DEFLATE) {
      const sink = this.#sink();
      await pipeline(Readable.from(counted()), createDeflateRaw({ level: 6 }), sink);
    } else {
      for await (const chunk of counted()) await this.#write(chunk);
    }
    const compressedSize = this.#offset - dataStart;
    if (declared !== undefined && size !== declared) throw new Error(`Archive entry ${path}: expected ${declared} bytes, read ${size}`);
    if (!zip64 && (size > U32_MAX || compressedSize > U32_MAX)) throw new Error(`Archive entry ${path} outgrew its header`);

    const patch = Buffer.alloc(12);
    patch.writeUInt32LE(crc >>> 0, 0);
    patch.writeUInt32LE(zip64 ? U32_MAX : compressedSize, 4);
    patch.writeUInt32LE(zip64 ? U32_MAX : size, 8);
    await this.#handle.write(patch, 0, 12, offset + 14);
    if (zip64) {
      const sizes = Buffer.alloc(16);
      sizes.writeBigUInt64LE(BigInt(size), 0);
      sizes.writeBigUInt64LE(BigInt(compressedSize), 8);
      await this.#handle.write(sizes, 0, 16, offset + 30 + name.length + 4);
    }
    this.#records.push({ name, method, crc: crc >>> 0, size, compressedSize, offset, dosTime: this.#dos.time, dosDate: this.#dos.date });
    return { path, size, compressedSize, sha256: hash.digest('hex') };
  }

  /** Writes the central directory (with Zip64 records when needed), syncs and closes the file. */
  async finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    const cdStart = this.#offset;
    for (const r of this.#records) {
      const bigSize = r.size >= U32_MAX || r.compressedSize >= U32_MAX;
      const bigOffset = r.offset >= U32_MAX;
      const extra: Buffer[] = [];
      if (bigSize) extra.push(u64(r.size), u64(r.compressedSize));
      if (bigOffset) extra.push(u64(r.offset));
      const extraBody = Buffer.concat(extra);
      const extraLength = extraBody.length > 0 ? 4 + extraBody.length : 0;
      const rec = Buffer.alloc(46 + r.name.length + extraLength);
      rec.writeUInt32LE(SIG_CENTRAL, 0);
      rec.writeUInt16LE((3 << 8) | 45, 4); // made by Unix, spec 4.5
      rec.writeUInt16LE(bigSize || bigOffset ? 45 : 20, 6);
      rec.writeUInt16LE(FLAG_UTF8, 8);
      rec.writeUInt16LE(r.method, 10);
      rec.writeUInt16LE(r.dosTime, 12);
      rec.writeUInt16LE(r.dosDate, 14);
      rec.writeUInt32LE(r.crc, 16);
      rec.writeUInt32LE(bigSize ? U32_MAX : r.compressedSize, 20);
      rec.writeUInt32LE(bigSize ? U32_MAX : r.size, 24);
      rec.writeUInt16LE(r.name.length, 28);
      rec.writeUInt16LE(extraLength, 30);
      rec.writeUInt32LE(FILE_ATTRS, 38);
      rec.writeUInt32LE(bigOffset ? U32_MAX : r.offset, 42);
      r.name.copy(rec, 46);
      if (extraLength > 0) {
        rec.writeUInt16LE(0x0001, 46 + r.name.length);
        rec.writeUInt16LE(extraBody.length, 48 + r.name.length);
        extraBody.copy(rec, 50 + r.name.length);
      }
      await this.#write(rec);
    }
    const cdSize = this.#offset - cdStart;
    const count = this.#records.length;
    if (count >= U16_MAX || cdStart >= U32_MAX || cdSize >= U32_MAX) {
      const zip64Eocd = this.#offset;
      const rec = Buffer.alloc(56);
      rec.writeUInt32LE(SIG_ZIP64_EOCD, 0);
      rec.writeBigUInt64LE(44n, 4);
      rec.writeUInt16LE((3 << 8) | 45, 12);
      rec.writeUInt16LE(45, 14);
      rec.writeBigUInt64LE(BigInt(count), 24);
      rec.writeBigUInt64LE(BigInt(count), 32);
      rec.writeBigUInt64LE(BigInt(cdSize), 40);
      rec.writeBigUInt64LE(BigInt(cdStart), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
      locator.writeBigUInt64LE(BigInt(zip64Eocd), 8);
      locator.writeUInt32LE(1, 16);
      await this.#write(Buffer.concat([rec, locator]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(SIG_EOCD, 0);
    eocd.writeUInt16LE(Math.min(count, U16_MAX), 8);
    eocd.writeUInt16LE(Math.min(count, U16_MAX), 10);
    eocd.writeUInt32LE(Math.min(cdSize, U32_MAX), 12);
    eocd.writeUInt32LE(Math.min(cdStart, U32_MAX), 16);
    await this.#write(eocd);
    await this.#handle.sync();
    await this.#handle.close();
  }

  /** Closes the file without finishing it (the caller removes it). */
  async abort(): Promise<void> {
    this.#finished = true;
    await this.#handle.close().catch(() => {});
  }

  async #write(buf: Uint8Array): Promise<void> {
    let done = 0;
    while (done < buf.byteLength) {
      const { bytesWritten } = await this.#handle.write(buf, done, buf.byteLength - done, this.#offset + done);
      done += bytesWritten;
    }
    this.#offset += buf.byteLength;
  }

  #sink(): Writable {
    const write = (chunk: Buffer) => this.#write(chunk);
    return new Writable({
      write(chunk: Buffer, _enc, done) {
        write(chunk).then(() => done(), done);
      },
    });
  }
}

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += CHUNK) yield bytes.subarray(i, Math.min(bytes.byteLength, i + CHUNK));
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}

/** MS-DOS date and time (UTC: the archive's timestamps are not local times of the exporting machine). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

// ── reader ───────────────────────────────────────────────────────────────────────────────────

/** What a reader accepts; an archive beyond any of them is refused before anything is read. */
export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: number;
  /**
   * Declared uncompressed / compressed, per entry above 16 MiB: DEFLATE reaches about 1000 on
   * zeros, ordinary data (text, JSON, documents) stays far below 100, files are mostly stored.
   */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 200_000, maxTotalBytes: 64 * 1024 ** 3, maxRatio: 200 };

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  compressedSize: number;
  /** Offset of the local header. */
  offset: number;
  /** Offset of the data, once the local header is read (open() reads them all). */
  dataOffset: number;
}

/** The archive cannot be read as a ZIP we accept; `reason` is a stable code. */
export class ZipFormatError extends Error {
  readonly reason: string;
  readonly entry: string | null;
  constructor(reason: string, message: string, entry: string | null = null) {
    super(message);
    this.name = 'ZipFormatError';
    this.reason = reason;
    this.entry = entry;
  }
}

/**
 * Reads an archive by its central directory only. Refused: no end record, a comment or data after
 * it that hides another one, multi-disk archives, encrypted entries, methods other than store and
 * DEFLATE, duplicate names, local headers that disagree with the directory, entries that overlap
 * each other or the directory, and archives over the limits. Reading an entry stops at its
 * declared size and checks its CRC-32: the directory's sizes are enforced, not trusted.
 */
export class ZipReader {
  readonly #handle: FileHandle;
  readonly entries: ZipEntry[];
  readonly #byName: Map<string, ZipEntry>;
  readonly fileSize: number;

  private constructor(handle: FileHandle, fileSize: number, entries: ZipEntry[]) {
    this.#handle = handle;
    this.fileSize = fileSize;
    this.entries = entries;
    this.#byName = new Map(entries.map((e) => [e.name, e]));
  }

  static async open(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipReader> {
    const handle = await open(path, 'r');
    try {
      const fileSize = (await handle.stat()).size;
      const entries = await readDirectory(handle, fileSize, limits);
      return new ZipReader(handle, fileSize, entries);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.#byName.get(name);
  }

  /** The entry's uncompressed bytes as a stream, cut at its declared size, CRC checked at the end. */
  stream(entry: ZipEntry): Readable {
    return Readable.from(this.chunks(entry));
  }

  async *chunks(entry: ZipEntry): AsyncGenerator<Buffer> {
    const raw = this.#rawChunks(entry);
    const source = entry.method === METHOD_STORE ? raw : inflated(raw, entry);
    let size = 0;
    let crc = 0;
    for await (const chunk of source) {
      size += chunk.byteLength;
      // Stops the inflater as soon as the entry says more than its directory record: a bomb
      // never gets further than its declared size.
      if (size > entry.size) throw refuse('entry_size_mismatch', `${entry.name} holds more than its declared ${entry.size} bytes`, entry.name);
      crc = crc32(chunk, crc);
      yield chunk;
    }
    if (size !== entry.size) throw refuse('entry_size_mismatch', `${entry.name} holds ${size} bytes, not the declared ${entry.size}`, entry.name);
    if (crc >>> 0 !== entry.crc) throw refuse('entry_corrupt', `${entry.name} fails its CRC-32 check`, entry.name);
  }

  /** The whole entry in memory; refused above `max` bytes (declared), so only for small entries. */
  async read(entry: ZipEntry, max: number): Promise<Buffer> {
    if (entry.size > max) throw new ZipFormatError('entry_too_large', `${entry.name} is larger than ${max} bytes`, entry.name);
    const chunks: Buffer[] = [];
    for await (const chunk of this.chunks(entry)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    await this.#handle.close().catch(() => {});
  }

  async *#rawChunks(entry: ZipEntry): AsyncGenerator<Buffer> {
    let position = entry.dataOffset;
    const end = entry.dataOffset + entry.compressedSize;
    while (position < end) {
      const length = Math.min(CHUNK, end - position);
      const buf = Buffer.alloc(length);
      const { bytesRead } = await this.#handle.read(buf, 0, length, position);
      if (bytesRead === 0) throw new ZipFormatError('truncated', `${entry.name} is truncated`, entry.name);
      position += bytesRead;
      yield bytesRead === length ? buf : buf.subarray(0, bytesRead);
    }
  }
}

/** Raw DEFLATE → bytes, as they come; a damaged stream is an `entry_corrupt` refusal. */
async function* inflated(raw: AsyncIterable<Buffer>, entry: ZipEntry): AsyncGenerator<Buffer> {
  const input = Readable.from(raw);
  const inflate = createInflateRaw();
  input.on('error', (error) => inflate.destroy(error));
  input.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw refuse('entry_corrupt', `${entry.name}: ${(error as Error).message}`, entry.name);
  } finally {
    input.destroy();
    inflate.destroy();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

const refuse = (reason: string, message: string, entry: string | null = null) => new ZipFormatError(reason, message, entry);

async function readDirectory(handle: FileHandle, fileSize: number, limits: ZipLimits): Promise<ZipEntry[]> {
  if (fileSize < 22) throw refuse('not_a_zip', 'The file is too short to be a ZIP archive');
  // The end record is the last 22 bytes: we write no comment, and accept none (a comment can hide
  // a second end record that another tool would read instead of ours).
  const eocd = await readAt(handle, fileSize - 22, 22);
  if (eocd.readUInt32LE(0) !== SIG_EOCD) throw refuse('not_a_zip', 'No ZIP end record at the end of the file (not a ZIP archive, or one with a trailing comment)');
  if (eocd.readUInt16LE(4) !== 0 || eocd.readUInt16LE(6) !== 0) throw refuse('multi_disk', 'Multi-disk archives are not accepted');
  let count = eocd.readUInt16LE(10);
  let cdSize = eocd.readUInt32LE(12);
  let cdStart = eocd.readUInt32LE(16);
  let cdEnd = fileSize - 22;
  if (count === U16_MAX || cdSize === U32_MAX || cdStart === U32_MAX) {
    if (fileSize < 22 + 20 + 56) throw refuse('not_a_zip', 'Zip64 end records are missing');
    const locator = await readAt(handle, fileSize - 22 - 20, 20);
    if (locator.readUInt32LE(0) !== SIG_ZIP64_LOCATOR) throw refuse('not_a_zip', 'Zip64 locator missing');
    const at = Number(locator.readBigUInt64LE(8));
    if (at !== fileSize - 22 - 20 - 56) throw refuse('not_a_zip', 'Zip64 end record is not where it must be');
    const z = await readAt(handle, at, 56);
    if (z.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw refuse('not_a_zip', 'Zip64 end record missing');
    count = Number(z.readBigUInt64LE(32));
    cdSize = Number(z.readBigUInt64LE(40));
    cdStart = Number(z.readBigUInt64LE(48));
    cdEnd = at;
  }
  if (count > limits.maxEntries) throw refuse('too_many_entries', `${count} entries (at most ${limits.maxEntries})`);
  if (cdStart + cdSize !== cdEnd) throw refuse('not_a_zip', 'The central directory is not where the end record says');
  if (cdSize > 64 * 1024 * 1024 || cdSize > cdEnd) throw refuse('not_a_zip', 'The central directory is too large');
  const cd = await readAt(handle, cdStart, cdSize);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw refuse('not_a_zip', 'Damaged central directory');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const disk = cd.readUInt16LE(p + 34);
    let offset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw refuse('not_a_zip', 'Damaged central directory');
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    const name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes, { stream: false });
    const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    // Zip64 extended information: only the fields whose 32-bit value is saturated, in order.
    for (let q = 0; q + 4 <= extra.length; ) {
      const tag = extra.readUInt16LE(q);
      const len = extra.readUInt16LE(q + 2);
      if (q + 4 + len > extra.length) throw refuse('not_a_zip', `Damaged extra field of ${name}`, name);
      if (tag === 0x0001) {
        let r = q + 4;
        const take = () => {
          if (r + 8 > q + 4 + len) throw refuse('not_a_zip', `Damaged Zip64 field of ${name}`, name);
          const v = Number(extra.readBigUInt64LE(r));
          r += 8;
          return v;
        };
        if (size === U32_MAX) size = take();
        if (compressedSize === U32_MAX) compressedSize = take();
        if (offset === U32_MAX) offset = take();
      }
      q += 4 + len;
    }
    if (flags & FLAG_ENCRYPTED) throw refuse('encrypted_entry', `${name} is encrypted`, name);
    if (method !== METHOD_STORE && method !== METHOD_DEFLATE) throw refuse('unsupported_method', `${name} uses compression method ${method}`, name);
    if (disk !== 0) throw refuse('multi_disk', 'Multi-disk archives are not accepted');
    if (method === METHOD_STORE && size !== compressedSize) throw refuse('entry_size_mismatch', `${name}: stored sizes differ`, name);
    if (names.has(name)) throw refuse('duplicate_entry', `${name} appears twice`, name);
    names.add(name);
    total += size;
    if (total > limits.maxTotalBytes) throw refuse('too_large', `More than ${limits.maxTotalBytes} bytes once uncompressed`);
    if (size > 16 * 1024 * 1024 && size / Math.max(1, compressedSize) > limits.maxRatio) {
      throw refuse('compression_ratio', `${name} would expand ${Math.round(size / Math.max(1, compressedSize))} times (at most ${limits.maxRatio})`, name);
    }
    if (offset + 30 > cdStart) throw refuse('not_a_zip', `${name} starts outside the archive's data`, name);
    entries.push({ name, method, crc, size, compressedSize, offset, dataOffset: -1 });
    p = end;
  }
  if (p !== cd.length) throw refuse('not_a_zip', 'Damaged central directory');

  // Each local header must agree with the directory, and entries must not overlap (the trick
  // behind the worst zip bombs: many entries sharing one compressed stream).
  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  for (const [i, e] of byOffset.entries()) {
    const local = await readAt(handle, e.offset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== SIG_LOCAL) throw refuse('not_a_zip', `${e.name}: no local header`, e.name);
    const flags = local.readUInt16LE(6);
    const nameLength = local.readUInt16LE(26);
    const extraLength = local.readUInt16LE(28);
    const localName = await readAt(handle, e.offset + 30, nameLength);
    if (!localName.equals(Buffer.from(e.name, 'utf8')) || local.readUInt16LE(8) !== e.method || (flags & FLAG_ENCRYPTED) !== 0) {
      throw refuse('header_mismatch', `${e.name}: local header disagrees with the central directory`, e.name);
    }
    if ((flags & FLAG_DESCRIPTOR) === 0 && local.readUInt32LE(14) !== e.crc) {
      throw refuse('header_mismatch', `${e.name}: local header disagrees with the central directory`, e.name);
    }
    e.dataOffset = e.offset + 30 + nameLength + extraLength;
    const dataEnd = e.dataOffset + e.compressedSize;
    const next = byOffset[i + 1]?.offset ?? cdStart;
    // A descriptor (12 to 24 bytes) may follow the data of entries written by other tools.
    if (dataEnd > next) throw refuse('overlapping_entries', `${e.name} overlaps the next entry`, e.name);
  }
  return entries;
}
