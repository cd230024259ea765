import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { CellDb } from '../db/types.ts';
import { uuidv7 } from '../ids.ts';
import { KeyUnavailableError } from './errors.ts';
import type { KeyProvider } from './key-provider.ts';
import { findDataKey, findLatestDataKey, insertDataKeyIfAbsent, type KeyringRow } from './keyring.repo.ts';
import { deleteOwnerKeys, hasTombstone, insertTombstoneIfAbsent } from './keyring.repo.ts';
import { countDataKeysByKek, findDataKeysNotUnderKek, replaceWrappedKey, type WrappedKeyChange } from './keyring.repo.ts';

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

  /**
   * Crypto-shredding: records a tombstone for the owner, then deletes every version of its data
   * key and forgets the cached ones. From then on whatever was encrypted with them — rows, objects,
   * an old backup, a copy of the disk — cannot be decrypted by anyone, and no new key is ever
   * created for the owner (getOrCreateDataKey refuses with KeyUnavailableError). Idempotent.
   *
   * Call it on the plain handle: the tombstone then commits before the keys are deleted, so a key
   * created concurrently either is deleted here or sees the tombstone and removes itself (#create).
   * Other processes drop their cached copies when told (the caller publishes an event) or within
   * the cache's time to live. Returns how many key versions were deleted.
   */
  async destroyOwnerKeys(db: CellDb, owner: KeyOwner): Promise<number> {
    validateOwner(owner);
    this.forget(owner);
    await insertTombstoneIfAbsent(db, owner.type, owner.id);
    const deleted = await deleteOwnerKeys(db, owner.type, owner.id);
    this.forget(owner);
    return deleted;
  }

  /** Whether the owner's keys were destroyed (a tombstone exists). */
  async isDestroyed(db: CellDb, owner: KeyOwner): Promise<boolean> {
    validateOwner(owner);
    return hasTombstone(db, owner.type, owner.id);
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

  /**
   * KEK rotation: re-wraps every data key not wrapped under the provider's current KEK with it
   * (create the new KEK first: the provider's `rotate()`). Only the keyring rows change, never a
   * data object: the data keys themselves stay the same.
   *
   * Rows go in batches of `batchSize` (default 100), in id order. For each row the old wrapping is
   * unwrapped, the key wrapped under the new KEK and unwrapped back to check it (a faulty module
   * must not cost a key); then one short transaction replaces the batch's rows, each only if it
   * is still what was read (a concurrent run or a destruction of the owner's keys wins). No
   * provider call runs inside a transaction (PGlite has one connection).
   *
   * Resumable: a crash leaves each row wrapped under the old KEK or the new one, both readable;
   * running again moves the rest, and a run with nothing left to move changes nothing. A row that
   * cannot be unwrapped (its KEK is missing, or it does not authenticate) is left as it is and
   * reported in `failed`.
   */
  async rewrapAll(db: CellDb, options: RewrapOptions = {}): Promise<RewrapResult> {
    const batchSize = Math.max(1, Math.min(10_000, Math.trunc(options.batchSize ?? 100)));
    const target = this.#provider.id;
    const failed: RewrapFailure[] = [];
    let rewrapped = 0;
    let after: string | null = null;
    for (;;) {
      const rows = await findDataKeysNotUnderKek(db, target, after, batchSize);
      if (rows.length === 0) break;
      after = (rows.at(-1) as KeyringRow).id;
      const changes: WrappedKeyChange[] = [];
      for (const row of rows) {
        const owner = { type: row.ownerType, id: row.ownerId };
        const aad = wrapAad(owner, row.version);
        try {
          const key = await this.#provider.unwrap({ kekId: row.kekId, ciphertext: row.wrappedKey }, aad);
          const wrapped = await this.#provider.wrap(key, aad);
          const back = await this.#provider.unwrap(wrapped, aad);
          const same = back.equals(key);
          key.fill(0);
          back.fill(0);
          if (!same) throw new Error('the new wrapping does not unwrap to the same key');
          changes.push({ id: row.id, fromKekId: row.kekId, fromWrappedKey: row.wrappedKey, toKekId: wrapped.kekId, toWrappedKey: wrapped.ciphertext });
        } catch (err) {
          const reason = (err as { code?: string }).code ?? (err as Error).message;
          failed.push({ id: row.id, ownerType: row.ownerType, ownerId: row.ownerId, version: row.version, kekId: row.kekId, reason });
        }
      }
      const apply = async (trx: CellDb) => {
        let moved = 0;
        for (const change of changes) if (await replaceWrappedKey(trx, change)) moved++;
        return moved;
      };
      rewrapped += db.isTransaction ? await apply(db) : await db.transaction().execute(apply);
      options.onBatch?.({ rewrapped, failed: failed.length });
    }
    return { kekId: target, rewrapped, failed, byKek: await countDataKeysByKek(db) };
  }

  /** How many data keys each KEK wraps (to see whether a rotation is finished). */
  async countByKek(db: CellDb): Promise<{ kekId: string; count: number }[]> {
    return countDataKeysByKek(db);
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
    // A shredded owner never gets a key again: checked after the insert (see destroyOwnerKeys), a
    // key that raced the destruction removes itself and nothing is encrypted with it.
    if (await hasTombstone(db, owner.type, owner.id)) {
      await deleteOwnerKeys(db, owner.type, owner.id);
      throw new KeyUnavailableError(`The data keys of ${owner.type} ${owner.id} were destroyed`);
    }
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

/**
 * The wrap AAD binds a wrapped key to its owner and version (rows cannot be swapped) — not to
 * the cell: a space move (workspace/spaces/move) wraps the same key under the other cell's KEK.
 */
export function wrapAad(owner: KeyOwner, version: number): string {
  return `entente-keyring/v1\0${owner.type}\0${owner.id}\0${version}`;
}

// ── KEK rotation (rewrapAll) ──────────────────────────────────────────────────────────────────
export interface RewrapOptions {
  /** Rows per batch, each batch one short transaction; default 100. */
  batchSize?: number;
  /** Called after each batch (for progress output). */
  onBatch?: (progress: { rewrapped: number; failed: number }) => void;
}

export interface RewrapFailure {
  id: string;
  ownerType: string;
  ownerId: string;
  version: number;
  kekId: string;
  /** An error code (`key_unavailable`, `decryption_failed`) or message; never key material. */
  reason: string;
}

export interface RewrapResult {
  /** The KEK the rows were re-wrapped under. */
  kekId: string;
  /** Rows this run moved to it. */
  rewrapped: number;
  /** Rows left under their old KEK because they could not be unwrapped. */
  failed: RewrapFailure[];
  /** Data keys per KEK after the run. */
  byKek: { kekId: string; count: number }[];
}
