import type { ColumnType } from 'kysely';

/**
 * Wrapped data keys of a cell: one row per owner (a space, an agent…) and key version. Kept apart
 * from the data they protect; each row is useless without the cell's KEK (see key-provider.ts).
 */
export interface KeyringTable {
  /** UUID v7, made in TypeScript. */
  id: string;
  /** What owns the key, e.g. `space`; `[a-z][a-z0-9_]*`. */
  owner_type: string;
  owner_id: string;
  /** 1, 2, … per owner; the greatest is the one new data is encrypted with. */
  version: number;
  /** The KEK that wrapped the key (`file:<uuid>`, later `pkcs11:…`). */
  kek_id: string;
  /** The provider's ciphertext of the data key (bytea, a Buffer on both drivers). */
  wrapped_key: Buffer;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/**
 * Owners whose data keys were destroyed (crypto-shredding): kept after the keys are gone, so that
 * nobody creates a fresh key for them and a restore of older data purges what it brings back.
 */
export interface KeyringTombstonesTable {
  owner_type: string;
  owner_id: string;
  destroyed_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../db/types.ts' {
  interface CellTables {
    keyring: KeyringTable;
    keyring_tombstones: KeyringTombstonesTable;
  }
}
