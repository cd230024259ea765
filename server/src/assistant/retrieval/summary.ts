import { type Sentence, splitSentences } from './sentences.ts';

/**
 * Extractive summary: the document's own key sentences, in document order — what « summarise »
 * gives when no model is configured, labelled as such. No model, no I/O.
 *
 * Method (TF-IDF sentence scoring with a position bonus):
 * 1. Sentences from sentences.ts; terms are words of 3+ letters, lower-cased, accents folded, a
 *    final plural -s/-x dropped, French stop words removed.
 * 2. Each sentence is one « document » for IDF: idf(w) = ln(1 + N / sf(w)) where sf(w) is the
 *    number of sentences with w. A term's weight is its frequency in the whole text × its idf: the
 *    words the text keeps coming back to, but not those in every sentence.
 * 3. score(s) = Σ weights of the distinct terms of s / √(terms of s) — long sentences do not win
 *    by length alone — × (1 + 0.5 if s is among the first 15 % of sentences, + 0.2 if it opens its
 *    paragraph). A sentence of fewer than 5 words or without final punctuation (a heading, a line
 *    of a table) is not chosen.
 * 4. The best k, k = clamp(round(N / 5), 3, 7) unless asked, are returned in document order.
 *    A text of at most k sentences is returned whole.
 */
export interface SummarySentence {
  text: string;
  start: number;
  end: number;
  score: number;
}

export const SUMMARY_MIN = 3;
export const SUMMARY_MAX = 7;

const STOP_WORDS = new Set(
  (
    'alors aussi autre autres avant avec avoir bien car ceci cela celle celles celui ces cet cette ceux chaque comme comment dans ' +
    'depuis des donc dont elle elles encore entre est etaient etait etant etre eux fait faire fois font hors ici ils leur leurs lors ' +
    'mais meme memes moins nos notre nousont par parce pas peu peut plus pour pourquoi quand que quel quelle quelles quels qui ' +
    'sans selon ses sera seront ses son sont sous tandis tant tel telle telles tels tes tous tout toute toutes tres une vers voici voila ' +
    'vos votre vous ainsi apres afin aupres aux avait ayant cas ces deja deux doit doivent dont elle entre etc ete etre faut lui ' +
    'nous ont pendant peuvent puis sur the and les des une aux par leur ses son sur est sont qui que'
  ).split(' '),
);

export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const match of text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    let word = match[0];
    if (word.length < 3 || /^\d+$/u.test(word) || STOP_WORDS.has(word)) continue;
    if (word.length > 4 && /[sx]$/u.test(word)) word = word.slice(0, -1);
    out.push(word);
  }
  return out;
}

export function defaultSummaryLength(sentences: number): number {
  return Math.min(SUMMARY_MAX, Math.max(SUMMARY_MIN, Math.round(sentences / 5)));
}

export function scoreSentences(sentences: readonly Sentence[]): number[] {
  const n = sentences.length;
  const terms = sentences.map((s) => termsOf(s.text));
  const frequency = new Map<string, number>();
  const sentenceFrequency = new Map<string, number>();
  for (const list of terms) {
    for (const t of list) frequency.set(t, (frequency.get(t) ?? 0) + 1);
    for (const t of new Set(list)) sentenceFrequency.set(t, (sentenceFrequency.get(t) ?? 0) + 1);
  }
  const early = Math.max(1, Math.ceil(n * 0.15));
  return sentences.map((s, i) => {
    const list = terms[i] as string[];
    const words = s.text.split(/\s+/u).length;
    // Headings and table lines: short, or without final punctuation.
    if (words < 5 || list.length === 0 || !/[.!?…»")]$/u.test(s.text)) return 0;
    let sum = 0;
    for (const t of new Set(list)) sum += (frequency.get(t) ?? 0) * Math.log(1 + n / (sentenceFrequency.get(t) ?? 1));
    const bonus = 1 + (i < early ? 0.5 : 0) + (s.firstOfBlock ? 0.2 : 0);
    return (sum / Math.sqrt(list.length)) * bonus;
  });
}

/** The key sentences of `text`, in document order. */
export function extractiveSummary(text: string, options: { sentences?: number } = {}): SummarySentence[] {
  const sentences = splitSentences(text);
  const k = options.sentences ?? defaultSummaryLength(sentences.length);
  const scores = scoreSentences(sentences);
  const all = sentences.map((s, i) => ({ text: s.text, start: s.start, end: s.end, score: round(scores[i] as number) }));
  if (sentences.length <= k) return all;
  const chosen = all
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.score > 0)
    .sort((a, b) => b.s.score - a.s.score || a.i - b.i)
    .slice(0, k)
    .sort((a, b) => a.i - b.i);
  return chosen.map(({ s }) => s);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
