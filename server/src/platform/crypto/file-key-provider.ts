import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '../ids.ts';
import { DecryptionError, KeyFileError, KeyUnavailableError } from './errors.ts';
import type { KeyProvider, WrappedKey } from './key-provider.ts';

/**
 * KEKs kept in a local folder (`ENTENTE_CELL_{FR,QC}_KEYS=file:<folder>`), for the embedded mode
 * and small deployments; production should prefer an HSM (PKCS#11).
 *
 * On-disk format. The folder (created 0700) holds one file per KEK, `kek-<uuidv7>.json`, mode 0600:
 *
 *     {"format":"entente-kek","version":1,"id":"file:<uuidv7>","algorithm":"AES-256-GCM",
 *      "key":"<32 bytes, base64>","createdAt":"<ISO 8601>"}
 *
 * The first start creates a random 256-bit KEK. The current KEK is the one with the greatest id
 * (UUID v7 ids sort by creation time), so rotating is dropping a newer file in the folder (written
 * to a temporary name then renamed); older files stay until nothing is wrapped under them. A key
 * file that the group or others can read is refused with a message naming the file and the fix.
 * Other files in the folder are ignored.
 *
 * Wrapped key format (`WrappedKey.ciphertext`), AES-256-GCM under the KEK:
 *
 *     0x01 (format) ‖ nonce (12 random bytes) ‖ encrypted data key ‖ tag (16 bytes)
 *
 * with associated data `entente-key-wrap/v1 NUL <kekId> NUL <aad>`: a wrapped key only unwraps
 * for the owner (aad) and under the KEK id it was stored with.
 */
export class FileKeyProvider implements KeyProvider {
  readonly folder: string;
  #keks: Map<string, Buffer>;
  #current: string;
  #loadedAt = Date.now();
  readonly #refreshMs: number;

  /** `refreshMs`: how long the folder's list is trusted before `wrap` looks for a newer KEK (a rotation by another process); default 60 s. */
  constructor(folder: string, keks: Map<string, Buffer>, options: { refreshMs?: number } = {}) {
    const current = [...keks.keys()].sort().at(-1);
    if (current === undefined) throw new Error('FileKeyProvider needs at least one KEK');
    this.folder = folder;
    this.#keks = keks;
    this.#current = current;
    this.#refreshMs = options.refreshMs ?? 60_000;
  }

  get id(): string {
    return this.#current;
  }

  /** Every KEK id in the folder, oldest first. */
  get kekIds(): string[] {
    return [...this.#keks.keys()].sort();
  }

  /**
   * Opens `file:<folder>` (or a plain folder path, or a `file://` URL): loads every KEK, creating
   * the folder and a first KEK when there is none (unless `create: false`). Throws KeyFileError
   * for a key file readable by others or malformed.
   */
  static async open(location: string, options: { create?: boolean; refreshMs?: number } = {}): Promise<FileKeyProvider> {
    const folder = parseLocation(location);
    const create = options.create ?? true;
    if (create) await mkdir(folder, { recursive: true, mode: 0o700 });
    let keks = await loadKeks(folder);
    if (keks.size === 0) {
      if (!create) throw new KeyUnavailableError(`No key file (kek-*.json) in ${folder}`);
      await writeNewKek(folder);
      // Read back rather than trust what was written: another process may have created one too.
      keks = await loadKeks(folder);
    }
    return new FileKeyProvider(folder, keks, options);
  }

  /** Writes a new KEK file, which becomes current here; other processes see it on their next reload. */
  async rotate(): Promise<string> {
    const id = await writeNewKek(this.folder);
    await this.reload();
    return id;
  }

  /** Reads the folder again (a KEK added by a rotation elsewhere). */
  async reload(): Promise<void> {
    const keks = await loadKeks(this.folder);
    if (keks.size === 0) throw new KeyUnavailableError(`No key file (kek-*.json) in ${this.folder}`);
    this.#keks = keks;
    this.#current = [...keks.keys()].sort().at(-1) as string;
    this.#loadedAt = Date.now();
  }

  async wrap(dataKey: Buffer, aad: string): Promise<WrappedKey> {
    if (dataKey.length === 0 || dataKey.length > 64) throw new RangeError('A data key is 1 to 64 bytes');
    // After `kms rotate` in another process, new keys are wrapped with the new KEK within a minute.
    if (Date.now() - this.#loadedAt > this.#refreshMs) await this.reload();
    const kekId = this.#current;
    const kek = this.#keks.get(kekId) as Buffer;
    const nonce = randomBytes(NONCE_SIZE);
    const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_SIZE });
    cipher.setAAD(wrapAad(kekId, aad));
    const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const ciphertext = Buffer.concat([Buffer.from([WRAP_FORMAT]), nonce, encrypted, cipher.getAuthTag()]);
    return { kekId, ciphertext };
  }

  async unwrap(wrapped: WrappedKey, aad: string): Promise<Buffer> {
    let kek = this.#keks.get(wrapped.kekId);
    if (!kek && wrapped.kekId.startsWith('file:')) {
      // Perhaps rotated by another process since we loaded the folder.
      await this.reload();
      kek = this.#keks.get(wrapped.kekId);
    }
    if (!kek) throw new KeyUnavailableError(`The KEK ${wrapped.kekId} is not in ${this.folder}`);
    const { ciphertext } = wrapped;
    if (ciphertext.length < 1 + NONCE_SIZE + 1 + TAG_SIZE || ciphertext[0] !== WRAP_FORMAT) {
      throw new DecryptionError('The wrapped key is malformed');
    }
    const nonce = ciphertext.subarray(1, 1 + NONCE_SIZE);
    const tag = ciphertext.subarray(ciphertext.length - TAG_SIZE);
    const body = ciphertext.subarray(1 + NONCE_SIZE, ciphertext.length - TAG_SIZE);
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_SIZE });
      decipher.setAAD(wrapAad(wrapped.kekId, aad));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch (err) {
      throw new DecryptionError('The wrapped key does not authenticate (wrong owner, KEK or tampered)', { cause: err });
    }
  }

  async check(): Promise<{ ok: boolean; detail: string }> {
    try {
      // The current key file must still be there and private; then a wrap/unwrap round trip.
      await checkKeyFile(path.join(this.folder, fileNameOf(this.#current)));
      const probe = randomBytes(32);
      const back = await this.unwrap(await this.wrap(probe, 'check'), 'check');
      if (!back.equals(probe)) throw new Error('round trip mismatch');
      return { ok: true, detail: `file keys in ${this.folder}: current KEK ${this.#current}, ${this.#keks.size} KEK(s)` };
    } catch (err) {
      return { ok: false, detail: `file keys in ${this.folder}: ${(err as Error).message}` };
    }
  }
}

const WRAP_FORMAT = 0x01;
const NONCE_SIZE = 12;
const TAG_SIZE = 16;
const KEK_SIZE = 32;
const KEK_FILE = /^kek-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

interface KekFile {
  format: 'entente-kek';
  version: 1;
  id: string;
  algorithm: 'AES-256-GCM';
  key: string;
  createdAt: string;
}

function wrapAad(kekId: string, aad: string): Buffer {
  return Buffer.from(`entente-key-wrap/v1\0${kekId}\0${aad}`, 'utf8');
}

function parseLocation(location: string): string {
  if (location.startsWith('file://')) return fileURLToPath(location);
  const folder = location.startsWith('file:') ? location.slice('file:'.length) : location;
  if (folder === '') throw new KeyFileError(location, 'The key location names no folder: use file:<folder>');
  return path.resolve(folder);
}

function fileNameOf(kekId: string): string {
  return `kek-${kekId.slice('file:'.length)}.json`;
}

/** Refuses a key file that the group or others may read or write; the message says how to fix it. */
async function checkKeyFile(file: string): Promise<void> {
  const info = await stat(file);
  if (!info.isFile()) throw new KeyFileError(file, `The key file ${file} is not a regular file`);
  const mode = info.mode & 0o777;
  if (mode & 0o077) {
    throw new KeyFileError(
      file,
      `The key file ${file} can be accessed by other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
        `restrict it to the server's user: chmod 600 ${file}`,
    );
  }
}

async function loadKeks(folder: string): Promise<Map<string, Buffer>> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KeyUnavailableError(`The key folder ${folder} does not exist`, { cause: err });
    }
    throw err;
  }
  const keks = new Map<string, Buffer>();
  for (const name of names.sort()) {
    const match = KEK_FILE.exec(name);
    if (!match) continue;
    const file = path.join(folder, name);
    await checkKeyFile(file);
    let parsed: KekFile;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8')) as KekFile;
    } catch (err) {
      throw new KeyFileError(file, `The key file ${file} is not valid JSON`, { cause: err });
    }
    const key = typeof parsed.key === 'string' ? Buffer.from(parsed.key, 'base64') : Buffer.alloc(0);
    const id = `file:${match[1]}`;
    if (parsed.format !== 'entente-kek' || parsed.version !== 1 || parsed.id !== id || key.length !== KEK_SIZE) {
      throw new KeyFileError(
        file,
        `The key file ${file} is not an Entente KEK (format entente-kek, version 1, id ${id}, a 32-byte key)`,
      );
    }
    keks.set(id, key);
  }
  return keks;
}

/** Creates a KEK file atomically (temporary name, fsync, rename), mode 0600 from the start. */
async function writeNewKek(folder: string): Promise<string> {
  const uuid = uuidv7();
  const id = `file:${uuid}`;
  const content: KekFile = {
    format: 'entente-kek',
    version: 1,
    id,
    algorithm: 'AES-256-GCM',
    key: randomBytes(KEK_SIZE).toString('base64'),
    createdAt: new Date().toISOString(),
  };
  const target = path.join(folder, fileNameOf(id));
  const temp = path.join(folder, `.kek-${uuid}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(content)}\n`);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
  try {
    const dir = await open(folder, 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // best effort (some platforms cannot fsync a folder)
  }
  return id;
}
