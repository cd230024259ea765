import { describe, expect, it } from 'vitest';
import { driverLicenceQcRecogniser, validateDriverLicenceQc } from './driver-licence-qc.ts';

const found = (text: string) => driverLicenceQcRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('Québec driver’s licence number (format only)', () => {
  it('accepts a letter and 12 digits, dashed as on the card or compact', () => {
    expect(validateDriverLicenceQc('T6524-150688-05')).toBe('T652415068805');
    expect(found('Permis de conduire : T6524-150688-05.')).toEqual(['T6524-150688-05']);
    expect(found('permis L1234567890123 valide')).toEqual([]); // 13 digits
    expect(found('permis L123456789012 valide')).toEqual(['L123456789012']);
  });

  it('refuses other shapes', () => {
    for (const bad of ['T6524-150688-0', 'TT6524-150688-05', '6524-150688-05', 'T6524-150688-055']) expect(found(bad)).toEqual([]);
    expect(found('T6524-150688 05')).toEqual([]); // mixed separators
  });
});
