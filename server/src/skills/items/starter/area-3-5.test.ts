import { describe, expect, it } from 'vitest';
import type { AuthoredItem, ItemContent } from '../types.ts';
import { AREA_3_ITEMS } from './area-3.ts';
import { AREA_4_ITEMS } from './area-4.ts';
import { AREA_5_ITEMS } from './area-5.ts';

const AREAS: { area: string; items: AuthoredItem[]; competences: string[] }[] = [
  { area: '3', items: AREA_3_ITEMS, competences: ['3.1', '3.2', '3.3', '3.4'] },
  { area: '4', items: AREA_4_ITEMS, competences: ['4.1', '4.2', '4.3', '4.4'] },
  { area: '5', items: AREA_5_ITEMS, competences: ['5.1', '5.2', '5.3', '5.4'] },
];
const ALL: AuthoredItem[] = AREAS.flatMap((a) => a.items);

/** The fr-CA text as agents in Québec see it: fr-FR with the Québec overrides applied. */
function frCA(item: AuthoredItem): ItemContent {
  return { ...item.fr, ...item.frCA };
}

function languages(item: AuthoredItem): [string, ItemContent][] {
  return [
    ['fr', item.fr],
    ['frCA', frCA(item)],
    ['en', item.en],
  ];
}

describe('starter items, areas 3–5', () => {
  it('have unique keys made of their competence and a two-digit number', () => {
    const keys = ALL.map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const item of ALL) {
      expect(item.key, item.key).toMatch(/^\d\.\d-\d{2}$/);
      expect(item.key.startsWith(`${item.competence}-`), item.key).toBe(true);
    }
  });

  it('put each item in its area file and cover every competence of the area', () => {
    for (const { area, items, competences } of AREAS) {
      for (const item of items) expect(competences, item.key).toContain(item.competence);
      for (const c of competences) {
        const mine = items.filter((i) => i.competence === c);
        expect(mine.length, `items for ${c}`).toBeGreaterThanOrEqual(6);
        expect(c.startsWith(`${area}.`)).toBe(true);
      }
    }
  });

  it('spread each competence over the levels', () => {
    const bands: [number, number][] = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    for (const { competences, items } of AREAS) {
      for (const c of competences) {
        const levels = items.filter((i) => i.competence === c).map((i) => i.level);
        for (const [lo, hi] of bands) {
          expect(
            levels.some((l) => l >= lo && l <= hi),
            `${c} has an item at levels ${lo}–${hi}`,
          ).toBe(true);
        }
      }
    }
    for (const item of ALL) expect([1, 2, 3, 4, 5, 6, 7, 8], item.key).toContain(item.level);
    const middle = ALL.filter((i) => i.level >= 2 && i.level <= 6).length;
    expect(middle / ALL.length, 'share of items at levels 2–6').toBeGreaterThan(0.5);
  });

  it('mix the item kinds', () => {
    const count = (kind: string) => ALL.filter((i) => i.kind === kind).length;
    expect(count('short_answer')).toBeGreaterThanOrEqual(4);
    expect(count('multiple')).toBeGreaterThanOrEqual(4);
    expect(count('true_false')).toBeGreaterThanOrEqual(4);
    expect(count('single')).toBeGreaterThan(ALL.length / 2);
  });

  it('give single-choice items exactly one correct option', () => {
    for (const item of ALL.filter((i) => i.kind === 'single')) {
      expect(item.correct, item.key).toHaveLength(1);
      const index = item.correct[0] ?? -1;
      expect(Number.isInteger(index) && index >= 0 && index < item.fr.options!.length, item.key).toBe(true);
    }
  });

  it('give multiple-choice items a set of correct options that is neither empty nor all', () => {
    for (const item of ALL.filter((i) => i.kind === 'multiple')) {
      const n = item.fr.options!.length;
      expect(item.correct.length, item.key).toBeGreaterThanOrEqual(1);
      expect(item.correct.length, item.key).toBeLessThan(n);
      expect(new Set(item.correct).size, item.key).toBe(item.correct.length);
      for (const index of item.correct) {
        expect(Number.isInteger(index) && index >= 0 && index < n, item.key).toBe(true);
      }
    }
  });

  it('give true/false items [0] or [1] and no options', () => {
    for (const item of ALL.filter((i) => i.kind === 'true_false')) {
      expect([[0], [1]], item.key).toContainEqual(item.correct);
      for (const [lang, content] of languages(item)) expect(content.options, `${item.key} ${lang}`).toBeUndefined();
    }
  });

  it('give short-answer items accepted answers in fr and en and no options', () => {
    for (const item of ALL.filter((i) => i.kind === 'short_answer')) {
      expect(item.correct, item.key).toEqual([]);
      for (const [lang, content] of languages(item)) {
        expect(content.options, `${item.key} ${lang}`).toBeUndefined();
        expect(content.accepted?.length ?? 0, `${item.key} ${lang}`).toBeGreaterThan(0);
        for (const answer of content.accepted!) expect(answer.trim(), `${item.key} ${lang}`).not.toBe('');
      }
    }
    for (const item of ALL.filter((i) => i.kind !== 'short_answer')) {
      for (const [lang, content] of languages(item)) expect(content.accepted, `${item.key} ${lang}`).toBeUndefined();
    }
  });

  it('have 3–5 distinct options, as many in every language', () => {
    for (const item of ALL.filter((i) => i.kind === 'single' || i.kind === 'multiple')) {
      const n = item.fr.options?.length ?? 0;
      expect(n >= 3 && n <= 5, `${item.key} has ${n} options`).toBe(true);
      for (const [lang, content] of languages(item)) {
        const options = content.options ?? [];
        expect(options, `${item.key} ${lang}`).toHaveLength(n);
        const normalised = options.map((o) => o.trim().toLowerCase());
        expect(new Set(normalised).size, `${item.key} ${lang} repeats an option`).toBe(n);
        for (const option of options) {
          expect(option.trim(), `${item.key} ${lang}`).not.toBe('');
          expect(option, `${item.key} ${lang}`).not.toMatch(/toutes les réponses|all of the above|aucune de ces réponses|none of the above/i);
        }
      }
    }
  });

  it('have non-empty stems of at most 300 characters and an explanation in every language', () => {
    for (const item of ALL) {
      for (const [lang, content] of languages(item)) {
        expect(content.stem.trim(), `${item.key} ${lang}`).not.toBe('');
        expect(content.stem.length, `${item.key} ${lang} stem`).toBeLessThanOrEqual(300);
        expect(content.explanation.trim(), `${item.key} ${lang}`).not.toBe('');
      }
    }
  });

  it('keep in frCA only fields that differ from fr-FR, for at least 15 items', () => {
    const withFrCA = ALL.filter((i) => i.frCA !== undefined);
    expect(withFrCA.length).toBeGreaterThanOrEqual(15);
    for (const item of withFrCA) {
      const fields = Object.entries(item.frCA!) as [keyof ItemContent, unknown][];
      expect(fields.length, item.key).toBeGreaterThan(0);
      for (const [field, value] of fields) {
        expect(value, `${item.key} frCA.${field} repeats fr`).not.toEqual(item.fr[field]);
      }
    }
  });
});
