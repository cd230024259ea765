import { type Kysely, sql } from 'kysely';

/** Share links of documents (workspace/sharing): the token's SHA-256 only, role, reach, expiry, revocation. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('share_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique().check(sql`token_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('editor', 'commenter', 'reader')`))
    .addColumn('reach', 'text', (c) => c.notNull().check(sql`reach in ('members', 'organisation', 'authenticated', 'public')`))
    .addColumn('organisation_id', 'uuid')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('allow_indexing', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'uuid')
    .addCheckConstraint('share_links_organisation', sql`(reach = 'organisation') = (organisation_id is not null)`)
    // Public links are read-only and always end; only they may be indexed.
    .addCheckConstraint('share_links_public', sql`reach <> 'public' or (role = 'reader' and expires_at is not null)`)
    .addCheckConstraint('share_links_indexing', sql`reach = 'public' or not allow_indexing`)
    .execute();
  await db.schema.createIndex('share_links_document').on('share_links').columns(['document_id', 'created_at']).execute();
  await db.schema.createIndex('share_links_space').on('share_links').column('space_id').execute();
}
