import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Stores } from '../../platform/db/stores.ts';
import { GatewayError } from '../gateway/errors.ts';
import type { CallContext, GatewayDeps } from '../gateway/gateway.ts';
import type { CandidatePassage, Ranked, Ranker } from '../retrieval/retrieval.ts';
import { similaritiesOf } from './embeddings.repo.ts';
import { embedTexts } from './indexer.ts';
import { cosine, passageHash } from './vectors.ts';

/**
 * The embedding ranking of hybrid retrieval: the question is embedded through the gateway as the
 * asking agent (their scope, quotas and audit), then compared with the stored embeddings of the
 * CANDIDATE passages only — those retrieval already took from the documents the agent may read
 * now (readableTextsFor). A document the agent cannot read is never a candidate, so it can
 * neither be ranked nor leak through a similarity. With pgvector the database computes the
 * cosine (`<=>`); without (CI's PostgreSQL) the application does, over the same rows.
 *
 * What happened is written to `outcome`: `hybrid` when the ranking had at least one passage;
 * otherwise `reason` says why retrieval stayed on full text (question refused or embedding
 * failed, the stored similarities could not be read, nothing embedded yet among the candidates).
 */
export interface EmbeddingOutcome {
  used: boolean;
  reason: 'not_configured' | 'not_indexed' | 'embedding_failed' | 'similarity_failed' | 'refused' | null;
}

export function embeddingRanker(
  deps: { stores: Stores; gateway: GatewayDeps; model: string },
  actor: Actor,
  question: string,
  ctx: () => CallContext,
  outcome: EmbeddingOutcome,
): Ranker {
  return async (candidates: readonly CandidatePassage[]): Promise<Ranked[]> => {
    let query: number[];
    try {
      query = (await embedTexts(deps.gateway, actor, deps.model, [question], ctx))[0] as number[];
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      outcome.reason = error.status === 403 ? 'refused' : 'embedding_failed';
      return [];
    }
    const keyOf = new Map<string, string>();
    const byCell = new Map<string, { documentId: string; contentHash: string }[]>();
    for (const c of candidates) {
      const contentHash = passageHash(c.title, c.text);
      keyOf.set(`${c.documentId}:${contentHash}`, c.key);
      const list = byCell.get(c.jurisdiction) ?? [];
      list.push({ documentId: c.documentId, contentHash });
      byCell.set(c.jurisdiction, list);
    }
    // Each cell's passages are compared in that cell's own database. If that fails (a database
    // error), the answer goes on with full text alone and says so: hybrid is an improvement, not a
    // condition of answering.
    let found: Awaited<ReturnType<typeof similaritiesOf>>[];
    try {
      found = await Promise.all(
        JURISDICTIONS.filter((j) => byCell.has(j)).map((j) => similaritiesOf(deps.stores.cells[j].db, deps.model, query, byCell.get(j) ?? [], cosine)),
      );
    } catch (error) {
      deps.gateway.logger.warn({ model: deps.model, error: (error as Error)?.message }, 'embedding similarity failed: full text only');
      outcome.reason = 'similarity_failed';
      return [];
    }
    const ranked = new Map<string, number>();
    for (const row of found.flat()) {
      const key = keyOf.get(`${row.document_id}:${row.content_hash}`);
      if (key !== undefined) ranked.set(key, Math.max(row.similarity, ranked.get(key) ?? Number.NEGATIVE_INFINITY));
    }
    const order = [...ranked.entries()].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
    outcome.used = order.length > 0;
    if (!outcome.used && outcome.reason === null) outcome.reason = 'not_indexed';
    return order;
  };
}
