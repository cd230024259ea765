import { describe, expect, it } from 'vitest';
import { defaultSummaryLength, extractiveSummary, termsOf } from './summary.ts';

const minutes = [
  'Compte rendu du comité de pilotage',
  '',
  'Le comité de pilotage de l’hébergement en nuage souverain s’est réuni le 12 mars à Paris et à Québec.',
  'Le comité a validé le choix d’un hébergement en nuage qualifié SecNumCloud pour les données sensibles.',
  'La pause café a duré vingt minutes et les croissants étaient bons.',
  'Le budget de l’hébergement en nuage est fixé à 2 millions d’euros pour 2027.',
  'Il fait beau à Paris ce printemps selon plusieurs participants.',
  'Les participants ont aussi évoqué la météo et les vacances scolaires.',
  'La migration des données sensibles vers le nuage qualifié commencera en septembre.',
  'Plusieurs personnes ont remercié l’équipe d’accueil pour la salle.',
  'Le prochain comité de pilotage aura lieu en juin.',
  'La séance est levée à midi.',
  'Quelques participants sont partis plus tôt pour prendre le train.',
  'Le secrétariat enverra les documents avant la fin de la semaine.',
  'Un participant a signalé un problème de projecteur.',
  'La salle sera la même la prochaine fois.',
].join('\n');

describe('extractive summary', () => {
  it('keeps the sentences about what the text keeps coming back to, in document order', () => {
    const summary = extractiveSummary(minutes).map((s) => s.text);
    expect(summary.length).toBe(3);
    // Document order.
    const positions = summary.map((s) => minutes.indexOf(s));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The sentences about the cloud hosting decision, not the coffee, the weather or the projector.
    expect(summary.filter((s) => /nuage/u.test(s)).length).toBeGreaterThanOrEqual(2);
    expect(summary.join(' ')).not.toMatch(/café|météo|projecteur|croissants/u);
    // Never the heading (fewer than 5 words).
    expect(summary).not.toContain('Compte rendu du comité de pilotage');
  });

  it('returns every sentence of a short text, with offsets into it', () => {
    const text = 'Première phrase du texte. Deuxième phrase du texte.';
    const summary = extractiveSummary(text);
    expect(summary.map((s) => s.text)).toEqual(['Première phrase du texte.', 'Deuxième phrase du texte.']);
    for (const s of summary) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(extractiveSummary('')).toEqual([]);
  });

  it('asks for 3 to 7 sentences, a fifth of the text', () => {
    expect([1, 10, 20, 25, 40, 100].map(defaultSummaryLength)).toEqual([3, 3, 4, 5, 7, 7]);
    expect(extractiveSummary(minutes, { sentences: 5 }).length).toBe(5);
  });

  it('compares words without accents, case, plural and stop words', () => {
    expect(termsOf('Les Données et la donnée des ÉCOLES')).toEqual(['donnee', 'donnee', 'ecole']);
  });
});
