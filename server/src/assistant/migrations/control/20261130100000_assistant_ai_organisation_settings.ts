import type { Kysely } from 'kysely';

/** AI settings of an organisation (helper A, contract C3): content logging, off by default. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ai_organisation_settings')
    .addColumn('organisation_id', 'uuid', (c) => c.primaryKey())
    .addColumn('content_logging', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz')
    .addColumn('updated_by', 'uuid')
    .execute();
}
