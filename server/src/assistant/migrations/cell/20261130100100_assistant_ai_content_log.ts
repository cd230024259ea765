import { type Kysely, sql } from 'kysely';

/**
 * Content log of the AI gateway (helper A): the prompt and the answer of a request, only for
 * organisations whose content logging an administrator switched on, sealed with the
 * organisation's data key of the agent's home cell (AES-256-GCM, keyring owner `ai_content`).
 * Kept 90 days (CONTENT_RETENTION_DAYS), then swept by a job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ai_content_log')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('usage_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('key_version', 'integer', (c) => c.notNull())
    .addColumn('sealed', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ai_content_log_created').on('ai_content_log').column('created_at').execute();
  await db.schema.createIndex('ai_content_log_organisation').on('ai_content_log').columns(['organisation_id', 'created_at']).execute();
}
