import { type Kysely, sql } from 'kysely';

/**
 * The cell's keyring: data keys wrapped by the cell's KEK, one row per owner and version
 * (server/src/platform/crypto/keyring.ts). PostgreSQL 15 and PGlite; ids are UUID v7 made in
 * TypeScript.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('keyring')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('kek_id', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('keyring_owner_version_key', ['owner_type', 'owner_id', 'version'])
    .execute();
  // KEK rotation rewraps every row still under an old KEK.
  await db.schema.createIndex('keyring_kek_id_idx').on('keyring').column('kek_id').execute();
}
