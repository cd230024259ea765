import { describe, expect, it } from 'vitest';
import { spiRecogniser, validateSpi } from './spi.ts';

const check = (ten: string) => String(BigInt(ten) % 511n).padStart(3, '0');
const found = (text: string) => spiRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('numéro fiscal de référence (SPI)', () => {
  it('accepts the published example and numbers whose last three digits are the first ten mod 511', () => {
    expect(validateSpi('3023217600053')).toBe('3023217600053');
    expect(check('3023217600')).toBe('053');
    for (const ten of ['0123456789', '1987654321', '2400000001', '3999999999']) {
      const spi = ten + check(ten);
      expect(validateSpi(spi)).toBe(spi);
      const grouped = `${spi.slice(0, 2)} ${spi.slice(2, 4)} ${spi.slice(4, 7)} ${spi.slice(7, 10)} ${spi.slice(10)}`;
      expect(found(`Numéro fiscal : ${grouped}`)).toEqual([grouped]);
    }
  });

  it('refuses typos, a first digit above 3 and wrong lengths', () => {
    expect(validateSpi('3023217600054')).toBeNull();
    for (let i = 0; i < 10; i++) {
      const typo = `3023217600053`.split('');
      typo[i] = String((Number(typo[i]) + 1) % 10);
      if (Number(typo[0]) <= 3) expect(validateSpi(typo.join(''))).toBeNull();
    }
    const nine = '9701987765';
    expect(validateSpi(nine + check(nine))).toBeNull();
    expect(validateSpi('302321760005')).toBeNull();
    expect(found('30232176000531')).toEqual([]);
  });
});
