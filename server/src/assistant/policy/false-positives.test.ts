import { describe, expect, it } from 'vitest';
import { compileAgentNames, findPersonalData, pseudonymise } from './index.ts';

const agents = compileAgentNames([
  { givenName: 'Camille', familyName: 'Martin' },
  { givenName: 'Louis', familyName: 'Gagnon' },
]);
const found = (text: string) => findPersonalData(text, { agents }).map((f) => `${f.category}:${text.slice(f.start, f.end)}`);

describe('what is not personal data stays as it is', () => {
  it('dates, times, years and durations', () => {
    for (const text of [
      'Le 12/03/2026, le 12.03.2026, le 2026-03-12, le 12 mars 2026 à 14 h 30 ou 14:30:00.',
      'Entre 2019 et 2026, puis en 2030 ; exercices 2024-2025 et 2025/2026.',
      'Horodatage 20260312143000 ; période du 01/01/2026 au 31/12/2026.',
    ])
      expect(found(text)).toEqual([]);
  });

  it('amounts in euros and dollars, even with digits that pass a checksum', () => {
    // 130 692 544 passes Luhn (a NAS shape) and 732 829 320 (a SIREN shape): as amounts they stay.
    for (const text of [
      'Budget : 130 692 544 € en 2026 ; 732 829 320 € en 2027 ; 1 234 567,89 €.',
      'Une enveloppe de 130 692 544 $ et de 732 829 320 dollars ; 45 000 $ CA ; 12 345 678 EUR.',
      'Montant HT : 4 111 111 111 111 111 € (fictif).',
    ])
      expect(found(text)).toEqual([]);
  });

  it('numbers of laws, decrees, articles and files', () => {
    for (const text of [
      "Conformément à l'article L. 1234-5 du code du travail, à l'article R. 4127-1 du code de la santé publique et à l'article 9 du RGPD.",
      'Décret n° 2019-1088 du 25 octobre 2019 ; loi n° 78-17 du 6 janvier 1978 ; arrêté NOR : ECOM1234567A.',
      'RLRQ, chapitre A-2.1, article 53 ; L.R.Q., c. C-24.2, r. 34 ; règlement 2026-045.',
      'Dossier n° 2026-0457, version 2.14.3, ticket #48213, page 312 sur 1 200.',
    ])
      expect(found(text)).toEqual([]);
  });

  it('phone-like numbers of a bad length, and postal codes or street types alone', () => {
    for (const text of [
      'Composer le 01 23 45 67 8 ou le 01 23 45 67 89 10 ; poste 2231.',
      'Indicatif 418 643 134 ; série 514-555-12345.',
      'Code postal 75007 ; code postal G1R 5E9 ; la rue et l’avenue ; 3 avenues ; 20 rue ; au 12 de la rue.',
    ])
      expect(found(text)).toEqual([]);
  });

  it('words that share a name with an agent', () => {
    expect(found('La Saint-Martin, le martin-pêcheur et Camille (une autre) ; Gagnon-sur-Mer ; MARTINEZ.')).toEqual([]);
  });

  it('a long text of ordinary prose comes out unchanged', () => {
    const prose =
      "Le comité de pilotage s'est réuni le 4 février 2026 à Québec. Les 12 participants ont validé la feuille de route 2026-2028, le budget de 2,4 M€ et le calendrier des 3 lots (article 4.2 de la convention). ".repeat(50);
    const { text, mapping } = pseudonymise(prose, { agents });
    expect(text).toBe(prose);
    expect(mapping.size).toBe(0);
  });
});

describe('hostile input', () => {
  it('stays linear on 200,000-character runs of digits, @, street types, names and placeholder starts', () => {
    const started = performance.now();
    for (const text of ['1'.repeat(200_000), '1 '.repeat(100_000), 'a@'.repeat(100_000), `x@${'a'.repeat(200_000)}`, '12 rue '.repeat(30_000), 'Camille '.repeat(25_000), 'FR76 '.repeat(40_000)]) {
      const { mapping } = pseudonymise(text, { agents });
      expect(mapping.size).toBe(0);
    }
    // About 0.4 s of CPU on this project's 2-core machine; the bound leaves room for a loaded one.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
