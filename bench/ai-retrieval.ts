/**
 * Retrieval evaluation (issue 7, bench/ai): `npm run bench -- ai-retrieval`.
 *
 *  - corpus and questions: bench/ai-retrieval-corpus.ts — 256 French administrative documents
 *    of 16 organisations of France and Québec on 8 subjects, 128 questions with their answering
 *    document and paragraph. Each organisation has its space, in its jurisdiction's cell; the asker
 *    is a reader of all 16. Rows of the search index are written with the indexer's SQL expression.
 *  - figures, per question: recall@5 (the answering document is among the documents of the first
 *    5 passages), MRR (1 / rank of the first passage from the answering document, 0 beyond 10),
 *    passage@5 (one of the first 5 passages contains the answering paragraph), and the time of the
 *    whole use case `retrievePassages` (memberships, both cells, access re-check, passages, BM25,
 *    highlights). Baselines measured in the same run: the search box with the question typed as is
 *    (`searchDocuments`: every word required), and documents ranked by the first stage alone
 *    (ts_rank_cd of the OR query, `readableTextsFor`).
 *  - hybrid (helper E): the same questions through `retrieveForAsk` with an embedding model — the
 *    upstream test double (server/test/support/openai-upstream.ts) started here, whose embeddings
 *    are a deterministic hashed bag of crudely stemmed words (bag-of-words-embeddings.ts), NOT a
 *    language model. The corpus is embedded first by the indexer's use case (`embedPending`,
 *    through the gateway, as in production), then each question is embedded through the gateway
 *    and its candidates ranked by cosine (pgvector in PGlite) and fused with BM25 by reciprocal
 *    rank fusion. Its figures say the hybrid machinery works end to end; they say nothing of what
 *    a real embedding model (bge-m3, multilingual-e5…) would give. No audit log is written (a
 *    no-op one): the bench measures retrieval.
 */
import { sql } from 'kysely';
import { CANDIDATE_DOCUMENTS, retrievePassages } from '../server/src/assistant/retrieval/retrieval.ts';
import { orQuery, questionWords } from '../server/src/assistant/retrieval/question.ts';
import { loadConfig } from '../server/src/config.ts';
import type { Actor } from '../server/src/identity/actor.ts';
import { migrateStores, openStores, type Stores } from '../server/src/platform/db/stores.ts';
import { uuidv7 } from '../server/src/platform/ids.ts';
import { readableTextsFor } from '../server/src/workspace/index.ts';
import { vectorOf } from '../server/src/workspace/search/search.repo.ts';
import { searchDocuments } from '../server/src/workspace/search/search.ts';
import { buildCorpus, type CorpusQuestion } from './ai-retrieval-corpus.ts';
import { fixed } from './support/stats.ts';
// ── hybrid retrieval (helper E) ──
import { embedPending } from '../server/src/assistant/embeddings/indexer.ts';
import { createGateway } from '../server/src/assistant/gateway/gateway.ts';
import { parseAiProviders } from '../server/src/assistant/providers/config.ts';
import { retrieveForAsk } from '../server/src/assistant/retrieval/retrieval.ts';
import type { AuditLog } from '../server/src/platform/audit/audit-log.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import { startUpstreamDouble } from '../server/test/support/openai-upstream.ts';
// ── end hybrid retrieval ──
import { printTable } from './support/table.ts';
import { withDataDir } from './support/temporary-stores.ts';

export interface AiRetrievalSettings {
  /** Timed runs of each question after the evaluation run. */
  repeats: number;
}
export const DEFAULT_AI_RETRIEVAL: AiRetrievalSettings = { repeats: 3 };
const HYBRID_NOTE =
  'hybrid: embeddings from the upstream test double, a deterministic hashed bag of stemmed words (bag-of-words-embeddings.ts), NOT a language model: these figures show the hybrid machinery at work, not what a real embedding model gives';

interface Quality {
  name: string;
  recallAt5: number;
  mrr: number;
  passageAt5: number | null;
}
export interface AiRetrievalResult {
  documents: number;
  questions: number;
  quality: Quality[];
  latency: { p50: number; p95: number };
  /** Hybrid retrieval (question embedded through the gateway over HTTP to the double, then fusion). */
  hybridLatency: { p50: number; p95: number } | null;
  /** Seconds to embed the whole corpus (indexer use case, through the gateway), and how many passages. */
  embedding: { seconds: number; passages: number } | null;
  misses: string[];
  notes: string[];
}

const log = (message: string) => console.error(`  [ai-retrieval] ${message}`);
const ASKER = '0190a4b2-1c3d-7e8f-9a0b-00000000a5e3';

async function fill(stores: Stores): Promise<{ idOf: Map<string, string>; documents: number; questions: CorpusQuestion[] }> {
  const { documents, questions } = buildCorpus();
  await sql`insert into principals (id, home_jurisdiction) values (${ASKER}, 'FR')`.execute(stores.control.db);
  const spaceOf = new Map<string, string>();
  const idOf = new Map<string, string>();
  for (const doc of documents) {
    const db = stores.cells[doc.jurisdiction].db;
    let spaceId = spaceOf.get(doc.organisation);
    if (!spaceId) {
      spaceId = uuidv7();
      spaceOf.set(doc.organisation, spaceId);
      await db.insertInto('spaces').values({ id: spaceId, name: doc.organisation, description: '', min_assurance: 'low', classification: 'internal', created_by: ASKER }).execute();
      await stores.control.db.insertInto('space_directory').values({ id: spaceId, jurisdiction: doc.jurisdiction }).execute();
      await stores.control.db.insertInto('space_members').values({ space_id: spaceId, principal_id: ASKER, role: 'reader' }).execute();
    }
    const id = uuidv7();
    idOf.set(doc.key, id);
    await db.insertInto('documents').values({ id, space_id: spaceId, parent_id: null, title: doc.title, position: idOf.size, restricted: false, epoch: 1, created_by: ASKER }).execute();
    await sql`
      insert into document_search (document_id, space_id, title, body, search, author_id)
      values (${id}, ${spaceId}, ${doc.title}, ${doc.body}, ${vectorOf(sql`${doc.title}::text`, sql`${doc.body}::text`)}, ${ASKER})`.execute(db);
  }
  for (const cell of Object.values(stores.cells)) await sql`analyze`.execute(cell.db);
  return { idOf, documents: documents.length, questions };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};

/** recall@5 and reciprocal rank (0 beyond 10) of the answering document in a ranked list of document ids. */
function judge(ranked: readonly string[], relevant: string): { recall: number; rr: number } {
  const distinct = [...new Set(ranked)];
  const at = ranked.indexOf(relevant);
  return { recall: distinct.slice(0, 5).includes(relevant) ? 1 : 0, rr: at >= 0 && at < 10 ? 1 / (at + 1) : 0 };
}

export async function aiRetrievalBench(settings: AiRetrievalSettings): Promise<AiRetrievalResult> {
  return withDataDir(async (dir) => {
    const config = loadConfig({ ENTENTE_DATA_DIR: dir, ENTENTE_LOG_LEVEL: 'silent' });
    const stores = await openStores(config);
    try {
      await migrateStores(stores);
      log('writing the corpus');
      const { idOf, documents, questions } = await fill(stores);
      const actor = { principalId: ASKER, assuranceLevel: null, homeJurisdiction: 'FR', via: 'session', sessionId: 'bench', scopes: null } as unknown as Actor;
      const sums = { passages: { recall: 0, rr: 0, passage: 0 }, box: { recall: 0, rr: 0 }, firstStage: { recall: 0, rr: 0 }, hybrid: { recall: 0, rr: 0, passage: 0 } };
      // ── hybrid retrieval (helper E): the double, a gateway over it, the corpus embedded ──
      const upstream = await startUpstreamDouble({ name: 'bench', models: ['bow'], embeddings: 'bag-of-words' });
      const providers = parseAiProviders([{ id: 'double', baseUrl: upstream.baseUrl, models: [{ name: 'bow', alias: 'bench-embed', kind: 'embeddings' }], jurisdiction: 'FR', maxClassification: 'non-protege', allowedJurisdictions: ['FR', 'QC'] }], { production: false }).providers;
      const noAudit: AuditLog = { record: async () => {}, list: async () => [] };
      const gateway = createGateway(providers, { audit: noAudit, logger: createLogger({ logLevel: 'silent' }) });
      const hybrid = { stores, audit: noAudit, hybrid: () => ({ gateway, model: 'bench-embed' }) };
      log('embedding the corpus (hybrid)');
      const e0 = performance.now();
      while ((await embedPending({ stores, gateway, model: 'bench-embed', logger: createLogger({ logLevel: 'silent' }) }, 50)) > 0);
      const embedSeconds = (performance.now() - e0) / 1000;
      let embeddedPassages = 0;
      for (const cell of Object.values(stores.cells)) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from assistant_passage_embeddings`.execute(cell.db);
        embeddedPassages += rows[0]?.n ?? 0;
      }
      let hybridUsed = 0;
      // ── end hybrid retrieval ──
      const misses: string[] = [];
      for (const q of questions) {
        const relevant = idOf.get(q.documentKey) as string;
        const passages = await retrievePassages(stores, actor, { question: q.question, limit: 10 });
        const p = judge(passages.map((x) => x.documentId), relevant);
        sums.passages.recall += p.recall;
        sums.passages.rr += p.rr;
        const answered = passages.slice(0, 5).some((x) => x.documentId === relevant && x.offset <= q.answerStart && q.answerStart < x.offset + x.length);
        sums.passages.passage += answered ? 1 : 0;
        if (!p.recall) misses.push(q.question);
        const box = await searchDocuments(stores, actor, { q: `${q.question} `, limit: 10, offset: 0 });
        const b = judge(box.results.map((r) => r.documentId), relevant);
        sums.box.recall += b.recall;
        sums.box.rr += b.rr;
        const tsquery = orQuery(questionWords(q.question));
        const first = tsquery ? await readableTextsFor(stores, actor, { tsquery, limit: 10 }) : [];
        const f = judge(first.map((d) => d.documentId), relevant);
        sums.firstStage.recall += f.recall;
        sums.firstStage.rr += f.rr;
        // ── hybrid retrieval (helper E) ──
        const h = await retrieveForAsk(hybrid, actor, { question: q.question, limit: 10 });
        if (h.retrieval.mode === 'hybrid') hybridUsed++;
        const hj = judge(h.passages.map((x) => x.documentId), relevant);
        sums.hybrid.recall += hj.recall;
        sums.hybrid.rr += hj.rr;
        sums.hybrid.passage += h.passages.slice(0, 5).some((x) => x.documentId === relevant && x.offset <= q.answerStart && q.answerStart < x.offset + x.length) ? 1 : 0;
        // ── end hybrid retrieval ──
      }
      log('timing');
      const times: number[] = [];
      for (let r = 0; r < settings.repeats; r++) {
        for (const q of questions) {
          const t0 = performance.now();
          await retrievePassages(stores, actor, { question: q.question });
          times.push(performance.now() - t0);
        }
      }
      // ── hybrid retrieval (helper E) ──
      const hybridTimes: number[] = [];
      for (let r = 0; r < settings.repeats; r++) {
        for (const q of questions) {
          const t0 = performance.now();
          await retrieveForAsk(hybrid, actor, { question: q.question });
          hybridTimes.push(performance.now() - t0);
        }
      }
      await upstream.close();
      // ── end hybrid retrieval ──
      const n = questions.length;
      return {
        documents,
        questions: n,
        quality: [
          { name: `passages: OR query → ${CANDIDATE_DOCUMENTS} documents → passages, BM25 (retrievePassages)`, recallAt5: sums.passages.recall / n, mrr: sums.passages.rr / n, passageAt5: sums.passages.passage / n },
          { name: 'hybrid: BM25 + bag-of-words embeddings of the test double, RRF (retrieveForAsk; not a real model)', recallAt5: sums.hybrid.recall / n, mrr: sums.hybrid.rr / n, passageAt5: sums.hybrid.passage / n },
          { name: 'baseline: first stage alone, documents by ts_rank_cd of the OR query', recallAt5: sums.firstStage.recall / n, mrr: sums.firstStage.rr / n, passageAt5: null },
          { name: 'baseline: the search box, question typed as is (all words required)', recallAt5: sums.box.recall / n, mrr: sums.box.rr / n, passageAt5: null },
        ],
        latency: { p50: percentile(times, 50), p95: percentile(times, 95) },
        hybridLatency: { p50: percentile(hybridTimes, 50), p95: percentile(hybridTimes, 95) },
        embedding: { seconds: embedSeconds, passages: embeddedPassages },
        misses,
        notes: [HYBRID_NOTE, `hybrid ranking took part in ${hybridUsed} of ${n} questions (the others: full text, e.g. no candidate embedded)`],
      };
    } finally {
      await stores.close();
    }
  });
}

export function printAiRetrieval(result: AiRetrievalResult, settings: AiRetrievalSettings = DEFAULT_AI_RETRIEVAL): void {
  printTable(
    `Retrieval evaluation, PGlite: ${result.documents} French documents (FR and QC cells), ${result.questions} questions with known answers`,
    ['ranking', 'recall@5', 'MRR@10', 'passage@5'],
    result.quality.map((q) => [q.name, fixed(q.recallAt5, 3), fixed(q.mrr, 3), q.passageAt5 === null ? '' : fixed(q.passageAt5, 3)]),
  );
  printTable(
    `Retrieval time, whole use case (${settings.repeats} × ${result.questions} questions, 5 passages)`,
    ['retrieval', 'p50 (ms)', 'p95 (ms)'],
    [
      ['full text (retrievePassages)', fixed(result.latency.p50, 1), fixed(result.latency.p95, 1)],
      ...(result.hybridLatency ? [['hybrid (retrieveForAsk: question embedded over HTTP by the double, fusion)', fixed(result.hybridLatency.p50, 1), fixed(result.hybridLatency.p95, 1)]] : []),
    ],
  );
  if (result.embedding) console.log(`Corpus embedded through the gateway (indexer use case): ${result.embedding.passages} passages in ${fixed(result.embedding.seconds, 1)} s`);
  if (result.misses.length > 0) console.log(`Questions whose document is not in the first 5 (${result.misses.length}):\n${result.misses.map((m) => `  - ${m}`).join('\n')}`);
  for (const note of result.notes) console.log(`(${note})`);
}
