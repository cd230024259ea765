import { describe, expect, it } from 'vitest';
import { phoneFrRecogniser, validatePhoneFr } from './phone-fr.ts';

const found = (text: string) => phoneFrRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('French telephone numbers', () => {
  it('accepts the usual writings and gives them one key', () => {
    const writings = ['01 23 45 67 89', '01.23.45.67.89', '01-23-45-67-89', '0123456789', '+33 1 23 45 67 89', '+33 (0)1 23 45 67 89', '+33123456789', '0033 1 23 45 67 89'];
    for (const w of writings) {
      expect(validatePhoneFr(w)).toBe('0123456789');
      expect(found(`Tél. : ${w}.`)).toEqual([w]);
    }
    expect(found('portable 06 12 34 56 78, fixe 05 56 00 00 00')).toEqual(['06 12 34 56 78', '05 56 00 00 00']);
  });

  it('refuses bad lengths, a 0 after the prefix, and digits glued around', () => {
    for (const bad of ['01 23 45 67 8', '01 23 45 67 89 10', '00 23 45 67 89', '+33 0 23 45 67 89', '1 23 45 67 89', 'ref0123456789', '01234567890']) expect(found(bad)).toEqual([]);
    expect(validatePhoneFr('+33 0 23 45 67 89')).toBeNull();
  });
});
