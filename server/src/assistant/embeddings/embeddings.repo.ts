import { sql } from 'kysely';
import type { CellDb } from '../../platform/db/types.ts';
import './embeddings.tables.ts';
import '../../workspace/search/search.tables.ts';

/**
 * All SQL of passage embeddings (migration 20261130150000). Vectors travel as text literals
 * (`{…}::real[]`, `[…]::vector`): the same on PGlite and on PostgreSQL, whatever each driver does
 * with JavaScript arrays.
 */

export interface DocumentToEmbed {
  document_id: string;
  title: string;
  body: string;
  /** As text, to the microsecond (a JavaScript Date keeps milliseconds: the row would look changed forever). */
  changed_at: string;
}

/** Documents of the cell whose indexed text was never embedded with `model`, or changed since. */
export async function findDocumentsToEmbed(db: CellDb, model: string, limit: number): Promise<DocumentToEmbed[]> {
  const { rows } = await sql<DocumentToEmbed>`
    select s.document_id, s.title, s.body, s.changed_at::text as changed_at
      from document_search s
      left join assistant_embedded_documents e on e.document_id = s.document_id and e.model = ${model}
     where e.document_id is null or e.source_changed_at < s.changed_at
     order by s.changed_at
     limit ${limit}`.execute(db);
  return rows;
}

/** The hashes already embedded for a document and model (unchanged passages are kept, not re-embedded). */
export async function findEmbeddedHashes(db: CellDb, documentId: string, model: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('assistant_passage_embeddings')
    .select('content_hash')
    .where('document_id', '=', documentId)
    .where('model', '=', model)
    .execute();
  return new Set(rows.map((r) => r.content_hash));
}

export interface NewPassageEmbedding {
  contentHash: string;
  start: number;
  length: number;
  embedding: readonly number[];
}

const realArray = (v: readonly number[]) => `{${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}}`;
const vectorText = (v: readonly number[]) => `[${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

/** Whether this cell keeps a pgvector copy (the column exists only where the extension does). */
const vectorColumn = new WeakMap<CellDb, Promise<boolean>>();
export function hasVectorColumn(db: CellDb): Promise<boolean> {
  let known = vectorColumn.get(db);
  if (!known) {
    known = sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
       where table_schema = current_schema() and table_name = 'assistant_passage_embeddings' and column_name = 'embedding_v'`
      .execute(db)
      .then(({ rows }) => (rows[0]?.n ?? 0) > 0);
    // A failure is not an answer: forget it, so that the next call asks again (a transient error
    // must not make every hybrid ask and the indexer fail for the life of the process).
    known.catch(() => {
      if (vectorColumn.get(db) === known) vectorColumn.delete(db);
    });
    vectorColumn.set(db, known);
  }
  return known;
}

/** Dimensions whose HNSW index exists already (per database handle, for this process). */
const hnswDone = new WeakMap<CellDb, Set<number>>();

/**
 * The partial HNSW index for one dimension (cosine distance), created the first time a vector of
 * that dimension is stored (call with the plain handle, after the rows' transaction; nothing where
 * the cell has no pgvector column). `create index if not exists`: several nodes may race, harmlessly.
 */
export async function ensureHnsw(db: CellDb, dimensions: number): Promise<void> {
  const done = hnswDone.get(db) ?? new Set<number>();
  hnswDone.set(db, done);
  if (done.has(dimensions) || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000 || !(await hasVectorColumn(db))) return;
  await sql
    .raw(
      `create index if not exists assistant_passage_embeddings_hnsw_${dimensions} on assistant_passage_embeddings
         using hnsw ((embedding_v::public.vector(${dimensions})) public.vector_cosine_ops) where dimensions = ${dimensions}`,
    )
    .execute(db);
  done.add(dimensions);
}

/**
 * Replaces a document's embeddings for `model` with the passages it has now: rows whose hash is not
 * among `keep` ∪ `added` go (stale), `added` are inserted, and the document is marked as embedded
 * at `changedAt` (or refused by the policy). Pass a transaction: all or nothing. `withVector`:
 * the cell keeps a pgvector copy (`hasVectorColumn`, asked of the plain handle, cached).
 */
export async function replaceDocumentEmbeddings(
  trx: CellDb,
  p: { documentId: string; model: string; changedAt: string; state: 'embedded' | 'refused'; keep: readonly string[]; added: readonly NewPassageEmbedding[] },
  withVectorColumn: boolean,
): Promise<void> {
  const hashes = [...p.keep, ...p.added.map((a) => a.contentHash)];
  let remove = trx.deleteFrom('assistant_passage_embeddings').where('document_id', '=', p.documentId).where('model', '=', p.model);
  if (hashes.length > 0) remove = remove.where('content_hash', 'not in', hashes);
  await remove.execute();
  const withVector = p.added.length > 0 && withVectorColumn;
  for (const a of p.added) {
    const dims = a.embedding.length;
    if (withVector) {
      await sql`
        insert into assistant_passage_embeddings (document_id, model, content_hash, passage_start, passage_length, dimensions, embedding, embedding_v)
        values (${p.documentId}, ${p.model}, ${a.contentHash}, ${a.start}, ${a.length}, ${dims}, ${realArray(a.embedding)}::real[], ${vectorText(a.embedding)}::public.vector)
        on conflict do nothing`.execute(trx);
    } else {
      await sql`
        insert into assistant_passage_embeddings (document_id, model, content_hash, passage_start, passage_length, dimensions, embedding)
        values (${p.documentId}, ${p.model}, ${a.contentHash}, ${a.start}, ${a.length}, ${dims}, ${realArray(a.embedding)}::real[])
        on conflict do nothing`.execute(trx);
    }
  }
  await sql`
    insert into assistant_embedded_documents (document_id, model, source_changed_at, state, embedded_at)
    values (${p.documentId}, ${p.model}, ${p.changedAt}::timestamptz, ${p.state}, now())
    on conflict (document_id, model) do update set source_changed_at = excluded.source_changed_at, state = excluded.state, embedded_at = now()`.execute(trx);
}

export interface StoredSimilarity {
  document_id: string;
  content_hash: string;
  similarity: number;
}

/**
 * Cosine similarity of `query` with the stored embeddings of the given passages (document id +
 * hash) — the permission-filtered candidates only, never the whole cell. With pgvector, computed by
 * the database (`<=>`); without, the `real[]` rows are read and compared by the caller's function.
 */
export async function similaritiesOf(
  db: CellDb,
  model: string,
  query: readonly number[],
  passages: readonly { documentId: string; contentHash: string }[],
  cosine: (a: readonly number[], b: readonly number[]) => number,
): Promise<StoredSimilarity[]> {
  if (passages.length === 0 || query.length === 0) return [];
  const documentIds = [...new Set(passages.map((p) => p.documentId))];
  const hashes = [...new Set(passages.map((p) => p.contentHash))];
  if (await hasVectorColumn(db)) {
    const { rows } = await sql<StoredSimilarity>`
      select document_id, content_hash, 1 - (embedding_v <=> ${vectorText(query)}::public.vector) as similarity
        from assistant_passage_embeddings
       where model = ${model} and dimensions = ${query.length}
         and document_id in (${sql.join(documentIds)}) and content_hash in (${sql.join(hashes)})
         and embedding_v is not null`.execute(db);
    return rows.map((r) => ({ ...r, similarity: Number(r.similarity) }));
  }
  const rows = await db
    .selectFrom('assistant_passage_embeddings')
    .select(['document_id', 'content_hash', 'embedding'])
    .where('model', '=', model)
    .where('dimensions', '=', query.length)
    .where('document_id', 'in', documentIds)
    .where('content_hash', 'in', hashes)
    .execute();
  return rows.map((r) => ({ document_id: r.document_id, content_hash: r.content_hash, similarity: cosine(query, (r.embedding as unknown[]).map(Number)) }));
}

/** Counts for tests and the bench: passages and documents embedded with `model` in this cell. */
export async function countEmbeddings(db: CellDb, model: string): Promise<{ passages: number; documents: number; refused: number }> {
  const { rows } = await sql<{ passages: number; documents: number; refused: number }>`
    select (select count(*)::int from assistant_passage_embeddings where model = ${model}) as passages,
           (select count(*)::int from assistant_embedded_documents where model = ${model} and state = 'embedded') as documents,
           (select count(*)::int from assistant_embedded_documents where model = ${model} and state = 'refused') as refused`.execute(db);
  return rows[0] ?? { passages: 0, documents: 0, refused: 0 };
}
