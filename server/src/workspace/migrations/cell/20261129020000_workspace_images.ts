import { type Kysely, sql } from 'kysely';

/** Images of documents (workspace/images): one row per stored object, in the space's cell. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_images')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')`))
    // 10 MiB, as the upload route (images/limits.ts).
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size between 1 and 10485760`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('document_images_space').on('document_images').column('space_id').execute();
}
