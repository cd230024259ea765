import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { readableTextOf, readableTextsFor, type Segment, segmentsOf } from '../../workspace/index.ts';
import { type Passage, quoteOf, splitPassages } from './passages.ts';
import { orQuery, questionWords } from './question.ts';
import { bm25Scores, reciprocalRankFusion } from './rank.ts';
import { highlightAll, passageTerms, questionLexemes } from './retrieval.repo.ts';
import { extractiveSummary } from './summary.ts';
import type { GatewayDeps } from '../gateway/gateway.ts';
import { internalCallContext } from '../embeddings/indexer.ts';
import { type EmbeddingOutcome, embeddingRanker } from '../embeddings/ranker.ts';

/**
 * « Ask my documents » and « summarise » without a model (issue 7): the most relevant passages of
 * the documents the agent may read, with highlights and citations; a document's key sentences.
 * Both are labelled as extractive (`mode`, `label`): nothing here is generated.
 *
 * Retrieval, at query time (no table of its own):
 * 1. the question → its content words → an OR tsquery (question.ts);
 * 2. the workspace gives the best CANDIDATE_DOCUMENTS documents the agent may read now, with their
 *    indexed text (`readableTextsFor`: the search's access rules and re-check — a document the
 *    agent cannot read never reaches this function);
 * 3. their texts are cut into passages (passages.ts), each scored with BM25 over the candidates
 *    (rank.ts; counts from PostgreSQL's French stemming, the document's title counted with it);
 * 4. rankings are fused by reciprocal rank fusion — today one ranking (full text); the hybrid step
 *    adds the embedding ranking of the same candidates here (`Ranker` below) — then at most
 *    PER_DOCUMENT_MAX passages per document, best first, highlighted.
 */
/**
 * Documents whose passages are scored. On the evaluation set (bench/ai-retrieval.ts, measured
 * before a wording fix of a few of its questions) 20 did best: recall@5 0.97, MRR 0.84; 10: 0.93 /
 * 0.86; 30: 0.93 / 0.82; 40: 0.93 / 0.83. Fewer candidates give BM25's document frequencies a
 * sharper contrast, more add near-duplicates; 20 is also cheaper. Tuned on one set: a rough choice.
 */
export const CANDIDATE_DOCUMENTS = 20;
/** Passages scored per question at most (the candidates' first passages, in rank order of their documents). */
export const CANDIDATE_PASSAGES_MAX = 1_500;
export const PASSAGES_DEFAULT = 5;
export const PASSAGES_MAX = 10;
export const PER_DOCUMENT_MAX = 2;

export const EXTRACTIVE_ASK_LABEL = 'assistant.extractive.askLabel';
export const EXTRACTIVE_SUMMARY_LABEL = 'assistant.extractive.summaryLabel';

export interface RetrievalDeps {
  stores: Stores;
  audit: AuditLog;
}

export interface CandidatePassage extends Passage {
  key: string;
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
  title: string;
  documentRank: number;
}

/**
 * One retriever's opinion: the candidates' keys, best first. Full text is the only one now; an
 * embedding ranker (cosine similarity of the question's embedding with stored passage embeddings,
 * over these permission-filtered candidates only) is the hybrid step's addition.
 */
export type Ranker = (candidates: readonly CandidatePassage[], question: { words: string[]; lexemes: string[] }) => Promise<Ranked[]>;
export interface Ranked {
  key: string;
  score: number;
}

export interface RetrievedPassage {
  n: number;
  documentId: string;
  spaceId: string;
  jurisdiction: Jurisdiction;
  title: string;
  /** The passage's plain text. */
  text: string;
  /** The same text in segments; `match` ones are the question's words (render them in <mark>). */
  highlight: Segment[];
  /** Where the passage is in the document's indexed text, and its first words (a text-quote anchor). */
  offset: number;
  length: number;
  quote: string;
  score: number;
}

export interface AskParams {
  question: string;
  spaceId?: string;
  limit?: number;
}

/** The retrieval itself (no audit): the API's use case and the benchmark both call it. */
export async function retrievePassages(stores: Stores, actor: Actor | null, params: AskParams, rankers: readonly Ranker[] = []): Promise<RetrievedPassage[]> {
  const words = questionWords(params.question);
  const tsquery = orQuery(words);
  if (!tsquery) return [];
  const documents = await readableTextsFor(stores, actor, { tsquery, spaceId: params.spaceId, limit: CANDIDATE_DOCUMENTS });
  if (documents.length === 0) return [];
  const candidates: CandidatePassage[] = [];
  for (const [documentRank, doc] of documents.entries()) {
    for (const p of splitPassages(doc.body)) {
      if (candidates.length >= CANDIDATE_PASSAGES_MAX) break;
      candidates.push({ ...p, key: `${doc.documentId}:${p.start}`, documentId: doc.documentId, spaceId: doc.spaceId, jurisdiction: doc.jurisdiction, title: doc.title, documentRank });
    }
  }
  if (candidates.length === 0) return [];
  // The question's stems, from a cell that holds candidates (`entente_french` is a cell's configuration).
  const lexemes = await questionLexemes(stores.cells[(candidates[0] as CandidatePassage).jurisdiction].db, words);
  const fullText = await fullTextRanker(stores)(candidates, { words, lexemes });
  const extra = await Promise.all(rankers.map((rank) => rank(candidates, { words, lexemes })));
  // One ranking: its own scores (BM25); several: reciprocal rank fusion of their orders.
  const fused =
    extra.length === 0
      ? fullText.map((r) => ({ id: r.key, score: r.score }))
      : reciprocalRankFusion([fullText, ...extra].map((ranking) => ranking.map((r) => r.key)));

  const byKey = new Map(candidates.map((c) => [c.key, c]));
  const limit = Math.min(params.limit ?? PASSAGES_DEFAULT, PASSAGES_MAX);
  const perDocument = new Map<string, number>();
  const chosen: { c: CandidatePassage; score: number }[] = [];
  for (const { id, score } of fused) {
    const c = byKey.get(id);
    if (!c || score <= 0) continue;
    const count = perDocument.get(c.documentId) ?? 0;
    if (count >= PER_DOCUMENT_MAX) continue;
    perDocument.set(c.documentId, count + 1);
    chosen.push({ c, score });
    if (chosen.length === limit) break;
  }
  const highlighted = await inOwnCells(
    stores,
    chosen.map(({ c }) => c),
    (db, list) => highlightAll(db, list.map((c) => c.text), tsquery),
  );
  return chosen.map(({ c, score }, i) => ({
    n: i + 1,
    documentId: c.documentId,
    spaceId: c.spaceId,
    jurisdiction: c.jurisdiction,
    title: c.title,
    text: c.text,
    highlight: segmentsOf(highlighted[i] ?? c.text),
    offset: c.start,
    length: c.end - c.start,
    quote: quoteOf(c.text),
    score: Math.round(score * 1000) / 1000,
  }));
}

/**
 * Runs `work` on each cell's own database with that cell's candidates only, and returns the answers
 * in the candidates' order: a passage's text goes to its own jurisdiction's database, never the
 * other's (data residency), even for a computation.
 */
async function inOwnCells<T>(stores: Stores, candidates: readonly CandidatePassage[], work: (db: CellDb, list: CandidatePassage[]) => Promise<T[]>): Promise<T[]> {
  const out = new Array<T>(candidates.length);
  await Promise.all(
    JURISDICTIONS.map(async (jurisdiction) => {
      const indexes = candidates.flatMap((c, i) => (c.jurisdiction === jurisdiction ? [i] : []));
      if (indexes.length === 0) return;
      const answers = await work(
        stores.cells[jurisdiction].db,
        indexes.map((i) => candidates[i] as CandidatePassage),
      );
      indexes.forEach((i, k) => {
        out[i] = answers[k] as T;
      });
    }),
  );
  return out;
}

function fullTextRanker(stores: Stores): Ranker {
  return async (candidates, { lexemes }) => {
    // The title is counted with each of its passages: « Procédure d'habilitation » answers for the whole page.
    const terms = await inOwnCells(stores, candidates, (db, list) =>
      passageTerms(
        db,
        list.map((c) => `${c.title}\n${c.text}`),
        lexemes,
      ),
    );
    const scores = bm25Scores(terms, lexemes);
    const order = candidates.map((c, i) => ({ key: c.key, score: scores[i] as number, rank: c.documentRank, index: c.index }));
    order.sort((a, b) => b.score - a.score || a.rank - b.rank || a.index - b.index);
    return order.filter((o) => o.score > 0).map((o) => ({ key: o.key, score: o.score }));
  };
}

export interface AskAnswer {
  mode: 'extractive';
  label: string;
  /** Which retrieval found the passages (hybrid: full text + embeddings, fused). */
  retrieval: RetrievalMode;
  passages: RetrievedPassage[];
}

/**
 * The retrieval used for an answer: `hybrid` when an embedding model is configured AND its ranking
 * took part; otherwise `full-text`, with the reason when a model is configured (question refused
 * or not embedded, candidates not embedded yet).
 */
export interface RetrievalMode {
  mode: 'full-text' | 'hybrid';
  embeddingModel: string | null;
  reason: EmbeddingOutcome['reason'];
}

/** What « ask » needs beyond retrieval's own deps for the hybrid step (null: full text only). */
export interface AskDeps extends RetrievalDeps {
  hybrid?: (() => { gateway: GatewayDeps; model: string } | null) | null;
}

/**
 * Retrieval with the configured rankers: full text, plus the embedding ranking when a model is
 * configured (then reciprocal rank fusion). No audit (the callers audit what they show).
 */
export async function retrieveForAsk(deps: AskDeps, actor: Actor | null, params: AskParams, ip: string | null = null): Promise<{ passages: RetrievedPassage[]; retrieval: RetrievalMode }> {
  const hybrid = deps.hybrid?.() ?? null;
  if (!hybrid || !actor) {
    return { passages: await retrievePassages(deps.stores, actor, params), retrieval: { mode: 'full-text', embeddingModel: null, reason: hybrid ? 'embedding_failed' : 'not_configured' } };
  }
  const outcome: EmbeddingOutcome = { used: false, reason: null };
  const ranker = embeddingRanker({ stores: deps.stores, gateway: hybrid.gateway, model: hybrid.model }, actor, params.question, () => internalCallContext({ ip }), outcome);
  const passages = await retrievePassages(deps.stores, actor, params, [ranker]);
  return {
    passages,
    retrieval: { mode: outcome.used ? 'hybrid' : 'full-text', embeddingModel: hybrid.model, reason: outcome.used ? null : (outcome.reason ?? 'not_indexed') },
  };
}

/** Audits the documents whose passages are shown (or sent to a model): `workspace.document.read`, `via`. */
export async function auditCitedDocuments(deps: RetrievalDeps, actor: Actor | null, passages: readonly RetrievedPassage[], meta: RequestMeta, via: string, extra: Record<string, string | number | boolean> = {}): Promise<void> {
  const cited = new Map<string, { jurisdiction: Jurisdiction; passages: number }>();
  for (const p of passages) cited.set(p.documentId, { jurisdiction: p.jurisdiction, passages: (cited.get(p.documentId)?.passages ?? 0) + 1 });
  for (const [documentId, c] of cited) {
    await deps.audit.record({
      action: 'workspace.document.read',
      outcome: 'success',
      actorId: actor?.principalId ?? null,
      jurisdiction: c.jurisdiction,
      resource: { type: 'document', id: documentId },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { via, passages: c.passages, ...extra },
    });
  }
}

/**
 * The API's « ask »: retrieval, then the audit. Passages are document content: each cited document
 * gets a `workspace.document.read` event in its cell (as reading its content through the API does),
 * with `via: assistant.ask`; the question itself is not recorded (search terms are not either).
 */
export async function askDocuments(deps: AskDeps, actor: Actor | null, params: AskParams, meta: RequestMeta): Promise<AskAnswer> {
  const { passages, retrieval } = await retrieveForAsk(deps, actor, params, meta.ip);
  await auditCitedDocuments(deps, actor, passages, meta, 'assistant.ask');
  return { mode: 'extractive', label: EXTRACTIVE_ASK_LABEL, retrieval, passages };
}

export interface SummaryAnswer {
  mode: 'extractive';
  label: string;
  documentId: string;
  title: string;
  /** False when the document has not been indexed yet (just created): no sentences then. */
  indexed: boolean;
  sentences: { text: string; offset: number; length: number }[];
}

/** The key sentences of a document the agent may read (404 otherwise), audited as a read. */
export async function summariseDocument(deps: RetrievalDeps, actor: Actor | null, documentId: string, meta: RequestMeta): Promise<SummaryAnswer> {
  const doc = await readableTextOf(deps.stores, actor, documentId);
  const sentences = extractiveSummary(doc.body);
  await deps.audit.record({
    action: 'workspace.document.read',
    outcome: 'success',
    actorId: actor?.principalId ?? null,
    jurisdiction: doc.jurisdiction,
    resource: { type: 'document', id: doc.documentId },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { via: 'assistant.summarise', sentences: sentences.length },
  });
  return {
    mode: 'extractive',
    label: EXTRACTIVE_SUMMARY_LABEL,
    documentId: doc.documentId,
    title: doc.title,
    indexed: doc.indexed,
    sentences: sentences.map((s) => ({ text: s.text, offset: s.start, length: s.end - s.start })),
  };
}
