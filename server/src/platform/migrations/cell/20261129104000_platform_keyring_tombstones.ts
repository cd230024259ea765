import { type Kysely, sql } from 'kysely';

/**
 * Crypto-shredding (platform/crypto/keyring.ts, `destroyOwnerKeys`): when an owner's data keys are
 * destroyed, a tombstone row says so. It outlives the keys on purpose: a restore of an older data
 * backup, or a write racing the deletion, can tell an owner whose keys were destroyed from one that
 * never had any (the first must stay unreadable and be purged, never get a fresh key). The table
 * belongs to the keyring: backed up with it, apart from the data (docs/operations.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('keyring_tombstones')
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('destroyed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('keyring_tombstones_pk', ['owner_type', 'owner_id'])
    .execute();
}
