import { z } from 'zod';
import { storableText } from '../text.ts';
import type { FieldError } from '../../platform/errors.ts';
import { fieldIssueDetails } from '../../platform/field-issues.ts';
import { normaliseShortAnswer } from './scoring.ts';
import type { AuthoredItem, ItemContent } from './types.ts';

/**
 * The authoring rules of an item (pure: no database, no HTTP), the same ones the starter bank's
 * tests hold its items to (starter/area-1-2.test.ts). Two layers:
 *  - `itemShape`: the structure and hard bounds (types, lengths, counts), checked by zod before
 *    anything is stored, so nothing unbounded or malformed reaches the database;
 *  - `itemProblems`: the rules a question must meet to be asked (one right answer, 3–5 options…).
 *    A draft may break them while a trainer works on it; going `live` (and staying live) requires
 *    none, so an agent is never asked a broken question.
 * Each problem is a field error (`path`, `code`); the web shows it next to the field it names.
 */

/** Hard bounds: above the rules' limits, so that a too-long stem is a rule to fix, not a refusal. */
export const BOUNDS = { stem: 1000, option: 300, options: 10, accepted: 10, acceptedText: 200, explanation: 2000, key: 64 } as const;
/** The rules' limits (as the starter bank's tests). */
export const RULES = { stem: 300, explanation: 450, minOptions: 3, maxOptions: 5 } as const;

export const ITEM_KEY = /^[a-z0-9][a-z0-9.-]{0,63}$/;
/** DigComp competence ids ('1.1' … '5.4') or an organisation's own ('org-<slug>'). */
export const COMPETENCE_ID = /^(\d\.\d|org-[a-z0-9-]{1,60})$/;

const text = (max: number) => storableText(max);
const content = z
  .object({
    stem: text(BOUNDS.stem),
    options: z.array(text(BOUNDS.option)).max(BOUNDS.options).optional(),
    accepted: z.array(text(BOUNDS.acceptedText)).max(BOUNDS.accepted).optional(),
    explanation: text(BOUNDS.explanation),
  })
  .strict();
const partialContent = content.partial().strict();

/** An item's authored fields, without its key (the server gives keys). */
export const itemFields = {
  competence: z.string().regex(COMPETENCE_ID),
  level: z.number().int().min(1).max(8),
  kind: z.enum(['single', 'multiple', 'true_false', 'short_answer']),
  correct: z.array(z.number().int().min(0).max(9)).max(10),
  fr: content,
  frCA: partialContent.optional(),
  en: content,
};
export const itemShape = z.object(itemFields).strict();
export type ItemFields = z.infer<typeof itemShape>;

/** An item in an import or export file: its fields, a key when it has one, status and parameters optional. */
export const fileItemShape = z
  .object({
    ...itemFields,
    key: z.string().regex(ITEM_KEY).optional(),
    status: z.enum(['draft', 'live', 'retired']).optional(),
    parameters: z
      .object({ a: z.number().gt(0).max(6), b: z.number().min(-8).max(8), c: z.number().min(0).lt(0.5) })
      .loose()
      .optional(),
  })
  .strict();
export type FileItem = z.infer<typeof fileItemShape>;

/**
 * zod's issues as field errors: the path joined with dots, the code and its details
 * (platform/field-issues.ts), which the web says in the trainer's language; zod's English message
 * stays only as the API's fallback. Parse with `reportInput` for `invalid_type` to tell a missing
 * field from a value of the wrong kind.
 */
export function shapeErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map(({ code, path, message, ...details }) => ({
    path: [prefix, ...path.map(String)].filter((p) => p !== '').join('.'),
    message,
    ...fieldIssueDetails(code, details),
  }));
}

/**
 * The item as stored: frCA keeps only the fields that differ from fr (an empty frCA is none), so
 * that a later change to the fr-FR text is not hidden behind a copy of the old one.
 */
export function normaliseItem<T extends ItemFields>(item: T): T {
  const frCA: Partial<ItemContent> = {};
  for (const [field, value] of Object.entries(item.frCA ?? {}) as [keyof ItemContent, ItemContent[keyof ItemContent]][]) {
    if (value === undefined) continue;
    if (JSON.stringify(value) === JSON.stringify(item.fr[field])) continue;
    (frCA as Record<string, unknown>)[field] = value;
  }
  const { frCA: _drop, ...rest } = item;
  return (Object.keys(frCA).length > 0 ? { ...rest, frCA } : rest) as T;
}

type Problem = FieldError;
const problem = (path: string, code: string, message: string): Problem => ({ path, code, message });

const ALL_OF_THE_ABOVE = /toutes les réponses|tout ce qui précède|all of the above/i;

/**
 * What keeps the item from being asked (empty when nothing). `knownCompetences` holds DigComp's
 * ids and the organisation's own.
 */
export function itemProblems(item: Omit<AuthoredItem, 'key' | 'level'> & { level: number }, knownCompetences: ReadonlySet<string>): Problem[] {
  const found: Problem[] = [];
  if (!knownCompetences.has(item.competence)) found.push(problem('competence', 'unknown_competence', 'unknown competence'));
  if (!Number.isInteger(item.level) || item.level < 1 || item.level > 8) found.push(problem('level', 'level_range', 'level must be 1–8'));

  // Each language as the agent reads it; frCA only where it says something (fr-CA falls back on fr).
  const languages: [string, Partial<ItemContent>, boolean][] = [
    ['fr', item.fr, true],
    ['frCA', item.frCA ?? {}, false],
    ['en', item.en, true],
  ];
  for (const [lang, c, complete] of languages) {
    if (complete || c.stem !== undefined) {
      if ((c.stem ?? '').trim() === '') found.push(problem(`${lang}.stem`, 'required', 'required'));
      else if ((c.stem ?? '').length > RULES.stem) found.push(problem(`${lang}.stem`, 'stem_too_long', 'too long'));
    }
    if (complete || c.explanation !== undefined) {
      if ((c.explanation ?? '').trim() === '') found.push(problem(`${lang}.explanation`, 'required', 'required'));
      else if ((c.explanation ?? '').length > RULES.explanation) found.push(problem(`${lang}.explanation`, 'explanation_too_long', 'too long'));
    }
  }

  const choice = item.kind === 'single' || item.kind === 'multiple';
  if (choice) {
    const count = item.fr.options?.length ?? 0;
    for (const [lang, c, complete] of languages) {
      if (!complete && c.options === undefined) continue;
      const options = c.options ?? [];
      if (options.length < RULES.minOptions || options.length > RULES.maxOptions) found.push(problem(`${lang}.options`, 'option_count', '3–5 options'));
      else if (lang !== 'fr' && options.length !== count) found.push(problem(`${lang}.options`, 'options_mismatch', 'as many options as in French'));
      const seen = new Set<string>();
      options.forEach((option, i) => {
        const normalised = option.trim().toLowerCase();
        if (normalised === '') found.push(problem(`${lang}.options.${i}`, 'required', 'required'));
        else if (seen.has(normalised)) found.push(problem(`${lang}.options.${i}`, 'option_repeated', 'repeated'));
        else if (ALL_OF_THE_ABOVE.test(normalised)) found.push(problem(`${lang}.options.${i}`, 'all_of_the_above', 'no « all of the above »'));
        seen.add(normalised);
      });
      if (c.accepted !== undefined) found.push(problem(`${lang}.accepted`, 'accepted_not_allowed', 'only for short answers'));
    }
    const indices = item.correct;
    if (new Set(indices).size !== indices.length || indices.some((i) => i < 0 || i >= count)) {
      found.push(problem('correct', 'correct_invalid', 'an answer outside the options'));
    } else if (item.kind === 'single' && indices.length !== 1) {
      found.push(problem('correct', 'correct_single', 'exactly one right answer'));
    } else if (item.kind === 'multiple' && (indices.length < 1 || indices.length >= count)) {
      found.push(problem('correct', 'correct_multiple', 'at least one right answer, not all'));
    }
    return found;
  }

  for (const [lang, c] of languages) {
    if (c.options !== undefined) found.push(problem(`${lang}.options`, 'options_not_allowed', 'no options for this kind'));
  }
  if (item.kind === 'true_false') {
    if (item.correct.length !== 1 || (item.correct[0] !== 0 && item.correct[0] !== 1)) found.push(problem('correct', 'correct_true_false', '[0] or [1]'));
    for (const [lang, c] of languages) {
      if (c.accepted !== undefined) found.push(problem(`${lang}.accepted`, 'accepted_not_allowed', 'only for short answers'));
    }
    return found;
  }
  // short_answer
  if (item.correct.length !== 0) found.push(problem('correct', 'correct_short_answer', 'no option index'));
  for (const [lang, c, complete] of languages) {
    if (!complete && c.accepted === undefined) continue;
    const accepted = c.accepted ?? [];
    if (accepted.length === 0) found.push(problem(`${lang}.accepted`, 'accepted_required', 'at least one accepted answer'));
    accepted.forEach((answer, i) => {
      // An answer made only of what matching ignores (spaces, punctuation) could never match.
      if (normaliseShortAnswer(answer) === '') found.push(problem(`${lang}.accepted.${i}`, 'required', 'required'));
    });
  }
  return found;
}
