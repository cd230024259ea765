import { createHash } from 'node:crypto';

/** Pure helpers of passage embeddings: what is embedded for a passage, its hash, cosine similarity. */

/** The text embedded for a passage: its document's title on the first line (the title answers for the page), then the passage. */
export function embeddedText(title: string, passage: string): string {
  return `${title}\n${passage}`;
}

/** The key of a stored embedding: sha256 (hex) of the embedded text. A changed passage stops matching. */
export function passageHash(title: string, passage: string): string {
  return createHash('sha256').update(embeddedText(title, passage)).digest('hex');
}

/** Cosine similarity; 0 when either vector is null or the dimensions differ. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * The vectors of an OpenAI embeddings answer, in input order; null when it is not one (wrong
 * count, a non-number, dimensions that differ): an unreadable answer is never stored.
 */
export function vectorsOf(answer: unknown, expected: number): number[][] | null {
  const data = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== expected) return null;
  const out = new Array<number[]>(expected);
  for (const [i, item] of data.entries()) {
    const index = typeof (item as { index?: unknown })?.index === 'number' ? ((item as { index: number }).index as number) : i;
    const embedding = (item as { embedding?: unknown })?.embedding;
    if (!Array.isArray(embedding) || embedding.length === 0 || embedding.length > 16_000 || index < 0 || index >= expected) return null;
    if (!embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
    out[index] = embedding as number[];
  }
  const dims = out[0]?.length;
  if (out.some((v) => !v || v.length !== dims)) return null;
  return out;
}
