import { describe, expect, it } from 'vitest';
import { problemSentence } from './problem-sentence.ts';

describe('problemSentence', () => {
  it('ends the title with a full stop before the detail, unless it has its own punctuation', () => {
    expect(problemSentence('Aucun modèle d’IA configuré', 'Cette action a besoin d’un modèle.')).toBe('Aucun modèle d’IA configuré. Cette action a besoin d’un modèle.');
    expect(problemSentence('Fichier trop volumineux !', 'La limite est 10 Mo.')).toBe('Fichier trop volumineux ! La limite est 10 Mo.');
    expect(problemSentence('Réessayer ?', 'Le serveur ne répond pas.')).toBe('Réessayer ? Le serveur ne répond pas.');
  });

  it('says either part alone when the other is missing or blank', () => {
    expect(problemSentence('Accès refusé', null)).toBe('Accès refusé');
    expect(problemSentence(null, 'Le serveur ne répond pas.')).toBe('Le serveur ne répond pas.');
    expect(problemSentence('  ', ' ')).toBe('');
  });
});
