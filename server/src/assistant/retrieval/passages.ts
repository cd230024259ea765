import { splitSentences } from './sentences.ts';

/**
 * A document's indexed text (content/text.ts: top-level blocks separated by a blank line, one line
 * per paragraph, heading or list item) cut into passages a citation can point at.
 *
 * - Blocks are kept whole and gathered, in order, until a passage reaches `target` characters; a
 *   short block that looks like a heading (no final punctuation) always joins the block after it,
 *   so a passage carries its heading's words, and opens a new passage (unless the current one is tiny).
 * - A block longer than `max` is cut between sentences (sentences.ts), never inside one unless a
 *   single sentence is longer than `max` (then at a blank).
 * - Offsets are into the indexed text: `text === body.slice(start, end)`. They are stable as long
 *   as the text before the passage does not change; `quote` (the passage's first words) lets a
 *   client find the passage in the live document even when it has moved (a W3C text-quote anchor).
 */
export interface Passage {
  /** 0-based, in document order. */
  index: number;
  start: number;
  end: number;
  text: string;
}

export const PASSAGE_TARGET_CHARS = 420;
export const PASSAGE_MAX_CHARS = 900;

interface Span {
  start: number;
  end: number;
}

function blocksOf(body: string): Span[] {
  const out: Span[] = [];
  const re = /\n{2,}/gu;
  let start = 0;
  for (const match of body.matchAll(re)) {
    out.push({ start, end: match.index as number });
    start = (match.index as number) + match[0].length;
  }
  out.push({ start, end: body.length });
  return out
    .map((s) => trimSpan(body, s))
    .filter((s) => s.end > s.start);
}

function trimSpan(body: string, s: Span): Span {
  let { start, end } = s;
  while (start < end && /\s/u.test(body[start] as string)) start++;
  while (end > start && /\s/u.test(body[end - 1] as string)) end--;
  return { start, end };
}

/** Cuts a long block between sentences into spans of at most `max` characters. */
function cutLong(body: string, block: Span, max: number): Span[] {
  const text = body.slice(block.start, block.end);
  const sentences = splitSentences(text);
  const pieces: Span[] = [];
  let current: Span | null = null;
  for (const s of sentences) {
    const span = { start: block.start + s.start, end: block.start + s.end };
    if (current && span.end - current.start <= max) current.end = span.end;
    else {
      if (current) pieces.push(current);
      current = span;
    }
  }
  if (current) pieces.push(current);
  // A single sentence longer than max: cut at blanks.
  return pieces.flatMap((p) => {
    const out: Span[] = [];
    let start = p.start;
    while (p.end - start > max) {
      const window = body.slice(start, start + max);
      const blank = window.lastIndexOf(' ');
      const cut = blank > max / 2 ? start + blank : start + max;
      out.push({ start, end: cut });
      start = cut;
      while (start < p.end && body[start] === ' ') start++;
    }
    if (p.end > start) out.push({ start, end: p.end });
    return out;
  });
}

const looksLikeHeading = (text: string) => text.length < 120 && !/[.!?…:;»)]$/u.test(text) && !text.includes('\n');

export function splitPassages(body: string, options: { target?: number; max?: number } = {}): Passage[] {
  const target = options.target ?? PASSAGE_TARGET_CHARS;
  const max = options.max ?? PASSAGE_MAX_CHARS;
  const spans = blocksOf(body).flatMap((b) => (b.end - b.start > max ? cutLong(body, b, max) : [b]));
  const passages: Span[] = [];
  let current: Span | null = null;
  let holdsHeadingOnly = false;
  for (const span of spans) {
    const text = body.slice(span.start, span.end);
    const heading = looksLikeHeading(text);
    // A heading opens a new passage (it belongs with what follows), unless the current one is still tiny.
    const opensNew = heading && current !== null && !holdsHeadingOnly && current.end - current.start >= target / 3;
    if (current && !opensNew && (holdsHeadingOnly || current.end - current.start < target) && span.end - current.start <= max) {
      current.end = span.end;
    } else {
      if (current) passages.push(current);
      current = { ...span };
    }
    holdsHeadingOnly = current.start === span.start && heading;
  }
  if (current) passages.push(current);
  return passages.map((p, index) => ({ index, start: p.start, end: p.end, text: body.slice(p.start, p.end) }));
}

/** The first words of a passage (at most `chars` characters, cut at a blank): its text-quote anchor. */
export function quoteOf(text: string, chars = 80): string {
  const oneLine = text.replace(/\s+/gu, ' ').trim();
  if (oneLine.length <= chars) return oneLine;
  const cut = oneLine.lastIndexOf(' ', chars);
  return oneLine.slice(0, cut > chars / 2 ? cut : chars);
}
