/**
 * Ranking functions of retrieval, pure (no I/O): BM25 over candidate passages, and reciprocal rank
 * fusion to merge rankings from different retrievers (full text now; embeddings later).
 */

/** Term counts of one passage, as PostgreSQL's `entente_french` configuration stems them. */
export interface PassageTerms {
  /** Occurrences of each query lexeme in the passage (lexemes absent: not listed). */
  counts: Readonly<Record<string, number>>;
  /** Tokens that are not stop words in the passage (its length for BM25). */
  length: number;
}

export const BM25 = { k1: 1.2, b: 0.75 } as const;

/**
 * BM25 score of each passage for the query lexemes, with document frequencies taken over the
 * candidate passages themselves: no statistics of a cell's whole corpus are needed (nor leaked
 * across the agent's permissions), and a word found in every candidate weighs almost nothing —
 * what a question's common words (« agent », « public ») need.
 */
export function bm25Scores(passages: readonly PassageTerms[], lexemes: readonly string[]): number[] {
  const n = passages.length;
  if (n === 0) return [];
  const avgLength = passages.reduce((sum, p) => sum + p.length, 0) / n || 1;
  const idf = new Map<string, number>();
  for (const lexeme of lexemes) {
    const df = passages.reduce((count, p) => count + ((p.counts[lexeme] ?? 0) > 0 ? 1 : 0), 0);
    idf.set(lexeme, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  return passages.map((p) => {
    let score = 0;
    for (const lexeme of lexemes) {
      const tf = p.counts[lexeme] ?? 0;
      if (tf === 0) continue;
      const norm = tf + BM25.k1 * (1 - BM25.b + (BM25.b * p.length) / avgLength);
      score += ((idf.get(lexeme) ?? 0) * (tf * (BM25.k1 + 1))) / norm;
    }
    return score;
  });
}

/** The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009). */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each ranking (best first) gives an item 1 / (k + rank), rank from 1; the
 * sums decide. Items missing from a ranking get nothing from it. Ties keep the first ranking's
 * order. Returns the items with their fused score, best first.
 */
export function reciprocalRankFusion<T extends string>(rankings: readonly (readonly T[])[], k = RRF_K): { id: T; score: number }[] {
  const scores = new Map<T, number>();
  const firstSeen = new Map<T, number>();
  let order = 0;
  for (const ranking of rankings) {
    const seen = new Set<T>();
    ranking.forEach((id, i) => {
      if (seen.has(id)) return; // a ranking lists an item once; a repeat counts at its best rank
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1));
      if (!firstSeen.has(id)) firstSeen.set(id, order++);
    });
  }
  return [...scores.entries()]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (firstSeen.get(a.id) as number) - (firstSeen.get(b.id) as number));
}
