import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { CellDb } from '../db/types.ts';
import { uuidv7 } from '../ids.ts';
import { KeyUnavailableError } from './errors.ts';
import type { KeyProvider } from './key-provider.ts';
import { findDataKey, findLatestDataKey, insertDataKeyIfAbsent, type KeyringRow } from './keyring.repo.ts';

/** What a data key protects: e.g. `{ type: 'space', id: '<uuid>' }`. */
export interface KeyOwner {
  /** `[a-z][a-z0-9_]*`, at most 63 characters. */
  type: string;
  /** Non-empty, at most 200 characters, no control characters. */
  id: string;
}

/**
 * An unwrapped data key. The key bytes are in a private field: util.inspect, JSON.stringify and
 * loggers (pino serialises with JSON) show the owner and version only.
 */
export class DataKey {
  readonly owner: KeyOwner;
  readonly version: number;
  readonly kekId: string;
  readonly #key: Buffer;

  constructor(owner: KeyOwner, version: number, kekId: string, key: Buffer) {
    this.owner = { type: owner.type, id: owner.id };
    this.version = version;
    this.kekId = kekId;
    this.#key = key;
  }

  /** The 256-bit key. Do not copy it anywhere that outlives the operation. */
  get key(): Buffer {
    return this.#key;
  }

  toJSON(): { owner: KeyOwner; version: number; kekId: string } {
    return { owner: this.owner, version: this.version, kekId: this.kekId };
  }

  [inspect.custom](): string {
    return `DataKey { owner: ${this.owner.type}/${this.owner.id}, version: ${this.version}, key: [redacted] }`;
  }
}

export interface KeyringOptions {
  /** The cell's KEK provider; one Keyring per cell. */
  provider: KeyProvider;
  /** Unwrapped keys kept in memory (LRU); default 1000. */
  cacheSize?: number;
  /** How long an unwrapped key (and an owner's latest version) stays cached; default 5 minutes. */
  cacheTtlMs?: number;
  now?: () => number;
}

const DATA_KEY_SIZE = 32;
const OWNER_TYPE = /^[a-z][a-z0-9_]{0,62}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Envelope encryption for one cell: a 256-bit data key per owner, stored wrapped by the cell's KEK
 * in the cell's `keyring` table, versioned (rotation adds a version; old versions stay to decrypt
 * old data). The database handle is passed to every call (`CellDb`, possibly a transaction).
 *
 * Unwrapped keys are cached briefly in a bounded LRU, never logged. Keys read or created through a
 * transaction are not cached: the transaction may roll back, and a cached key that was never
 * committed would encrypt data nobody could decrypt later. Prefer calling getOrCreateDataKey on
 * the plain handle before a transaction (it is idempotent).
 */
export class Keyring {
  readonly #provider: KeyProvider;
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, { key: DataKey; expires: number }>();
  readonly #latest = new Map<string, { version: number; expires: number }>();

  constructor(options: KeyringOptions) {
    this.#provider = options.provider;
    this.#max = options.cacheSize ?? 1000;
    this.#ttl = options.cacheTtlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** The owner's current (greatest) data key, created as version 1 if the owner has none. Race-safe. */
  async getOrCreateDataKey(db: CellDb, owner: KeyOwner): Promise<DataKey> {
    validateOwner(owner);
    const latest = this.#cachedLatest(owner);
    if (latest !== null) {
      const cached = this.#cached(owner, latest);
      if (cached) return cached;
    }
    const row = await findLatestDataKey(db, owner.type, owner.id);
    if (row) return this.#remember(db, await this.#unwrap(row, owner), true);
    return this.#create(db, owner, 1);
  }

  /** A given version of the owner's data key (to decrypt); KeyUnavailableError when it does not exist. */
  async getDataKey(db: CellDb, owner: KeyOwner, version: number): Promise<DataKey> {
    validateOwner(owner);
    if (!Number.isSafeInteger(version) || version < 1) throw new KeyUnavailableError(`No data key version ${version}`);
    const cached = this.#cached(owner, version);
    if (cached) return cached;
    const row = await findDataKey(db, owner.type, owner.id, version);
    if (!row) throw new KeyUnavailableError(`No data key version ${version} for ${owner.type} ${owner.id}`);
    return this.#remember(db, await this.#unwrap(row, owner), false);
  }

  /**
   * Adds the next version of the owner's data key and returns it (new data is then encrypted with
   * it; data under older versions still decrypts). Concurrent rotations create one version.
   */
  async rotateDataKey(db: CellDb, owner: KeyOwner): Promise<DataKey> {
    validateOwner(owner);
    const row = await findLatestDataKey(db, owner.type, owner.id);
    return this.#create(db, owner, (row?.version ?? 0) + 1);
  }

  /** Drops cached keys: of one owner, or all. */
  forget(owner?: KeyOwner): void {
    if (!owner) {
      this.#keys.clear();
      this.#latest.clear();
      return;
    }
    const prefix = `${ownerKey(owner)}\0`;
    for (const k of [...this.#keys.keys()]) if (k.startsWith(prefix)) this.#keys.delete(k);
    this.#latest.delete(ownerKey(owner));
  }

  async #create(db: CellDb, owner: KeyOwner, version: number): Promise<DataKey> {
    const key = randomBytes(DATA_KEY_SIZE);
    const wrapped = await this.#provider.wrap(key, wrapAad(owner, version));
    const id = uuidv7();
    await insertDataKeyIfAbsent(db, {
      id,
      ownerType: owner.type,
      ownerId: owner.id,
      version,
      kekId: wrapped.kekId,
      wrappedKey: wrapped.ciphertext,
    });
    // Whoever won the insert, the stored row is the truth.
    const row = await findLatestDataKey(db, owner.type, owner.id);
    if (!row) throw new KeyUnavailableError(`The data key of ${owner.type} ${owner.id} could not be stored`);
    const dataKey = row.id === id ? new DataKey(owner, version, wrapped.kekId, key) : await this.#unwrap(row, owner);
    return this.#remember(db, dataKey, true);
  }

  async #unwrap(row: KeyringRow, owner: KeyOwner): Promise<DataKey> {
    const key = await this.#provider.unwrap({ kekId: row.kekId, ciphertext: row.wrappedKey }, wrapAad(owner, row.version));
    return new DataKey(owner, row.version, row.kekId, key);
  }

  #remember(db: CellDb, key: DataKey, isLatest: boolean): DataKey {
    if (db.isTransaction) return key;
    const expires = this.#now() + this.#ttl;
    const k = cacheKey(key.owner, key.version);
    this.#keys.delete(k);
    this.#keys.set(k, { key, expires });
    while (this.#keys.size > this.#max) this.#keys.delete(this.#keys.keys().next().value as string);
    if (isLatest) {
      const o = ownerKey(key.owner);
      const known = this.#latest.get(o);
      if (!known || known.expires < this.#now() || known.version <= key.version) {
        this.#latest.delete(o);
        this.#latest.set(o, { version: key.version, expires });
        while (this.#latest.size > this.#max) this.#latest.delete(this.#latest.keys().next().value as string);
      }
    }
    return key;
  }

  #cached(owner: KeyOwner, version: number): DataKey | null {
    const k = cacheKey(owner, version);
    const entry = this.#keys.get(k);
    if (!entry) return null;
    this.#keys.delete(k);
    if (entry.expires < this.#now()) return null;
    this.#keys.set(k, entry); // most recently used last
    return entry.key;
  }

  #cachedLatest(owner: KeyOwner): number | null {
    const entry = this.#latest.get(ownerKey(owner));
    if (!entry || entry.expires < this.#now()) return null;
    return entry.version;
  }
}

function validateOwner(owner: KeyOwner): void {
  if (!OWNER_TYPE.test(owner.type)) throw new TypeError('A key owner type is [a-z][a-z0-9_]*, at most 63 characters');
  if (owner.id.length === 0 || owner.id.length > 200 || CONTROL.test(owner.id)) {
    throw new TypeError('A key owner id is 1 to 200 characters without control characters');
  }
}

function ownerKey(owner: KeyOwner): string {
  return `${owner.type}\0${owner.id}`;
}

function cacheKey(owner: KeyOwner, version: number): string {
  return `${ownerKey(owner)}\0${version}`;
}

/** The wrap AAD binds a wrapped key to its owner and version (rows cannot be swapped). */
function wrapAad(owner: KeyOwner, version: number): string {
  return `entente-keyring/v1\0${owner.type}\0${owner.id}\0${version}`;
}
