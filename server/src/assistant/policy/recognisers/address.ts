import { POSTAL_CODE_CA, POSTAL_CODE_FR } from './postal-code.ts';
import { scanner } from './recogniser.ts';

/**
 * Postal addresses — a HEURISTIC, not a check: a street number (« 20 », « 20 bis », « 1037, »), a
 * type de voie (rue, avenue, boulevard, chemin, place, allée, impasse, route, quai, cours, rang,
 * montée, côte…), then within 80 characters on at most two lines a French postal code with its
 * city (« 75007 Paris », « 93200 Saint-Denis Cedex ») or a Canadian one (« Québec (Québec) G1R 4Y4 »).
 * The finding spans from the number to the postal code (and the French city after it). An address
 * without a postal code, or with the postal code before the street, is not found.
 */
const VOIE_WORDS = [
  'rue', 'avenue', 'av.', 'boulevard', 'boul.', 'bd', 'chemin', 'ch.', 'place', 'pl.', 'allée', 'allee', 'impasse', 'route', 'rte', 'quai',
  'cours', 'passage', 'square', 'rang', 'montée', 'montee', 'côte', 'cote', 'croissant', 'promenade', 'voie', 'sentier', 'esplanade',
  'parvis', 'rond-point', 'faubourg', 'terrasse', 'cité', 'résidence', 'hameau', 'chaussée', 'lieu-dit', 'carré',
];
const escapeDots = (word: string) => word.replace(/\./g, '\\.');
/** Lower case, capitalised or upper case (no `i` flag: it would make \p{Lu} match any letter). */
const VOIE = `(?:${VOIE_WORDS.flatMap((w) => [w, w.charAt(0).toUpperCase() + w.slice(1), w.toUpperCase()]).map(escapeDots).join('|')})`;
const NUMBER = '\\d{1,5}(?:[ \\u00a0-]?(?:bis|ter|quater|[A-Ha-h])(?![\\p{L}]))?,?';
/** Anything but an @ or a blank line, lazily: the nearest postal code ends the address. */
const GAP = '(?:[^@\\n]|\\n(?![ \\t]*\\n)){1,80}?';
const CITY = "(?:[ \\u00a0]+\\p{Lu}[\\p{L}'’\\-]*(?:[ \\u00a0]+(?:\\p{Lu}[\\p{L}'’\\-]*|sur|sous|en|lès|CEDEX|Cedex)){0,2}(?:[ \\u00a0]+\\d{1,2}(?!\\p{N}))?)?";
const PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}_]|\\p{N}[ \\u00a0.,-])${NUMBER}[ \\u00a0]+${VOIE}(?![\\p{L}])${GAP}(?<![\\p{N}])(?:${POSTAL_CODE_FR}(?![\\p{N}])${CITY}|${POSTAL_CODE_CA}(?![\\p{L}\\p{N}]))`,
  'gu',
);

export const addressRecogniser = scanner({
  category: 'address',
  pattern: PATTERN,
  // Same street and postal code: the same address, however the middle is written.
  validate: (candidate) =>
    candidate
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[\s,.]+/g, ' ')
      .trim(),
});
