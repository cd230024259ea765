/**
 * What an agent types into the search box, turned into the text of a `tsquery` for
 * `to_tsquery('entente_french', $1)` — always passed as a bound parameter, never spliced into SQL.
 *
 * Supported, like websearch_to_tsquery plus « as you type »:
 * - words: all must match (`&`); French stemming and accents are the configuration's business;
 * - "quoted phrases": words next to each other, in order (`<->`);
 * - `-word` or `-"phrase"`: must not match (at least one positive term is required);
 * - `OR` between two terms: either;
 * - the last word, when the agent has not typed a space after it yet, matches as a prefix (`:*`);
 * - elisions (l’école, d'accord) keep the word after the apostrophe; in a phrase the elided
 *   article stays as a word too (a stop word, which PostgreSQL counts as one position), so that
 *   "déclaration d’intention" finds the text where « d » sits between the two words.
 *
 * Safety: the only characters that reach the query text are letters, digits and marks (Unicode
 * L, N, M) inside lexemes, plus the operators this function writes itself. `'`, `&`, `|`, `!`,
 * `:`, `*`, `<`, `>`, `(`, `)` and backslashes typed by the agent are separators, so no input can
 * change the query's structure nor make PostgreSQL refuse it.
 */
export const QUERY_MAX_CHARS = 200;
export const MAX_TERMS = 16;
const MAX_LEXEME_CHARS = 100;

interface Term {
  words: string[];
  negated: boolean;
  prefix: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const ELISION = /^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]/iu;

function wordsOf(text: string, phrase = false): string[] {
  const out: string[] = [];
  for (const chunk of text.split(/\s+/u)) {
    const elided = ELISION.exec(chunk)?.[0];
    if (phrase && elided) out.push(elided.slice(0, -1).toLowerCase());
    const bare = chunk.replace(ELISION, '');
    for (const match of bare.matchAll(WORD)) if (/[\p{L}\p{N}]/u.test(match[0])) out.push(match[0].slice(0, MAX_LEXEME_CHARS));
  }
  return out;
}

/** The tsquery text for `input`, or null when there is nothing to look for. */
export function toTsQuery(input: string): string | null {
  const text = input.normalize('NFC').slice(0, QUERY_MAX_CHARS);
  // Tokens: "phrase" (an unterminated quote runs to the end), or a run of non-blank characters.
  const tokens = [...text.matchAll(/(-?)"([^"]*)"?|(\S+)/gu)];
  const groups: Term[][] = [];
  let orNext = false;
  tokens.forEach((token, index) => {
    const isLast = index === tokens.length - 1;
    let term: Term;
    if (token[2] !== undefined) {
      term = { words: wordsOf(token[2], true), negated: token[1] === '-', prefix: false };
    } else {
      const raw = token[3] as string;
      if (raw === 'OR' && groups.length > 0) {
        orNext = true;
        return;
      }
      const negated = raw.startsWith('-') && raw.length > 1;
      // As you type: the last word is a prefix until a blank follows it.
      const prefix = isLast && !negated && !/\s$/u.test(text);
      term = { words: wordsOf(negated ? raw.slice(1) : raw), negated, prefix };
    }
    if (term.words.length === 0) return;
    const previous = groups.at(-1);
    if (orNext && previous && !term.negated && !previous.some((t) => t.negated)) previous.push(term);
    else groups.push([term]);
    orNext = false;
  });
  const kept = groups.slice(0, MAX_TERMS);
  if (!kept.some((group) => group.some((t) => !t.negated))) return null;
  const render = (t: Term) => {
    const words = t.words.map((w, i) => (t.prefix && i === t.words.length - 1 ? `${w}:*` : w));
    const body = words.length === 1 ? (words[0] as string) : `(${words.join(' <-> ')})`;
    return t.negated ? `!${body}` : body;
  };
  return kept.map((group) => (group.length === 1 ? render(group[0] as Term) : `(${group.map(render).join(' | ')})`)).join(' & ');
}

/** Highlight markers for ts_headline: private-use characters, removed from every indexed text. */
export const MARK_START = '\uE000';
export const MARK_STOP = '\uE001';
export const MARKERS = `${MARK_START}${MARK_STOP}`;

export function withoutMarkers(text: string): string {
  return text.replaceAll(MARK_START, '').replaceAll(MARK_STOP, '');
}

export interface Segment {
  text: string;
  match: boolean;
}

/** A ts_headline answer as plain segments: the client renders text nodes and <mark>, never HTML. */
export function segmentsOf(headline: string): Segment[] {
  const out: Segment[] = [];
  let match = false;
  let current = '';
  const push = () => {
    if (current) out.push({ text: current, match });
    current = '';
  };
  for (const ch of headline) {
    if (ch === MARK_START || ch === MARK_STOP) {
      push();
      match = ch === MARK_START;
    } else current += ch;
  }
  push();
  // Adjacent segments of the same kind (a phrase's words) read better as one.
  return out.reduce<Segment[]>((merged, s) => {
    const last = merged.at(-1);
    if (last && last.match === s.match) last.text += s.text;
    else merged.push({ ...s });
    return merged;
  }, []);
}

/**
 * A search result's snippet as the page shows it. The indexed text has a line per paragraph, heading or
 * list item and a tab between table cells (content/text.ts); a page collapses them to spaces, and
 * « Suivi Lot Applications » reads as one phrase: a visible separator instead, none at the edges.
 * (The assistant's passages keep their text exactly: they are found again in the document.)
 */
export function snippetSegments(headline: string): Segment[] {
  const merged = segmentsOf(headline);
  for (const s of merged) if (!s.match) s.text = s.text.replace(/[ ]*[\t\n][\s]*/g, ' · ');
  const first = merged[0];
  if (first && !first.match) first.text = first.text.replace(/^ · /, '');
  const last = merged.at(-1);
  if (last && !last.match) last.text = last.text.replace(/ · $/, '');
  return merged.filter((s) => s.text !== '');
}
