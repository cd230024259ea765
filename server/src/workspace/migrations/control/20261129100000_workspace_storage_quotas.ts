import { type Kysely, sql } from 'kysely';

/**
 * Quota limits set by an operator for a space or an organisation (workspace/files/quotas.ts).
 * Configuration, not content: ids and a number of bytes. A row with a null limit means "the
 * default" and serves as the lock taken while an organisation's usage is checked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('storage_quotas')
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('space', 'organisation')`))
    .addColumn('owner_id', 'uuid', (c) => c.notNull())
    .addColumn('limit_bytes', 'bigint', (c) => c.check(sql`limit_bytes >= 0`))
    .addColumn('updated_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('storage_quotas_pk', ['scope', 'owner_id'])
    .execute();
}
