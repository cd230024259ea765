import { type Kysely, sql } from 'kysely';

/**
 * Full-text search (workspace/search/README.md): one row per document of the cell, with its title
 * and the plain text of its content (derived, unencrypted — docs/security.md), and a stored
 * tsvector built with `entente_french` (French stemming, accents ignored): title weighted A, body
 * weighted B. The tsvector is computed by the INSERT, not a generated column: `to_tsvector` with
 * a configuration named by a string is not immutable.
 *
 * Rows follow their document (foreign key, cascade): a document or space deleted for good takes
 * its row with it. Trash and restrictions are read from `documents` at query time, never copied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_search')
    .addColumn('document_id', 'uuid', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
    .addColumn('space_id', 'uuid', (c) => c.notNull().references('spaces.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('search', sql`tsvector`, (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.notNull())
    // When the title or the text last changed, as the index saw it (the date filter).
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('indexed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index document_search_vector on document_search using gin (search)`.execute(db);
  await db.schema.createIndex('document_search_space').on('document_search').columns(['space_id', 'changed_at']).execute();
  // Queries exclude the subtrees under restricted pages a searcher is not listed on: few rows.
  await sql`create index documents_restricted on documents (space_id) where restricted`.execute(db);
  // The frequent catch-up pass reads what changed in the last minutes (indexer.ts).
  await db.schema.createIndex('documents_updated').on('documents').column('updated_at').execute();
  await db.schema.createIndex('document_snapshots_updated').on('document_snapshots').column('updated_at').execute();

  // Existing documents, from their last compacted text (the sweep job keeps this up to date). The
  // same expression as search.repo.ts's vectorOf (stop words between title and text: see there).
  await sql`
    insert into document_search (document_id, space_id, title, body, search, author_id, changed_at)
    select d.id, d.space_id, d.title, x.body,
           setweight(to_tsvector('entente_french', d.title), 'A') || setweight(to_tsvector('entente_french', ${'le '.repeat(8)} || x.body), 'B'),
           d.created_by, greatest(d.updated_at, coalesce(n.updated_at, d.updated_at))
      from documents d
      left join document_snapshots n on n.document_id = d.id
      cross join lateral (select left(translate(coalesce(n.content_text, ''), ${'\uE000\uE001'}, ''), 100000) as body) x`.execute(db);
}
