import { describe, expect, it } from 'vitest';
import { emailRecogniser, validateEmail } from './email.ts';

const found = (text: string) => emailRecogniser.find(text).map((f) => text.slice(f.start, f.end));

describe('e-mail addresses', () => {
  it('finds addresses in text, with accents, plus signs and sub-domains', () => {
    expect(found('Écrire à camille.martin@interieur.gouv.fr.')).toEqual(['camille.martin@interieur.gouv.fr']);
    expect(found('Courriel : <Marie-Eve.Tremblay+ia@mcn.gouv.qc.ca>')).toEqual(['Marie-Eve.Tremblay+ia@mcn.gouv.qc.ca']);
    expect(found('hélène.côté@exemple.québec, et j.dupont@exemple.fr')).toEqual(['hélène.côté@exemple.québec', 'j.dupont@exemple.fr']);
    expect(validateEmail('Camille.Martin@Interieur.Gouv.FR')).toBe('camille.martin@interieur.gouv.fr');
  });

  it('refuses malformed addresses', () => {
    for (const bad of ['.camille@exemple.fr', 'camille..martin@exemple.fr', 'camille.@exemple.fr', 'camille@-exemple.fr', 'camille@exemple', 'camille@exemple.f', 'camille@exemple.123', '@exemple.fr']) {
      expect(found(bad)).toEqual([]);
    }
  });
});
