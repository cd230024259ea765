import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('space_directory')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('jurisdiction', 'text', (c) => c.notNull().check(sql`jurisdiction in ('FR', 'QC')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('space_members')
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('space_directory.id').onDelete('cascade'))
    .addColumn('principal_id', 'uuid', (c) => c.notNull().references('principals.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'editor', 'commenter', 'reader')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('space_members_pk', ['space_id', 'principal_id'])
    .execute();
  await db.schema.createIndex('space_members_principal').on('space_members').column('principal_id').execute();

  await db.schema
    .createTable('space_invitation_index')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('space_directory.id').onDelete('cascade'))
    .addColumn('email_hmac', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'editor', 'commenter', 'reader')`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_by', 'uuid', (c) => c.references('principals.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('space_invitation_index_email').on('space_invitation_index').column('email_hmac').execute();
}
