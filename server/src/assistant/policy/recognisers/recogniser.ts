import type { PiiCategory } from '../categories.ts';

/** One identifier found in a text: where it is, and a canonical form that identifies its value. */
export interface Finding {
  category: PiiCategory;
  start: number;
  end: number;
  /** The compact, normalised value (« 185057800608436 » for « 1 85 05 78 006 084 36 »). */
  key: string;
  /**
   * The preceding words name this kind of identifier (« NAS : », « SIREN »): how close the naming
   * word is (higher is closer), to break ties between two readings of the same digits.
   */
  context?: number;
}

export interface Recogniser {
  category: PiiCategory;
  find(text: string): Finding[];
}

/** Separators people put inside numbers: space, no-break spaces (U+00A0, U+202F), dot, hyphen. */
export const SEP = '[ \\u00a0\\u202f.\\-]';
/** Not glued to a letter or digit, nor to a digit followed by one separator (« 12 345 678 901 »). */
export const NUMBER_START = '(?<![\\p{L}\\p{N}_]|\\p{N}[ \\u00a0\\u202f.\\-])';
export const NUMBER_END = '(?![\\p{L}\\p{N}_]|[ \\u00a0\\u202f.\\-]\\p{N})';

export function digitsOnly(value: string): string {
  return value.replace(/\D+/g, '');
}

const CURRENCY_AFTER = /^[ \u00a0\u202f]?(?:€|\$|£|k€|M€|(?:EUR|CAD|USD|euros?|dollars?)(?![\p{L}]))/iu;
const CURRENCY_BEFORE = /(?:€|\$|£|EUR|CAD|USD)[ \u00a0\u202f]?$/;

/** « 123 456 789 € » is an amount, whatever its checksum says. */
export function looksLikeAmount(text: string, start: number, end: number): boolean {
  return CURRENCY_AFTER.test(text.slice(end, end + 8)) || CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 5), start));
}

const GLOBAL = new WeakMap<RegExp, RegExp>();

/**
 * Whether `pattern` (on lower-case, unaccented text) occurs in the few words before `start`: 0 when
 * not, else `window` minus the distance from the end of its last occurrence (closer is higher).
 */
export function contextBefore(text: string, start: number, pattern: RegExp, window = 48): number {
  const before = text
    .slice(Math.max(0, start - window), start)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  let global = GLOBAL.get(pattern);
  if (!global) {
    global = new RegExp(pattern.source, 'g');
    GLOBAL.set(pattern, global);
  }
  let last = -1;
  global.lastIndex = 0;
  for (let match = global.exec(before); match !== null; match = global.exec(before)) last = match.index + match[0].length;
  return last < 0 ? 0 : window - (before.length - last);
}

export interface ScanSpec {
  category: PiiCategory;
  /** A global, unicode pattern for candidates; each is then checked by `validate`. */
  pattern: RegExp;
  /** The canonical key of a valid candidate, or null. */
  validate: (candidate: string) => string | null;
  /** Skip candidates followed or preceded by a currency (digit identifiers). */
  rejectAmounts?: boolean;
  /** Words that name the identifier (lower case, unaccented), looked for just before it. */
  context?: RegExp;
}

/** The common loop of the pattern-then-check recognisers. */
export function scanner(spec: ScanSpec): Recogniser {
  if (!spec.pattern.global || !spec.pattern.unicode) throw new Error(`${spec.category}: the pattern must have the g and u flags`);
  // One instance, reset on each call (find is synchronous): a fresh RegExp or matchAll per call
  // costs more than the scan of a short message.
  const pattern = new RegExp(spec.pattern.source, spec.pattern.flags);
  return {
    category: spec.category,
    find(text: string): Finding[] {
      const findings: Finding[] = [];
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const start = match.index;
        const end = start + match[0].length;
        if (spec.rejectAmounts && looksLikeAmount(text, start, end)) continue;
        const key = spec.validate(match[0]);
        if (key === null) continue;
        const context = spec.context ? contextBefore(text, start, spec.context) : 0;
        findings.push({ category: spec.category, start, end, key, ...(context > 0 ? { context } : {}) });
      }
      return findings;
    },
  };
}
