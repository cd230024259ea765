import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { countEmbeddings, hasVectorColumn } from '../src/assistant/embeddings/embeddings.repo.ts';
import { EMBEDDING_SERVICE_PRINCIPAL, embedPending } from '../src/assistant/embeddings/indexer.ts';
import { RRF_K } from '../src/assistant/retrieval/rank.ts';
import { sweepSearchIndex } from '../src/workspace/search/indexer.ts';
import { type AskWorld, CLASSIFIED, EMBED_ALIAS, SECRET, startAskWorld } from './support/assistant-ask-fixture.ts';
import { BAG_OF_WORDS_DIMENSIONS } from './support/bag-of-words-embeddings.ts';

/**
 * Hybrid retrieval (assistant/embeddings): passage embeddings computed off the request path
 * through the gateway's embeddings use case (as a service actor, the document named in the call
 * context), kept in step with edits and deletions, and an embedding ranking fused with full text
 * by reciprocal rank fusion — over the passages of documents the asker may read only. The
 * upstream double's embeddings are a deterministic hashed bag of stemmed words (not a model).
 */
let w: AskWorld;
beforeAll(async () => {
  w = await startAskWorld();
});
afterAll(async () => {
  await w?.close();
});

const deps = () => ({ stores: w.t.entente.stores, gateway: w.gateway, model: EMBED_ALIAS, logger: w.t.entente.logger });
const embeddingRequests = () => w.upstream.requests.filter((r) => r.path === '/v1/embeddings');
const inputsOf = (r: { body: Record<string, unknown> | null }) => (Array.isArray(r.body?.input) ? (r.body.input as string[]) : [String(r.body?.input)]);

describe('hybrid retrieval', () => {
  it('stays on full text, and says so, while nothing is embedded', async () => {
    const answer = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?' });
    expect(answer.status).toBe(200);
    expect(answer.body.retrieval).toEqual({ mode: 'full-text', embeddingModel: EMBED_ALIAS, reason: 'not_indexed' });
    expect(answer.body.passages[0].documentId).toBe(w.docs.teletravail);
  });

  it('embeds every indexed passage through the gateway, as the service actor, once', async () => {
    const before = embeddingRequests().length;
    expect(await embedPending(deps(), 100)).toBeGreaterThanOrEqual(4);
    const sent = embeddingRequests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.body?.model === 'embed-upstream')).toBe(true);
    // Title line, then the passage, as retrieval cuts it.
    const inputs = sent.flatMap(inputsOf);
    expect(inputs.some((i) => i.startsWith('Procédure de télétravail\n') && i.includes('deux jours par semaine'))).toBe(true);
    expect(inputs.some((i) => i.startsWith('Rapport confidentiel\n') && i.includes(SECRET))).toBe(true); // indexing is not a reader: policy decides
    // The classified document is refused by the policy: its text never reached the upstream.
    expect(inputs.join('\n')).not.toContain(CLASSIFIED);
    const state = await w.t.entente.stores.cells.QC.db.selectFrom('assistant_embedded_documents').select('state').where('document_id', '=', w.docs.continuite).executeTakeFirst();
    expect(state?.state).toBe('refused');
    const qc = await countEmbeddings(w.t.entente.stores.cells.QC.db, EMBED_ALIAS);
    expect(qc.refused).toBe(1);
    expect(qc.documents).toBeGreaterThanOrEqual(3);
    expect(qc.passages).toBeGreaterThanOrEqual(4);
    // Nothing left to do: a second pass sends nothing.
    const again = embeddingRequests().length;
    expect(await embedPending(deps(), 100)).toBe(0);
    expect(embeddingRequests().length).toBe(again);
    // Audited as the service's requests, in the document's cell.
    await w.gateway.flush();
    const events = await w.t.entente.audit.list({ jurisdiction: 'QC', action: 'ai.request', limit: 50 });
    expect(events.some((e) => e.actor_id === EMBEDDING_SERVICE_PRINCIPAL && e.details.endpoint === 'embeddings')).toBe(true);
  });

  it('keeps the vectors as real[], with a pgvector copy and an HNSW index only where the extension exists', async () => {
    const cell = w.t.entente.stores.cells.QC;
    const withVector = await cell.hasVector();
    expect(await hasVectorColumn(cell.db)).toBe(withVector);
    const row = await cell.db.selectFrom('assistant_passage_embeddings').select(['embedding', 'dimensions']).where('document_id', '=', w.docs.teletravail).executeTakeFirstOrThrow();
    expect(row.dimensions).toBe(BAG_OF_WORDS_DIMENSIONS);
    expect(row.embedding.map(Number)).toHaveLength(BAG_OF_WORDS_DIMENSIONS);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname = ${`assistant_passage_embeddings_hnsw_${BAG_OF_WORDS_DIMENSIONS}`}`.execute(cell.db);
    expect((rows[0]?.n ?? 0) > 0).toBe(withVector);
    // PGlite always has pgvector (DESIGN.md); CI's PostgreSQL 15 has none.
    if (cell.kind === 'pglite') expect(withVector).toBe(true);
  });

  it('fuses the full-text and embedding rankings, and reports hybrid', async () => {
    const before = embeddingRequests().length;
    const answer = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?' });
    expect(answer.status).toBe(200);
    expect(answer.body.retrieval).toEqual({ mode: 'hybrid', embeddingModel: EMBED_ALIAS, reason: null });
    expect(answer.body.passages[0].documentId).toBe(w.docs.teletravail);
    expect(answer.body.passages[0].text).toContain('deux jours par semaine');
    // First in both rankings: 2 / (k + 1), rounded as the API rounds.
    expect(answer.body.passages[0].score).toBe(Math.round((2 / (RRF_K + 1)) * 1000) / 1000);
    // The question alone was embedded (as the asker), no document text with it.
    const sent = embeddingRequests().slice(before);
    expect(sent.flatMap(inputsOf)).toEqual(['Combien de jours de télétravail par semaine ?']);
  });

  it('never ranks a passage of a document the asker cannot read', async () => {
    const question = 'Quel est le code du coffre-fort et son budget secret ?';
    const olivier = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question });
    expect(olivier.body.retrieval.mode).toBe('hybrid');
    expect(olivier.body.passages.map((p: { documentId: string }) => p.documentId)).not.toContain(w.docs.coffre);
    expect(olivier.text).not.toContain(SECRET);
    // Hugo is not a member of the Québec space at all.
    const hugo = await w.api(w.agents.hugo, 'POST', '/api/assistant/ask', { question });
    expect(hugo.text).not.toContain(SECRET);
    // The owner may read it: the same question finds it (the test can fail).
    const camille = await w.api(w.agents.camille, 'POST', '/api/assistant/ask', { question });
    expect(camille.body.passages[0].documentId).toBe(w.docs.coffre);
  });

  it('re-embeds only what changed and drops stale passages; deletion takes them away', async () => {
    const db = w.t.entente.stores.cells.QC.db;
    const before = await countEmbeddings(db, EMBED_ALIAS);
    // Long paragraphs: one passage each (passages.ts gathers blocks to about 420 characters).
    const long = (text: string) => `${text} ${'Le compte rendu détaille les échanges et les positions de chaque direction représentée. '.repeat(5)}`;
    await w.writeDocument(w.docs.comite, w.spaceA, 'QC', [long('Le budget de l’hébergement en nuage est fixé à 2 millions de dollars.'), long('La décision sur la messagerie est reportée.')]);
    const { indexDocument } = await import('../src/workspace/search/indexer.ts');
    const indexDeps = { stores: w.t.entente.stores, content: () => w.t.entente.collab.store, logger: w.t.entente.logger };
    await indexDocument(indexDeps, { documentId: w.docs.comite, jurisdiction: 'QC' });
    await embedPending(deps(), 100);
    const rowsOf = async () =>
      (await db.selectFrom('assistant_passage_embeddings').select(['content_hash', 'passage_start']).where('document_id', '=', w.docs.comite).execute()).map((r) => r.content_hash).sort();
    const first = await rowsOf();
    expect(first.length).toBeGreaterThanOrEqual(2);
    await w.writeDocument(w.docs.comite, w.spaceA, 'QC', [long('Le budget de l’hébergement en nuage est fixé à 2 millions de dollars.'), long('Le comité a reporté la décision sur la messagerie instantanée à l’automne.')]);
    // The search index follows the document (what the live indexing job does after a change).
    await indexDocument(indexDeps, { documentId: w.docs.comite, jurisdiction: 'QC' });
    const sentBefore = embeddingRequests().length;
    expect(await embedPending(deps(), 100)).toBe(1);
    const inputs = embeddingRequests().slice(sentBefore).flatMap(inputsOf);
    expect(inputs.join('\n')).toContain('messagerie instantanée');
    expect(inputs.join('\n')).not.toContain('2 millions de dollars'); // unchanged passage kept, not re-embedded
    const second = await rowsOf();
    expect(second.length).toBe(first.length);
    // Exactly the changed passage was replaced; the stale one is gone.
    expect(second.filter((h) => !first.includes(h)).length).toBe(1);
    expect(first.filter((h) => !second.includes(h)).length).toBe(1);
    expect((await countEmbeddings(db, EMBED_ALIAS)).passages).toBe(before.passages - 1 + second.length);

    const deleted = await w.api(w.agents.camille, 'POST', `/api/documents/${w.docs.comite}/trash`);
    expect(deleted.status).toBe(200);
    // In the trash: still embedded (it can come back) but never a candidate.
    const answer = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'messagerie instantanée du comité' });
    expect(answer.body.passages.map((p: { documentId: string }) => p.documentId)).not.toContain(w.docs.comite);
    // Deleted for good: its rows go with it.
    await db.deleteFrom('documents').where('id', '=', w.docs.comite).execute();
    expect(await db.selectFrom('assistant_passage_embeddings').select('document_id').where('document_id', '=', w.docs.comite).execute()).toEqual([]);
    await sweepSearchIndex(w.t.entente.stores);
  });

  it('is kept up to date by the server’s own job (assistant.embeddings.sweep), through its gateway', async () => {
    const created = await w.api(w.agents.camille, 'POST', `/api/spaces/${w.spaceA}/documents`, { title: 'Note sur les astreintes' });
    expect(created.status).toBe(201);
    await w.writeDocument(created.body.id, w.spaceA, 'QC', ['Les astreintes de fin de semaine sont indemnisées selon le barème en vigueur.']);
    await sweepSearchIndex(w.t.entente.stores);
    const db = w.t.entente.stores.cells.QC.db;
    const embedded = () => db.selectFrom('assistant_embedded_documents').select('state').where('document_id', '=', created.body.id).executeTakeFirst();
    const until = Date.now() + 20_000;
    while (!(await embedded()) && Date.now() < until) {
      await w.t.entente.jobs.runDue();
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await embedded())?.state).toBe('embedded');
  });

  it('falls back to full text, and says why, when the question cannot be embedded', async () => {
    w.upstream.behave((r) => (r.path === '/v1/embeddings' ? { kind: 'status', status: 500 } : { kind: 'answer' }));
    try {
      const answer = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?' });
      expect(answer.status).toBe(200);
      expect(answer.body.retrieval).toEqual({ mode: 'full-text', embeddingModel: EMBED_ALIAS, reason: 'embedding_failed' });
      expect(answer.body.passages[0].documentId).toBe(w.docs.teletravail);
    } finally {
      w.upstream.behave({ kind: 'answer' });
    }
  });

  it('falls back to full text, and says so, when the stored similarities cannot be read', async () => {
    // A real database error: the embeddings' table is away for the time of one question.
    const db = w.t.entente.stores.cells.QC.db;
    await sql`alter table assistant_passage_embeddings rename to assistant_passage_embeddings_away`.execute(db);
    try {
      const answer = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?' });
      expect(answer.status).toBe(200);
      expect(answer.body.retrieval).toEqual({ mode: 'full-text', embeddingModel: EMBED_ALIAS, reason: 'similarity_failed' });
      expect(answer.body.passages[0].documentId).toBe(w.docs.teletravail);
    } finally {
      await sql`alter table assistant_passage_embeddings_away rename to assistant_passage_embeddings`.execute(db);
    }
    const again = await w.api(w.agents.olivier, 'POST', '/api/assistant/ask', { question: 'Combien de jours de télétravail par semaine ?' });
    expect(again.body.retrieval.mode).toBe('hybrid');
  });

  it('asks again whether the pgvector column exists after a failed look-up (a transient error is not kept)', async () => {
    const cell = w.t.entente.stores.cells.QC;
    // The cell's own database, whose next query fails once (as a dropped connection would).
    let failures = 1;
    const flaky = cell.db.withPlugin({
      transformQuery(args) {
        if (failures > 0) {
          failures--;
          throw new Error('connection reset');
        }
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    });
    await expect(hasVectorColumn(flaky)).rejects.toThrow('connection reset');
    expect(await hasVectorColumn(flaky)).toBe(await cell.hasVector());
  });
});
