import { describe, expect, it } from 'vitest';
import { COMPETENCES } from '../framework/digcomp.ts';
import { fileItemShape, itemProblems, itemShape, normaliseItem, shapeErrors } from './authoring.ts';
import { STARTER_ITEMS } from './starter/index.ts';
import type { AuthoredItem } from './types.ts';

const KNOWN = new Set(COMPETENCES.map((c) => c.id));

const single: Omit<AuthoredItem, 'key'> = {
  competence: '4.2',
  level: 3,
  kind: 'single',
  correct: [1],
  fr: { stem: 'Quel canal utiliser pour un document confidentiel ?', options: ['Un courriel personnel', 'L’espace partagé du service', 'Une clé USB trouvée'], explanation: 'L’espace partagé est protégé.' },
  en: { stem: 'Which channel for a confidential document?', options: ['A personal email', 'The team’s shared space', 'A USB stick found in the hall'], explanation: 'The shared space is protected.' },
};

/** The codes found, as `path:code`, so that a failure says which rule at which field. */
const codes = (item: Omit<AuthoredItem, 'key'>, known: ReadonlySet<string> = KNOWN) => itemProblems(item, known).map((p) => `${p.path}:${p.code}`);

describe('item authoring rules', () => {
  it('accepts every item of the starter bank (the rules are the starter bank’s own)', () => {
    const found = STARTER_ITEMS.flatMap((item) => codes(item).map((c) => `${item.key} ${c}`));
    expect(found).toEqual([]);
    for (const { key, ...fields } of STARTER_ITEMS) expect(itemShape.safeParse(fields).success, key).toBe(true);
  });

  it('accepts a well-formed single-choice item', () => {
    expect(codes(single)).toEqual([]);
  });

  it('requires exactly one right answer for a single choice, inside the options', () => {
    expect(codes({ ...single, correct: [] })).toEqual(['correct:correct_single']);
    expect(codes({ ...single, correct: [0, 1] })).toEqual(['correct:correct_single']);
    expect(codes({ ...single, correct: [3] })).toEqual(['correct:correct_invalid']);
    expect(codes({ ...single, correct: [1, 1] })).toEqual(['correct:correct_invalid']);
  });

  it('requires at least one right answer for a multiple choice, and not all of them', () => {
    const multiple = { ...single, kind: 'multiple' as const };
    expect(codes({ ...multiple, correct: [0, 2] })).toEqual([]);
    expect(codes({ ...multiple, correct: [] })).toEqual(['correct:correct_multiple']);
    expect(codes({ ...multiple, correct: [0, 1, 2] })).toEqual(['correct:correct_multiple']);
  });

  it('wants 3–5 options, as many in every language, none empty, repeated or « all of the above »', () => {
    expect(codes({ ...single, fr: { ...single.fr, options: ['A', 'B'] }, correct: [1] })).toContain('fr.options:option_count');
    expect(codes({ ...single, en: { ...single.en, options: ['A', 'B', 'C', 'D'] } })).toEqual(['en.options:options_mismatch']);
    expect(codes({ ...single, frCA: { options: ['A', 'B', 'C', 'D'] } })).toEqual(['frCA.options:options_mismatch']);
    expect(codes({ ...single, fr: { ...single.fr, options: ['Oui', ' ', 'Non'] } })).toEqual(['fr.options.1:required']);
    expect(codes({ ...single, fr: { ...single.fr, options: ['Oui', 'non', 'Non '] } })).toEqual(['fr.options.2:option_repeated']);
    expect(codes({ ...single, en: { ...single.en, options: ['Yes', 'No', 'All of the above'] } })).toEqual(['en.options.2:all_of_the_above']);
    expect(codes({ ...single, fr: { ...single.fr, options: undefined } })).toContain('fr.options:option_count');
    expect(codes({ ...single, fr: { ...single.fr, accepted: ['x'] } })).toEqual(['fr.accepted:accepted_not_allowed']);
  });

  it('gives true/false items the answer [0] or [1] and no options', () => {
    const tf: Omit<AuthoredItem, 'key'> = { ...single, kind: 'true_false', correct: [0], fr: { stem: 'Vrai ?', explanation: 'Oui.' }, en: { stem: 'True?', explanation: 'Yes.' } };
    expect(codes(tf)).toEqual([]);
    expect(codes({ ...tf, correct: [2] })).toEqual(['correct:correct_true_false']);
    expect(codes({ ...tf, correct: [0, 1] })).toEqual(['correct:correct_true_false']);
    expect(codes({ ...tf, en: { ...tf.en, options: ['Yes', 'No', 'Maybe'] } })).toEqual(['en.options:options_not_allowed']);
  });

  it('wants accepted answers in French and English for a short answer, no options and no index', () => {
    const short: Omit<AuthoredItem, 'key'> = {
      ...single,
      kind: 'short_answer',
      correct: [],
      fr: { stem: 'Extension d’un fichier PDF ?', accepted: ['pdf'], explanation: 'PDF.' },
      en: { stem: 'Extension of a PDF file?', accepted: ['pdf'], explanation: 'PDF.' },
    };
    expect(codes(short)).toEqual([]);
    expect(codes({ ...short, en: { ...short.en, accepted: [] } })).toEqual(['en.accepted:accepted_required']);
    expect(codes({ ...short, fr: { ...short.fr, accepted: undefined } })).toEqual(['fr.accepted:accepted_required']);
    // Matching ignores punctuation and spaces: « ... » could never be typed as an answer.
    expect(codes({ ...short, fr: { ...short.fr, accepted: ['pdf', ' ... '] } })).toEqual(['fr.accepted.1:required']);
    expect(codes({ ...short, correct: [0] })).toEqual(['correct:correct_short_answer']);
    expect(codes({ ...short, fr: { ...short.fr, options: ['a', 'b', 'c'] } })).toEqual(['fr.options:options_not_allowed']);
  });

  it('bounds stems to 300 characters and requires an explanation in each language', () => {
    expect(codes({ ...single, fr: { ...single.fr, stem: 'x'.repeat(301) } })).toEqual(['fr.stem:stem_too_long']);
    expect(codes({ ...single, fr: { ...single.fr, stem: 'x'.repeat(300) } })).toEqual([]);
    expect(codes({ ...single, en: { ...single.en, explanation: '  ' } })).toEqual(['en.explanation:required']);
    expect(codes({ ...single, frCA: { stem: '' } })).toEqual(['frCA.stem:required']);
    expect(codes({ ...single, fr: { ...single.fr, explanation: 'x'.repeat(451) } })).toEqual(['fr.explanation:explanation_too_long']);
  });

  it('knows DigComp’s competences and the organisation’s own, nothing else', () => {
    expect(codes({ ...single, competence: '9.9' })).toEqual(['competence:unknown_competence']);
    expect(codes({ ...single, competence: 'org-ia' })).toEqual(['competence:unknown_competence']);
    expect(codes({ ...single, competence: 'org-ia' }, new Set([...KNOWN, 'org-ia']))).toEqual([]);
  });

  it('refuses malformed or unbounded shapes before any rule', () => {
    const parsed = itemShape.safeParse({ ...single, level: 9, fr: { ...single.fr, stem: 'x'.repeat(1001) }, extra: 1 });
    expect(parsed.success).toBe(false);
    const errors = shapeErrors(parsed.error!);
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['level', 'fr.stem', '']));
    // Stable codes and details for the web to word in the trainer's language.
    expect(errors.map(({ path, code, params }) => ({ path, code, params }))).toEqual([
      { path: 'level', code: 'too_big', params: { origin: 'number', maximum: 8, inclusive: true } },
      { path: 'fr.stem', code: 'too_big', params: { origin: 'string', maximum: 1000, inclusive: true } },
      { path: '', code: 'unrecognized_keys', params: { keys: ['extra'] } },
    ]);
    expect(itemShape.safeParse({ ...single, correct: Array.from({ length: 11 }, (_, i) => i % 10) }).success).toBe(false);
    expect(itemShape.safeParse({ ...single, competence: '../x' }).success).toBe(false);
    expect(fileItemShape.safeParse({ ...single, key: 'Bad Key' }).success).toBe(false);
    expect(fileItemShape.safeParse({ ...single, key: 'ok-1', parameters: { a: 0, b: 0, c: 0 } }).success).toBe(false);
    expect(fileItemShape.safeParse({ ...single, key: 'ok-1', status: 'live', parameters: { a: 1.2, b: 0.3, c: 0 } }).success).toBe(true);
  });

  it('keeps in fr-CA only what differs from fr-FR', () => {
    const same = normaliseItem({ ...single, frCA: { stem: single.fr.stem, explanation: 'Autre explication.' } });
    expect(same.frCA).toEqual({ explanation: 'Autre explication.' });
    expect('frCA' in normaliseItem({ ...single, frCA: { stem: single.fr.stem } })).toBe(false);
  });
});
