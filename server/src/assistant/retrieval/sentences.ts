/**
 * French sentence splitting for extractive summaries and passages.
 *
 * A sentence ends at `.`, `!`, `?` or `…` (possibly followed by a closing « » », quote or
 * parenthesis) when a blank follows and the next sentence starts like one (a capital, a digit, an
 * opening « or quote), and always at a line break (content/text.ts writes one block per line).
 * It does not end after the abbreviations of administrative French (« M. », « Mme », « art. »,
 * « p. ex. », « cf. », « n° », months…), after one capital letter (initials « J. Dupont », articles
 * of codes « L. 123-4 »), nor inside numbers (« 3.5 », « 1 200,50 »).
 */
export interface Sentence {
  text: string;
  /** Offsets in the given text: `text === source.slice(start, end)`. */
  start: number;
  end: number;
  /** Index of the block (line) it belongs to, and whether it starts that block. */
  block: number;
  firstOfBlock: boolean;
}

const ABBREVIATIONS = new Set(
  (
    'm mm mme mmes mlle mlles me mgr dr pr st ste sts art arts al cf ex p pp ch chap vol env av bd boul min max ' +
    'janv fév févr avr juil sept oct nov déc no nos réf tél fax éd coll dir cie ltée inc ass gouv min ' +
    'approx c.-à-d i.e e.g etc.'
  ).split(' '),
);
// « etc. » often ends a sentence: it is not in the list above (the trailing dot makes it not match).

const END = /[.!?…]+(?:[\s\u00a0]*[»”"')\]])?/gu;

function wordBefore(text: string, index: number): string {
  const match = /([\p{L}\p{N}.-]+)$/u.exec(text.slice(Math.max(0, index - 20), index));
  return match ? (match[1] as string) : '';
}

function startsSentence(text: string, index: number): boolean {
  const rest = text.slice(index);
  const match = /^[\s\u00a0]+(\S)/u.exec(rest);
  // Anchored: fails at once on a non-blank character (`rest.trim()` would scan a long trailing
  // run of blanks at every full stop before it: quadratic on hostile text).
  if (!match) return /^[\s\u00a0]*$/u.test(rest);
  const ch = match[1] as string;
  return /[\p{Lu}\p{N}«"“(\-–—•]/u.test(ch);
}

function splitBlock(block: string): { start: number; end: number }[] {
  const cuts: number[] = [];
  for (const match of block.matchAll(END)) {
    const end = (match.index as number) + match[0].length;
    if (match[0].startsWith('.') && match[0].length === 1) {
      const before = wordBefore(block, match.index as number);
      const bare = before.toLowerCase();
      // Abbreviations, initials (one capital), and ordinal-like « 1. » inside a list are not ends.
      if (ABBREVIATIONS.has(bare) || /^\p{Lu}$/u.test(before)) continue;
      if (/^\d+$/u.test(before) && /^\d/u.test(block.slice(end).trimStart())) continue;
    }
    if (end < block.length && !startsSentence(block, end)) continue;
    cuts.push(end);
  }
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (const cut of [...cuts, block.length]) {
    if (cut <= start) continue;
    out.push({ start, end: cut });
    start = cut;
  }
  return out;
}

/** The sentences of a plain text, in order, trimmed, with their offsets. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let offset = 0;
  let block = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') {
      let first = true;
      for (const piece of splitBlock(line)) {
        const raw = line.slice(piece.start, piece.end);
        const lead = raw.length - raw.trimStart().length;
        const trimmed = raw.trim();
        if (trimmed === '') continue;
        const start = offset + piece.start + lead;
        out.push({ text: trimmed, start, end: start + trimmed.length, block, firstOfBlock: first });
        first = false;
      }
      block++;
    }
    offset += line.length + 1;
  }
  return out;
}
