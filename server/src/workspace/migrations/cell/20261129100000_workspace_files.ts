import { type Kysely, sql } from 'kysely';

/**
 * The files area of a space (workspace/files): the tree of folders and files, the versions of
 * each file, tus uploads and their parts, and the objects waiting to be deleted. All in the
 * space's cell; the bytes are encrypted objects of the cell's store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    // A folder deleted for good takes its subtree (the use case deletes the objects first).
    .addColumn('parent_id', 'uuid', (c) => c.references('files.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('folder', 'file')`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 255`))
    .addColumn('name_key', 'text', (c) => c.notNull())
    // No foreign key: a version row and its file point at each other (the use case keeps them right).
    .addColumn('current_version_id', 'uuid')
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('trashed_at', 'timestamptz')
    .addColumn('trashed_by', 'uuid')
    .addColumn('trashed_with', 'uuid')
    .addCheckConstraint('files_folder_has_no_version', sql`kind = 'file' or current_version_id is null`)
    .addCheckConstraint('files_trash_consistent', sql`(trashed_at is null) = (trashed_with is null)`)
    .execute();
  await db.schema.createIndex('files_parent').on('files').columns(['space_id', 'parent_id']).execute();
  await db.schema.createIndex('files_trashed').on('files').columns(['trashed_at']).where(sql.ref('trashed_at'), 'is not', null).execute();
  // Names are unique per folder among live items (case-insensitive, NFC: name_key); the trash does not count.
  await sql`create unique index files_live_name on files (space_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name_key) where trashed_at is null`.execute(db);

  await db.schema
    .createTable('file_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('file_id', 'uuid', (c) => c.notNull().references('files.id').onDelete('cascade'))
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('object_key', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`char_length(content_type) between 3 and 255`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('clean', 'unscanned', 'quarantined')`))
    .addColumn('signature', 'text')
    .addColumn('thumbnail_key', 'text')
    .addColumn('created_by', 'uuid')
    .addColumn('organisation_id', 'uuid')
    .addColumn('billed_bytes', 'bigint', (c) => c.notNull().check(sql`billed_bytes >= 0`))
    .addColumn('restored_from', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('file_versions_number', ['file_id', 'number'])
    .execute();
  await db.schema.createIndex('file_versions_space').on('file_versions').column('space_id').execute();
  // A pending deletion is dropped when a version still uses the object (files.repo.ts objectInUse).
  await db.schema.createIndex('file_versions_object').on('file_versions').column('object_key').execute();
  await db.schema.createIndex('file_versions_thumbnail').on('file_versions').column('thumbnail_key').where(sql.ref('thumbnail_key'), 'is not', null).execute();
  await db.schema.createIndex('file_versions_organisation').on('file_versions').column('organisation_id').where(sql.ref('organisation_id'), 'is not', null).execute();

  await db.schema
    .createTable('file_uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid')
    .addColumn('folder_id', 'uuid')
    .addColumn('file_id', 'uuid')
    .addColumn('filename', 'text', (c) => c.notNull().check(sql`char_length(filename) between 1 and 255`))
    .addColumn('declared_type', 'text', (c) => c.check(sql`char_length(declared_type) <= 255`))
    .addColumn('length', 'bigint', (c) => c.notNull().check(sql`length >= 0`))
    .addColumn('offset', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('uploading').check(sql`status in ('uploading', 'complete', 'quarantined')`))
    .addColumn('result_file_id', 'uuid')
    .addColumn('result_version_id', 'uuid')
    .addColumn('signature', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('file_uploads_offset', sql`"offset" between 0 and length`)
    .execute();
  await db.schema.createIndex('file_uploads_space').on('file_uploads').columns(['space_id', 'status']).execute();
  await db.schema.createIndex('file_uploads_expiry').on('file_uploads').column('expires_at').execute();

  await db.schema
    .createTable('file_upload_parts')
    .addColumn('upload_id', 'uuid', (c) => c.notNull().references('file_uploads.id').onDelete('cascade'))
    .addColumn('offset', 'bigint', (c) => c.notNull())
    .addColumn('length', 'bigint', (c) => c.notNull().check(sql`length > 0`))
    .addColumn('object_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_upload_parts_pk', ['upload_id', 'offset'])
    .execute();

  await db.schema
    .createTable('file_object_deletions')
    .addColumn('object_key', 'text', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('file_object_deletions_due').on('file_object_deletions').column('not_before').execute();
}
