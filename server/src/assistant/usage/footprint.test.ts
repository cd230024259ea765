import { describe, expect, it } from 'vitest';
import { footprintOf } from './footprint.ts';

describe('footprintOf', () => {
  it('multiplies tokens by the model factor and the energy by the grid intensity', () => {
    expect(footprintOf(2000, 0.5, 100, 'FR')).toEqual({ energyWh: 1, emissionsGco2e: 0.1 });
  });
  it('uses the jurisdiction’s grid intensity by default (QC far lower than FR)', () => {
    const fr = footprintOf(1000, 1, undefined, 'FR');
    const qc = footprintOf(1000, 1, undefined, 'QC');
    expect(fr.emissionsGco2e).toBeCloseTo(0.052);
    expect(qc.emissionsGco2e).toBeCloseTo(0.0017);
  });
  it('counts nothing for a model without a factor, or no tokens', () => {
    expect(footprintOf(1000, null, 50, 'FR')).toEqual({ energyWh: 0, emissionsGco2e: 0 });
    expect(footprintOf(0, 2, 50, 'FR')).toEqual({ energyWh: 0, emissionsGco2e: 0 });
  });
});
