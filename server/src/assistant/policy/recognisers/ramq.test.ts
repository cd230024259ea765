import { describe, expect, it } from 'vitest';
import { ramqRecogniser, validateRamq } from './ramq.ts';

const found = (text: string) => ramqRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('RAMQ (numéro d’assurance maladie du Québec)', () => {
  it('accepts 4 letters and a plausible birth date, the month plus 50 for women', () => {
    expect(validateRamq('TREM 5401 1512')).toBe('TREM54011512'); // a man born 15 January 1954
    expect(validateRamq('GAGM 7562 3022')).toBe('GAGM75623022'); // a woman born 30 December 1975
    expect(validateRamq('ROYJ00022911')).toBe('ROYJ00022911'); // 29 February (2000)
    expect(found('Carte d’assurance maladie : TREM 5401 1512, expire en 2027.')).toEqual(['TREM 5401 1512']);
    expect(found('RAMQ GAGM75623022')).toEqual(['GAGM75623022']);
  });

  it('refuses impossible dates, missing letters and lower case', () => {
    for (const bad of ['TREM 5413 1512', 'TREM 5400 1512', 'TREM 5463 1512', 'TREM 5450 1512', 'TREM 5402 3012', 'TREM 5404 3112', 'TREM 5401 0012', 'TRE 5401 1512', 'TREM 5401 151']) {
      expect(validateRamq(bad)).toBeNull();
    }
    expect(found('trem 5401 1512')).toEqual([]);
    expect(found('XTREM 5401 1512')).toEqual([]);
  });
});
