import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { GatewayError } from '../gateway/errors.ts';
import { type CallContext, createEmbeddings, type GatewayDeps } from '../gateway/gateway.ts';
import { splitPassages } from '../retrieval/passages.ts';
import { ensureHnsw, findDocumentsToEmbed, findEmbeddedHashes, hasVectorColumn, type NewPassageEmbedding, replaceDocumentEmbeddings } from './embeddings.repo.ts';
import { embeddingServiceActor } from './service-actor.ts';
import { embeddedText, passageHash, vectorsOf } from './vectors.ts';

export { EMBEDDING_SERVICE_PRINCIPAL, embeddingServiceActor } from './service-actor.ts';

/**
 * Keeps each cell's passage embeddings in step with the search index, off the request path:
 * every EMBED_INTERVAL_MS a job looks for documents whose indexed text (document_search, which
 * follows the live document within seconds) changed since it was embedded, cuts it into the very
 * passages retrieval scores (retrieval/passages.ts), embeds only the passages it does not have yet,
 * and drops the stale ones, in one transaction per document. Documents deleted for good take their
 * rows with them (foreign keys).
 *
 * The embeddings go through the gateway's use case `createEmbeddings`, never straight to an
 * upstream: the request is a service actor's (service-actor.ts, audited as such, in the
 * document's cell) carrying `content.documentIds` (contracts C1), so the policy decides for the
 * document's classification and jurisdiction as for any agent's request, and quotas, usage and
 * audit apply. A refusal (403) is remembered: the document keeps full-text retrieval only until its
 * text changes.
 */
export const EMBED_JOB = 'assistant.embeddings.sweep';
export const EMBED_INTERVAL_MS = 5_000;
/** Documents per cell and pass (each a few requests): a large backlog is worked through over passes. */
const DOCUMENTS_PER_PASS = 10;
/** Inputs per embeddings request. */
const BATCH = 64;
const REQUEST_TIMEOUT_MS = 120_000;

export interface EmbeddingIndexDeps {
  stores: Stores;
  gateway: GatewayDeps;
  /** The embeddings alias (ENTENTE_CONFIG `aiRetrieval.embeddingModel`). */
  model: string;
  logger: Logger;
}

/**
 * A gateway call context for a request that is not HTTP, with the documents whose content it
 * carries (contracts C1: `content.documentIds`, read by the policy).
 */
export function internalCallContext(p: {
  signal?: AbortSignal;
  requestId?: string;
  ip?: string | null;
  documentIds?: readonly string[];
  errorBody?: CallContext['errorBody'];
  locale?: CallContext['locale'];
}): CallContext {
  // No documents (a question alone): the policy's default level applies (contracts C1).
  const ctx: CallContext = {
    requestId: p.requestId ?? uuidv7(),
    ip: p.ip ?? null,
    signal: p.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    errorBody: p.errorBody ?? ((error) => ({ error: { message: error.rawMessage ?? error.code, type: error.type, param: error.param, code: error.code } })),
    ...(p.documentIds ? { content: { documentIds: [...p.documentIds] } } : {}),
    ...(p.locale ? { locale: p.locale } : {}),
  };
  return ctx;
}

/** Embeds `texts` through the gateway (batches of BATCH); throws GatewayError as the gateway does. */
export async function embedTexts(gateway: GatewayDeps, actor: Actor, model: string, texts: readonly string[], ctx: () => CallContext): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = texts.slice(i, i + BATCH);
    const answer = await createEmbeddings(gateway, actor, { model, input: [...batch] }, ctx());
    const vectors = vectorsOf(answer, batch.length);
    if (!vectors) throw new GatewayError(502, { type: 'server_error', code: 'upstream_unavailable', params: { model } });
    out.push(...vectors);
  }
  return out;
}

/** Embeds one cell's pending documents (at most `limit`); returns how many documents were written. */
export async function embedPendingInCell(deps: EmbeddingIndexDeps, jurisdiction: Jurisdiction, limit = DOCUMENTS_PER_PASS): Promise<number> {
  const db = deps.stores.cells[jurisdiction].db;
  const pending = await findDocumentsToEmbed(db, deps.model, limit);
  const actor = embeddingServiceActor(jurisdiction);
  let written = 0;
  for (const doc of pending) {
    const passages = splitPassages(doc.body);
    const have = await findEmbeddedHashes(db, doc.document_id, deps.model);
    const keep: string[] = [];
    const missing: { hash: string; start: number; length: number; text: string }[] = [];
    const seen = new Set<string>();
    for (const p of passages) {
      const hash = passageHash(doc.title, p.text);
      if (seen.has(hash)) continue; // a passage repeated word for word is one row
      seen.add(hash);
      if (have.has(hash)) keep.push(hash);
      else missing.push({ hash, start: p.start, length: p.end - p.start, text: embeddedText(doc.title, p.text) });
    }
    let added: NewPassageEmbedding[] = [];
    let state: 'embedded' | 'refused' = 'embedded';
    try {
      const vectors = await embedTexts(
        deps.gateway,
        actor,
        deps.model,
        missing.map((m) => m.text),
        () => internalCallContext({ documentIds: [doc.document_id] }),
      );
      added = missing.map((m, i) => ({ contentHash: m.hash, start: m.start, length: m.length, embedding: vectors[i] as number[] }));
    } catch (error) {
      if (error instanceof GatewayError && error.status === 403) {
        // The policy refuses this document's content to the model: full text only for it.
        state = 'refused';
        keep.length = 0;
      } else {
        // Upstream down, quota, timeout: the next pass tries again; the rest of this cell waits too.
        deps.logger.warn({ documentId: doc.document_id, code: error instanceof GatewayError ? error.code : 'error', jurisdiction }, 'passage embeddings not computed');
        return written;
      }
    }
    const withVector = await hasVectorColumn(db);
    await db.transaction().execute((trx) =>
      replaceDocumentEmbeddings(trx, { documentId: doc.document_id, model: deps.model, changedAt: doc.changed_at, state, keep, added }, withVector),
    );
    for (const dimensions of new Set(added.map((a) => a.embedding.length))) await ensureHnsw(db, dimensions);
    written++;
  }
  return written;
}

/** One pass over both cells; returns how many documents were (re-)embedded. */
export async function embedPending(deps: EmbeddingIndexDeps, limit = DOCUMENTS_PER_PASS): Promise<number> {
  let written = 0;
  for (const jurisdiction of JURISDICTIONS) written += await embedPendingInCell(deps, jurisdiction, limit);
  return written;
}

export function registerPassageEmbeddings(jobs: JobRunner, deps: EmbeddingIndexDeps): void {
  jobs.register(EMBED_JOB, async () => {
    const written = await embedPending(deps);
    if (written > 0) deps.logger.debug({ written, model: deps.model }, 'passage embeddings caught up');
  });
  jobs.every(EMBED_JOB, EMBED_INTERVAL_MS);
}
