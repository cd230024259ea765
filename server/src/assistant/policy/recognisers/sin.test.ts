import { describe, expect, it } from 'vitest';
import { sinRecogniser, validateSin } from './sin.ts';

function luhnDigit(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((c, i) => {
    let d = Number(c);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return String((10 - (sum % 10)) % 10);
}
const found = (text: string) => sinRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('NAS / SIN (numéro d’assurance sociale)', () => {
  it('accepts Luhn-valid numbers with spaces, dashes or compact', () => {
    expect(validateSin('130 692 544')).toBe('130692544');
    for (const eight of ['13069254', '27345678', '46454286', '91234567']) {
      const sin = eight + luhnDigit(eight);
      expect(validateSin(sin)).toBe(sin);
      const spaced = `${sin.slice(0, 3)} ${sin.slice(3, 6)} ${sin.slice(6)}`;
      const dashed = spaced.replaceAll(' ', '-');
      expect(found(`NAS : ${spaced}.`)).toEqual([spaced]);
      expect(found(`SIN ${dashed}`)).toEqual([dashed]);
      expect(found(`(${sin})`)).toEqual([sin]);
    }
  });

  it('refuses typos, numbers starting with 0 or 8, mixed separators and wrong lengths', () => {
    for (let i = 0; i < 9; i++) {
      const typo = `130692544`.split('');
      typo[i] = String((Number(typo[i]) + 1) % 10);
      expect(validateSin(typo.join(''))).toBeNull();
    }
    const zero = `0${'4645428'}`;
    expect(validateSin(zero + luhnDigit(zero))).toBeNull();
    const eight = `8${'4645428'}`;
    expect(validateSin(eight + luhnDigit(eight))).toBeNull();
    expect(found('130 692-544')).toEqual([]);
    expect(found('130 692 5441')).toEqual([]);
    expect(found('1 130 692 544')).toEqual([]);
    expect(found('Montant : 130 692 544 $')).toEqual([]);
  });
});
