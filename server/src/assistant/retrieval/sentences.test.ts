import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';

const texts = (text: string) => splitSentences(text).map((s) => s.text);

describe('French sentence splitting', () => {
  it('cuts at final punctuation followed by a capital', () => {
    expect(texts('Le comité se réunit mardi. Il valide le budget ! Qui présidera ? Personne…')).toEqual([
      'Le comité se réunit mardi.',
      'Il valide le budget !',
      'Qui présidera ?',
      'Personne…',
    ]);
  });

  it('survives « M. », « Mme », « art. », « p. ex. », « cf. » and initials', () => {
    expect(texts('M. Tremblay et Mme Gagnon présentent l’art. 12 du règlement. Voir p. ex. la note de J. Dupont, cf. annexe. Fin.')).toEqual([
      'M. Tremblay et Mme Gagnon présentent l’art. 12 du règlement.',
      'Voir p. ex. la note de J. Dupont, cf. annexe.',
      'Fin.',
    ]);
  });

  it('keeps numbers whole and does not cut after an article of a code', () => {
    expect(texts('Le taux passe à 3.5 % soit 1 200,50 € par an. L’article L. 123-4 s’applique en 2026. Les 12 agents sont formés.')).toEqual([
      'Le taux passe à 3.5 % soit 1 200,50 € par an.',
      'L’article L. 123-4 s’applique en 2026.',
      'Les 12 agents sont formés.',
    ]);
  });

  it('does not cut before a lower-case word, and cuts after a closing guillemet', () => {
    expect(texts('Il a dit « c’est prêt. » Ensuite, etc. et la suite. « Bien. » Oui.')).toEqual([
      'Il a dit « c’est prêt. »',
      'Ensuite, etc. et la suite.',
      '« Bien. »',
      'Oui.',
    ]);
  });

  it('always cuts at a line break and gives offsets into the text', () => {
    const text = 'Objet\n\nLe service ouvre le 3 janv. 2027 à Québec. Les demandes arrivent.';
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual(['Objet', 'Le service ouvre le 3 janv. 2027 à Québec.', 'Les demandes arrivent.']);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(sentences.map((s) => [s.block, s.firstOfBlock])).toEqual([
      [0, true],
      [1, true],
      [1, false],
    ]);
  });

  it('stays linear on hostile text: thousands of full stops before a long run of blanks', () => {
    const hostile = `${'a!'.repeat(40_000)}${' '.repeat(80_000)}`;
    const started = performance.now();
    const sentences = splitSentences(hostile);
    // Quadratic, this took seconds (a trim of the trailing blanks at every « ! »).
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sentences.length).toBeGreaterThan(0);
  });
});
