import type { Level } from '../framework/types.ts';

/**
 * An assessment item as authored (starter bank files, JSON import/export, trainers' screens).
 * `fr` is fr-FR and complete; `frCA` holds only the fields that differ in Québec French; `en` is
 * complete. Options keep the same order in every language.
 */

export type ItemKind = 'single' | 'multiple' | 'true_false' | 'short_answer';
export type ItemStatus = 'draft' | 'live' | 'retired';

export interface ItemContent {
  /** The question, plain language, one idea. */
  stem: string;
  /** single / multiple: 3–5 options. true_false and short_answer: none (the UI offers Vrai/Faux). */
  options?: string[];
  /** short_answer: the answers accepted after normalisation (case, accents, spaces, punctuation). */
  accepted?: string[];
  /** Shown after the test: why the right answer is right. */
  explanation: string;
}

export interface AuthoredItem {
  /** Stable key, e.g. '1.1-03': competence and a number; never reused. */
  key: string;
  competence: string;
  /** Intended level 1–8 (the provisional difficulty comes from it until calibration). */
  level: Level;
  kind: ItemKind;
  /**
   * single: exactly one option index; multiple: the indices of every correct option (≥ 1, not
   * all); true_false: [0] for « vrai », [1] for « faux »; short_answer: [] (see `accepted`).
   */
  correct: number[];
  fr: ItemContent;
  frCA?: Partial<ItemContent>;
  en: ItemContent;
}

/** IRT parameters: discrimination a, difficulty b, pseudo-guessing c (0 for 2PL). */
export interface ItemParameters {
  a: number;
  b: number;
  c: number;
}
