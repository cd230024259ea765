import type { Kysely } from 'kysely';

/** Credentials (issue 9): the holders' single-use proof-of-possession nonces (credentials.tables.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credential_nonces')
    .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('credential_nonces_expires').on('credential_nonces').column('expires_at').execute();
}
