import type { ItemContent, ItemKind } from './types.ts';

/**
 * Scoring an answer. Short answers match after normalisation: case, accents, spaces and
 * punctuation do not count (« .PDF », « pdf » and « P.D.F » are one answer), so an agent is
 * never marked wrong for typing, only for the answer.
 */
export function normaliseShortAnswer(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, '');
}

export interface GivenAnswer {
  choices?: number[];
  text?: string;
}

/** Whether the answer is right. The route has checked its shape against the item (see `answerProblem`). */
export function isCorrect(kind: ItemKind, correct: readonly number[], accepted: readonly string[], given: GivenAnswer): boolean {
  if (kind === 'short_answer') {
    const text = normaliseShortAnswer(given.text ?? '');
    return text.length > 0 && accepted.some((a) => normaliseShortAnswer(a) === text);
  }
  const chosen = [...new Set(given.choices ?? [])].sort((x, y) => x - y);
  const expected = [...correct].sort((x, y) => x - y);
  return chosen.length === expected.length && chosen.every((c, i) => c === expected[i]);
}

/** A reason the answer cannot be taken (null when it can): the agent keeps it and is told why. */
export function answerProblem(kind: ItemKind, optionCount: number, given: GivenAnswer): 'answer_required' | 'answer_invalid' | null {
  if (kind === 'short_answer') {
    if (given.choices !== undefined) return 'answer_invalid';
    return (given.text ?? '').trim().length === 0 ? 'answer_required' : null;
  }
  if (given.text !== undefined) return 'answer_invalid';
  const choices = given.choices ?? [];
  if (choices.length === 0) return 'answer_required';
  const count = kind === 'true_false' ? 2 : optionCount;
  if (choices.some((c) => !Number.isInteger(c) || c < 0 || c >= count)) return 'answer_invalid';
  if (new Set(choices).size !== choices.length) return 'answer_invalid';
  if (kind !== 'multiple' && choices.length !== 1) return 'answer_invalid';
  return null;
}

/** All accepted answers of a short-answer item, in every language (an agent may answer in either). */
export function acceptedAnswers(content: { fr: ItemContent; frCA?: Partial<ItemContent>; en: ItemContent }): string[] {
  return [...(content.fr.accepted ?? []), ...(content.frCA?.accepted ?? []), ...(content.en.accepted ?? [])];
}
