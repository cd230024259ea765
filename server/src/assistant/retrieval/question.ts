/**
 * A question in natural language → the words worth looking for, and the text of an OR `tsquery`.
 *
 * A question is not a search-box query: « Quel est le délai de conservation des journaux ? » must
 * find a passage that has « conservation » and « journaux » but not « quel ». So every word counts
 * on its own (OR), and the documents and passages that have more of them, and rarer ones, rank
 * first (rank.ts). The French stop words (le, de, est, pour…) are dropped by PostgreSQL's
 * `french` stop list inside `entente_french`; the question words it does not know (quel, comment,
 * pourquoi, combien, faut-il…) are dropped here.
 *
 * Safety as in workspace/search/query.ts: only letters, digits and marks reach the query text,
 * joined by ` | ` written here; the text is always bound as a parameter.
 */
export const QUESTION_MAX_CHARS = 500;
export const QUESTION_MAX_TERMS = 24;
const MAX_WORD_CHARS = 60;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const ELISION = /^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]/iu;

/** Question words and verbs of asking: they say what kind of answer is wanted, not what it is about. */
const QUESTION_WORDS = new Set(
  (
    'quel quelle quels quelles lequel laquelle lesquels lesquelles comment pourquoi quand combien ou où quoi dont ' +
    'est-ce faut faudrait doit doivent dois devons devez peut peuvent puis pouvons pouvez peux ' +
    'existe existent sait savoir dire indiquer expliquer quelqu chose cela ça ceci celui celle ceux celles ' +
    'what which who how why when where does do is are the of'
  ).split(' '),
);

const fold = (word: string) =>
  word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
const FOLDED_QUESTION_WORDS = new Set([...QUESTION_WORDS].map(fold));

/** The distinct content words of a question, in order, question words removed (stop words stay: PostgreSQL drops them). */
export function questionWords(question: string): string[] {
  const text = question.normalize('NFC').slice(0, QUESTION_MAX_CHARS);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const chunk of text.split(/[\s\-–—/]+/u)) {
    const bare = chunk.replace(ELISION, '');
    for (const match of bare.matchAll(WORD)) {
      const word = match[0].slice(0, MAX_WORD_CHARS);
      if (!/[\p{L}\p{N}]/u.test(word)) continue;
      const key = fold(word);
      if (FOLDED_QUESTION_WORDS.has(key) || seen.has(key)) continue;
      seen.add(key);
      out.push(word);
      if (out.length === QUESTION_MAX_TERMS) return out;
    }
  }
  return out;
}

/** `a | b | c` for `to_tsquery('entente_french', …)`, or null when nothing is left to look for. */
export function orQuery(words: readonly string[]): string | null {
  return words.length === 0 ? null : words.join(' | ');
}
