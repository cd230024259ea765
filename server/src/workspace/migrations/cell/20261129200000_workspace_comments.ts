import { type Kysely, sql } from 'kysely';

/**
 * Comments anchored in documents (workspace/comments), in the space's cell: threads anchored to a
 * text range by two Yjs relative positions, their comments, and reactions. Every table carries
 * `space_id` (and `document_id`) so that space deletion's catalog-driven purge and space moves
 * find them; rows go with their document (cascade) when it is deleted for good.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('comment_threads')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    // base64 of Y.encodeRelativePosition: a few dozen bytes; the bound refuses anything else.
    .addColumn('anchor_start', 'text', (c) => c.notNull().check(sql`length(anchor_start) between 4 and 512`))
    .addColumn('anchor_end', 'text', (c) => c.notNull().check(sql`length(anchor_end) between 4 and 512`))
    .addColumn('quote', 'text', (c) => c.notNull().check(sql`length(quote) <= 1000`))
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'uuid')
    .execute();
  await db.schema.createIndex('comment_threads_document').on('comment_threads').columns(['document_id', 'created_at']).execute();
  await db.schema.createIndex('comment_threads_space').on('comment_threads').column('space_id').execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('comment_threads.id').onDelete('cascade'))
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull())
    // Plain text; mentions are `<@principal-id>` tokens. Emptied when deleted (a tombstone stays).
    .addColumn('body', 'text', (c) => c.notNull().check(sql`length(body) <= 10000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'uuid')
    .execute();
  await db.schema.createIndex('comments_thread').on('comments').columns(['thread_id', 'created_at']).execute();
  await db.schema.createIndex('comments_space').on('comments').column('space_id').execute();

  await db.schema
    .createTable('comment_reactions')
    .addColumn('comment_id', 'uuid', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('principal_id', 'uuid', (c) => c.notNull())
    // The fixed set of comments.tables.ts (REACTIONS).
    .addColumn('emoji', 'text', (c) => c.notNull().check(sql`emoji in ('👍', '👎', '❤️', '🎉', '😄', '🤔', '👀', '✅')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('comment_reactions_pk', ['comment_id', 'principal_id', 'emoji'])
    .execute();
  await db.schema.createIndex('comment_reactions_space').on('comment_reactions').column('space_id').execute();
}
