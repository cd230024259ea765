/**
 * Deterministic embeddings for tests and the retrieval bench: a hashed bag of crudely stemmed
 * words, NOT a language model. Each word is lower-cased, its accents dropped, French stop words
 * and words under 3 letters skipped, a few French endings cut (-ement, -ation, -s…) and the stem
 * kept to its first 6 letters; each stem adds 1 + ln(count) to one of DIMENSIONS coordinates
 * chosen by its FNV-1a hash (with a sign from another bit, so collisions cancel rather than pile
 * up), and the vector is scaled to length 1. Two texts are close when they share stems: this
 * captures word overlap and some inflection (« télétravailler » ~ « télétravail »), never synonymy
 * (« congé » is not close to « vacances »). Figures measured with it say whether the hybrid
 * machinery works, not what a real embedding model would give.
 */
export const BAG_OF_WORDS_DIMENSIONS = 256;

const STOP = new Set(
  'les des une pour par sur dans avec aux est sont qui que quoi dont plus moins ses leur leurs nous vous ils elles elle cette ces cet tout tous toute toutes pas peut doit faut etre avoir ete fait comme mais ainsi entre sans sous chez quel quelle quels quelles comment combien quand pourquoi the and for with are this that what how'.split(
    ' ',
  ),
);
const ENDINGS = ['issements', 'issement', 'ations', 'ation', 'ements', 'ement', 'ments', 'ment', 'euses', 'euse', 'eurs', 'eur', 'ites', 'ite', 'iques', 'ique', 'ees', 'ee', 'es', 'er', 's', 'e', 'x'];

export function stemsOf(text: string): string[] {
  const out: string[] = [];
  const words = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .split(/[^\p{L}\p{N}]+/u);
  for (const word of words) {
    if (word.length < 3 || STOP.has(word)) continue;
    let stem = word;
    for (const ending of ENDINGS) {
      if (stem.endsWith(ending) && stem.length - ending.length >= 3) {
        stem = stem.slice(0, -ending.length);
        break;
      }
    }
    out.push(stem.slice(0, 6));
  }
  return out;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function bagOfWordsEmbedding(text: string, dimensions = BAG_OF_WORDS_DIMENSIONS): number[] {
  const counts = new Map<string, number>();
  for (const stem of stemsOf(text)) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  const v = new Array<number>(dimensions).fill(0);
  for (const [stem, count] of counts) {
    const h = fnv1a(stem);
    v[h % dimensions] = (v[h % dimensions] as number) + (h & 0x80000000 ? -1 : 1) * (1 + Math.log(count));
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v : v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}
