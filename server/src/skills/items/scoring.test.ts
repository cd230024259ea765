import { describe, expect, it } from 'vitest';
import { acceptedAnswers, answerProblem, isCorrect, normaliseShortAnswer } from './scoring.ts';
import { STARTER_ITEMS } from './starter/index.ts';

describe('scoring', () => {
  it('matches short answers whatever their case, accents, spaces and punctuation', () => {
    expect(normaliseShortAnswer(' .PDF ')).toBe('pdf');
    expect(normaliseShortAnswer('Hameçonnage')).toBe('hameconnage');
    expect(isCorrect('short_answer', [], ['pdf'], { text: 'P.D.F' })).toBe(true);
    expect(isCorrect('short_answer', [], ['hameçonnage', 'phishing'], { text: 'HAMECONNAGE' })).toBe(true);
    expect(isCorrect('short_answer', [], ['pdf'], { text: 'odt' })).toBe(false);
    // Only punctuation is no answer at all, never a match of an empty accepted string.
    expect(isCorrect('short_answer', [], ['pdf', '…'], { text: '...' })).toBe(false);
  });

  it('accepts a shortcut with its keys named in either language, or both (starter item 5.1-05)', () => {
    const item = STARTER_ITEMS.find((i) => i.key === '5.1-05');
    const accepted = acceptedAnswers({ fr: item!.fr, en: item!.en });
    for (const text of ['ctrl + shift + echap', 'Ctrl+Maj+Échap', 'CTRL-SHIFT-ESC', 'control shift escape', 'Ctrl + Maj + Esc', 'contrôle maj échap']) {
      expect(isCorrect('short_answer', [], accepted, { text }), text).toBe(true);
    }
    expect(isCorrect('short_answer', [], accepted, { text: 'Ctrl+Alt+Suppr' })).toBe(false);
  });

  it('wants the exact set of a multiple-choice item, in any order', () => {
    expect(isCorrect('multiple', [0, 2], [], { choices: [2, 0] })).toBe(true);
    expect(isCorrect('multiple', [0, 2], [], { choices: [0] })).toBe(false);
    expect(isCorrect('multiple', [0, 2], [], { choices: [0, 1, 2] })).toBe(false);
    expect(isCorrect('single', [1], [], { choices: [1] })).toBe(true);
    expect(isCorrect('true_false', [1], [], { choices: [0] })).toBe(false);
  });

  it('refuses answers that do not fit the question, with a reason', () => {
    expect(answerProblem('single', 4, { choices: [] })).toBe('answer_required');
    expect(answerProblem('single', 4, { choices: [4] })).toBe('answer_invalid');
    expect(answerProblem('single', 4, { choices: [0, 1] })).toBe('answer_invalid');
    expect(answerProblem('multiple', 4, { choices: [1, 1] })).toBe('answer_invalid');
    expect(answerProblem('true_false', 0, { choices: [1] })).toBeNull();
    expect(answerProblem('true_false', 0, { choices: [2] })).toBe('answer_invalid');
    expect(answerProblem('short_answer', 0, { text: '   ' })).toBe('answer_required');
    expect(answerProblem('short_answer', 0, { choices: [0] })).toBe('answer_invalid');
    expect(answerProblem('multiple', 4, { choices: [0, 3] })).toBeNull();
  });
});
