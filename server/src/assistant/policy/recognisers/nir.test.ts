import { describe, expect, it } from 'vitest';
import { nirRecogniser, validateNir } from './nir.ts';

/** The key as the INSEE defines it, computed here with BigInt, independently of the module. */
function key(body: string): string {
  const numeric = body.replace('2A', '19').replace('2B', '18');
  return String(97n - (BigInt(numeric) % 97n)).padStart(2, '0');
}
const found = (text: string) => nirRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('NIR (numéro de sécurité sociale, carte Vitale)', () => {
  const bodies = ['1850578006084', '2690799350045', '1551275116001', '2820631555072', '1930399123456', '7990199999001'];

  it('accepts numbers whose key is 97 − (number mod 97), compact or grouped', () => {
    for (const body of bodies) {
      const nir = body + key(body);
      expect(validateNir(nir)).toBe(nir);
      const grouped = `${nir[0]} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`;
      expect(validateNir(grouped)).toBe(nir);
      expect(found(`N° de sécurité sociale : ${grouped}.`)).toEqual([grouped]);
      expect(found(`NIR ${nir} ;`)).toEqual([nir]);
    }
  });

  it('handles Corsica: 2A and 2B count as 19 and 18 in the key', () => {
    const a = `1850${'5'}2A${'006084'}`;
    const b = `2690${'7'}2B${'350045'}`;
    for (const body of [a, b]) {
      const nir = body + key(body);
      expect(validateNir(nir)).toBe(nir);
      expect(found(`assuré ${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7).toLowerCase()} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`)).toHaveLength(1);
    }
    // The key computed as if 2A were 20 (a common mistake) is refused.
    const wrong = `${a}${String(97n - (BigInt(a.replace('2A', '20')) % 97n)).padStart(2, '0')}`;
    expect(validateNir(wrong)).toBeNull();
  });

  it('refuses every single-digit typo and every swap of two neighbouring digits', () => {
    for (const body of bodies) {
      const nir = body + key(body);
      for (let i = 0; i < nir.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === nir[i]) continue;
          expect(validateNir(nir.slice(0, i) + d + nir.slice(i + 1))).toBeNull();
        }
        if (i + 1 < nir.length && nir[i] !== nir[i + 1]) expect(validateNir(nir.slice(0, i) + nir[i + 1] + nir[i] + nir.slice(i + 2))).toBeNull();
      }
    }
  });

  it('refuses wrong lengths, a first digit other than 1–4, 7, 8, and numbers inside longer ones', () => {
    const nir = bodies[0] + key(bodies[0] as string);
    expect(validateNir(nir.slice(0, 14))).toBeNull();
    expect(validateNir(`${nir}0`)).toBeNull();
    const five = `5${bodies[0]?.slice(1)}`;
    expect(validateNir(five + key(five))).toBeNull();
    expect(found(`ref. 9${nir}`)).toEqual([]);
    expect(found(`${nir}1`)).toEqual([]);
    expect(found(`1 ${nir.slice(0, 1)} ${nir.slice(1)}`)).toEqual([]);
  });
});
