import { type Kysely, sql } from 'kysely';

/**
 * Embeddings of document passages for hybrid retrieval (assistant/embeddings/README.md), in the
 * cell of the document (DESIGN.md: embeddings are content and live with it).
 *
 * - `assistant_passage_embeddings`: one row per passage of a document for one model, keyed by the
 *   hash of the text that was embedded (title + passage, as retrieval cuts them), so that an
 *   unchanged passage is never embedded twice and a changed one simply stops matching. The vector
 *   is kept as `real[]` everywhere (CI's PostgreSQL 15 has no pgvector); where the `vector`
 *   extension is installed (PGlite, a PostgreSQL with pgvector) a `vector` copy is kept beside it,
 *   and the indexer creates an HNSW index per dimension the first time it meets one (an HNSW
 *   index needs a fixed dimension, which depends on the configured model).
 * - `assistant_embedded_documents`: which version of a document's indexed text (document_search's
 *   `changed_at`) was embedded with which model, and whether the policy refused it: the sweep
 *   embeds what is missing or older.
 *
 * Both follow their document (foreign key, cascade): deleted for good, gone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assistant_passage_embeddings')
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('passage_start', 'integer', (c) => c.notNull())
    .addColumn('passage_length', 'integer', (c) => c.notNull())
    .addColumn('dimensions', 'integer', (c) => c.notNull())
    .addColumn('embedding', sql`real[]`, (c) => c.notNull())
    .addColumn('embedded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('assistant_passage_embeddings_pk', ['document_id', 'model', 'content_hash'])
    .execute();
  await db.schema
    .createTable('assistant_embedded_documents')
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('source_changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('embedded', 'refused')`))
    .addColumn('embedded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('assistant_embedded_documents_pk', ['document_id', 'model'])
    .execute();
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'vector'`.execute(db);
  if ((rows[0]?.n ?? 0) > 0) {
    await sql`alter table assistant_passage_embeddings add column embedding_v public.vector`.execute(db);
  }
}
