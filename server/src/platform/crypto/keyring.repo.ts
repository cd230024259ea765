import type { Selectable } from 'kysely';
import type { CellDb } from '../db/types.ts';
import type { KeyringTable } from './keyring.tables.ts';

/** A keyring row as the rest of the code sees it. */
export interface KeyringRow {
  id: string;
  ownerType: string;
  ownerId: string;
  version: number;
  kekId: string;
  wrappedKey: Buffer;
  createdAt: Date;
}

export interface NewKeyringRow {
  id: string;
  ownerType: string;
  ownerId: string;
  version: number;
  kekId: string;
  wrappedKey: Buffer;
}

const COLUMNS = ['id', 'owner_type', 'owner_id', 'version', 'kek_id', 'wrapped_key', 'created_at'] as const;

type RawRow = Selectable<KeyringTable>;

function toRow(raw: RawRow): KeyringRow {
  return {
    id: raw.id,
    ownerType: raw.owner_type,
    ownerId: raw.owner_id,
    version: Number(raw.version),
    kekId: raw.kek_id,
    wrappedKey: Buffer.isBuffer(raw.wrapped_key) ? raw.wrapped_key : Buffer.from(raw.wrapped_key),
    createdAt: raw.created_at instanceof Date ? raw.created_at : new Date(raw.created_at),
  };
}

/**
 * Inserts a data key unless this owner already has this version (a concurrent creator won).
 * Returns whether this row was inserted.
 */
export async function insertDataKeyIfAbsent(db: CellDb, row: NewKeyringRow): Promise<boolean> {
  const result = await db
    .insertInto('keyring')
    .values({
      id: row.id,
      owner_type: row.ownerType,
      owner_id: row.ownerId,
      version: row.version,
      kek_id: row.kekId,
      wrapped_key: row.wrappedKey,
    })
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function findDataKey(
  db: CellDb,
  ownerType: string,
  ownerId: string,
  version: number,
): Promise<KeyringRow | null> {
  const raw = await db
    .selectFrom('keyring')
    .select(COLUMNS)
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .where('version', '=', version)
    .executeTakeFirst();
  return raw ? toRow(raw) : null;
}

/** The owner's greatest key version, or null when it has none yet. */
export async function findLatestDataKey(db: CellDb, ownerType: string, ownerId: string): Promise<KeyringRow | null> {
  const raw = await db
    .selectFrom('keyring')
    .select(COLUMNS)
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return raw ? toRow(raw) : null;
}

// ── crypto-shredding (destroyOwnerKeys) ──────────────────────────────────────────────────────
/** Records that the owner's keys are destroyed (kept forever); idempotent. */
export async function insertTombstoneIfAbsent(db: CellDb, ownerType: string, ownerId: string): Promise<void> {
  await db
    .insertInto('keyring_tombstones')
    .values({ owner_type: ownerType, owner_id: ownerId })
    .onConflict((oc) => oc.columns(['owner_type', 'owner_id']).doNothing())
    .execute();
}

/** Deletes every version of the owner's data key; returns how many rows went. */
export async function deleteOwnerKeys(db: CellDb, ownerType: string, ownerId: string): Promise<number> {
  const result = await db.deleteFrom('keyring').where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0n);
}

export async function hasTombstone(db: CellDb, ownerType: string, ownerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('keyring_tombstones')
    .select('owner_id')
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row !== undefined;
}

// ── KEK rotation (Keyring.rewrapAll) ──────────────────────────────────────────────────────────
/** Up to `limit` rows not wrapped under `kekId`, in id order after `afterId` (keyset pages: each row is seen once per run). */
export async function findDataKeysNotUnderKek(db: CellDb, kekId: string, afterId: string | null, limit: number): Promise<KeyringRow[]> {
  let query = db.selectFrom('keyring').select(COLUMNS).where('kek_id', '<>', kekId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  const raws = await query.orderBy('id').limit(limit).execute();
  return raws.map(toRow);
}

export interface WrappedKeyChange {
  id: string;
  fromKekId: string;
  fromWrappedKey: Buffer;
  toKekId: string;
  toWrappedKey: Buffer;
}

/**
 * Replaces a row's wrapping only if it is still the one read (compare-and-set): a concurrent
 * rewrap, or a destruction of the owner's keys, wins and this change is dropped. Returns whether
 * the row changed.
 */
export async function replaceWrappedKey(db: CellDb, change: WrappedKeyChange): Promise<boolean> {
  const result = await db
    .updateTable('keyring')
    .set({ kek_id: change.toKekId, wrapped_key: change.toWrappedKey })
    .where('id', '=', change.id)
    .where('kek_id', '=', change.fromKekId)
    .where('wrapped_key', '=', change.fromWrappedKey)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0n) > 0;
}

/** How many data keys each KEK wraps. */
export async function countDataKeysByKek(db: CellDb): Promise<{ kekId: string; count: number }[]> {
  const rows = await db
    .selectFrom('keyring')
    .select(['kek_id', (eb) => eb.fn.countAll<string | number | bigint>().as('count')])
    .groupBy('kek_id')
    .orderBy('kek_id')
    .execute();
  return rows.map((r) => ({ kekId: r.kek_id, count: Number(r.count) }));
}
