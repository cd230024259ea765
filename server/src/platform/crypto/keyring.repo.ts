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
