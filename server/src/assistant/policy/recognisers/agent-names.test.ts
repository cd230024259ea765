import { describe, expect, it } from 'vitest';
import { agentNameRecogniser, compileAgentNames, foldText } from './agent-names.ts';

const agents = [
  { givenName: 'Camille', familyName: 'Martin' },
  { givenName: 'Marie-Ève', familyName: 'Tremblay' },
  { givenName: 'Jean', familyName: 'de La Fontaine' },
  { givenName: 'Hélène', familyName: 'Côté' },
];
const recogniser = agentNameRecogniser(compileAgentNames(agents));
const found = (text: string) => recogniser.find(text).map((f) => [text.slice(f.start, f.end), f.key]);

describe('names of agents known to Entente', () => {
  it('matches given-family and family-given forms, case- and accent-insensitively', () => {
    expect(found('Réunion avec Camille Martin et MARIE-EVE TREMBLAY.')).toEqual([
      ['Camille Martin', 'camille martin'],
      ['MARIE-EVE TREMBLAY', 'marie-eve tremblay'.replace('-', ' ')],
    ]);
    expect(found('MARTIN Camille ; Tremblay, Marie-Ève ; helene cote')).toEqual([
      ['MARTIN Camille', 'camille martin'],
      ['Tremblay, Marie-Ève', 'marie eve tremblay'],
      ['helene cote', 'helene cote'],
    ]);
    expect(found('Jean de La Fontaine signe')).toEqual([['Jean de La Fontaine', 'jean de la fontaine']]);
  });

  it('matches an initial and a civility, replacing only the family name after a civility', () => {
    expect(found('C. Martin a écrit à Mme Côté et à M. Tremblay.')).toEqual([
      ['C. Martin', 'camille martin'],
      ['Côté', 'helene cote'],
      ['Tremblay', 'marie eve tremblay'],
    ]);
  });

  it('does not match a name alone, inside another word, or glued to another name', () => {
    expect(found('Saint-Martin, la Saint-Martin, martinet, Camille seule, Martin seul')).toEqual([]);
    expect(found('Camille Martin-Dupont et Jean-Camille Martin')).toEqual([]);
    expect(found('Camilles Martinez')).toEqual([]);
  });

  it('gives two agents with one family name a shared key only in the civility form', () => {
    const two = agentNameRecogniser(compileAgentNames([...agents, { givenName: 'Paul', familyName: 'Martin' }]));
    const text = 'Paul Martin et Mme Martin';
    expect(two.find(text).map((f) => f.key)).toEqual(['paul martin', 'family:martin']);
  });

  it('folds text without changing offsets', () => {
    const text = 'Œuvre d’Hélène — ÉTÉ';
    expect(foldText(text)).toHaveLength(text.length);
    expect(foldText('ÉTÉ Côté')).toBe('ete cote');
  });
});
