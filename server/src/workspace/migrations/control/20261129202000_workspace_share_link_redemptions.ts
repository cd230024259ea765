import { type Kysely, sql } from 'kysely';

/**
 * Who opened which share link (workspace/sharing): pseudonymous ids only. The link's row in the
 * space's cell decides whether the access still holds (revoked, expired); removing the space from
 * the directory (space deletion) removes these rows with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('share_link_redemptions')
    .addColumn('link_id', 'uuid', (c) => c.notNull())
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('document_id', 'uuid', (c) => c.notNull())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('space_directory.id').onDelete('cascade'))
    .addColumn('redeemed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('share_link_redemptions_pk', ['principal_id', 'link_id'])
    .execute();
  await db.schema.createIndex('share_link_redemptions_document').on('share_link_redemptions').columns(['principal_id', 'document_id']).execute();
  await db.schema.createIndex('share_link_redemptions_space').on('share_link_redemptions').column('space_id').execute();
}
