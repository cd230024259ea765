import { mod97Alphanumeric } from '../checksums.ts';
import type { Finding, Recogniser } from './recogniser.ts';
import { contextBefore } from './recogniser.ts';

/**
 * IBAN (ISO 13616), any country: 2-letter country code, 2 check digits, then the national account
 * number (letters and digits); valid when the rearranged number is 1 mod 97. For the countries of the
 * SWIFT registry listed here the length must also be the country's (FR 27, DE 22…); for the others any
 * length from 15 to 34 is accepted. Written compact or in groups of four (« FR76 3000 6000 0112 3456
 * 7890 189 »), upper case.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22,
  GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31,
  MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24,
  SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

export function ibanIsValid(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const expected = IBAN_LENGTHS[compact.slice(0, 2)];
  if (expected !== undefined && compact.length !== expected) return false;
  return mod97Alphanumeric(compact.slice(4) + compact.slice(0, 4)) === 1;
}

/** The two check digits for a country code and national account number (BBAN). */
export function ibanCheckDigits(country: string, bban: string): string {
  return String(98 - mod97Alphanumeric(`${bban}${country}00`)).padStart(2, '0');
}

export function validateIban(value: string): string | null {
  const compact = value.replace(/[\s\u00a0\u202f]/g, '');
  return ibanIsValid(compact) ? compact : null;
}

const START = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?=[ \u00a0\u202f]?[A-Z0-9])/gu;
const isAlnum = (c: string) => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
const isSpace = (c: string) => c === ' ' || c === '\u00a0' || c === '\u202f';
const glued = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

export const ibanRecogniser: Recogniser = {
  category: 'iban',
  find(text: string): Finding[] {
    const findings: Finding[] = [];
    START.lastIndex = 0;
    for (let match = START.exec(text); match !== null; match = START.exec(text)) {
      const start = match.index;
      // Walk the characters once: compact value and the end offset after each kept character.
      let compact = '';
      const ends: number[] = [];
      let i = start;
      while (i < text.length && compact.length < 34) {
        const c = text[i] as string;
        if (isAlnum(c)) {
          compact += c;
          ends.push(i + 1);
          i++;
        } else if (isSpace(c) && compact.length >= 4 && i + 1 < text.length && isAlnum(text[i + 1] as string)) i++;
        else break;
      }
      const expected = IBAN_LENGTHS[compact.slice(0, 2)];
      const lengths = expected !== undefined ? [expected] : Array.from({ length: compact.length - 14 }, (_, k) => compact.length - k);
      for (const length of lengths) {
        if (length > compact.length || length < 15) continue;
        const end = ends[length - 1] as number;
        if (glued(text[end])) continue;
        const candidate = compact.slice(0, length);
        if (!ibanIsValid(candidate)) continue;
        const context = contextBefore(text, start, /\b(?:iban|rib|compte|bancaire)\b/);
        findings.push({ category: 'iban', start, end, key: candidate, ...(context > 0 ? { context } : {}) });
        break;
      }
    }
    return findings;
  },
};
