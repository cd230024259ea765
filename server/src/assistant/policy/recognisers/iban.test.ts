import { describe, expect, it } from 'vitest';
import { ibanRecogniser, validateIban } from './iban.ts';

/** ISO 13616 check digits, with BigInt here, independently of the module. */
function checkDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return String(98n - (BigInt(rearranged) % 97n)).padStart(2, '0');
}
const make = (country: string, bban: string) => `${country}${checkDigits(country, bban)}${bban}`;
const grouped = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');
const found = (text: string) => ibanRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('IBAN', () => {
  it('accepts IBANs of any country by mod 97, compact or in groups of four', () => {
    expect(validateIban('FR76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
    const cases = [make('FR', '20041010050500013M02606'), make('DE', '370400440532013000'), make('BE', '539007547034'), make('CH', '0483000000000000A'.slice(0, 17)), make('GB', 'NWBK60161331926819'), make('CA', '0012345678901234')];
    for (const iban of cases) {
      expect(validateIban(iban)).toBe(iban);
      expect(found(`IBAN : ${grouped(iban)}.`)).toEqual([grouped(iban)]);
      expect(found(`virement sur ${iban} demain`)).toEqual([iban]);
    }
  });

  it('stops at the country length even when a capitalised word follows', () => {
    const iban = grouped(make('FR', '30006000011234567890189'));
    expect(found(`RIB ${iban} AVANT le 3 mars`)).toEqual([iban]);
  });

  it('refuses typos, swapped digits, wrong lengths for the country and lower-case or glued text', () => {
    const iban = make('FR', '30006000011234567890189');
    for (let i = 2; i < iban.length; i++) {
      const c = iban[i] as string;
      if (!/\d/.test(c)) continue;
      expect(validateIban(iban.slice(0, i) + ((Number(c) + 1) % 10) + iban.slice(i + 1))).toBeNull();
      if (i + 1 < iban.length && iban[i + 1] !== c && /\d/.test(iban[i + 1] as string)) expect(validateIban(iban.slice(0, i) + iban[i + 1] + c + iban.slice(i + 2))).toBeNull();
    }
    expect(validateIban(make('FR', '3000600001123456789018'))).toBeNull(); // 26 characters for FR
    expect(found(`X${iban}`)).toEqual([]);
    expect(found(`${iban}9`)).toEqual([]);
  });
});
