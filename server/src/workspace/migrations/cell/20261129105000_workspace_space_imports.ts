import { type Kysely, sql } from 'kysely';

/** Spaces created by `entente import` (workspace/export/export.tables.ts): origin, id mapping, audit extract. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('space_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().unique().references('spaces.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('importing', 'complete')`))
    .addColumn('source_instance', 'text', (c) => c.notNull())
    .addColumn('source_space_id', 'uuid', (c) => c.notNull())
    .addColumn('source_created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('format_version', 'integer', (c) => c.notNull())
    .addColumn('manifest_sha256', 'text', (c) => c.notNull().check(sql`manifest_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('audit_object_key', 'text')
    .addColumn('audit_sha256', 'text')
    .addColumn('audit_events', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mapping', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('report', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await sql`create index space_imports_unfinished on space_imports (heartbeat_at) where status = 'importing'`.execute(db);
}
