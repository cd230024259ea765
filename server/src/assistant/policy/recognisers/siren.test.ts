import { describe, expect, it } from 'vitest';
import { sirenRecogniser, siretRecogniser, validateSiren, validateSiret } from './siren.ts';

/** Luhn check digit, written here again so that the test does not trust the module's. */
function luhnDigit(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((c, i) => {
    let d = Number(c);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return String((10 - (sum % 10)) % 10);
}
const text = (recogniser: typeof sirenRecogniser, t: string) => recogniser.find(t).map((f) => t.slice(f.start, f.end));

describe('SIREN and SIRET', () => {
  it('accepts real-shaped SIRENs (Luhn) and their SIRETs, compact or grouped', () => {
    for (const eight of ['73282932', '55208131', '12000101', '38012986']) {
      const siren = eight + luhnDigit(eight);
      expect(validateSiren(siren)).toBe(siren);
      expect(text(sirenRecogniser, `SIREN ${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}`)).toHaveLength(1);
      const nic = `0007${luhnDigit(`${siren}0007`)}`;
      const siret = siren + nic;
      expect(validateSiret(siret)).toBe(siret);
      expect(text(siretRecogniser, `SIRET ${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)} ${nic}`)).toHaveLength(1);
      expect(text(siretRecogniser, `SIRET ${siret}`)).toEqual([siret]);
    }
    expect(validateSiren('732829320')).toBe('732829320');
    expect(validateSiret('73282932000074')).toBe('73282932000074');
  });

  it("accepts La Poste's establishments by their digit sum (multiple of 5), not by Luhn", () => {
    const digitSum = (v: string) => [...v].reduce((a, c) => a + Number(c), 0);
    for (const nic of ['00001', '01234', '98765', '51000']) {
      const siret = `356000000${nic}`;
      expect(validateSiret(siret)).toBe(digitSum(siret) % 5 === 0 ? siret : null);
    }
    expect(digitSum('35600000000001') % 5).toBe(0);
    expect(validateSiret('35600000000001')).toBe('35600000000001');
    expect(validateSiret('35600000000002')).toBeNull();
  });

  it('refuses single-digit typos', () => {
    const siret = '73282932000074';
    for (let i = 0; i < siret.length; i++) {
      const typo = siret.slice(0, i) + ((Number(siret[i]) + 3) % 10) + siret.slice(i + 1);
      expect(validateSiret(typo)).toBeNull();
    }
    expect(validateSiren('732829321')).toBeNull();
    expect(validateSiren('73282932')).toBeNull();
  });
});
