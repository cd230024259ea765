import { type Kysely, sql } from 'kysely';

/** Credentials (issue 9): the cell's issuer keys, its status lists, what it issued (credentials.tables.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credential_issuer_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('generation', 'integer', (c) => c.notNull().unique())
    .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
    .addColumn('private_sealed', 'bytea', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retired_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('credential_status_lists')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size > 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('issued_credentials')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('public-agent', 'digital-skills')`))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid')
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('status_list_id', 'uuid', (c) => c.notNull().references('credential_status_lists.id'))
    .addColumn('status_index', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .execute();
  // An index is never handed out twice in a list: the random draw retries on this.
  await db.schema.createIndex('issued_credentials_status').on('issued_credentials').columns(['status_list_id', 'status_index']).unique().execute();
  await db.schema.createIndex('issued_credentials_principal').on('issued_credentials').columns(['principal_id', 'issued_at']).execute();
}
