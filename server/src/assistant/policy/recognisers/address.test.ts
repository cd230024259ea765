import { describe, expect, it } from 'vitest';
import { addressRecogniser } from './address.ts';
import { isPostalCodeCa, isPostalCodeFr } from './postal-code.ts';

const found = (text: string) => addressRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('postal addresses (heuristic)', () => {
  it('finds French addresses from the number to the postal code and city', () => {
    expect(found('Siège : 20 avenue de Ségur, 75007 Paris. Accueil du public.')).toEqual(['20 avenue de Ségur, 75007 Paris']);
    expect(found('domicilié 3 bis, rue Victor-Hugo 93200 Saint-Denis Cedex 1, depuis 2020')).toEqual(['3 bis, rue Victor-Hugo 93200 Saint-Denis Cedex 1']);
    expect(found('12 Bd de la Liberté\nBP 42\n59800 Lille')).toEqual(['12 Bd de la Liberté\nBP 42\n59800 Lille']);
    expect(found('Mairie, 1 place du Général-de-Gaulle 20000 Ajaccio')).toEqual(['1 place du Général-de-Gaulle 20000 Ajaccio']);
  });

  it('finds Québec addresses up to the postal code', () => {
    expect(found('Adresse : 1037, rue De La Chevrotière, Québec (Québec) G1R 5E9.')).toEqual(['1037, rue De La Chevrotière, Québec (Québec) G1R 5E9']);
    expect(found('875, Grande Allée Est... non: 875, boulevard René-Lévesque Est, bureau 200, Montréal (Québec) H2Z 1A1')).toEqual([
      '875, boulevard René-Lévesque Est, bureau 200, Montréal (Québec) H2Z 1A1',
    ]);
    expect(found('3500, chemin Sainte-Foy, Québec G1X1A1')).toEqual(['3500, chemin Sainte-Foy, Québec G1X1A1']);
  });

  it('finds nothing without a street type or a postal code, or across a blank line', () => {
    expect(found('le 20 mars 2026 à Paris (75007)')).toEqual([]);
    expect(found('20 avenue de Ségur, Paris')).toEqual([]);
    expect(found('20 avenue de Ségur\n\n75007 Paris')).toEqual([]);
    expect(found('article 12, rue pas de code ici, 2026')).toEqual([]);
  });

  it('knows French and Canadian postal code shapes', () => {
    for (const ok of ['75007', '20000', '97400', '01000']) expect(isPostalCodeFr(ok)).toBe(true);
    for (const bad of ['00123', '96000', '99999', '7500']) expect(isPostalCodeFr(bad)).toBe(false);
    for (const ok of ['G1R 5E9', 'H2Z1A1', 'k1a 0a6']) expect(isPostalCodeCa(ok)).toBe(true);
    for (const bad of ['D1R 5E9', 'W1R 5E9', 'G1O 5E9', 'G1R 5U9', '123 456']) expect(isPostalCodeCa(bad)).toBe(false);
  });
});
