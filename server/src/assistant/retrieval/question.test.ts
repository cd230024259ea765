import { describe, expect, it } from 'vitest';
import { orQuery, QUESTION_MAX_TERMS, questionWords } from './question.ts';

describe('a question to an OR query', () => {
  it('drops question words, keeps content words once, strips elisions', () => {
    expect(questionWords('Quel est le délai de conservation des journaux d’accès ? Combien de jours ?')).toEqual(['est', 'le', 'délai', 'de', 'conservation', 'des', 'journaux', 'accès', 'jours']);
    expect(orQuery(questionWords('Comment faut-il déclarer un système d’IA ?'))).toBe('il | déclarer | un | système | IA');
  });

  it('lets through only letters and digits: no operator typed by the agent survives', () => {
    const words = questionWords("a' | b & !c <-> d:* (e) \\f");
    expect(words.join(' ')).toMatch(/^[\p{L}\p{N} ]+$/u);
    expect(orQuery(words)).toBe('a | b | c | d | e | f');
  });

  it('nothing to look for: null', () => {
    expect(orQuery(questionWords('Quoi ? Comment ? Pourquoi ?'))).toBeNull();
    expect(orQuery(questionWords('   '))).toBeNull();
  });

  it('caps the number of terms', () => {
    expect(questionWords(Array.from({ length: 60 }, (_, i) => `mot${i}`).join(' ')).length).toBe(QUESTION_MAX_TERMS);
  });
});
