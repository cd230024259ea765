import { describe, expect, it } from 'vitest';
import type { AuthoredItem, ItemContent } from '../types.ts';
import { AREA_1_ITEMS } from './area-1.ts';
import { AREA_2_ITEMS } from './area-2.ts';

// The authoring rules of the starter bank, checked on areas 1 and 2. Each rule names the item that
// breaks it, so that a failure says what to fix.

const AREAS: { area: string; competences: string[]; items: AuthoredItem[] }[] = [
  { area: '1', competences: ['1.1', '1.2', '1.3'], items: AREA_1_ITEMS },
  { area: '2', competences: ['2.1', '2.2', '2.3', '2.4', '2.5', '2.6'], items: AREA_2_ITEMS },
];
const ALL: AuthoredItem[] = AREAS.flatMap((a) => a.items);

/** Every language version of an item, frCA merged over fr as the UI shows it. */
function versions(item: AuthoredItem): [string, ItemContent][] {
  return [
    ['fr', item.fr],
    ['frCA', { ...item.fr, ...item.frCA }],
    ['en', item.en],
  ];
}

function problems(check: (item: AuthoredItem) => string | null): string[] {
  return ALL.map((item) => {
    const problem = check(item);
    return problem === null ? null : `${item.key}: ${problem}`;
  }).filter((p): p is string => p !== null);
}

describe('starter bank, areas 1 and 2', () => {
  it('has unique keys, each made of its competence and a two-digit number, in the file of its area', () => {
    const keys = ALL.map((item) => item.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const { area, competences, items } of AREAS) {
      for (const item of items) {
        expect(item.key, item.key).toMatch(/^\d\.\d-\d{2}$/);
        expect(item.key.startsWith(`${item.competence}-`), item.key).toBe(true);
        expect(item.competence.split('.')[0], item.key).toBe(area);
        expect(competences, item.key).toContain(item.competence);
      }
    }
  });

  it('has at least 6 items per competence, spread over the levels, most of them at levels 2–6', () => {
    for (const { competences, items } of AREAS) {
      for (const competence of competences) {
        const levels = items.filter((item) => item.competence === competence).map((item) => item.level);
        expect(levels.length, competence).toBeGreaterThanOrEqual(6);
        const has = (low: number, high: number) => levels.some((level) => level >= low && level <= high);
        expect([has(1, 2), has(3, 4), has(5, 6), has(7, 8)], competence).toEqual([true, true, true, true]);
        const core = levels.filter((level) => level >= 2 && level <= 6).length;
        expect(core * 2, competence).toBeGreaterThan(levels.length);
      }
    }
    expect(problems((item) => (Number.isInteger(item.level) && item.level >= 1 && item.level <= 8 ? null : 'level'))).toEqual([]);
  });

  it('mixes the kinds of item, with at least 4 short answers', () => {
    const count = (kind: string) => ALL.filter((item) => item.kind === kind).length;
    expect(count('single')).toBeGreaterThan(ALL.length / 2);
    expect(count('multiple')).toBeGreaterThanOrEqual(3);
    expect(count('true_false')).toBeGreaterThanOrEqual(3);
    expect(count('short_answer')).toBeGreaterThanOrEqual(4);
  });

  it('gives every choice item 3–5 options, as many in every language, with the right answers among them', () => {
    const found = problems((item) => {
      if (item.kind !== 'single' && item.kind !== 'multiple') return null;
      const counts = versions(item).map(([, content]) => content.options?.length ?? 0);
      if (new Set(counts).size !== 1) return `option counts differ: ${counts.join(', ')}`;
      const n = counts[0]!;
      if (n < 3 || n > 5) return `${n} options`;
      if (new Set(item.correct).size !== item.correct.length) return 'a correct index repeated';
      if (item.correct.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) return 'a correct index outside the options';
      if (item.kind === 'single' && item.correct.length !== 1) return 'single with other than one answer';
      if (item.kind === 'multiple' && (item.correct.length < 1 || item.correct.length >= n)) {
        return 'multiple with no answer or every option right';
      }
      return null;
    });
    expect(found).toEqual([]);
  });

  it('gives true/false items the answer [0] or [1] and no options', () => {
    const found = problems((item) => {
      if (item.kind !== 'true_false') return null;
      if (item.correct.length !== 1 || (item.correct[0] !== 0 && item.correct[0] !== 1)) return 'answer';
      if (versions(item).some(([, content]) => content.options !== undefined)) return 'has options';
      return null;
    });
    expect(found).toEqual([]);
  });

  it('gives short-answer items accepted answers in French and English, no options and no index', () => {
    const found = problems((item) => {
      if (item.kind !== 'short_answer') return item.fr.accepted || item.en.accepted || item.frCA?.accepted ? 'accepted on a choice item' : null;
      if (item.correct.length !== 0) return 'correct is not []';
      if (!item.fr.accepted?.length || !item.en.accepted?.length) return 'no accepted answers';
      if (versions(item).some(([, content]) => content.options !== undefined)) return 'has options';
      return null;
    });
    expect(found).toEqual([]);
  });

  it('has no empty text, no repeated option, no « all of the above », and stems of at most 300 characters', () => {
    const found = problems((item) => {
      for (const [language, content] of versions(item)) {
        const texts = [content.stem, content.explanation, ...(content.options ?? []), ...(content.accepted ?? [])];
        if (texts.some((text) => typeof text !== 'string' || text.trim() === '')) return `${language}: empty text`;
        if (content.stem.length > 300) return `${language}: stem of ${content.stem.length} characters`;
        const options = (content.options ?? []).map((option) => option.trim().toLowerCase());
        if (new Set(options).size !== options.length) return `${language}: an option repeated`;
        if (options.some((option) => /toutes les réponses|tout ce qui précède|all of the above/.test(option))) {
          return `${language}: « all of the above »`;
        }
      }
      return null;
    });
    expect(found).toEqual([]);
  });

  it('keeps explanations short', () => {
    expect(problems((item) => (versions(item).some(([, c]) => c.explanation.length > 450) ? 'explanation too long' : null))).toEqual([]);
  });

  it('gives fr-CA only the fields that differ, in at least a dozen items', () => {
    const withFrCA = ALL.filter((item) => item.frCA !== undefined);
    expect(withFrCA.length).toBeGreaterThanOrEqual(12);
    const found = problems((item) => {
      if (!item.frCA) return null;
      const fields = Object.keys(item.frCA) as (keyof ItemContent)[];
      if (fields.length === 0) return 'empty frCA';
      const same = fields.filter((field) => JSON.stringify(item.frCA![field]) === JSON.stringify(item.fr[field]));
      return same.length ? `frCA repeats fr: ${same.join(', ')}` : null;
    });
    expect(found).toEqual([]);
  });

  it('uses Québec usage in fr-CA, not the fr-FR words it replaces', () => {
    // « e-mail » and « mail » are fr-FR; Québec writes « courriel ». An item whose fr-CA version
    // still says « e-mail » has missed a field.
    const found = problems((item) => {
      const frCA = { ...item.fr, ...item.frCA };
      const text = [frCA.stem, frCA.explanation, ...(frCA.options ?? [])].join(' ');
      return /\be-mails?\b|week-end/i.test(text) ? 'fr-CA still says e-mail or week-end' : null;
    });
    expect(found).toEqual([]);
  });
});
