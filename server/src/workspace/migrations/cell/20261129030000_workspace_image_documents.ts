import type { Kysely } from 'kysely';

/**
 * An image belongs to the document it was uploaded into (workspace/images): reading it needs
 * access to that document, so a restricted document's images are not open to the whole space.
 * Null only for rows older than this (development data), which keep the space rule. No foreign
 * key on purpose: when the document is deleted for good its images keep pointing at it, so nobody
 * reads them any more (a `set null` would have opened them to the whole space); removing their
 * bytes is the data plane's orphan sweep.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('document_images')
    .addColumn('document_id', 'uuid')
    .execute();
  await db.schema.createIndex('document_images_document').on('document_images').column('document_id').execute();
}
